"""Lists in other shapes than the shipped one: tables, `<details>` blocks, bold pseudo-headings."""

from collections import Counter
from pathlib import Path

import pytest

from curatorbot.domain.awesome_list import AwesomeList, NewEntry
from curatorbot.domain.errors import PlacementError
from curatorbot.domain.lint import lint
from curatorbot.domain.maintenance import plan_maintenance
from curatorbot.domain.models import Paper
from curatorbot.domain.render import render_line
from curatorbot.domain.tables import RowForm

OTHER = Path(__file__).parents[1] / "data" / "lists" / "other"
CHIANGEL = OTHER / "CHIANGEL__Awesome-LLM-for-RecSys.2025-06-30.README.md"
WLIK = OTHER / "WLiK__LLM4Rec-Awesome-Papers.README.md"


def read(path: Path) -> str:
    with path.open(encoding="utf-8", newline="") as handle:
        return handle.read()


@pytest.mark.parametrize("path", [CHIANGEL, WLIK], ids=lambda p: p.name)
def test_other_real_lists_round_trip_byte_for_byte(path: Path) -> None:
    text = read(path)
    assert AwesomeList.parse(text).to_markdown() == text
    crlf = "\ufeff" + text.replace("\n", "\r\n")
    assert AwesomeList.parse(crlf).to_markdown() == crlf


def test_details_blocks_and_bold_lines_are_sections_named_by_their_text() -> None:
    awesome = AwesomeList.parse(read(CHIANGEL))
    counts = Counter(e.section_path for e in awesome.entries)
    assert counts["1. Papers > 1.3 LLM as Scoring/Ranking Function > 1.3.2 Item Generation Task"] == 45
    assert counts["1. Papers > 1.5 LLM for RS Pipeline Controller"] == 7  # a block without bold sub-headings
    assert counts["1. Papers > 1.7 Newest Research Work List"] == 409
    assert counts["2. Datasets & Benchmarks > 2.1 Datasets"] == 14
    # The update log is a <details> block without papers: a note, not a section.
    assert not [s for s in awesome.sections if "Update Logs" in s.name]
    assert counts[""] == 0 and len(awesome.entries) == 648


def test_a_table_row_is_read_by_its_columns_not_its_first_cell() -> None:
    awesome = AwesomeList.parse(read(CHIANGEL))
    row = awesome.find(arxiv_id="2305.09858")
    assert row is not None and row.kind == "table"
    assert row.title.startswith("Knowledge Graph Completion Models are Few-shot Learners")  # not 'LLM4KGC'
    assert row.venue == "Arxiv 2023"
    wlik = AwesomeList.parse(read(WLIK))
    linked = wlik.find(arxiv_id="2402.09617")
    assert linked is not None
    assert (
        linked.title == "LLM-Enhanced User-Item Interactions: Leveraging Edge Information for Optimized Recommendations"
    )
    assert linked.venue == "arXiv 2024"  # Venue and Year columns read together
    assert linked.code_url == "https://github.com/anord-wang/LLM4REC.git"  # a code column labelled "Python"
    no_code = wlik.find(arxiv_id="2402.11724")
    assert no_code is not None and no_code.code_url is None and no_code.title.startswith("Large Language Models as")


def test_tables_without_a_paper_column_and_ragged_rows() -> None:
    text = (
        "## Data\n\n| Dataset | Scenario | Link |\n|---|---|---|\n"
        "| MovieLens \\| 1M | Movie | [[Link]](https://arxiv.org/abs/2401.00001) |\n\n"
        "## Bench\n\n| Benchmarks | Site | Paper |\n|---|---|---|\n"
        "| RecBench | [[Link]](https://x.org) | [[Paper]](https://arxiv.org/abs/2401.00002) |\n"
        "| RecBench+ | [[Link]](https://y.org) | [[Paper]](https://arxiv.org/abs/2401.00003) |\n\n"
        "## Ragged\n\n| Name | Paper | Backbone | Publication | Link |\n|---|---|---|---|---|\n"
        "| A Survey of Ragged Rows | Arxiv 2023 | [[Link]](https://arxiv.org/abs/2401.00004) |\n"
        "| | | | | |\n"
    )
    awesome = AwesomeList.parse(text)
    assert [(e.title, e.venue) for e in awesome.entries] == [
        ("MovieLens | 1M", None),  # an escaped pipe is part of the cell
        ("RecBench", None),
        ("RecBench+", None),
        ("A Survey of Ragged Rows", "Arxiv 2023"),
    ]
    report = lint(awesome)
    # No venue column asks for no venue; two ids are two papers, whatever their titles fold to.
    assert {p.kind for p in report.problems} == set(), report.problems


