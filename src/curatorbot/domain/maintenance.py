"""Keeping the listed entries true, as pure functions: which lines a maintainer would sign a change to.

Three kinds, planned in this order and committed one commit per kind:
- `venues`: `arxiv 2023` becomes `RecSys 2023` only when a source says the paper was accepted or published
  (arXiv's journal_ref, its comments with an acceptance cue, an ACL Anthology DOI, or, when switched on,
  Semantic Scholar), in the list's own spelling of the venue;
- `code`: a `[[code]]` link where the paper's own arXiv record (comments, abstract) names its repository;
- `lint`: fixes that change no meaning (`arvix`, doubled parentheses, the house link form, separators,
  two-digit venue years, a missing final period, an exact duplicate line).
A repeated arXiv id under two titles or two sections is never fixed here: it is listed for a maintainer.
Every change has a stable key; a key a maintainer rejected is never proposed again.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal, NamedTuple

from curatorbot.domain.arxiv_id import find_arxiv_id, year_of
from curatorbot.domain.awesome_list import (
    PAPER_LABELS,
    SHORT_YEAR_VENUE_RE,
    AwesomeList,
    Entry,
    HouseStyle,
    LinkForm,
)
from curatorbot.domain.enrich import (
    NOT_MAIN_TRACK,
    SAFE_CODE_URL_RE,
    ExternalVenue,
    Venue,
    find_code_url,
    find_venue,
)
from curatorbot.domain.links import Link
from curatorbot.domain.models import Paper

ChangeKind = Literal["venues", "code", "lint"]
KINDS: tuple[ChangeKind, ...] = ("venues", "code", "lint")
COMMIT_MESSAGES: dict[ChangeKind, str] = {
    "venues": "curatorbot: venues of {count} entr{ies} from their arXiv records",
    "code": "curatorbot: code links for {count} entr{ies} from their arXiv records",
    "lint": "curatorbot: {count} format fix{es} that change no meaning",
}

_ARXIV_VENUE_RE = re.compile(r"^(?:arxiv|arvix)\s*,?\s*(?:19|20)\d{2}$", re.IGNORECASE)
# ACL Anthology DOIs name their venue: 10.18653/v1/2024.acl-long.123, 10.18653/v1/2023.findings-emnlp.45.
_ACL_DOI_RE = re.compile(r"^10\.18653/v1/(?P<year>\d{4})\.(?P<findings>findings-)?(?P<venue>[a-z]+)", re.IGNORECASE)
_ACL_VENUES = {"acl": "ACL", "emnlp": "EMNLP", "naacl": "NAACL", "eacl": "EACL", "coling": "COLING"}
_LOOSE_SEPARATOR_RE = re.compile(r"^[ \t,，;]*$")
EVIDENCE_CHARS = 160


@dataclass(frozen=True)
class Change:
    """One edit of one line. `before`/`after` are the changed part of the line (what the PR body shows);
    `after is None` removes the line."""

    kind: ChangeKind
    key: str  # stable across runs: the rejection memory
    line: int  # 1-based, in the list this change was planned on
    arxiv_id: str | None
    title: str
    before: str
    after: str | None
    evidence: str


@dataclass(frozen=True)
class Stage:
    kind: ChangeKind
    changes: tuple[Change, ...]
    text: str  # the list file after this stage's changes

    @property
    def commit_message(self) -> str:
        count = len(self.changes)
        return COMMIT_MESSAGES[self.kind].format(
            count=count, ies="y" if count == 1 else "ies", es="" if count == 1 else "es"
        )


@dataclass(frozen=True)
class Repeat:
    """An arXiv id listed on several lines that differ: a maintainer chooses which one stays."""

    arxiv_id: str
    lines: tuple[int, ...]
    titles: tuple[str, ...]
    sections: tuple[str, ...]


@dataclass(frozen=True)
class MaintenancePlan:
    stages: tuple[Stage, ...]
    repeats: tuple[Repeat, ...]
    remembered: tuple[Change, ...]  # changes found again that a maintainer rejected before: not proposed
    checked: int  # listed arXiv ids read from arXiv

    @property
    def changes(self) -> tuple[Change, ...]:
        return tuple(c for stage in self.stages for c in stage.changes)

    @property
    def text(self) -> str | None:
        return self.stages[-1].text if self.stages else None

    def count(self, kind: ChangeKind) -> int:
        return sum(len(s.changes) for s in self.stages if s.kind == kind)


def plan_maintenance(
    awesome: AwesomeList,
    papers: Mapping[str, Paper],
    external: Mapping[str, ExternalVenue] | None = None,
    kinds: Collection[ChangeKind] = KINDS,
    rejected: Collection[str] = (),
    link_form: LinkForm = "auto",
) -> MaintenancePlan:
    style = awesome.house_style(link_form)
    stages: list[Stage] = []
    remembered: list[Change] = []
    current = awesome
    for kind in KINDS:
        if kind not in kinds:
            continue
        if kind == "venues":
            found = venue_changes(current, papers, external or {})
        elif kind == "code":
            found = code_changes(current, papers, style)
        else:
            found = lint_changes(current, style)
        remembered += [c for c in found if c.key in rejected]
        fresh = [c for c in found if c.key not in rejected]
        current, fresh = apply_changes(current, fresh)
        if fresh:
            stages.append(Stage(kind=kind, changes=tuple(fresh), text=current.to_markdown()))
    # Counts and line numbers are those of the final diff, numbered as in the list planned on: a change on a
    # line a later stage removes (an exact repeat) is not in the diff, and a repeat is named by its line there.
    removed = sorted({c.line for stage in stages if stage.kind == "lint" for c in stage.changes if c.after is None})
    stages = [
        replace(stage, changes=tuple(c for c in stage.changes if stage.kind == "lint" or c.line not in removed))
        for stage in stages
    ]
    return MaintenancePlan(
        stages=tuple(stages),
        repeats=tuple(
            replace(r, lines=tuple(_line_before_removals(line, removed) for line in r.lines))
            for r in find_repeats(current)
        ),
        remembered=tuple(remembered),
        checked=len(papers),
    )


def _line_before_removals(line: int, removed: Sequence[int]) -> int:
    """A line's number in the list before these (sorted) lines were removed from it."""
    for gone in removed:
        if gone <= line:
            line += 1
    return line


