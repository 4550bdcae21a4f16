"""The catch-up: past windows (a month by default) searched through arXiv's API, each window through the
nightly job's stages into its own pull request (`curatorbot/catch-up-2024-05`).

Progress lives in GitHub, in the markers of the catch-up pull requests: the windows each run searched
(`covered`, empty ones included) and the papers each proposed or had rejected. A run reads them back,
skips what is covered, never proposes a paper another bot pull request holds, keeps at most
`catch_up.max_open_prs` open, and stops within the token budget; an interrupted run continues where it
stopped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from curatorbot.config import Settings
from curatorbot.domain.arxiv_query import Window, build_query, windows
from curatorbot.domain.wording import count_of
from curatorbot.jobs.engine import Target
from curatorbot.jobs.nightly import CatchUpWindow, NightlyReport, NightlyRequest, NightlyServices, run_nightly
from curatorbot.jobs.publish import CatchUpProgress, nightly_known_ids, read_catch_up_progress


@dataclass(frozen=True)
class CatchUpRequest:
    now: dt.datetime
    since: dt.date
    until: dt.date | None
    backend: str
    model: str
    prompt_version: str
    dry_run: bool = False
    max_papers: int | None = None
    max_windows: int | None = None  # windows that may open a pull request (default catch_up.windows_per_run)
    tokens_spent: int = 0  # by the nightly run before it: one token budget for both


@dataclass
class WindowOutcome:
    window: Window
    report: NightlyReport

    @property
    def complete(self) -> bool:
        """Every candidate of the window reached a bucket that needs no rerun."""
        return not self.report.counts.deferred and not self.report.counts.failed_batches


@dataclass
class CatchUpReport:
    windows: list[WindowOutcome] = field(default_factory=list)
    stopped: str = ""
    seconds: float = 0.0

    def total(self, attribute: str) -> int:
        return sum(getattr(w.report.counts, attribute) for w in self.windows)

    @property
    def tokens(self) -> int:
        return sum(w.report.prompt_tokens + w.report.completion_tokens for w in self.windows)

    @property
    def summary_line(self) -> str:
        proposed = self.total("accepted") - self.total("held_back")
        return (
            f"catch-up: {count_of(len(self.windows), 'window')} searched, {self.total('announced')} candidates found, "
            f"{self.total('sent_to_classifier')} sent to the classifier, {proposed} proposed, "
            f"{self.total('needs_human')} flagged, {self.tokens} tokens, {self.seconds:.0f} s"
        )


def run_catch_up(
    settings: Settings,
    request: CatchUpRequest,
    services: NightlyServices,
    clock: Callable[[], float],
) -> CatchUpReport:
    started = clock()
    report = CatchUpReport()
    rules = settings.catch_up
    until = min(request.until or request.now.date(), request.now.date())
    all_windows = windows(request.since, until, rules.window)
    repo = services.repo
    progress = (
        read_catch_up_progress(repo, rules.branch_prefix, settings.list.base_branch)
        if repo is not None
        else CatchUpProgress({}, frozenset(), frozenset())
    )
    nightly_known = nightly_known_ids(repo, Target.nightly(settings)) if repo is not None else set()
    query = build_query(rules, settings.arxiv.categories)
    opened = 0
    searched_since_pr: list[str] = []
    open_windows = set(progress.open_windows)
    max_windows = request.max_windows or rules.windows_per_run
    papers_left = request.max_papers
    tokens_left = settings.llm.max_tokens_per_run - request.tokens_spent
    known = set(progress.known_ids) | nightly_known
    for window in all_windows:
        if window.key in progress.covered:
            continue
        # A window whose pull request was merged or closed before it was finished is searched again: what
        # that pull request held is known, so only the rest can be proposed.
        has_open_pr = window.key in open_windows
        if not has_open_pr and len(open_windows) >= rules.max_open_prs:
            report.stopped = (
                f"{count_of(len(open_windows), 'catch-up pull request')} open ({', '.join(sorted(open_windows))}), "
                f"the most catch_up.max_open_prs allows; merge or close one to continue from {window.key}"
            )
            break
        if opened >= max_windows:
            report.stopped = (
                f"{count_of(opened, 'window')} proposed this run (catch_up.windows_per_run); next: {window.key}"
            )
            break
        if tokens_left <= 0 or (papers_left is not None and papers_left <= 0):
            report.stopped = f"the run's budget is spent (llm.max_tokens_per_run or --max-papers); next: {window.key}"
            break
        services.stage(f"catch-up {window.key}: searching arXiv ({window.first_day}..{window.last_day})")
        outcome_report = run_nightly(
            settings,
            NightlyRequest(
                now=request.now,
                backend=request.backend,  # type: ignore[arg-type]
                model=request.model,
                prompt_version=request.prompt_version,
                max_papers=papers_left,
                dry_run=request.dry_run,
                window=CatchUpWindow(
                    query=query,
                    window=window,
                    also_known=frozenset(known),
                    covered=(*searched_since_pr, window.key),
                ),
            ),
            services,
        )
        outcome = WindowOutcome(window, outcome_report)
        report.windows.append(outcome)
        counts = outcome_report.counts
        if papers_left is not None:
            papers_left -= counts.announced - counts.already_known - counts.deferred
        tokens_left -= outcome_report.prompt_tokens + outcome_report.completion_tokens
        result = outcome_report.result
        if result is not None and result.action in ("opened", "updated", "dry-run"):
            known |= set(result.added)
            searched_since_pr = []
            if window.key not in open_windows:
                opened += 1
                if result.action == "opened":
                    open_windows.add(window.key)
        elif outcome.complete:
            searched_since_pr.append(window.key)  # recorded in the next pull request's marker
        if not outcome.complete:
            report.stopped = (
                f"{window.key} is not finished ({count_of(counts.deferred, 'paper')} deferred, "
                f"{count_of(counts.failed_batches, 'failed batch', 'failed batches')}); the next run continues it"
            )
            break
    else:
        report.stopped = "every window up to " + str(until) + " is searched"
    if searched_since_pr:
        report.stopped += (
            f"; {count_of(len(searched_since_pr), 'window')} with nothing to propose ({', '.join(searched_since_pr)}) "
            "are searched again next run (their decisions are cached)"
        )
    report.seconds = clock() - started
    return report


def step_summary(report: CatchUpReport) -> str:
    lines = [
        "## curatorbot catch-up",
        "",
        "| window | candidates | classified | proposed | flagged | held back | result |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for outcome in report.windows:
        c = outcome.report.counts
        result = outcome.report.result
        lines.append(
            f"| {outcome.window.key} | {c.announced} | {c.sent_to_classifier} | {c.accepted - c.held_back} | "
            f"{c.needs_human} | {c.held_back} | {result.message if result else ''} |"
        )
    lines += ["", report.summary_line, "", f"Stopped: {report.stopped}"]
    return "\n".join(lines) + "\n"
