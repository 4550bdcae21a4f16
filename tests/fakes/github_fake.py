"""A stateful fake of the GitHub REST subset curatorbot uses, served over HTTP on loopback so that
PyGithub makes real requests. Every body it sends is validated against GitHub's official schema
(github_schema.py) before it leaves, so the fake cannot drift from the real API's shapes.

It holds one repository: branches as refs to commits, commits as whole file trees, pull requests and
labels; and it offers what maintainers do (edit the bot branch, merge, close) for lifecycle scenarios.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

from fakes.github_schema import build, validate
from fakes.serving import QuietHandler, serve_handler

BODY_LIMIT = 65_536  # characters GitHub takes in a pull request, issue or comment body
PORT = 8810  # fixed only for tests that record cassettes from the fake; live runs take a free port
API = f"http://127.0.0.1:{PORT}"


def blob_sha(text: str) -> str:
    data = text.encode("utf-8")
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


MAINTAINER = ("maintainer", "maintainer@example.com")


@dataclass
class Commit:
    sha: str
    parents: tuple[str, ...]
    files: dict[str, str]
    author: tuple[str, str]  # (name, email), as git records it
    message: str


@dataclass
class Pull:
    number: int
    title: str
    body: str
    head: str
    base: str
    state: str = "open"
    merged: bool = False
    head_sha: str = ""
    labels: list[str] = field(default_factory=list)
    fork_owner: str | None = None  # a pull request from a fork: its head lives in this owner's copy
    author: str = "curatorbot"


@dataclass
class Issue:
    number: int
    title: str
    body: str
    labels: list[str] = field(default_factory=list)
    state: str = "open"
    locked: bool = False
    author: str = "curatorbot"


ISSUE_NUMBERS = 500  # issues are numbered apart from the fake's pull requests, so neither is taken for the other


class GitHubFake:
    def __init__(
        self, owner: str, name: str, files: dict[str, str], default_branch: str = "main", api: str = API
    ) -> None:
        self.owner, self.name, self.api = owner, name, api
        self.commits: dict[str, Commit] = {}
        self.refs: dict[str, str] = {}
        self.pulls: list[Pull] = []
        self.issues: list[Issue] = []
        self.labels: dict[str, dict[str, str]] = {}
        # Issue comments: (id, issue number, author login, author type, body); reactions: (comment id, content).
        self.comments: list[tuple[int, int, str, str, str]] = []
        self.reactions: list[tuple[int, str]] = []
        self.collaborators: dict[str, str] = {}  # login -> permission (admin, write, read); others: none
        self.requests: list[tuple[str, str]] = []
        self.errors: list[str] = []
        # Faults to answer instead of the real work, each once: (method, route regex, operation id, status,
        # headers). Only statuses the operation documents, so that the answer still passes the schema check.
        self.faults: list[tuple[str, str, str, int, dict[str, str]]] = []
        self.fault_headers: dict[int, dict[str, str]] = {}  # per serving thread, for the answer being sent
        self.lock = threading.Lock()
        self.refs[default_branch] = self._commit((), dict(files), MAINTAINER, "initial commit")

    # ---- state helpers -------------------------------------------------------------------------

    def _commit(self, parents: tuple[str, ...], files: dict[str, str], author: tuple[str, str], message: str) -> str:
        sha = hashlib.sha1(
            f"{parents}{json.dumps(files, sort_keys=True)}{author}{message}{len(self.commits)}".encode()
        ).hexdigest()
        self.commits[sha] = Commit(sha, parents, files, author, message)
        return sha

    def _ancestors(self, sha: str) -> set[str]:
        seen: set[str] = set()
        stack = [sha]
        while stack:
            current = stack.pop()
            if current not in seen:
                seen.add(current)
                stack.extend(self.commits[current].parents)
        return seen

    def file(self, branch: str, path: str = "README.md") -> str:
        return self.commits[self.refs[branch]].files[path]

    def maintainer_commit(self, branch: str, path: str, text: str, message: str = "maintainer edit") -> str:
        with self.lock:
            head = self.refs[branch]
            files = {**self.commits[head].files, path: text}
            self.refs[branch] = self._commit((head,), files, MAINTAINER, message)
            return self.refs[branch]

    def merge(self, number: int) -> None:
        with self.lock:
            pull = self.pulls[number - 1]
            head_files = self.commits[self.refs[pull.head]].files
            # A merge commit: both tips are its parents, so the branch's commits are in the base now.
            self.refs[pull.base] = self._commit(
                (self.refs[pull.base], self.refs[pull.head]), dict(head_files), MAINTAINER, f"Merge #{number}"
            )
            pull.state, pull.merged, pull.head_sha = "closed", True, self.refs[pull.head]

    def close(self, number: int) -> None:
        with self.lock:
            pull = self.pulls[number - 1]
            pull.state, pull.head_sha = "closed", self.refs.get(pull.head, pull.head_sha)

    def comment(self, number: int, author: str, body: str, author_type: str = "User") -> int:
        """A comment someone writes on pull request `number`; its id."""
        with self.lock:
            comment_id = 9000 + len(self.comments) + 1
            self.comments.append((comment_id, number, author, author_type, body))
            return comment_id

    def comments_on(self, number: int) -> list[tuple[int, int, str, str, str]]:
        return [c for c in self.comments if c[1] == number]

    def fork_pull(self, owner: str, branch: str, title: str, body: str, base: str = "main") -> int:
        """A pull request a stranger opens from their fork, with any branch name and body they like."""
        with self.lock:
            pull = Pull(
                len(self.pulls) + 1, title, body, branch, base, head_sha="f" * 40, fork_owner=owner, author=owner
            )
            self.pulls.append(pull)
            return pull.number

    def open_pulls(self) -> list[Pull]:
        return [p for p in self.pulls if p.state == "open"]

    def issue(self, number: int) -> Issue:
        return next(i for i in self.issues if i.number == number)

    def open_issue(self, title: str, body: str, labels: list[str], author: str = "curatorbot") -> int:
        """An issue someone opens by hand (a second dashboard, say); its number."""
        with self.lock:
            issue = Issue(ISSUE_NUMBERS + len(self.issues) + 1, title, body, list(labels), author=author)
            self.issues.append(issue)
            return issue.number

    # ---- representations -------------------------------------------------------------------------

    @property
    def repo_url(self) -> str:
        return f"{self.api}/repos/{self.owner}/{self.name}"

    def _user(self, login: str = "curatorbot") -> dict[str, Any]:
        return build("simple-user", login=login, url=f"{self.api}/users/{login}", type="Bot")

    def _ref(self, branch: str) -> dict[str, Any]:
        return build(
            "git-ref",
            ref=f"refs/heads/{branch}",
            url=f"{self.repo_url}/git/refs/heads/{branch}",
            object={
                "type": "commit",
                "sha": self.refs[branch],
                "url": f"{self.repo_url}/git/commits/{self.refs[branch]}",
            },
        )

    def _comment_json(self, comment: tuple[int, int, str, str, str]) -> dict[str, Any]:
        comment_id, number, author, author_type, body = comment
        return build(
            "issue-comment",
            id=comment_id,
            body=body,
            url=f"{self.repo_url}/issues/comments/{comment_id}",
            html_url=f"https://github.com/{self.owner}/{self.name}/pull/{number}#issuecomment-{comment_id}",
            issue_url=f"{self.repo_url}/issues/{number}",
            user=build("simple-user", login=author, url=f"{self.api}/users/{author}", type=author_type),
            author_association="COLLABORATOR" if author in self.collaborators else "NONE",
        )

    def _label(self, name: str) -> dict[str, Any]:
        data = self.labels[name]
        return build(
            "label",
            name=name,
            color=data["color"],
            description=data["description"],
            url=f"{self.repo_url}/labels/{name}",
        )

    def _labels_on(self, names: list[str]) -> list[dict[str, Any]]:
        """Labels as an issue or pull request carries them."""
        return [
            {
                "id": 1,
                "node_id": "L",
                "url": f"{self.repo_url}/labels/{n}",
                "name": n,
                "description": "",
                "color": "fbca04",
                "default": False,
            }
            for n in names
        ]

    def _issue(self, issue: Issue) -> dict[str, Any]:
        url = f"{self.repo_url}/issues/{issue.number}"
        return build(
            "issue",
            number=issue.number,
            title=issue.title,
            body=issue.body,
            state=issue.state,
            locked=issue.locked,
            url=url,
            repository_url=self.repo_url,
            labels_url=f"{url}/labels{{/name}}",
            comments_url=f"{url}/comments",
            events_url=f"{url}/events",
            html_url=f"https://github.com/{self.owner}/{self.name}/issues/{issue.number}",
            created_at=f"2026-01-01T00:{issue.number % 60:02d}:00Z",
            closed_at="2026-01-02T00:00:00Z" if issue.state == "closed" else None,
            labels=self._labels_on(issue.labels),
            user=self._user(issue.author),
            author_association="OWNER",
        )

    def _pull(self, pull: Pull, schema: str = "pull-request") -> dict[str, Any]:
        head_sha = (
            self.refs.get(pull.head, pull.head_sha) if pull.state == "open" and not pull.fork_owner else pull.head_sha
        )
        url = f"{self.repo_url}/pulls/{pull.number}"
        repository = build(
            "repository",
            name=self.name,
            full_name=f"{self.owner}/{self.name}",
            url=self.repo_url,
            owner=self._user(self.owner),
        )
        fork = build(
            "repository",
            name=self.name,
            full_name=f"{pull.fork_owner}/{self.name}",
            url=f"{self.api}/repos/{pull.fork_owner}/{self.name}",
            owner=self._user(pull.fork_owner or self.owner),
            fork=True,
        )
        data = build(
            schema,
            number=pull.number,
            title=pull.title,
            body=pull.body,
            state=pull.state,
            url=url,
            html_url=f"https://github.com/{self.owner}/{self.name}/pull/{pull.number}",
            issue_url=f"{self.repo_url}/issues/{pull.number}",
            merged_at="2026-01-02T00:00:00Z" if pull.merged else None,
            closed_at="2026-01-02T00:00:00Z" if pull.state == "closed" else None,
            labels=self._labels_on(pull.labels),
            head={
                "label": f"{pull.fork_owner or self.owner}:{pull.head}",
                "ref": pull.head,
                "sha": head_sha,
                "user": self._user(pull.fork_owner or self.owner),
                "repo": repository if not pull.fork_owner else fork,
            },
            base={
                "label": f"{self.owner}:{pull.base}",
                "ref": pull.base,
                "sha": self.refs[pull.base],
                "user": self._user(self.owner),
                "repo": repository,
            },
            user=self._user(pull.author),
        )
        if schema == "pull-request":
            data["merged"] = pull.merged
        return data

    # ---- the REST routes -------------------------------------------------------------------------

    def handle(self, method: str, raw_path: str, body: Any) -> tuple[str, int, Any]:
        """(operation id, status, body) for one request."""
        parsed = urlparse(raw_path)
        path, query = unquote(parsed.path), {k: v[0] for k, v in parse_qs(parsed.query).items()}
        prefix = f"/repos/{self.owner}/{self.name}"
        if not path.startswith(prefix):
            return (
                "repos/get-content",
                404,
                {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"},
            )
        route = path[len(prefix) :]
        not_found = {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}
        # GitHub's own answer to a pull request body over its limit.
        too_long = {
            "message": "Validation Failed",
            "errors": [
                {
                    "resource": "Issue",
                    "code": "custom",
                    "field": "body",
                    "message": f"body is too long (maximum is {BODY_LIMIT} characters)",
                }
            ],
            "documentation_url": "https://docs.github.com/rest/pulls/pulls#create-a-pull-request",
        }
        with self.lock:
            self.requests.append((method, route))
            for fault in self.faults:
                fault_method, pattern, operation, status, headers = fault
                if fault_method == method and re.fullmatch(pattern, route):
                    self.faults.remove(fault)
                    self.fault_headers[threading.get_ident()] = headers
                    message = headers.get("x-message", "injected fault")
                    return operation, status, {"message": message, "documentation_url": "https://docs.github.com/rest"}
            if method == "GET" and (m := re.fullmatch(r"/git/ref/heads/(.+)", route)):
                branch = m.group(1)
                return (
                    ("git/get-ref", 200, self._ref(branch)) if branch in self.refs else ("git/get-ref", 404, not_found)
                )
            if method == "POST" and route == "/git/refs":
                branch = body["ref"].removeprefix("refs/heads/")
                if branch in self.refs:
                    return (
                        "git/create-ref",
                        422,
                        {"message": "Reference already exists", "documentation_url": "https://docs.github.com/rest"},
                    )
                self.refs[branch] = body["sha"]
                return "git/create-ref", 201, self._ref(branch)
            if method == "PATCH" and (m := re.fullmatch(r"/git/refs/heads/(.+)", route)):
                branch = m.group(1)
                if not body.get("force") and not self._descends(body["sha"], self.refs[branch]):
                    return (
                        "git/update-ref",
                        422,
                        {
                            "message": "Update is not a fast forward",
                            "documentation_url": "https://docs.github.com/rest",
                        },
                    )
                self.refs[branch] = body["sha"]
                return "git/update-ref", 200, self._ref(branch)
            if method == "GET" and (m := re.fullmatch(r"/compare/(.+?)\.\.\.(.+)", route)):
                base, head = m.group(1), m.group(2)
                if base not in self.refs or head not in self.refs:
                    return "repos/compare-commits", 404, not_found
                return "repos/compare-commits", 200, self._comparison(base, head)
            if method == "GET" and route.startswith("/contents/"):
                file_path, ref = route.removeprefix("/contents/"), query.get("ref", "main")
                files = self.commits[self.refs[ref]].files if ref in self.refs else {}
                if file_path not in files:
                    return "repos/get-content", 404, not_found
                text = files[file_path]
                return (
                    "repos/get-content",
                    200,
                    build(
                        "content-file",
                        name=file_path.split("/")[-1],
                        path=file_path,
                        sha=blob_sha(text),
                        size=len(text.encode()),
                        type="file",
                        encoding="base64",
                        content=base64.encodebytes(text.encode("utf-8")).decode("ascii"),
                        url=f"{self.repo_url}/contents/{file_path}?ref={ref}",
                    ),
                )
            if method == "PUT" and route.startswith("/contents/"):
                file_path, branch = route.removeprefix("/contents/"), body.get("branch", "main")
                head = self.refs[branch]
                current = self.commits[head].files.get(file_path)
                if current is not None and body.get("sha") != blob_sha(current):
                    return (
                        "repos/create-or-update-file-contents",
                        409,
                        {
                            "message": f"{file_path} does not match {body.get('sha')}",
                            "documentation_url": "https://docs.github.com/rest",
                        },
                    )
                text = base64.b64decode(body["content"]).decode("utf-8")
                # Without an author, GitHub records the token's user; the fake's token user is "token-user".
                given = body.get("author") or {}
                author = (given.get("name", "token-user"), given.get("email", "token-user@example.com"))
                self.refs[branch] = self._commit(
                    (head,), {**self.commits[head].files, file_path: text}, author, body["message"]
                )
                sha = self.refs[branch]
                return (
                    "repos/create-or-update-file-contents",
                    200,
                    build(
                        "file-commit",
                        content={
                            "name": file_path,
                            "path": file_path,
                            "sha": blob_sha(text),
                            "size": len(text),
                            "type": "file",
                        },
                        commit={"sha": sha, "message": body["message"], "url": f"{self.repo_url}/git/commits/{sha}"},
                    ),
                )
            if method == "GET" and route == "/pulls":
                state = query.get("state", "open")
                head_owner, _, head = query.get("head", "").rpartition(":")
                matching = [
                    p
                    for p in self.pulls
                    if (state == "all" or p.state == state)
                    and (not head or (p.head == head and (p.fork_owner or self.owner) == (head_owner or self.owner)))
                    and p.base == query.get("base", p.base)
                ]
                return "pulls/list", 200, [self._pull(p, "pull-request-simple") for p in matching]
            pull_write = (method == "POST" and route == "/pulls") or (
                method == "PATCH" and re.fullmatch(r"/pulls/\d+", route)
            )
            if pull_write and len(body.get("body") or "") > BODY_LIMIT:
                return ("pulls/create" if method == "POST" else "pulls/update"), 422, too_long
            if method == "POST" and route == "/pulls":
                if any(p.head == body["head"] and p.state == "open" for p in self.pulls):
                    return (
                        "pulls/create",
                        422,
                        {
                            "message": "Validation Failed",
                            "errors": [
                                {
                                    "resource": "PullRequest",
                                    "code": "custom",
                                    "message": f"A pull request already exists for {self.owner}:{body['head']}.",
                                }
                            ],
                            "documentation_url": "https://docs.github.com/rest",
                        },
                    )
                pull = Pull(
                    number=len(self.pulls) + 1,
                    title=body["title"],
                    body=body.get("body", ""),
                    head=body["head"],
                    base=body["base"],
                )
                self.pulls.append(pull)
                return "pulls/create", 201, self._pull(pull)
            if (m := re.fullmatch(r"/pulls/(\d+)", route)) and method in ("GET", "PATCH"):
                pull = self.pulls[int(m.group(1)) - 1]
                if method == "PATCH":
                    pull.title = body.get("title", pull.title)
                    pull.body = body.get("body", pull.body)
                    return "pulls/update", 200, self._pull(pull)
                return "pulls/get", 200, self._pull(pull)
            if method == "GET" and route == "/issues":
                wanted = [w for w in query.get("labels", "").split(",") if w]
                state = query.get("state", "open")
                matching = [
                    i
                    for i in self.issues
                    if (state == "all" or i.state == state) and all(w in i.labels for w in wanted)
                ]
                return "issues/list-for-repo", 200, [self._issue(i) for i in matching]
            if method == "POST" and route == "/issues":
                if len(body.get("body") or "") > BODY_LIMIT:
                    return "issues/create", 422, too_long
                issue = Issue(
                    ISSUE_NUMBERS + len(self.issues) + 1,
                    body["title"],
                    body.get("body", ""),
                    list(body.get("labels", [])),
                )
                self.issues.append(issue)
                return "issues/create", 201, self._issue(issue)
            if (m := re.fullmatch(r"/issues/(\d+)", route)) and method in ("GET", "PATCH"):
                found = [i for i in self.issues if i.number == int(m.group(1))]
                if not found:
                    return ("issues/get" if method == "GET" else "issues/update"), 404, not_found
                issue = found[0]
                if method == "GET":
                    return "issues/get", 200, self._issue(issue)
                if len(body.get("body") or "") > BODY_LIMIT:
                    return "issues/update", 422, too_long
                if issue.locked:
                    return (
                        "issues/update",
                        403,
                        {"message": "Issue is locked", "documentation_url": "https://docs.github.com/rest"},
                    )
                issue.title = body.get("title", issue.title)
                issue.body = body.get("body", issue.body)
                issue.state = body.get("state", issue.state)
                return "issues/update", 200, self._issue(issue)
            if method == "GET" and (m := re.fullmatch(r"/labels/(.+)", route)):
                name = m.group(1)
                return (
                    ("issues/get-label", 200, self._label(name))
                    if name in self.labels
                    else ("issues/get-label", 404, not_found)
                )
            if method == "POST" and route == "/labels":
                self.labels[body["name"]] = {"color": body["color"], "description": body.get("description", "")}
                return "issues/create-label", 201, self._label(body["name"])
            if method == "GET" and (m := re.fullmatch(r"/issues/(\d+)/comments", route)):
                return "issues/list-comments", 200, [self._comment_json(c) for c in self.comments_on(int(m.group(1)))]
            if method == "POST" and (m := re.fullmatch(r"/issues/(\d+)/comments", route)):
                comment = (9000 + len(self.comments) + 1, int(m.group(1)), "curatorbot", "Bot", body["body"])
                self.comments.append(comment)
                return "issues/create-comment", 201, self._comment_json(comment)
            if method == "POST" and (m := re.fullmatch(r"/issues/comments/(\d+)/reactions", route)):
                if not any(c[0] == int(m.group(1)) for c in self.comments):
                    return "reactions/create-for-issue-comment", 422, {"message": "Validation Failed", "errors": []}
                self.reactions.append((int(m.group(1)), body["content"]))
                reaction = build(
                    "reaction", id=len(self.reactions), content=body["content"], created_at="2026-01-01T00:00:00Z"
                )
                return "reactions/create-for-issue-comment", 201, reaction
            if method == "GET" and (m := re.fullmatch(r"/collaborators/([^/]+)/permission", route)):
                login = m.group(1)
                if login not in self.collaborators:
                    return "repos/get-collaborator-permission-level", 404, not_found
                permission = self.collaborators[login]
                user = build(
                    "nullable-collaborator",
                    login=login,
                    url=f"{self.api}/users/{login}",
                    role_name=permission,
                    permissions={
                        "pull": True,
                        "push": permission in ("write", "admin"),
                        "admin": permission == "admin",
                    },
                )
                return (
                    "repos/get-collaborator-permission-level",
                    200,
                    {"permission": permission, "role_name": permission, "user": user},
                )
            if method == "POST" and (m := re.fullmatch(r"/issues/(\d+)/labels", route)):
                pull = self.pulls[int(m.group(1)) - 1]
                names = body if isinstance(body, list) else body.get("labels", [])
                for name in names:
                    if name not in pull.labels:
                        pull.labels.append(name)
                return "issues/add-labels", 200, [self._label(n) for n in pull.labels if n in self.labels]
        return "repos/get-content", 404, not_found

    def _descends(self, sha: str, ancestor: str) -> bool:
        return ancestor in self._ancestors(sha)

    def _commit_json(self, sha: str) -> dict[str, Any]:
        commit = self.commits[sha]
        name, email = commit.author
        person = {"name": name, "email": email, "date": "2026-01-01T00:00:00Z"}
        return build(
            "commit",
            sha=sha,
            url=f"{self.repo_url}/commits/{sha}",
            html_url=f"https://github.com/{self.owner}/{self.name}/commit/{sha}",
            comments_url=f"{self.repo_url}/commits/{sha}/comments",
            commit={
                "url": f"{self.repo_url}/git/commits/{sha}",
                "author": person,
                "committer": person,
                "message": commit.message,
                "comment_count": 0,
                "tree": {"sha": sha, "url": f"{self.repo_url}/git/trees/{sha}"},
            },
            author=None,
            committer=None,
            parents=[{"sha": p, "url": f"{self.repo_url}/commits/{p}"} for p in commit.parents],
        )

    def _comparison(self, base: str, head: str) -> dict[str, Any]:
        base_sha, head_sha = self.refs.get(base, base), self.refs.get(head, head)
        in_base = self._ancestors(base_sha)
        ahead = [sha for sha in self._ancestors(head_sha) if sha not in in_base]
        behind = [sha for sha in in_base if sha not in self._ancestors(head_sha)]
        # Chronological order, as GitHub lists them: commits are numbered in creation order.
        order = list(self.commits)
        ahead.sort(key=order.index)
        merge_base = max(in_base & self._ancestors(head_sha), key=order.index)
        status = (
            "identical"
            if not ahead and not behind
            else "ahead"
            if not behind
            else "behind"
            if not ahead
            else "diverged"
        )
        url = f"{self.repo_url}/compare/{base}...{head}"
        return build(
            "commit-comparison",
            url=url,
            html_url=url,
            permalink_url=url,
            diff_url=url,
            patch_url=url,
            base_commit=self._commit_json(base_sha),
            merge_base_commit=self._commit_json(merge_base),
            status=status,
            ahead_by=len(ahead),
            behind_by=len(behind),
            total_commits=len(ahead),
            commits=[self._commit_json(sha) for sha in ahead],
        )


@contextmanager
def serve(fake: GitHubFake, port: int = 0, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve the fake; the URLs in its answers follow the address it got (`host` names it: "localhost"
    lets a test keep GitHub traffic out of its cassette while arXiv and the LLM replay)."""

    class Handler(QuietHandler):
        protocol_version = "HTTP/1.1"

        def _respond(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            body = json.loads(raw) if raw else None
            try:
                operation, status, payload = fake.handle(self.command, self.path, body)
                validate(operation, status, payload)  # the fake must say only what GitHub documents
            except Exception as error:  # a broken fake must fail the test loudly, not hang it in retries
                where = list(getattr(error, "absolute_path", []))
                fake.errors.append(f"{error!r} at {where}")
                status, payload = 400, {"message": f"github fake error: {error!r} at {where}"}
            headers = {k: v for k, v in fake.fault_headers.pop(threading.get_ident(), {}).items() if k != "x-message"}
            self.send_body(status, "application/json; charset=utf-8", json.dumps(payload).encode(), headers)

        do_GET = do_POST = do_PUT = do_PATCH = _respond

    with serve_handler(Handler, port) as url:
        fake.api = url.replace("127.0.0.1", host)
        yield fake.api
