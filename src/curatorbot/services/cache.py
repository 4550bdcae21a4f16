"""Decisions cached on disk, keyed by (arXiv id and version, prompt sha, model, backend): a rerun on the
same day costs no tokens."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pydantic import ValidationError

from curatorbot.core.models import Decision, Paper
from curatorbot.services.files import write_atomic


class DecisionCache:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, paper: Paper, prompt_sha: str, model: str, backend: str) -> Path:
        key = json.dumps([paper.versioned_id, prompt_sha, model, backend])
        return self.folder / "decisions" / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.json"

    def get(self, paper: Paper, prompt_sha: str, model: str, backend: str) -> Decision | None:
        try:
            return Decision.model_validate_json(self._path(paper, prompt_sha, model, backend).read_text("utf-8"))
        except (OSError, ValidationError, ValueError):
            return None

    def put(self, paper: Paper, decision: Decision) -> None:
        path = self._path(paper, decision.prompt_sha, decision.model, decision.backend)
        write_atomic(path, decision.model_dump_json(indent=2) + "\n")
