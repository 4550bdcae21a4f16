"""One reviewable pull request per list: read what GitHub holds, plan the change, apply it.

Reading and planning are separate from writing, so `--dry-run` shows the exact diff and body and writes
nothing. Rules: never two open bot PRs; never overwrite a maintainer's commit (new papers go on top of
theirs); a paper in a PR closed unmerged, or whose line a maintainer deleted from the bot branch, is not
proposed again; when the base moved and the branch holds only the bot's work, the branch is rebuilt.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from curatorbot.domain.awesome_list import AwesomeList, NewEntry, list_diff, normalize_title
from curatorbot.domain.pull_request import Marker, ProposalRecord, RunFacts, parse_marker, pr_title, render_body
from curatorbot.domain.wording import count_of
from curatorbot.jobs.engine import (
    BranchFacts,
    Commit,
    Start,
    Target,
    read_branch,
    retrying_conflicts,
    where_to_start,
    write,
)
from curatorbot.services.interface import PullInfo, Repo

COMMIT_MESSAGE = "curatorbot: add {count} paper{s} to {path}\n\nProposed by curatorbot for human review."


@dataclass(frozen=True)
class Proposal:
    record: ProposalRecord
    entry: str  # the rendered list line

    @property
    def arxiv_id(self) -> str:
        return self.record.arxiv_id


@dataclass(frozen=True)
class WindowMark:
    """A catch-up pull request's window, and every window its runs searched (for the marker)."""

    key: str
    covered: tuple[str, ...]


@dataclass
class RepoState:
    facts: BranchFacts
    base_list: AwesomeList
    marker: Marker | None = None
    branch_list: AwesomeList | None = None
    rejected: set[str] = field(default_factory=set)

    @classmethod
    def local(cls, awesome: AwesomeList) -> RepoState:
        """The state of a list that lives in a local file: no branch, no pull request, no memory."""
        return cls(facts=BranchFacts.local(awesome.to_markdown()), base_list=awesome)

    @property
    def proposed_ids(self) -> set[str]:
        return set(self.marker.proposed_ids) if self.marker else set()

    def known_ids(self, include_rejected: bool = False) -> set[str]:
        """Papers not to classify again: listed, proposed in the open PR, or (unless asked) rejected."""
        # A proposed paper whose line a maintainer deleted is rejected, not proposed: it comes back only
        # when rejections are included.
        known = self.base_list.arxiv_ids | (self.proposed_ids - self.rejected)
        if self.branch_list is not None:
            known |= self.branch_list.arxiv_ids
        return known if include_rejected else known | self.rejected


@dataclass
class Plan:
    text: str | None  # the list file to commit on the branch, or None: no new entry to write
    start: Start
    marker: Marker
    new_flags: int = 0
    added: list[Proposal] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    diff: str = ""


@dataclass
class PublishResult:
    action: Literal["nothing", "dry-run", "opened", "updated"]
    message: str
    title: str = ""
    body: str = ""
    diff: str = ""
    pr: PullInfo | None = None
    added: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # accepted, not written: flagged for a human instead
    # Flags with no pull request to show them (no open PR and no new entry to open one with): the caller
    # keeps them for the next pull request.
    undelivered: list[ProposalRecord] = field(default_factory=list)


def read_state(repo: Repo, target: Target) -> RepoState:
    facts = read_branch(repo, target)
    base_list = AwesomeList.parse(facts.base.text)
    marker = parse_marker(facts.open_pr.body) if facts.open_pr else None
    rejected: set[str] = set(marker.rejected) if marker else set()
    for pull in facts.closed:
        closed_marker = parse_marker(pull.body)
        if closed_marker:
            rejected |= set(closed_marker.rejected)
            if not pull.merged:
                rejected |= set(closed_marker.proposed_ids)
    branch_list = AwesomeList.parse(facts.branch.text) if facts.branch is not None else None
    if branch_list is not None and marker is not None:
        # A line the maintainer deleted from the bot branch is a rejection; a paper the open PR proposes
        # and whose line is there was brought back (--include-rejected) and is not.
        rejected -= {i for i in marker.proposed_ids if i in branch_list.arxiv_ids}
        rejected |= {i for i in marker.proposed_ids if i not in branch_list.arxiv_ids}
    rejected -= base_list.arxiv_ids  # merged papers are in the list, not rejected
    return RepoState(facts=facts, base_list=base_list, marker=marker, branch_list=branch_list, rejected=rejected)


