import functools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REAL_LISTS
from curatorbot.domain.awesome_list import AwesomeList, HouseStyle, NewEntry, normalize_title
from curatorbot.domain.errors import DuplicateEntryError, UnknownSectionError


def read_exact(path: Path) -> str:
    with path.open(encoding="utf-8", newline="") as handle:
        return handle.read()


# ---- lossless round trip ----------------------------------------------------------------------


@pytest.mark.parametrize("path", REAL_LISTS, ids=lambda p: p.name)
def test_real_lists_round_trip_byte_for_byte(path: Path) -> None:
    text = read_exact(path)
    assert AwesomeList.parse(text).to_markdown() == text


@pytest.mark.parametrize("path", REAL_LISTS, ids=lambda p: p.name)
def test_real_lists_round_trip_with_crlf_and_no_final_newline(path: Path) -> None:
    text = read_exact(path).replace("\n", "\r\n").rstrip("\r\n")
    assert AwesomeList.parse(text).to_markdown() == text


# Markdown-shaped text: the building blocks of headings, entries, tables, fences and comments.
markdownish = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "## ",
                "### ",
                "# ",
                "+ ",
                "- ",
                "* ",
                "1. ",
                "| ",
                " |",
                "|---|",
                "```",
                "~~~",
                "<!--",
                "-->",
                "[[paper]](",
                "[[code]](",
                "((",
                "))",
                ")",
                "https://arxiv.org/abs/2402.18590v2",
                "cs/0112017",
                "Title, arxiv 2024, ",
                "SIGIR 24",
                "，",
                "\n",
                "\r\n",
                "\r",
                "\t",
                "  ",
                "\u2028",
                "\x0c",
            ]
        ),
        st.text(max_size=8),
    ),
    max_size=60,
).map("".join)


@given(st.one_of(st.text(max_size=300), markdownish))
@settings(max_examples=400)
def test_any_text_round_trips(text: str) -> None:
    assert AwesomeList.parse(text).to_markdown() == text


# ---- structure --------------------------------------------------------------------------------


def test_sections_are_the_heading_tree(real_list_text: str) -> None:
    awesome = AwesomeList.parse(real_list_text)
    assert [s.name for s in awesome.sections] == [
        "Survey",
        "Paper List",
        "Paper List > Agent4Rec",
        "Paper List > Knowledge Augmentation",
        "Paper List > Perspective",
        "Universal Representation Learning",
        "Generative Retrieval",
        "Pretrain Language Model and Prompt Learning",
        "Dataset",
    ]
    assert len(awesome.entries_in("Paper List > Agent4Rec")) == 11
    assert len(awesome.entries_in("Paper List")) == 129
    assert len(awesome.entries_in("Paper List", nested=True)) == 154


def test_unknown_section_names_the_known_ones(real_list_text: str) -> None:
    with pytest.raises(UnknownSectionError, match="'Paper List > Agents' is not in the list; known sections: 'Survey'"):
        AwesomeList.parse(real_list_text).section("Paper List > Agents")


def test_entry_fields_on_a_real_line(real_list_text: str) -> None:
    entry = AwesomeList.parse(real_list_text).find(arxiv_id="2305.00447")
    assert entry is not None
    assert entry.line == 23
    assert entry.section_path == "Paper List"
    assert entry.title.startswith("TALLRec: An Effective and Efficient Tuning Framework")
    assert entry.venue == "RecSys 2023 Short Paper"
    assert entry.year == 2023
    assert entry.link("paper") == "https://arxiv.org/pdf/2305.00447"
    assert entry.code_url == "https://github.com/SAI990323/TALLRec"


def test_real_slips_still_parse(real_list_text: str) -> None:
    awesome = AwesomeList.parse(real_list_text)
    doubled = awesome.find(arxiv_id="2403.13574")
    assert doubled is not None and doubled.links[0].doubled_parens
    assert doubled.code_url == "https://github.com/RUCAIBox/LSVCR/"
    fullwidth = next(e for e in awesome.entries if e.line == 162)
    assert fullwidth.title == "User Behavior Simulation with Large Language Model-based Agents"
    assert fullwidth.venue == "arxiv 2024"
    two_digit = awesome.find(arxiv_id="2312.07552")
    assert two_digit is not None and (two_digit.venue, two_digit.year) == ("SIGIR 24", 2024)
    no_venue = awesome.find(arxiv_id="2308.16505")
    assert no_venue is not None and no_venue.venue is None and no_venue.links[0].label == "link"
    not_a_url = next(e for e in awesome.entries if e.line == 101)
    assert not not_a_url.links[0].is_url and not_a_url.arxiv_id is None


