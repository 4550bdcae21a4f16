"""The arXiv adapter against recordings of the local arXiv stand-in (real papers in arXiv's formats)."""

import datetime as dt
import json
from typing import Any

import pytest

from conftest import DATA, TEST_CONFIG
from curatorbot.config import load_settings
from curatorbot.domain.arxiv_id import ArxivId
from curatorbot.domain.arxiv_query import build_query
from curatorbot.domain.errors import ArxivError, ArxivNotFoundError
from curatorbot.services import arxiv as arxiv_client
from curatorbot.services.arxiv import ArxivClient

DAYS = {
    row["date"]: row for row in map(json.loads, (DATA / "eval" / "listing_days.sample.jsonl").read_text().splitlines())
}
NORMAL_DAY = dt.date(2025, 3, 4)


def make_client(**overrides: Any) -> ArxivClient:
    settings = load_settings()
    client = ArxivClient(settings.arxiv.model_copy(update=overrides))
    client.http.sleep = lambda seconds: None  # retries need not wait in replay
    return client


@pytest.mark.vcr
def test_feed_of_a_normal_day(arxiv_standin: Any) -> None:
    arxiv_standin(NORMAL_DAY, DAYS["2025-03-04"]["ids"])
    snapshot = make_client().feed("cs.IR")
    assert snapshot.announced == NORMAL_DAY
    assert len(snapshot.papers) == 31  # one id of the day has no abstract in the data set
    # The day's papers carry no categories in the data set, so the stand-in announces them as cs.IR's
    # own; cross-lists are covered by the real cs.AI feed in test_arxiv_atom.py.
    assert {p.announce_type for p in snapshot.papers} == {"new"}
    assert snapshot.warnings == ()
    assert all(p.abstract and p.title and p.authors for p in snapshot.papers)


@pytest.mark.vcr
def test_lookup_batches_ids_and_reports_missing(arxiv_standin: Any) -> None:
    arxiv_standin(None, [])
    ids = [ArxivId("2503.01711"), ArxivId("2305.00447", 2), ArxivId("2503.00001"), ArxivId("2412.12836")]
    client = make_client(batch_size=2)
    lookup = client.lookup(ids)
    assert [p.arxiv_id for p in lookup.papers] == ["2503.01711", "2305.00447", "2412.12836"]
    assert lookup.missing == ("2503.00001",)
    assert lookup.papers[1].title.startswith("TALLRec")
    assert client.http.requests_sent == 2  # four ids, two per request
    with pytest.raises(ArxivNotFoundError, match=r"arXiv has no paper 2503\.00001; check the id"):
        lookup.raise_for_missing()


# Searches are form POSTs: pages differ only in their body.
SEARCH = {"match_on": ["method", "scheme", "host", "port", "path", "query", "body"]}


