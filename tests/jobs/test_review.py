"""Review from the pull request: checkboxes and `/curatorbot` commands, against the stateful GitHub fake
(comments, reactions and collaborator permissions are validated against GitHub's schemas too)."""

import json

import pytest

from curatorbot.config import Settings
from curatorbot.domain.awesome_list import AwesomeList
from curatorbot.domain.pull_request import ProposalRecord, parse_marker
from curatorbot.jobs.engine import Target
from curatorbot.jobs.publish import publish
from curatorbot.jobs.review import (
    REPLY_MARKER,
    Command,
    Reclassify,
    parse_commands,
    resolve_section,
    run_review,
)
from fakes import github_fake
from goldens import golden
from publishing import FACTS, night, proposal, repo_for

PROPOSED = ["2412.12836", "2412.13102", "2503.01711"]
BRANCH = "curatorbot/new-papers"
pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])


def review(settings: Settings, dry_run: bool = False) -> object:
    repo = repo_for(settings)
    try:
        return run_review(repo, settings, FACTS, dry_run=dry_run)
    finally:
        repo.close()


def open_pr(fake: github_fake.GitHubFake, settings: Settings) -> github_fake.Pull:
    night(settings, PROPOSED)
    [pull] = fake.open_pulls()
    return pull


def open_pr_with_a_flag(fake: github_fake.GitHubFake, settings: Settings, section: str | None) -> github_fake.Pull:
    """The PR of PROPOSED plus 2501.01945 flagged for a human look (suggested `section`)."""
    repo = repo_for(settings)
    try:
        flagged = proposal("2501.01945").record.model_copy(update={"confidence": 0.4, "section": section})
        publish(repo, Target.nightly(settings), [proposal(i) for i in PROPOSED], [flagged], FACTS, dry_run=False)
    finally:
        repo.close()
    [pull] = fake.open_pulls()
    return pull


def section_of(fake: github_fake.GitHubFake, arxiv_id: str) -> str | None:
    entry = AwesomeList.parse(fake.file(BRANCH)).find(arxiv_id=arxiv_id)
    return entry.section_path if entry else None


def test_the_body_carries_one_checked_box_per_proposed_paper(fake: github_fake.GitHubFake, settings: Settings) -> None:
    pull = open_pr(fake, settings)
    boxes = [line for line in pull.body.splitlines() if line.startswith("- [")]
    assert sorted(line[7:17] for line in boxes) == sorted(PROPOSED)
    assert all(line.startswith("- [x] `") for line in boxes)


def test_unchecking_a_paper_rejects_it_and_removes_its_line(fake: github_fake.GitHubFake, settings: Settings) -> None:
    pull = open_pr(fake, settings)
    pull.body = pull.body.replace("- [x] `2412.13102`", "- [ ] `2412.13102`")  # a maintainer unticks it
    result = review(settings)
    assert [(c.action, c.arxiv_id, c.by) for c in result.changes] == [("rejected", "2412.13102", "checkbox")]
    assert "2412.13102" not in AwesomeList.parse(fake.file(BRANCH)).arxiv_ids
    marker = parse_marker(pull.body)
    assert marker is not None and "2412.13102" in marker.rejected and "2412.13102" not in marker.proposed_ids
    assert [(r.arxiv_id, r.action) for r in marker.reviewed] == [("2412.13102", "rejected")]
    # Reviewing again changes nothing: the body now says what the branch holds.
    refs = dict(fake.refs)
    assert review(settings).changes == [] and fake.refs == refs
    # And the next night does not bring it back.
    night(settings, ["2412.13102"])
    assert "2412.13102" not in AwesomeList.parse(fake.file(BRANCH)).arxiv_ids


def test_a_move_command_moves_the_line_and_the_reply_says_so(fake: github_fake.GitHubFake, settings: Settings) -> None:
    pull = open_pr(fake, settings)
    fake.collaborators["maintainer"] = "write"
    comment = fake.comment(pull.number, "maintainer", "/curatorbot move 2503.01711 generative retrieval")
    result = review(settings)
    assert [(c.action, c.arxiv_id, c.section) for c in result.changes] == [
        ("moved", "2503.01711", "Generative Retrieval")
    ]
    assert section_of(fake, "2503.01711") == "Generative Retrieval"
    [reply] = [c for c in fake.comments_on(pull.number) if c[2] == "curatorbot"]
    assert "moved from Paper List to Generative Retrieval" in reply[4] and REPLY_MARKER in reply[4]
    assert fake.reactions == [(comment, "+1")]
    golden("review_reply_move.md", reply[4])
    # Twice: the comment was read, nothing happens again, no second reply.
    assert review(settings).changes == [] and len(fake.comments_on(pull.number)) == 2


