"""A lossless model of a Markdown paper list.

`AwesomeList.parse(text).to_markdown() == text` holds byte for byte for any text: the model keeps every
line with its own line ending and only *reads* structure (the heading tree and the paper entries) on
top of it. Edits (`insert`) splice new lines in and leave every other byte alone.

Its value types are frozen stdlib dataclasses, not pydantic models: they are built by the parser, never
from outside input, and `curatorbot lint` must start without paying pydantic's import and schema cost.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Literal, NamedTuple, cast

from curatorbot.domain.arxiv_id import announcement_order, find_arxiv_id
from curatorbot.domain.errors import (
    ConfigError,
    DuplicateEntryError,
    InputFileError,
    PlacementError,
    UnknownSectionError,
)
from curatorbot.domain.links import LINK_RE as _LINK_RE
from curatorbot.domain.links import Link, parse_links
from curatorbot.domain.tables import RowForm, Table, column_role, is_placeholder, plain_cell, read_row_form, split_cells

SECTION_SEPARATOR = " > "
LineEnding = Literal["\n", "\r\n", "\r"]
# How arXiv links are written: "auto" follows the list when a clear majority (LINK_FORM_MAJORITY) agrees.
LinkForm = Literal["auto", "abs", "pdf"]
LINK_FORM_MAJORITY = 0.8
# Link labels that mean "this link is the paper itself".
PAPER_LABELS = frozenset({"paper", "pdf", "arxiv", "link", "paper link"})
CODE_LABELS = frozenset({"code", "github", "repo", "project"})

_LINE_BREAK_RE = re.compile(r"\r\n|\n|\r")
_LIST_ITEM_RE = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>[-+*]|\d{1,9}[.)])(?P<gap>[ \t]+)(?P<content>\S.*?)[ \t]*$")
_THEMATIC_BREAK_RE = re.compile(r"^ {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_TABLE_ROW_RE = re.compile(r"^[ \t]*\|.*\|[ \t]*$")
_TABLE_DELIMITER_RE = re.compile(r"^[ \t]*\|?(?:[ \t]*:?-+:?[ \t]*\|)+(?:[ \t]*:?-+:?[ \t]*)?\|?[ \t]*$")
_YEAR_RE = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_ARXIV_VENUE_RE = re.compile(r"^(?P<word>arxiv|arvix)\b", re.IGNORECASE)
# "SIGIR 24", "RecSys '23": a venue acronym with a two-digit year.
SHORT_YEAR_VENUE_RE = re.compile(r"^(?P<name>[A-Z][A-Za-z&\-]*[A-Z][A-Za-z&\- ]*?)\s*['’]?(?P<yy>\d{2})$")
_TRAILING_SEPARATORS = " \t,，;:|-–—"


@dataclass(frozen=True)
class Line:
    text: str
    ending: LineEnding | Literal[""]


@dataclass(frozen=True, kw_only=True)
class Entry:
    """A list item or table row that carries a paper."""

    line: int  # 1-based line number of the item
    end_line: int = 0  # last line of the item: an indented continuation line belongs to it
    kind: Literal["list", "table"]
    section: tuple[str, ...]
    raw: str
    marker: str
    title: str
    venue: str | None
    year: int | None
    links: tuple[Link, ...]
    arxiv_id: str | None
    arxiv_version: int | None
    table: Table | None = None  # the table a row stands in
    # The row names its paper (a dataset's, a benchmark's name) instead of giving its title: a table without
    # a Paper or Title column, or one whose Paper column only says "[[Paper]]".
    title_is_name: bool = False

    @property
    def section_path(self) -> str:
        return SECTION_SEPARATOR.join(self.section)

    @cached_property  # compared once per candidate paper: normalise once
    def norm_title(self) -> str:
        return normalize_title(self.title)

    def link(self, label: str) -> str | None:
        for link in self.links:
            if link.label.lower() == label:
                return link.url
        return None

    @property
    def code_url(self) -> str | None:
        at = self.table.column("code") if self.table else None
        if at is not None:  # a table's code column: its links are code whatever their label ("Python")
            cells = split_cells(self.raw)
            found = parse_links(cells[at]) if at < len(cells) else []
            return found[0].url if found else None
        for link in self.links:
            if link.label.lower() in CODE_LABELS:
                return link.url
        return None


@dataclass(frozen=True)
class Section:
    path: tuple[str, ...]
    level: int
    heading_line: int  # 1-based
    end_line: int  # last line of the section, its subsections included
    body_end_line: int  # last line before its first subsection
    kind: Literal["heading", "details", "bold"] = "heading"

    @property
    def name(self) -> str:
        return SECTION_SEPARATOR.join(self.path)


@dataclass(frozen=True)
class HouseStyle:
    """How this list writes an entry, inferred from the entries it already has."""

    bullet: str = "+"
    indent: str = ""
    paper_label: str = "paper"
    double_brackets: bool = True
    arxiv_link_kind: Literal["pdf", "abs"] = "pdf"
    scheme: Literal["https", "http"] = "https"
    pdf_suffix: bool = False
    arxiv_venue_word: str = "arxiv"
    separator: str = ", "
    trailing_period: bool = True
    line_ending: LineEnding = "\n"
    # The link form is a rule only when the maintainer set it or a clear majority of links follow it: lint
    # asks for it and maintenance rewrites to it only then.
    settled_link_form: bool = True

    def arxiv_url(self, arxiv_id: str) -> str:
        suffix = ".pdf" if self.pdf_suffix and self.arxiv_link_kind == "pdf" else ""
        return f"{self.scheme}://arxiv.org/{self.arxiv_link_kind}/{arxiv_id}{suffix}"

    def link(self, label: str, url: str) -> str:
        return f"[[{label}]]({url})" if self.double_brackets else f"[{label}]({url})"

    def arxiv_venue(self, year: int) -> str:
        return f"{self.arxiv_venue_word} {year}"


@dataclass(frozen=True)
class NewEntry:
    """A rendered line to add under a section."""

    section: str
    text: str
    arxiv_id: str | None
    title: str


def normalize_title(title: str) -> str:
    """Case, accents and punctuation folded away: 'Chat-REC: Towards…' -> 'chat rec towards …'."""
    decomposed = unicodedata.normalize("NFKD", title)
    ascii_letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^0-9a-z]+", " ", ascii_letters.lower()).strip()


def split_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    position = 0
    for match in _LINE_BREAK_RE.finditer(text):
        lines.append(Line(text=text[position : match.start()], ending=cast(LineEnding, match.group())))
        position = match.end()
    if position < len(text):
        lines.append(Line(text=text[position:], ending=""))
    return lines


def looks_like_venue(text: str) -> bool:
    words = text.split()
    if not words or len(words) > 8:
        return False
    return (
        _YEAR_RE.search(text) is not None
        or _ARXIV_VENUE_RE.match(text) is not None
        or SHORT_YEAR_VENUE_RE.match(text) is not None
    )


@dataclass(frozen=True)
class AwesomeList:
    lines: tuple[Line, ...]
    sections: tuple[Section, ...]
    entries: tuple[Entry, ...]
    tables: tuple[Table, ...] = ()

    # ---- reading -----------------------------------------------------------------------------

    @classmethod
    def parse(cls, text: str) -> AwesomeList:
        lines = split_lines(text)
        structure = _structure(lines)
        sections = _parse_sections(lines, structure)
        tables = _parse_tables(lines, structure.not_prose)
        entries = _parse_entries(lines, sections, structure, tables)
        # A bold line or a <details> block is a section only when papers stand in it: otherwise it is a note.
        holding = {e.line for e in entries}
        by_line = {s.heading_line: s for s in sections}

        def holds_papers(opener: _Opener) -> bool:
            section = by_line.get(opener.at + 1)
            return opener.kind == "heading" or (
                section is not None and any(section.heading_line < line <= section.end_line for line in holding)
            )

        if not all(holds_papers(o) for o in structure.openers):
            sections = _parse_sections(lines, structure, keep=holds_papers)
            entries = [replace(e, section=_section_at(sections, e.line)) for e in entries]
        return cls(lines=tuple(lines), sections=tuple(sections), entries=tuple(entries), tables=tuple(tables))

    def to_markdown(self) -> str:
        return "".join(line.text + line.ending for line in self.lines)

    def section(self, path: str | Sequence[str]) -> Section:
        wanted = tuple(part.strip() for part in path.split(">")) if isinstance(path, str) else tuple(path)
        for section in self.sections:
            if section.path == wanted:
                return section
        known = ", ".join(f"'{s.name}'" for s in self.sections)
        raise UnknownSectionError(
            f"section '{SECTION_SEPARATOR.join(wanted)}' is not in the list; known sections: {known}"
        )

    def require_sections(self, paths: Sequence[str]) -> None:
        """Fail before any work when config names sections this list has no heading for: a paper classified
        into one could never be written, and a decision cached under it would fail every later run."""
        have = {SECTION_SEPARATOR.join(s.path) for s in self.sections}
        missing = [p for p in paths if SECTION_SEPARATOR.join(part.strip() for part in p.split(">")) not in have]
        if missing:
            headings = ", ".join(repr(h) for h in sorted(have)) or "none"
            raise ConfigError(
                f"sections[].path {', '.join(repr(m) for m in missing)} is not a heading of the list "
                f"(it has {headings}); fix sections in config.yaml or add the heading to the list"
            )

    def require_papers(self, where: str) -> None:
        """Refuse a list whose items link to something other than papers (its own archive pages): curatorbot
        would read it as empty and write in another list's style. A list with no linked items yet is new."""
        if self.entries:
            return
        targets = Counter(
            _link_place(link.url)
            for index, line in enumerate(self.lines)
            if (_LIST_ITEM_RE.match(line.text) or _TABLE_ROW_RE.match(line.text)) and (links := parse_links(line.text))
            for link in links[:1]
        )
        if targets:
            place, count = targets.most_common(1)[0]
            raise InputFileError(
                f"{where}: 0 entries link to a paper; {count} link to {place}: curatorbot needs entries that link "
                "to arXiv, a DOI or a paper page"
            )

    def entries_in(self, path: str | Sequence[str], *, nested: bool = False) -> list[Entry]:
        section = self.section(path)
        return [
            e
            for e in self.entries
            if e.section == section.path or (nested and e.section[: len(section.path)] == section.path)
        ]

    @cached_property
    def arxiv_ids(self) -> set[str]:
        """Every arXiv id the document links to, entries or not (a bold 'Survey paper' line counts)."""
        found = {e.arxiv_id for e in self.entries if e.arxiv_id}
        for line in self.lines:
            for link in parse_links(line.text):
                arxiv = find_arxiv_id(link.url)
                if arxiv:
                    found.add(arxiv.id)
        return found

    @cached_property
    def norm_titles(self) -> set[str]:
        return {e.norm_title for e in self.entries if e.norm_title}

    def find(self, arxiv_id: str | None = None, title: str | None = None) -> Entry | None:
        """The entry holding this arXiv id or this (normalised) title, if any."""
        wanted_title = normalize_title(title) if title else None
        for entry in self.entries:
            if arxiv_id and entry.arxiv_id == arxiv_id:
                return entry
            if wanted_title and entry.norm_title == wanted_title:
                return entry
        return None

    def house_style(self, link_form: LinkForm = "auto") -> HouseStyle:
        return infer_house_style(self, link_form)

    def entry_form(self, path: str | Sequence[str]) -> HouseStyle | RowForm:
        """How a new entry of this section is written: as a list item in the house style, or as a row of the
        section's own table with that table's columns. Raises PlacementError where that would be a guess."""
        section = self.section(path)
        own = [e for e in self.entries if e.section == section.path]
        if own and sum(e.kind == "list" for e in own) * 2 > len(own):
            return self.house_style()
        tables = self._own_tables(section)
        if tables:
            if len({t.roles for t in tables}) > 1:
                lines = " and ".join(str(t.header_line) for t in tables)
                raise PlacementError(
                    f"section '{section.name}' holds tables of different columns (lines {lines}); "
                    "a maintainer places the paper"
                )
            table = tables[-1]
            rows = [e.raw for e in own if e.table == table]
            return read_row_form(table, rows, self.house_style().arxiv_venue_word)
        if section.kind == "heading" and not self.tables:
            return self.house_style()  # an empty section of a list of items
        raise PlacementError(
            f"section '{section.name}' has no entries or table to follow; a maintainer places the paper"
        )

    def can_place(self, path: str) -> bool:
        try:
            self.entry_form(path)
        except (PlacementError, UnknownSectionError):
            return False
        return True

    def _own_tables(self, section: Section) -> list[Table]:
        """The tables in the section's own body (not its subsections')."""
        return [t for t in self.tables if section.heading_line < t.header_line <= section.body_end_line]

    def block_start(self, entry: Entry) -> int:
        """The line (1-based) that opens the innermost list or table holding the entry: its parent bullet,
        or the heading or paragraph the block follows (0: the top of the file). Two entries are in one
        list or table only when they share this line."""
        lines = self.lines
        if entry.kind == "table":
            index = entry.line - 1
            while index > 0 and _TABLE_ROW_RE.match(lines[index - 1].text):
                index -= 1
            return index + 1
        indent = len(entry.raw) - len(entry.raw.lstrip())
        for index in range(entry.line - 2, -1, -1):
            text = lines[index].text
            stripped = text.lstrip()
            if not stripped:
                continue  # a loose list has blank lines between its items
            own_indent = len(text) - len(stripped)
            if _LIST_ITEM_RE.match(text):
                if own_indent < indent:
                    return index + 1  # the parent bullet
                continue  # a sibling, or an item of a list nested between the two
            if own_indent <= indent:
                return index + 1  # a heading or a paragraph ends the list above
        return 0

    def _row_anchor(self, table: Table, arxiv_id: str | None) -> int:
        """After the table's last row, or, in a table sorted by arXiv id newest first, before the first
        older row (0-based index of the line the row goes after)."""
        rows = [e for e in self.entries if e.table == table and e.arxiv_id]
        keys = [announcement_order(e.arxiv_id) for e in rows]
        if arxiv_id and len(keys) >= 3 and keys == sorted(keys, reverse=True) and keys[0] != keys[-1]:
            new_key = announcement_order(arxiv_id)
            for row, key in zip(rows, keys, strict=True):
                if key < new_key:
                    return row.line - 2
        return table.last_line - 1

    # ---- editing -----------------------------------------------------------------------------

    def insert(self, new_entries: Iterable[NewEntry], known: Literal["links", "entries"] = "links") -> AwesomeList:
        """Add entries at the end of their sections' own bodies; every other byte stays as it was.

        Raises DuplicateEntryError when an entry's arXiv id or normalised title is already in the list
        (or twice in `new_entries`), and UnknownSectionError for a section the list lacks. Nothing is
        changed when it raises. An id counts as in the list wherever it is linked, or with
        `known="entries"` only when an entry holds it (a maintainer's move past a "see also" link).
        """
        # Copies: the cached sets of this list must not change.
        known_ids = set(self.arxiv_ids) if known == "links" else {e.arxiv_id for e in self.entries if e.arxiv_id}
        known_titles = set(self.norm_titles)
        inserts_after: dict[int, list[str]] = {}
        for new in new_entries:
            norm = normalize_title(new.title)
            if new.arxiv_id and new.arxiv_id in known_ids:
                raise DuplicateEntryError(f"arXiv {new.arxiv_id} is already in the list")
            if norm and norm in known_titles:
                raise DuplicateEntryError(f"an entry titled '{new.title}' is already in the list")
            if new.arxiv_id:
                known_ids.add(new.arxiv_id)
            known_titles.add(norm)
            anchor = self._insertion_anchor(self.section(new.section), new.arxiv_id)
            inserts_after.setdefault(anchor, []).append(new.text)

        ending = self.house_style().line_ending
        lines = list(self.lines)
        # Splice from the bottom up so earlier anchors keep their indexes.
        for anchor in sorted(inserts_after, reverse=True):
            new_lines = [Line(text=text, ending=ending) for text in inserts_after[anchor]]
            if lines[anchor].ending == "":
                # The anchor is the unterminated last line: end it, and keep the file unterminated.
                lines[anchor] = Line(text=lines[anchor].text, ending=ending)
                new_lines[-1] = Line(text=new_lines[-1].text, ending="")
            lines[anchor + 1 : anchor + 1] = new_lines
        return AwesomeList.parse("".join(line.text + line.ending for line in lines))

    def remove(self, papers: Mapping[str, tuple[str, ...] | None]) -> AwesomeList:
        """The list without these papers' entries (their wrapped lines too): id -> the section whose entry
        goes, or None for every entry of it. Links elsewhere ("see also") and every other byte stay; an id
        the list does not hold is ignored (a maintainer may have removed it)."""
        return self.rewrite(
            {
                index + 1: None
                for entry in self.entries
                if entry.arxiv_id is not None
                and entry.arxiv_id in papers
                and papers[entry.arxiv_id] in (None, entry.section)
                for index in range(entry.line - 1, max(entry.end_line, entry.line))
            }
        )

    def rewrite(self, new_texts: Mapping[int, str | None]) -> AwesomeList:
        """The list with these lines (1-based) given new text, or removed (None); each kept line keeps its
        own line ending and every other byte stays as it was."""
        if not new_texts:
            return self
        lines = [
            line if index + 1 not in new_texts else Line(text=text, ending=line.ending)
            for index, line in enumerate(self.lines)
            if (text := new_texts.get(index + 1, line.text)) is not None
        ]
        if lines and self.lines and self.lines[-1].ending == "" and lines[-1].ending != "":
            lines[-1] = Line(text=lines[-1].text, ending="")  # the file stays unterminated, as it was
        return AwesomeList.parse("".join(line.text + line.ending for line in lines))

    def _insertion_anchor(self, section: Section, arxiv_id: str | None) -> int:
        """0-based index of the line after which a new entry of `section` goes."""
        if isinstance(self.entry_form(section.path), RowForm):
            return self._row_anchor(self._own_tables(section)[-1], arxiv_id)
        own = [e for e in self.entries if e.section == section.path]
        if own:
            return own[-1].end_line - 1
        last = section.heading_line - 1
        for index in range(section.heading_line, section.body_end_line):
            if self.lines[index].text.strip():
                last = index
        return last