def test_counts_on_the_real_list(real_list_text: str) -> None:
    awesome = AwesomeList.parse(real_list_text)
    assert len(awesome.entries) == 184
    # 161 ids in entries plus the survey linked from a bold line under "Pretrain Language Model…".
    assert len(awesome.arxiv_ids) == 162
    assert "2302.03735" in awesome.arxiv_ids


def test_tables_code_fences_and_title_links() -> None:
    text = (
        "# Awesome X\n\n## Papers\n"
        "| Title | Venue | Link |\n|---|---|---|\n"
        "| Great Paper | SIGIR 2024 | [paper](https://arxiv.org/abs/2401.00001v2) |\n"
        "```\n## Not a heading\n+ Fake, arxiv 2024, [[paper]](https://arxiv.org/pdf/2401.00002)\n```\n"
        "- [A Linked Title](https://arxiv.org/abs/2401.00003), KDD 2023\n"
        "1. Numbered Paper, WWW 2025, [pdf](https://arxiv.org/pdf/2401.00004)\n"
        "- [Contributing](CONTRIBUTING.md)\n"
    )
    awesome = AwesomeList.parse(text)
    assert [s.name for s in awesome.sections] == ["Papers"]
    assert [(e.kind, e.title, e.venue, e.arxiv_id) for e in awesome.entries] == [
        ("table", "Great Paper", "SIGIR 2024", "2401.00001"),
        ("list", "A Linked Title", "KDD 2023", "2401.00003"),
        ("list", "Numbered Paper", "WWW 2025", "2401.00004"),
    ]
    assert awesome.entries[0].arxiv_version == 2


def test_house_style_of_the_real_list(real_list_text: str) -> None:
    assert AwesomeList.parse(real_list_text).house_style() == HouseStyle(
        bullet="+",
        paper_label="paper",
        double_brackets=True,
        arxiv_link_kind="pdf",
        scheme="https",
        pdf_suffix=False,
        arxiv_venue_word="arxiv",
        trailing_period=True,
        line_ending="\n",
    )


def test_house_style_follows_a_different_list() -> None:
    text = "## A\r\n- One, ArXiv 2023, [paper](http://arxiv.org/abs/2301.00001)\r\n- Two, ArXiv 2024, [paper](http://arxiv.org/abs/2301.00002)\r\n"
    style = AwesomeList.parse(text).house_style()
    assert (style.bullet, style.arxiv_link_kind, style.scheme, style.double_brackets) == (
        "-",
        "abs",
        "http",
        False,
    )
    assert (style.arxiv_venue_word, style.trailing_period, style.line_ending) == ("ArXiv", False, "\r\n")


def test_normalized_title_folds_case_accents_and_punctuation() -> None:
    assert (
        normalize_title("Chat-REC: Towards Interactive… Recommender System")
        == "chat rec towards interactive recommender system"
    )
    assert normalize_title("Café  RecSys") == normalize_title("cafe recsys")


# ---- insertion --------------------------------------------------------------------------------


def new_entry(section: str, arxiv_id: str = "2511.00001", title: str = "A Brand New Paper") -> NewEntry:
    return NewEntry(
        section=section,
        text=f"+ {title}, arxiv 2025, [[paper]](https://arxiv.org/pdf/{arxiv_id}).",
        arxiv_id=arxiv_id,
        title=title,
    )


def test_insert_goes_after_the_last_entry_of_the_section_itself(real_list_text: str) -> None:
    awesome = AwesomeList.parse(real_list_text)
    updated = awesome.insert([new_entry("Paper List")])
    old_lines = real_list_text.split("\n")
    new_lines = updated.to_markdown().split("\n")
    # Line 149 is the last entry directly under "Paper List"; its subsections start at line 151.
    assert new_lines[149] == "+ A Brand New Paper, arxiv 2025, [[paper]](https://arxiv.org/pdf/2511.00001)."
    assert new_lines[:149] + new_lines[150:] == old_lines
    inserted = updated.find(arxiv_id="2511.00001")
    assert inserted is not None and inserted.section_path == "Paper List"


def test_insert_into_several_sections_changes_nothing_else(real_list_text: str) -> None:
    awesome = AwesomeList.parse(real_list_text)
    additions = [
        new_entry("Dataset", "2511.00001", "First"),
        new_entry("Paper List > Agent4Rec", "2511.00002", "Second"),
        new_entry("Dataset", "2511.00003", "Third"),
    ]
    updated = awesome.insert(additions)
    remaining = [line for line in updated.to_markdown().split("\n") if line not in {a.text for a in additions}]
    assert remaining == real_list_text.split("\n")
    assert [e.title for e in updated.entries_in("Dataset")][-2:] == ["First", "Third"]
    assert updated.entries_in("Paper List > Agent4Rec")[-1].title == "Second"


