"""The service interface: what the core asks of arXiv, the LLM endpoint, GitHub and local state, as
protocols, and the value types and errors the adapters in `curatorbot.services` return.

The core depends on this module only; adapters implement it and convert vendor objects at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from curatorbot.domain.models import Decision, FeedSnapshot, Paper
from curatorbot.domain.pull_request import ProposalRecord

OutputMode = Literal["json_schema", "json_object", "prompt"]


# ---- arXiv -------------------------------------------------------------------------------------


class ArxivSource(Protocol):
    def feed(self, category: str) -> FeedSnapshot: ...
    def search(self, query: str, first_day: dt.date, last_day: dt.date) -> list[Paper]: ...


# ---- the LLM endpoint ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LLMAnswer:
    content: str | None
    refusal: str | None
    prompt_tokens: int
    completion_tokens: int
    mode: OutputMode


class ChatBackend(Protocol):
    model: str

    def complete(self, messages: list[dict[str, str]], schema: dict[str, Any], max_tokens: int) -> LLMAnswer: ...


class DecisionStore(Protocol):
    def get(self, paper: Paper, prompt_sha: str, model: str, backend: str) -> Decision | None: ...
    def put(self, paper: Paper, decision: Decision) -> None: ...


@dataclass(frozen=True)
class CarriedWork:
    """What a run could not finish and the next one takes first: papers the budget guard deferred, and
    flagged papers that reached no pull request. Nothing a run touches is dropped."""

    deferred: tuple[Paper, ...] = ()
    flagged: tuple[ProposalRecord, ...] = ()


class PaperRecords(Protocol):
    """arXiv records kept on disk, so `learn` asks arXiv for each paper and each searched month once."""

    def records(self, ids: Sequence[str]) -> dict[str, Paper]: ...
    def put_records(self, papers: Sequence[Paper]) -> None: ...
    def month(self, query: str, month: str) -> list[Paper] | None: ...
    def put_month(self, query: str, month: str, papers: Sequence[Paper]) -> None: ...


class FeedMemory(Protocol):
    """The last announcement a run processed, and its carried work, per set of categories."""

    def last_seen(self, categories: Sequence[str]) -> dt.date | None: ...
    def record(self, categories: Sequence[str], announced: dt.date) -> None: ...
    def carried(self, categories: Sequence[str]) -> CarriedWork: ...
    def carry(self, categories: Sequence[str], work: CarriedWork) -> None: ...
    def note_new_versions(self, versions: dict[str, str]) -> None: ...


# ---- GitHub --------------------------------------------------------------------------------------


# The identity curatorbot commits under: its commits are recognised by it, never by what a marker says.
BOT_AUTHOR = ("curatorbot", "curatorbot@users.noreply.github.com")


@dataclass(frozen=True)
class FileAt:
    text: str
    sha: str


@dataclass(frozen=True)
class PullInfo:
    number: int
    title: str
    body: str
    state: str
    merged: bool
    head_sha: str
    html_url: str
    labels: tuple[str, ...] = ()
    branch: str = ""


@dataclass(frozen=True)
class CommitInfo:
    """A commit on the bot branch that the base branch lacks."""

    sha: str
    author_name: str
    author_email: str
    message: str

    @property
    def by_bot(self) -> bool:
        return (self.author_name, self.author_email) == BOT_AUTHOR


@dataclass(frozen=True)
class CommentInfo:
    """A comment on the bot's pull request (an issue comment)."""

    id: int
    author: str
    body: str
    is_bot: bool  # GitHub says the author is a bot account (curatorbot's own, or another bot)


@dataclass(frozen=True)
class IssueInfo:
    """An issue of the list's repository (the dashboard)."""

    number: int
    title: str
    body: str
    state: str  # open or closed
    locked: bool
    html_url: str
    labels: tuple[str, ...] = ()


class Repo(Protocol):
    def branch_sha(self, branch: str) -> str | None: ...
    def read_file(self, path: str, ref: str) -> FileAt: ...
    def write_file(self, path: str, text: str, sha: str, branch: str, message: str) -> str: ...
    def create_branch(self, branch: str, sha: str) -> None: ...
    def reset_branch(self, branch: str, sha: str) -> None: ...
    def commits_ahead(self, base: str, branch: str) -> list[CommitInfo]: ...
    def open_pull(self, branch: str, base: str) -> PullInfo | None: ...
    def closed_pulls(self, branch: str, base: str) -> list[PullInfo]: ...
    def pulls_from_branches(self, prefix: str, base: str) -> list[PullInfo]: ...
    def create_pull(self, title: str, body: str, branch: str, base: str) -> PullInfo: ...
    def update_pull(self, number: int, title: str, body: str) -> PullInfo: ...
    def ensure_label(self, name: str, color: str, description: str) -> None: ...
    def add_label(self, number: int, name: str) -> None: ...
    def pull_comments(self, number: int, after_id: int = 0) -> list[CommentInfo]: ...
    def permission(self, login: str) -> str: ...
    def issues_labelled(self, label: str) -> list[IssueInfo]: ...
    def create_issue(self, title: str, body: str, label: str) -> IssueInfo: ...
    def update_issue(self, number: int, body: str) -> IssueInfo: ...
    def reply(self, number: int, body: str) -> None: ...
    def react(self, number: int, comment_id: int, content: str) -> None: ...
