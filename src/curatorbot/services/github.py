"""The GitHub adapter (PyGithub): files, branches, pull requests and labels of the list's repository.

Uses only these REST operations: contents get/put, git refs get/create/update, pulls list/create/update,
labels get/create and issue labels add. PyGithub objects become our small dataclasses at once, and
GithubException becomes GitHubError with a one-line fix. The token is never printed.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import requests
from github import Auth, Github, GithubException, InputGitAuthor
from pydantic import SecretStr

from curatorbot.core.errors import GitHubError
from curatorbot.core.interface import BOT_AUTHOR, CommitInfo, ConflictError, FileAt, PullInfo


def _explain(error: GithubException, what: str) -> GitHubError:
    status = error.status
    message = ""
    if isinstance(error.data, dict):
        message = str(error.data.get("message", ""))
    headers = error.headers or {}
    if status == 401:
        return GitHubError(f"GitHub refused the token while {what} (HTTP 401); check GITHUB_TOKEN or GH_TOKEN")
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
    return GitHubError(f"GitHub answered HTTP {status} while {what}: {message or 'no message'}")


@contextmanager
def _calling(what: str) -> Iterator[None]:
    try:
        yield
    except GithubException as error:
        raise _explain(error, what) from None
    except requests.RequestException as error:
        raise GitHubError(
            f"GitHub could not be reached while {what} ({type(error).__name__}); "
            "check the network, or github.base_url for GitHub Enterprise"
        ) from None


class GitHubRepo:
    def __init__(
        self,
        repo: str,
        token: SecretStr | None,
        base_url: str = "https://api.github.com",
        seconds_between_writes: float = 1.0,
        seconds_between_requests: float = 0.25,
    ) -> None:
        auth = Auth.Token(token.get_secret_value()) if token else None
        # Retries are PyGithub's (urllib3 Retry): 3 attempts on 5xx with backoff, and it waits on
        # secondary rate limits; writes are spaced as GitHub asks. Lazy: no request until one is needed.
        self.client = Github(
            auth=auth,
            base_url=base_url,
            retry=3,
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

    def close(self) -> None:
        self.client.close()

    # ---- branches and files --------------------------------------------------------------------

    def branch_sha(self, branch: str) -> str | None:
        with _calling(f"reading branch {branch}"):
            try:
                return str(self.repo.get_git_ref(f"heads/{branch}").object.sha)
            except GithubException as error:
                if error.status == 404:
                    return None
                raise

    def read_file(self, path: str, ref: str) -> FileAt:
        with _calling(f"reading {path} on {ref}"):
            content = self.repo.get_contents(path, ref=ref)
        if isinstance(content, list):
            raise GitHubError(f"{path} on {ref} is a folder; set list.path to the list's Markdown file")
        raw = content.decoded_content if content.content else base64.b64decode(content.content or "")
        return FileAt(text=raw.decode("utf-8"), sha=content.sha)

    def write_file(self, path: str, text: str, sha: str, branch: str, message: str) -> str:
        """Commit `text` to `path` on `branch` if the file is still at `sha`; returns the new commit sha."""
        with _calling(f"writing {path} on {branch}"):
            try:
                result = self.repo.update_file(
                    path, message, text.encode("utf-8"), sha, branch=branch, author=self.author
                )
            except GithubException as error:
                # 409 "README.md does not match <sha>"; 422 when the sha is missing or malformed.
                if error.status == 409 or (error.status == 422 and "sha" in str(error.data).lower()):
                    raise ConflictError(f"{path} on {branch} changed while curatorbot was writing it") from None
                raise
            return str(result["commit"].sha)

    def create_branch(self, branch: str, sha: str) -> None:
        with _calling(f"creating branch {branch}"):
            try:
                self.repo.create_git_ref(f"refs/heads/{branch}", sha)
            except GithubException as error:
                if error.status == 422 and "already exists" in str(error.data).lower():
                    self.reset_branch(branch, sha)  # adopt the existing branch
                    return
                raise

    def reset_branch(self, branch: str, sha: str) -> None:
        with _calling(f"resetting branch {branch}"):
            ref = self.repo.get_git_ref(f"heads/{branch}")
            # Read it first: a lazy GitRef's URL is /git/ref/ (singular), which PATCH does not accept.
            ref.object  # noqa: B018
            ref.edit(sha, force=True)

    def commits_ahead(self, base: str, branch: str) -> list[CommitInfo]:
        """The commits `branch` has that `base` lacks (compare base...branch), oldest first."""
        with _calling(f"comparing {branch} with {base}"):
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

    # ---- pull requests -------------------------------------------------------------------------

    def _pulls(self, state: str, branch: str, base: str) -> list[PullInfo]:
        with _calling(f"listing pull requests from {branch}"):
            pulls = self.repo.get_pulls(state=state, head=f"{self.owner}:{branch}", base=base)
            return [self._info(p) for p in pulls]

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
        )

    def open_pull(self, branch: str, base: str) -> PullInfo | None:
        pulls = self._pulls("open", branch, base)
        return pulls[0] if pulls else None

    def closed_pulls(self, branch: str, base: str) -> list[PullInfo]:
        return self._pulls("closed", branch, base)

    def create_pull(self, title: str, body: str, branch: str, base: str) -> PullInfo:
        with _calling("opening the pull request"):
            try:
                return self._info(self.repo.create_pull(title=title, body=body, head=branch, base=base))
            except GithubException as error:
                if error.status == 422 and "already exists" in str(error.data).lower():
                    existing = self.open_pull(branch, base)  # adopt it
                    if existing is not None:
                        return self.update_pull(existing.number, title, body)
                raise

    def update_pull(self, number: int, title: str, body: str) -> PullInfo:
        with _calling(f"updating pull request #{number}"):
            pull = self.repo.get_pull(number)
            pull.edit(title=title, body=body)
            return self._info(pull)

    def ensure_label(self, name: str, color: str, description: str) -> None:
        with _calling(f"creating label {name}"):
            try:
                self.repo.get_label(name).color  # noqa: B018 (the attribute read makes the lazy object fetch)
            except GithubException as error:
                if error.status != 404:
                    raise
                self.repo.create_label(name, color, description)

    def add_label(self, number: int, name: str) -> None:
        with _calling(f"labelling pull request #{number}"):
            self.repo.get_pull(number).add_to_labels(name)
