"""The learned model's folder (`learn.model_dir`): its files read whole and written atomically."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from curatorbot.services.files import write_atomic_bytes

MODEL_FILES = ("relevance.npz", "sections.npz", "card.json")


class ModelFolder:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def read(self) -> dict[str, bytes]:
        return {name: path.read_bytes() for name in MODEL_FILES if (path := self.folder / name).is_file()}

    def write(self, files: Mapping[str, bytes]) -> None:
        """The card last: a folder whose card is new holds the new weights."""
        for name in sorted(files, key=lambda n: n == "card.json"):
            write_atomic_bytes(self.folder / name, files[name])
        for name in MODEL_FILES:
            if name not in files:
                (self.folder / name).unlink(missing_ok=True)
