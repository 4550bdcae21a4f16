"""Shared fixtures. The network is blocked for every test (pytest-recording's --block-network in
pyproject.toml); HTTP only ever replays the cassettes under tests/**/cassettes/."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
REAL_LIST = DATA / "lists" / "awesome-llm4rs.README.md"
REAL_LISTS = sorted((DATA / "lists").glob("*.md"))


@pytest.fixture
def real_list_text() -> str:
    with REAL_LIST.open(encoding="utf-8", newline="") as handle:
        return handle.read()


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees the developer's keys or CURATORBOT_* overrides."""
    import os

    for name in list(os.environ):
        if name.startswith("CURATORBOT_") or name in {
            "OPENAI_API_KEY",
            "OPENAI_BASE_URL",
            "GITHUB_TOKEN",
            "GH_TOKEN",
            "GITHUB_STEP_SUMMARY",
        }:
            monkeypatch.delenv(name, raising=False)
