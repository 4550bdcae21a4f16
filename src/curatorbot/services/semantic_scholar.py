"""The Semantic Scholar adapter: where papers were published, for papers whose arXiv record names no venue.

One batch request per 500 ids (`POST /graph/v1/paper/batch`, ids `ARXIV:<id>`, fields
`venue,publicationVenue,year,externalIds`), the answer converted at once into `ExternalVenue` values.
The API key, if any, comes from `SEMANTIC_SCHOLAR_API_KEY` and goes in the `x-api-key` header. Requests
are spaced by `maintenance.semantic_scholar_interval_seconds` (one a second with a key, as the API's terms
ask) and 429 and 5xx are retried with backoff by the one retry policy.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from curatorbot.config import ArxivSettings, MaintenanceSettings
from curatorbot.domain.enrich import ExternalVenue
from curatorbot.domain.errors import SemanticScholarError
from curatorbot.services.http import PoliteClient, polite_client

BATCH_LIMIT = 500  # the batch endpoint's documented maximum of ids per request
FIELDS = "venue,publicationVenue,year,externalIds"


class SemanticScholarClient:
    def __init__(
        self,
        settings: MaintenanceSettings,
        arxiv: ArxivSettings,
        api_key: str | None = None,
        http: PoliteClient | None = None,
    ) -> None:
        self.url = settings.semantic_scholar_url.rstrip("/") + "/paper/batch"
        headers = {"User-Agent": arxiv.user_agent}
        if api_key:
            headers["x-api-key"] = api_key
        self.http = http or polite_client(
            "Semantic Scholar", SemanticScholarError, arxiv, headers, settings.semantic_scholar_interval_seconds
        )

    def close(self) -> None:
        self.http.client.close()

    def venues(self, arxiv_ids: Sequence[str]) -> dict[str, ExternalVenue]:
        """The venue Semantic Scholar gives each paper it knows; unknown ids are simply absent."""
        found: dict[str, ExternalVenue] = {}
        wanted = list(dict.fromkeys(arxiv_ids))
        for start in range(0, len(wanted), BATCH_LIMIT):
            batch = wanted[start : start + BATCH_LIMIT]
            response = self.http.post_json(self.url, {"fields": FIELDS}, {"ids": [f"ARXIV:{i}" for i in batch]})
            try:
                records = response.json()
            except ValueError:
                raise SemanticScholarError(
                    f"Semantic Scholar answered {self.url} with something other than JSON; check "
                    "maintenance.semantic_scholar_url"
                ) from None
            if not isinstance(records, list) or len(records) != len(batch):
                raise SemanticScholarError(
                    f"Semantic Scholar's batch answer does not match the {len(batch)} ids asked; check "
                    "maintenance.semantic_scholar_url"
                )
            # The answer lists one record per id asked, in order: null for an id it does not know.
            for arxiv_id, record in zip(batch, records, strict=True):
                venue = _venue_of(arxiv_id, record)
                if venue is not None:
                    found[arxiv_id] = venue
        return found


def _venue_of(arxiv_id: str, record: Any) -> ExternalVenue | None:
    if not isinstance(record, dict):
        return None
    name = record.get("venue") or ""
    publication = record.get("publicationVenue") or {}
    if not isinstance(publication, dict):
        publication = {}
    alternates = tuple(n for n in publication.get("alternate_names") or () if isinstance(n, str))
    name = name or publication.get("name") or ""
    year = record.get("year")
    if not isinstance(name, str) or not name.strip() or not isinstance(year, int):
        return None
    return ExternalVenue(arxiv_id=arxiv_id, venue=name.strip(), alternate_names=alternates, year=year)
