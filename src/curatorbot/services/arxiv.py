"""The arXiv adapter: announcement feeds, metadata by id, and search over a date range.

Converts arXiv's Atom into our models at once and raises only our own errors. One request every
`arxiv.min_interval_seconds` (arXiv asks for 3 s), a descriptive User-Agent, retries within a budget.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import NamedTuple

from curatorbot.config import ArxivSettings
from curatorbot.domain.arxiv_id import ArxivId
from curatorbot.domain.arxiv_query import date_range
from curatorbot.domain.errors import ArxivError, ArxivNotFoundError
from curatorbot.domain.models import FeedSnapshot, Paper
from curatorbot.services.arxiv_atom import parse_api, parse_feed
from curatorbot.services.http import PoliteClient, polite_client

SEARCH_PAGE_SIZE = 200
EMPTY_PAGE_RETRIES = 3
SEARCH_RESULTS_CAP = 30_000  # arXiv's API returns no result past this index


class PaperLookup(NamedTuple):
    papers: tuple[Paper, ...]
    missing: tuple[str, ...]

    def raise_for_missing(self) -> None:
        if self.missing:
            raise ArxivNotFoundError(
                f"arXiv has no paper {', '.join(self.missing)}; check the id (a typo, or not announced yet)"
            )


class ArxivClient:
    def __init__(self, settings: ArxivSettings, http: PoliteClient | None = None) -> None:
        self.settings = settings
        self.http = http or polite_client(
            "arXiv", ArxivError, settings, {"User-Agent": settings.user_agent}, settings.min_interval_seconds
        )

    def close(self) -> None:
        self.http.client.close()

    def __enter__(self) -> ArxivClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- announcements -------------------------------------------------------------------------

    def feed(self, category: str) -> FeedSnapshot:
        url = f"{self.settings.feed_url.rstrip('/')}/{category}"
        snapshot = parse_feed(self.http.get(url).text, category, source=url)
        if not snapshot.complete:
            # A body cut off in transit: one more read (at arXiv's pace) usually brings it whole. If not, the
            # complete entries are kept and the day is not recorded as processed (core.nightly).
            again = parse_feed(self.http.get(url).text, category, source=url)
            snapshot = again if again.complete or len(again.papers) > len(snapshot.papers) else snapshot
        return snapshot

    # ---- metadata by id ------------------------------------------------------------------------

    def lookup(self, ids: Sequence[ArxivId]) -> PaperLookup:
        """Metadata for each id, in the order asked, batched `arxiv.batch_size` ids per request."""
        found: dict[str, Paper] = {}
        wanted = list(dict.fromkeys(ids))
        for start in range(0, len(wanted), self.settings.batch_size):
            batch = wanted[start : start + self.settings.batch_size]
            response = self.http.get(
                self.settings.api_url,
                params={"id_list": ",".join(str(i) for i in batch), "max_results": len(batch)},
            )
            for paper in parse_api(response.text).papers:
                found[paper.arxiv_id] = paper
        papers = tuple(found[i.id] for i in wanted if i.id in found)
        missing = tuple(str(i) for i in wanted if i.id not in found)
        return PaperLookup(papers=papers, missing=missing)

    # ---- search ----------------------------------------------------------------------------------

    def search(self, query: str, first_day: dt.date, last_day: dt.date, page_size: int | None = None) -> list[Paper]:
        """Papers matching `query` submitted in [first_day, last_day] (GMT), all pages, oldest first.

        arXiv returns at most SEARCH_RESULTS_CAP results per query: a range past it is split in halves
        (each searched on its own) until every part fits, so nothing past the cap is silently lost."""
        if last_day < first_day:
            raise ArxivError(f"the search range ends ({last_day}) before it starts ({first_day})")
        dated = f"({query}) AND {date_range(first_day, last_day)}"
        papers: list[Paper] = []
        start = empty_pages = 0
        while True:
            form: dict[str, str | int] = {
                "search_query": dated,
                "start": start,
                "max_results": page_size or SEARCH_PAGE_SIZE,
                "sortBy": "submittedDate",
                "sortOrder": "ascending",
            }
            try:
                # POST: a catch-up query runs to kilobytes, past what a URL reliably carries; the API
                # manual offers POST for exactly that.
                page = parse_api(self.http.post_form(self.settings.api_url, form).text)
            except ArxivError as error:
                if "HTTP 400" in str(error):
                    raise ArxivError(
                        f"arXiv could not read the search query {query[:80]!r}…; check catch_up.query (or the "
                        "catch_up term lists) against the API's query syntax"
                    ) from error
                raise
            if page.total_results > SEARCH_RESULTS_CAP:
                if first_day == last_day:
                    raise ArxivError(
                        f"arXiv finds {page.total_results} papers for one day ({first_day}), past its cap of "
                        f"{SEARCH_RESULTS_CAP}; narrow catch_up.query or the categories"
                    )
                middle = first_day + (last_day - first_day) // 2
                return self.search(query, first_day, middle, page_size) + self.search(
                    query, middle + dt.timedelta(days=1), last_day, page_size
                )
            if not page.papers and start < min(page.total_results, SEARCH_RESULTS_CAP):
                # arXiv's known fault: HTTP 200, the true total, no entries. Asked again (politely spaced) a
                # few times; a window whose count is short is never taken as searched.
                empty_pages += 1
                if empty_pages > EMPTY_PAGE_RETRIES:
                    raise ArxivError(
                        f"arXiv answered {empty_pages} empty pages at result {start} of {page.total_results} for "
                        f"{first_day}..{last_day}; nothing is marked searched, rerun later"
                    )
                continue
            papers.extend(page.papers)
            start += len(page.papers)
            if not page.papers or start >= page.total_results:
                return papers