def apply_changes(awesome: AwesomeList, changes: Sequence[Change]) -> tuple[AwesomeList, list[Change]]:
    """The list with each change's fragment replaced on its line (or the line removed), and the changes
    that applied: one whose fragment an earlier change already rewrote is dropped, never claimed."""
    rewritten: dict[int, str | None] = {}
    applied = []
    for change in changes:
        text = rewritten.get(change.line, awesome.lines[change.line - 1].text)
        if text is None:
            continue
        if change.after is None:
            rewritten[change.line] = None
        elif change.before == "":
            rewritten[change.line] = text + change.after
        else:
            at = _field_position(text, change)
            if at is None:
                continue  # not found, or only inside the title, or ambiguous: a maintainer's call
            rewritten[change.line] = text[:at] + change.after + text[at + len(change.before) :]
        applied.append(change)
    return awesome.rewrite(rewritten), applied


def _field_position(text: str, change: Change) -> int | None:
    """Where `change.before` stands in the line such that the entry's title stays as it is (outside the
    title, or around it with the title kept in `after`, as a link whose label is the title), when it stands
    so exactly once: a title that contains the venue's text ("Benchmarking arxiv 2023 Models") is never
    edited."""
    title_at = text.find(change.title) if change.title else -1
    title_end = title_at + len(change.title)

    def keeps_title(at: int) -> bool:
        end = at + len(change.before)
        if title_at < 0 or end <= title_at or at >= title_end:
            return True
        return at <= title_at and end >= title_end and change.title in (change.after or "")

    found = [at for at in range(len(text)) if text.startswith(change.before, at) and keeps_title(at)]
    return found[0] if len(found) == 1 else None


# ---- venues --------------------------------------------------------------------------------------


def venue_changes(
    awesome: AwesomeList, papers: Mapping[str, Paper], external: Mapping[str, ExternalVenue]
) -> list[Change]:
    spellings = _list_spellings(awesome)
    changes = []
    for entry in _editable(awesome):
        paper = papers.get(entry.arxiv_id or "")
        if paper is None or entry.venue is None or not _ARXIV_VENUE_RE.match(entry.venue):
            continue
        found = venue_evidence(paper, external.get(paper.arxiv_id))
        if found is None:
            continue
        venue, evidence = found
        listed_year = year_of(paper.arxiv_id)
        if listed_year is not None and venue.year < listed_year - 1:
            continue  # a venue years before the paper existed is an earlier work, not this one
        after = _spelled(venue, spellings)
        if after is None:
            continue  # a workshop, demo, findings or tutorial track the list has no way of writing: left to a person
        changes.append(_change("venues", entry, f"venues:{paper.arxiv_id}:{after}", entry.venue, after, evidence))
    return changes


