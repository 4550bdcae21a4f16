"""One reviewable pull request per list: read what GitHub holds, plan the change, apply it.

Reading and planning are separate from writing, so `--dry-run` shows the exact diff and body and writes
nothing. Rules: never two open bot PRs; never overwrite a maintainer's commit (new papers go on top of
theirs); a paper in a PR closed unmerged, or whose line a maintainer deleted from the bot branch, is not
proposed again; when the base moved and the branch holds only the bot's work, the branch is rebuilt.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from curatorbot.config import Settings
from curatorbot.domain.awesome_list import AwesomeList, NewEntry, normalize_title
from curatorbot.domain.errors import GitHubError
from curatorbot.domain.pull_request import Marker, ProposalRecord, RunFacts, parse_marker, pr_title, render_body
from curatorbot.domain.wording import count_of
from curatorbot.services.interface import ConflictError, FileAt, PullInfo, Repo

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
    base_sha: str
    base: FileAt
    base_list: AwesomeList
    open_pr: PullInfo | None = None
    marker: Marker | None = None
    branch_sha: str | None = None
    branch: FileAt | None = None
    branch_list: AwesomeList | None = None
    rejected: set[str] = field(default_factory=set)
    maintainer_commits: bool = False
    stranded_branch: bool = False  # a branch with someone else's commits and no open PR

    @classmethod
    def local(cls, awesome: AwesomeList) -> RepoState:
        """The state of a list that lives in a local file: no branch, no pull request, no memory."""
        return cls(base_sha="0" * 40, base=FileAt(text=awesome.to_markdown(), sha="0" * 40), base_list=awesome)

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
    start_from: Literal["branch", "base"]
    write_sha: str  # the blob sha the write must find
    reset_branch: bool
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


@dataclass(frozen=True)
class BranchFacts:
    """What GitHub holds for one bot branch: the base, the branch, its pull requests, whose commits."""

    base_sha: str
    base: FileAt
    open_pr: PullInfo | None
    closed: tuple[PullInfo, ...]
    branch_sha: str | None
    branch: FileAt | None  # read only when a pull request is open on the branch
    foreign_commits: bool  # the branch has commits the base lacks that curatorbot did not make
    stranded: bool  # someone else's commits and no open pull request: never reset


def read_branch(repo: Repo, settings: Settings, branch: str) -> BranchFacts:
    path, base_branch = settings.list.path, settings.list.base_branch
    base_sha = repo.branch_sha(base_branch)
    if base_sha is None:
        raise GitHubError(
            f"GitHub shows no branch '{base_branch}' in {settings.list.repo}: either the repository does not exist "
            "or the token cannot see it (check list.repo, and that GITHUB_TOKEN can read that repository), or its "
            "default branch has another name (check list.base_branch)"
        )
    base = repo.read_file(path, base_branch)
    open_pr = repo.open_pull(branch, base_branch)
    closed = tuple(repo.closed_pulls(branch, base_branch))
    branch_sha = repo.branch_sha(branch)
    branch_file = None
    foreign = stranded = False
    if branch_sha is not None:
        # Whose work is on the branch is read from its commits that the base lacks, never from a marker:
        # a bot commit on top of a maintainer's must not make the branch look like the bot's alone.
        foreign = any(not c.by_bot for c in repo.commits_ahead(base_branch, branch))
        if open_pr is not None:
            branch_file = repo.read_file(path, branch)
        else:
            # No open PR: only the bot's own commits may be reset, or a branch whose PR was merged (a squash
            # merge leaves its commits outside the base, but their content is in it).
            merged_heads = {p.head_sha for p in closed if p.merged}
            stranded = foreign and branch_sha not in merged_heads
    return BranchFacts(
        base_sha=base_sha,
        base=base,
        open_pr=open_pr,
        closed=closed,
        branch_sha=branch_sha,
        branch=branch_file,
        foreign_commits=foreign,
        stranded=stranded,
    )


def read_state(repo: Repo, settings: Settings) -> RepoState:
    facts = read_branch(repo, settings, settings.pr.branch)
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
        # A line the maintainer deleted from the bot branch is a rejection.
        rejected |= {i for i in marker.proposed_ids if i not in branch_list.arxiv_ids}
    rejected -= base_list.arxiv_ids  # merged papers are in the list, not rejected
    return RepoState(
        base_sha=facts.base_sha,
        base=facts.base,
        base_list=base_list,
        open_pr=facts.open_pr,
        marker=marker,
        branch_sha=facts.branch_sha,
        branch=facts.branch,
        branch_list=branch_list,
        rejected=rejected,
        # A PR from our branch without our marker is someone else's work, whoever made the commits.
        maintainer_commits=facts.branch is not None and (facts.foreign_commits or marker is None),
        stranded_branch=facts.stranded,
    )


@dataclass(frozen=True)
class CatchUpProgress:
    """What GitHub holds of earlier catch-up runs."""

    pulls: dict[str, PullInfo]  # window key -> its pull request (the newest, if several)
    covered: frozenset[str]
    known_ids: frozenset[str]  # proposed, flagged or rejected in any catch-up pull request

    @property
    def open_windows(self) -> list[str]:
        return sorted(key for key, pull in self.pulls.items() if pull.state == "open")


def read_catch_up_progress(repo: Repo, settings: Settings) -> CatchUpProgress:
    pulls: dict[str, PullInfo] = {}
    covered: set[str] = set()
    known: set[str] = set()
    for pull in sorted(
        repo.pulls_from_branches(settings.catch_up.branch_prefix, settings.list.base_branch), key=lambda p: p.number
    ):
        marker = parse_marker(pull.body)
        if marker is None or marker.window is None:
            continue  # not a catch-up pull request the bot wrote
        pulls[marker.window] = pull
        covered |= set(marker.covered)
        known |= {*marker.proposed_ids, *marker.rejected, *(r.arxiv_id for r in marker.flagged)}
    return CatchUpProgress(pulls=pulls, covered=frozenset(covered), known_ids=frozenset(known))


def nightly_known_ids(repo: Repo, settings: Settings) -> set[str]:
    """Papers the nightly pull requests propose, flag or had rejected: the catch-up leaves them alone."""
    known: set[str] = set()
    open_pr = repo.open_pull(settings.pr.branch, settings.list.base_branch)
    for pull in [*([open_pr] if open_pr else []), *repo.closed_pulls(settings.pr.branch, settings.list.base_branch)]:
        marker = parse_marker(pull.body)
        if marker is not None:
            known |= {*marker.proposed_ids, *marker.rejected, *(r.arxiv_id for r in marker.flagged)}
    return known


def list_diff(before: str, after: str, path: str) -> str:
    """The unified diff of the list file a dry run prints and a reviewer reads."""
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True), after.splitlines(keepends=True), fromfile=f"a/{path}", tofile=f"b/{path}"
        )
    )


def _insert(awesome: AwesomeList, proposals: Sequence[Proposal]) -> tuple[AwesomeList, list[Proposal], list[str]]:
    """Insert what can be written, in one splice; the rest (no section, or the list has the same id or
    title) is returned as skipped, for a maintainer to look at."""
    added: list[Proposal] = []
    skipped: list[str] = []
    ids, titles = set(awesome.arxiv_ids), set(awesome.norm_titles)
    for proposal in proposals:
        title = normalize_title(proposal.record.title)
        if proposal.record.section is None or proposal.arxiv_id in ids or (title and title in titles):
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
    settings: Settings,
    include_rejected: bool = False,
    window: WindowMark | None = None,
) -> Plan:
    """What to commit and what the PR should say; pure."""
    known = state.known_ids(include_rejected)
    fresh = [p for p in proposals if p.arxiv_id not in known]
    previous = state.marker
    kept_records = [r for r in (previous.proposed if previous else ()) if r.arxiv_id not in state.rejected]
    kept_flags = [r for r in (previous.flagged if previous else ()) if r.arxiv_id not in state.rejected]

    branch_usable = state.open_pr is not None and state.branch is not None and state.branch_list is not None
    rebuild = (
        branch_usable and not state.maintainer_commits and previous is not None and previous.base_sha != state.base_sha
    )
    if branch_usable and not rebuild:
        assert state.branch is not None and state.branch_list is not None
        start_list, start_from, write_sha, reset = state.branch_list, "branch", state.branch.sha, False
        carried: list[Proposal] = []
    else:
        start_list, start_from, write_sha, reset = state.base_list, "base", state.base.sha, state.branch_sha is not None
        # Rebuilding: carry the still-proposed entries over, with the exact lines the bot wrote before.
        carried = []
        if rebuild and state.branch_list is not None:
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
    marker = Marker(
        base_sha=state.base_sha if start_from == "base" else (previous.base_sha if previous else state.base_sha),
        head_sha=previous.head_sha if previous else None,
        proposed=(*kept_records, *[p.record for p in newly_added]),
        flagged=(*kept_flags, *new_flags),
        rejected=tuple(sorted(state.rejected)),
        window=window.key if window else None,
        covered=tuple(sorted({*(previous.covered if previous else ()), *window.covered})) if window else (),
        last_comment_id=previous.last_comment_id if previous else 0,
        reviewed=previous.reviewed if previous else (),
    )
    text = new_list.to_markdown() if newly_added else None
    before = state.branch.text if start_from == "branch" and state.branch else state.base.text
    diff = list_diff(before, text, settings.list.path) if text is not None else ""
    return Plan(
        text=text,
        start_from=start_from,  # type: ignore[arg-type]
        write_sha=write_sha,
        reset_branch=reset,
        marker=marker,
        new_flags=len(new_flags),
        added=newly_added,
        skipped=skipped,
        diff=diff,
    )


def publish(
    repo: Repo,
    settings: Settings,
    proposals: Sequence[Proposal],
    flagged: Sequence[ProposalRecord],
    facts: RunFacts,
    dry_run: bool,
    include_rejected: bool = False,
    window: WindowMark | None = None,
) -> PublishResult:
    def attempt() -> PublishResult:
        state = read_state(repo, settings)
        if state.stranded_branch:
            raise GitHubError(
                f"branch {settings.pr.branch} has commits curatorbot did not make and no open pull request; "
                "delete the branch or reopen its pull request, then rerun"
            )
        the_plan = plan(state, proposals, flagged, settings, include_rejected, window)
        title = pr_title(settings.pr.title, the_plan.marker.proposed)
        if the_plan.text is None and not (the_plan.new_flags and state.open_pr is not None):
            # No new entry: a pull request cannot be opened for flags alone (it would have no diff).
            undelivered = list(the_plan.marker.flagged) if state.open_pr is None else []
            message = "nothing new to propose; no pull request changed"
            if undelivered:
                message += f"; {count_of(len(undelivered), 'flagged paper')} kept for the next pull request"
            return PublishResult(action="nothing", message=message, undelivered=undelivered)
        if dry_run:
            body = render_body(the_plan.marker, facts)
            return PublishResult(
                action="dry-run",
                message=f"dry run: would propose {count_of(len(the_plan.added), 'paper')}; nothing written",
                title=title,
                body=body,
                diff=the_plan.diff,
                added=[p.arxiv_id for p in the_plan.added],
                skipped=the_plan.skipped,
            )
        return _apply(repo, settings, state, the_plan, facts, title)

    try:
        return attempt()
    except ConflictError:
        return attempt()  # the file moved under us: re-read everything and plan again, once


def _apply(
    repo: Repo, settings: Settings, state: RepoState, the_plan: Plan, facts: RunFacts, title: str
) -> PublishResult:
    branch, base_branch, path = settings.pr.branch, settings.list.base_branch, settings.list.path
    if the_plan.text is None:  # new flags only: the open PR's body changes, the branch does not
        assert state.open_pr is not None
        pr = repo.update_pull(state.open_pr.number, title, render_body(the_plan.marker, facts))
        return PublishResult(
            action="updated",
            message=f"updated pull request #{pr.number}: papers flagged",
            pr=pr,
            skipped=the_plan.skipped,
        )
    if the_plan.start_from == "base":
        if state.branch_sha is None:
            repo.create_branch(branch, state.base_sha)
        elif the_plan.reset_branch:
            repo.reset_branch(branch, state.base_sha)  # only bot work lives there (checked in read_state)
    count = len(the_plan.added)
    head_sha = repo.write_file(
        path,
        the_plan.text,
        the_plan.write_sha,
        branch,
        COMMIT_MESSAGE.format(count=count, s="s" if count != 1 else "", path=path),
    )
    marker = the_plan.marker.model_copy(update={"head_sha": head_sha})
    body = render_body(marker, facts)
    repo.ensure_label(settings.pr.label, settings.pr.label_color, settings.pr.label_description)
    if state.open_pr is not None:
        pr = repo.update_pull(state.open_pr.number, title, body)
        action: Literal["opened", "updated"] = "updated"
    else:
        pr = repo.create_pull(title, body, branch, base_branch)
        action = "opened"
    if settings.pr.label not in pr.labels:
        repo.add_label(pr.number, settings.pr.label)
    return PublishResult(
        action=action,
        message=f"{action} pull request #{pr.number} with {count_of(count, 'new paper')}: {pr.html_url}",
        title=title,
        body=body,
        diff=the_plan.diff,
        pr=pr,
        added=[p.arxiv_id for p in the_plan.added],
        skipped=the_plan.skipped,
    )