# ---- parsing helpers --------------------------------------------------------------------------


class _Opener(NamedTuple):
    """A line that opens a section: a Markdown heading (level 1-6), a `<details>` block with a summary, or a
    bold line standing alone as a paragraph (`<b>1.1.1 Item Scoring</b>`, `**Agents**`)."""

    at: int  # 0-based line
    kind: Literal["heading", "details", "bold"]
    level: int  # a heading's level; 0 for the others
    title: str


class _Structure(NamedTuple):
    openers: list[_Opener]
    closers: dict[int, int]  # 0-based line of a <details> opener -> 0-based line of its </details> (or the end)
    not_prose: list[bool]  # per line: inside code (fenced or indented) or an HTML comment


_DETAILS_TAG_RE = re.compile(r"<details\b[^>]*>|</details\s*>|<summary\b[^>]*>(?P<summary>.*?)</summary\s*>", re.I)
_BOLD_LINE_RE = re.compile(
    r"^\s*(?:\*\*|__|<b>|<strong>)\s*(?P<title>[^*_<>\[\]()|]{1,120}?)\s*(?:\*\*|__|</b>|</strong>)\s*:?\s*$", re.I
)


def _plain(html: str) -> str:
    """A summary's text without its tags: `<b>1.3 LLM as Scoring/Ranking Function</b>` -> the words."""
    return " ".join(re.sub(r"<[^>]*>", " ", html).replace("&amp;", "&").split())


