import pytest

from curatorbot.domain.awesome_list import AwesomeList
from curatorbot.domain.lint import lint

REPEATED_IDS = {
    "2305.06566", "2307.00457", "2307.14225", "2308.10835", "2407.17115", "2310.09233",
    "2408.10645", "2408.10520", "2408.09698", "2408.08208", "2408.06276", "2408.03533",
    "2408.02223", "2407.20856", "2407.19643", "2406.02844", "2306.02552",
}  # fmt: skip


def kinds_at(report, line: int) -> set[str]:  # type: ignore[no-untyped-def]
    return {p.kind for p in report.problems if p.line == line}


def test_finds_all_17_repeated_ids_of_the_real_list(real_list_text: str) -> None:
    report = lint(AwesomeList.parse(real_list_text))
    repeated = [p for p in report.problems if p.kind == "duplicate-arxiv-id"]
    # A repeat within one section, or under another title, is a problem; 1 paper listed under the same title
    # in two sections is information.
    assert len(repeated) == 16 and len(report.cross_listings) == 1
    assert {p.message.split()[1] for p in repeated + list(report.cross_listings)} == REPEATED_IDS
    assert (report.entries, report.arxiv_ids) == (184, 162)


def test_names_the_first_occurrence_and_title_mismatches(real_list_text: str) -> None:
    report = lint(AwesomeList.parse(real_list_text))
    at_157 = [p for p in report.problems if p.line == 157]
    assert {p.kind for p in at_157} == {"duplicate-arxiv-id", "id-title-mismatch"}
    assert "first on line 110" in at_157[0].message
    assert "'OpenP5: An Open-Source Platform" in at_157[1].message


def test_reports_the_real_slips_with_their_lines(real_list_text: str) -> None:
    report = lint(AwesomeList.parse(real_list_text))
    assert kinds_at(report, 60) == {"doubled-brackets", "separator"}
    assert kinds_at(report, 101) == {"not-a-url"}
    assert kinds_at(report, 158) == {"missing-venue", "off-style-link", "separator"}
    assert kinds_at(report, 192) == {"arvix"}
    assert kinds_at(report, 146) == {"off-style-link"}  # an abs link where the list writes pdf
    assert kinds_at(report, 75) == {"venue-style"}  # SIGIR 24
    assert kinds_at(report, 162) >= {"separator"}  # full-width comma


def test_no_alarm_on_well_formed_lines(real_list_text: str) -> None:
    report = lint(AwesomeList.parse(real_list_text))
    flagged = {p.line for p in report.problems}
    well_formed = [
        23,  # TALLRec, venue with a qualifier and a code link
        73,  # an http:// arXiv link: the scheme is not a style slip
        172,  # an openreview paper link
        88,  # an AAAI paper link, two spaces after the comma in the title part
    ]
    assert not flagged & set(well_formed), [p for p in report.problems if p.line in well_formed]


def test_clean_list_has_no_findings() -> None:
    text = (
        "# Awesome\n\n## Papers\n"
        "+ One, arxiv 2024, [[paper]](https://arxiv.org/pdf/2401.00001).\n"
        "+ Two, SIGIR 2024, [[paper]](https://arxiv.org/pdf/2401.00002), [[code]](https://github.com/o/r).\n"
        "- [Contributing](CONTRIBUTING.md)\n"
    )
    report = lint(AwesomeList.parse(text))
    assert report.clean and report.entries == 2


def test_duplicate_title_under_another_link() -> None:
    text = (
        "## P\n+ Same Title, arxiv 2024, [[paper]](https://arxiv.org/pdf/2401.00001).\n"
        "+ Same title!, KDD 2024, [[paper]](https://dl.acm.org/doi/1).\n"
    )
    report = lint(AwesomeList.parse(text))
    assert [(p.line, p.kind) for p in report.problems] == [(3, "duplicate-title")]


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("+ No Link Paper, arxiv 2024.", "no-link"),
        ("+ Missing Venue, [[paper]](https://arxiv.org/pdf/2401.00001).", "missing-venue"),
        ("+ Versioned, arxiv 2024, [[paper]](https://arxiv.org/pdf/2401.00001v2).", "off-style-link"),
        ("+ Relative, arxiv 2024, [[paper]](papers/one.pdf).", "not-a-url"),
    ],
)
def test_each_malformation_kind(line: str, kind: str) -> None:
    report = lint(
        AwesomeList.parse("## P\n+ Ok, arxiv 2024, [[paper]](https://arxiv.org/pdf/2401.00009).\n" + line + "\n")
    )
    assert [p.kind for p in report.problems] == [kind]
    assert report.problems[0].line == 3
