"""Render a paper as a list entry in the list's house style, from arXiv metadata alone."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from curatorbot.domain.arxiv_id import year_of
from curatorbot.domain.awesome_list import AwesomeList, HouseStyle, venue_year
from curatorbot.domain.enrich import find_code_url, venue_label
from curatorbot.domain.models import Paper
from curatorbot.domain.sanitize import entry_title
from curatorbot.domain.tables import RowForm, plain_cell
from curatorbot.domain.templates import template


def paper_year(paper: Paper) -> int:
    day = paper.published or paper.announced
    if day is not None:
        return day.year
    return year_of(paper.arxiv_id) or 1990


class EntryFacts(NamedTuple):
    """What an entry says beyond the title, derived from arXiv metadata alone."""

    venue: str
    code_url: str | None


def entry_facts(paper: Paper, arxiv_word: str = "arxiv") -> EntryFacts:
    return EntryFacts(
        venue=venue_label(paper.comments, paper.journal_ref, paper_year(paper), arxiv_word),
        code_url=find_code_url(paper.comments, paper.abstract),
    )


def render_entry(paper: Paper, form: HouseStyle | RowForm, cells: Mapping[str, str] | None = None) -> str:
    facts = entry_facts(paper, form.arxiv_venue_word)
    return render_line(paper.arxiv_id, paper.title, facts.venue, facts.code_url, form, cells)


def render_line(
    arxiv_id: str,
    title: str,
    venue: str,
    code_url: str | None,
    form: HouseStyle | RowForm,
    cells: Mapping[str, str] | None = None,
) -> str:
    """An entry from facts already taken from arXiv metadata (a flagged paper a maintainer accepts later):
    a list item in the house style, or a row of the section's table (`cells`: its other columns' values)."""
    if isinstance(form, RowForm):
        year = venue_year(venue) or year_of(arxiv_id) or 1990
        by_header = {header: (cells or {}).get(plain_cell(header), "") for header in form.fillable_columns}
        return form.render(
            arxiv_id=arxiv_id, title=entry_title(title), venue=venue, year=year, code_url=code_url, extra=by_header
        )
    return template("entry.md.j2").render(
        style=form, title=entry_title(title), venue=venue, paper_url=form.arxiv_url(arxiv_id), code_url=code_url
    )


def cells_to_fill(form: HouseStyle | RowForm, cells: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """The columns of a table row curatorbot left with the table's placeholder, for a maintainer to fill."""
    if not isinstance(form, RowForm):
        return ()
    filled = cells or {}
    return tuple(name for c in form.fillable_columns if not filled.get(name := plain_cell(c), "").strip())


def columns_to_fill(awesome: AwesomeList, sections: Sequence[str], new_papers_section: str | None) -> tuple[str, ...]:
    """The table columns (by plain name) of the sections new papers are written to that arXiv's record cannot
    fill: the LLM is asked for them."""
    names: list[str] = []
    for path in [new_papers_section] if new_papers_section else sections:
        if awesome.can_place(path) and isinstance(form := awesome.entry_form(path), RowForm):
            names += [plain_cell(c) for c in form.fillable_columns]
    return tuple(dict.fromkeys(names))