@dataclass(frozen=True)
class CatchUpProgress:
    """What GitHub holds of earlier catch-up runs."""

    pulls: dict[str, PullInfo]  # window key -> its pull request (the newest, if several)
    covered: frozenset[str]
    known_ids: frozenset[str]  # proposed, flagged or rejected in any catch-up pull request

    @property
    def open_windows(self) -> list[str]:
        return sorted(key for key, pull in self.pulls.items() if pull.state == "open")


def read_catch_up_progress(repo: Repo, branch_prefix: str, base: str) -> CatchUpProgress:
    pulls: dict[str, PullInfo] = {}
    covered: set[str] = set()
    known: set[str] = set()
    for pull in sorted(repo.pulls_from_branches(branch_prefix, base), key=lambda p: p.number):
        marker = parse_marker(pull.body)
        if marker is None or marker.window is None:
            continue  # not a catch-up pull request the bot wrote
        pulls[marker.window] = pull
        covered |= set(marker.covered)
        known |= {*marker.proposed_ids, *marker.rejected, *(r.arxiv_id for r in marker.flagged)}
    return CatchUpProgress(pulls=pulls, covered=frozenset(covered), known_ids=frozenset(known))


def nightly_known_ids(repo: Repo, nightly: Target) -> set[str]:
    """Papers the nightly pull requests propose, flag or had rejected: the catch-up leaves them alone."""
    known: set[str] = set()
    open_pr = repo.open_pull(nightly.branch, nightly.base)
    for pull in [*([open_pr] if open_pr else []), *repo.closed_pulls(nightly.branch, nightly.base)]:
        marker = parse_marker(pull.body)
        if marker is not None:
            known |= {*marker.proposed_ids, *marker.rejected, *(r.arxiv_id for r in marker.flagged)}
    return known


def _insert(awesome: AwesomeList, proposals: Sequence[Proposal]) -> tuple[AwesomeList, list[Proposal], list[str]]:
    """Insert what can be written, in one splice; the rest (no section, a section curatorbot cannot place an
    entry in, or the list has the same id or title) is returned as skipped, for a maintainer to look at."""
    added: list[Proposal] = []
    skipped: list[str] = []
    ids, titles = set(awesome.arxiv_ids), set(awesome.norm_titles)
    for proposal in proposals:
        title = normalize_title(proposal.record.title)
        if (
            proposal.record.section is None
            or proposal.arxiv_id in ids
            or (title and title in titles)
            or not awesome.can_place(proposal.record.section)
        ):
            skipped.append(proposal.arxiv_id)
            continue
        ids.add(proposal.arxiv_id)
        titles.add(title)
        added.append(proposal)
    entries = [
        NewEntry(section=p.record.section or "", text=p.entry, arxiv_id=p.arxiv_id, title=p.record.title) for p in added
    ]
    return (awesome.insert(entries) if entries else awesome), added, skipped


