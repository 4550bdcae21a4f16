"""The service interface's `ArxivSource` in process: one feed per announcement day (the newest shown on
`today`, as arXiv's RSS shows only its latest announcement) and an archive the API searches by submission
day. Faults: a feed cut off mid-document, a search that fails."""

from __future__ import annotations

import datetime as dt

from curatorbot.domain.errors import ArxivError
from curatorbot.domain.models import FeedSnapshot, Paper


class InProcessArxiv:
    def __init__(self, archive: list[Paper], announcements: dict[dt.date, list[str]]) -> None:
        self.archive = {p.arxiv_id: p for p in archive}
        self.announcements = announcements  # announcement day -> the ids it announced
        self.today: dt.date = min(announcements)
        self.cut_feeds = 0  # feeds still to serve cut off: only the first half of their entries
        self.failing_searches = 0
        self.searches: list[tuple[str, dt.date, dt.date]] = []

    def feed(self, category: str) -> FeedSnapshot:
        ids = self.announcements.get(self.today, [])
        papers = [self.archive[i].model_copy(update={"announce_type": "new", "announced": self.today}) for i in ids]
        complete = self.cut_feeds == 0
        if not complete:
            self.cut_feeds -= 1
            papers = papers[: len(papers) // 2]
        return FeedSnapshot(
            category=category, announced=self.today if ids else None, papers=tuple(papers), complete=complete
        )

    def search(self, query: str, first_day: dt.date, last_day: dt.date) -> list[Paper]:
        self.searches.append((query, first_day, last_day))
        if self.failing_searches:
            self.failing_searches -= 1
            raise ArxivError("arXiv answered HTTP 503; injected")
        return [p for p in self.archive.values() if p.published and first_day <= p.published <= last_day]