def test_a_bold_line_is_a_section_only_alone_and_without_links() -> None:
    text = (
        "## Papers\n\n**Agents**\n\n+ One, arxiv 2024, [[paper]](https://arxiv.org/pdf/2401.00001).\n\n"
        "**Survey paper: Two, arxiv 2023, [[paper]](https://arxiv.org/pdf/2401.00002).**\n\n"
        "<b>Ranking</b>\n\n+ Three, arxiv 2024, [[paper]](https://arxiv.org/pdf/2401.00003).\n\n"
        "**Note**\n\nNothing listed here.\n\n## Other\n\n+ Four, arxiv 2024, [[paper]](https://arxiv.org/pdf/2401.00004).\n"
    )
    awesome = AwesomeList.parse(text)
    assert [s.name for s in awesome.sections] == ["Papers", "Papers > Agents", "Papers > Ranking", "Other"]
    assert [e.section_path for e in awesome.entries] == ["Papers > Agents", "Papers > Ranking", "Other"]
    assert "2401.00002" in awesome.arxiv_ids  # the bold line with a link is a linked paper, not a heading


def test_details_without_summary_nested_and_unclosed_blocks() -> None:
    text = (
        "## Papers\n\n<details>\n\n+ Bare, arxiv 2024, [[paper]](https://arxiv.org/pdf/2401.00001).\n\n</details>\n\n"
        "<details><summary>Outer</summary>\n\n+ Out, arxiv 2024, [[paper]](https://arxiv.org/pdf/2401.00002).\n\n"
        "<details>\n<summary><b>Inner</b></summary>\n\n+ In, arxiv 2024, [[paper]](https://arxiv.org/pdf/2401.00003).\n\n"
        "</details>\n\n+ After, arxiv 2024, [[paper]](https://arxiv.org/pdf/2401.00004).\n\n</details>\n\n"
        "<details><summary>Open</summary>\n\n+ Tail, arxiv 2024, [[paper]](https://arxiv.org/pdf/2401.00005).\n"
    )
    awesome = AwesomeList.parse(text)
    assert [e.section_path for e in awesome.entries] == [
        "Papers",  # a block without a summary is no section of its own
        "Papers > Outer",
        "Papers > Outer > Inner",
        "Papers > Outer",
        "Papers > Open",  # never closed: GitHub folds the rest of the file into it
    ]
    assert awesome.to_markdown() == text


def test_lint_on_a_table_list_keeps_the_columns_wording_and_needs_a_clear_majority() -> None:
    rows = "".join(
        f"| Paper {i} | Arxiv 2024 | [[Link]](https://arxiv.org/{'abs' if i % 2 else 'pdf'}/2401.{i:05d}) |\n"
        for i in range(1, 7)
    )
    text = f"## P\n\n| Paper | Publication | Link |\n|---|---|---|\n{rows}"
    awesome = AwesomeList.parse(text)
    assert not awesome.house_style().settled_link_form  # 3 abs against 3 pdf
    assert lint(awesome).clean
    assert lint(awesome, link_form="abs").problems  # the maintainer's own setting is a rule
    plan = plan_maintenance(awesome, {}, kinds=["lint"])
    assert plan.text is None  # nothing to change: no relabelling, no link rewriting


def test_maintain_adds_code_links_only_where_the_list_writes_them() -> None:
    paper = Paper(arxiv_id="2401.00001", title="One", comments="Code: https://github.com/o/one")
    bare = AwesomeList.parse("## P\n+ One, arxiv 2024, [[paper]](https://arxiv.org/pdf/2401.00001).\n")
    assert plan_maintenance(bare, {paper.arxiv_id: paper}, kinds=["code"]).text is None
    with_code = AwesomeList.parse(
        "## P\n+ One, arxiv 2024, [[paper]](https://arxiv.org/pdf/2401.00001).\n"
        "+ Two, arxiv 2024, [[paper]](https://arxiv.org/pdf/2401.00002), [[code]](https://github.com/o/two).\n"
    )
    plan = plan_maintenance(with_code, {paper.arxiv_id: paper}, kinds=["code"])
    assert [c.arxiv_id for c in plan.changes] == ["2401.00001"]


