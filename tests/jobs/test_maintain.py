"""Keeping the listed entries true: the changes planned from arXiv records (venues, code links, format
fixes), the maintenance pull request on the real list, and its lifecycle on the stateful GitHub fake."""

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import pytest

from conftest import TEST_CONFIG
from curatorbot.config import Settings, load_settings
from curatorbot.domain.arxiv_id import parse_user_arxiv_id
from curatorbot.domain.awesome_list import AwesomeList
from curatorbot.domain.enrich import ExternalVenue
from curatorbot.domain.errors import GitHubError
from curatorbot.domain.lint import lint
from curatorbot.domain.maintenance import plan_maintenance, venue_evidence
from curatorbot.domain.models import Paper
from curatorbot.jobs.maintain import (
    MaintenanceRequest,
    MaintenanceResult,
    MaintenanceServices,
    parse_marker,
    run_maintenance,
)
from curatorbot.services.arxiv import ArxivClient
from fakes import github_fake
from fakes.arxiv_standin import listed_archive
from goldens import golden
from publishing import repo_for

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
TODAY = dt.date(2026, 1, 20)
ALL_KINDS = ("venues", "code", "lint")
KINDS_ALL = list(ALL_KINDS)
BRANCH = "curatorbot/maintenance"


def listed_line(arxiv_id: str, venue: str = "arxiv 2023", code: str = "") -> str:
    links = f"[[paper]](https://arxiv.org/pdf/{arxiv_id})" + (f", [[code]]({code})" if code else "")
    return f"+ A Paper About Recommendation, {venue}, {links}."


def one_entry_list(*lines: str) -> AwesomeList:
    return AwesomeList.parse("# Papers\n\n## Paper List\n\n" + "\n".join(lines) + "\n")


def paper(arxiv_id: str = "2305.00001", **fields: Any) -> Paper:
    return Paper(arxiv_id=arxiv_id, title="A Paper About Recommendation", **fields)


# ---- venues --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("comments", "venue"),
    [
        ("Accepted by RecSys 2023", "RecSys 2023"),
        ("Accepted at SIGIR 2024 (short paper)", "SIGIR 2024 Short Paper"),
        ("To appear in WWW'24", "WWW 2024"),
        ("Submitted to RecSys 2023", None),
        ("Under review at KDD 2024", None),
        ("Preprint. Work in progress.", None),
        ("ECIR 2025", None),  # a bare venue may be a submission: no acceptance cue, no edit
        ("KDD 2025 (10 pages)", None),
        ("accepted and to be published in TMLR", None),  # no year: never guessed
        ("Accepted to NAACL 2025 SRW", None),  # a workshop, and this list writes none
        ("presented to LLM4EVAL at WSDM '25", None),
        ("Accepted to ACL 2025 Findings", None),
    ],
)
def test_a_venue_is_upgraded_only_when_arxiv_says_accepted(comments: str, venue: str | None) -> None:
    awesome = one_entry_list(listed_line("2305.00001"))
    plan = plan_maintenance(awesome, {"2305.00001": paper(comments=comments)}, kinds=["venues"])
    assert [c.after for c in plan.changes] == ([venue] if venue else [])
    if venue:
        assert plan.changes[0].before == "arxiv 2023" and plan.changes[0].evidence == f"arXiv comments: {comments}"
        assert f"+ A Paper About Recommendation, {venue}, [[paper]]" in (plan.text or "")


def test_the_venue_takes_the_lists_own_spelling() -> None:
    awesome = one_entry_list(
        listed_line("2305.00001"),
        listed_line("2201.00002", venue="Recsys 2022"),
        listed_line("2201.00003", "Recsys 2022"),
    )
    plan = plan_maintenance(awesome, {"2305.00001": paper(comments="Accepted by ACM RecSys 2023")}, kinds=["venues"])
    assert [c.after for c in plan.changes] == ["Recsys 2023"]


def test_a_workshop_is_written_as_the_list_writes_workshops_never_as_the_main_conference() -> None:
    awesome = one_entry_list(listed_line("2305.00001"), listed_line("2201.00002", venue="SIGIR 2023 workshop"))
    papers = {"2305.00001": paper(comments="Accepted to NAACL 2025 SRW")}
    plan = plan_maintenance(awesome, papers, kinds=["venues"])
    assert [c.after for c in plan.changes] == ["NAACL 2025 workshop"]


