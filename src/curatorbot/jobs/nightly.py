"""The nightly job: announcements -> drop what is known -> pre-filter -> classify -> render -> one PR.

Pure orchestration over the adapters it is given; the CLI builds them. Every stage's count is kept
for the report, the Actions step summary and the PR body.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from curatorbot.classify.classifier import ClassificationRun, Classifier
from curatorbot.classify.local_backend import LocalClassifier
from curatorbot.config import CatchUpSettings, Settings
from curatorbot.domain.announcements import (
    build_announcement,
    expected_announcement,
    missed_announcements,
    not_in_list,
)
from curatorbot.domain.arxiv_query import Window
from curatorbot.domain.awesome_list import AwesomeList, HouseStyle
from curatorbot.domain.errors import PlacementError, ServiceError, UnknownSectionError
from curatorbot.domain.models import Announcement, Decision, Paper
from curatorbot.domain.pull_request import ProposalRecord, RunFacts, pr_title, proposal_record, render_body
from curatorbot.domain.render import cells_to_fill, render_entry, render_line
from curatorbot.domain.sanitize import entry_title
from curatorbot.domain.tables import RowForm
from curatorbot.domain.wording import count_of
from curatorbot.jobs.engine import Target
from curatorbot.jobs.publish import (
    Proposal,
    PublishResult,
    RepoState,
    WindowMark,
    plan,
    publish,
    read_catch_up_progress,
    read_state,
)
from curatorbot.services.interface import ArxivSource, CarriedWork, FeedMemory, Repo

Stage = Callable[[str], None]
# Missed announcement days read back through the API in one run: two weeks. Past that, the note says how to
# catch up the rest (`curatorbot catch-up`), so a month-long outage is never silently dropped.
MAX_MISSED_DAYS = 10


@dataclass
class StageCounts:
    """Where every announced paper went: each ends in exactly one bucket (README, "curatorbot run")."""

    announced: int = 0
    backfilled: int = 0  # submitted for announcement days a failed or cut-off run did not finish
    already_known: int = 0
    withdrawn: int = 0
    prefiltered_out: int = 0
    sent_to_classifier: int = 0
    accepted: int = 0
    rejected: int = 0
    needs_human: int = 0
    deferred: int = 0
    carried_over: int = 0  # deferred by the last run, taken first by this one
    not_added: int = 0  # accepted, but the list holds the title under another id: flagged instead
    held_back: int = 0  # accepted, but a catch-up's selection rule (venue, top N) kept it out
    failed_batches: int = 0

    def rows(self, backend: str) -> list[tuple[str, int]]:
        return [
            ("announced", self.announced),
            ("read back for days the last runs did not finish", self.backfilled),
            ("carried over from the last run", self.carried_over),
            ("already in the list, the open PR, or rejected", self.already_known),
            ("withdrawn", self.withdrawn),
            ("pre-filtered out", self.prefiltered_out),
            (f"sent to the classifier ({backend})", self.sent_to_classifier),
            ("accepted", self.accepted),
            ("rejected by the classifier", self.rejected),
            ("accepted but not added (same title listed)", self.not_added),
            ("accepted but held back by the catch-up's selection rule", self.held_back),
            ("needs a human look", self.needs_human),
            ("deferred to the next run", self.deferred),
        ]


@dataclass(frozen=True)
class NightlyRequest:
    """What one run is asked to do."""

    now: dt.datetime
    backend: Literal["local", "openai"]
    model: str
    prompt_version: str
    date: dt.date | None = None  # backfill one announcement day
    since: dt.date | None = None  # backfill every submission since this day
    max_papers: int | None = None
    dry_run: bool = False
    include_rejected: bool = False
    window: CatchUpWindow | None = None  # a catch-up window instead of the announcements
    # Flagged papers a maintainer ticked on the dashboard: added under their suggested section tonight.
    accepted: tuple[ProposalRecord, ...] = ()


@dataclass(frozen=True)
class CatchUpWindow:
    """One catch-up window: what to search, what other bot pull requests already hold, and the marker."""

    query: str
    window: Window
    also_known: frozenset[str]
    covered: tuple[str, ...]


@dataclass(frozen=True)
class NightlyServices:
    """The adapters and factories a run works through; the CLI builds them."""

    arxiv: ArxivSource
    repo: Repo | None
    local_list: AwesomeList | None
    local: Callable[[AwesomeList], LocalClassifier]
    classifier: Callable[[AwesomeList, LocalClassifier], Classifier]
    feed_state: FeedMemory | None
    stage: Stage = lambda message: None


@dataclass
class NightlyReport:
    state: str
    state_reason: str
    announced_on: str
    backend: str
    model: str
    counts: StageCounts = field(default_factory=StageCounts)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    result: PublishResult | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    review: str = ""  # what the maintainers' pending review came to, when the night applied it first

    @property
    def summary_line(self) -> str:
        c = self.counts
        return (
            f"{self.state} day ({self.announced_on}; {self.state_reason}): {c.announced} announced, "
            f"{c.already_known} already known, {c.prefiltered_out} pre-filtered out, "
            f"{c.sent_to_classifier} classified by {self.backend}, {c.accepted} accepted, "
            f"{c.rejected} rejected, {c.needs_human} need a human look, {c.deferred} deferred"
        )


def previous_weekday(day: dt.date) -> dt.date:
    day -= dt.timedelta(days=1)
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def gather(
    arxiv: ArxivSource,
    settings: Settings,
    now: dt.datetime,
    last_seen: dt.date | None,
    date: dt.date | None = None,
    since: dt.date | None = None,
    window: CatchUpWindow | None = None,
) -> Announcement:
    """The papers of this run: the latest announcement, (backfill) the submissions of a day or range, or
    (catch-up) the papers of a window that match the catch-up query."""
    categories = settings.arxiv.categories
    if window is not None:
        first_day, last_day = window.window.first_day, window.window.last_day
        found = {
            p.arxiv_id: p.model_copy(update={"announce_type": "new"})
            for p in arxiv.search(window.query, first_day, last_day)
        }
        return Announcement(
            announced=last_day,
            categories=tuple(categories),
            state="normal" if found else "quiet",
            state_reason=f"catch-up {window.window.key} ({first_day}..{last_day}): "
            f"{count_of(len(found), 'candidate')} matched the query",
            papers=tuple(found.values()),
        )
    if date is None and since is None:
        snapshots = [arxiv.feed(category) for category in categories]
        return build_announcement(snapshots, now, last_seen, settings.arxiv.include_replacements)
    # Backfill through the API: arXiv announces on day D what was submitted since the previous
    # announcement, so a day maps to the submissions of the weekdays before it.
    if since is not None:
        first, last = since, now.date()
    else:
        assert date is not None
        first, last = previous_weekday(date), date - dt.timedelta(days=1)
    papers: dict[str, Paper] = {}
    for category in categories:
        for paper in arxiv.search(f"cat:{category}", first, last):
            papers.setdefault(paper.arxiv_id, paper.model_copy(update={"announce_type": "new"}))
    label = f"{first}..{last}"
    return Announcement(
        announced=last,
        categories=tuple(categories),
        state="normal" if papers else "quiet",
        state_reason=f"backfill of submissions {label}: {count_of(len(papers), 'paper')}",
        papers=tuple(papers.values()),
    )


def read_missed_days(
    arxiv: ArxivSource,
    settings: Settings,
    now: dt.datetime,
    last_seen: dt.date | None,
    announcement: Announcement,
    report: NightlyReport,
) -> list[Paper]:
    """The submissions of the announcement days no run finished (a GitHub error at write time, a cancelled
    run, a feed still cut after its re-read): the feed carries only the newest day, so they are read through
    the API before it. The day is recorded as processed only when the whole run finishes."""
    if announcement.state != "normal":
        return []
    days = missed_announcements(last_seen, announcement.announced)
    if not days:
        return []
    read, left = days[-MAX_MISSED_DAYS:], days[:-MAX_MISSED_DAYS]
    papers: dict[str, Paper] = {}
    for day in read:
        for paper in gather(arxiv, settings, now, None, date=day).papers:
            papers.setdefault(paper.arxiv_id, paper)
    report.notes.append(
        f"the last finished run was for {last_seen}: the submissions for {count_of(len(read), 'missed day')} "
        f"({read[0]}..{read[-1]}, {count_of(len(papers), 'paper')}) were read through the arXiv API first"
    )
    if left:
        report.warnings.append(
            f"{count_of(len(left), 'more missed day')} ({left[0]}..{left[-1]}) not read back in one night; run "
            f"`curatorbot catch-up --since {left[0]} --until {left[-1]}` for them"
        )
    return list(papers.values())


def select(proposals: Sequence[Proposal], rules: CatchUpSettings) -> tuple[list[Proposal], list[Proposal], str]:
    """A selective catch-up: only papers with a peer-reviewed venue, and/or the N most confident. Returns
    the kept, the held back, and the rule in words ('' when no rule is set)."""
    ranked = sorted(proposals, key=lambda p: -p.record.confidence)
    kept, held_back, said = ranked, [], []
    if rules.only_with_venue:
        kept = [p for p in ranked if p.record.venue and not p.record.venue.lower().startswith("arxiv")]
        held_back = [p for p in ranked if p not in kept]
        said.append("only papers with a peer-reviewed venue")
    if rules.max_papers_per_window is not None:
        held_back += kept[rules.max_papers_per_window :]
        kept = kept[: rules.max_papers_per_window]
        said.append(f"at most {rules.max_papers_per_window} per window, most confident first")
    return kept, held_back, " and ".join(said)


def run_night(
    settings: Settings, request: NightlyRequest, services: NightlyServices, review: Callable[[], str] | None
) -> NightlyReport:
    """The nightly job as the workflow runs it: a maintainer's pending review of the open pull request
    first (so their calls shape tonight's work), then the night. The review is best effort: whatever fails
    in it, the day's papers still arrive, and the review is tried again on the next run."""
    said, failed = "", None
    if review is not None:
        try:
            said = review()
        except ServiceError as error:
            failed = f"review not applied this run ({error}); tried again next run"
    report = run_nightly(settings, request, services)
    report.review = said
    if failed is not None:
        report.warnings.append(failed)
    return report


def run_nightly(settings: Settings, request: NightlyRequest, services: NightlyServices) -> NightlyReport:
    arxiv, repo, local_list, feed_state, stage = (
        services.arxiv,
        services.repo,
        services.local_list,
        services.feed_state,
        services.stage,
    )
    now, date, since, backend, model = request.now, request.date, request.since, request.backend, request.model
    dry_run, include_rejected = request.dry_run, request.include_rejected
    categories = settings.arxiv.categories
    window = request.window
    target = Target.catch_up(settings, window.window) if window is not None else Target.nightly(settings)
    stage("reading the list")
    state = read_state(repo, target) if repo is not None else None
    awesome = state.base_list if state is not None else local_list
    assert awesome is not None, "a list is needed: GitHub or a local file"
    awesome.require_papers(settings.list.path)
    awesome.require_sections(settings.section_paths)

    backfill = date is not None or since is not None or window is not None
    stage("reading arXiv")
    last_seen = feed_state.last_seen(categories) if feed_state and not backfill else None
    # Work the last run could not finish comes first, whatever today's feed says.
    carried = feed_state.carried(categories) if feed_state and not backfill else CarriedWork()
    announcement = gather(arxiv, settings, now, last_seen, date, since, window)
    report = NightlyReport(
        state=announcement.state,
        state_reason=announcement.state_reason,
        announced_on=str(announcement.announced or expected_announcement(now)),
        backend=backend,
        model=model,
        warnings=list(announcement.warnings),
    )
    counts = report.counts
    counts.announced = len(announcement.papers)
    # A new version of a listed paper is the usual moment its venue appears: noted for `curatorbot maintain`.
    new_versions = {
        p.arxiv_id: str(p.announced or announcement.announced or "")
        for p in announcement.replacements
        if p.arxiv_id in awesome.arxiv_ids
    }
    if new_versions:
        report.notes.append(
            f"{count_of(len(new_versions), 'listed paper')} announced in a new version: noted for the next "
            "maintenance run (curatorbot maintain) to check its venue and code link"
        )

    counts.carried_over = len(carried.deferred)
    if carried.deferred:
        report.notes.append(f"{count_of(len(carried.deferred), 'paper')} deferred by the last run taken first")
    missed = read_missed_days(arxiv, settings, now, last_seen, announcement, report) if feed_state else []
    counts.backfilled = len({p.arxiv_id for p in missed} - {p.arxiv_id for p in announcement.papers})
    incoming = list({p.arxiv_id: p for p in (*carried.deferred, *missed, *announcement.papers)}.values())
    also_known = state.known_ids(include_rejected) if state is not None else set()
    if window is not None:
        also_known = set(also_known) | window.also_known
    elif repo is not None:  # what a catch-up pull request holds is not the nightly's to propose
        also_known = (
            set(also_known)
            | read_catch_up_progress(repo, settings.catch_up.branch_prefix, settings.list.base_branch).known_ids
        )
    fresh, _ = not_in_list(incoming, awesome, also_known)
    withdrawn = [p for p in fresh if p.withdrawn]
    fresh = [p for p in fresh if not p.withdrawn]
    counts.already_known = len(incoming) - len(fresh) - len(withdrawn)
    counts.withdrawn = len(withdrawn)

    ceiling = request.max_papers if request.max_papers is not None else settings.llm.max_papers_per_run
    deferred = fresh[ceiling:]
    fresh = fresh[:ceiling]

    stage(f"pre-filtering {count_of(len(fresh), 'paper')}")
    local_classifier = services.local(awesome)
    if local_classifier.note:
        report.notes.append(f"local model: {local_classifier.note}")
    prefiltered = local_classifier.prefilter(fresh)
    counts.prefiltered_out = len(prefiltered.dropped)
    counts.sent_to_classifier = len(prefiltered.passed)

    stage(f"classifying {count_of(len(prefiltered.passed), 'paper')} ({backend})")
    if backend == "local" and prefiltered.passed:  # said only when the local backend decided something
        report.notes.append("classified by the local backend (no LLM endpoint configured): review with extra care")
    run = (
        services.classifier(awesome, local_classifier).decide(list(prefiltered.passed))
        if prefiltered.passed
        else ClassificationRun([])
    )
    deferred += run.deferred
    counts.deferred = len(deferred)
    report.prompt_tokens, report.completion_tokens = run.usage.prompt_tokens, run.usage.completion_tokens
    by_id = {p.arxiv_id: p for p in prefiltered.passed}
    decisions, forms, unplaced = place_decisions(awesome, run.decisions, by_id, settings.list.new_papers_section)
    report.notes += [f"{i} not written, flagged for a maintainer: {why}" for i, why in unplaced.items()]
    proposals = [
        Proposal(
            record=proposal_record(by_id[d.arxiv_id], d, forms[d.arxiv_id].arxiv_venue_word).model_copy(
                update={"to_fill": cells_to_fill(forms[d.arxiv_id], d.cells)}
            ),
            entry=render_entry(by_id[d.arxiv_id], forms[d.arxiv_id], d.cells),
        )
        for d in decisions
        if d.relevant and not d.needs_human and d.section
    ]
    word = awesome.house_style().arxiv_venue_word
    flagged = [proposal_record(by_id[d.arxiv_id], d, word) for d in decisions if d.needs_human]
    ticked = []
    for r in request.accepted:
        if r.arxiv_id in also_known or r.arxiv_id in awesome.arxiv_ids or not r.section:
            continue
        try:
            form = awesome.entry_form(r.section)
        except (PlacementError, UnknownSectionError) as error:
            report.notes.append(f"{r.arxiv_id} ticked on the dashboard stays there: {error}")
            continue
        entry = render_line(r.arxiv_id, r.title, r.venue, r.code_url, form)
        ticked.append(Proposal(record=r.model_copy(update={"to_fill": cells_to_fill(form)}), entry=entry))
    if ticked:
        report.notes.append(f"{count_of(len(ticked), 'flagged paper')} ticked on the dashboard added")
    proposals += ticked
    counts.accepted = len(proposals)
    if window is not None:
        proposals, held_back, rule = select(proposals, settings.catch_up)
        counts.held_back = len(held_back)
        if rule:
            report.notes.append(
                f"selection: {rule}; {count_of(len(held_back), 'accepted paper')} held back"
                + (f" ({', '.join(p.arxiv_id for p in held_back)})" if held_back else "")
            )
    counts.needs_human = len(flagged)
    # Flags an earlier run could not deliver (no pull request then) go out with this run's.
    flagged_ids = {f.arxiv_id for f in flagged}
    flagged += [f for f in carried.flagged if f.arxiv_id not in flagged_ids and f.arxiv_id not in also_known]
    counts.rejected = sum(1 for d in decisions if not d.relevant and not d.needs_human)
    counts.failed_batches = len(run.usage.failures)
    if run.usage.failures:
        report.notes.append(
            f"{count_of(len(run.usage.failures), 'LLM batch', 'LLM batches')} failed ({run.usage.failures[0]}); "
            "their papers are in 'needs a human look' and are asked again next run"
        )
    if deferred:
        report.notes.append(f"{count_of(len(deferred), 'paper')} deferred to the next run by the budget guard")

    facts = RunFacts(
        date=report.announced_on,
        categories=tuple(categories),
        backend=backend,
        model=model,
        prompt_version=request.prompt_version,
        prompt_tokens=run.usage.prompt_tokens,
        completion_tokens=run.usage.completion_tokens,
        list_path=settings.list.path,
        notes=tuple(report.notes),
    )
    if repo is not None and (proposals or flagged):
        stage("previewing the pull request (dry run)" if dry_run else "updating the pull request")
        # publish() reads GitHub again on purpose: classifying took minutes, and a maintainer may have
        # pushed, merged or closed the PR meanwhile. Never write from stale state.
        mark = None
        if window is not None:
            # A window is covered only when finished: deferred papers or failed batches bring it back.
            finished = not deferred and not run.usage.failures
            mark = WindowMark(window.window.key, tuple(k for k in window.covered if finished or k != window.window.key))
        report.result = publish(
            repo, target, proposals, flagged, facts, dry_run=dry_run, include_rejected=include_rejected, window=mark
        )
    elif (proposals or flagged) and local_list is not None:
        report.result = local_preview(local_list, proposals, flagged, facts, target)
    else:
        report.result = PublishResult(action="nothing", message="nothing new to propose; no pull request changed")
    if report.result.skipped:
        counts.not_added = len(report.result.skipped)
        report.notes.append(
            f"{count_of(len(report.result.skipped), 'accepted paper')} not added (the list has the same title "
            "under another id): listed under 'needs a human look'"
        )
    if not announcement.complete:
        report.notes.append(
            "the feed was cut off: its complete entries were handled, and the announcement is read again next run"
        )
    if feed_state is not None and not dry_run and not backfill:
        feed_state.carry(categories, CarriedWork(deferred=tuple(deferred), flagged=tuple(report.result.undelivered)))
        if new_versions:
            feed_state.note_new_versions(new_versions)
        if announcement.announced and announcement.state == "normal" and announcement.complete:
            feed_state.record(categories, announcement.announced)
    return report


def local_preview(
    awesome: AwesomeList,
    proposals: Sequence[Proposal],
    flagged: Sequence[ProposalRecord],
    facts: RunFacts,
    target: Target,
) -> PublishResult:
    """With a local list file there is no pull request to write: show the diff and body it would have."""
    the_plan = plan(RepoState.local(awesome), proposals, flagged, target.path)
    return PublishResult(
        action="dry-run",
        message=f"local list: would propose {count_of(len(the_plan.added), 'paper')}; nothing written",
        title=pr_title(target.title, the_plan.marker.proposed),
        body=render_body(the_plan.marker, facts),
        diff=the_plan.diff,
        added=[p.arxiv_id for p in the_plan.added],
        skipped=the_plan.skipped,
    )


def step_summary(report: NightlyReport) -> str:
    """Markdown for $GITHUB_STEP_SUMMARY."""
    c = report.counts
    lines = [
        f"## curatorbot: {report.state} day ({report.announced_on})",
        "",
        f"{report.state_reason}",
        "",
        "| stage | papers |",
        "| --- | --- |",
        *(f"| {label} | {value} |" for label, value in c.rows(report.backend)),
        "",
        f"Model: {report.model}; tokens: {report.prompt_tokens} prompt, {report.completion_tokens} completion.",
    ]
    lines += [f"- {note}" for note in report.notes]
    lines += [f"- warning: {warning}" for warning in report.warnings]
    if report.result is not None:
        link = f" ({report.result.pr.html_url})" if report.result.pr else ""
        lines += ["", f"**Result:** {report.result.message}{link}"]
    return "\n".join(lines) + "\n"


def place_decisions(
    awesome: AwesomeList, decisions: Sequence[Decision], papers: Mapping[str, Paper], new_papers_section: str | None
) -> tuple[list[Decision], dict[str, HouseStyle | RowForm], dict[str, str]]:
    """Where each relevant paper's entry goes and in what form, and why a paper could not be placed. A paper
    curatorbot cannot write without guessing (a title of markup only, a section with no entries or table to
    follow, two tables of different columns) goes to a maintainer with the reason; with `new_papers_section`
    every new paper goes there and the classifier's section is shown as a suggestion."""
    placed: list[Decision] = []
    forms: dict[str, HouseStyle | RowForm] = {}
    unplaced: dict[str, str] = {}
    for decision in decisions:
        if not decision.relevant or decision.needs_human or not decision.section:
            placed.append(decision)
            continue
        if new_papers_section and decision.section != new_papers_section:
            decision = decision.model_copy(
                update={
                    "section": new_papers_section,
                    "rationale": f"suggested section: {decision.section}; {decision.rationale}"[:400],
                }
            )
        reason = None
        if not entry_title(papers[decision.arxiv_id].title):
            reason = "its title is only markup, so no entry is written for it"
        else:
            try:
                forms[decision.arxiv_id] = awesome.entry_form(decision.section or "")
            except (PlacementError, UnknownSectionError) as error:
                reason = str(error)
        if reason is not None:
            unplaced[decision.arxiv_id] = reason
            decision = decision.model_copy(
                update={"needs_human": True, "rationale": f"{reason}; {decision.rationale}"[:400]}
            )
        placed.append(decision)
    return placed, forms, unplaced
