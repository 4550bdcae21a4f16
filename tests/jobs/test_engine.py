"""The bot-branch engine's safety rules, each tested once here (in process, over the GitHub fake's state);
the job tests check what each job plans."""

from __future__ import annotations

import pytest

from curatorbot.domain.errors import ConflictError, GitHubError
from curatorbot.jobs.engine import Commit, Start, Target, read_branch, retrying_conflicts, where_to_start, write
from curatorbot.services.interface import BOT_AUTHOR
from fakes.github_fake import MAINTAINER, GitHubFake
from fakes.repo import InProcessRepo

TARGET = Target(
    repo="owner/list",
    path="README.md",
    base="main",
    branch="curatorbot/test",
    title="curatorbot: test",
    label="bot-label",
    label_color="fbca04",
    label_description="made by the bot",
)
BASE = "# List\n\n## Papers\n\n+ One, arxiv 2024.\n"


def new_repo() -> tuple[GitHubFake, InProcessRepo]:
    fake = GitHubFake("owner", "list", {"README.md": BASE})
    return fake, InProcessRepo(fake)


def run_once(repo: InProcessRepo, text: str, marker_base: str | None = None, has_marker: bool = True) -> Start:
    facts = read_branch(repo, TARGET)
    start = where_to_start(facts, marker_base, has_marker)
    write(repo, TARGET, facts, start, [Commit(text, "bot commit")], TARGET.title, lambda head: f"body {head}")
    return start


def test_the_first_write_opens_one_labelled_pull_request_with_one_bot_commit() -> None:
    fake, repo = new_repo()
    start = run_once(repo, BASE + "+ Two, arxiv 2025.\n")
    assert start.on == "base" and not start.reset
    [pull] = fake.pulls
    head = fake.refs[TARGET.branch]
    assert pull.labels == ["bot-label"] and fake.labels["bot-label"]["color"] == "fbca04"
    assert fake.commits[head].author == BOT_AUTHOR and fake.commits[head].parents == (fake.refs["main"],)
    assert pull.body == f"body {head}"  # the body is written after the commit, knowing its sha


def test_new_work_goes_on_top_of_a_maintainers_commit_never_over_it() -> None:
    fake, repo = new_repo()
    run_once(repo, BASE + "+ Two, arxiv 2025.\n")
    edited = fake.maintainer_commit(TARGET.branch, "README.md", BASE + "+ Two, SIGIR 2025.\n")
    fake.maintainer_commit("main", "README.md", BASE + "\n")  # the base moves too: still not rebuilt
    start = run_once(repo, BASE + "+ Two, SIGIR 2025.\n+ Three, arxiv 2025.\n", marker_base="old")
    assert start.on == "branch" and start.text == BASE + "+ Two, SIGIR 2025.\n"
    head = fake.refs[TARGET.branch]
    assert fake.commits[head].parents == (edited,) and len(fake.pulls) == 1


def test_a_bot_only_branch_is_rebuilt_when_the_base_moved() -> None:
    fake, repo = new_repo()
    run_once(repo, BASE + "+ Two, arxiv 2025.\n", marker_base=None)
    base_then = fake.refs["main"]
    moved = fake.maintainer_commit("main", "README.md", BASE + "+ Merged elsewhere.\n")
    facts = read_branch(repo, TARGET)
    start = where_to_start(facts, marker_base_sha=base_then, has_marker=True)
    assert start.on == "base" and start.reset and start.rebuild and start.text == fake.file("main")
    write(repo, TARGET, facts, start, [Commit(start.text + "+ Two.\n", "rebuilt")], "t", lambda head: "b")
    assert fake.commits[fake.refs[TARGET.branch]].parents == (moved,) and len(fake.pulls) == 1


def test_a_pull_request_without_our_marker_is_someone_elses_work_and_is_never_rebuilt() -> None:
    fake, repo = new_repo()
    run_once(repo, BASE + "+ Two.\n")
    fake.maintainer_commit("main", "README.md", BASE + "\n")
    start = where_to_start(read_branch(repo, TARGET), marker_base_sha=None, has_marker=False)
    assert start.on == "branch" and not start.reset


def test_work_pushed_after_the_pull_request_closed_is_never_reset() -> None:
    fake, repo = new_repo()
    run_once(repo, BASE + "+ Two.\n")
    fake.close(1)
    fake.maintainer_commit(TARGET.branch, "README.md", BASE + "+ Mine.\n")  # in no pull request
    refs = dict(fake.refs)
    with pytest.raises(GitHubError, match=r"^branch curatorbot/test has commits curatorbot did not make"):
        read_branch(repo, TARGET)
    assert fake.refs == refs


def test_a_closed_pull_requests_branch_holding_a_maintainers_commit_starts_afresh() -> None:
    """The commits stay reachable through the closed pull request: the bot is never stuck on them."""
    fake, repo = new_repo()
    run_once(repo, BASE + "+ Two.\n")
    mine = fake.maintainer_commit(TARGET.branch, "README.md", BASE + "+ Two, edited.\n")
    fake.close(1)
    assert fake.pulls[0].head_sha == mine
    start = run_once(repo, BASE + "+ Three.\n", has_marker=False)
    assert start.on == "base" and start.reset and len(fake.open_pulls()) == 1 and mine in fake.commits


def test_a_merged_branch_holding_a_maintainers_commit_starts_afresh() -> None:
    fake, repo = new_repo()
    run_once(repo, BASE + "+ Two.\n")
    fake.maintainer_commit(TARGET.branch, "README.md", BASE + "+ Two, edited.\n")
    fake.merge(1)
    start = where_to_start(read_branch(repo, TARGET), None, has_marker=False)
    assert start.on == "base" and start.reset


