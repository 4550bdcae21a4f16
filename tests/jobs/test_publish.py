"""Pull-request lifecycle against the stateful GitHub fake, over real HTTP: PyGithub sends real requests
and every answer is checked against GitHub's official schema before it is sent."""

import pytest

from curatorbot.config import Settings
from curatorbot.domain.awesome_list import AwesomeList
from curatorbot.domain.errors import GitHubError
from curatorbot.domain.pull_request import ProposalRecord, parse_marker
from curatorbot.jobs.engine import Target
from curatorbot.jobs.publish import Proposal, PublishResult, publish
from fakes import github_fake
from publishing import FACTS, night, proposal, repo_for

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
NIGHT_1 = ["2412.12836", "2412.13102"]
NIGHT_2 = ["2503.01711"]
FRESH = ["2501.01945"]


def branch_ids(fake: github_fake.GitHubFake, branch: str = "curatorbot/new-papers") -> set[str]:
    return AwesomeList.parse(fake.file(branch)).arxiv_ids


def test_first_run_opens_one_labelled_pr(fake: github_fake.GitHubFake, settings: Settings) -> None:
    result = night(settings, NIGHT_1)
    assert result.action == "opened" and result.added == NIGHT_1
    [pull] = fake.open_pulls()
    assert pull.labels == ["needs-human-review"]
    assert fake.labels["needs-human-review"] == {
        "color": "fbca04",
        "description": "Proposed by curatorbot: a maintainer should review it",
    }
    assert set(NIGHT_1) <= branch_ids(fake) and not set(NIGHT_1) & branch_ids(fake, "main")
    marker = parse_marker(pull.body)
    assert (
        marker is not None and marker.proposed_ids == NIGHT_1 and marker.head_sha == fake.refs["curatorbot/new-papers"]
    )
    # Only the new lines differ from the base, and nothing else.
    base, branch = fake.file("main").splitlines(), fake.file("curatorbot/new-papers").splitlines()
    assert [line for line in branch if line not in base] == [proposal(i).entry for i in NIGHT_1]
    assert [line for line in branch if line in base] == base


def test_rerun_is_a_no_op(fake: github_fake.GitHubFake, settings: Settings) -> None:
    night(settings, NIGHT_1)
    refs, body = dict(fake.refs), fake.pulls[0].body
    result = night(settings, NIGHT_1)
    assert result.action == "nothing" and fake.refs == refs and fake.pulls[0].body == body and len(fake.pulls) == 1


def test_next_night_adds_to_the_same_pr(fake: github_fake.GitHubFake, settings: Settings) -> None:
    night(settings, NIGHT_1)
    result = night(settings, NIGHT_1 + NIGHT_2)
    assert result.action == "updated" and result.added == NIGHT_2
    assert len(fake.pulls) == 1 and set(NIGHT_1 + NIGHT_2) <= branch_ids(fake)
    marker = parse_marker(fake.pulls[0].body)
    assert marker is not None and marker.proposed_ids == NIGHT_1 + NIGHT_2
    assert "(3 papers)" in fake.pulls[0].title


def test_entry_deleted_by_a_maintainer_is_not_proposed_again(fake: github_fake.GitHubFake, settings: Settings) -> None:
    night(settings, NIGHT_1)
    lines = fake.file("curatorbot/new-papers").split("\n")
    deleted = proposal(NIGHT_1[0]).entry
    maintainer = fake.maintainer_commit(
        "curatorbot/new-papers", "README.md", "\n".join(line for line in lines if line != deleted)
    )
    result = night(settings, NIGHT_1 + NIGHT_2)
    assert result.added == NIGHT_2
    assert NIGHT_1[0] not in branch_ids(fake) and {NIGHT_1[1], *NIGHT_2} <= branch_ids(fake)
    assert fake.commits[fake.refs["curatorbot/new-papers"]].parents == (maintainer,)  # on top, not over
    marker = parse_marker(fake.pulls[0].body)
    assert marker is not None and marker.rejected == (NIGHT_1[0],) and NIGHT_1[0] not in marker.proposed_ids
    # And it stays rejected on later nights too.
    assert night(settings, NIGHT_1 + NIGHT_2).action == "nothing"
    assert night(settings, NIGHT_1, include_rejected=True).added == [NIGHT_1[0]]


