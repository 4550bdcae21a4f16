"""The pull request's words, as pure functions: proposal records, the hidden marker that is the bot's
memory, and the body a maintainer reviews (sanitised, within GitHub's 65,536-character limit)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from curatorbot.domain.arxiv_id import is_arxiv_id, pack_ids, unpack_ids
from curatorbot.domain.enrich import SAFE_CODE_URL_RE
from curatorbot.domain.errors import BodyTooLongError
from curatorbot.domain.marker import decode_marker, encode_marker
from curatorbot.domain.models import Decision, Paper
from curatorbot.domain.render import entry_facts
from curatorbot.domain.sanitize import plain_text
from curatorbot.domain.templates import template

BODY_LIMIT = 65_536
# A paper's checkbox as the body writes it: "- [x] `2503.01711` …". Only lines of this form are read.
CHECKBOX_RE = re.compile(r"^- \[(?P<mark>[ xX])\] `(?P<id>[\w.\-/]{4,40})`", re.MULTILINE)
MARKER_KIND = "proposals"


class ProposalRecord(BaseModel):
    """One paper the bot proposes or flags, as remembered in the marker and shown in the body."""

    model_config = ConfigDict(frozen=True)

    arxiv_id: str
    title: str
    section: str | None
    confidence: float
    venue: str
    code_url: str | None = None
    rationale: str = ""
    abstract: str = ""
    to_fill: tuple[str, ...] = ()  # table columns left with the table's placeholder, for a maintainer


class Reviewed(BaseModel):
    """A maintainer's call on one paper, from a checkbox or a command: labelled data for retraining."""

    model_config = ConfigDict(frozen=True)

    arxiv_id: str
    action: Literal["accepted", "rejected", "moved"]
    section: str | None = None
    by: str = ""  # a GitHub login, or "checkbox"


class Marker(BaseModel):
    """The hidden machine-readable state in the PR body: what is proposed, what was rejected, and the
    commits the bot last wrote (so a maintainer's commit on the branch is noticed)."""

    model_config = ConfigDict(frozen=True)

    version: int = 2
    base_sha: str | None = None
    head_sha: str | None = None
    proposed: tuple[ProposalRecord, ...] = ()
    flagged: tuple[ProposalRecord, ...] = ()
    rejected: tuple[str, ...] = ()
    # A catch-up pull request: its window (2024-05), and every window its run searched (empty ones too).
    window: str | None = None
    covered: tuple[str, ...] = ()
    # Review from the pull request: the last comment read for commands, and the maintainers' calls.
    last_comment_id: int = 0
    reviewed: tuple[Reviewed, ...] = ()
    # The backend that classified these papers ("openai", "local"): a refresh asks the same one.
    backend: str | None = None

    @property
    def proposed_ids(self) -> list[str]:
        return [p.arxiv_id for p in self.proposed]


class RunFacts(BaseModel):
    model_config = ConfigDict(frozen=True)

    date: str
    categories: tuple[str, ...]
    backend: str
    model: str
    prompt_version: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    list_path: str = "README.md"
    notes: tuple[str, ...] = Field(default=())


MARKER_TITLE_CHARS = 80
_ACTIONS: dict[str, Literal["accepted", "rejected", "moved"]] = {"a": "accepted", "r": "rejected", "m": "moved"}


