"""The day's announcements over the watched categories, and whether the day is normal, quiet or stale.

arXiv announces Sunday to Thursday at 20:00 US Eastern; the feed then carries the next day's date
(Monday to Friday). Weekends and holidays give an empty feed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence

from curatorbot.domain.awesome_list import AwesomeList, normalize_title
from curatorbot.domain.models import Announcement, FeedSnapshot, Paper

# The feed for day D appears at 00:00 US Eastern on D: 04:00 or 05:00 UTC. Five hours covers both.
_FEED_LAG = dt.timedelta(hours=5)


def expected_announcement(now: dt.datetime) -> dt.date:
    """The newest announcement date the feed should carry at `now` (UTC)."""
    day = (now.astimezone(dt.UTC) - _FEED_LAG).date()
    while day.weekday() >= 5:  # Saturday, Sunday: Friday's announcement is the latest
        day -= dt.timedelta(days=1)
    return day


def missed_announcements(last_seen: dt.date | None, announced: dt.date | None) -> list[dt.date]:
    """The announcement days (Monday to Friday) after the last one a run finished and before the one the
    feed shows now: a failed, cancelled or cut-off night's days, whose papers the feed no longer carries."""
    if last_seen is None or announced is None:
        return []
    days = []
    day = last_seen + dt.timedelta(days=1)
    while day < announced:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def build_announcement(
    snapshots: Sequence[FeedSnapshot],
    now: dt.datetime,
    last_seen: dt.date | None,
    include_replacements: bool = False,
) -> Announcement:
    """Merge the categories' feeds (a cross-list appears in several) and judge the day."""
    papers: dict[str, Paper] = {}
    replacements: dict[str, Paper] = {}
    for snapshot in snapshots:
        for paper in snapshot.papers:
            target = replacements if paper.announce_type in ("replace", "replace-cross") else papers
            if paper.announce_type == "new" or paper.arxiv_id not in target:
                target[paper.arxiv_id] = paper  # a "new" entry wins over a cross-list of the same paper
    if include_replacements:
        papers.update({k: v for k, v in replacements.items() if k not in papers})
        replacements = {}
    announced = max((s.announced for s in snapshots if s.announced), default=None)
    warnings = tuple(w for s in snapshots for w in s.warnings)
    categories = tuple(s.category for s in snapshots)
    expected = expected_announcement(now)

    if not papers and not replacements:
        state, reason = "quiet", "no announcements (weekend or holiday)"
    elif announced is not None and last_seen is not None and announced <= last_seen:
        state, reason = "stale", f"the feed still shows {announced}, which the last run already processed"
    elif announced is not None and announced < expected:
        state, reason = (
            "stale",
            f"the feed shows {announced} but {expected} was expected; nothing reprocessed",
        )
    else:
        state, reason = "normal", f"{len(papers)} new and cross-listed papers announced {announced}"
    if state == "stale":
        papers, replacements = {}, {}
    return Announcement(
        announced=announced,
        categories=categories,
        state=state,
        state_reason=reason,
        papers=tuple(papers.values()),
        replacements=tuple(replacements.values()),
        warnings=warnings,
        complete=all(s.complete for s in snapshots),
    )


def not_in_list(
    papers: Sequence[Paper], awesome: AwesomeList, also_known: Collection[str] = ()
) -> tuple[list[Paper], list[Paper]]:
    """Split papers into (candidates, known): known by arXiv id or normalised title in the list, or by an
    id in `also_known` (proposed in the open bot PR, or rejected)."""
    ids = awesome.arxiv_ids | set(also_known)
    titles = awesome.norm_titles
    fresh: list[Paper] = []
    known: list[Paper] = []
    for paper in papers:
        (known if paper.arxiv_id in ids or normalize_title(paper.title) in titles else fresh).append(paper)
    return fresh, known
