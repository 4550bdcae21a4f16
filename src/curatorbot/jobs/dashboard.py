"""The dashboard issue over the service interface: found again by label and marker (never duplicated),
read at the start of a run as the feed state, and written at its end with what the run did.

A closed dashboard is respected: nothing is written until a maintainer reopens it (said once per run),
and the state file stands in for it meanwhile. Two dashboards: the oldest is used, and the run says so.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from curatorbot.config import Settings
from curatorbot.domain.dashboard import (
    DashboardState,
    DashboardView,
    FeedRecord,
    OpenPull,
    RunRecord,
    feed_key,
    parse_state,
    render_dashboard,
    retrain_ticked,
    ticked,
)
from curatorbot.domain.models import Paper
from curatorbot.domain.pull_request import ProposalRecord
from curatorbot.jobs.engine import Target
from curatorbot.jobs.publish import read_catch_up_progress
from curatorbot.services.interface import CarriedWork, FeedMemory, IssueInfo, Repo

if TYPE_CHECKING:
    from curatorbot.jobs.nightly import NightlyReport, NightlyRequest, NightlyServices


@dataclass
class Dashboard:
    """The dashboard as a run found it: its issue (None: not opened yet), the state it holds, and why
    nothing may be written there (a closed or locked issue)."""

    issue: IssueInfo | None
    state: DashboardState
    paused: str | None = None
    notes: list[str] = field(default_factory=list)

    def ticked(self) -> tuple[list[str], bool]:
        """Flagged papers ticked for adding, and whether maintenance is asked for."""
        if self.issue is None or self.paused:
            return [], False
        return ticked(self.issue.body, self.state)

    @property
    def retrain_asked(self) -> bool:
        """A maintainer ticked "retrain", now or before a run that could not learn yet."""
        if self.issue is None or self.paused:
            return False
        return self.state.retrain_requested or retrain_ticked(self.issue.body)


def read_dashboard(repo: Repo, settings: Settings) -> Dashboard:
    found = [
        i
        for i in repo.issues_labelled(settings.dashboard.label)
        if parse_state(i.body) is not None or i.title == settings.dashboard.title
    ]
    if not found:
        return Dashboard(None, DashboardState())
    issue, notes = found[0], []
    if len(found) > 1:
        others = ", ".join(f"#{i.number}" for i in found[1:])
        notes.append(f"{len(found)} dashboard issues: using the oldest, #{issue.number} ({others} ignored)")
    state = parse_state(issue.body)
    if state is None:
        notes.append(f"the dashboard #{issue.number} holds no readable state (edited by hand?): it starts afresh")
    paused = None
    if issue.state != "open":
        paused = f"the dashboard issue #{issue.number} is closed: nothing is written there until it is reopened"
    elif issue.locked:
        paused = f"the dashboard issue #{issue.number} is locked: nothing is written there until it is unlocked"
    return Dashboard(issue, state or DashboardState(), paused, notes)


def edit_to_skip(repo: Repo, settings: Settings, issue_number: int, login: str) -> str | None:
    """Why an issue edit starts no run (None: a maintainer edited the dashboard, so its ticks are carried out
    now). The same rule as in pull request review: only write permission may act."""
    from curatorbot.jobs.review import WRITERS

    if not settings.dashboard.enabled:
        return "the dashboard is off (dashboard.enabled: false); nothing to do"
    dashboard = read_dashboard(repo, settings)
    if dashboard.issue is None or dashboard.issue.number != issue_number:
        return f"issue #{issue_number} is not the dashboard; nothing to do"
    if repo.permission(login) not in WRITERS:
        return f"{login} edited the dashboard without write permission: its boxes are left for a maintainer"
    return None


class DashboardMemory:
    """The feed memory (services.interface.FeedMemory) over the dashboard's state: what a run reads first
    and carries to the next one lives on GitHub. Deferred papers are kept by id and read again from arXiv."""

    def __init__(
        self, state: DashboardState, lookup: Callable[[Sequence[str]], Sequence[Paper]], taken: Sequence[str] = ()
    ) -> None:
        self.state = state
        self.lookup = lookup
        self.taken = set(taken)  # flagged papers ticked on the dashboard: they go to the pull request now

    def _feed(self, categories: Sequence[str]) -> FeedRecord:
        return self.state.feeds.get(feed_key(categories), FeedRecord())

    def _set(self, categories: Sequence[str], **changes: Any) -> None:
        feeds = dict(self.state.feeds)
        feeds[feed_key(categories)] = self._feed(categories).model_copy(update=changes)
        self.state = self.state.model_copy(update={"feeds": feeds})

    def last_seen(self, categories: Sequence[str]) -> dt.date | None:
        day = self._feed(categories).last_seen
        return dt.date.fromisoformat(day) if day else None

    def record(self, categories: Sequence[str], announced: dt.date) -> None:
        self._set(categories, last_seen=announced.isoformat())

    def carried(self, categories: Sequence[str]) -> CarriedWork:
        feed = self._feed(categories)
        deferred = tuple(self.lookup(feed.deferred)) if feed.deferred else ()
        return CarriedWork(deferred=deferred, flagged=tuple(r for r in feed.flagged if r.arxiv_id not in self.taken))

    def carry(self, categories: Sequence[str], work: CarriedWork) -> None:
        self._set(
            categories,
            deferred=tuple(p.arxiv_id for p in work.deferred),
            flagged=tuple(r for r in work.flagged if r.arxiv_id not in self.taken),
        )

    def note_new_versions(self, versions: dict[str, str]) -> None:
        self.state = self.state.model_copy(update={"new_versions": {**self.state.new_versions, **versions}})


def ticked_records(dashboard: Dashboard, categories: Sequence[str]) -> list[ProposalRecord]:
    """The flagged papers a maintainer ticked on the dashboard, with a suggested section to go under."""
    ids, _ = dashboard.ticked()
    feed = dashboard.state.feeds.get(feed_key(categories), FeedRecord())
    return [r for r in feed.flagged if r.arxiv_id in ids and r.section]


def next_monday(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7)


def dashboard_view(
    repo: Repo, settings: Settings, today: dt.date, decisions: Sequence[Mapping[str, Any]]
) -> DashboardView:
    """What the body shows besides the state, read fresh: every open bot pull request, the next maintenance."""
    base = settings.list.base_branch
    pulls = []
    for target in (Target.nightly(settings), Target.maintenance(settings)):
        if (pull := repo.open_pull(target.branch, base)) is not None:
            pulls.append(pull)
    progress = read_catch_up_progress(repo, settings.catch_up.branch_prefix, base)
    pulls += [progress.pulls[window] for window in progress.open_windows]
    return DashboardView(
        list_path=settings.list.path,
        repo=settings.list.repo or "",
        open_pulls=tuple(
            OpenPull(number=p.number, title=p.title, url=p.html_url) for p in sorted(pulls, key=lambda p: p.number)
        ),
        next_maintenance=str(next_monday(today)),
        decisions=tuple(decisions),
    )


def with_decisions(state: DashboardState, decisions: Sequence[Mapping[str, Any]], today: dt.date) -> DashboardState:
    """The maintainers' calls made since the last count, tallied into this week."""
    now = Counter(str(row["action"]) for row in decisions)
    actions = ("accepted", "rejected", "moved")
    added = {action: max(0, now[action] - state.decisions_counted.get(action, 0)) for action in actions}
    if any(added.values()):
        state = state.tally(today, **added)
    return state.model_copy(update={"decisions_counted": {a: now[a] for a in actions}})