def _structure(lines: Sequence[Line]) -> _Structure:
    """Sections and code as a CommonMark parser sees them (markdown-it-py, whose tokens carry source line
    ranges): setext headings count, indented and fenced code do not. A `<details>` block with a summary is a
    section named by its summary, and a Markdown heading inside one is a note in a collapsed block, not a
    section. Writes stay line splices."""
    from markdown_it import MarkdownIt  # parsing only: importing it costs a tenth of a second

    # One line per Line, BOM dropped: markdown-it normalises \r\n and \r to \n, so its line numbers are ours.
    source = "\n".join(line.text for line in lines).removeprefix("\ufeff")
    # Block structure only: inline parsing (links, emphasis) is most of the cost and is not needed here.
    tokens = MarkdownIt("commonmark").enable("table").disable(["inline", "text_join"]).parse(source)
    not_prose = [False] * len(lines)
    openers: list[_Opener] = []
    closers: dict[int, int] = {}
    open_details: list[int | None] = []  # per open <details>: its opener's line, None without a summary
    for position, token in enumerate(tokens):
        if token.type in ("fence", "code_block") and token.map:
            not_prose[token.map[0] : token.map[1]] = [True] * (token.map[1] - token.map[0])
        elif token.type == "html_block" and token.map:
            if token.content.lstrip().startswith("<!--"):
                not_prose[token.map[0] : token.map[1]] = [True] * (token.map[1] - token.map[0])
                continue
            waiting: int | None = None  # a <details> line whose summary may follow within this block
            for index in range(token.map[0], token.map[1]):
                for tag in _DETAILS_TAG_RE.finditer(lines[index].text):
                    text = tag.group()
                    if tag.group("summary") is not None:
                        if (
                            waiting is not None
                            and open_details
                            and open_details[-1] is None
                            and _plain(tag.group("summary"))
                        ):
                            openers.append(_Opener(waiting, "details", 0, _plain(tag.group("summary"))))
                            open_details[-1] = waiting
                        waiting = None
                    elif text.startswith("</"):
                        waiting = None
                        if open_details and (opened := open_details.pop()) is not None:
                            closers[opened] = index
                    else:
                        open_details.append(None)
                        waiting = index
        elif token.type == "heading_open" and token.map and not open_details:
            inline = tokens[position + 1]
            openers.append(_Opener(token.map[0], "heading", int(token.tag[1]), inline.content.strip()))
        elif token.type == "paragraph_open" and token.map and token.map[1] - token.map[0] == 1:
            bold = _BOLD_LINE_RE.match(tokens[position + 1].content)
            if bold and bold.group("title").strip():
                openers.append(_Opener(token.map[0], "bold", 0, " ".join(bold.group("title").split())))
    for opened in open_details:
        if opened is not None:
            closers[opened] = len(lines) - 1  # never closed: GitHub folds the rest of the file into it
    openers.sort(key=lambda o: o.at)
    return _Structure(openers, closers, not_prose)


