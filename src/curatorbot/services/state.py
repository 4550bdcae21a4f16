"""The nightly job's own state file: per set of categories, the last announcement a run processed and
the work it carries to the next run (deferred papers, flags that reached no pull request); and the listed
papers a nightly run saw a new version of, for the next `curatorbot maintain` to check."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from curatorbot.domain.models import Paper
from curatorbot.domain.pull_request import ProposalRecord
from curatorbot.services.files import write_atomic
from curatorbot.services.interface import CarriedWork


class FeedState:
    def __init__(self, path: Path) -> None:
        self.path = path

    def _key(self, categories: Sequence[str]) -> str:
        return ",".join(sorted(categories))

    def _read(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _write(self, data: dict[str, Any]) -> None:
        write_atomic(self.path, json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n")

    def _entry(self, data: dict[str, Any], categories: Sequence[str]) -> dict[str, Any]:
        value = data.get(self._key(categories))
        if isinstance(value, str):  # the first format: the date alone
            return {"last_seen": value}
        return value if isinstance(value, dict) else {}

    def _update(self, categories: Sequence[str], **changes: Any) -> None:
        data = self._read()
        entry = self._entry(data, categories)
        entry.update(changes)
        data[self._key(categories)] = entry
        self._write(data)

    def last_seen(self, categories: Sequence[str]) -> dt.date | None:
        try:
            return dt.date.fromisoformat(self._entry(self._read(), categories)["last_seen"])
        except (KeyError, TypeError, ValueError):
            return None

    def record(self, categories: Sequence[str], announced: dt.date) -> None:
        self._update(categories, last_seen=announced.isoformat())

    def carried(self, categories: Sequence[str]) -> CarriedWork:
        entry = self._entry(self._read(), categories)
        try:
            return CarriedWork(
                deferred=tuple(Paper.model_validate(p) for p in entry.get("deferred", [])),
                flagged=tuple(ProposalRecord.model_validate(f) for f in entry.get("flagged", [])),
            )
        except ValidationError:
            return CarriedWork()  # a hand-edited or older file: start clean rather than fail the night

    def carry(self, categories: Sequence[str], work: CarriedWork) -> None:
        self._update(
            categories,
            deferred=[p.model_dump(mode="json") for p in work.deferred],
            flagged=[f.model_dump(mode="json") for f in work.flagged],
        )

    # ---- new versions of listed papers, noted for the next maintenance run ----------------------

    NOTED = "noted_new_versions"

    def note_new_versions(self, versions: dict[str, str]) -> None:
        """Listed papers announced again as a new version (id -> the announcement day)."""
        data = self._read()
        noted = data.get(self.NOTED)
        data[self.NOTED] = {**(noted if isinstance(noted, dict) else {}), **versions}
        self._write(data)

    def noted_new_versions(self) -> list[str]:
        noted = self._read().get(self.NOTED)
        return sorted(noted) if isinstance(noted, dict) else []

    def clear_noted(self, arxiv_ids: Sequence[str]) -> None:
        data = self._read()
        noted = data.get(self.NOTED)
        if isinstance(noted, dict):
            data[self.NOTED] = {k: v for k, v in noted.items() if k not in set(arxiv_ids)}
            self._write(data)