def test_pr_closed_unmerged_its_papers_never_return(fake: github_fake.GitHubFake, settings: Settings) -> None:
    night(settings, NIGHT_1)
    fake.close(1)
    assert night(settings, NIGHT_1).action == "nothing"
    result = night(settings, NIGHT_1 + NIGHT_2)
    assert result.action == "opened" and result.added == NIGHT_2
    assert fake.pulls[1].number == 2 and not set(NIGHT_1) & branch_ids(fake)


def test_pr_merged_the_next_night_starts_a_fresh_pr(fake: github_fake.GitHubFake, settings: Settings) -> None:
    night(settings, NIGHT_1)
    fake.merge(1)
    assert set(NIGHT_1) <= AwesomeList.parse(fake.file("main")).arxiv_ids
    result = night(settings, NIGHT_1 + NIGHT_2)
    assert result.action == "opened" and result.added == NIGHT_2 and len(fake.open_pulls()) == 1
    assert fake.open_pulls()[0].number == 2


def test_a_maintainer_commit_on_the_branch_survives(fake: github_fake.GitHubFake, settings: Settings) -> None:
    night(settings, NIGHT_1)
    fixed = fake.file("curatorbot/new-papers").replace("arvix 2021", "arxiv 2021")
    fake.maintainer_commit("curatorbot/new-papers", "README.md", fixed, "fix a typo")
    before = len(fake.requests)
    night(settings, NIGHT_2 + NIGHT_1)
    assert "arvix 2021" not in fake.file("curatorbot/new-papers")
    assert not [r for r in fake.requests[before:] if r[0] == "PATCH" and "/git/refs/" in r[1]]  # never reset


def test_maintainer_commits_survive_when_the_base_moves_after_a_bot_commit_on_top(
    fake: github_fake.GitHubFake, settings: Settings
) -> None:
    # Night 1 opens the PR; a maintainer deletes one proposed line and rewords another on the bot branch;
    # night 2 adds on top (the tip is the bot's again); then main moves: night 3 must not reset the branch.
    night(settings, NIGHT_1)
    deleted, reworded = proposal(NIGHT_1[0]).entry, proposal(NIGHT_1[1]).entry
    edited = fake.file("curatorbot/new-papers").replace(deleted + "\n", "").replace(reworded, reworded + " (reworded)")
    maintainer = fake.maintainer_commit("curatorbot/new-papers", "README.md", edited, "maintainer review")
    night(settings, NIGHT_1 + NIGHT_2)
    moved = fake.file("main").replace("Welcome to open an issue", "Welcome, open an issue")
    fake.maintainer_commit("main", "README.md", moved)
    before = len(fake.requests)
    night(settings, NIGHT_1 + NIGHT_2 + FRESH)
    text = fake.file("curatorbot/new-papers")
    assert reworded + " (reworded)" in text and deleted not in text
    assert maintainer in fake._ancestors(fake.refs["curatorbot/new-papers"])
    assert not [r for r in fake.requests[before:] if r[0] == "PATCH" and "/git/refs/" in r[1]]  # never reset


def test_a_closed_pr_whose_branch_holds_a_maintainers_commit_never_leaves_the_bot_stuck(
    fake: github_fake.GitHubFake, settings: Settings
) -> None:
    night(settings, NIGHT_1)
    fixed = fake.file("curatorbot/new-papers").replace("arvix 2021", "arxiv 2021")
    maintainer = fake.maintainer_commit("curatorbot/new-papers", "README.md", fixed, "fix a typo")
    night(settings, NIGHT_1 + NIGHT_2)  # the bot's commit lands on top of the maintainer's
    fake.close(1)
    tip = fake.refs["curatorbot/new-papers"]
    # The closed PR keeps its commits reachable; its papers are rejected, and the next PR starts afresh.
    result = night(settings, [*NIGHT_1, *NIGHT_2, *FRESH])
    assert result.action == "opened" and result.added == FRESH and len(fake.open_pulls()) == 1
    assert fake.pulls[0].head_sha == tip and maintainer in fake._ancestors(tip)
    marker = parse_marker(fake.pulls[1].body)
    assert marker is not None and set(marker.rejected) >= {*NIGHT_1, *NIGHT_2}


def test_work_pushed_to_the_branch_after_its_pr_closed_is_never_reset(
    fake: github_fake.GitHubFake, settings: Settings
) -> None:
    night(settings, NIGHT_1)
    fake.close(1)
    mine = fake.maintainer_commit("curatorbot/new-papers", "README.md", fake.file("main") + "\n", "mine")
    with pytest.raises(GitHubError, match="has commits curatorbot did not make and no open pull request"):
        night(settings, FRESH)
    assert fake.refs["curatorbot/new-papers"] == mine