def _parse_sections(
    lines: Sequence[Line], structure: _Structure, keep: Callable[[_Opener], bool] = lambda _: True
) -> list[Section]:
    """The section tree from its openers. A heading closes every section of its level or deeper and every
    bold or `<details>` section outside a block; `</details>` closes its block and what opened inside it; a
    bold line closes the bold line before it in the same block."""
    openers = [o for o in structure.openers if keep(o)]
    # A lone top-level heading that comes first is the document's title, not a section.
    headings = [o for o in openers if o.kind == "heading"]
    if openers and openers[0].kind == "heading" and openers[0].level == 1 and sum(h.level == 1 for h in headings) == 1:
        openers = openers[1:]

    ends: dict[int, int] = {}  # opener position -> 0-based last line
    first_child: dict[int, int] = {}  # opener position -> 0-based line of its first subsection
    paths: dict[int, tuple[str, ...]] = {}
    stack: list[int] = []  # positions into openers

    events = sorted(
        [(o.at, 1, position) for position, o in enumerate(openers)]
        + [
            (line, 0, position)
            for position, o in enumerate(openers)
            if (line := structure.closers.get(o.at)) is not None
        ],
        key=lambda event: (event[0], event[1]),
    )
    for line, is_open, position in events:
        opener = openers[position]
        if not is_open:  # </details>: its block ends here, with whatever opened inside it
            if position in stack:
                while stack[-1] != position:
                    ends[stack.pop()] = line
                ends[stack.pop()] = line
            continue
        while stack and _closes(opener, openers[stack[-1]]):
            ends[stack.pop()] = line - 1
        if stack:
            first_child.setdefault(stack[-1], opener.at)
        paths[position] = (*(paths[stack[-1]] if stack else ()), opener.title)
        stack.append(position)
    while stack:
        ends[stack.pop()] = len(lines) - 1
    return [
        Section(
            path=paths[position],
            level=opener.level,
            heading_line=opener.at + 1,
            end_line=ends[position] + 1,
            body_end_line=min(first_child.get(position, len(lines)), ends[position] + 1),
            kind=opener.kind,
        )
        for position, opener in enumerate(openers)
    ]


