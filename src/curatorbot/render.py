"""Render a paper as a list entry in the list's house style, from arXiv metadata alone."""

from __future__ import annotations

import re
from functools import cache

import jinja2

from curatorbot.awesome_list import HouseStyle, NewEntry
from curatorbot.enrich import find_code_url, venue_label
from curatorbot.models import Paper


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("curatorbot", "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # Markdown, not HTML; values are cleaned by clean_inline below
        keep_trailing_newline=False,
    )


def clean_inline(text: str) -> str:
    """One line of plain text that cannot open a link, an HTML tag or a new block in Markdown."""
    collapsed = " ".join(text.split())
    collapsed = collapsed.replace("[", "(").replace("]", ")").replace("<", "‹").replace(">", "›")
    return re.sub(r"^[#>+\-*|\s]+", "", collapsed).rstrip(".")


def paper_year(paper: Paper) -> int:
    day = paper.published or paper.announced
    if day is not None:
        return day.year
    # New-style ids start with YYMM.
    return 2000 + int(paper.arxiv_id[:2]) if paper.arxiv_id[:4].isdigit() else 1990


def render_entry(paper: Paper, style: HouseStyle) -> str:
    venue = venue_label(paper.comments, paper.journal_ref, paper_year(paper), style.arxiv_venue_word)
    return (
        _environment()
        .get_template("entry.md.j2")
        .render(
            style=style,
            title=clean_inline(paper.title),
            venue=venue,
            paper_url=style.arxiv_url(paper.arxiv_id),
            code_url=find_code_url(paper.comments, paper.abstract),
        )
    )


def new_entry(paper: Paper, section: str, style: HouseStyle) -> NewEntry:
    return NewEntry(section=section, text=render_entry(paper, style), arxiv_id=paper.arxiv_id, title=paper.title)