def save_dashboard(
    repo: Repo, settings: Settings, dashboard: Dashboard, state: DashboardState, view: DashboardView
) -> str:
    """Write the dashboard (open it the first time); what happened, one line."""
    if dashboard.paused:
        return dashboard.paused
    body = render_dashboard(state, view)
    d = settings.dashboard
    if dashboard.issue is None:
        repo.ensure_label(d.label, d.label_color, d.label_description)
        issue = repo.create_issue(d.title, body, d.label)
        return f"opened the dashboard issue #{issue.number}"
    if body == dashboard.issue.body:
        return f"the dashboard #{dashboard.issue.number} is up to date"
    repo.update_issue(dashboard.issue.number, body)
    return f"updated the dashboard #{dashboard.issue.number}"


def run_record(
    now: dt.datetime,
    command: str,
    summary: str = "",
    tokens: int = 0,
    backend: str = "",
    model: str = "",
    error: str = "",
    url: str = "",
) -> RunRecord:
    return RunRecord(
        date=now.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M"),
        command=command,
        outcome="failed" if error else "ok",
        summary=summary,
        tokens=tokens,
        backend=backend,
        model=model,
        error=error,
        url=url,
    )


# ---- a night with the dashboard --------------------------------------------------------------------------


@dataclass
class DashboardNight:
    report: NightlyReport
    messages: list[str]  # what the dashboard came to, for the output
    maintain: bool  # a maintainer asked for maintenance on the dashboard: the workflow runs it today
    body: str = ""  # on a dry run, the dashboard it would write


def open_dashboard(repo: Repo, settings: Settings, fallback: FeedMemory) -> Dashboard:
    """The dashboard as this run starts; the first time, what the state file (fallback) holds moves over."""
    dashboard = read_dashboard(repo, settings)
    if dashboard.issue is None:
        categories = settings.arxiv.categories
        last_seen, carried = fallback.last_seen(categories), fallback.carried(categories)
        feed = FeedRecord(
            last_seen=last_seen.isoformat() if last_seen else None,
            deferred=tuple(p.arxiv_id for p in carried.deferred),
            flagged=carried.flagged,
        )
        dashboard.state = DashboardState(feeds={feed_key(categories): feed})
    return dashboard