def test_a_journal_ref_and_an_acl_anthology_doi_name_the_venue() -> None:
    by_ref = venue_evidence(paper(journal_ref="Proceedings of CIKM 2023, pages 1-10"))
    by_doi = venue_evidence(paper(doi="10.18653/v1/2024.findings-emnlp.123"))
    assert by_ref is not None and str(by_ref[0]) == "CIKM 2023" and by_ref[1].startswith("arXiv journal_ref: ")
    assert by_doi is not None and str(by_doi[0]) == "EMNLP 2024 Findings" and by_doi[1].startswith("arXiv DOI: ")
    assert venue_evidence(paper(doi="10.48550/arXiv.2305.00001")) is None  # arXiv's own DOI names no venue


def test_a_venue_older_than_the_paper_is_an_earlier_work_not_an_upgrade() -> None:
    awesome = one_entry_list(listed_line("2305.00001"))
    plan = plan_maintenance(awesome, {"2305.00001": paper(comments="Accepted by SIGIR 2019")}, kinds=["venues"])
    assert plan.changes == ()


def test_semantic_scholar_names_the_venue_when_arxiv_does_not() -> None:
    awesome = one_entry_list(listed_line("2305.00001"))
    external = {
        "2305.00001": ExternalVenue(
            arxiv_id="2305.00001",
            venue="Annual International ACM SIGIR Conference on Research and Development in Information Retrieval",
            year=2023,
        )
    }
    plan = plan_maintenance(awesome, {"2305.00001": paper()}, external, kinds=["venues"])
    [change] = plan.changes
    assert change.after == "SIGIR 2023" and change.evidence.startswith("Semantic Scholar: venue 'Annual International")
    arxiv_only = {"2305.00001": ExternalVenue(arxiv_id="2305.00001", venue="arXiv.org", year=2023)}
    assert plan_maintenance(awesome, {"2305.00001": paper()}, arxiv_only, kinds=["venues"]).changes == ()


# ---- code links and format fixes -----------------------------------------------------------------


def test_a_code_link_comes_only_from_the_papers_own_record() -> None:
    awesome = one_entry_list(listed_line("2305.00001"), listed_line("2305.00002", code="https://github.com/o/r"))
    papers = {
        "2305.00001": paper(abstract="We propose X. Our code is at https://github.com/owner/repo."),
        "2305.00002": paper("2305.00002", abstract="Code: https://github.com/other/repo"),
    }
    [change] = plan_maintenance(awesome, papers, kinds=["code"]).changes
    assert change.after == "[[paper]](https://arxiv.org/pdf/2305.00001), [[code]](https://github.com/owner/repo)"
    assert change.evidence.startswith("arXiv abstract: ") and "github.com/owner/repo" in change.evidence


def test_format_fixes_on_the_real_list_change_no_meaning(real_list_text: str) -> None:
    awesome = AwesomeList.parse(real_list_text)
    plan = plan_maintenance(awesome, {}, kinds=["lint"])
    fixed = AwesomeList.parse(plan.text or "")
    before, after = lint(awesome).problems, lint(fixed).problems
    kinds_after = {p.kind for p in after}
    assert len(before) == 71 and len(after) < len(before) // 2  # and 1 cross-listing, information only
    assert not kinds_after & {"arvix", "doubled-brackets", "off-style-link"}
    # Every entry keeps its paper, title and section; only exact repeats in the same section go.
    assert fixed.arxiv_ids == awesome.arxiv_ids
    kept = {(e.arxiv_id, e.norm_title, e.section) for e in fixed.entries}
    assert kept == {(e.arxiv_id, e.norm_title, e.section) for e in awesome.entries}
    assert len(awesome.entries) - len(fixed.entries) == sum(1 for c in plan.changes if c.after is None) == 9


def test_a_repeated_id_under_two_titles_or_sections_is_listed_not_fixed(real_list_text: str) -> None:
    awesome = AwesomeList.parse(real_list_text)
    plan = plan_maintenance(awesome, {}, kinds=["lint"])
    repeats = {r.arxiv_id: r for r in plan.repeats}
    assert len(repeats) == 8
    # One id in two sections with the same title, and one id under two titles: both stay for a person.
    assert repeats["2307.14225"].sections == ("Paper List", "Paper List > Perspective")
    assert len(set(repeats["2305.06566"].titles)) == 2
    fixed = AwesomeList.parse(plan.text or "")
    assert sum(1 for e in fixed.entries if e.arxiv_id == "2307.14225") == 2