def plan(
    state: RepoState,
    proposals: Sequence[Proposal],
    flagged: Sequence[ProposalRecord],
    path: str,
    include_rejected: bool = False,
    window: WindowMark | None = None,
    backend: str | None = None,
) -> Plan:
    """What to commit and what the PR should say; pure. `backend`: the classifier's, for the marker."""
    known = state.known_ids(include_rejected)
    fresh = [p for p in proposals if p.arxiv_id not in known]
    previous = state.marker
    kept_records = [r for r in (previous.proposed if previous else ()) if r.arxiv_id not in state.rejected]
    kept_flags = [r for r in (previous.flagged if previous else ()) if r.arxiv_id not in state.rejected]

    start = where_to_start(state.facts, previous.base_sha if previous else None, has_marker=previous is not None)
    carried: list[Proposal] = []
    if start.on == "branch":
        assert state.branch_list is not None
        start_list = state.branch_list
    else:
        start_list = state.base_list
        # Rebuilding: carry the still-proposed entries over, with the exact lines the bot wrote before.
        if start.rebuild and state.branch_list is not None:
            for record in kept_records:
                entry = next((e for e in state.branch_list.entries if e.arxiv_id == record.arxiv_id), None)
                if entry is not None and record.arxiv_id not in state.base_list.arxiv_ids:
                    carried.append(Proposal(record=record, entry=entry.raw))
            kept_records = [c.record for c in carried]
        else:
            kept_records, kept_flags = [], []

    new_list, added, skipped = _insert(start_list, [*carried, *fresh])
    newly_added = [p for p in added if p not in carried]
    # A proposal that could not be written goes to a human, never nowhere.
    not_written = [
        p.record.model_copy(
            update={"rationale": "not added: the list has this title under another arXiv id. " + p.record.rationale}
        )
        for p in fresh
        if p.arxiv_id in skipped
    ]
    new_flags = [
        f
        for f in [*flagged, *not_written]
        if f.arxiv_id not in known and f.arxiv_id not in {r.arxiv_id for r in kept_flags}
    ]
    base_sha = state.facts.base_sha
    marker = Marker(
        base_sha=base_sha if start.on == "base" else (previous.base_sha if previous else base_sha),
        head_sha=previous.head_sha if previous else None,
        proposed=(*kept_records, *[p.record for p in newly_added]),
        flagged=(*kept_flags, *new_flags),
        rejected=tuple(sorted(state.rejected - {p.arxiv_id for p in newly_added})),  # brought back: not rejected
        window=window.key if window else None,
        covered=tuple(sorted({*(previous.covered if previous else ()), *window.covered})) if window else (),
        last_comment_id=previous.last_comment_id if previous else 0,
        reviewed=previous.reviewed if previous else (),
        backend=backend or (previous.backend if previous else None),
    )
    text = new_list.to_markdown() if newly_added else None
    diff = list_diff(start.text, text, path) if text is not None else ""
    return Plan(
        text=text,
        start=start,
        marker=marker,
        new_flags=len(new_flags),
        added=newly_added,
        skipped=skipped,
        diff=diff,
    )


def publish(
    repo: Repo,
    target: Target,
    proposals: Sequence[Proposal],
    flagged: Sequence[ProposalRecord],
    facts: RunFacts,
    dry_run: bool,
    include_rejected: bool = False,
    window: WindowMark | None = None,
) -> PublishResult:
    def attempt() -> PublishResult:
        state = read_state(repo, target)
        open_pr = state.facts.open_pr
        the_plan = plan(state, proposals, flagged, target.path, include_rejected, window, backend=facts.backend)
        title = pr_title(target.title, the_plan.marker.proposed)
        if the_plan.text is None and not (the_plan.new_flags and open_pr is not None):
            # No new entry: a pull request cannot be opened for flags alone (it would have no diff).
            undelivered = list(the_plan.marker.flagged) if open_pr is None else []
            message = "nothing new to propose; no pull request changed"
            if undelivered:
                message += f"; {count_of(len(undelivered), 'flagged paper')} kept for the next pull request"
            return PublishResult(action="nothing", message=message, undelivered=undelivered)
        if dry_run:
            return PublishResult(
                action="dry-run",
                message=f"dry run: would propose {count_of(len(the_plan.added), 'paper')}; nothing written",
                title=title,
                body=render_body(the_plan.marker, facts),
                diff=the_plan.diff,
                added=[p.arxiv_id for p in the_plan.added],
                skipped=the_plan.skipped,
            )
        count = len(the_plan.added)
        commits = (
            [Commit(the_plan.text, COMMIT_MESSAGE.format(count=count, s="s" if count != 1 else "", path=target.path))]
            if the_plan.text is not None
            else []  # new flags only: the open PR's body changes, the branch does not
        )

        def body(head_sha: str | None) -> str:
            marker = the_plan.marker.model_copy(update={"head_sha": head_sha}) if head_sha else the_plan.marker
            return render_body(marker, facts)

        written = write(repo, target, state.facts, the_plan.start, commits, title, body)
        pr = written.pr
        if not commits:
            return PublishResult(
                action="updated",
                message=f"updated pull request #{pr.number}: papers flagged",
                pr=pr,
                skipped=the_plan.skipped,
            )
        return PublishResult(
            action=written.action,
            message=f"{written.action} pull request #{pr.number} with {count_of(count, 'new paper')}: {pr.html_url}",
            title=title,
            body=written.body,
            diff=the_plan.diff,
            pr=pr,
            added=[p.arxiv_id for p in the_plan.added],
            skipped=the_plan.skipped,
        )

    return retrying_conflicts(attempt)
