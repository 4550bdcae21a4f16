"""Markdown tables of papers: which column holds what, and a new row written in the table's own form.

A list that keeps papers as table rows (`| Name | Paper | Publication | Link |`) names its columns; an entry's
title, venue, year, code and paper link are read from the columns whose headers say so, never from the first
cell. Columns curatorbot cannot fill from arXiv metadata (a model's name, its backbone) are "other".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from curatorbot.domain.links import LINK_RE, Link, parse_links

ColumnRole = Literal["title", "venue", "year", "code", "link", "other"]

_ROLE_HEADERS: dict[ColumnRole, frozenset[str]] = {
    "title": frozenset({"paper", "papers", "title", "paper title", "name of paper", "paper name", "article"}),
    "venue": frozenset(
        {"venue", "publication", "published", "published in", "conference", "journal", "conference/journal", "pub"}
    ),
    "year": frozenset({"year"}),
    "code": frozenset({"code", "github", "repo", "repository", "implementation", "source code", "official code"}),
    "link": frozenset({"link", "links", "url", "pdf", "arxiv", "paper link", "paper url"}),
}
_CELL_SPLIT_RE = re.compile(r"(?<!\\)\|")
_MARKUP_RE = re.compile(r"\*\*|__|</?(?:b|strong|em|i)>", re.IGNORECASE)
# What a table writes in a cell it has nothing for.
PLACEHOLDERS = ("N/A", "-", "—", "n/a", "NA", "None", "/", "")


def column_role(header: str) -> ColumnRole:
    name = " ".join(_MARKUP_RE.sub("", header).lower().strip().rstrip(":").split())
    for role, names in _ROLE_HEADERS.items():
        if name in names:
            return role
    return "other"


def split_cells(row: str) -> list[str]:
    """The cells of `| a | b \\| c |` as written (stripped), an escaped pipe kept inside its cell."""
    inner = row.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    return [cell.strip() for cell in _CELL_SPLIT_RE.split(inner)]


def escape_cell(text: str) -> str:
    """A value that cannot break its row: pipes escaped, line breaks folded."""
    return " ".join(text.split()).replace("\\|", "|").replace("|", "\\|")


def plain_cell(cell: str) -> str:
    return _MARKUP_RE.sub("", cell).strip()


def is_placeholder(cell: str) -> bool:
    return plain_cell(cell) in PLACEHOLDERS


@dataclass(frozen=True)
class Table:
    """A pipe table: its header, its alignment row and the rows that follow them up to the first other line."""

    header_line: int  # 1-based
    last_line: int  # 1-based: the last row (the alignment row when the table has none)
    columns: tuple[str, ...]  # header cells as written
    roles: tuple[ColumnRole, ...]

    @property
    def first_row_line(self) -> int:
        return self.header_line + 2

    def column(self, role: ColumnRole) -> int | None:
        return self.roles.index(role) if role in self.roles else None


@dataclass(frozen=True)
class RowForm:
    """How one table writes its rows, read from the rows it has: the edges, padding and each column's habit."""

    columns: tuple[str, ...]
    roles: tuple[ColumnRole, ...]
    indent: str = ""
    title_as_link: bool = False  # the title cell is `[Title](url)`
    link_label: str = "Link"  # the paper-link column's label
    double_brackets: bool = True
    arxiv_link_kind: Literal["abs", "pdf"] = "abs"
    pdf_suffix: bool = False
    arxiv_venue_word: str = "arXiv"
    code_label: str = "Code"
    placeholder: str = "N/A"  # what the table writes in a cell it has nothing for

    def arxiv_url(self, arxiv_id: str) -> str:
        suffix = ".pdf" if self.pdf_suffix and self.arxiv_link_kind == "pdf" else ""
        return f"https://arxiv.org/{self.arxiv_link_kind}/{arxiv_id}{suffix}"

    def link(self, label: str, url: str) -> str:
        return f"[[{label}]]({url})" if self.double_brackets else f"[{label}]({url})"

    @property
    def fillable_columns(self) -> tuple[str, ...]:
        """Columns whose cells come from somewhere other than arXiv's record (a model name, a backbone)."""
        return tuple(name for name, role in zip(self.columns, self.roles, strict=True) if role == "other")

    def render(
        self, *, arxiv_id: str, title: str, venue: str, year: int, code_url: str | None, extra: Mapping[str, str]
    ) -> str:
        """The row: a column `extra` has no value for keeps the table's placeholder (render.cells_to_fill
        names those for the pull request)."""
        paper_url = self.arxiv_url(arxiv_id)
        venue_only = _without_year(venue, year) if "year" in self.roles else venue
        cells: list[str] = []
        for name, role in zip(self.columns, self.roles, strict=True):
            if role == "title":
                cell = f"[{escape_cell(title)}]({paper_url})" if self.title_as_link else escape_cell(title)
            elif role == "venue":
                cell = escape_cell(venue_only)
            elif role == "year":
                cell = str(year)
            elif role == "link":
                cell = self.link(self.link_label, paper_url)
            elif role == "code":
                cell = f"[{self.code_label}]({code_url})" if code_url else self.placeholder
            else:
                value = extra.get(name, "").strip()
                cell = escape_cell(value) if value else self.placeholder
            cells.append(cell)
        return f"{self.indent}| " + " | ".join(cells) + " |"