def test_a_catch_up_pull_request_is_reviewed_by_its_marker_like_the_nightly_one(
    fake: github_fake.GitHubFake, settings: Settings
) -> None:
    from curatorbot.jobs.publish import WindowMark

    repo = repo_for(settings)
    try:
        target = Target.catch_up(settings, "2025-03")
        window = WindowMark(key="2025-03", covered=("2025-03",))
        publish(repo, target, [proposal(i) for i in PROPOSED], [], FACTS, dry_run=False, window=window)
    finally:
        repo.close()
    [pull] = fake.open_pulls()
    assert pull.head == target.branch
    fake.collaborators["maintainer"] = "write"
    pull.body = pull.body.replace("- [x] `2412.13102`", "- [ ] `2412.13102`")  # unticked on the catch-up PR
    fake.comment(pull.number, "maintainer", "/curatorbot move 2503.01711 Generative Retrieval")
    result = review(settings)
    assert sorted((c.action, c.arxiv_id) for c in result.changes) == [
        ("moved", "2503.01711"),
        ("rejected", "2412.13102"),
    ]
    listed = AwesomeList.parse(fake.file(target.branch))
    assert "2412.13102" not in listed.arxiv_ids
    assert listed.find(arxiv_id="2503.01711").section_path == "Generative Retrieval"  # type: ignore[union-attr]
    marker = parse_marker(pull.body)
    assert marker is not None and marker.window == "2025-03" and "2412.13102" in marker.rejected


def test_a_move_keeps_the_entry_when_the_list_links_the_paper_elsewhere_too(
    fake: github_fake.GitHubFake, settings: Settings
) -> None:
    pull = open_pr(fake, settings)
    fake.collaborators["maintainer"] = "write"
    # A maintainer adds a "see also" link to the proposed paper on the branch, in a line that is no entry.
    text = fake.file(BRANCH)
    see_also = "\nSee also [this benchmark](https://arxiv.org/abs/2503.01711) for the setting.\n"
    fake.maintainer_commit(BRANCH, "README.md", text.replace("## Survey\n", "## Survey\n" + see_also, 1))
    fake.comment(pull.number, "maintainer", "/curatorbot move 2503.01711 Generative Retrieval")
    result = review(settings)
    assert [(c.action, c.arxiv_id) for c in result.changes] == [("moved", "2503.01711")]
    assert section_of(fake, "2503.01711") == "Generative Retrieval" and "See also [this benchmark]" in fake.file(BRANCH)
    # The next night finds the entry where it was moved: proposed, not rejected.
    night(settings, [])
    marker = parse_marker(pull.body)
    assert marker is not None and "2503.01711" in marker.proposed_ids and "2503.01711" not in marker.rejected


def test_a_move_that_would_leave_a_maintainers_copy_twice_is_answered_not_done(
    fake: github_fake.GitHubFake, settings: Settings
) -> None:
    pull = open_pr(fake, settings)
    fake.collaborators["maintainer"] = "write"
    text = fake.file(BRANCH)
    entry = AwesomeList.parse(text).find(arxiv_id="2503.01711")
    assert entry is not None
    # The maintainer also listed the paper under Generative Retrieval by hand.
    copy = text.replace("## Generative Retrieval\n", f"## Generative Retrieval\n\n{entry.raw}\n", 1)
    fake.maintainer_commit(BRANCH, "README.md", copy)
    fake.comment(pull.number, "maintainer", "/curatorbot move 2503.01711 Survey")
    assert review(settings).changes == []
    assert fake.file(BRANCH) == copy  # both entries stay: nothing deleted
    [reply] = [c[4] for c in fake.comments_on(pull.number) if c[2] == "curatorbot"]
    assert "2503.01711 is already listed under Generative Retrieval" in reply and "done" not in reply


