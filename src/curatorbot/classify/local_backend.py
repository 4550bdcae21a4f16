"""The embedded default classifier: no key, no network, deterministic.

Relevance comes from the shipped relevance model (curatorbot.classify.relevance); the section from the list
itself: the nearest list entries by TF-IDF over titles, plus the section hints (`include`) from config,
which outweigh a weak vote of the neighbours.
The same scores serve as the pre-filter in front of the LLM.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from curatorbot.classify.classifier import ClassificationRun
from curatorbot.classify.list_model import SectionModel
from curatorbot.classify.relevance import RelevanceModel
from curatorbot.config import Settings
from curatorbot.domain.awesome_list import AwesomeList, normalize_title
from curatorbot.domain.models import Decision, Paper
from curatorbot.domain.title_index import TitleIndex

NEAREST_ENTRIES = 8
# The nearest titles vote with their share of the similarity mass (at most 1 in all), so the biggest section
# does not win by having the most entries; a section's words in the title then outweigh a weak vote.
TITLE_HINT_WEIGHT = 1.0
ABSTRACT_HINT_WEIGHT = 0.5
LOCAL_PROMPT_VERSION = "local-1"


@dataclass(frozen=True)
class Prefiltered:
    passed: tuple[Paper, ...]
    dropped: tuple[Paper, ...]
    scores: dict[str, float]


def _sigmoid(value: float) -> float:
    return 1.0 / (1.0 + math.exp(-value))


class LocalClassifier:
    def __init__(
        self,
        awesome: AwesomeList,
        settings: Settings,
        model: RelevanceModel | None = None,
        sections_model: SectionModel | None = None,
        note: str | None = None,
    ) -> None:
        self.awesome = awesome
        self.settings = settings
        self.model = model or RelevanceModel.load()
        self.sections_model = sections_model
        self.note = note  # which model decides, when it is worth saying (a learned one, or none for this list)
        self.sections = [s.path for s in settings.sections]
        self.hints = {s.path: tuple(h.lower() for h in s.include) for s in settings.sections}
        threshold = min(max(settings.llm.confidence_threshold, 0.001), 0.999)
        self._threshold_logit = math.log(threshold / (1 - threshold))
        self.anti_hints = {s.path: tuple(h.lower() for h in s.exclude) for s in settings.sections}
        self.entries = [e for e in awesome.entries if e.section_path in self.sections and e.title]
        self.index = TitleIndex([e.title for e in self.entries])
        # Where each listed paper stands in the index, by id and by title: its own entry is never its example.
        self._positions: defaultdict[str, list[int]] = defaultdict(list)
        for index, entry in enumerate(self.entries):
            for key in {entry.arxiv_id, entry.norm_title} - {None, ""}:
                self._positions[str(key)].append(index)

    @property
    def model_name(self) -> str:
        return f"relevance-{self.model.sha}"

    # ---- pre-filter ----------------------------------------------------------------------------

    def prefilter(self, papers: Sequence[Paper]) -> Prefiltered:
        scores = dict(zip([p.arxiv_id for p in papers], self.model.scores(papers).tolist(), strict=True))
        threshold = self.model.prefilter_threshold
        return Prefiltered(
            passed=tuple(p for p in papers if scores[p.arxiv_id] >= threshold),
            dropped=tuple(p for p in papers if scores[p.arxiv_id] < threshold),
            scores=scores,
        )

    # ---- decisions -----------------------------------------------------------------------------

    def section_for(self, paper: Paper) -> tuple[str | None, list[str]]:
        """The best section, and the nearest list titles behind it (the paper's own entry excluded).
        None when the config names no sections: nowhere to put a paper without a human."""
        if not self.sections:
            return None, []
        # Titles against titles: the list has only titles, and like compares best with like.
        similarities = self.index.similarities([paper.title])[0]
        for key in (paper.arxiv_id, normalize_title(paper.title)):
            similarities[self._positions.get(key, [])] = -1.0  # never copy the answer from the paper's own entry
        nearest = [int(i) for i in np.argsort(-similarities)[:NEAREST_ENTRIES] if similarities[i] > 0]
        score: defaultdict[str, float] = defaultdict(float)
        if self.sections_model is not None:
            # The learned section model reads title and abstract; its probabilities sum to 1, as the votes do.
            for section, probability in zip(
                self.sections_model.sections, self.sections_model.probabilities([paper])[0], strict=True
            ):
                score[section] += float(probability)
        else:
            mass = float(sum(similarities[i] for i in nearest))
            for index in nearest:
                score[self.entries[index].section_path] += float(similarities[index]) / mass
        title, abstract = paper.title.lower(), paper.abstract.lower()
        for section, hints in self.hints.items():
            if any(h in title for h in hints):
                score[section] += TITLE_HINT_WEIGHT
            score[section] += ABSTRACT_HINT_WEIGHT * min(sum(h in abstract for h in hints), 3) / 3
            if any(h in title for h in self.anti_hints[section]):
                score[section] = -math.inf  # a maintainer's "not here" is final
        best = max(self.sections, key=lambda s: (score[s], s == self.sections[0]))
        # Distinct titles: the list may carry a paper twice (lint reports it), the rationale should not.
        return best, list(dict.fromkeys(self.entries[i].title for i in nearest))[:2]

    def decide(self, papers: Sequence[Paper]) -> list[Decision]:
        scores = self.model.scores(papers)
        decisions = []
        for paper, score in zip(papers, scores.tolist(), strict=True):
            relevant = score >= self.model.prefilter_threshold
            if relevant:
                # The model's propose threshold (chosen forward in time) maps to the configured confidence
                # threshold: at or above it the paper is proposed, below it a human looks.
                confidence = _sigmoid(score - self.model.relevant_threshold + self._threshold_logit)
                section, nearest = self.section_for(paper)
                rationale = f"relevance score {score:.2f} (proposed from {self.model.relevant_threshold:.2f})"
                if nearest:
                    rationale += "; closest list entries: " + "; ".join(f"'{t[:70]}'" for t in nearest)
            else:
                confidence = 1.0 - _sigmoid(score - self.model.prefilter_threshold)
                section = None
                threshold = self.model.prefilter_threshold
                rationale = f"relevance score {score:.2f}, below the pre-filter's {threshold:.2f}"
            decisions.append(
                Decision(
                    arxiv_id=paper.arxiv_id,
                    relevant=relevant,
                    section=section,
                    confidence=round(confidence, 3),
                    rationale=rationale[:300],
                    needs_human=relevant and (section is None or confidence < self.settings.llm.confidence_threshold),
                    backend="local",
                    model=self.model_name,
                    prompt_version=LOCAL_PROMPT_VERSION,
                    prompt_sha=self.model.sha,
                )
            )
        return decisions


class LocalRun:
    """The local classifier behind the same interface as the LLM one."""

    def __init__(self, local: LocalClassifier) -> None:
        self.local = local

    def decide(self, papers: Sequence[Paper]) -> ClassificationRun:
        return ClassificationRun(decisions=self.local.decide(papers))
