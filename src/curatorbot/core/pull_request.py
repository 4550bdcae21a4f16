"""The pull request's words, as pure functions: proposal records, the hidden marker that is the bot's
memory, and the body a maintainer reviews (sanitised, within GitHub's 65,536-character limit)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

import jinja2
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from curatorbot.core.sanitize import plain_text

BODY_LIMIT = 65_536
MARKER_PREFIX = "<!-- curatorbot:"
_MARKER_RE = re.compile(r"<!-- curatorbot:(?P<json>\{.*?\}) -->", re.DOTALL)
_SAFE_CODE_URL_RE = re.compile(r"^https://(?:github\.com|gitlab\.com|huggingface\.co)/[\w.\-/]+$")
_ARXIV_ID_RE = re.compile(r"^[\w.\-/]+$")


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


class Marker(BaseModel):
    """The hidden machine-readable state in the PR body: what is proposed, what was rejected, and the
    commits the bot last wrote (so a maintainer's commit on the branch is noticed)."""

    model_config = ConfigDict(frozen=True)

    version: int = 1
    base_sha: str | None = None
    head_sha: str | None = None
    proposed: tuple[ProposalRecord, ...] = ()
    flagged: tuple[ProposalRecord, ...] = ()
    rejected: tuple[str, ...] = ()

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


def parse_marker(body: str | None) -> Marker | None:
    if not body:
        return None
    match = _MARKER_RE.search(body)
    if not match:
        return None
    try:
        return Marker.model_validate_json(match.group("json"))
    except ValidationError:
        return None


def render_marker(marker: Marker) -> str:
    # Escape what could end the HTML comment or open a tag: the JSON stays valid and inert.
    payload = marker.model_dump_json().replace("<", "\\u003c").replace(">", "\\u003e").replace("--", "-\\u002d")
    return f"{MARKER_PREFIX}{payload} -->"


def _row(record: ProposalRecord, detail: int) -> dict[str, object]:
    code = record.code_url if record.code_url and _SAFE_CODE_URL_RE.match(record.code_url) else None
    return {
        "arxiv_id": record.arxiv_id if _ARXIV_ID_RE.match(record.arxiv_id) else "invalid-id",
        "title": plain_text(record.title, 200),
        "section": plain_text(record.section or "(none)", 80),
        "confidence": f"{record.confidence:.2f}",
        "venue": plain_text(record.venue, 60),
        "code_url": code,
        "rationale": plain_text(record.rationale, 300 if detail >= 1 else 120),
        "abstract": plain_text(record.abstract, 400 if detail >= 2 else 0) if detail >= 2 else "",
    }


@cache
def _template() -> jinja2.Template:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("curatorbot", "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # Markdown; every value is cleaned by plain_text first
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return environment.get_template("pr_body.md.j2")


def render_body(marker: Marker, facts: RunFacts) -> str:
    """The PR body; detail shrinks (abstracts, then rationales, then the per-paper blocks) until it fits."""
    marker_text = render_marker(marker)
    for detail in (2, 1, 0):
        body = _template().render(
            proposed=[_row(p, detail) for p in marker.proposed],
            flagged=[_row(p, detail) for p in marker.flagged],
            rejected_count=len(marker.rejected),
            facts=facts,
            detail=detail,
        )
        text = f"{body.rstrip()}\n\n{marker_text}\n"
        if len(text) <= BODY_LIMIT:
            return text
    # Hundreds of papers: the table alone is too long. Keep the head of it and the whole marker.
    room = BODY_LIMIT - len(marker_text) - 200
    return f"{text[:room].rsplit(chr(10), 1)[0]}\n\n(table cut to fit GitHub's limit)\n\n{marker_text}\n"


def pr_title(base_title: str, proposed: Sequence[ProposalRecord]) -> str:
    count = len(proposed)
    return f"{base_title} ({count} paper{'s' if count != 1 else ''})"
