"""Pure parsers for arXiv's two Atom formats: the daily announcement feed and the query API.

Both accept the 2016 and current API formats and the rss.arxiv.org Atom feed. A feed cut off
mid-document still yields its complete entries, with a warning.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from typing import NamedTuple, cast

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from curatorbot.domain.arxiv_id import find_arxiv_id
from curatorbot.domain.errors import ArxivError
from curatorbot.domain.models import AnnounceType, FeedSnapshot, Paper

NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "arxiv": "http://arxiv.org/schemas/atom",
    "dc": "http://purl.org/dc/elements/1.1/",
    "opensearch": "http://a9.com/-/spec/opensearch/1.1/",
}
_ENTRY_BLOCK_RE = re.compile(r"<entry[\s>].*?</entry>", re.DOTALL)
_FEED_OPEN_RE = re.compile(r"<feed\b[^>]*>", re.DOTALL)
_FEED_SUMMARY_RE = re.compile(r"^arXiv:\S+\s+Announce Type:\s*\S+\s*(?:Abstract:\s*)?", re.DOTALL)
_WITHDRAWN_RE = re.compile(r"\bwithdrawn\b|\bwithdraw(?:n|s)? (?:this|the) (?:paper|submission)", re.IGNORECASE)
_ANNOUNCE_TYPES = {"new", "cross", "replace", "replace-cross"}


class ApiPage(NamedTuple):
    total_results: int
    start_index: int
    papers: tuple[Paper, ...]


def _text(element: ET.Element | None) -> str | None:
    if element is None or element.text is None:
        return None
    collapsed = " ".join(element.text.split())
    return collapsed or None


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00")).date()
    except ValueError:
        return None


def _parse_root(text: str, what: str) -> tuple[ET.Element | None, str | None]:
    """The parsed root, or None plus the parser's complaint when the document is not well-formed."""
    try:
        return SafeET.fromstring(text), None
    except ET.ParseError as error:
        return None, f"{what} is not well-formed XML ({error})"
    except DefusedXmlException as error:  # entity expansion, external entities, DTDs: never parsed
        raise ArxivError(
            f"{what} was refused: it declares XML entities or a DTD ({type(error).__name__}), which arXiv never "
            "sends; check the URL in config"
        ) from None


def _is_withdrawn(comments: str | None, abstract: str) -> bool:
    return bool(comments and _WITHDRAWN_RE.search(comments)) or abstract.lower().startswith(
        "this paper has been withdrawn"
    )


# ---- announcement feed (rss.arxiv.org/atom/<category>) ----------------------------------------


def parse_feed(text: str, category: str, source: str = "") -> FeedSnapshot:
    """One category's announcement. A document that is not an Atom feed (an HTML error page, the old RSS
    format, a wrong URL) is an error naming `source`: read as an empty feed it would pass for a quiet day."""
    where = f" at {source}" if source else ""
    not_atom = ArxivError(f"the {category} feed{where} is not an Atom feed; check arxiv.feed_url")
    root, problem = _parse_root(text, f"the {category} feed")
    warnings: list[str] = []
    if root is not None:
        if root.tag != f"{{{NS['atom']}}}feed":
            raise not_atom
        entries = root.findall("atom:entry", NS)
    else:
        entries = _salvage_entries(text)
        warnings.append(f"{problem}; kept its {len(entries)} complete entries")
        if not entries and "<feed" not in text:
            raise not_atom
    papers = [_feed_entry(entry) for entry in entries]
    announced = max((p.announced for p in papers if p.announced), default=None)
    if announced is None and root is not None:
        announced = _date(_text(root.find("atom:updated", NS)))
    return FeedSnapshot(
        category=category,
        announced=announced,
        papers=tuple(papers),
        warnings=tuple(warnings),
        complete=root is not None,
    )


