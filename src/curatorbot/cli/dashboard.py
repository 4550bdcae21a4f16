"""Wiring the dashboard issue into the commands that write: its state as the feed memory at the start of a
run, and what the run did written back at its end (a failed run too, whenever GitHub is reachable)."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass

from curatorbot.config import Settings
from curatorbot.domain.arxiv_id import ArxivId
from curatorbot.domain.dashboard import DashboardState, FeedRecord, RunRecord, feed_key, render_dashboard
from curatorbot.domain.errors import CuratorbotError
from curatorbot.domain.models import Paper
from curatorbot.jobs.dashboard import (
    Dashboard,
    DashboardMemory,
    dashboard_view,
    read_dashboard,
    save_dashboard,
    with_decisions,
)
from curatorbot.services.github import GitHubRepo
from curatorbot.services.interface import FeedMemory
from curatorbot.services.state import FeedState


def open_dashboard(repo: GitHubRepo | None, settings: Settings) -> Dashboard | None:
    """The dashboard when it is on and there is a repository; its notes are printed once."""
    if repo is None or not settings.dashboard.enabled:
        return None
    dashboard = read_dashboard(repo, settings)
    for note in [*dashboard.notes, *([dashboard.paused] if dashboard.paused else [])]:
        print(f"curatorbot: dashboard: {note}", file=sys.stderr)
    if dashboard.issue is None:  # the first time: what the state file (the Actions cache) holds moves over
        dashboard.state = seeded_from_file(settings)
    return dashboard


def seeded_from_file(settings: Settings) -> DashboardState:
    state_file = FeedState(settings.arxiv.state_file)
    categories = settings.arxiv.categories
    last_seen = state_file.last_seen(categories)
    carried = state_file.carried(categories)
    feed = FeedRecord(
        last_seen=last_seen.isoformat() if last_seen else None,
        deferred=tuple(p.arxiv_id for p in carried.deferred),
        flagged=carried.flagged,
    )
    noted = dict.fromkeys(state_file.noted_new_versions(), "")
    return DashboardState(feeds={feed_key(categories): feed}, new_versions=noted)


def feed_memory(
    dashboard: Dashboard | None, settings: Settings, lookup: LookupById, taken: Sequence[str] = ()
) -> FeedMemory:
    """The dashboard's state when it can be written, else the state file (dashboard off, closed, locked)."""
    if dashboard is None or dashboard.paused:
        return FeedState(settings.arxiv.state_file)
    return DashboardMemory(dashboard.state, lookup, taken)


@dataclass(frozen=True)
class LookupById:
    """Deferred papers kept by id on the dashboard, read again from arXiv's API (50 ids a request)."""

    settings: Settings

    def __call__(self, ids: Sequence[str]) -> list[Paper]:
        from curatorbot.services.arxiv import ArxivClient

        with ArxivClient(self.settings.arxiv) as arxiv:
            found = arxiv.lookup([ArxivId(i) for i in ids]).papers
        return [p.model_copy(update={"announce_type": "new"}) for p in found]


def actions_run_url() -> str:
    names = ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID")
    server, repository, run_id = (os.environ.get(name, "") for name in names)
    return f"{server}/{repository}/actions/runs/{run_id}" if server and repository and run_id else ""


def finish_dashboard(
    repo: GitHubRepo,
    settings: Settings,
    dashboard: Dashboard,
    state: DashboardState,
    record: RunRecord,
    today: dt.date,
    dry_run: bool,
    proposed: int = 0,
) -> None:
    """Write what the run did to the dashboard (print it on a dry run). Best effort: the pull request is
    written already, and a dashboard GitHub refuses now is repaired by the next run."""
    from curatorbot.jobs.review import maintainer_decisions

    try:
        decisions = maintainer_decisions(repo, settings)
        state = with_decisions(state.with_run(record), decisions, today)
        if proposed:
            state = state.tally(today, proposed=proposed)
        view = dashboard_view(repo, settings, today, decisions)
        if dry_run:
            print(f"\n--- dashboard issue (dry run: not written) ---\n{render_dashboard(state, view)}")
            return
        print(f"curatorbot: {save_dashboard(repo, settings, dashboard, state, view)}", file=sys.stderr)
    except CuratorbotError as error:
        print(f"curatorbot: warning: the dashboard was not updated ({error}); the next run repairs it", file=sys.stderr)
