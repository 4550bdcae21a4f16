"""List health: what a careful maintainer would fix, each finding with its line number."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from curatorbot.domain.arxiv_id import find_arxiv_id, year_of
from curatorbot.domain.awesome_list import (
    PAPER_LABELS,
    SHORT_YEAR_VENUE_RE,
    AwesomeList,
    Entry,
    HouseStyle,
    LinkForm,
)
from curatorbot.domain.links import Link


@dataclass(frozen=True)
class Problem:
    line: int
    kind: str
    message: str


@dataclass(frozen=True)
class LintReport:
    entries: int
    arxiv_ids: int
    problems: tuple[Problem, ...]
    # Information, not problems: a paper listed in two sections, tables or blocks is a maintainer's choice.
    cross_listings: tuple[Problem, ...] = ()

    @property
    def clean(self) -> bool:
        return not self.problems


def lint(awesome: AwesomeList, link_form: LinkForm = "auto") -> LintReport:
    style = awesome.house_style(link_form)
    found = _duplicates(awesome)
    problems = [p for p in found if p.kind != "cross-listed"]
    for entry in awesome.entries:
        problems += _entry_problems(entry, style)
    problems.sort(key=lambda p: (p.line, p.kind))
    return LintReport(
        entries=len(awesome.entries),
        arxiv_ids=len(awesome.arxiv_ids),
        problems=tuple(problems),
        cross_listings=tuple(p for p in found if p.kind == "cross-listed"),
    )


def _duplicates(awesome: AwesomeList) -> list[Problem]:
    problems = []
    first_by_id: dict[str, Entry] = {}
    first_in_section: dict[tuple[str, tuple[str, ...]], Entry] = {}
    first_by_title: dict[str, Entry] = {}
    for entry in awesome.entries:
        if entry.arxiv_id:
            first = first_by_id.setdefault(entry.arxiv_id, entry)
            # The same paper under another section is a cross-listing; under another title, a wrong link.
            first = first_in_section.get((entry.arxiv_id, entry.section)) or first
            first_in_section.setdefault((entry.arxiv_id, entry.section), entry)
            same_paper = first.norm_title == entry.norm_title or first.title_is_name or entry.title_is_name
            if first is not entry and first.section != entry.section and same_paper:
                problems.append(
                    Problem(
                        line=entry.line,
                        kind="cross-listed",
                        message=f"arXiv {entry.arxiv_id} is also listed under '{first.section_path}' "
                        f"(line {first.line}); a paper in two sections is left as it is",
                    )
                )
            elif first is not entry:
                problems.append(
                    Problem(
                        line=entry.line,
                        kind="duplicate-arxiv-id",
                        message=f"arXiv {entry.arxiv_id} is listed again (first on line {first.line}, "
                        f"under '{first.section_path}'); remove one",
                    )
                )
                if not same_paper:
                    problems.append(
                        Problem(
                            line=entry.line,
                            kind="id-title-mismatch",
                            message=f"arXiv {entry.arxiv_id} is titled '{first.title}' on line {first.line} "
                            f"but '{entry.title}' here; one link or title is wrong",
                        )
                    )
        if entry.norm_title:
            first = first_by_title.setdefault(entry.norm_title, entry)
            # A repeated id was reported above; a repeated title with another (or no) id is its own slip.
            if (
                first is not entry
                and first.section == entry.section
                and not (entry.arxiv_id and first.arxiv_id)  # the same id was reported above; two ids: two papers
            ):
                problems.append(
                    Problem(
                        line=entry.line,
                        kind="duplicate-title",
                        message=f"the title '{entry.title}' is listed again (first on line {first.line}) "
                        f"with a different link; remove one",
                    )
                )
    return problems


def _entry_problems(entry: Entry, style: HouseStyle) -> list[Problem]:
    problems = []

    def add(kind: str, message: str) -> None:
        problems.append(Problem(line=entry.line, kind=kind, message=message))

    if not entry.links:
        add("no-link", f"'{entry.title}' has no link to the paper")
    for link in entry.links:
        if not link.is_url:
            add("not-a-url", f"the [{link.label}] link target '{link.url}' is not a URL")
        if link.doubled_parens:
            add("doubled-brackets", f"the [{link.label}] link has doubled parentheses: write ({link.url})")
        arxiv = find_arxiv_id(link.url) if link.is_url else None
        if arxiv is not None:
            # The form is house style; the scheme is not: http and https both serve the paper.
            # Only a clear house style is asked for, and a table's links keep their column's wording.
            expected = style.arxiv_url(arxiv.id)
            if style.settled_link_form and _without_scheme(link.url) != _without_scheme(expected):
                add("off-style-link", f"write the arXiv link as {expected} (house style), not {link.url}")
            label = link.label.lower()
            if entry.kind == "list" and label != style.paper_label.lower() and label in PAPER_LABELS:
                add("off-style-link", f"label the arXiv link [{style.paper_label}], not [{link.label}]")
    # A table without a venue column (datasets, benchmarks) asks for none.
    wants_venue = entry.table is None or entry.table.column("venue") is not None
    if entry.venue is None and wants_venue:
        year = year_of(entry.arxiv_id)
        suggestion = f"'{style.arxiv_venue(year)}'" if year else "the venue and year"
        add("missing-venue", f"'{entry.title}' has no venue; add {suggestion} before the links")
    elif entry.venue is not None:
        if re.match(r"arvix\b", entry.venue, re.IGNORECASE):
            add("arvix", f"'{entry.venue}' misspells arXiv; write '{style.arxiv_venue_word}'")
        if "," in entry.venue:
            add(
                "venue-style",
                f"write the venue '{entry.venue}' without a comma: '{entry.venue.replace(',', '')}'",
            )
        short = SHORT_YEAR_VENUE_RE.match(entry.venue)
        if short:
            add(
                "venue-style",
                f"write the venue '{entry.venue}' with a four-digit year: '{short.group('name').strip()} {entry.year}'",
            )
    if entry.kind == "list":
        problems += [Problem(line=entry.line, kind="separator", message=m) for m in _separator_slips(entry)]
    return problems


def _separator_slips(entry: Entry) -> list[str]:
    slips = []
    if "，" in entry.raw:
        slips.append("a full-width comma '，' separates fields; use ', '")
    links: tuple[Link, ...] = entry.links
    if links:
        before_first = entry.raw[: entry.raw.index(links[0].raw)]
        text_before = before_first.lstrip(" \t-+*0123456789.)")
        if text_before.strip() and not before_first.endswith(", "):
            slips.append(f"the [{links[0].label}] link is not set off from the text by ', '")
    for before, after in itertools.pairwise(links):
        between = entry.raw[entry.raw.index(before.raw) + len(before.raw) : entry.raw.index(after.raw)]
        if between != ", ":
            slips.append(f"links [{before.label}] and [{after.label}] are separated by '{between}', not ', '")
    return slips


def _without_scheme(url: str) -> str:
    return re.sub(r"^https?://(www\.)?", "", url)
