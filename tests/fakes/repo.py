"""The service interface's `Repo` in process, over the GitHub fake's own state: the engine and job tests
drive it without HTTP, and a maintainer's merge, close or commit (GitHubFake's helpers) shows in both this
and the served fake. The adapter itself is covered over HTTP by the end-to-end tests."""

from __future__ import annotations

from curatorbot.domain.errors import ConflictError, GitHubError
from curatorbot.services.interface import BOT_AUTHOR, CommentInfo, CommitInfo, FileAt, IssueInfo, PullInfo
from fakes.github_fake import BODY_LIMIT, GitHubFake, Issue, Pull, blob_sha


class InProcessRepo:
    def __init__(self, fake: GitHubFake, fail_on: dict[str, int] | None = None) -> None:
        self.fake = fake
        self.calls: list[str] = []
        self.fail_on = dict(fail_on or {})  # method name -> how many calls of it fail with a GitHub 5xx

    def _call(self, name: str) -> None:
        self.calls.append(name)
        if self.fail_on.get(name):
            self.fail_on[name] -= 1
            raise GitHubError(f"GitHub answered HTTP 502 for {name}; injected")

    def _pull_info(self, pull: Pull) -> PullInfo:
        head_sha = self.fake.refs.get(pull.head, pull.head_sha) if pull.state == "open" else pull.head_sha
        return PullInfo(
            number=pull.number,
            title=pull.title,
            body=pull.body,
            state=pull.state,
            merged=pull.merged,
            head_sha=head_sha,
            html_url=f"https://github.com/{self.fake.owner}/{self.fake.name}/pull/{pull.number}",
            labels=tuple(pull.labels),
            branch=pull.head,
        )

    def branch_sha(self, branch: str) -> str | None:
        self._call("branch_sha")
        return self.fake.refs.get(branch)

    def read_file(self, path: str, ref: str) -> FileAt:
        self._call("read_file")
        text = self.fake.commits[self.fake.refs[ref]].files[path]
        return FileAt(text=text, sha=blob_sha(text))

    def write_file(self, path: str, text: str, sha: str, branch: str, message: str) -> str:
        self._call("write_file")
        fake = self.fake
        with fake.lock:
            head = fake.refs[branch]
            current = fake.commits[head].files.get(path)
            if current is not None and sha != blob_sha(current):
                raise ConflictError(f"{path} changed on {branch} meanwhile; read it again")
            fake.refs[branch] = fake._commit((head,), {**fake.commits[head].files, path: text}, BOT_AUTHOR, message)
            return fake.refs[branch]

    def create_branch(self, branch: str, sha: str) -> None:
        self._call("create_branch")
        if branch in self.fake.refs:
            raise GitHubError(f"branch {branch} exists")
        self.fake.refs[branch] = sha

    def reset_branch(self, branch: str, sha: str) -> None:
        self._call("reset_branch")
        self.fake.refs[branch] = sha

    def commits_ahead(self, base: str, branch: str) -> list[CommitInfo]:
        self._call("commits_ahead")
        fake = self.fake
        in_base = fake._ancestors(fake.refs[base])
        order = list(fake.commits)
        ahead = sorted((s for s in fake._ancestors(fake.refs[branch]) if s not in in_base), key=order.index)
        return [
            CommitInfo(sha, fake.commits[sha].author[0], fake.commits[sha].author[1], fake.commits[sha].message)
            for sha in ahead
        ]

    def open_pull(self, branch: str, base: str) -> PullInfo | None:
        self._call("open_pull")
        found = [p for p in self.fake.pulls if self._own(p, branch, base) and p.state == "open"]
        return self._pull_info(found[0]) if found else None

    def closed_pulls(self, branch: str, base: str) -> list[PullInfo]:
        self._call("closed_pulls")
        return [
            self._pull_info(p) for p in self.fake.pulls if p.head == branch and p.base == base and p.state == "closed"
        ]

    def pulls_from_branches(self, prefix: str, base: str) -> list[PullInfo]:
        self._call("pulls_from_branches")
        return [
            self._pull_info(p)
            for p in self.fake.pulls
            if p.head.startswith(prefix) and p.base == base and p.fork_owner is None
        ]

    @staticmethod
    def _own(pull: Pull, branch: str, base: str) -> bool:
        """A pull request from the list's own branch (as GitHub's head=owner:branch filter answers)."""
        return pull.head == branch and pull.base == base and pull.fork_owner is None

    def create_pull(self, title: str, body: str, branch: str, base: str) -> PullInfo:
        self._call("create_pull")
        fake = self.fake
        if any(p.head == branch and p.state == "open" for p in fake.pulls):
            raise GitHubError(f"a pull request for {branch} is already open")
        pull = Pull(len(fake.pulls) + 1, title, body, branch, base)
        fake.pulls.append(pull)
        return self._pull_info(pull)

    def update_pull(self, number: int, title: str, body: str) -> PullInfo:
        self._call("update_pull")
        pull = self.fake.pulls[number - 1]
        pull.title, pull.body = title, body
        return self._pull_info(pull)

    def ensure_label(self, name: str, color: str, description: str) -> None:
        self._call("ensure_label")
        self.fake.labels.setdefault(name, {"color": color, "description": description})

    def add_label(self, number: int, name: str) -> None:
        self._call("add_label")
        self.fake.pulls[number - 1].labels.append(name)

    def pull_comments(self, number: int, after_id: int = 0) -> list[CommentInfo]:
        self._call("pull_comments")
        return [
            CommentInfo(id=c[0], author=c[2], body=c[4], is_bot=c[3] == "Bot")
            for c in self.fake.comments_on(number)
            if c[0] > after_id
        ]

    def permission(self, login: str) -> str:
        self._call("permission")
        return self.fake.collaborators.get(login, "none")

    def reply(self, number: int, body: str) -> None:
        self._call("reply")
        self.fake.comment(number, BOT_AUTHOR[0], body, author_type="Bot")

    def react(self, number: int, comment_id: int, content: str) -> None:
        self._call("react")
        self.fake.reactions.append((comment_id, content))

    # ---- the dashboard issue -----------------------------------------------------------------------

    def _issue_info(self, issue: Issue) -> IssueInfo:
        return IssueInfo(
            number=issue.number,
            title=issue.title,
            body=issue.body,
            state=issue.state,
            locked=issue.locked,
            html_url=f"https://github.com/{self.fake.owner}/{self.fake.name}/issues/{issue.number}",
            labels=tuple(issue.labels),
        )

    def issues_labelled(self, label: str) -> list[IssueInfo]:
        self._call("issues_labelled")
        return [self._issue_info(i) for i in sorted(self.fake.issues, key=lambda i: i.number) if label in i.labels]

    def create_issue(self, title: str, body: str, label: str) -> IssueInfo:
        self._call("create_issue")
        if len(body) > BODY_LIMIT:
            raise GitHubError("GitHub refused opening the dashboard issue: a body is longer than its 65,536 characters")
        number = self.fake.open_issue(title, body, [label])
        return self._issue_info(self.fake.issue(number))

    def update_issue(self, number: int, body: str) -> IssueInfo:
        self._call("update_issue")
        issue = self.fake.issue(number)
        if issue.locked:
            raise GitHubError(f"GitHub forbids updating issue #{number} (HTTP 403): Issue is locked")
        issue.body = body
        return self._issue_info(issue)
