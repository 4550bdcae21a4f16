"""arXiv identifiers: parsing and normalisation, shared by the list model and the arXiv adapter."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from typing import NamedTuple

from curatorbot.domain.errors import InvalidArxivIdError

# New-style ids (0704.0001 onwards: YYMM.NNNN, and YYMM.NNNNN since 2015) and old-style ids
# (archive or archive.SUBJECT, a slash, YYMMNNN), each with an optional version.
_NEW_STYLE = r"\d{4}\.\d{4,5}"
_OLD_STYLE = r"[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7}"
_BARE_ID_RE = re.compile(rf"^(?P<id>{_NEW_STYLE}|{_OLD_STYLE})(?:v(?P<version>\d+))?$")

# An arXiv URL in any of the forms people paste: abs, pdf or html, http or https, www or export
# mirror, a version, a trailing .pdf.
_URL_RE = re.compile(
    rf"""(?ix)
    (?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html)/
    (?P<id>{_NEW_STYLE}|{_OLD_STYLE})
    (?:v(?P<version>\d+))?
    (?:\.pdf)?
    (?=$|[/?#)\s\].,;])
    """
)

ACCEPTED_FORMS = (
    "2402.18590, 2402.18590v2, arXiv:2402.18590, cs/0112017, https://arxiv.org/abs/2402.18590 (abs, pdf or html URL)"
)


class ArxivId(NamedTuple):
    """An arXiv id without its version, plus the version when one was given."""

    id: str
    version: int | None = None

    def __str__(self) -> str:
        return self.id if self.version is None else f"{self.id}v{self.version}"


def year_of(arxiv_id: str | None) -> int | None:
    """The submission year a new-style id carries in its YYMM prefix (2401.00001: 2024); None for old-style
    ids (hep-th/9901001) and anything else."""
    if arxiv_id and len(arxiv_id) > 4 and arxiv_id[:4].isdigit() and arxiv_id[4] == ".":
        return 2000 + int(arxiv_id[:2])
    return None


def announcement_order(arxiv_id: str | None) -> tuple[int, int]:
    """A new-style id as the order arXiv gave it out (2401.00001 < 2401.10000 < 2402.00001); (0, 0) for an
    old-style id or anything else, before them all."""
    month, _, number = (arxiv_id or "").partition(".")
    return (int(month), int(number)) if month.isdigit() and number.isdigit() else (0, 0)


def month_of(arxiv_id: str) -> str:
    """YYYY-MM of a new-style id's YYMM prefix; '0000-00' for anything else (before every month)."""
    year = year_of(arxiv_id)
    return f"{year}-{arxiv_id[2:4]}" if year is not None else "0000-00"


def find_arxiv_id(text: str) -> ArxivId | None:
    """The first arXiv id in a URL or bare-id string, or None. Tolerates wrapping parentheses."""
    candidate = text.strip().strip("()<>[]").strip()
    match = _URL_RE.search(candidate)
    if match:
        return _from_match(match)
    return parse_bare_id(candidate)


def parse_bare_id(text: str) -> ArxivId | None:
    candidate = text.strip()
    if candidate.lower().startswith("arxiv:"):
        candidate = candidate[len("arxiv:") :]
    match = _BARE_ID_RE.match(candidate)
    return _from_match(match) if match else None


def is_arxiv_id(text: str | None) -> bool:
    """A bare id without a version (2402.18590, cs/0112017): what the PR body and marker may show."""
    found = parse_bare_id(text) if text and not text.lower().startswith("arxiv:") else None
    return found is not None and found.version is None


def parse_user_arxiv_id(text: str) -> ArxivId:
    """Parse an id typed by a user; raise with the accepted forms when it is not one."""
    found = find_arxiv_id(text)
    if found is None:
        raise InvalidArxivIdError(f"'{text}' is not an arXiv id; accepted forms: {ACCEPTED_FORMS}")
    return found


def _from_match(match: re.Match[str]) -> ArxivId:
    version = match.group("version")
    return ArxivId(match.group("id"), int(version) if version else None)


_PACKABLE_RE = re.compile(r"^(?P<month>\d{4})\.(?P<number>\d{4,5})$")
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def _base36(value: int) -> str:
    text = ""
    while True:
        value, digit = divmod(value, 36)
        text = _DIGITS[digit] + text
        if value == 0:
            return text


def pack_ids(ids: Iterable[str]) -> tuple[str, tuple[str, ...]]:
    """A set of ids in about three characters each, losslessly: per YYMM month the sorted numbers as base-36
    gaps ("2510:9ix.2.1a 2511:…"), so thousands of remembered rejections fit in a pull request body.
    Returns the packed text and the ids it cannot pack (old-style ids), to be kept as they are."""
    by_month: dict[str, list[int]] = {}
    others: set[str] = set()
    for arxiv_id in set(ids):
        match = _PACKABLE_RE.match(arxiv_id)
        # Only the width the month's ids are written with packs: numbers are padded back to it.
        if match and len(match.group("number")) == _width(match.group("month")):
            by_month.setdefault(match.group("month"), []).append(int(match.group("number")))
        else:
            others.add(arxiv_id)
    groups = []
    for month in sorted(by_month):
        numbers = sorted(by_month[month])
        gaps = [numbers[0], *(b - a for a, b in itertools.pairwise(numbers))]
        groups.append(f"{month}:" + ".".join(_base36(gap) for gap in gaps))
    return " ".join(groups), tuple(sorted(others))


def unpack_ids(packed: str) -> list[str]:
    """The ids `pack_ids` packed; raises ValueError on text it did not write."""
    ids = []
    for group in packed.split():
        month, _, gaps = group.partition(":")
        if not _PACKABLE_RE.match(f"{month}.{'0' * _width(month)}") or not gaps:
            raise ValueError(f"not a packed id group: {group[:40]}")
        number = 0
        for gap in gaps.split("."):
            number += int(gap, 36)
            ids.append(f"{month}.{number:0{_width(month)}d}")
    return ids


def _width(month: str) -> int:
    return 5 if month >= "1501" else 4