def parse_marker(body: str | None) -> Marker | None:
    data = decode_marker(body, MARKER_KIND)
    if data is None:
        return None
    data.pop("kind", None)
    try:
        if data.get("version") == 2:
            sections: list[str | None] = [*data["sections"], None]

            def records(rows: list[list[Any]]) -> tuple[ProposalRecord, ...]:
                return tuple(
                    ProposalRecord(
                        arxiv_id=row[0],
                        title=row[1],
                        section=sections[row[2]],
                        confidence=row[3],
                        venue=row[4],
                        code_url=row[5],
                        to_fill=tuple(row[6]) if len(row) > 6 else (),
                    )
                    for row in rows
                )

            return Marker(
                version=2,
                base_sha=data.get("base_sha"),
                head_sha=data.get("head_sha"),
                proposed=records(data.get("proposed", [])),
                flagged=records(data.get("flagged", [])),
                rejected=tuple(sorted({*data.get("rejected", []), *unpack_ids(data.get("rejected_packed", ""))})),
                window=data.get("window"),
                covered=tuple(data.get("covered", [])),
                last_comment_id=int(data.get("last_comment", 0)),
                backend=data.get("backend"),
                reviewed=(
                    *(
                        Reviewed(arxiv_id=row[0], action=row[1], section=row[2], by=row[3])
                        for row in data.get("reviewed", [])
                    ),
                    *(
                        Reviewed(
                            arxiv_id=row[0],
                            action=_ACTIONS[row[1]],
                            section=sections[row[2]],
                            by=data["logins"][row[3]],
                        )
                        for row in data.get("reviews", [])
                    ),
                ),
            )
        return Marker.model_validate(data)  # version 1: whole records (PRs opened before the compact form)
    except (ValidationError, ValueError, KeyError, IndexError, TypeError):
        return None  # edited by hand beyond reading: no memory rather than a failed run


def render_marker(marker: Marker) -> str:
    """The marker holds what memory needs, compactly: ids, short titles, sections, confidences, venues and
    code links; never rationales or abstracts, which only the body shows. 300 proposals take about 40 kB;
    remembered rejections are packed (5,000 take about 13 kB) and reviews index their sections and logins."""
    named = [*(r.section for r in (*marker.proposed, *marker.flagged)), *(r.section for r in marker.reviewed)]
    sections = sorted({s for s in named if s is not None})
    index = {s: i for i, s in enumerate(sections)}
    logins = sorted({r.by[:40] for r in marker.reviewed})
    packed, unpackable = pack_ids(marker.rejected)

    def rows(records: Sequence[ProposalRecord]) -> list[list[Any]]:
        return [
            [
                r.arxiv_id,
                r.title[:MARKER_TITLE_CHARS],
                index[r.section] if r.section is not None else len(sections),
                round(r.confidence, 2),
                r.venue[:40],
                r.code_url,
                *([[c[:40] for c in r.to_fill]] if r.to_fill else []),  # only a table row has cells to fill
            ]
            for r in records
        ]

    payload = {
        "version": 2,
        "base_sha": marker.base_sha,
        "head_sha": marker.head_sha,
        "sections": sections,
        "proposed": rows(marker.proposed),
        "flagged": rows(marker.flagged),
        "rejected": list(unpackable),
        "rejected_packed": packed,
    }
    if marker.window is not None:
        payload |= {"window": marker.window, "covered": list(marker.covered)}
    if marker.backend is not None:
        payload["backend"] = marker.backend
    if marker.last_comment_id or marker.reviewed:
        payload |= {
            "last_comment": marker.last_comment_id,
            "logins": logins,
            "reviews": [
                [
                    r.arxiv_id,
                    r.action[0],
                    index[r.section] if r.section is not None else len(sections),
                    logins.index(r.by[:40]),
                ]
                for r in marker.reviewed
            ],
        }
    return encode_marker(MARKER_KIND, payload)


def proposal_row(record: ProposalRecord, detail: int) -> dict[str, object]:
    """A paper as a body shows it (a pull request's or the dashboard's): every value cleaned."""
    code = record.code_url if record.code_url and SAFE_CODE_URL_RE.match(record.code_url) else None
    return {
        "arxiv_id": record.arxiv_id if is_arxiv_id(record.arxiv_id) else "invalid-id",
        "title": plain_text(record.title, 200),
        "section": plain_text(record.section or "(none)", 80),
        "confidence": f"{record.confidence:.2f}",
        "venue": plain_text(record.venue, 60),
        "code_url": code,
        "rationale": plain_text(record.rationale, 300 if detail >= 1 else 120),
        "abstract": plain_text(record.abstract, 400 if detail >= 2 else 0) if detail >= 2 else "",
        "to_fill": [plain_text(column, 60) for column in record.to_fill],
    }