def _salvage_entries(text: str) -> list[ET.Element]:
    """Complete <entry> blocks of a truncated feed, each parsed with the feed's namespace declarations."""
    opening = _FEED_OPEN_RE.search(text)
    declarations = opening.group(0) if opening else f'<feed xmlns="{NS["atom"]}">'
    entries = []
    for block in _ENTRY_BLOCK_RE.findall(text):
        try:
            wrapper = SafeET.fromstring(f"{declarations}{block}</feed>")
        except ET.ParseError:
            continue
        entries.extend(wrapper.findall("atom:entry", NS))
    return entries


def _feed_entry(entry: ET.Element) -> Paper:
    raw_id = _text(entry.find("atom:id", NS)) or ""
    found = find_arxiv_id(raw_id.removeprefix("oai:arXiv.org:"))
    if found is None:
        raise ArxivError(f"feed entry id '{raw_id}' is not an arXiv id")
    summary_element = entry.find("atom:summary", NS)
    summary = (summary_element.text or "") if summary_element is not None else ""
    abstract = " ".join(_FEED_SUMMARY_RE.sub("", summary.strip()).split())
    creators = _text(entry.find("dc:creator", NS)) or ""
    authors = tuple(a.strip() for a in re.split(r",\s*|\s+and\s+", creators) if a.strip())
    categories = tuple(c.get("term", "") for c in entry.findall("atom:category", NS) if c.get("term"))
    announce = (_text(entry.find("arxiv:announce_type", NS)) or "new").lower()
    published = _date(_text(entry.find("atom:published", NS)))
    return Paper(
        arxiv_id=found.id,
        version=found.version,
        title=_text(entry.find("atom:title", NS)) or "",
        authors=authors,
        abstract=abstract,
        primary_category=categories[0] if categories else None,
        categories=categories,
        published=published,
        withdrawn=_is_withdrawn(None, abstract),
        announce_type=cast(AnnounceType, announce) if announce in _ANNOUNCE_TYPES else "new",
        announced=published,
    )


# ---- query API (export.arxiv.org/api/query) ---------------------------------------------------


def parse_api(text: str) -> ApiPage:
    root, problem = _parse_root(text, "the arXiv API response")
    if root is None:
        raise ArxivError(f"{problem}; the API or a proxy returned something else, retry later")
    entries = root.findall("atom:entry", NS)
    # The API reports a bad query as a single entry whose id points at its errors page.
    for entry in entries:
        entry_id = _text(entry.find("atom:id", NS)) or ""
        if "/api/errors" in entry_id:
            raise ArxivError(f"the arXiv API refused the query: {_text(entry.find('atom:summary', NS))}")
    total = _int(_text(root.find("opensearch:totalResults", NS)), default=len(entries))
    start = _int(_text(root.find("opensearch:startIndex", NS)), default=0)
    return ApiPage(total_results=total, start_index=start, papers=tuple(_api_entry(e) for e in entries))


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _api_entry(entry: ET.Element) -> Paper:
    raw_id = _text(entry.find("atom:id", NS)) or ""
    found = find_arxiv_id(raw_id)
    if found is None:
        raise ArxivError(f"API entry id '{raw_id}' is not an arXiv id")
    abstract = _text(entry.find("atom:summary", NS)) or ""
    comments = _text(entry.find("arxiv:comment", NS))
    categories = tuple(c.get("term", "") for c in entry.findall("atom:category", NS) if c.get("term"))
    primary = entry.find("arxiv:primary_category", NS)
    return Paper(
        arxiv_id=found.id,
        version=found.version,
        title=_text(entry.find("atom:title", NS)) or "",
        authors=tuple(
            name for a in entry.findall("atom:author", NS) if (name := _text(a.find("atom:name", NS))) is not None
        ),
        abstract=abstract,
        primary_category=primary.get("term") if primary is not None else (categories[0] if categories else None),
        categories=categories,
        comments=comments,
        journal_ref=_text(entry.find("arxiv:journal_ref", NS)),
        doi=_text(entry.find("arxiv:doi", NS)),
        published=_date(_text(entry.find("atom:published", NS))),
        updated=_date(_text(entry.find("atom:updated", NS))),
        withdrawn=_is_withdrawn(comments, abstract),
    )