def test_a_line_repeated_under_two_parent_bullets_of_one_section_is_kept() -> None:
    line = "  " + listed_line("2305.00001")
    awesome = one_entry_list("- Topic A", line, "- Topic B", line, "", "Another list:", "", line.strip())
    plan = plan_maintenance(awesome, {}, kinds=["lint"])
    assert [c for c in plan.changes if c.after is None] == []
    assert [r.lines for r in plan.repeats] == [(6, 8, 12)]


def test_a_row_repeated_in_two_tables_is_kept_and_twice_in_one_table_removed() -> None:
    row = "| A Paper About Recommendation | arxiv 2023 | [paper](https://arxiv.org/pdf/2305.00001) |"
    table = ["| Title | Venue | Link |", "| --- | --- | --- |", row]
    awesome = one_entry_list(*table, "", "Cross-listed:", "", *table, row)
    plan = plan_maintenance(awesome, {}, kinds=["lint"])
    assert [(c.line, c.after) for c in plan.changes if c.after is None] == [(14, None)]  # not line 7


def test_an_exact_repeat_within_one_list_is_removed() -> None:
    line = "  " + listed_line("2305.00001")
    awesome = one_entry_list(
        "- Topic A", line, "  + Another Paper, arxiv 2023, [[paper]](https://arxiv.org/pdf/2305.00002).", "", line
    )
    plan = plan_maintenance(awesome, {}, kinds=["lint"])
    assert [(c.line, c.after) for c in plan.changes] == [(9, None)]


def test_a_change_on_a_line_the_format_stage_removes_is_not_counted() -> None:
    line = listed_line("2305.00001")
    awesome = one_entry_list(line, line)  # an exact repeat: lint removes the second
    plan = plan_maintenance(awesome, {"2305.00001": paper(comments="Accepted by RecSys 2023")}, kinds=KINDS_ALL)
    assert plan.count("venues") == 1 and [c.line for c in plan.changes if c.kind == "venues"] == [5]
    assert [(c.line, c.after) for c in plan.changes if c.kind == "lint"] == [(6, None)]
    assert plan.stages[0].commit_message == "curatorbot: venues of 1 entry from their arXiv records"


def test_a_remembered_rejection_is_not_proposed_again() -> None:
    awesome = one_entry_list(listed_line("2305.00001"))
    papers = {"2305.00001": paper(comments="Accepted by RecSys 2023")}
    plan = plan_maintenance(awesome, papers, kinds=["venues"], rejected={"venues:2305.00001:RecSys 2023"})
    assert plan.changes == () and [c.key for c in plan.remembered] == ["venues:2305.00001:RecSys 2023"]


# ---- the real list, read through the arXiv API ---------------------------------------------------


def papers_from_arxiv(settings: Settings, requests: list[int]) -> Any:
    def papers(ids: Sequence[str]) -> Mapping[str, Paper]:
        with ArxivClient(settings.arxiv) as arxiv:
            lookup = arxiv.lookup([parse_user_arxiv_id(i) for i in ids])
            requests.append(arxiv.http.requests_sent)
        return {p.arxiv_id: p for p in lookup.papers}

    return papers


@pytest.mark.vcr
def test_maintain_on_the_real_list_proposes_what_the_recorded_records_support(
    arxiv_standin: Any, real_list_text: str
) -> None:
    arxiv_standin(None, [], papers=listed_archive(real_list_text))
    settings = load_settings(TEST_CONFIG)  # after the stand-in's URLs are in the environment
    requests: list[int] = []
    result = run_maintenance(
        MaintenanceRequest(kinds=ALL_KINDS, dry_run=True, today=TODAY),
        MaintenanceServices(
            papers=papers_from_arxiv(settings, requests),
            venues=None,
            repo=None,
            local_list=AwesomeList.parse(real_list_text),
        ),
        settings,
    )
    assert result.plan.checked == 162 and requests == [4]  # every listed id, 50 ids a request
    counts = {kind: result.plan.count(kind) for kind in ALL_KINDS}
    assert counts["venues"] > 0 and counts["code"] > 0 and counts["lint"] >= 100
    # Only accepted or published phrasing upgrades a venue: never "submitted" or "under review".
    for change in result.plan.changes:
        if change.kind == "venues":
            assert not any(w in change.evidence.lower() for w in ("submitted to", "under review", "in submission"))
    # Every counted change is in the final diff: its line is there with the change made, numbered as in the base.
    final = AwesomeList.parse(result.plan.text or "")
    base_lines = real_list_text.splitlines()
    for change in result.plan.changes:
        if change.after is None:
            continue
        assert change.before in base_lines[change.line - 1] and change.after in final.to_markdown()
        if change.kind == "venues":
            assert final.find(arxiv_id=change.arxiv_id).venue == change.after  # type: ignore[union-attr]
    removed = sum(1 for line in result.diff.splitlines() if line.startswith("-") and not line.startswith("---"))
    added = sum(1 for line in result.diff.splitlines() if line.startswith("+") and not line.startswith("+++"))
    assert removed - added == sum(1 for c in result.plan.changes if c.after is None)
    for repeat in result.plan.repeats:  # the same numbering: the base list's
        assert all(repeat.arxiv_id in base_lines[line - 1] for line in repeat.lines)
    golden("maintenance_real_list.patch", result.diff)
    golden("maintenance_real_list_body.md", f"{result.title}\n\n{result.body}")


