"""`eval --replay` on a hand-made set: a simulated maintainer's calls teach the next week's model."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from conftest import REAL_LIST, TEST_CONFIG
from curatorbot.classify.list_model import ListModel, ModelCard
from curatorbot.classify.relevance import RelevanceModel
from curatorbot.config import load_settings
from curatorbot.domain.awesome_list import AwesomeList
from curatorbot.domain.models import Paper
from curatorbot.jobs.evaluation import EvalRow
from curatorbot.jobs.replay import blocks, replay

RELEVANT = "We fine-tune a large language model as a sequential recommender over user interaction histories."
OFF = "We study traffic forecasting on road networks with spatio-temporal graph neural networks."


def row(arxiv_id: str, relevant: bool, section: str | None = None, title: str = "") -> EvalRow:
    text = RELEVANT if relevant else OFF
    paper = Paper(
        arxiv_id=arxiv_id, title=title or ("LLM recommender " if relevant else "Traffic ") + arxiv_id, abstract=text
    )
    return EvalRow(paper=paper, relevant=relevant, section=section if relevant else None)


DAYS = [
    (
        "2025-03-03",
        [row("2503.00001", True, "Paper List"), row("2503.00002", False), row("2503.00003", True, "Dataset")],
    ),
    ("2025-03-04", [row("2503.00011", True, "Paper List"), row("2503.00012", False)]),
    (
        "2025-03-10",
        [row("2503.00021", True, "Paper List"), row("2503.00022", False), row("2503.00023", True, "Survey")],
    ),
    ("2025-03-11", [row("2503.00031", False), row("2503.00032", True, "Paper List")]),
]


class Learner:
    """Stands in for the learning: records what each retrain saw, returns the shipped weights with a propose
    threshold lowered far enough that every pre-filtered paper is proposed."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, int, int]] = []

    def __call__(self, sources: Any, sections: Any, name: str, today: dt.date) -> ListModel:
        self.seen.append((today.isoformat(), len(sources.decisions), len(sources.unlabelled)))
        shipped = RelevanceModel.load()
        relevance = dataclasses.replace(shipped, relevant_threshold=shipped.prefilter_threshold)
        card = ModelCard(name, tuple(sections), today.isoformat(), {}, {}, 0.1, sha="learned-1")
        return ListModel(relevance, None, card)


def test_a_replay_retrains_weekly_from_the_calls_and_reports_each_block() -> None:
    settings = load_settings(TEST_CONFIG)
    awesome = AwesomeList.parse(REAL_LIST.read_text(encoding="utf-8"))
    unlabelled = [Paper(arxiv_id="2502.00001", title="old"), Paper(arxiv_id="2503.09999", title="this month")]
    learner = Learner()
    outcomes = replay(DAYS, awesome, settings, [], unlabelled, learner)
    # One retrain, at the first day of the second week, from the first week's calls and earlier months only.
    assert learner.seen == [("2025-03-10", sum(o.proposed + o.flagged for o in outcomes[:2]), 1)]
    assert [o.model for o in outcomes] == ["shipped", "shipped", "learned-1", "learned-1"]
    table = blocks(outcomes, count=2)
    # Week 1: the shipped model only flags (a person reads 3 papers, finds 3); week 2's model proposes them,
    # in the section the labels say for 2 of 3 (the "Survey" paper goes elsewhere).
    assert table == [
        {"days": "2025-03-03..2025-03-04", "relevant": 3, "proposed": 0, "precision": 0.0, "recall": 0.0,
         "recall_with_flagged": 1.0, "section_accuracy": 0.0, "read_per_found": 1.0, "model": "shipped"},
        {"days": "2025-03-10..2025-03-11", "relevant": 3, "proposed": 3, "precision": 1.0, "recall": 1.0,
         "recall_with_flagged": 1.0, "section_accuracy": 0.667, "read_per_found": 1.0, "model": "learned-1"},
    ]  # fmt: skip