def _link_place(url: str) -> str:
    """Where a link points, for a person: 'archive/…' for the list's own pages, else the host."""
    if "://" in url:
        return url.split("://", 1)[1].split("/", 1)[0] or url
    first = url.lstrip("./").split("/", 1)[0]
    return f"{first}/…" if "/" in url.lstrip("./") else first or url


def _closes(opener: _Opener, open_section: _Opener) -> bool:
    if opener.kind == "heading":
        return not (open_section.kind == "heading" and open_section.level < opener.level)
    return opener.kind == "bold" and open_section.kind == "bold"


def _section_at(sections: Sequence[Section], line_number: int) -> tuple[str, ...]:
    current: tuple[str, ...] = ()
    for section in sections:
        if section.heading_line <= line_number <= section.end_line:
            current = section.path
    return current


def _parse_tables(lines: Sequence[Line], mask: Sequence[bool]) -> list[Table]:
    """Every pipe table: a header row, an alignment row and the rows after them."""
    tables: list[Table] = []
    index = 0
    while index + 1 < len(lines):
        header, delimiter = lines[index].text, lines[index + 1].text
        if (
            mask[index]
            or not _TABLE_ROW_RE.match(header)
            or _TABLE_DELIMITER_RE.match(header)
            or not _TABLE_DELIMITER_RE.match(delimiter)
        ):
            index += 1
            continue
        last = index + 1
        while last + 1 < len(lines) and not mask[last + 1] and _TABLE_ROW_RE.match(lines[last + 1].text):
            last += 1
        columns = tuple(split_cells(header))
        table = Table(
            header_line=index + 1,
            last_line=last + 1,
            columns=columns,
            roles=tuple(column_role(c) for c in columns),
        )
        tables.append(table)
        index = last + 1
    return tables