def venue_evidence(paper: Paper, external: ExternalVenue | None = None) -> tuple[Venue, str] | None:
    """The venue a source says the paper was accepted at or published in, with that source's words."""
    if paper.journal_ref and (venue := find_venue(None, paper.journal_ref)):
        return venue, _evidence("arXiv journal_ref", paper.journal_ref)
    if paper.comments and (venue := find_venue(paper.comments, None, require_cue=True)):
        return venue, _evidence("arXiv comments", paper.comments)
    if paper.doi and (match := _ACL_DOI_RE.match(paper.doi)) and match.group("venue").lower() in _ACL_VENUES:
        qualifier = "Findings" if match.group("findings") else None
        venue = Venue(_ACL_VENUES[match.group("venue").lower()], int(match.group("year")), qualifier)
        return venue, _evidence("arXiv DOI", paper.doi)
    if external is not None and external.year and "arxiv" not in external.venue.lower():
        for name in (*external.alternate_names, external.venue):
            # A published venue needs no acceptance cue: read it as a journal ref is read.
            if venue := find_venue(None, f"{name} {external.year}"):
                return venue, _evidence(external.source, f"venue '{external.venue}', {external.year}")
    return None


def _evidence(source: str, text: str) -> str:
    flat = " ".join(text.split())
    if len(flat) > EVIDENCE_CHARS:
        flat = flat[: EVIDENCE_CHARS - 1].rstrip() + "…"
    return f"{source}: {flat}"


class _Spellings(NamedTuple):
    names: dict[str, str]  # venue name (lower case) -> how this list most often spells it
    tracks: dict[str, str]  # a track that is not the main conference -> how this list writes it ("workshop")


def _list_spellings(awesome: AwesomeList) -> _Spellings:
    """How this list spells venues (`Recsys` once, `RecSys` six times: `RecSys`) and such tracks."""
    counted: Counter[str] = Counter()
    for entry in awesome.entries:
        if entry.venue and not _ARXIV_VENUE_RE.match(entry.venue):
            name = re.sub(r"\s*['’]?\d{2,4}\b.*$", "", entry.venue).strip()
            if name:
                counted[name] += 1
    names: dict[str, str] = {}
    for name, _ in counted.most_common():
        names.setdefault(name.lower(), name)
    tracks: dict[str, str] = {}
    for entry in awesome.entries:
        for track in NOT_MAIN_TRACK:
            if entry.venue and (word := re.search(rf"\b{track}\b", entry.venue, re.IGNORECASE)):
                tracks.setdefault(track, word.group())
    return _Spellings(names, tracks)


def _spelled(venue: Venue, spellings: _Spellings) -> str | None:
    """The venue in the list's spelling; a track that is not the main conference only in the list's own
    spelling of it ("SIGIR 2023 workshop"), and None when the list writes no such track."""
    name = spellings.names.get(venue.name.lower(), venue.name)
    qualifier = venue.qualifier
    if qualifier in NOT_MAIN_TRACK:
        qualifier = spellings.tracks.get(qualifier)
        if qualifier is None:
            return None
    return str(Venue(name, venue.year, qualifier))


# ---- code links ----------------------------------------------------------------------------------


def code_changes(awesome: AwesomeList, papers: Mapping[str, Paper], style: HouseStyle) -> list[Change]:
    """Code links for list items, in a list that writes code links already (a list without any has chosen
    not to); a table's cells are left to a person."""
    changes: list[Change] = []
    if not any(e.code_url for e in awesome.entries if e.kind == "list"):
        return changes
    for entry in _editable(awesome):
        paper = papers.get(entry.arxiv_id or "")
        if paper is None or entry.code_url is not None or not entry.links or entry.kind != "list":
            continue
        for source, text in (("arXiv comments", paper.comments), ("arXiv abstract", paper.abstract)):
            url = find_code_url(text)
            if url and SAFE_CODE_URL_RE.match(url):
                last = entry.links[-1].raw
                after = f"{last}{style.separator}{style.link('code', url)}"
                evidence = _evidence(source, _around(text or "", url))
                changes.append(_change("code", entry, f"code:{paper.arxiv_id}:{url.lower()}", last, after, evidence))
                break
    return changes


def _around(text: str, url: str, width: int = 60) -> str:
    """The words around a link in a long abstract: enough to see it is the paper's own code."""
    flat = " ".join(text.split())
    at = flat.find(url)
    if at < 0:
        return flat
    start = max(0, at - width)
    return ("…" if start else "") + flat[start : at + len(url)]


# ---- format fixes --------------------------------------------------------------------------------