def test_insert_into_an_empty_section_and_an_unterminated_file() -> None:
    text = "## Empty\n\nIntro text.\n\n## Last\n+ Old, arxiv 2023, [[paper]](https://arxiv.org/pdf/2301.00001)."
    updated = AwesomeList.parse(text).insert(
        [new_entry("Empty", "2511.00001"), new_entry("Last", "2511.00002", "Other")]
    )
    assert updated.to_markdown() == (
        "## Empty\n\nIntro text.\n+ A Brand New Paper, arxiv 2025, [[paper]](https://arxiv.org/pdf/2511.00001).\n\n"
        "## Last\n+ Old, arxiv 2023, [[paper]](https://arxiv.org/pdf/2301.00001).\n"
        "+ Other, arxiv 2025, [[paper]](https://arxiv.org/pdf/2511.00002)."
    )


def test_insert_keeps_crlf() -> None:
    text = "## A\r\n+ Old, arxiv 2023, [[paper]](https://arxiv.org/pdf/2301.00001).\r\n"
    assert AwesomeList.parse(text).insert([new_entry("A")]).to_markdown() == (
        text + "+ A Brand New Paper, arxiv 2025, [[paper]](https://arxiv.org/pdf/2511.00001).\r\n"
    )


def test_insert_refuses_a_known_id_or_title_and_changes_nothing(real_list_text: str) -> None:
    awesome = AwesomeList.parse(real_list_text)
    with pytest.raises(DuplicateEntryError, match=r"arXiv 2305\.00447 is already in the list"):
        awesome.insert([new_entry("Survey", "2305.00447")])
    with pytest.raises(DuplicateEntryError, match="already in the list"):
        awesome.insert(
            [
                new_entry(
                    "Survey",
                    "2511.00009",
                    "tallrec: an effective and efficient tuning framework "
                    "to align large language model with recommendation",
                )
            ]
        )
    with pytest.raises(DuplicateEntryError):
        awesome.insert([new_entry("Survey", "2511.00001", "X"), new_entry("Dataset", "2511.00001", "Y")])
    # The bold "Survey paper:" line is not a list entry, but its id is still in the list.
    with pytest.raises(DuplicateEntryError):
        awesome.insert([new_entry("Survey", "2302.03735", "Pre-train, Prompt and Recommendation")])
    assert awesome.to_markdown() == real_list_text


@functools.cache
def _variant(path: Path, crlf: bool, strip_final_newline: bool) -> tuple[str, AwesomeList]:
    """A real list with other line endings, parsed once (the model is immutable: inserts make new ones)."""
    text = read_exact(path)
    if crlf:
        text = text.replace("\n", "\r\n")
    if strip_final_newline:
        text = text.rstrip("\r\n")
    return text, AwesomeList.parse(text)


@given(
    section_index=st.integers(min_value=0, max_value=8),
    count=st.integers(min_value=1, max_value=4),
    crlf=st.booleans(),
    strip_final_newline=st.booleans(),
)
@settings(max_examples=60, deadline=None)
def test_insertion_property_on_real_lists(
    section_index: int, count: int, crlf: bool, strip_final_newline: bool
) -> None:
    for path in REAL_LISTS:
        text, awesome = _variant(path, crlf, strip_final_newline)
        section = awesome.sections[section_index % len(awesome.sections)]
        additions = [new_entry(section.name, f"2599.{90000 + i}", f"Property Paper {i}") for i in range(count)]
        updated = awesome.insert(additions)
        lines = updated.to_markdown().splitlines()
        added = {a.text for a in additions}
        assert [line for line in lines if line not in added] == text.splitlines()
        assert [e.title for e in updated.entries_in(section.name)][-count:] == [a.title for a in additions]
        assert updated.to_markdown().endswith("\r\n" if crlf else "\n") == (not strip_final_newline)


entry_line = st.builds(
    lambda title, year, n: f"+ {title}, arxiv {year}, [[paper]](https://arxiv.org/pdf/2401.{n:05d}).",
    st.text(alphabet="abcdefghij XYZ:-", min_size=3, max_size=30).map(str.strip).filter(lambda t: len(t) >= 3),
    st.integers(2019, 2025),
    st.integers(0, 99999),
)
section_block = st.tuples(
    st.sampled_from(["## ", "### "]),
    st.text(alphabet="abcdef ", min_size=1, max_size=10).map(str.strip).filter(bool),
    st.lists(st.one_of(entry_line, st.just(""), st.just("Some prose.")), max_size=6),
)