def test_accepting_a_flagged_paper_whose_title_is_already_listed_says_already_listed(
    fake: github_fake.GitHubFake, settings: Settings
) -> None:
    pull = open_pr_with_a_flag(fake, settings, section="Paper List")
    fake.collaborators["maintainer"] = "write"
    title = parse_marker(pull.body).flagged[0].title  # type: ignore[union-attr]
    text = fake.file(BRANCH)
    line = f"+ {title}, arxiv 2025, [[paper]](https://openreview.net/forum?id=abc)."
    fake.maintainer_commit(BRANCH, "README.md", text.replace("## Survey\n", f"## Survey\n\n{line}\n", 1))
    fake.comment(pull.number, "maintainer", "/curatorbot accept 2501.01945")
    assert review(settings).changes == []
    [reply] = [c[4] for c in fake.comments_on(pull.number) if c[2] == "curatorbot"]
    assert "2501.01945 is already listed under Survey" in reply
    marker = parse_marker(pull.body)
    assert marker is not None and [f.arxiv_id for f in marker.flagged] == ["2501.01945"]
    night(settings, [])  # and the next night does not turn it into a rejection
    assert "2501.01945" not in (parse_marker(pull.body) or marker).rejected


def test_an_edited_command_is_answered_never_carried_out_again(
    fake: github_fake.GitHubFake, settings: Settings
) -> None:
    pull = open_pr(fake, settings)
    fake.collaborators["maintainer"] = "write"
    comment = fake.comment(pull.number, "maintainer", "/curatorbot move 2503.01711 Survey")
    review(settings)
    text = fake.file(BRANCH)
    # The maintainer edits the comment into another command.
    index = next(i for i, c in enumerate(fake.comments) if c[0] == comment)
    fake.comments[index] = (*fake.comments[index][:4], "/curatorbot reject 2503.01711")
    repo = repo_for(settings)
    try:
        result = run_review(repo, settings, FACTS, dry_run=False, edited_comment=comment)
    finally:
        repo.close()
    assert result.changes == [] and fake.file(BRANCH) == text
    last = [c[4] for c in fake.comments_on(pull.number) if c[2] == "curatorbot"][-1]
    assert "an edited command is not carried out" in last and "post the command as a new comment" in last
    assert fake.reactions[-1] == (comment, "confused")


def test_accepting_a_flagged_paper_titled_only_in_markup_writes_no_empty_entry(
    fake: github_fake.GitHubFake, settings: Settings
) -> None:
    repo = repo_for(settings)
    try:
        flagged = proposal("2501.01945").record.model_copy(update={"title": "<b></b>", "section": "Paper List"})
        publish(repo, Target.nightly(settings), [proposal(i) for i in PROPOSED], [flagged], FACTS, dry_run=False)
    finally:
        repo.close()
    [pull] = fake.open_pulls()
    fake.collaborators["maintainer"] = "write"
    text = fake.file(BRANCH)
    fake.comment(pull.number, "maintainer", "/curatorbot accept 2501.01945")
    assert review(settings).changes == [] and fake.file(BRANCH) == text
    [reply] = [c[4] for c in fake.comments_on(pull.number) if c[2] == "curatorbot"]
    assert "2501.01945 is titled only in markup, so no entry can be written for it" in reply


def test_an_ambiguous_or_unknown_section_gets_the_candidates_and_changes_nothing(
    fake: github_fake.GitHubFake, settings: Settings
) -> None:
    pull = open_pr(fake, settings)
    fake.collaborators["maintainer"] = "admin"
    text = fake.file(BRANCH)
    fake.comment(pull.number, "maintainer", "/curatorbot move 2503.01711 learning\n/curatorbot move 2503.01711 Nowhere")
    assert review(settings).changes == []
    assert fake.file(BRANCH) == text
    reply = next(c for c in fake.comments_on(pull.number) if c[2] == "curatorbot")[4]
    assert "could be Universal Representation Learning, Pretrain Language Model and Prompt Learning" in reply
    assert "no section 'Nowhere'; the sections are Survey, Paper List" in reply
    assert fake.reactions[-1][1] == "confused"
    golden("review_reply_ambiguous_section.md", reply)
    assert resolve_section("agent4rec", ["Paper List > Agent4Rec", "Other > Agent4Rec"]) == (
        None,
        ["Paper List > Agent4Rec", "Other > Agent4Rec"],
    )