def night_with_dashboard(
    settings: Settings,
    request: NightlyRequest,
    services: NightlyServices,
    review: Callable[[], str] | None,
    repo: Repo,
    lookup: Callable[[Sequence[str]], Sequence[Paper]],
    run_url: str = "",
) -> DashboardNight:
    """The nightly run with its memory on the dashboard issue: ticked flags go to tonight's pull request,
    and what the run did, or the error it failed with, is written back (best effort: the pull request is
    written already, and a dashboard GitHub refuses now is repaired by the next run)."""
    from curatorbot.domain.errors import CuratorbotError
    from curatorbot.jobs.nightly import run_night

    fallback = services.feed_state
    assert fallback is not None
    dashboard = open_dashboard(repo, settings, fallback)
    messages = [*dashboard.notes, *([dashboard.paused] if dashboard.paused else [])]
    accepted = ticked_records(dashboard, settings.arxiv.categories)
    ticked_ids, _ = dashboard.ticked()
    messages += [
        f"{i} was ticked but has no suggested section, so it was not added; add its entry by hand"
        for i in ticked_ids
        if i not in {r.arxiv_id for r in accepted}
    ]
    memory: FeedMemory = fallback
    if not dashboard.paused:
        memory = DashboardMemory(dashboard.state, lookup, taken=[r.arxiv_id for r in accepted])
    request = replace(request, accepted=tuple(accepted))
    services = replace(services, feed_state=memory)
    now, dry_run = request.now, request.dry_run
    try:
        report = run_night(settings, request, services, review)
    except CuratorbotError as error:
        failed = run_record(now, "run", backend=request.backend, model=request.model, error=str(error), url=run_url)
        messages.append(finish(repo, settings, dashboard, dashboard.state, failed, now.date(), dry_run).message)
        raise
    state = memory.state if isinstance(memory, DashboardMemory) else dashboard.state
    _, maintain_asked = dashboard.ticked()
    if maintain_asked:
        state = state.model_copy(update={"maintenance_requested": True})
    if dashboard.retrain_asked:  # kept ticked until `learn` has run
        state = state.model_copy(update={"retrain_requested": True})
    done = run_record(
        now,
        "run",
        report.summary_line,
        report.prompt_tokens + report.completion_tokens,
        request.backend,
        request.model,
        url=run_url,
    )
    result = report.result
    added = len(result.added) if result is not None and result.action in ("opened", "updated") else 0
    finished = finish(repo, settings, dashboard, state, done, now.date(), dry_run, proposed=added)
    return DashboardNight(report, [*messages, finished.message], state.maintenance_requested, finished.body)


def finish(
    repo: Repo,
    settings: Settings,
    dashboard: Dashboard,
    state: DashboardState,
    record: RunRecord,
    today: dt.date,
    dry_run: bool,
    proposed: int = 0,
) -> Finished:
    """Write what a run did to the dashboard; a dry run keeps the body it would write instead."""
    from curatorbot.domain.errors import CuratorbotError
    from curatorbot.jobs.review import maintainer_decisions

    try:
        decisions = maintainer_decisions(repo, settings)
        state = with_decisions(state.with_run(record), decisions, today)
        if proposed:
            state = state.tally(today, proposed=proposed)
        view = dashboard_view(repo, settings, today, decisions)
        if dry_run:
            return Finished("not written (dry run)", render_dashboard(state, view))
        return Finished(save_dashboard(repo, settings, dashboard, state, view))
    except CuratorbotError as error:
        return Finished(f"not updated ({error}); the next run repairs it")


@dataclass(frozen=True)
class Finished:
    message: str  # what happened to the dashboard, one line
    body: str = ""  # on a dry run, the body it would have written


def record_run(
    repo: Repo,
    settings: Settings,
    record: RunRecord,
    today: dt.date,
    dry_run: bool,
    change: Callable[[DashboardState], DashboardState] | None = None,
) -> list[str]:
    """What another command that writes (catch-up, maintain, review) did, on the dashboard: its run, and
    its change of the state (maintenance done: the request and the noted new versions are cleared)."""
    dashboard = read_dashboard(repo, settings)
    messages = [*dashboard.notes, *([dashboard.paused] if dashboard.paused else [])]
    state = change(dashboard.state) if change else dashboard.state
    finished = finish(repo, settings, dashboard, state, record, today, dry_run)
    return [*messages, finished.message, *([f"would write:\n{finished.body}"] if finished.body else [])]
