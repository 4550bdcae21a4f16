"""The one engine that writes every bot branch and pull request: nightly, catch-up windows, maintenance
and review differ only in what they plan, their target (branch, title, label) and their body.

Its rules, written once:
- what a branch holds is read from its commits, never from a marker: a branch with a commit curatorbot did
  not make keeps it, and new work goes on top;
- a branch with someone else's commits and no open pull request is never reset (a one-line error);
- a branch that holds the bot's work alone is rebuilt from the base when the base moved, and reset when
  its pull request is gone (also the repair after a run that failed between resetting and opening);
- every commit is a whole list file written against the blob sha it was planned on, so a file that moved
  meanwhile is a ConflictError and the job plans again from a fresh read (once);
- the label exists and is on the pull request; never two open pull requests for one branch.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal, TypeVar

from curatorbot.config import Settings
from curatorbot.domain.arxiv_query import Window
from curatorbot.domain.errors import ConflictError, GitHubError
from curatorbot.domain.pull_request import carry_over_boxes
from curatorbot.services.interface import FileAt, PullInfo, Repo

T = TypeVar("T")
ZERO_SHA = "0" * 40


@dataclass(frozen=True)
class Target:
    """Where one job writes: the slice of settings the engine needs."""

    repo: str  # owner/name, for messages
    path: str  # the list file
    base: str  # the base branch
    branch: str
    title: str
    label: str
    label_color: str
    label_description: str

    @classmethod
    def nightly(cls, settings: Settings) -> Target:
        pr = settings.pr
        return cls._of(settings, pr.branch, pr.title, pr.label, pr.label_color, pr.label_description)

    @classmethod
    def catch_up(cls, settings: Settings, window: Window | str) -> Target:
        """A catch-up window's target, by its window or its key (2024-05, as the branch and marker hold it)."""
        pr, rules = settings.pr, settings.catch_up
        key = window if isinstance(window, str) else window.key
        branch, title = f"{rules.branch_prefix}{key}", rules.title.format(window=key)
        return cls._of(settings, branch, title, pr.label, pr.label_color, pr.label_description)

    @classmethod
    def maintenance(cls, settings: Settings) -> Target:
        m = settings.maintenance
        return cls._of(settings, m.branch, m.title, m.label, m.label_color, m.label_description)

    @classmethod
    def _of(cls, settings: Settings, branch: str, title: str, label: str, color: str, description: str) -> Target:
        list_ = settings.list
        return cls(list_.repo or "", list_.path, list_.base_branch, branch, title, label, color, description)


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

    @classmethod
    def local(cls, text: str) -> BranchFacts:
        """A list that lives in a local file: no branch, no pull request, no memory."""
        return cls(ZERO_SHA, FileAt(text=text, sha=ZERO_SHA), None, (), None, None, False, False)


def read_branch(repo: Repo, target: Target) -> BranchFacts:
    base_sha = repo.branch_sha(target.base)
    if base_sha is None:
        raise GitHubError(
            f"GitHub shows no branch '{target.base}' in {target.repo}: either the repository does not exist "
            "or the token cannot see it (check list.repo, and that GITHUB_TOKEN can read that repository), or its "
            "default branch has another name (check list.base_branch)"
        )
    base = repo.read_file(target.path, target.base)
    open_pr = repo.open_pull(target.branch, target.base)
    closed = tuple(repo.closed_pulls(target.branch, target.base))
    branch_sha = repo.branch_sha(target.branch)
    branch_file = None
    foreign = stranded = False
    if branch_sha is not None:
        # Whose work is on the branch is read from its commits that the base lacks, never from a marker:
        # a bot commit on top of a maintainer's must not make the branch look like the bot's alone.
        foreign = any(not c.by_bot for c in repo.commits_ahead(target.base, target.branch))
        if open_pr is not None:
            branch_file = repo.read_file(target.path, target.branch)
        else:
            # No open PR: the bot's own commits may be reset, and so may a branch whose tip a closed pull
            # request holds (merged: its content is in the base; closed unmerged: its papers are remembered
            # as rejected and its commits stay reachable through the pull request). Work pushed after the
            # pull request closed is in no pull request: never reset.
            closed_heads = {p.head_sha for p in closed}
            stranded = foreign and branch_sha not in closed_heads
    facts = BranchFacts(base_sha, base, open_pr, closed, branch_sha, branch_file, foreign, stranded)
    if facts.stranded:
        raise GitHubError(
            f"branch {target.branch} has commits curatorbot did not make and no open pull request; "
            "delete the branch or reopen its pull request, then rerun"
        )
    return facts