def test_a_closed_pr_branch_with_only_bot_commits_is_rebuilt(fake: github_fake.GitHubFake, settings: Settings) -> None:
    night(settings, NIGHT_1)
    night(settings, NIGHT_1 + NIGHT_2)
    fake.close(1)  # closed unmerged, the branch kept: its papers are rejected, the branch is the bot's alone
    fake.maintainer_commit("main", "README.md", fake.file("main").replace("Welcome to open an issue", "Welcome!"))
    result = night(settings, [*NIGHT_1, *FRESH])
    assert result.action == "opened" and result.added == FRESH
    assert "Welcome!" in fake.file("curatorbot/new-papers")


def test_base_moved_and_only_bot_commits_rebuilds_the_branch(fake: github_fake.GitHubFake, settings: Settings) -> None:
    night(settings, NIGHT_1)
    moved = fake.file("main").replace("Welcome to open an issue", "Welcome, open an issue")
    fake.maintainer_commit("main", "README.md", moved)
    night(settings, NIGHT_1 + NIGHT_2)
    text = fake.file("curatorbot/new-papers")
    assert "Welcome, open an issue" in text and set(NIGHT_1 + NIGHT_2) <= branch_ids(fake)
    assert AwesomeList.parse(text).to_markdown().count(proposal(NIGHT_1[0]).entry) == 1


def test_a_branch_left_without_a_pr_is_repaired(fake: github_fake.GitHubFake, settings: Settings) -> None:
    fake.refs["curatorbot/new-papers"] = fake.refs["main"]  # a failed run created the branch, then stopped
    result = night(settings, NIGHT_1)
    assert result.action == "opened" and len(fake.open_pulls()) == 1


def test_existing_label_is_reused(fake: github_fake.GitHubFake, settings: Settings) -> None:
    fake.labels["needs-human-review"] = {"color": "000000", "description": "ours"}
    night(settings, NIGHT_1)
    assert fake.labels["needs-human-review"] == {"color": "000000", "description": "ours"}
    assert fake.pulls[0].labels == ["needs-human-review"]


def test_dry_run_writes_nothing(fake: github_fake.GitHubFake, settings: Settings) -> None:
    result = night(settings, NIGHT_1, dry_run=True)
    assert result.action == "dry-run" and not fake.pulls and "curatorbot/new-papers" not in fake.refs
    assert all(method == "GET" for method, _ in fake.requests)
    assert result.diff.startswith("--- a/README.md\n+++ b/README.md\n")
    assert result.diff.count("\n+") == 3  # the +++ header and two added lines
    assert "<!-- curatorbot:" in result.body


def test_missing_base_branch_is_one_line(fake: github_fake.GitHubFake, settings: Settings) -> None:
    settings = settings.model_copy(update={"list": settings.list.model_copy(update={"base_branch": "master"})})
    with pytest.raises(GitHubError, match=r"no branch 'master' in nancheng58/Awesome-LLM4RS-Papers") as caught:
        night(settings, NIGHT_1)
    assert "list.base_branch" in str(caught.value) and "\n" not in str(caught.value)


def test_a_repository_the_token_cannot_see_names_the_repository_and_both_causes(
    fake: github_fake.GitHubFake, settings: Settings
) -> None:
    settings = settings.model_copy(update={"list": settings.list.model_copy(update={"repo": "someone/private-list"})})
    with pytest.raises(GitHubError) as caught:
        night(settings, NIGHT_1)
    message = str(caught.value)
    assert "someone/private-list" in message and "does not exist or the token cannot see it" in message
    assert "list.repo" in message and "list.base_branch" in message


def test_every_response_matched_githubs_schema(fake: github_fake.GitHubFake, settings: Settings) -> None:
    # serve() validates each body before sending it; a lifecycle touching every route proves the shapes.
    night(settings, NIGHT_1)
    night(settings, NIGHT_1 + NIGHT_2)
    routes = {(method, route.split("/")[1]) for method, route in fake.requests}
    assert {
        ("GET", "git"),
        ("POST", "git"),
        ("GET", "contents"),
        ("PUT", "contents"),
        ("GET", "pulls"),
        ("POST", "pulls"),
        ("PATCH", "pulls"),
        ("GET", "labels"),
        ("POST", "labels"),
        ("POST", "issues"),
    } <= routes