def test_a_command_from_someone_without_write_access_changes_nothing(
    fake: github_fake.GitHubFake, settings: Settings
) -> None:
    pull = open_pr(fake, settings)
    fake.collaborators["reader"] = "read"
    text = fake.file(BRANCH)
    comment = fake.comment(pull.number, "reader", "/curatorbot reject 2503.01711")
    stranger = fake.comment(pull.number, "stranger", "/curatorbot reject 2412.12836 spam")
    assert review(settings).changes == []
    assert fake.file(BRANCH) == text
    [reply] = [c[4] for c in fake.comments_on(pull.number) if c[2] == "curatorbot"]  # one for both
    assert "Thank you, reader, stranger: only people with write access" in reply and "@" not in reply
    golden("review_reply_not_allowed.md", reply)
    assert sorted(fake.reactions) == [(comment, "eyes"), (stranger, "eyes")]


def test_a_flood_of_comments_costs_a_few_writes_never_the_rate_limit(
    fake: github_fake.GitHubFake, settings: Settings
) -> None:
    pull = open_pr(fake, settings)
    fake.collaborators["maintainer"] = "write"
    for n in range(120):
        fake.comment(pull.number, f"stranger{n}", "/curatorbot reject 2503.01711")
    for _ in range(15):
        fake.comment(pull.number, "maintainer", "/curatorbot move 2503.01711 Survey")
    before = len(fake.comments)
    result = review(settings)
    assert [(c.action, c.arxiv_id) for c in result.changes] == [("moved", "2503.01711")]
    replies = fake.comments[before:]
    # Ten answers, one for the other five, one for all the strangers; reactions capped too.
    assert len(replies) == 12 and "120 command comments changed nothing" in replies[-1][4]
    assert "stranger9 and 110 more" in replies[-1][4] and "@" not in replies[-1][4]
    assert len(fake.reactions) == 15
    assert section_of(fake, "2503.01711") == "Survey"


def test_hostile_comments_change_nothing_they_should_not(fake: github_fake.GitHubFake, settings: Settings) -> None:
    pull = open_pr(fake, settings)
    fake.collaborators["maintainer"] = "write"
    text = fake.file(BRANCH)
    hostile = "\n".join(
        [
            "```",
            "/curatorbot reject 2503.01711",
            "```",
            "> /curatorbot reject 2412.12836",
            "    /curatorbot reject 2412.13102",  # indented code
            "/curatorbot reject $(rm -rf /) `whoami` <script>alert(1)</script>",
            "/curatorbot move 2503.01711 <img src=x onerror=alert(1)>",
            "x" * 100_000,
        ]
    )
    fake.comment(pull.number, "maintainer", hostile)
    assert review(settings).changes == []
    assert fake.file(BRANCH) == text
    reply = next(c[4] for c in fake.comments_on(pull.number) if c[2] == "curatorbot")
    assert "<script>" not in reply and "<img" not in reply and "$(rm" in reply  # shown as text, inert
    assert len(parse_commands(hostile)) == 2  # the quoted, fenced and indented ones are not commands


def test_the_bots_own_comments_are_never_read_as_commands(fake: github_fake.GitHubFake, settings: Settings) -> None:
    pull = open_pr(fake, settings)
    fake.collaborators["curatorbot"] = "write"
    fake.comment(pull.number, "curatorbot", "/curatorbot reject 2503.01711", author_type="Bot")
    fake.comment(pull.number, "someone-else", f"/curatorbot reject 2503.01711\n{REPLY_MARKER}")
    assert review(settings).changes == []


def test_checking_a_flagged_paper_adds_it_and_a_maintainers_edit_is_kept(
    fake: github_fake.GitHubFake, settings: Settings
) -> None:
    pull = open_pr_with_a_flag(fake, settings, section="Paper List")
    assert "- [ ] `2501.01945`" in pull.body
    # A maintainer rewords a proposed line on the branch, then ticks the flagged paper.
    text = fake.file(BRANCH)
    entry = AwesomeList.parse(text).find(arxiv_id="2412.12836")
    assert entry is not None
    fake.maintainer_commit(BRANCH, "README.md", text.replace(entry.raw, entry.raw.replace(".", " (reworded)."), 1))
    pull.body = pull.body.replace("- [ ] `2501.01945`", "- [x] `2501.01945`")
    result = review(settings)
    assert [(c.action, c.arxiv_id) for c in result.changes] == [("accepted", "2501.01945")]
    after = fake.file(BRANCH)
    assert "(reworded)" in after and section_of(fake, "2501.01945") == "Paper List"
    marker = parse_marker(pull.body)
    assert marker is not None and "2501.01945" in marker.proposed_ids and not marker.flagged
    golden("review_body_after_accept.md", pull.body.split("<!-- curatorbot:")[0])


