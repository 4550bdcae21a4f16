"""A local stand-in for arXiv, serving real papers in arXiv's real formats.

It serves the announcement feed (`/atom/<category>`, in the rss.arxiv.org Atom format of the real cs.AI
feed in shared/data/raw) and the query API (`/api/query`, in the current export.arxiv.org Atom format)
from the real cs.IR papers and listing days in tests/data/eval. Tests record their cassettes from it
(pytest --record-mode=once) and replay them offline; bench/ runs against it directly.
"""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse
from xml.sax.saxutils import escape

from fakes import arxiv_query
from fakes.serving import QuietHandler, serve_handler

EVAL = Path(__file__).parent.parent / "data" / "eval"
EASTERN = zoneinfo.ZoneInfo("America/New_York")
PORT = 8808
RESULTS_CAP = 30_000  # arXiv's API returns nothing past this index of a result list


def load_papers(path: Path = EVAL / "papers.sample.jsonl") -> dict[str, dict[str, Any]]:
    return {row["id"]: row for row in map(json.loads, path.read_text(encoding="utf-8").splitlines())}


def load_days(path: Path = EVAL / "listing_days.sample.jsonl") -> dict[str, dict[str, Any]]:
    return {row["date"]: row for row in map(json.loads, path.read_text(encoding="utf-8").splitlines())}


def _announced_at(day: dt.date) -> str:
    return dt.datetime.combine(day, dt.time(0), EASTERN).isoformat()


def feed_xml(
    category: str,
    day: dt.date | None,
    papers: Sequence[dict[str, Any]],
    fetched: dt.datetime,
    replaced: Collection[str] = (),
) -> str:
    """The feed exactly as rss.arxiv.org lays it out: a `new` entry for a paper whose primary category
    is the feed's, `cross` otherwise, `replace` for a new version of an earlier paper (`replaced`). An
    empty list of papers is a quiet day's feed."""
    updated = fetched.astimezone(dt.UTC).isoformat()
    parts = [
        "<?xml version='1.0' encoding='UTF-8'?>\n",
        '<feed xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns="http://www.w3.org/2005/Atom" xml:lang="en-us">\n',
        f"  <id>http://rss.arxiv.org/atom/{category}</id>\n",
        f"  <title>{category} updates on arXiv.org</title>\n",
        f"  <updated>{updated}</updated>\n",
        f'  <link href="http://rss.arxiv.org/atom/{category}" rel="self" type="application/atom+xml"/>\n',
        f"  <subtitle>{category} updates on the arXiv.org e-print archive.</subtitle>\n",
    ]
    for paper in papers:
        assert day is not None
        # Listing-day papers in the data set mostly lack categories: those are announced as the feed's own.
        primary = paper["primary_category"] or category
        kind = "replace" if paper["id"] in replaced else "new" if primary == category else "cross"
        categories = [primary] + [c for c in paper["categories"] if c != primary]
        if category not in categories:
            categories.append(category)
        parts += [
            "  <entry>\n",
            f"    <id>oai:arXiv.org:{paper['id']}v1</id>\n",
            f"    <title>{escape(paper['title'])}</title>\n",
            f"    <updated>{updated}</updated>\n",
            f'    <link href="https://arxiv.org/abs/{paper["id"]}" rel="alternate" type="text/html"/>\n',
            f"    <summary>arXiv:{paper['id']}v1 Announce Type: {kind} \nAbstract: {escape(paper['abstract'])}</summary>\n",
            *[f'    <category term="{c}"/>\n' for c in categories],
            f"    <published>{_announced_at(day)}</published>\n",
            f"    <arxiv:announce_type>{kind}</arxiv:announce_type>\n",
            "    <dc:rights>http://creativecommons.org/licenses/by/4.0/</dc:rights>\n",
            f"    <dc:creator>{escape(', '.join(paper['authors']))}</dc:creator>\n",
            "  </entry>\n",
        ]
    parts.append("</feed>\n")
    return "".join(parts)