# ---- the pull request's lifecycle on the GitHub fake ---------------------------------------------


def maintain(settings: Settings, papers: Mapping[str, Paper], dry_run: bool = False) -> MaintenanceResult:
    repo = repo_for(settings)
    try:
        return run_maintenance(
            MaintenanceRequest(kinds=ALL_KINDS, dry_run=dry_run, today=TODAY),
            MaintenanceServices(papers=lambda ids: papers, venues=None, repo=repo),
            settings,
        )
    finally:
        repo.close()


UPGRADED = "2303.14524"  # listed as `arxiv 2023` on the real list
AS_LISTED = "arxiv 2023, [[paper]](https://arxiv.org/pdf/2303.14524)"
AS_UPGRADED = "RecSys 2023, [[paper]](https://arxiv.org/pdf/2303.14524)"


@pytest.fixture
def records() -> dict[str, Paper]:
    return {
        UPGRADED: paper(UPGRADED, comments="Accepted by RecSys 2023. 12 pages."),
        "2305.07001": paper("2305.07001", abstract="Code and data: https://github.com/example/recommender-code"),
    }


def test_first_run_opens_one_labelled_pr_with_one_commit_per_kind(
    fake: github_fake.GitHubFake, settings: Settings, records: dict[str, Paper]
) -> None:
    result = maintain(settings, records)
    assert result.action == "opened"
    [pull] = fake.open_pulls()
    assert pull.labels == ["curatorbot-maintenance"] and pull.head == BRANCH
    assert fake.labels["curatorbot-maintenance"]["color"] == "c5def5"
    in_base, order = fake._ancestors(fake.refs["main"]), list(fake.commits)
    ahead = sorted((sha for sha in fake._ancestors(fake.refs[BRANCH]) if sha not in in_base), key=order.index)
    assert [fake.commits[sha].message.splitlines()[0] for sha in ahead] == [
        "curatorbot: venues of 1 entry from their arXiv records",
        "curatorbot: code links for 1 entry from their arXiv records",
        "curatorbot: 115 format fixes that change no meaning",
    ]
    assert AS_UPGRADED in fake.file(BRANCH) and AS_LISTED in fake.file("main")
    assert "| `arxiv 2023` | `RecSys 2023` |" in pull.body
    assert "arXiv comments: Accepted by RecSys 2023. 12 pages." in pull.body
    marker = parse_marker(pull.body)
    assert marker is not None and len(marker.changes) == len(result.plan.changes)


def test_rerun_is_a_no_op(fake: github_fake.GitHubFake, settings: Settings, records: dict[str, Paper]) -> None:
    maintain(settings, records)
    tip, body = fake.refs[BRANCH], fake.open_pulls()[0].body
    again = maintain(settings, records)
    assert again.action == "nothing" and fake.refs[BRANCH] == tip and fake.open_pulls()[0].body == body


def test_a_venue_change_a_maintainer_reverted_is_not_proposed_again(
    fake: github_fake.GitHubFake, settings: Settings, records: dict[str, Paper]
) -> None:
    maintain(settings, records)
    reverted = fake.file(BRANCH).replace(
        "RecSys 2023, [[paper]](https://arxiv.org/pdf/2303.14524)",
        "arxiv 2023, [[paper]](https://arxiv.org/pdf/2303.14524)",
    )
    maintainer = fake.maintainer_commit(BRANCH, "README.md", reverted, "not accepted there: keep arxiv")
    result = maintain(settings, records)
    assert result.action == "updated" and fake.refs[BRANCH] == maintainer  # kept, not overwritten
    assert AS_LISTED in fake.file(BRANCH)
    body = fake.open_pulls()[0].body
    marker = parse_marker(body)
    assert marker is not None and marker.rejected == (f"venues:{UPGRADED}:RecSys 2023",)
    assert "| `arxiv 2023` | `RecSys 2023` |" not in body and "It remembers 1 rejected change." in body
    assert maintain(settings, records).action == "nothing"  # remembered: nothing more to say
    # Merged with the revert: the change stays rejected on the next run too.
    fake.merge(fake.open_pulls()[0].number)
    after_merge = maintain(settings, records)
    assert after_merge.action == "nothing" and not fake.open_pulls()


