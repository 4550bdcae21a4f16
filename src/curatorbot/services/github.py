"""The GitHub adapter (PyGithub): files, branches, pull requests and labels of the list's repository.

Uses only these REST operations: contents get/put, git refs get/create/update, compare, pulls
list/create/update, labels get/create and issue labels add. Retries follow the one RetryPolicy.
PyGithub objects become our small dataclasses at once, and GithubException becomes GitHubError with a
one-line fix. The token is never printed.
"""

from __future__ import annotations

import base64
import datetime as dt
import time
from collections.abc import Callable
from typing import Any, TypeVar

import requests
from github import Auth, Github, GithubException, InputGitAuthor
from pydantic import SecretStr

from curatorbot.domain.errors import ConflictError, GitHubError
from curatorbot.domain.sanitize import redact
from curatorbot.services.interface import BOT_AUTHOR, CommentInfo, CommitInfo, FileAt, IssueInfo, PullInfo
from curatorbot.services.retry import RETRY_STATUSES, Failed, RetryPolicy, retry_after_seconds, retrying

T = TypeVar("T")


_SECONDARY_LIMIT_WORDS = ("secondary rate limit", "abuse detection")


def _explain(error: GithubException, what: str) -> GitHubError:
    status = error.status
    message = ""
    if isinstance(error.data, dict):
        message = str(error.data.get("message", ""))
    headers = error.headers or {}
    if status == 401:
        return GitHubError(f"GitHub refused the token while {what} (HTTP 401); check GITHUB_TOKEN or GH_TOKEN")
    if status in (403, 429) and any(w in message.lower() for w in _SECONDARY_LIMIT_WORDS):
        return GitHubError(
            f"GitHub's secondary rate limit (too many requests or writes in a short time) stopped {what}; "
            "nothing half-written, rerun in a few minutes"
        )
    if status in (403, 429) and (headers.get("x-ratelimit-remaining") == "0" or "rate limit" in message.lower()):
        reset = headers.get("x-ratelimit-reset")
        when = dt.datetime.fromtimestamp(int(reset), dt.UTC).strftime("%H:%M UTC") if reset else "later"
        return GitHubError(f"GitHub rate limit reached while {what}; nothing half-written, rerun after {when}")
    if status == 403:
        return GitHubError(
            f"GitHub forbids {what} (HTTP 403): give the token contents: write and pull-requests: write, and in "
            "Actions enable Settings > Actions > General > 'Allow GitHub Actions to create and approve pull requests'"
        )
    if status == 404:
        return GitHubError(
            f"GitHub has no such repository, branch or file while {what} (HTTP 404); check list.repo, "
            "list.path and list.base_branch, and that the token can see the repository"
        )
    if status == 422 and "too long" in str(error.data).lower():
        return GitHubError(
            f"GitHub refused {what}: a body is longer than its 65,536 characters; merge or close the pull "
            "request so the next one starts small"
        )
    return GitHubError(f"GitHub answered HTTP {status} while {what}: {message or 'no message'}")


def _retry_hint(error: GithubException) -> tuple[bool, float | None]:
    """(worth retrying, seconds GitHub asked to wait): 5xx and 429, and secondary rate limits (a 403 that
    says so, or carries Retry-After). A primary rate limit is not retried: its reset can be an hour away."""
    headers = {k.lower(): v for k, v in (error.headers or {}).items()}
    message = str(error.data.get("message", "")) if isinstance(error.data, dict) else str(error.data)
    retry_after = retry_after_seconds(headers.get("retry-after"))
    secondary = error.status == 403 and (
        retry_after is not None or any(w in message.lower() for w in _SECONDARY_LIMIT_WORDS)
    )
    if secondary and retry_after is None:
        retry_after = 60.0  # GitHub's documented advice when it gives no Retry-After
    return (error.status in RETRY_STATUSES or secondary), retry_after