def test_the_review_command_and_the_decisions_export(
    fake: github_fake.GitHubFake,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from curatorbot.cli.main import main

    pull = open_pr(fake, settings)
    fake.collaborators["maintainer"] = "maintain"
    fake.comment(
        pull.number, "maintainer", "Thanks!\n/curatorbot reject 2412.13102 not LLM\n/curatorbot move 2412.12836 Survey"
    )
    for name, value in {
        "GITHUB_TOKEN": "test-token",
        "CURATORBOT_GITHUB__BASE_URL": settings.github.base_url,
        "CURATORBOT_GITHUB__SECONDS_BETWEEN_WRITES": "0",
        "CURATORBOT_GITHUB__SECONDS_BETWEEN_REQUESTS": "0",
    }.items():
        monkeypatch.setenv(name, value)
    refs = dict(fake.refs)
    assert main(["review", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "--- a/README.md" in out and "rejected 2412.13102 (Paper List) by maintainer" in out and "dry run" in out
    assert fake.refs == refs and len(fake.comments_on(pull.number)) == 1  # nothing written, nobody answered
    assert main(["review", "--pr", str(pull.number)]) == 0
    capsys.readouterr()
    assert section_of(fake, "2412.12836") == "Survey" and section_of(fake, "2412.13102") is None
    golden("review_reply_reject_and_move.md", next(c[4] for c in fake.comments_on(pull.number) if c[2] == "curatorbot"))
    assert main(["decisions", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["arxiv_id"], r["action"], r["relevant"], r["section"], r["by"]) for r in rows] == [
        ("2412.13102", "rejected", False, "Paper List", "maintainer"),
        ("2412.12836", "moved", True, "Survey", "maintainer"),
    ]


def test_refresh_moves_a_paper_whose_section_changed_and_updates_the_flags(
    fake: github_fake.GitHubFake, settings: Settings
) -> None:
    pull = open_pr(fake, settings)
    fake.collaborators["maintainer"] = "write"
    fake.comment(pull.number, "maintainer", "/curatorbot refresh")
    asked: list[list[str]] = []

    def reclassify(ids: list[str]) -> list[ProposalRecord]:
        # What a classifier answers on a second reading: one paper now belongs under Dataset.
        asked.append(list(ids))
        marker = parse_marker(pull.body)
        assert marker is not None
        return [
            r.model_copy(update={"section": "Dataset", "confidence": 0.95, "rationale": "A benchmark."})
            if r.arxiv_id == "2412.13102"
            else r
            for r in marker.proposed
        ]

    repo = repo_for(settings)
    try:
        result = run_review(repo, settings, FACTS, dry_run=False, reclassify=Reclassify("local", reclassify))
    finally:
        repo.close()
    assert asked == [PROPOSED]
    assert [(c.action, c.arxiv_id, c.section, c.by) for c in result.changes] == [
        ("moved", "2412.13102", "Dataset", "maintainer")
    ]
    assert section_of(fake, "2412.13102") == "Dataset"
    marker = parse_marker(pull.body)
    assert marker is not None
    assert next(r for r in marker.proposed if r.arxiv_id == "2412.13102").confidence == 0.95
    reply = next(c[4] for c in fake.comments_on(pull.number) if c[2] == "curatorbot")
    assert reply.startswith("- done, `/curatorbot refresh`")
    golden("review_reply_refresh.md", reply)


def test_refresh_with_another_backend_than_the_nights_is_refused(
    fake: github_fake.GitHubFake, settings: Settings
) -> None:
    pull = open_pr(fake, settings)  # classified by the openai backend
    pull.body = pull.body.replace('"backend":"local"', '"backend":"openai"')
    assert parse_marker(pull.body).backend == "openai"  # type: ignore[union-attr]
    fake.collaborators["maintainer"] = "write"
    fake.comment(pull.number, "maintainer", "/curatorbot refresh")
    text = fake.file(BRANCH)
    repo = repo_for(settings)
    try:
        result = run_review(repo, settings, FACTS, dry_run=False, reclassify=Reclassify("local", lambda ids: []))
    finally:
        repo.close()
    assert result.changes == [] and fake.file(BRANCH) == text
    reply = next(c[4] for c in fake.comments_on(pull.number) if c[2] == "curatorbot")
    assert "classified by the openai backend and this run has only the local one" in reply
    assert "OPENAI_API_KEY" in reply and "nothing changed" in reply


def test_refresh_without_a_classifier_says_so_and_changes_nothing(
    fake: github_fake.GitHubFake, settings: Settings
) -> None:
    pull = open_pr(fake, settings)
    fake.collaborators["maintainer"] = "write"
    fake.comment(pull.number, "maintainer", "/curatorbot refresh")
    assert review(settings).changes == []
    reply = next(c[4] for c in fake.comments_on(pull.number) if c[2] == "curatorbot")
    assert "refresh needs a classifier, which this run lacks; nothing changed" in reply


def test_an_accept_command_adds_a_flagged_paper_under_the_section_given(
    fake: github_fake.GitHubFake, settings: Settings
) -> None:
    pull = open_pr_with_a_flag(fake, settings, section=None)
    fake.collaborators["maintainer"] = "write"
    fake.comment(pull.number, "maintainer", "/curatorbot accept 2501.01945\n/curatorbot accept 2501.01945 survey")
    result = review(settings)
    assert [(c.action, c.arxiv_id, c.section) for c in result.changes] == [("accepted", "2501.01945", "Survey")]
    assert section_of(fake, "2501.01945") == "Survey"
    reply = next(c[4] for c in fake.comments_on(pull.number) if c[2] == "curatorbot")
    assert "has no suggested section; give one" in reply and "is added under Survey" in reply
    golden("review_reply_accept.md", reply)


def test_ticking_a_flag_without_a_section_says_how_once_and_unticks_it(
    fake: github_fake.GitHubFake, settings: Settings
) -> None:
    pull = open_pr_with_a_flag(fake, settings, section=None)
    text = fake.file(BRANCH)
    pull.body = pull.body.replace("- [ ] `2501.01945`", "- [x] `2501.01945`")
    assert review(settings).changes == []
    assert fake.file(BRANCH) == text and "- [ ] `2501.01945`" in pull.body
    [note] = [c[4] for c in fake.comments_on(pull.number)]
    assert "2501.01945 was ticked but has no suggested section" in note
    review(settings)
    assert len(fake.comments_on(pull.number)) == 1  # said once


@pytest.mark.parametrize(
    "line",
    [
        "/curatorbot reject 2510.11639v2 off topic",
        "/curatorbot reject arXiv:2510.11639 off topic",
        "/CURATORBOT Reject 2510.11639 off topic",
        "\u00a0/curatorbot reject https://arxiv.org/abs/2510.11639 off topic",
    ],
)
def test_commands_take_every_spelling_of_an_id_the_cli_takes(line: str) -> None:
    [command] = parse_commands(line)
    assert isinstance(command, Command) and (command.verb, command.arxiv_id, command.argument) == (
        "reject",
        "2510.11639",
        "off topic",
    )


def test_a_command_inside_an_html_comment_is_invisible_and_not_carried_out() -> None:
    hidden = "Looks good.\n<!--\n/curatorbot reject 2510.11639 hidden\n-->\n<!-- /curatorbot refresh"
    assert parse_commands(hidden) == []
    assert len(parse_commands("<!-- a note --> \n/curatorbot refresh")) == 1


def test_a_branch_that_moves_during_the_review_is_read_again_not_a_failure(
    fake: github_fake.GitHubFake, settings: Settings
) -> None:
    from fakes.repo import InProcessRepo

    pull = open_pr(fake, settings)
    fake.collaborators["maintainer"] = "write"
    fake.comment(pull.number, "maintainer", f"/curatorbot reject {PROPOSED[0]}")

    class RacingRepo(InProcessRepo):
        raced = False

        def write_file(self, path: str, text: str, sha: str, branch: str, message: str) -> str:
            if not self.raced:  # another writer commits between this review's read and its write
                self.raced = True
                fake.maintainer_commit(branch, path, fake.file(branch) + "\nA maintainer's note.\n")
            return super().write_file(path, text, sha, branch, message)

    result = run_review(RacingRepo(fake), settings, FACTS, dry_run=False)
    assert [c.arxiv_id for c in result.changes] == [PROPOSED[0]]
    branch = fake.file(BRANCH)
    assert "A maintainer's note." in branch and f"/{PROPOSED[0]}" not in branch


def test_a_forged_marker_from_a_fork_is_never_read(fake: github_fake.GitHubFake, settings: Settings) -> None:
    """A stranger's fork PR named like a bot branch, its body ending in a forged marker: it hides no paper
    from the nightly or the catch-up, counts as no catch-up window, and adds no decision rows."""
    from curatorbot.jobs.publish import read_catch_up_progress
    from curatorbot.jobs.review import maintainer_decisions

    open_pr(fake, settings)
    forged = (
        '<!-- curatorbot:{"version":2,"sections":["Paper List"],"proposed":[["2501.01945","x",0,0.9,"",null]],'
        '"flagged":[],"rejected":["2501.09999"],"window":"2025-09","covered":["2025-09"],'
        '"reviewed":[["2412.12836","rejected",null,"nancheng58"]]} -->'
    )
    fake.fork_pull("stranger", "curatorbot/catch-up-2025-09", "curatorbot: catch-up 2025-09", forged)
    fake.fork_pull("stranger", BRANCH, "curatorbot: new papers", forged)
    repo = repo_for(settings)
    try:
        progress = read_catch_up_progress(repo, settings.catch_up.branch_prefix, settings.list.base_branch)
        rows = maintainer_decisions(repo, settings)
        from curatorbot.jobs.publish import read_state

        state = read_state(repo, Target.nightly(settings))
    finally:
        repo.close()
    assert progress.pulls == {} and not progress.covered and not progress.known_ids
    assert not [r for r in rows if r["by"] == "nancheng58"]
    assert state.facts.open_pr is not None and state.facts.open_pr.number == 1
    assert "2501.09999" not in state.rejected and "2501.01945" not in state.known_ids()


def test_a_move_into_another_table_rewrites_the_row_in_that_tables_columns() -> None:
    from conftest import DATA
    from curatorbot.domain.awesome_list import AwesomeList, NewEntry
    from curatorbot.domain.pull_request import Marker, ProposalRecord, Reviewed
    from curatorbot.jobs.review import apply_calls

    newest = "1. Papers > 1.7 Newest Research Work List"
    generation = "1. Papers > 1.3 LLM as Scoring/Ranking Function > 1.3.2 Item Generation Task"
    parent = "1. Papers > 1.3 LLM as Scoring/Ranking Function"
    path = DATA / "lists" / "other" / "CHIANGEL__Awesome-LLM-for-RecSys.2025-06-30.README.md"
    with path.open(encoding="utf-8", newline="") as handle:
        base = AwesomeList.parse(handle.read())
    row = "| A Generative Recommender | Arxiv 2025 | [[Link]](https://arxiv.org/abs/2507.01234) |"
    branch = base.insert([NewEntry(section=newest, text=row, arxiv_id="2507.01234", title="A Generative Recommender")])
    record = ProposalRecord(
        arxiv_id="2507.01234", title="A Generative Recommender", section=newest, confidence=0.9, venue="Arxiv 2025"
    )
    marker = Marker(version=2, proposed=(record,))

    moved, new_marker, refused = apply_calls(
        branch, marker, [Reviewed(arxiv_id="2507.01234", action="moved", section=generation)]
    )
    assert refused == {}
    [entry] = [e for e in moved.entries if e.arxiv_id == "2507.01234"]
    assert entry.section_path == generation
    assert (
        entry.raw
        == "| N/A | A Generative Recommender | N/A | N/A | Arxiv 2025 | [[Link]](https://arxiv.org/abs/2507.01234) |"
    )
    assert new_marker.proposed[0].to_fill == ("Name", "LLM Backbone (Largest)", "LLM Tuning Strategy")

    # A section with no table of its own: the row stays where it is, and the reply says why.
    kept, _, refused = apply_calls(branch, marker, [Reviewed(arxiv_id="2507.01234", action="moved", section=parent)])
    assert kept.to_markdown() == branch.to_markdown()
    assert refused["2507.01234"].startswith(f"section '{parent}' has no entries or table to follow")
