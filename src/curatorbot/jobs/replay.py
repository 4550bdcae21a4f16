"""`curatorbot eval --replay`: a maintainer simulated over labelled days, in time order.

Each day the local backend proposes and flags as the nightly run would; the labels accept what is relevant
(moving it when the bot's section differs from the labelled one) and reject the rest of what was shown;
those calls, with the list's entries and the papers announced before, teach the next week's model
(`curatorbot learn`'s learning, retrained once a week of days). Reported per block of days: precision,
recall, recall with the flagged papers, section accuracy, and how many papers a maintainer read for each
relevant one found.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from curatorbot.classify.list_model import ListModel
from curatorbot.classify.local_backend import LocalClassifier
from curatorbot.config import Settings
from curatorbot.domain.arxiv_id import month_of
from curatorbot.domain.awesome_list import AwesomeList
from curatorbot.domain.errors import LearnError
from curatorbot.domain.models import Paper
from curatorbot.jobs.evaluation import EvalRow

BLOCKS = 4


@dataclass(frozen=True)
class DayOutcome:
    date: str
    relevant: int
    proposed: int
    proposed_relevant: int
    flagged: int
    flagged_relevant: int
    section_right: int
    section_labelled: int
    model: str


def _week(day: str) -> tuple[int, int]:
    year, week, _ = dt.date.fromisoformat(day).isocalendar()
    return year, week


def replay(
    days: Sequence[tuple[str, Sequence[EvalRow]]],
    awesome: AwesomeList,
    settings: Settings,
    listed: Sequence[tuple[Paper, str]],
    unlabelled: Sequence[Paper],
    learn: Callable[..., ListModel],
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> list[DayOutcome]:
    """Each day's outcome, in time order. `learn` is list_learning.learn_model (a test may pass its own)."""
    from curatorbot.classify.list_learning import LearningSources

    local = LocalClassifier(awesome, settings)
    model_name = "shipped"
    calls: list[Mapping[str, object]] = []
    decided: dict[str, Paper] = {}
    week = None
    outcomes = []
    for position, (day, rows) in enumerate(sorted(days, key=lambda d: d[0])):
        if week is not None and _week(day) != week and calls:
            # Only what existed before this day: papers of earlier months (by arXiv id), listed or not.
            month = day[:7]
            earlier = [(p, s) for p, s in listed if month_of(p.arxiv_id) < month]
            before = [p for p in unlabelled if month_of(p.arxiv_id) < month]
            try:
                model = learn(
                    LearningSources(listed=earlier, decisions=calls, decided=decided, unlabelled=before),
                    settings.section_paths,
                    "replay",
                    dt.date.fromisoformat(day),
                )
                local = LocalClassifier(awesome, settings, model.relevance, sections_model=model.sections)
                model_name = model.card.sha
            except LearnError:
                pass  # too little learned yet: the model stays
        week = _week(day)
        papers = [r.paper for r in rows]
        label = {r.paper.arxiv_id: r for r in rows}
        decisions = local.decide(papers) if papers else []
        proposed = [d for d in decisions if d.relevant and not d.needs_human and d.section]
        flagged = [d for d in decisions if d.needs_human]
        right = labelled = 0
        for decision in [*proposed, *flagged]:
            row = label[decision.arxiv_id]
            decided[decision.arxiv_id] = row.paper
            if row.relevant:
                moved = bool(row.section) and row.section != decision.section
                calls.append(
                    {
                        "arxiv_id": decision.arxiv_id,
                        "title": row.paper.title,
                        "action": "moved" if moved else "accepted",
                        "section": row.section or decision.section,
                    }
                )
            else:
                calls.append({"arxiv_id": decision.arxiv_id, "title": row.paper.title, "action": "rejected"})
        for decision in proposed:
            row = label[decision.arxiv_id]
            if row.relevant and row.section:
                labelled += 1
                right += row.section == decision.section
        outcomes.append(
            DayOutcome(
                date=day,
                relevant=sum(1 for r in rows if r.relevant),
                proposed=len(proposed),
                proposed_relevant=sum(1 for d in proposed if label[d.arxiv_id].relevant),
                flagged=len(flagged),
                flagged_relevant=sum(1 for d in flagged if label[d.arxiv_id].relevant),
                section_right=right,
                section_labelled=labelled,
                model=model_name,
            )
        )
        progress(position + 1, len(days))
    return outcomes


def _ratio(numerator: float, denominator: float) -> float:
    return round(numerator / denominator, 3) if denominator else 0.0


def blocks(outcomes: Sequence[DayOutcome], count: int = BLOCKS) -> list[dict[str, object]]:
    """The figures per chronological block of days."""
    table = []
    for part in np.array_split(np.arange(len(outcomes)), min(count, len(outcomes))):
        days = [outcomes[i] for i in part]
        relevant = sum(d.relevant for d in days)
        found = sum(d.proposed_relevant + d.flagged_relevant for d in days)
        shown = sum(d.proposed + d.flagged for d in days)
        table.append(
            {
                "days": f"{days[0].date}..{days[-1].date}",
                "relevant": relevant,
                "proposed": sum(d.proposed for d in days),
                "precision": _ratio(sum(d.proposed_relevant for d in days), sum(d.proposed for d in days)),
                "recall": _ratio(sum(d.proposed_relevant for d in days), relevant),
                "recall_with_flagged": _ratio(found, relevant),
                "section_accuracy": _ratio(sum(d.section_right for d in days), sum(d.section_labelled for d in days)),
                "read_per_found": _ratio(shown, found),
                "model": days[-1].model,
            }
        )
    return table


def replay_inputs(
    rows: Sequence[EvalRow], judged: Sequence[EvalRow], days: Mapping[str, Sequence[str]], awesome: AwesomeList
) -> tuple[list[tuple[str, list[EvalRow]]], list[tuple[Paper, str]], list[Paper]]:
    """The labelled days, the list's entries with their records, and the unlabelled papers (neither judged
    nor listed) from the papers file."""
    by_id = {r.paper.arxiv_id: r for r in judged}
    labelled_days = [(day, [by_id[i] for i in ids if i in by_id]) for day, ids in sorted(days.items())]
    records = {r.paper.arxiv_id: r.paper for r in rows}
    listed = [(records[e.arxiv_id], e.section_path) for e in awesome.entries if e.arxiv_id in records]
    unlabelled = [r.paper for r in rows if r.paper.arxiv_id not in by_id and r.paper.arxiv_id not in awesome.arxiv_ids]
    return labelled_days, listed, unlabelled