def test_new_changes_go_on_top_of_a_maintainers_commit(
    fake: github_fake.GitHubFake, settings: Settings, records: dict[str, Paper]
) -> None:
    maintain(settings, records)
    edited = fake.file(BRANCH).replace("Welcome to open an issue", "You are welcome to open an issue", 1)
    maintainer = fake.maintainer_commit(BRANCH, "README.md", edited, "a maintainer's own edit")
    later = {**records, "2305.08845": paper("2305.08845", comments="Accepted by ECIR 2024")}
    result = maintain(settings, later)
    assert result.action == "updated" and [c.arxiv_id for c in result.plan.changes] == ["2305.08845"]
    assert fake.commits[fake.refs[BRANCH]].parents == (maintainer,)
    branch = fake.file(BRANCH)
    assert (
        "You are welcome to open an issue" in branch
        and AS_UPGRADED in branch
        and "ECIR 2024, [[paper]](https://arxiv.org/pdf/2305.08845)" in branch
    )
    marker = parse_marker(fake.open_pulls()[0].body)
    assert marker is not None and len(marker.changes) == len(records) + 115 + 1


def test_base_moved_and_only_bot_commits_rebuilds_the_branch(
    fake: github_fake.GitHubFake, settings: Settings, records: dict[str, Paper]
) -> None:
    maintain(settings, records)
    moved = fake.maintainer_commit(
        "main", "README.md", fake.file("main").replace("Welcome to open an issue", "Welcome!")
    )
    result = maintain(settings, records)
    assert result.action == "updated"
    assert moved in fake._ancestors(fake.refs[BRANCH]) and "Welcome!" in fake.file(BRANCH)
    assert AS_UPGRADED in fake.file(BRANCH)
    marker = parse_marker(fake.open_pulls()[0].body)
    assert marker is not None and marker.base_sha == moved and len(marker.changes) == len(result.plan.changes)


def test_after_a_merge_a_run_with_nothing_new_opens_nothing(
    fake: github_fake.GitHubFake, settings: Settings, records: dict[str, Paper]
) -> None:
    maintain(settings, records)
    fake.merge(fake.open_pulls()[0].number)
    assert AS_UPGRADED in fake.file("main")
    assert maintain(settings, records).action == "nothing" and not fake.open_pulls()


def test_a_pr_closed_unmerged_its_changes_never_return(
    fake: github_fake.GitHubFake, settings: Settings, records: dict[str, Paper]
) -> None:
    maintain(settings, records)
    fake.close(fake.open_pulls()[0].number)
    assert maintain(settings, records).action == "nothing" and not fake.open_pulls()


def test_the_nightly_pr_and_the_maintenance_pr_live_side_by_side(
    fake: github_fake.GitHubFake, settings: Settings, records: dict[str, Paper]
) -> None:
    from publishing import night

    night(settings, ["2412.12836"])
    maintain(settings, records)
    assert sorted(p.head for p in fake.open_pulls()) == ["curatorbot/maintenance", "curatorbot/new-papers"]
    assert night(settings, ["2412.12836"]).action == "nothing"  # the nightly memory ignores the other marker


def test_a_branch_with_someone_elses_commits_and_no_pr_stops_with_one_line(
    fake: github_fake.GitHubFake, settings: Settings, records: dict[str, Paper]
) -> None:
    maintain(settings, records)
    fake.close(fake.open_pulls()[0].number)
    fake.maintainer_commit(BRANCH, "README.md", fake.file(BRANCH) + "\n", "my own work, pushed after the close")
    with pytest.raises(GitHubError, match="has commits curatorbot did not make"):
        maintain(settings, records)


def test_dry_run_writes_nothing(fake: github_fake.GitHubFake, settings: Settings, records: dict[str, Paper]) -> None:
    refs = dict(fake.refs)
    result = maintain(settings, records, dry_run=True)
    assert result.action == "dry-run" and "-+ Chat-REC" in result.diff and AS_UPGRADED in result.diff
    assert fake.refs == refs and not fake.pulls