def _without_year(venue: str, year: int) -> str:
    """'arXiv 2024' -> 'arXiv' for a table whose year has its own column."""
    return re.sub(rf"\s*['’]?{year}$", "", venue).strip() or venue


def read_row_form(table: Table, rows: Sequence[str], arxiv_venue_word: str) -> RowForm:
    """The form of the table's rows that have as many cells as it has columns (a ragged row is a slip)."""
    rows = [row for row in rows if len(split_cells(row)) == len(table.columns)]
    cells = [split_cells(row) for row in rows]

    def column_cells(role: ColumnRole) -> list[str]:
        at = table.column(role)
        return [c[at] for c in cells] if at is not None else []

    def first_links(role: ColumnRole) -> list[Link]:
        return [found[0] for cell in column_cells(role) if (found := parse_links(cell))]

    title_cells = column_cells("title")
    linked_titles = sum(1 for cell in title_cells if LINK_RE.fullmatch(cell.strip()))
    paper_links = first_links("link") if table.column("link") is not None else first_links("title")
    urls = [link.url for link in paper_links if "arxiv.org/" in link.url]
    kinds = Counter("pdf" if "/pdf/" in url else "abs" for url in urls)
    code_links = first_links("code")
    others = column_cells("code") + column_cells("other")
    placeholders = Counter(plain_cell(cell) for cell in others if is_placeholder(cell) and plain_cell(cell))
    venue_words = Counter(
        m.group() for cell in column_cells("venue") if (m := re.match(r"ar[xv]iv\b", plain_cell(cell), re.I))
    )
    indents = Counter(re.match(r"[ \t]*", row).group() for row in rows)  # type: ignore[union-attr]
    return RowForm(
        columns=table.columns,
        roles=table.roles,
        indent=indents.most_common(1)[0][0] if indents else "",
        title_as_link=bool(title_cells) and linked_titles * 2 > len(title_cells),
        link_label=_most_common([link.label for link in paper_links], "Link"),
        double_brackets=sum(not link.single_brackets for link in paper_links) * 2 >= len(paper_links)
        if paper_links
        else True,
        arxiv_link_kind="pdf" if kinds["pdf"] > kinds["abs"] else "abs",
        pdf_suffix=sum(url.endswith(".pdf") for url in urls) * 2 > len(urls) if urls else False,
        arxiv_venue_word=venue_words.most_common(1)[0][0] if venue_words else arxiv_venue_word,
        code_label=_most_common([link.label for link in code_links], "Code"),
        placeholder=placeholders.most_common(1)[0][0] if placeholders else "N/A",
    )


def _most_common(values: Sequence[str], default: str) -> str:
    counted = Counter(v for v in values if v.strip())
    return counted.most_common(1)[0][0] if counted else default
