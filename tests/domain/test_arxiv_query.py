import datetime as dt

import pytest

from curatorbot.config import CatchUpSettings
from curatorbot.domain.arxiv_query import build_query, parse_month_or_day, window_of, windows
from curatorbot.domain.errors import ConfigError, UsageError
from fakes.arxiv_query import compile_query, search

TERMS = CatchUpSettings(recommendation_terms=("recommender", "collaborative filtering"), language_model_terms=("LLM",))


def test_the_query_ands_categories_and_both_term_lists_with_phrases_quoted() -> None:
    assert build_query(TERMS, ("cs.IR", "cs.CL")) == (
        "(cat:cs.IR OR cat:cs.CL) AND "
        '(ti:recommender OR abs:recommender OR ti:"collaborative filtering" OR abs:"collaborative filtering") AND '
        "(ti:LLM OR abs:LLM)"
    )


def test_a_configured_query_replaces_the_terms_and_keeps_the_categories() -> None:
    settings = CatchUpSettings(query='abs:"semantic IDs" ANDNOT ti:survey')
    assert build_query(settings, ("cs.IR",)) == '(cat:cs.IR) AND (abs:"semantic IDs" ANDNOT ti:survey)'


def test_a_term_arxiv_cannot_quote_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"catch_up terms: 'LLM\"s'"):
        build_query(CatchUpSettings(recommendation_terms=("rec",), language_model_terms=('LLM"s',)), ("cs.IR",))


def test_one_term_list_without_the_other_is_refused() -> None:
    with pytest.raises(ValueError, match="give both"):
        CatchUpSettings(recommendation_terms=("recommender",))


def test_months_are_cut_to_the_days_asked() -> None:
    found = windows(dt.date(2024, 11, 15), dt.date(2025, 1, 10), "month")
    assert [(w.key, w.first_day.isoformat(), w.last_day.isoformat()) for w in found] == [
        ("2024-11", "2024-11-15", "2024-11-30"),
        ("2024-12", "2024-12-01", "2024-12-31"),
        ("2025-01", "2025-01-01", "2025-01-10"),
    ]
    assert found[0].branch("curatorbot/catch-up-") == "curatorbot/catch-up-2024-11"


def test_weeks_are_iso_weeks() -> None:
    week = window_of(dt.date(2024, 12, 31), "week")
    assert (week.key, week.first_day, week.last_day) == ("2025-W01", dt.date(2024, 12, 30), dt.date(2025, 1, 5))


def test_month_and_day_arguments() -> None:
    assert parse_month_or_day("2024-02") == dt.date(2024, 2, 1)
    assert parse_month_or_day("2024-02", end=True) == dt.date(2024, 2, 29)
    assert parse_month_or_day("2024-05-17") == dt.date(2024, 5, 17)
    with pytest.raises(UsageError, match=r"'May 2024' is not a month or a day; write YYYY-MM"):
        parse_month_or_day("May 2024")
    with pytest.raises(UsageError, match="before"):
        windows(dt.date(2025, 1, 1), dt.date(2024, 1, 1), "month")


# ---- the stand-in's query evaluator (tests/fakes/arxiv_query.py), which the lifecycle tests rely on ----

PAPERS = [
    {
        "id": "1",
        "title": "LLM-based Recommender",
        "abstract": "We use GPT.",
        "categories": ["cs.IR"],
        "published": "2025-03-02",
    },
    {
        "id": "2",
        "title": "Graph recommender survey",
        "abstract": "Collaborative filtering.",
        "categories": ["cs.IR"],
        "published": "2025-03-09",
    },
    {
        "id": "3",
        "title": "Dense retrieval",
        "abstract": "A language model for search.",
        "categories": ["cs.CL"],
        "published": "2025-04-01",
    },
]


@pytest.mark.parametrize(
    ("query", "ids"),
    [
        ("ti:llm", ["1"]),  # case-insensitive, and hyphens split words
        ("abs:recommender", []),  # a field is only that field
        ("ti:recommend", []),  # whole words, no stemming
        ('abs:"collaborative filtering"', ["2"]),
        ('abs:"filtering collaborative"', []),
        ("cat:cs.IR ANDNOT ti:survey", ["1"]),
        ("(ti:llm OR ti:retrieval) AND cat:cs.CL", ["3"]),
        ("cat:cs.IR AND submittedDate:[202503050000 TO 202503312359]", ["2"]),
    ],
)
def test_the_stand_in_reads_arxivs_query_language(query: str, ids: list[str]) -> None:
    assert [p["id"] for p in search([dict(p) for p in PAPERS], query)] == ids


def test_the_stand_in_refuses_a_malformed_query() -> None:
    for bad in ("(ti:llm", "ti:llm AND", "xx:llm"):
        with pytest.raises(ValueError):
            compile_query(bad)