def _parse_entries(
    lines: Sequence[Line], sections: Sequence[Section], structure: _Structure, all_tables: Sequence[Table]
) -> list[Entry]:
    mask = structure.not_prose
    tables = {row - 1: t for t in all_tables for row in range(t.first_row_line, t.last_line + 1)}
    entries = []
    for index, line in enumerate(lines):
        if mask[index]:
            continue
        if index in tables:
            entry = _parse_table_row(lines[index].text, index + 1, sections, tables[index])
            if entry is not None:
                entries.append(replace(entry, end_line=index + 1))
            continue
        end = index
        if _LIST_ITEM_RE.match(line.text):
            while end + 1 < len(lines) and not mask[end + 1] and _is_continuation(lines[end + 1].text):
                end += 1
        # A wrapped item is read as one line: its link may sit on the continuation.
        text = " ".join([line.text, *(lines[i].text.strip() for i in range(index + 1, end + 1))])
        entry = _parse_list_item(text, index + 1, sections)
        if entry is not None:
            entries.append(replace(entry, end_line=end + 1))
    return entries


def _is_continuation(text: str) -> bool:
    """An indented, non-blank line that does not open a list item of its own (a wrapped entry)."""
    return bool(text.strip()) and text[:1] in (" ", "\t") and not _LIST_ITEM_RE.match(text)


def _carries_paper(links: Sequence[Link], venue: str | None) -> bool:
    if any(find_arxiv_id(link.url) for link in links):
        return True
    if any(link.label.lower() in PAPER_LABELS for link in links):
        return True
    return venue is not None and venue_year(venue) is not None


