"""arXiv records on disk for `curatorbot learn` (the PaperRecords of services.interface): each listed paper
and each searched month is asked of arXiv once. Plain JSON lines, one Paper each."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from curatorbot.domain.models import Paper
from curatorbot.services.files import write_atomic


class PaperStore:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _read(self, path: Path) -> list[Paper] | None:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
            return [Paper.model_validate_json(line) for line in lines if line.strip()]
        except (OSError, ValidationError, ValueError):
            return None  # missing or damaged: asked of arXiv again

    def records(self, ids: Sequence[str]) -> dict[str, Paper]:
        wanted = set(ids)
        return {p.arxiv_id: p for p in self._read(self.folder / "records.jsonl") or [] if p.arxiv_id in wanted}

    def put_records(self, papers: Sequence[Paper]) -> None:
        known = {p.arxiv_id: p for p in self._read(self.folder / "records.jsonl") or []}
        known.update({p.arxiv_id: p for p in papers})
        lines = [known[i].model_dump_json() for i in sorted(known)]
        write_atomic(self.folder / "records.jsonl", "".join(line + "\n" for line in lines))

    def _month_path(self, query: str, month: str) -> Path:
        key = hashlib.sha256(query.encode()).hexdigest()[:12]
        return self.folder / "months" / f"{month}-{key}.jsonl"

    def month(self, query: str, month: str) -> list[Paper] | None:
        return self._read(self._month_path(query, month))

    def put_month(self, query: str, month: str, papers: Sequence[Paper]) -> None:
        write_atomic(self._month_path(query, month), "".join(p.model_dump_json() + "\n" for p in papers))