def test_new_versions_the_nightly_run_noted_are_reported_with_what_they_brought() -> None:
    awesome = one_entry_list(listed_line("2305.00001"), listed_line("2305.00002"))
    papers = {"2305.00001": paper(comments="Accepted by SIGIR 2024"), "2305.00002": paper("2305.00002")}
    result = run_maintenance(
        MaintenanceRequest(kinds=ALL_KINDS, dry_run=True, today=TODAY, noted=("2305.00001", "2305.00002")),
        MaintenanceServices(papers=lambda ids: papers, venues=None, repo=None, local_list=awesome),
        _settings(),
    )
    assert result.noted_changed == ["2305.00001"]
    assert "- 2 listed papers with a new arXiv version since the last run checked; 1 brought a change" in result.body


def _settings() -> Settings:
    return load_settings(TEST_CONFIG)


def test_the_second_source_is_asked_only_about_papers_whose_arxiv_record_names_no_venue() -> None:
    awesome = one_entry_list(listed_line("2305.00001"), listed_line("2305.00002"))
    papers = {
        "2305.00001": paper(comments="Accepted by SIGIR 2024"),
        "2305.00002": paper("2305.00002", comments="12 pages, 3 figures"),
    }
    asked: list[list[str]] = []

    def venues(ids: Sequence[str]) -> dict[str, ExternalVenue]:
        asked.append(list(ids))
        return {
            "2305.00002": ExternalVenue(arxiv_id="2305.00002", venue="ACM Conference on Recommender Systems", year=2023)
        }

    result = run_maintenance(
        MaintenanceRequest(kinds=("venues",), dry_run=True, today=TODAY),
        MaintenanceServices(papers=lambda ids: papers, venues=venues, repo=None, local_list=awesome),
        _settings(),
    )
    assert asked == [["2305.00002"]]
    assert [(c.arxiv_id, c.after) for c in result.plan.changes] == [
        ("2305.00001", "SIGIR 2024"),
        ("2305.00002", "RecSys 2023"),
    ]
    assert "sources: arXiv API, Semantic Scholar" in result.body


@pytest.mark.parametrize(
    ("line", "before", "after", "expected"),
    [
        (
            "+ Benchmarking arxiv 2023 Models for Rec, arxiv 2023, [[paper]](https://arxiv.org/pdf/2301.00001).",
            "arxiv 2023",
            "SIGIR 2024",
            "+ Benchmarking arxiv 2023 Models for Rec, SIGIR 2024, [[paper]](https://arxiv.org/pdf/2301.00001).",
        ),
        (
            "+ SIGIR 24 in the Title, SIGIR 24, [[paper]](https://arxiv.org/pdf/2301.00001).",
            "SIGIR 24",
            "SIGIR 2024",
            "+ SIGIR 24 in the Title, SIGIR 2024, [[paper]](https://arxiv.org/pdf/2301.00001).",
        ),
        (  # a link whose label is the title: the link changes, the title stays
            "| [A Survey of Rec](https://arxiv.org/pdf/2301.00001) | arxiv | 2023 |",
            "[A Survey of Rec](https://arxiv.org/pdf/2301.00001)",
            "[A Survey of Rec](https://arxiv.org/abs/2301.00001)",
            "| [A Survey of Rec](https://arxiv.org/abs/2301.00001) | arxiv | 2023 |",
        ),
        (  # a full-width comma only in the title: the title is never edited
            "+ A，B for Rec, arxiv 2023, [[paper]](https://arxiv.org/pdf/2301.00001).",
            "，",
            ", ",
            "+ A，B for Rec, arxiv 2023, [[paper]](https://arxiv.org/pdf/2301.00001).",
        ),
    ],
)
def test_maintain_edits_only_the_field_it_names_never_the_title(
    line: str, before: str, after: str, expected: str
) -> None:
    from curatorbot.domain.awesome_list import AwesomeList
    from curatorbot.domain.maintenance import Change, apply_changes

    header = "| Paper | Venue | Year |\n|---|---|---|\n" if line.startswith("|") else ""
    awesome = AwesomeList.parse(f"# L\n\n## Papers\n\n{header}{line}\n")
    [entry] = awesome.entries
    change = Change("venues", "k", entry.line, entry.arxiv_id, entry.title, before, after, "evidence")
    updated, applied = apply_changes(awesome, [change])
    assert updated.lines[entry.line - 1].text == expected
    assert applied == ([change] if expected != line else [])
