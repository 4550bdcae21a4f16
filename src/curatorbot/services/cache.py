"""Decisions cached on disk, keyed by (arXiv id and version, prompt sha, model, backend, the config's
section set): a rerun on the same day costs no tokens, and renaming a section starts afresh instead of
replaying answers that name a section the list no longer has."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from curatorbot.domain.models import Decision, Paper
from curatorbot.services.files import write_atomic


class DecisionCache:
    def __init__(self, folder: Path, sections: Sequence[str] = (), read_only: bool = False) -> None:
        self.folder = folder
        self.sections = sorted(sections)
        self.read_only = read_only  # a dry run reads earlier decisions and writes none

    def _path(self, paper: Paper, prompt_sha: str, model: str, backend: str) -> Path:
        key = json.dumps([paper.versioned_id, prompt_sha, model, backend, self.sections])
        return self.folder / "decisions" / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.json"

    def get(self, paper: Paper, prompt_sha: str, model: str, backend: str) -> Decision | None:
        try:
            return Decision.model_validate_json(self._path(paper, prompt_sha, model, backend).read_text("utf-8"))
        except (OSError, ValidationError, ValueError):
            return None

    def put(self, paper: Paper, decision: Decision) -> None:
        if self.read_only:
            return
        path = self._path(paper, decision.prompt_sha, decision.model, decision.backend)
        write_atomic(path, decision.model_dump_json(indent=2) + "\n")