def render_body(marker: Marker, facts: RunFacts) -> str:
    """The PR body within GitHub's limit: detail shrinks (abstracts, then rationales, then the per-paper
    blocks); past that the oldest proposals and flagged papers, each by its share, fold into collapsed lines
    of ids (newest rows kept). Raises BodyTooLongError when even that does not fit: GitHub would refuse it."""
    marker_text = render_marker(marker)

    def attempt(detail: int, folded: int) -> str:
        # Both lists fold alike, each by its share of the rows, the oldest of each first.
        folded_proposals = folded * len(marker.proposed) // max(1, len(marker.proposed) + len(marker.flagged))
        folded_flags = folded - folded_proposals
        # Grouped by section, the most confident first: a reviewer reads one section at a time.
        shown = sorted(marker.proposed[folded_proposals:], key=lambda p: (p.section or "", -p.confidence))
        body = template("pr_body.md.j2").render(
            proposed=[proposal_row(p, detail) for p in shown],
            earlier=[p.arxiv_id for p in marker.proposed[:folded_proposals] if is_arxiv_id(p.arxiv_id)],
            flagged=[proposal_row(p, detail) for p in marker.flagged[folded_flags:]],
            earlier_flagged=[p.arxiv_id for p in marker.flagged[:folded_flags] if is_arxiv_id(p.arxiv_id)],
            rejected_count=len(marker.rejected),
            facts=facts,
            detail=detail,
        )
        return f"{body.rstrip()}\n\n{marker_text}\n"

    for detail in (2, 1, 0):
        text = attempt(detail, 0)
        if len(text) <= BODY_LIMIT:
            return text
    rows = len(marker.proposed) + len(marker.flagged)
    if len(attempt(0, rows)) > BODY_LIMIT:
        raise BodyTooLongError(
            f"the pull request body needs {len(attempt(0, rows)):,} characters with every row folded and GitHub "
            f"takes {BODY_LIMIT:,}; merge or close the pull request so the next one starts small"
        )
    low, high = 1, rows  # the fewest folded rows that fit
    while low < high:
        middle = (low + high) // 2
        if len(attempt(0, middle)) <= BODY_LIMIT:
            high = middle
        else:
            low = middle + 1
    return attempt(0, low)


def carry_over_boxes(read: str, current: str, new: str) -> str:
    """`new` with the boxes a maintainer changed while the bot worked (between its read of the body and
    its write) set as the maintainer left them: a tick or untick made meanwhile is never lost."""

    def boxes(body: str) -> dict[str, bool]:
        return {m.group("id"): m.group("mark") != " " for m in CHECKBOX_RE.finditer(body)}

    before, now = boxes(read), boxes(current)
    changed = {arxiv_id: ticked for arxiv_id, ticked in now.items() if before.get(arxiv_id, ticked) != ticked}
    if not changed:
        return new

    def keep(match: re.Match[str]) -> str:
        ticked = changed.get(match.group("id"))
        if ticked is None:
            return match.group()
        return f"- [{'x' if ticked else ' '}] `{match.group('id')}`"

    return CHECKBOX_RE.sub(keep, new)


def pr_title(base_title: str, proposed: Sequence[ProposalRecord]) -> str:
    count = len(proposed)
    return f"{base_title} ({count} paper{'s' if count != 1 else ''})"


def proposal_record(paper: Paper, decision: Decision, style_word: str) -> ProposalRecord:
    facts = entry_facts(paper, style_word)
    return ProposalRecord(
        arxiv_id=paper.arxiv_id,
        title=" ".join(paper.title.split()),
        section=decision.section,
        confidence=decision.confidence,
        venue=facts.venue,
        code_url=facts.code_url,
        rationale=decision.rationale,
        abstract=paper.abstract[:300],
    )