def _split_title_venue(prefix: str) -> tuple[str, str | None]:
    text = prefix.strip().strip("*").strip(_TRAILING_SEPARATORS)
    parts = re.split(r"[,，]", text)
    if len(parts) >= 2 and looks_like_venue(parts[-1].strip()):
        venue_parts = 1
        if len(parts) >= 3 and _YEAR_RE.fullmatch(parts[-1].strip()) and _ARXIV_VENUE_RE.fullmatch(parts[-2].strip()):
            venue_parts = 2  # "Title, arxiv, 2024": the venue was split by a stray comma
        venue_text = ",".join(parts[-venue_parts:])
        title = text[: len(text) - len(venue_text) - 1].strip(_TRAILING_SEPARATORS)
        return title, venue_text.strip()
    return text, None


def _arxiv_of(links: Sequence[Link]) -> tuple[str | None, int | None]:
    for link in links:
        found = find_arxiv_id(link.url)
        if found:
            return found.id, found.version
    return None, None


def _parse_list_item(text: str, line_number: int, sections: Sequence[Section]) -> Entry | None:
    if _THEMATIC_BREAK_RE.match(text):
        return None
    match = _LIST_ITEM_RE.match(text)
    if not match:
        return None
    content = match.group("content")
    links = parse_links(content)
    first_link = _LINK_RE.search(content)
    prefix = content[: first_link.start()] if first_link else content
    title, venue = _split_title_venue(prefix)
    if not title and links and links[0].label.lower() not in PAPER_LABELS | CODE_LABELS:
        # "+ [Title](https://arxiv.org/abs/…), venue": the link text is the title.
        title = links[0].label
        rest = content[first_link.end() :] if first_link else ""
        _, venue = _split_title_venue("x," + rest.split("[")[0]) if rest.strip() else ("", None)
    return _entry_if_paper("list", line_number, sections, text, match.group("marker"), title, venue, links)


def _parse_table_row(text: str, line_number: int, sections: Sequence[Section], table: Table) -> Entry | None:
    """A row read by its table's columns: the title from the Paper/Title column (its link text when it is a
    link), the venue from Publication/Venue (with Year), never from the first cell. A row with more or fewer
    cells than the header is read by the shape of its cells instead."""
    cells = split_cells(text)
    links = parse_links(text)
    named = False
    if len(cells) == len(table.columns):
        title, venue, named = _row_title_and_venue(cells, table)
    else:
        title, venue = _ragged_row_title_and_venue(cells, links)
        named = len(title.split()) <= 2  # a row out of line with its header: one or two words are a name
    entry = _entry_if_paper("table", line_number, sections, text, "|", title, venue, links)
    return replace(entry, table=table, title_is_name=named) if entry is not None else None


def _cell_text(cell: str) -> str:
    """A cell's words: a link's text in place of the link, markup and placeholders dropped."""
    label_only = _LINK_RE.sub(lambda m: m.group("label"), cell).replace("\\|", "|")
    return "" if is_placeholder(label_only) else plain_cell(label_only).strip("*").strip()


def _row_title_and_venue(cells: Sequence[str], table: Table) -> tuple[str, str | None, bool]:
    venue_at, year_at = table.column("venue"), table.column("year")
    venue = _cell_text(cells[venue_at]) if venue_at is not None else ""
    year = _cell_text(cells[year_at]) if year_at is not None else ""
    if year and _YEAR_RE.fullmatch(year) and not venue_year(venue):
        venue = f"{venue} {year}".strip()
    at = table.column("title")
    title = _cell_text(cells[at]) if at is not None else ""
    named = not title or title.lower() in PAPER_LABELS
    if named:
        # No Paper column, or one that only says "[[Paper]]": a link's own text, else the first cell of words
        # (a dataset's or a benchmark's name).
        labels = [link.label for link in parse_links(" ".join(cells)) if not _generic_label(link.label)]
        words = [
            t
            for i, cell in enumerate(cells)
            if i not in (venue_at, year_at) and (t := _cell_text(cell)) and not _generic_label(t)
        ]
        title = labels[0] if labels else words[0] if words else ""
    return title, venue or None, named


def _generic_label(text: str) -> bool:
    return text.lower() in PAPER_LABELS | CODE_LABELS


def _ragged_row_title_and_venue(cells: Sequence[str], links: Sequence[Link]) -> tuple[str, str | None]:
    """A row whose cells do not line up with the header: a venue-shaped cell is the venue, and the title is
    a link's text (not "paper" or "code") or else the longest cell of words."""
    texts = [_cell_text(cell) for cell in cells]
    venue = next((t for t in texts if looks_like_venue(t)), None)
    labelled = [link.label for link in links if link.label.lower() not in PAPER_LABELS | CODE_LABELS]
    if labelled:
        return labelled[0], venue
    words = [t for t in texts if t and t != venue and not _LINK_RE.search(t)]
    return (max(words, key=len) if words else ""), venue


