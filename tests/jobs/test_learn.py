"""The learn job over its services: arXiv asked once per paper and per month, nothing written on failure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from conftest import REAL_LIST, TEST_CONFIG
from curatorbot.config import Settings, load_settings
from curatorbot.domain.awesome_list import AwesomeList
from curatorbot.domain.errors import ArxivError
from curatorbot.domain.models import Paper
from curatorbot.jobs.learn import LearnRequest, LearnServices, listed_records, run_learn, unlabelled_sample
from curatorbot.services.paper_store import PaperStore


class FakeArxiv:
    def __init__(self, down: bool = False) -> None:
        self.down = down
        self.looked_up: list[list[str]] = []
        self.searched: list[tuple[dt.date, dt.date]] = []

    def lookup(self, ids: Sequence[str]) -> list[Paper]:
        if self.down:
            raise ArxivError("arXiv could not connect (ConnectError) after 5 attempts")
        self.looked_up.append(list(ids))
        return [Paper(arxiv_id=i, title=f"Paper {i}") for i in ids]

    def search(self, query: str, first: dt.date, last: dt.date) -> list[Paper]:
        self.searched.append((first, last))
        return [Paper(arxiv_id=f"{first:%y%m}.{n:05d}", title=f"Unlabelled {n}") for n in range(150)]


def services(arxiv: FakeArxiv, tmp_path: Path, written: list[Mapping[str, bytes]]) -> LearnServices:
    return LearnServices(
        lookup=arxiv.lookup,
        search=arxiv.search,
        records=PaperStore(tmp_path / "records"),
        decisions=None,
        read_model=dict,
        write_model=written.append,
    )


def settings(papers: int = 200) -> Settings:
    base = load_settings(TEST_CONFIG)
    return base.model_copy(update={"learn": base.learn.model_copy(update={"unlabelled_papers": papers})})


def test_records_and_months_are_read_from_arxiv_once(tmp_path: Path) -> None:
    arxiv, awesome = FakeArxiv(), AwesomeList.parse(REAL_LIST.read_text(encoding="utf-8"))
    ids = sorted({e.arxiv_id for e in awesome.entries if e.arxiv_id})
    request = LearnRequest(today=dt.date(2025, 4, 10), list_name="x")
    first = listed_records(awesome, ids, services(arxiv, tmp_path, []))
    again = listed_records(awesome, ids, services(arxiv, tmp_path, []))
    assert first == again and len(first) == 161 and arxiv.looked_up == [ids]  # the second run asks nothing
    sample = unlabelled_sample(settings(), request, services(arxiv, tmp_path, []))
    # A quarter at a time, back from the last complete month (March), until 200 are gathered.
    assert arxiv.searched == [
        (dt.date(2025, 1, 1), dt.date(2025, 3, 31)),
        (dt.date(2024, 10, 1), dt.date(2024, 12, 31)),
    ]
    assert len(sample) == 200 and sample[0].arxiv_id == "2501.00149"  # the newest first
    unlabelled_sample(settings(), request, services(arxiv, tmp_path, []))
    assert len(arxiv.searched) == 2  # a complete quarter is searched once
    since = LearnRequest(today=dt.date(2025, 4, 10), list_name="x", since=dt.date(2025, 3, 1))
    assert len(unlabelled_sample(settings(), since, services(arxiv, tmp_path, []))) == 150  # nothing before --since
    assert arxiv.searched[-1] == (dt.date(2025, 3, 1), dt.date(2025, 3, 31))


def test_arxiv_down_during_learn_writes_nothing(tmp_path: Path) -> None:
    written: list[Mapping[str, bytes]] = []
    awesome = AwesomeList.parse(REAL_LIST.read_text(encoding="utf-8"))
    with pytest.raises(ArxivError, match="could not connect"):
        run_learn(
            awesome,
            settings(),
            LearnRequest(today=dt.date(2025, 4, 10), list_name="x"),
            services(FakeArxiv(down=True), tmp_path, written),
        )
    assert written == []  # the old model stays


def test_if_changed_learns_only_for_new_inputs_weekly_at_most_or_when_asked(tmp_path: Path) -> None:
    from curatorbot.classify.list_model import ListModel, ModelCard
    from curatorbot.classify.relevance import RelevanceModel
    from curatorbot.jobs.learn import inputs_digest

    awesome = AwesomeList.parse(REAL_LIST.read_text(encoding="utf-8"))
    config = settings()
    card = ModelCard(
        "x", tuple(config.section_paths), "2025-04-08", {}, {}, 0.1, "abc", inputs_digest(awesome, [], config)
    )
    current = ListModel(RelevanceModel.load(), None, card).to_files()
    arxiv = FakeArxiv(down=True)  # learning now would fail: a skipped run never asks arXiv
    learn = services(arxiv, tmp_path, [])
    learn = LearnServices(**{**learn.__dict__, "read_model": lambda: current})

    def request(today: dt.date, asked: bool = False) -> LearnRequest:
        return LearnRequest(today=today, list_name="x", if_changed=True, asked=asked)

    same = run_learn(awesome, config, request(dt.date(2025, 6, 1)), learn)
    assert same.model is None and same.skipped == "the list and the decisions are as learned: up to date"
    grown = AwesomeList.parse(
        REAL_LIST.read_text(encoding="utf-8") + "\n+ New, arxiv 2025, [[paper]](https://arxiv.org/pdf/2504.00001).\n"
    )
    soon = run_learn(grown, config, request(dt.date(2025, 4, 10)), learn)
    assert soon.skipped == "learned 2 days ago: retrained weekly at most, next on 2025-04-15"
    with pytest.raises(ArxivError):  # a week later, or when a maintainer asks, it learns (and here arXiv is down)
        run_learn(grown, config, request(dt.date(2025, 4, 15)), learn)
    with pytest.raises(ArxivError):
        run_learn(grown, config, request(dt.date(2025, 4, 10), asked=True), learn)
