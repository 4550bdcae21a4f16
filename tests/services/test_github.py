"""The GitHub adapter against recordings of the schema-validated fake (one cassette per test), and the
one-line errors for the failures users meet."""

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from github import GithubException
from pydantic import SecretStr

from conftest import REAL_LIST, recording
from curatorbot.domain.errors import ConflictError, GitHubError
from curatorbot.services.github import GitHubRepo, _explain
from fakes import github_fake
from fakes.github_schema import validate

CASSETTES = Path(__file__).parent / "cassettes" / "test_github"
REPO = "nancheng58/Awesome-LLM4RS-Papers"


@pytest.fixture
def repo(request: pytest.FixtureRequest) -> Iterator[GitHubRepo]:
    fake = github_fake.GitHubFake(
        "nancheng58", "Awesome-LLM4RS-Papers", {"README.md": REAL_LIST.read_text(encoding="utf-8")}
    )
    fake.refs["curatorbot/new-papers"] = fake.refs["main"]
    fake.pulls.append(github_fake.Pull(number=1, title="t", body="b", head="curatorbot/new-papers", base="main"))
    adapter = GitHubRepo(
        REPO,
        SecretStr("ghp_" + "x" * 36),
        base_url=github_fake.API,
        seconds_between_writes=0,
        seconds_between_requests=0,
    )
    if recording(request):
        with github_fake.serve(fake, port=github_fake.PORT):  # the cassettes name this port
            yield adapter
    else:
        yield adapter
    adapter.close()


@pytest.mark.vcr
def test_reads_the_list_and_branch_heads(repo: GitHubRepo) -> None:
    file = repo.read_file("README.md", "main")
    assert file.text == REAL_LIST.read_text(encoding="utf-8") and file.sha == github_fake.blob_sha(file.text)
    assert repo.branch_sha("main") is not None and repo.branch_sha("no-such-branch") is None


@pytest.mark.vcr
def test_write_with_a_stale_sha_is_a_conflict(repo: GitHubRepo) -> None:
    with pytest.raises(ConflictError, match="changed while curatorbot was writing it"):
        repo.write_file("README.md", "new text\n", "0" * 40, "curatorbot/new-papers", "curatorbot: test")


@pytest.mark.vcr
def test_an_existing_pull_request_is_adopted(repo: GitHubRepo) -> None:
    pull = repo.create_pull("curatorbot: new papers", "body", "curatorbot/new-papers", "main")
    assert pull.number == 1 and pull.title == "curatorbot: new papers"


@pytest.mark.vcr
def test_a_body_over_githubs_limit_is_one_line_naming_the_way_out(repo: GitHubRepo) -> None:
    with pytest.raises(GitHubError, match="longer than its 65,536 characters; merge or close the pull request"):
        repo.update_pull(1, "curatorbot: new papers", "x" * 65_537)


@pytest.mark.vcr
def test_label_is_created_when_missing(repo: GitHubRepo) -> None:
    repo.ensure_label("needs-human-review", "fbca04", "review me")
    repo.add_label(1, "needs-human-review")
    assert repo.open_pull("curatorbot/new-papers", "main").labels == ("needs-human-review",)  # type: ignore[union-attr]


_OPERATIONS = [
    ("GET", r"/git/ref/heads/.+", "git/get-ref"),
    ("POST", r"/git/refs", "git/create-ref"),
    ("PATCH", r"/git/refs/heads/.+", "git/update-ref"),
    ("GET", r"/contents/.+", "repos/get-content"),
    ("PUT", r"/contents/.+", "repos/create-or-update-file-contents"),
    ("GET", r"/pulls", "pulls/list"),
    ("POST", r"/pulls", "pulls/create"),
    ("GET", r"/pulls/\d+", "pulls/get"),
    ("PATCH", r"/pulls/\d+", "pulls/update"),
    ("GET", r"/labels/.+", "issues/get-label"),
    ("POST", r"/labels", "issues/create-label"),
    ("POST", r"/issues/\d+/labels", "issues/add-labels"),
]


def _operation(method: str, uri: str) -> str:
    path = re.sub(r"^https?://[^/]+/repos/[^/]+/[^/]+", "", uri.split("?")[0])
    return next(op for m, pattern, op in _OPERATIONS if m == method and re.fullmatch(pattern, path))


def test_every_recorded_github_response_validates_against_the_official_schema() -> None:
    checked = 0
    for cassette in sorted(CASSETTES.glob("*.yaml")):
        for interaction in yaml.safe_load(cassette.read_text())["interactions"]:
            request, response = interaction["request"], interaction["response"]
            body: Any = response["body"]["string"]
            body = body["json"] if isinstance(body, dict) and "json" in body else body
            validate(_operation(request["method"], request["uri"]), response["status"]["code"], body)
            assert "authorization" not in {k.lower() for k in request["headers"]}  # scrubbed
            checked += 1
    assert checked >= 10


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> GithubException:
    return GithubException(status, {"message": message}, headers or {})


def test_errors_users_meet_get_one_line_with_the_fix() -> None:
    assert "check GITHUB_TOKEN or GH_TOKEN" in str(_explain(_error(401, "Bad credentials"), "reading README.md"))
    forbidden = str(_explain(_error(403, "Resource not accessible by integration"), "opening the pull request"))
    assert (
        "pull-requests: write" in forbidden and "Allow GitHub Actions to create and approve pull requests" in forbidden
    )
    assert "check list.repo, list.path" in str(_explain(_error(404, "Not Found"), "reading README.md"))
    limited = str(
        _explain(
            _error(403, "API rate limit exceeded", {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1767225600"}),
            "x",
        )
    )
    assert "rate limit reached" in limited and "rerun after 00:00 UTC" in limited
    for error in (_error(401, "x"), _error(403, "x"), _error(404, "x")):
        message = str(_explain(error, "x"))
        assert isinstance(_explain(error, "x"), GitHubError) and "\n" not in message


def test_a_secondary_rate_limit_is_named_as_such_not_as_the_primary_one() -> None:
    from github import GithubException

    from curatorbot.services.github import _explain

    secondary = GithubException(403, {"message": "You have exceeded a secondary rate limit."}, {"retry-after": "60"})
    primary = GithubException(403, {"message": "API rate limit exceeded"}, {"x-ratelimit-remaining": "0"})
    assert "secondary rate limit" in str(_explain(secondary, "listing comments"))
    assert str(_explain(primary, "listing comments")).startswith("GitHub rate limit reached while listing comments")