class GitHubRepo:
    def __init__(
        self,
        repo: str,
        token: SecretStr | None,
        base_url: str = "https://api.github.com",
        seconds_between_writes: float = 1.0,
        seconds_between_requests: float = 0.25,
        policy: RetryPolicy | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] | None = None,
        redact_also: tuple[str, ...] = (),
    ) -> None:
        auth = Auth.Token(token.get_secret_value()) if token else None
        # Retries are ours (the one RetryPolicy, with its total budget), so PyGithub's are off; writes are
        # spaced as GitHub asks. Lazy: no request until one is needed.
        self.client = Github(
            auth=auth,
            base_url=base_url,
            retry=None,
            timeout=30,
            per_page=100,
            lazy=True,
            seconds_between_writes=seconds_between_writes,
            seconds_between_requests=seconds_between_requests,
        )
        self.full_name = repo
        self.owner = repo.split("/")[0]
        self.repo = self.client.get_repo(repo)
        self.author = InputGitAuthor(*BOT_AUTHOR)
        self.policy = policy or RetryPolicy(base_delay_seconds=2.0)
        self.clock, self.sleep = clock, sleep
        # Never written to GitHub nor shown in an error: the token, and any other secret the caller names.
        self.secrets = (*((token.get_secret_value(),) if token else ()), *redact_also)

    def close(self) -> None:
        self.client.close()

    def _call(self, what: str, operation: Callable[[], T]) -> T:
        """Run one GitHub operation: retried on 5xx, 429, secondary rate limits and dropped connections within
        the retry budget; any other failure becomes one GitHubError that names the fix."""

        def read_failure(error: Exception, attempt: int) -> Failed | None:
            if isinstance(error, GithubException):
                retry, retry_after = _retry_hint(error)
                failure = GitHubError(redact(str(_explain(error, what)), self.secrets))
                return Failed(str(failure), retryable=retry, retry_after=retry_after, error=failure)
            if isinstance(error, requests.RequestException):
                failure = GitHubError(
                    f"GitHub could not be reached while {what} ({type(error).__name__}); "
                    "check the network, or github.base_url for GitHub Enterprise"
                )
                # Unreachable twice: no network or a wrong host; waiting longer rarely helps.
                return Failed(str(failure), retryable=attempt < 1, error=failure)
            return None

        # No retry left: the last failure is raised, in GitHub's words.
        return retrying(operation, read_failure, None, self.policy, self.clock, self.sleep)

    # ---- branches and files --------------------------------------------------------------------

    def branch_sha(self, branch: str) -> str | None:
        def read() -> str | None:
            try:
                return str(self.repo.get_git_ref(f"heads/{branch}").object.sha)
            except GithubException as error:
                if error.status == 404:
                    return None
                raise

        return self._call(f"reading branch {branch}", read)

    def read_file(self, path: str, ref: str) -> FileAt:
        content = self._call(f"reading {path} on {ref}", lambda: self.repo.get_contents(path, ref=ref))
        if isinstance(content, list):
            raise GitHubError(f"{path} on {ref} is a folder; set list.path to the list's Markdown file")
        raw = content.decoded_content if content.content else base64.b64decode(content.content or "")
        return FileAt(text=raw.decode("utf-8"), sha=content.sha)

    def write_file(self, path: str, text: str, sha: str, branch: str, message: str) -> str:
        """Commit `text` to `path` on `branch` if the file is still at `sha`; returns the new commit sha.
        A retried write that had landed finds a new sha: a ConflictError, and the caller re-reads."""

        def write() -> str:
            try:
                result = self.repo.update_file(
                    path, message, redact(text, self.secrets).encode("utf-8"), sha, branch=branch, author=self.author
                )
            except GithubException as error:
                # 409 "README.md does not match <sha>"; 422 when the sha is missing or malformed.
                if error.status == 409 or (error.status == 422 and "sha" in str(error.data).lower()):
                    raise ConflictError(f"{path} on {branch} changed while curatorbot was writing it") from None
                raise
            return str(result["commit"].sha)

        return self._call(f"writing {path} on {branch}", write)

    def create_branch(self, branch: str, sha: str) -> None:
        def create() -> bool:
            try:
                self.repo.create_git_ref(f"refs/heads/{branch}", sha)
            except GithubException as error:
                if error.status == 422 and "already exists" in str(error.data).lower():
                    return False
                raise
            return True

        if not self._call(f"creating branch {branch}", create):
            self.reset_branch(branch, sha)  # adopt the existing branch

    def reset_branch(self, branch: str, sha: str) -> None:
        def reset() -> None:
            ref = self.repo.get_git_ref(f"heads/{branch}")
            # Read it first: a lazy GitRef's URL is /git/ref/ (singular), which PATCH does not accept.
            ref.object  # noqa: B018
            ref.edit(sha, force=True)

        self._call(f"resetting branch {branch}", reset)

    def commits_ahead(self, base: str, branch: str) -> list[CommitInfo]:
        """The commits `branch` has that `base` lacks (compare base...branch), oldest first."""

        def compare() -> list[CommitInfo]:
            comparison = self.repo.compare(base, branch)
            return [
                CommitInfo(
                    sha=c.sha,
                    author_name=c.commit.author.name or "" if c.commit.author else "",
                    author_email=c.commit.author.email or "" if c.commit.author else "",
                    message=c.commit.message or "",
                )
                for c in comparison.commits
            ]

        return self._call(f"comparing {branch} with {base}", compare)

    # ---- pull requests -------------------------------------------------------------------------

    def _pulls(self, state: str, branch: str, base: str) -> list[PullInfo]:
        return self._call(
            f"listing pull requests from {branch}",
            lambda: [self._info(p) for p in self.repo.get_pulls(state=state, head=f"{self.owner}:{branch}", base=base)],
        )

    @staticmethod
    def _info(pull: Any) -> PullInfo:
        return PullInfo(
            number=pull.number,
            title=pull.title or "",
            body=pull.body or "",
            state=pull.state,
            merged=pull.merged_at is not None,
            head_sha=pull.head.sha,
            html_url=pull.html_url,
            labels=tuple(label.name for label in pull.labels),
            branch=pull.head.ref,
        )

    def open_pull(self, branch: str, base: str) -> PullInfo | None:
        pulls = self._pulls("open", branch, base)
        return pulls[0] if pulls else None

    def closed_pulls(self, branch: str, base: str) -> list[PullInfo]:
        return self._pulls("closed", branch, base)

    def pulls_from_branches(self, prefix: str, base: str) -> list[PullInfo]:
        """Every pull request, open or closed, whose branch starts with `prefix` (the catch-up's windows):
        GitHub filters pulls by one exact head only, so all of the base's pulls are listed and filtered."""
        return self._call(
            f"list pull requests from {prefix}*",
            lambda: [
                self._info(p)
                for p in self.repo.get_pulls(state="all", base=base)
                # Only the list's own branches: a fork's pull request may carry any branch name and marker.
                if p.head.ref.startswith(prefix) and p.head.repo is not None and p.head.repo.full_name == self.full_name
            ],
        )

    def create_pull(self, title: str, body: str, branch: str, base: str) -> PullInfo:
        def create() -> PullInfo | None:
            try:
                return self._info(
                    self.repo.create_pull(
                        title=redact(title, self.secrets), body=redact(body, self.secrets), head=branch, base=base
                    )
                )
            except GithubException as error:
                if error.status == 422 and "already exists" in str(error.data).lower():
                    return None
                raise

        created = self._call("opening the pull request", create)
        if created is not None:
            return created
        existing = self.open_pull(branch, base)  # one exists (an earlier attempt landed): adopt it
        if existing is None:
            raise GitHubError(f"GitHub says a pull request from {branch} exists, but lists none open; rerun")
        return self.update_pull(existing.number, title, body)

    def update_pull(self, number: int, title: str, body: str) -> PullInfo:
        def update() -> PullInfo:
            pull = self.repo.get_pull(number)
            pull.edit(title=redact(title, self.secrets), body=redact(body, self.secrets))
            return self._info(pull)

        return self._call(f"updating pull request #{number}", update)

    def ensure_label(self, name: str, color: str, description: str) -> None:
        def ensure() -> None:
            try:
                self.repo.get_label(name).color  # noqa: B018 (the attribute read makes the lazy object fetch)
            except GithubException as error:
                if error.status != 404:
                    raise
                self.repo.create_label(name, color, description)

        self._call(f"creating label {name}", ensure)

    def add_label(self, number: int, name: str) -> None:
        self._call(f"labelling pull request #{number}", lambda: self.repo.get_pull(number).add_to_labels(name))

    # ---- review from the pull request ------------------------------------------------------------

    def pull_comments(self, number: int, after_id: int = 0) -> list[CommentInfo]:
        def read() -> list[CommentInfo]:
            return [
                CommentInfo(
                    id=c.id,
                    author=c.user.login if c.user else "",
                    body=c.body or "",
                    is_bot=bool(c.user) and (c.user.type == "Bot" or c.user.login.endswith("[bot]")),
                )
                for c in self.repo.get_pull(number).get_issue_comments()
                if c.id > after_id
            ]

        return self._call(f"reading the comments of pull request #{number}", read)

    def permission(self, login: str) -> str:
        """admin, write, read or none: the collaborator permission endpoint, never author_association."""

        def read() -> str:
            try:
                return str(self.repo.get_collaborator_permission(login))
            except GithubException as error:
                if error.status == 404:  # not a collaborator of a repository the token can see
                    return "none"
                raise

        return self._call(f"checking the permission of {login}", read)

    # ---- the dashboard issue ---------------------------------------------------------------------

    @staticmethod
    def _issue_info(issue: Any) -> IssueInfo:
        return IssueInfo(
            number=issue.number,
            title=issue.title or "",
            body=issue.body or "",
            state=issue.state,
            locked=bool(issue.locked),
            html_url=issue.html_url,
            labels=tuple(label.name for label in issue.labels),
        )

    def issues_labelled(self, label: str) -> list[IssueInfo]:
        """Open and closed issues with this label, oldest first (GitHub lists pull requests as issues too:
        those are left out)."""
        return self._call(
            f"listing issues labelled {label}",
            lambda: sorted(
                (
                    self._issue_info(i)
                    for i in self.repo.get_issues(state="all", labels=[label])
                    if i.pull_request is None
                ),
                key=lambda i: i.number,
            ),
        )

    def create_issue(self, title: str, body: str, label: str) -> IssueInfo:
        return self._call(
            "opening the dashboard issue",
            lambda: self._issue_info(
                self.repo.create_issue(
                    title=redact(title, self.secrets), body=redact(body, self.secrets), labels=[label]
                )
            ),
        )

    def update_issue(self, number: int, body: str) -> IssueInfo:
        def update() -> IssueInfo:
            issue = self.repo.get_issue(number)
            issue.edit(body=redact(body, self.secrets))
            return self._issue_info(issue)

        return self._call(f"updating issue #{number}", update)

    def reply(self, number: int, body: str) -> None:
        self._call(
            f"answering on pull request #{number}",
            lambda: self.repo.get_pull(number).create_issue_comment(redact(body, self.secrets)),
        )

    def react(self, number: int, comment_id: int, content: str) -> None:
        # get_issue_comment builds the comment lazily: the reaction is posted without reading it first.
        self._call(
            f"reacting to comment {comment_id}",
            lambda: self.repo.get_pull(number).get_issue_comment(comment_id).create_reaction(content),
        )