def test_an_accepted_paper_the_list_holds_under_another_id_is_flagged_not_lost(
    fake: github_fake.GitHubFake, settings: Settings
) -> None:
    listed = AwesomeList.parse(fake.file("main")).entries[5]
    twin = proposal(NIGHT_2[0])
    twin = Proposal(record=twin.record.model_copy(update={"title": listed.title}), entry=twin.entry)
    repo = repo_for(settings, token="t")
    try:
        result = publish(repo, Target.nightly(settings), [proposal(NIGHT_1[0]), twin], [], FACTS, dry_run=False)
    finally:
        repo.close()
    assert result.added == [NIGHT_1[0]] and result.skipped == [NIGHT_2[0]]
    marker = parse_marker(fake.pulls[0].body)
    assert marker is not None and [f.arxiv_id for f in marker.flagged] == [NIGHT_2[0]]
    assert "not added: the list has this title under another arXiv id" in fake.pulls[0].body
    assert "Needs a human look" in fake.pulls[0].body


def test_three_nights_of_100_proposals_keep_the_body_within_githubs_limit(
    fake: github_fake.GitHubFake, settings: Settings
) -> None:
    def synthetic(night: int, index: int) -> Proposal:
        arxiv_id = f"2601.{night}{index:04d}"
        title = f"Night {night} paper {index}: large language models for sequential recommendation"
        record = ProposalRecord(
            arxiv_id=arxiv_id,
            title=title,
            section="Paper List",
            confidence=0.9,
            venue="arxiv 2026",
            rationale="An LLM recommends items. " * 10,
            abstract="We study recommendation with LLMs. " * 10,
        )
        entry = f"+ {title}, arxiv 2026, [[paper]](https://arxiv.org/pdf/{arxiv_id})."
        return Proposal(record=record, entry=entry)

    repo = repo_for(settings, token="t")
    try:
        for night_number in (1, 2, 3):
            proposals = [synthetic(night_number, i) for i in range(100)]
            publish(repo, Target.nightly(settings), proposals, [], FACTS, dry_run=False)
            assert len(fake.pulls[0].body) <= 65_536
    finally:
        repo.close()
    marker = parse_marker(fake.pulls[0].body)
    assert marker is not None and len(marker.proposed_ids) == 300 and len(fake.pulls) == 1
    assert len(branch_ids(fake) - branch_ids(fake, "main")) == 300


def test_flags_without_a_pull_request_are_handed_back_then_shown_by_the_next_one(
    fake: github_fake.GitHubFake, settings: Settings
) -> None:
    flag = proposal(NIGHT_2[0]).record.model_copy(update={"confidence": 0.3, "rationale": "Unsure."})
    repo = repo_for(settings, token="t")
    try:
        first = publish(repo, Target.nightly(settings), [], [flag], FACTS, dry_run=False)
        assert first.action == "nothing" and first.undelivered == [flag] and fake.pulls == []
        second = publish(
            repo, Target.nightly(settings), [proposal(NIGHT_1[0])], first.undelivered, FACTS, dry_run=False
        )
    finally:
        repo.close()
    assert second.action == "opened"
    marker = parse_marker(fake.pulls[0].body)
    assert marker is not None and [f.arxiv_id for f in marker.flagged] == [NIGHT_2[0]]


def test_a_failure_between_resetting_the_branch_and_opening_the_pr_does_not_leave_the_bot_stuck(
    fake: github_fake.GitHubFake, settings: Settings
) -> None:
    night(settings, NIGHT_1)
    fake.close(1)  # closed unmerged, its branch kept
    fake.faults.append(("POST", "/pulls", "pulls/create", 403, {}))  # the run dies after reset and commit
    with pytest.raises(GitHubError, match="HTTP 403"):
        night(settings, FRESH)
    assert fake.open_pulls() == []
    # Every commit on the branch is the bot's: dry runs and real runs go on, and the PR opens.
    assert night(settings, FRESH, dry_run=True).action == "dry-run"
    result = night(settings, FRESH)
    assert result.action == "opened" and result.added == FRESH and len(fake.open_pulls()) == 1


def night_with_waits(settings: Settings, ids: list[str]) -> tuple[PublishResult, list[float]]:
    waits: list[float] = []
    repo = repo_for(settings, token="t", sleep=waits.append)
    try:
        return publish(repo, Target.nightly(settings), [proposal(i) for i in ids], [], FACTS, dry_run=False), waits
    finally:
        repo.close()


