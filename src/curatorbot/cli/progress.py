"""A progress bar on stderr for a terminal; plain occasional lines elsewhere (CI logs)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO


class Progress:
    def __init__(
        self,
        label: str,
        stream: TextIO | None = None,
        every_seconds: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.every_seconds = every_seconds
        self.clock = clock
        self._last: float | None = None  # never printed: the first update always shows

    def __call__(self, done: int, total: int) -> None:
        if total <= 0:
            return
        if self.tty:
            width = 30
            filled = int(width * done / total)
            self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
            if done >= total:
                self.stream.write("\n")
            self.stream.flush()
        elif done >= total or self._last is None or self.clock() - self._last >= self.every_seconds:
            self._last = self.clock()
            print(f"{self.label}: {done}/{total}", file=self.stream)
