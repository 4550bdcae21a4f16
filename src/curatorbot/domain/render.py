"""Render a paper as a list entry in the list's house style, from arXiv metadata alone."""

from __future__ import annotations

from typing import NamedTuple

from curatorbot.domain.arxiv_id import year_of
from curatorbot.domain.awesome_list import HouseStyle
from curatorbot.domain.enrich import find_code_url, venue_label
from curatorbot.domain.models import Paper
from curatorbot.domain.sanitize import entry_title
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


def render_entry(paper: Paper, style: HouseStyle) -> str:
    facts = entry_facts(paper, style.arxiv_venue_word)
    return render_line(paper.arxiv_id, paper.title, facts.venue, facts.code_url, style)


def render_line(arxiv_id: str, title: str, venue: str, code_url: str | None, style: HouseStyle) -> str:
    """An entry from facts already taken from arXiv metadata (a flagged paper a maintainer accepts later)."""
    return template("entry.md.j2").render(
        style=style, title=entry_title(title), venue=venue, paper_url=style.arxiv_url(arxiv_id), code_url=code_url
    )