def api_xml(query: str, papers: Sequence[dict[str, Any]], total: int, start: int, max_results: int) -> str:
    """A response in the current export.arxiv.org API format (see shared/data/raw, 2026 files)."""
    parts = [
        "<?xml version='1.0' encoding='UTF-8'?>\n",
        '<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
        'xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">\n',
        "  <id>https://arxiv.org/api/standin</id>\n",
        f"  <title>arXiv Query: {escape(query)}</title>\n",
        "  <updated>2026-01-01T00:00:00Z</updated>\n",
        f"  <opensearch:itemsPerPage>{max_results}</opensearch:itemsPerPage>\n",
        f"  <opensearch:totalResults>{total}</opensearch:totalResults>\n",
        f"  <opensearch:startIndex>{start}</opensearch:startIndex>\n",
    ]
    for paper in papers:
        published = f"{paper['published'] or '2025-01-01'}T12:00:00Z"
        primary = paper["primary_category"] or "cs.IR"
        categories = [primary] + [c for c in paper["categories"] if c != primary]
        parts += [
            "  <entry>\n",
            f"    <id>http://arxiv.org/abs/{paper['id']}v1</id>\n",
            f"    <title>{escape(paper['title'])}</title>\n",
            f"    <updated>{published}</updated>\n",
            f'    <link href="https://arxiv.org/abs/{paper["id"]}v1" rel="alternate" type="text/html"/>\n',
            f'    <link href="https://arxiv.org/pdf/{paper["id"]}v1" rel="related" type="application/pdf" title="pdf"/>\n',
            f"    <summary>{escape(paper['abstract'])}</summary>\n",
            *[f'    <category term="{c}" scheme="http://arxiv.org/schemas/atom"/>\n' for c in categories],
            f"    <published>{published}</published>\n",
            *([f"    <arxiv:comment>{escape(paper['comments'])}</arxiv:comment>\n"] if paper.get("comments") else []),
            f'    <arxiv:primary_category term="{primary}"/>\n',
            *[f"    <author>\n      <name>{escape(a)}</name>\n    </author>\n" for a in paper["authors"]],
            "  </entry>\n",
        ]
    parts.append("</feed>\n")
    return "".join(parts)