def lint_changes(awesome: AwesomeList, style: HouseStyle) -> list[Change]:
    changes: list[Change] = []
    # An exact repeat in the same list or table goes; under another parent bullet or in another section it
    # is a choice, listed as a repeat.
    seen_lines: dict[tuple[int, str], int] = {}
    for entry in _editable(awesome):
        raw = awesome.lines[entry.line - 1].text
        first = seen_lines.setdefault((awesome.block_start(entry), raw.strip()), entry.line)
        if first != entry.line:
            changes.append(_lint(entry, "duplicate-line", raw, None, f"the same line as line {first}"))
            continue
        changes += _entry_fixes(entry, raw, style)
    return changes


def _change(kind: ChangeKind, entry: Entry, key: str, before: str, after: str | None, evidence: str) -> Change:
    return Change(
        kind=kind,
        key=key,
        line=entry.line,
        arxiv_id=entry.arxiv_id,
        title=entry.title,
        before=before,
        after=after,
        evidence=evidence,
    )


def _lint(entry: Entry, fix: str, before: str, after: str | None, evidence: str) -> Change:
    subject = entry.arxiv_id or re.sub(r"\W+", "-", entry.title.lower()).strip("-")[:60]
    key = f"lint:{fix}:{subject}:{after if after is not None else 'removed'}"
    return _change("lint", entry, key, before, after, evidence)


def _entry_fixes(entry: Entry, raw: str, style: HouseStyle) -> list[Change]:
    fixes: list[Change] = []
    venue = entry.venue
    if venue and re.match(r"arvix\b", venue, re.IGNORECASE) and venue in raw:
        fixed = re.sub(r"^arvix", style.arxiv_venue_word, venue, flags=re.IGNORECASE)
        fixes.append(_lint(entry, "arvix", venue, fixed, "a misspelling of arXiv"))
    elif venue and (short := SHORT_YEAR_VENUE_RE.match(venue)) and entry.year and venue in raw:
        fixed = f"{short.group('name').strip()} {entry.year}"
        fixes.append(_lint(entry, "venue-year", venue, fixed, "the list writes four-digit years"))
    for link in entry.links if entry.kind == "list" else ():  # a table's links keep their column's wording
        fixed_link = _house_link(link, style)
        if fixed_link != link.raw and link.raw in raw:
            fixes.append(_lint(entry, "link-form", link.raw, fixed_link, "the list's own link form"))
    if entry.kind == "list":
        fixes += _separator_fixes(entry, raw, style)
        # The last field is a link and the period the house style ends an entry with is missing.
        if style.trailing_period and entry.links and raw.endswith(")"):
            fixes.append(_lint(entry, "final-period", "", ".", "the list ends each entry with a period"))
    return fixes


def _house_link(link: Link, style: HouseStyle) -> str:
    """The link as the list writes it: its bracket form, and for arXiv its URL form and label (the
    scheme is kept: http and https serve the same paper, and lint does not ask for it)."""
    label, url = link.label, link.url
    arxiv = find_arxiv_id(url) if link.is_url and re.search(r"arxiv\.org/(?:abs|pdf)/", url) else None
    if arxiv is not None and style.settled_link_form:
        scheme = url.split("://")[0].lower()
        url = style.arxiv_url(arxiv.id).replace(f"{style.scheme}://", f"{scheme}://", 1)
        if label.lower() in PAPER_LABELS:
            label = style.paper_label
    return style.link(label, url)


def _separator_fixes(entry: Entry, raw: str, style: HouseStyle) -> list[Change]:
    fixes = []
    links = entry.links
    if "，" in raw:
        fixes.append(_lint(entry, "full-width-comma", "，", style.separator, "fields are separated by ', '"))
    for before, after in itertools.pairwise(links):
        start = raw.find(before.raw) + len(before.raw)
        between = raw[start : raw.find(after.raw, start)]
        if between != style.separator and _LOOSE_SEPARATOR_RE.match(between) and "，" not in between:
            # Only the seam between the two links changes, so a fix of either link's own form still applies.
            fixes.append(
                _lint(entry, "link-separator", f"){between}[", f"){style.separator}[", "links are separated by ', '")
            )
    return fixes


def _editable(awesome: AwesomeList) -> list[Entry]:
    """Entries on one line of their own: a wrapped item is left to a person."""
    return [e for e in awesome.entries if e.end_line <= e.line]


# ---- repeats -------------------------------------------------------------------------------------


def find_repeats(awesome: AwesomeList) -> list[Repeat]:
    by_id: dict[str, list[Entry]] = {}
    for entry in awesome.entries:
        if entry.arxiv_id:
            by_id.setdefault(entry.arxiv_id, []).append(entry)
    return [
        Repeat(
            arxiv_id=arxiv_id,
            lines=tuple(e.line for e in entries),
            titles=tuple(e.title for e in entries),
            sections=tuple(e.section_path for e in entries),
        )
        for arxiv_id, entries in by_id.items()
        if len(entries) > 1
    ]