def test_a_failure_between_resetting_the_branch_and_opening_is_repaired_by_the_next_run() -> None:
    fake, repo = new_repo()
    repo.fail_on["create_pull"] = 1
    with pytest.raises(GitHubError):
        run_once(repo, BASE + "+ Two.\n")
    assert TARGET.branch in fake.refs and not fake.pulls  # a bot-only branch and no pull request
    start = run_once(repo, BASE + "+ Two.\n")
    assert start.on == "base" and start.reset and len(fake.open_pulls()) == 1
    assert fake.file(TARGET.branch) == BASE + "+ Two.\n"


def test_commits_are_written_in_order_each_a_whole_file() -> None:
    fake, repo = new_repo()
    facts = read_branch(repo, TARGET)
    start = where_to_start(facts, None, has_marker=False)
    texts = [BASE + "+ A.\n", BASE + "+ A.\n+ B.\n"]
    write(repo, TARGET, facts, start, [Commit(t, f"step {i}") for i, t in enumerate(texts)], "t", lambda head: "b")
    head = fake.refs[TARGET.branch]
    parent = fake.commits[head].parents[0]
    assert fake.commits[head].files["README.md"] == texts[1] and fake.commits[parent].files["README.md"] == texts[0]
    assert [fake.commits[s].message for s in (parent, head)] == ["step 0", "step 1"]


def test_without_commits_only_the_open_pull_requests_body_changes() -> None:
    fake, repo = new_repo()
    run_once(repo, BASE + "+ Two.\n")
    refs = dict(fake.refs)
    facts = read_branch(repo, TARGET)
    written = write(repo, TARGET, facts, Start.on_open_branch(facts), [], "new title", lambda head: f"new {head}")
    assert written.action == "updated" and written.head_sha is None and fake.refs == refs
    assert (fake.pulls[0].title, fake.pulls[0].body) == ("new title", "new None")
    fake.close(1)
    facts = read_branch(repo, TARGET)
    with pytest.raises(ValueError, match="cannot be opened without a commit"):
        write(repo, TARGET, facts, where_to_start(facts, None, True), [], "t", lambda head: "b")


def test_a_file_that_moved_under_the_write_is_planned_again_once() -> None:
    fake, repo = new_repo()
    run_once(repo, BASE + "+ One more.\n")
    attempts: list[int] = []

    def attempt() -> str:
        attempts.append(1)
        facts = read_branch(repo, TARGET)
        if len(attempts) == 1:  # a maintainer pushes between the read and the write
            fake.maintainer_commit(TARGET.branch, "README.md", BASE + "+ Moved.\n")
        start = where_to_start(facts, facts.base_sha, has_marker=True)
        write(repo, TARGET, facts, start, [Commit(start.text + "+ Two.\n", "c")], "t", lambda head: "b")
        return fake.file(TARGET.branch)

    assert retrying_conflicts(attempt) == BASE + "+ Moved.\n+ Two.\n" and len(attempts) == 2

    def always_conflicts() -> None:
        raise ConflictError("moved")

    with pytest.raises(ConflictError):
        retrying_conflicts(always_conflicts)


def test_an_existing_label_is_reused_and_never_added_twice() -> None:
    fake, repo = new_repo()
    fake.labels["bot-label"] = {"color": "000000", "description": "the maintainers' own"}
    run_once(repo, BASE + "+ Two.\n")
    run_once(repo, BASE + "+ Two.\n+ Three.\n")
    assert fake.labels["bot-label"]["color"] == "000000" and fake.pulls[0].labels == ["bot-label"]


def test_commits_by_the_maintainer_identity_count_as_foreign() -> None:
    fake, repo = new_repo()
    run_once(repo, BASE + "+ Two.\n")
    assert not read_branch(repo, TARGET).foreign_commits
    fake.maintainer_commit(TARGET.branch, "README.md", BASE)
    assert read_branch(repo, TARGET).foreign_commits and MAINTAINER != BOT_AUTHOR


def test_a_box_a_maintainer_changes_while_the_bot_writes_is_carried_over() -> None:
    fake, repo = new_repo()
    first = "- [x] `2501.00001` One\n- [ ] `2501.00002` Two\n- [x] `2501.00003` Three\n"
    write(
        repo,
        TARGET,
        read_branch(repo, TARGET),
        where_to_start(read_branch(repo, TARGET), None, True),
        [Commit(BASE + "+ Two.\n", "bot commit")],
        TARGET.title,
        lambda head: first,
    )
    facts = read_branch(repo, TARGET)  # the bot reads the body, then works for minutes
    [pull] = fake.open_pulls()
    # Meanwhile a maintainer unticks One and ticks Two.
    pull.body = first.replace("- [x] `2501.00001`", "- [ ] `2501.00001`").replace(
        "- [ ] `2501.00002`", "- [x] `2501.00002`"
    )
    rewritten = first + "- [x] `2501.00004` Four\n"  # the bot's new body, from what it read
    start = where_to_start(facts, None, True)
    write(repo, TARGET, facts, start, [Commit(BASE + "+ Four.\n", "bot commit")], TARGET.title, lambda head: rewritten)
    assert pull.body == (
        "- [ ] `2501.00001` One\n- [x] `2501.00002` Two\n- [x] `2501.00003` Three\n- [x] `2501.00004` Four\n"
    )
