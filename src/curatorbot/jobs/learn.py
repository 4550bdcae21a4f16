"""`curatorbot learn`: the list's own local model, from its entries (with their arXiv records), its
maintainers' calls on the bot's pull requests, unlabelled recent papers of its categories and, where there
are any, hand-judged days. Nothing is written unless the whole model was learned: arXiv failing midway
leaves the old model in place.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from curatorbot.classify.list_model import ListModel
from curatorbot.config import Settings
from curatorbot.domain.awesome_list import AwesomeList
from curatorbot.domain.errors import ModelFileError
from curatorbot.domain.models import Paper
from curatorbot.services.interface import PaperRecords

if TYPE_CHECKING:
    from curatorbot.classify.list_learning import Judged


MAX_MONTHS_BACK = 24  # unlabelled papers older than two years say little about what is announced now
MONTHS_A_SEARCH = 3


@dataclass(frozen=True)
class LearnServices:
    lookup: Callable[[Sequence[str]], Sequence[Paper]]  # arXiv records by id (the client batches them)
    search: Callable[[str, dt.date, dt.date], Sequence[Paper]]  # arXiv's search API over a range of days
    records: PaperRecords
    decisions: Callable[[], Sequence[Mapping[str, object]]] | None  # the maintainers' calls, oldest first
    read_model: Callable[[], Mapping[str, bytes]]
    write_model: Callable[[Mapping[str, bytes]], None]


RETRAIN_DAYS = 7  # with --if-changed, a model is learned again at most weekly


@dataclass(frozen=True)
class LearnRequest:
    today: dt.date
    list_name: str
    since: dt.date | None = None  # unlabelled papers from this month on (default: as many months as needed)
    dry_run: bool = False
    if_changed: bool = False  # learn only when the inputs changed (weekly at most) or the model is missing
    asked: bool = False  # a maintainer asked for it now (the dashboard's box): no weekly wait


@dataclass(frozen=True)
class LearnResult:
    model: ListModel | None  # None: nothing to learn now (see `skipped`)
    previous: str | None  # the sha of the model it replaces, if one was readable
    written: bool
    skipped: str = ""


def inputs_digest(awesome: AwesomeList, decisions: Sequence[Mapping[str, object]], settings: Settings) -> str:
    """What a model is learned from, as one digest: the list's text, the maintainers' calls, the sections and
    categories. The same digest means the same model would be learned."""
    digest = hashlib.sha256(awesome.to_markdown().encode("utf-8"))
    digest.update(
        json.dumps([list(decisions), settings.section_paths, settings.arxiv.categories], default=str).encode()
    )
    return digest.hexdigest()[:16]


def listed_records(awesome: AwesomeList, ids: Sequence[str], services: LearnServices) -> dict[str, Paper]:
    """arXiv records of these papers: from the store first, the rest from arXiv (then stored)."""
    known = services.records.records(ids)
    missing = [i for i in ids if i not in known]
    if missing:
        fetched = list(services.lookup(missing))
        services.records.put_records(fetched)
        known.update({p.arxiv_id: p for p in fetched})
    return known


def unlabelled_sample(settings: Settings, request: LearnRequest, services: LearnServices) -> list[Paper]:
    """Recent papers of the list's categories, a quarter at a time back from the last complete month (or
    from `since` on), until `learn.unlabelled_papers` are gathered; a complete quarter is searched once, in
    pages of up to a thousand papers."""
    query = " OR ".join(f"cat:{c}" for c in settings.arxiv.categories)
    wanted = settings.learn.unlabelled_papers
    papers: dict[str, Paper] = {}
    last = request.today.replace(day=1) - dt.timedelta(days=1)
    for _ in range(MAX_MONTHS_BACK // MONTHS_A_SEARCH):
        first = last.replace(day=1)
        for _ in range(MONTHS_A_SEARCH - 1):
            first = (first - dt.timedelta(days=1)).replace(day=1)
        if request.since is not None:
            first = max(first, request.since.replace(day=1))
        if len(papers) >= wanted or first > last:
            break
        key = f"{first:%Y-%m}..{last:%Y-%m}"
        found = services.records.month(query, key)
        if found is None:
            found = list(services.search(query, first, last))
            services.records.put_month(query, key, found)
        for paper in sorted(found, key=lambda p: p.arxiv_id, reverse=True):
            papers.setdefault(paper.arxiv_id, paper)
        last = first - dt.timedelta(days=1)
    return sorted(papers.values(), key=lambda p: p.arxiv_id, reverse=True)[:wanted]


def judged_sources(settings: Settings) -> list[Judged]:
    """The hand-judged days named in config (the shipped list keeps its own), as learning examples."""
    from curatorbot.classify.list_learning import Judged
    from curatorbot.jobs.evaluation import load_judged, load_rows

    if settings.learn.judged is None or settings.learn.judged_papers is None:
        return []
    rows = load_rows(settings.learn.judged_papers)
    judged, days = load_judged(settings.learn.judged, rows)
    day_of = {i: d.date for d in days for i in d.ids}
    return [Judged(r.paper, bool(r.relevant), r.section, day_of.get(r.paper.arxiv_id, "")) for r in judged]


def run_learn(awesome: AwesomeList, settings: Settings, request: LearnRequest, services: LearnServices) -> LearnResult:
    from curatorbot.classify.list_learning import LearningSources, final_calls, learn_model

    listed_ids = sorted({e.arxiv_id for e in awesome.entries if e.arxiv_id})
    decisions = list(services.decisions()) if services.decisions else []
    inputs = inputs_digest(awesome, decisions, settings)
    try:
        current: ListModel | None = ListModel.from_files(
            services.read_model(), str(settings.learn.model_dir), request.list_name, settings.section_paths
        )
    except ModelFileError:
        current = None  # missing, damaged or another list's: learned now, whatever the flags say
    if request.if_changed and current is not None and not request.asked:
        if current.card.inputs == inputs:
            return LearnResult(None, current.card.sha, False, "the list and the decisions are as learned: up to date")
        age = (request.today - dt.date.fromisoformat(current.card.learned)).days
        if age < RETRAIN_DAYS:
            due = dt.date.fromisoformat(current.card.learned) + dt.timedelta(days=RETRAIN_DAYS)
            return LearnResult(
                None, current.card.sha, False, f"learned {age} days ago: retrained weekly at most, next on {due}"
            )
    decided_ids = sorted(set(final_calls(decisions)) - set(listed_ids))
    records = listed_records(awesome, [*listed_ids, *decided_ids], services)
    listed = [(records[e.arxiv_id], e.section_path) for e in awesome.entries if e.arxiv_id in records]
    sources = LearningSources(
        listed=listed,
        decisions=decisions,
        decided={i: records[i] for i in decided_ids if i in records},
        unlabelled=unlabelled_sample(settings, request, services),
        judged=judged_sources(settings),
    )
    learned = learn_model(sources, settings.section_paths, request.list_name, request.today)
    model = replace(learned, card=replace(learned.card, inputs=inputs))
    if not request.dry_run:
        services.write_model(model.to_files())
    return LearnResult(model, current.card.sha if current else None, written=not request.dry_run)
