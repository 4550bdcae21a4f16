"""The one codec for the hidden marker every bot pull request carries at the end of its body: its memory.

A marker is an HTML comment holding one JSON object, `<!-- curatorbot:{"kind": ..., "version": ...} -->`.
`kind` says which job wrote it ("proposals" for the nightly and catch-up pull requests, "maintenance"),
so one job never reads another's memory. Markers written before the kinds existed are read too: a
`<!-- curatorbot:{...} -->` without a kind is a proposals marker, and `<!-- curatorbot-maintenance:{...} -->`
is a maintenance marker, so an open pull request keeps its memory across an upgrade.
"""

from __future__ import annotations

import json
import re
from typing import Any

MARKER_PREFIX = "<!-- curatorbot:"
_MARKER_RE = re.compile(r"<!-- curatorbot(?P<legacy>-maintenance)?:(?P<json>\{.*?\}) -->", re.DOTALL)
_OLD_KIND = "proposals"  # what a marker without a kind holds


def encode_marker(kind: str, payload: dict[str, Any]) -> str:
    """The marker for a payload; compact JSON whose text cannot end the comment or open a tag."""
    text = json.dumps({"kind": kind, **payload}, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("--", "-\\u002d")
    return f"{MARKER_PREFIX}{text} -->"


def decode_marker(body: str | None, kind: str) -> dict[str, Any] | None:
    """The payload of the first marker of this kind in a body, or None (no marker, another job's, or one
    edited beyond reading: treated as no memory rather than failing the run)."""
    for match in _MARKER_RE.finditer(body or ""):
        try:
            data = json.loads(match.group("json"))
        except ValueError:
            continue
        if not isinstance(data, dict):
            continue
        found = "maintenance" if match.group("legacy") else data.get("kind", _OLD_KIND)
        if found == kind:
            return data
    return None
