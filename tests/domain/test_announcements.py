import datetime as dt
from pathlib import Path

from curatorbot.domain.announcements import build_announcement, expected_announcement, not_in_list
from curatorbot.domain.awesome_list import AwesomeList
from curatorbot.domain.models import FeedSnapshot, Paper
from curatorbot.services.state import FeedState

UTC = dt.UTC


def paper(arxiv_id: str, kind: str = "new", day: dt.date = dt.date(2025, 3, 4), title: str = "") -> Paper:
    return Paper(arxiv_id=arxiv_id, title=title or f"Paper {arxiv_id}", announce_type=kind, announced=day)  # type: ignore[arg-type]


def snapshot(category: str, *papers: Paper) -> FeedSnapshot:
    return FeedSnapshot(
        category=category,
        announced=max((p.announced for p in papers if p.announced), default=None),
        papers=papers,
    )


def test_expected_announcement_by_weekday_and_hour() -> None:
    # Tuesday 2025-03-04 at 06:00 UTC: that day's feed is out.
    assert expected_announcement(dt.datetime(2025, 3, 4, 6, tzinfo=UTC)) == dt.date(2025, 3, 4)
    # Tuesday at 02:00 UTC: still Monday's.
    assert expected_announcement(dt.datetime(2025, 3, 4, 2, tzinfo=UTC)) == dt.date(2025, 3, 3)
    # Saturday and Sunday: Friday's.
    assert expected_announcement(dt.datetime(2025, 3, 8, 12, tzinfo=UTC)) == dt.date(2025, 3, 7)
    assert expected_announcement(dt.datetime(2025, 3, 9, 23, tzinfo=UTC)) == dt.date(2025, 3, 7)


def test_normal_day_merges_categories_and_sets_replacements_aside() -> None:
    now = dt.datetime(2025, 3, 4, 6, tzinfo=UTC)
    ir = snapshot("cs.IR", paper("2503.00001"), paper("2503.00002", "cross"), paper("2401.00001", "replace"))
    cl = snapshot("cs.CL", paper("2503.00002"), paper("2503.00001", "cross"))
    day = build_announcement([ir, cl], now=now, last_seen=None)
    assert day.state == "normal" and day.announced == dt.date(2025, 3, 4)
    assert {p.arxiv_id: p.announce_type for p in day.papers} == {"2503.00001": "new", "2503.00002": "new"}
    assert [p.arxiv_id for p in day.replacements] == ["2401.00001"]
    with_replacements = build_announcement([ir], now=now, last_seen=None, include_replacements=True)
    assert {p.arxiv_id for p in with_replacements.papers} == {"2503.00001", "2503.00002", "2401.00001"}


def test_quiet_day() -> None:
    day = build_announcement([snapshot("cs.IR")], now=dt.datetime(2025, 3, 8, 6, tzinfo=UTC), last_seen=None)
    assert (day.state, day.papers) == ("quiet", ())
    assert "weekend or holiday" in day.state_reason


def test_stale_when_already_processed() -> None:
    feed = snapshot("cs.IR", paper("2503.00001"))
    day = build_announcement([feed], now=dt.datetime(2025, 3, 4, 6, tzinfo=UTC), last_seen=dt.date(2025, 3, 4))
    assert (day.state, day.papers) == ("stale", ())
    assert "already processed" in day.state_reason


def test_stale_when_older_than_expected() -> None:
    feed = snapshot("cs.IR", paper("2503.00001", day=dt.date(2025, 3, 3)))
    day = build_announcement([feed], now=dt.datetime(2025, 3, 5, 6, tzinfo=UTC), last_seen=None)
    assert day.state == "stale" and "2025-03-05 was expected" in day.state_reason


def test_not_in_list_by_id_and_title(real_list_text: str) -> None:
    awesome = AwesomeList.parse(real_list_text)
    papers = [
        paper("2305.00447"),
        paper(
            "2599.00001",
            title="TALLRec: an effective and efficient tuning framework to align large language model with recommendation",
        ),
        paper("2599.00002"),
    ]
    fresh, known = not_in_list(papers, awesome)
    assert [p.arxiv_id for p in fresh] == ["2599.00002"]
    assert [p.arxiv_id for p in known] == ["2305.00447", "2599.00001"]


def test_feed_state_round_trip(tmp_path: Path) -> None:
    state = FeedState(tmp_path / "state" / "feed.json")
    assert state.last_seen(["cs.IR"]) is None
    state.record(["cs.IR", "cs.CL"], dt.date(2025, 3, 4))
    assert state.last_seen(["cs.CL", "cs.IR"]) == dt.date(2025, 3, 4)
    assert state.last_seen(["cs.IR"]) is None


def test_missed_announcement_days_are_the_weekdays_between_the_last_finished_and_the_feeds() -> None:
    from curatorbot.domain.announcements import missed_announcements

    thursday, tuesday = dt.date(2025, 3, 6), dt.date(2025, 3, 11)
    assert missed_announcements(thursday, tuesday) == [dt.date(2025, 3, 7), dt.date(2025, 3, 10)]  # Fri, Mon
    assert missed_announcements(dt.date(2025, 3, 10), dt.date(2025, 3, 11)) == []  # the next day: none missed
    assert missed_announcements(None, tuesday) == [] and missed_announcements(thursday, None) == []