def test_github_5xx_is_retried_with_the_one_retry_policy(fake: github_fake.GitHubFake, settings: Settings) -> None:
    fake.faults.append(("GET", "/pulls", "pulls/list", 422, {}))  # a client error: never retried
    with pytest.raises(GitHubError, match=r"HTTP 422 while listing pull requests"):
        night_with_waits(settings, NIGHT_1)
    fake.faults.clear()
    fake.faults.append(
        (
            "POST",
            "/pulls",
            "pulls/create",
            403,
            {"Retry-After": "7", "x-message": "You have exceeded a secondary rate limit."},
        )
    )
    result, waits = night_with_waits(settings, NIGHT_1)
    assert result.action == "opened" and waits == [7.0]
    fake.faults.append(("GET", r"/compare/.+", "repos/compare-commits", 500, {}))
    fake.faults.append(("GET", r"/compare/.+", "repos/compare-commits", 500, {}))
    result, waits = night_with_waits(settings, NIGHT_1 + NIGHT_2)
    assert result.action == "updated" and waits == [2.0, 4.0]  # backoff 2 s, then 4 s


def test_github_5xx_past_the_retry_budget_is_one_line(fake: github_fake.GitHubFake, settings: Settings) -> None:
    night(settings, NIGHT_1)
    for _ in range(10):
        fake.faults.append(("GET", r"/compare/.+", "repos/compare-commits", 500, {}))
    with pytest.raises(GitHubError, match=r"^GitHub answered HTTP 500 while comparing curatorbot/new-papers with main"):
        night_with_waits(settings, NIGHT_1 + NIGHT_2)


def test_a_secret_in_a_rationale_never_reaches_github(fake: github_fake.GitHubFake, settings: Settings) -> None:
    leaked = proposal(NIGHT_1[0])
    leaked = Proposal(
        record=leaked.record.model_copy(update={"rationale": "token test-token here"}), entry=leaked.entry
    )
    repo = repo_for(settings)
    try:
        publish(repo, Target.nightly(settings), [leaked], [], FACTS, dry_run=False)
    finally:
        repo.close()
    assert "test-token" not in fake.pulls[0].body and "token [redacted] here" in fake.pulls[0].body


def test_include_rejected_brings_back_a_line_deleted_while_the_pr_is_open(
    fake: github_fake.GitHubFake, settings: Settings
) -> None:
    night(settings, NIGHT_1)
    deleted = proposal(NIGHT_1[0]).entry
    lines = fake.file("curatorbot/new-papers").split("\n")
    fake.maintainer_commit("curatorbot/new-papers", "README.md", "\n".join(line for line in lines if line != deleted))
    assert night(settings, NIGHT_1, dry_run=True).action == "nothing"  # rejected: not proposed again
    result = night(settings, NIGHT_1, include_rejected=True)
    assert result.added == [NIGHT_1[0]] and NIGHT_1[0] in branch_ids(fake)
    # Brought back, it is proposed again with its box, and stays so on the next nights.
    night(settings, NIGHT_1 + NIGHT_2)
    marker = parse_marker(fake.pulls[0].body)
    assert marker is not None and NIGHT_1[0] not in marker.rejected and NIGHT_1[0] in marker.proposed_ids
    assert f"- [x] `{NIGHT_1[0]}`" in fake.pulls[0].body


def test_an_open_pr_written_with_the_old_marker_keeps_its_memory_after_the_upgrade(
    fake: github_fake.GitHubFake, settings: Settings
) -> None:
    night(settings, NIGHT_1)
    # The body as the previous version wrote it: no kind in the marker, and a rejection it remembers.
    old_body = (
        fake.pulls[0].body.replace('"kind":"proposals",', "").replace('"rejected":[]', f'"rejected":["{NIGHT_2[0]}"]')
    )
    assert '"kind"' not in old_body and NIGHT_2[0] in old_body
    fake.pulls[0].body = old_body
    result = night(settings, NIGHT_1 + NIGHT_2 + FRESH)
    assert result.action == "updated" and result.added == FRESH  # proposed and rejected papers stay known
    marker = parse_marker(fake.pulls[0].body)
    assert marker is not None and marker.proposed_ids == NIGHT_1 + FRESH and marker.rejected == (NIGHT_2[0],)