def _entry_if_paper(
    kind: Literal["list", "table"],
    line_number: int,
    sections: Sequence[Section],
    text: str,
    marker: str,
    title: str,
    venue: str | None,
    links: Sequence[Link],
) -> Entry | None:
    if not _carries_paper(links, venue):
        return None
    arxiv_id, version = _arxiv_of(links)
    return Entry(
        line=line_number,
        kind=kind,
        section=_section_at(sections, line_number),
        raw=text,
        marker=marker,
        title=title,
        venue=venue,
        year=venue_year(venue),
        links=tuple(links),
        arxiv_id=arxiv_id,
        arxiv_version=version,
    )


def venue_year(venue: str | None) -> int | None:
    if not venue:
        return None
    match = _YEAR_RE.search(venue)
    if match:
        return int(match.group())
    short = SHORT_YEAR_VENUE_RE.match(venue)
    return 2000 + int(short.group("yy")) if short else None


# ---- house style ------------------------------------------------------------------------------


def _most_common(values: Iterable[str], default: str) -> str:
    counted = Counter(values).most_common(1)
    return counted[0][0] if counted else default


def infer_house_style(awesome: AwesomeList, link_form: LinkForm = "auto") -> HouseStyle:
    defaults = HouseStyle()
    list_entries = [e for e in awesome.entries if e.kind == "list"]
    bullets = [e.marker for e in list_entries if not e.marker[0].isdigit()]
    indents = [re.match(r"[ \t]*", e.raw).group() for e in list_entries]  # type: ignore[union-attr]
    arxiv_links = [link for e in awesome.entries for link in e.links if find_arxiv_id(link.url)]
    kinds = [m.group(1) for link in arxiv_links if (m := re.search(r"arxiv\.org/(abs|pdf|html)/", link.url))]
    schemes = [link.url.split("://")[0].lower() for link in arxiv_links if "://" in link.url]
    pdf_links = [link for link in arxiv_links if "/pdf/" in link.url]
    pdf_suffixes = sum(1 for link in pdf_links if link.url.lower().endswith(".pdf"))
    venue_words = [
        m.group("word")
        for e in awesome.entries
        if e.venue and (m := _ARXIV_VENUE_RE.match(e.venue)) and m.group("word").lower() != "arvix"
    ]
    all_links = [link for e in awesome.entries for link in e.links]
    paper_labels = [link.label for link in all_links if find_arxiv_id(link.url) and link.label.lower() in PAPER_LABELS]
    endings = [line.ending for line in awesome.lines if line.ending]
    periods = sum(1 for e in list_entries if e.raw.rstrip().endswith("."))
    kind = _most_common((k for k in kinds if k in ("pdf", "abs")), defaults.arxiv_link_kind)
    # The form is the path and the suffix ("pdf", "pdf .pdf", "abs"); a version or the scheme is not form.
    forms = [
        f"{m.group(1)} {link.url.lower().endswith('.pdf')}"
        for link in arxiv_links
        if (m := re.search(r"arxiv\.org/(abs|pdf|html)/", link.url))
    ]
    majority = Counter(forms).most_common(1)[0][1] / len(forms) if forms else 1.0
    if link_form != "auto":
        kind = link_form
    scheme = _most_common((s for s in schemes if s in ("http", "https")), defaults.scheme)
    return HouseStyle(
        bullet=_most_common(bullets, defaults.bullet),
        indent=_most_common(indents, defaults.indent),
        paper_label=_most_common(paper_labels, defaults.paper_label),
        double_brackets=sum(not link.single_brackets for link in all_links) * 2 >= len(all_links),
        arxiv_link_kind="abs" if kind == "abs" else "pdf",
        scheme="http" if scheme == "http" else "https",
        pdf_suffix=bool(pdf_links) and pdf_suffixes * 2 > len(pdf_links),
        arxiv_venue_word=_most_common(venue_words, defaults.arxiv_venue_word),
        trailing_period=periods * 2 >= len(list_entries) if list_entries else defaults.trailing_period,
        line_ending=cast(LineEnding, _most_common(endings, defaults.line_ending)),
        settled_link_form=link_form != "auto" or majority >= LINK_FORM_MAJORITY,
    )


def list_diff(before: str, after: str, path: str) -> str:
    """The unified diff of the list file a dry run prints and a reviewer reads."""
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True), after.splitlines(keepends=True), fromfile=f"a/{path}", tofile=f"b/{path}"
        )
    )
