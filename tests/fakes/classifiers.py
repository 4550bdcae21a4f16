"""Classifiers in process, behind the interface the nightly job takes: an LLM that is never sure, one that
is always sure, one that refuses, and a local pre-filter that lets every paper through."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from curatorbot.classify.classifier import ClassificationRun
from curatorbot.classify.local_backend import LocalClassifier, Prefiltered
from curatorbot.domain.models import Decision, Paper


class Unsure:
    """An LLM that finds every paper relevant and is never sure: everything needs a human look."""

    def __init__(self, section: str = "Paper List") -> None:
        self.section = section

    def decide(self, papers: Sequence[Paper]) -> ClassificationRun:
        return ClassificationRun(
            decisions=[
                Decision(
                    arxiv_id=p.arxiv_id,
                    relevant=True,
                    section=self.section,
                    confidence=0.4,
                    rationale="maybe an LLM recommender",
                    needs_human=True,
                    backend="openai",
                    model="unsure",
                    prompt_version="3",
                    prompt_sha="x",
                )
                for p in papers
            ]
        )


class Sure(Unsure):
    def decide(self, papers: Sequence[Paper]) -> ClassificationRun:
        run = super().decide(papers)
        run.decisions = [d.model_copy(update={"confidence": 0.95, "needs_human": False}) for d in run.decisions]
        return run


class Refusing(Unsure):
    """An LLM that refuses every paper: no relevance, no section, every paper to a human."""

    def decide(self, papers: Sequence[Paper]) -> ClassificationRun:
        run = super().decide(papers)
        refusal = {"relevant": False, "section": None, "confidence": 0.0, "rationale": "the model refused: no"}
        run.decisions = [d.model_copy(update=refusal) for d in run.decisions]
        return run


class PassAll(LocalClassifier):
    def prefilter(self, papers: Any) -> Any:
        return Prefiltered(passed=tuple(papers), dropped=(), scores={p.arxiv_id: 1.0 for p in papers})