def test_a_paper_in_two_tables_is_a_cross_listing_never_removed() -> None:
    row = "| Llama4Rec | Integrating LLMs | Arxiv 2024 | [[Link]](https://arxiv.org/abs/2401.13870) |\n"
    table = "| Name | Paper | Publication | Link |\n|---|---|---|---|\n"
    text = f"## A\n\n{table}{row}\n## B\n\n{table}{row}{row}"
    awesome = AwesomeList.parse(text)
    report = lint(awesome)
    assert [p.kind for p in report.cross_listings] == ["cross-listed"]
    assert [p.kind for p in report.problems] == ["duplicate-arxiv-id"]  # twice in B's own table
    plan = plan_maintenance(awesome, {}, kinds=["lint"])
    assert [c.line for c in plan.changes] == [12]  # only the repeat inside B's table goes


@pytest.mark.parametrize("path", [CHIANGEL, WLIK], ids=["chiangel", "wlik"])
def test_lint_and_format_fixes_on_the_other_real_lists_match_their_golden_files(path: Path) -> None:
    from goldens import golden

    awesome = AwesomeList.parse(read(path))
    report = lint(awesome)
    lines = [f"{p.line}: {p.kind}: {p.message}" for p in report.problems]
    lines += [f"{p.line}: note: {p.message}" for p in report.cross_listings]
    plan = plan_maintenance(awesome, {}, kinds=["lint"])
    lines += [f"fix {c.line}: {c.before!r} -> {c.after!r} ({c.evidence})" for c in plan.changes]
    name = "chiangel" if path == CHIANGEL else "wlik"
    golden(f"lint_{name}.txt", "\n".join(lines) + "\n")
    # No finding of the kinds a table list used to get wrong: label case, a Name column read as the title,
    # a venue asked of a table that has no venue column; no fix inside a table's link wording.
    assert not [p for p in report.problems if "label the arXiv link" in p.message]
    assert all(c.after is None for c in plan.changes), "only exact repeats inside one table are removed"


def test_bad_table_shapes_are_read_without_loss_and_written_safely() -> None:
    text = (
        "\ufeff# L\r\n\r\n## Two tables\r\n\r\n"
        "| Paper | Venue |\r\n|---|---|\r\n| [One](https://arxiv.org/abs/2401.00001) | KDD 2024 |\r\n\r\n"
        "| Name | Paper | Link |\r\n|---|---|---|\r\n| X | Two | [[Link]](https://arxiv.org/abs/2401.00002) |\r\n\r\n"
        "## Empty link\r\n\r\n| Paper | Venue | Link |\r\n|---|---|---|\r\n| Three | SIGIR 2024 | |\r\n"
        "| Four | Arxiv 2024 | [[Link]](https://arxiv.org/abs/2401.00004) |\r\n\r\n"
        '## Html\r\n\r\n<table><tr><td><a href="https://arxiv.org/abs/2401.00005">Five</a></td></tr></table>\r\n'
    )
    awesome = AwesomeList.parse(text)
    assert awesome.to_markdown() == text
    assert [(e.title, e.arxiv_id) for e in awesome.entries] == [
        ("One", "2401.00001"),
        ("Two", "2401.00002"),
        ("Three", None),  # its link cell is empty: an entry with no link, which lint reports
        ("Four", "2401.00004"),
    ]
    assert "2401.00005" not in {e.arxiv_id for e in awesome.entries}  # an HTML table is kept, not read
    with pytest.raises(PlacementError, match="tables of different columns"):
        awesome.entry_form("Two tables")
    form = awesome.entry_form("Empty link")
    assert isinstance(form, RowForm)
    row = render_line("2401.00009", "Nine", "Arxiv 2024", None, form)
    updated = awesome.insert([NewEntry(section="Empty link", text=row, arxiv_id="2401.00009", title="Nine")])
    assert "| Four | Arxiv 2024 | [[Link]](https://arxiv.org/abs/2401.00004) |\r\n" + row + "\r\n\r\n## Html" in (
        updated.to_markdown()
    )
    assert updated.to_markdown().startswith("\ufeff# L\r\n")