class ArxivStandin:
    """What the stand-in serves: one announcement day per category (None: a quiet day)."""

    def __init__(
        self,
        papers: dict[str, dict[str, Any]],
        day: dt.date | None,
        ids: Sequence[str],
        archive: list[dict[str, Any]] | None = None,
    ) -> None:
        self.papers = papers
        self.day = day
        self.ids = list(ids)
        # What search_query runs over (arxiv_query evaluates the query language); default: the papers.
        self.archive = archive if archive is not None else list(papers.values())
        self.results_cap = RESULTS_CAP
        self.requests: list[str] = []
        self.failures: list[int] = []  # statuses to answer first, one per request (429, 503…)
        self.truncated_feeds = 0  # feed answers to cut off mid-document (HTTP 200), as a dropped connection does
        self.replaced: list[str] = []  # ids among `ids` announced as a new version (announce type replace)
        # arXiv's known fault: a search page past the first answered HTTP 200 with the true total and no
        # entries. How many such answers to give, to searches that start past 0.
        self.empty_pages = 0

    def handle(self, path: str, query: dict[str, list[str]]) -> tuple[int, str, str]:
        if self.failures:
            status = self.failures.pop(0)
            return status, "text/plain", f"HTTP {status}: slow down"
        if path.startswith("/atom/"):
            category = path.removeprefix("/atom/")
            day_papers = [self.papers[i] for i in self.ids if i in self.papers]
            fetched = dt.datetime.combine(self.day or dt.date(2025, 1, 4), dt.time(5), dt.UTC)
            body = feed_xml(category, self.day, day_papers, fetched, self.replaced)
            if self.truncated_feeds:
                self.truncated_feeds -= 1
                body = body[: len(body) * 3 // 5]
            return 200, "application/atom+xml; charset=utf-8", body
        if path == "/api/query":
            start = int(query.get("start", ["0"])[0])
            max_results = int(query.get("max_results", ["10"])[0])
            if "id_list" in query:
                wanted = [i.split("v")[0] if "v" in i.split(".")[-1] else i for i in query["id_list"][0].split(",")]
                found = [self.papers[i] for i in wanted if i in self.papers]
                return 200, "application/atom+xml", api_xml("id_list", found, len(found), 0, max_results)
            search_query = query["search_query"][0]
            try:
                matching = arxiv_query.search(self.archive, search_query)
            except ValueError as error:  # arXiv answers a query it cannot parse with 400 and a message
                return 400, "text/plain", f"malformed query: {error}"
            # Like arXiv: the true total, but no entry past the cap.
            page = matching[start : min(start + max_results, self.results_cap)]
            if start > 0 and self.empty_pages:
                self.empty_pages -= 1
                page = []
            return 200, "application/atom+xml", api_xml(search_query, page, len(matching), start, max_results)
        return 404, "text/plain", "not found"


@contextmanager
def serve(standin: ArxivStandin, port: int = PORT) -> Iterator[str]:
    class Handler(QuietHandler):
        def do_GET(self) -> None:
            parsed = urlparse(self.path)
            standin.requests.append(self.path)
            status, content_type, body = standin.handle(parsed.path, parse_qs(parsed.query))
            self.send_body(status, content_type, body.encode("utf-8"))

        def do_POST(self) -> None:  # the API takes its parameters as a form too
            parsed = urlparse(self.path)
            form = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8")
            standin.requests.append(f"{self.path} POST {form}")
            status, content_type, body = standin.handle(parsed.path, parse_qs(form))
            self.send_body(status, content_type, body.encode("utf-8"))

    with serve_handler(Handler, port) as url:
        yield url


def load_archive(
    papers_path: Path = EVAL / "papers.sample.jsonl", days_path: Path = EVAL / "listing_days.sample.jsonl"
) -> list[dict[str, Any]]:
    """The papers as a searchable archive. Most rows of the listing-day files lack a submission date and
    categories; a paper announced in the listing of category C on day D is in C and was submitted before D, so
    those are filled in from the listing: the previous weekday, arXiv's usual gap between the two."""
    papers = load_papers(papers_path)
    for day, row in sorted(load_days(days_path).items()):
        submitted = dt.date.fromisoformat(day) - dt.timedelta(days=1)
        while submitted.weekday() >= 5:
            submitted -= dt.timedelta(days=1)
        category = row.get("category", "cs.IR")
        for arxiv_id in row["ids"]:
            paper = papers.get(arxiv_id)
            if paper is None:
                continue
            if not paper.get("published"):
                paper["published"] = submitted.isoformat()
            if category not in (paper.get("categories") or []):
                paper["categories"] = [*(paper.get("categories") or []), category]
    return list(papers.values())


def listed_archive(list_text: str) -> dict[str, dict[str, Any]]:
    """The real list's arXiv ids as the stand-in serves them for `curatorbot maintain`.

    Provenance: the 87 listed papers the dev data holds (tests/data/eval/papers.listed.jsonl) keep their
    real titles, authors and abstracts; the others get their title as the list writes it. None of the
    listed papers has its arXiv comment in the dev data, so, as issue 13 asks, each listed id in id order
    is served the real comment of the dev paper at the same position in id order
    (tests/data/eval/comments.dev.jsonl: 326 real arXiv comments, 2025 papers). The venues that come out
    are the parser's reading of real phrasing, not facts about these papers.
    """
    from curatorbot.domain.awesome_list import AwesomeList

    awesome = AwesomeList.parse(list_text)
    known = load_papers(EVAL / "papers.listed.jsonl")
    comments = [
        row["comments"] for row in map(json.loads, (EVAL / "comments.dev.jsonl").read_text("utf-8").splitlines())
    ]
    titles = {e.arxiv_id: e.title for e in awesome.entries if e.arxiv_id}
    served = {}
    for position, arxiv_id in enumerate(sorted(awesome.arxiv_ids)):
        row = dict(
            known.get(arxiv_id)
            or {
                "id": arxiv_id,
                "title": titles.get(arxiv_id, f"Paper {arxiv_id}"),
                "abstract": "",
                "authors": [],
                "categories": [],
                "primary_category": "cs.IR",
                "published": None,
            }
        )
        row["comments"] = comments[position % len(comments)]
        served[arxiv_id] = row
    return served
