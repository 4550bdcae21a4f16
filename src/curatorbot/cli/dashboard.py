"""The dashboard's adapters for the commands: deferred papers read again by id, and the Actions run's URL."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

from curatorbot.config import Settings
from curatorbot.domain.arxiv_id import ArxivId
from curatorbot.domain.models import Paper


@dataclass(frozen=True)
class LookupById:
    """Deferred papers kept by id on the dashboard, read again from arXiv's API (50 ids a request)."""

    settings: Settings

    def __call__(self, ids: Sequence[str]) -> list[Paper]:
        from curatorbot.services.arxiv import ArxivClient

        with ArxivClient(self.settings.arxiv) as arxiv:
            found = arxiv.lookup([ArxivId(i) for i in ids]).papers
        return [p.model_copy(update={"announce_type": "new"}) for p in found]


def actions_run_url() -> str:
    names = ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID")
    server, repository, run_id = (os.environ.get(name, "") for name in names)
    return f"{server}/{repository}/actions/runs/{run_id}" if server and repository and run_id else ""