@dataclass(frozen=True)
class Start:
    """Where new work starts: on the open pull request's branch (keeping whatever is there), or on the base
    (a fresh branch, or the bot's own branch rebuilt)."""

    on: Literal["branch", "base"]
    text: str  # the list file the work starts from
    sha: str  # the blob sha the first write must find
    reset: bool  # the branch exists and is moved to the base first
    rebuild: bool  # the open pull request's bot-only branch is rebuilt on a base that moved

    @classmethod
    def on_open_branch(cls, facts: BranchFacts) -> Start:
        """Work that belongs on the open pull request's branch as it is (review)."""
        assert facts.branch is not None, "only a branch with an open pull request is read"
        return cls("branch", facts.branch.text, facts.branch.sha, reset=False, rebuild=False)


def where_to_start(facts: BranchFacts, marker_base_sha: str | None, has_marker: bool) -> Start:
    """`marker_base_sha`: the base the open pull request's work was planned on (from its marker)."""
    usable = facts.open_pr is not None and facts.branch is not None
    # A pull request from our branch without our marker is someone else's work, whoever made the commits.
    maintainers = facts.foreign_commits or not has_marker
    rebuild = usable and not maintainers and has_marker and marker_base_sha != facts.base_sha
    if usable and not rebuild:
        return Start.on_open_branch(facts)
    return Start("base", facts.base.text, facts.base.sha, reset=facts.branch_sha is not None, rebuild=rebuild)


@dataclass(frozen=True)
class Commit:
    text: str  # the whole list file after this commit
    message: str


@dataclass(frozen=True)
class Written:
    action: Literal["opened", "updated"]
    pr: PullInfo
    body: str
    head_sha: str | None  # the last commit written, or None when only the body changed


def write(
    repo: Repo,
    target: Target,
    facts: BranchFacts,
    start: Start,
    commits: Sequence[Commit],
    title: str,
    body: Callable[[str | None], str],
) -> Written:
    """Commit `commits` in order on the branch (from `start`), then open or update the pull request with
    `body(head_sha)` and its label. No commits: only the open pull request's title and body change."""
    head_sha: str | None = None
    if commits:
        if start.on == "base":
            if facts.branch_sha is None:
                repo.create_branch(target.branch, facts.base_sha)
            elif start.reset:
                repo.reset_branch(target.branch, facts.base_sha)  # only bot work lives there (read_branch)
        sha = start.sha
        for number, commit in enumerate(commits):
            if number:
                sha = repo.read_file(target.path, target.branch).sha  # the blob the previous commit wrote
            head_sha = repo.write_file(target.path, commit.text, sha, target.branch, commit.message)
    elif facts.open_pr is None:
        raise ValueError("a pull request cannot be opened without a commit")
    text = body(head_sha)
    repo.ensure_label(target.label, target.label_color, target.label_description)
    if facts.open_pr is not None:
        # A box a maintainer ticked or unticked while this run worked is carried over, not overwritten.
        current = repo.open_pull(target.branch, target.base)
        if current is not None and current.body != facts.open_pr.body:
            text = carry_over_boxes(facts.open_pr.body, current.body, text)
        pr, action = repo.update_pull(facts.open_pr.number, title, text), "updated"
    else:
        pr, action = repo.create_pull(title, text, target.branch, target.base), "opened"
    if target.label not in pr.labels:
        repo.add_label(pr.number, target.label)
    return Written(action, pr, text, head_sha)  # type: ignore[arg-type]


def retrying_conflicts(attempt: Callable[[], T]) -> T:
    """Run a job's read-plan-write once more from a fresh read when the file moved under it."""
    try:
        return attempt()
    except ConflictError:
        return attempt()