@given(
    blocks=st.lists(section_block, min_size=1, max_size=5, unique_by=lambda b: b[1]),
    ending=st.sampled_from(["\n", "\r\n"]),
    final_newline=st.booleans(),
    pick=st.integers(0, 10),
)
@settings(max_examples=150, deadline=None)
def test_insertion_property_on_generated_lists(blocks: list, ending: str, final_newline: bool, pick: int) -> None:  # type: ignore[type-arg]
    lines = ["# Awesome"]
    for marker, name, body in blocks:
        lines += [f"{marker}{name}", *body]
    text = ending.join(lines) + (ending if final_newline else "")
    awesome = AwesomeList.parse(text)
    assert awesome.to_markdown() == text
    section = awesome.sections[pick % len(awesome.sections)]
    new = new_entry(section.name, "2599.99999", "Zz Generated Property Paper")
    if "2599.99999" in awesome.arxiv_ids:
        return
    updated = awesome.insert([new])
    assert [line for line in updated.to_markdown().split(ending) if line != new.text] == text.split(ending)
    assert updated.entries_in(section.name)[-1].arxiv_id == "2599.99999"
    assert updated.to_markdown().endswith(ending) == text.endswith(ending)


def test_an_entry_wrapped_over_two_lines_spans_both_and_insertion_goes_after_it() -> None:
    text = "## P\n- Long Title, SIGIR 2024,\n  [paper](https://arxiv.org/abs/2401.00001)\n- Next, KDD 2024, [paper](https://arxiv.org/abs/2401.00002)\n  wrapped tail\n\n## Q\n"
    awesome = AwesomeList.parse(text)
    assert [(e.line, e.end_line) for e in awesome.entries] == [(2, 3), (4, 5)]
    assert awesome.entries[0].arxiv_id == "2401.00001"  # its link is on the continuation line
    updated = awesome.insert([new_entry("P")])
    assert updated.to_markdown().split("\n")[5] == new_entry("P").text


def test_setext_headings_are_sections() -> None:
    text = "# Title\n\nPapers\n------\n\n+ One, arxiv 2024, [[paper]](https://arxiv.org/pdf/2401.00001).\n"
    awesome = AwesomeList.parse(text)
    assert [s.path for s in awesome.sections] == [("Papers",)]
    assert awesome.entries[0].section == ("Papers",)


def test_a_heading_inside_details_is_not_a_section() -> None:
    text = (
        "# Title\n\n## Papers\n\n+ One, arxiv 2024, [[paper]](https://arxiv.org/pdf/2401.00001).\n\n"
        "<details>\n<summary>Old notes</summary>\n\n## Archive\n\n</details>\n\n"
        "+ Two, arxiv 2024, [[paper]](https://arxiv.org/pdf/2401.00002).\n"
    )
    awesome = AwesomeList.parse(text)
    assert [s.path for s in awesome.sections] == [("Papers",)]
    assert [e.section for e in awesome.entries] == [("Papers",), ("Papers",)]


def test_indented_code_is_not_an_entry() -> None:
    text = (
        "## Papers\n\n+ One, arxiv 2024, [[paper]](https://arxiv.org/pdf/2401.00001).\n\nHow to add one:\n\n"
        "    + Title, venue, [[paper]](https://arxiv.org/pdf/2401.99999).\n"
    )
    awesome = AwesomeList.parse(text)
    assert [e.arxiv_id for e in awesome.entries] == ["2401.00001"]
    assert awesome.to_markdown() == text


def test_a_byte_order_mark_does_not_hide_the_first_heading() -> None:
    text = "\ufeff## Papers\n\n+ One, arxiv 2024, [[paper]](https://arxiv.org/pdf/2401.00001).\n"
    awesome = AwesomeList.parse(text)
    assert [s.path for s in awesome.sections] == [("Papers",)] and awesome.to_markdown() == text


def test_insert_leaves_the_original_lists_id_and_title_sets_unchanged(real_list_text: str) -> None:
    awesome = AwesomeList.parse(real_list_text)
    ids, titles = set(awesome.arxiv_ids), set(awesome.norm_titles)
    section = awesome.entries[0].section_path
    awesome.insert(
        [
            NewEntry(
                section=section,
                text="+ New, arxiv 2026, [[paper]](https://arxiv.org/pdf/2601.00001).",
                arxiv_id="2601.00001",
                title="New",
            )
        ]
    )
    assert awesome.arxiv_ids == ids and awesome.norm_titles == titles