@pytest.mark.vcr(**SEARCH)
def test_backfill_search_follows_pages(arxiv_standin: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    arxiv_standin(None, DAYS["2025-03-04"]["ids"])
    monkeypatch.setattr(arxiv_client, "SEARCH_PAGE_SIZE", 10)
    client = make_client()
    papers = client.search("cat:cs.IR", dt.date(2025, 3, 3), dt.date(2025, 3, 4))
    # The stand-in's archive holds 41 cs.IR papers submitted on those two days: five pages of ten.
    assert len(papers) == 41 and len({p.arxiv_id for p in papers}) == 41
    assert all(dt.date(2025, 3, 3) <= p.published <= dt.date(2025, 3, 4) for p in papers if p.published)
    assert client.http.requests_sent == 5


def test_backfill_range_must_be_ordered() -> None:
    with pytest.raises(ArxivError, match="ends"):
        make_client().search("cat:cs.IR", dt.date(2025, 3, 4), dt.date(2025, 3, 3))


@pytest.mark.vcr
def test_429_then_success(arxiv_standin: Any) -> None:
    arxiv_standin(NORMAL_DAY, DAYS["2025-03-04"]["ids"], failures=[429])
    client = make_client()
    assert len(client.feed("cs.IR").papers) == 31
    assert client.http.requests_sent == 2


CATCH_UP_QUERY = build_query(load_settings(TEST_CONFIG).catch_up, ("cs.IR",))
MARCH = (dt.date(2025, 3, 1), dt.date(2025, 3, 31))


@pytest.mark.vcr(**SEARCH)
def test_catch_up_search_pages_through_a_month_in_submission_order(
    arxiv_standin: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    arxiv_standin(None, [])
    monkeypatch.setattr(arxiv_client, "SEARCH_PAGE_SIZE", 5)
    client = make_client()
    papers = client.search(CATCH_UP_QUERY, *MARCH)
    # The stand-in evaluates the real query over the sample archive: 11 of its March papers match.
    assert len(papers) == 11 and len({p.arxiv_id for p in papers}) == 11
    assert client.http.requests_sent == 3
    dates = [p.published for p in papers]
    assert dates == sorted(dates) and all(MARCH[0] <= d <= MARCH[1] for d in dates if d)
    text = [f"{p.title} {p.abstract}".lower() for p in papers]
    assert all("recommend" in t or "personaliz" in t or "ctr" in t or "user" in t for t in text)


@pytest.mark.vcr(**SEARCH)
def test_an_empty_window_is_one_request_and_no_papers(arxiv_standin: Any) -> None:
    arxiv_standin(None, [])
    client = make_client()
    assert client.search(CATCH_UP_QUERY, dt.date(2025, 4, 1), dt.date(2025, 4, 30)) == []
    assert client.http.requests_sent == 1


@pytest.mark.vcr(**SEARCH)
def test_a_window_past_the_result_cap_is_split_until_every_part_fits(
    arxiv_standin: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # arXiv caps a result list at 30,000; the stand-in applies the same rule at 8, so a month exceeds it.
    standin = arxiv_standin(None, [])
    standin.results_cap = 8
    monkeypatch.setattr(arxiv_client, "SEARCH_RESULTS_CAP", 8)
    client = make_client()
    papers = client.search(CATCH_UP_QUERY, *MARCH)
    assert client.http.requests_sent == 11  # the month (11 > 8), then halves of halves until each part fits
    assert len(papers) == 11 and len({p.arxiv_id for p in papers}) == 11


@pytest.mark.vcr(**SEARCH)
def test_one_day_past_the_cap_is_a_one_line_error(arxiv_standin: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    standin = arxiv_standin(None, [])
    standin.results_cap = 1
    monkeypatch.setattr(arxiv_client, "SEARCH_RESULTS_CAP", 1)
    with pytest.raises(ArxivError, match=r"past its cap of 1; narrow catch_up.query"):
        make_client().search("cat:cs.IR", dt.date(2025, 3, 3), dt.date(2025, 3, 3))


@pytest.mark.vcr(**SEARCH)
def test_503_then_success_during_a_search(arxiv_standin: Any) -> None:
    arxiv_standin(None, [], failures=[503])
    client = make_client()
    assert len(client.search(CATCH_UP_QUERY, *MARCH)) == 11
    assert client.http.requests_sent == 2


@pytest.mark.vcr(**SEARCH)
def test_a_query_arxiv_cannot_read_names_the_setting(arxiv_standin: Any) -> None:
    arxiv_standin(None, [])
    with pytest.raises(ArxivError, match=r"check catch_up.query"):
        make_client().search("ti:(unclosed", *MARCH)


@pytest.mark.vcr(**SEARCH)
def test_an_empty_page_mid_window_is_asked_again_not_taken_as_the_end(
    arxiv_standin: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    standin = arxiv_standin(None, [])
    standin.empty_pages = 2  # arXiv's "HTTP 200, 0 entries" fault on the second page, twice
    monkeypatch.setattr(arxiv_client, "SEARCH_PAGE_SIZE", 5)
    client = make_client()
    assert len(client.search(CATCH_UP_QUERY, *MARCH)) == 11
    assert client.http.requests_sent == 5


@pytest.mark.vcr(**SEARCH)
def test_a_window_whose_pages_stay_empty_is_an_error_never_a_short_window(
    arxiv_standin: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    standin = arxiv_standin(None, [])
    standin.empty_pages = 10
    monkeypatch.setattr(arxiv_client, "SEARCH_PAGE_SIZE", 5)
    with pytest.raises(ArxivError, match=r"empty pages at result 5 of 11 .* nothing is marked searched"):
        make_client().search(CATCH_UP_QUERY, *MARCH)
