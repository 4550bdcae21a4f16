"""Small state files of the nightly job."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path

from curatorbot.services.files import write_atomic


class FeedState:
    """The last announcement date a run processed, per set of categories, in a small JSON file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _key(self, categories: Sequence[str]) -> str:
        return ",".join(sorted(categories))

    def last_seen(self, categories: Sequence[str]) -> dt.date | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return dt.date.fromisoformat(data[self._key(categories)])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def record(self, categories: Sequence[str], announced: dt.date) -> None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        data[self._key(categories)] = announced.isoformat()
        write_atomic(self.path, json.dumps(data, indent=2, sort_keys=True) + "\n")
