"""Shared fixtures. The network is blocked for every test (pytest-recording's --block-network in
pyproject.toml); HTTP only ever replays the cassettes under tests/**/cassettes/."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import cassettes
from curatorbot.config import Settings, load_settings
from fakes import github_fake, openai_stub
from fakes.arxiv_standin import PORT, ArxivStandin, load_archive, load_papers, serve

LLAMA_URL = "http://127.0.0.1:8765/v1"  # a local llama.cpp server (CONTRIBUTING.md, "Recording"), while recording

DATA = Path(__file__).parent / "data"
TEST_CONFIG = DATA / "config.yaml"  # pinned: no test reads the product's own config.yaml
REAL_LIST = DATA / "lists" / "awesome-llm4rs.README.md"
REAL_LISTS = sorted((DATA / "lists").glob("*.md"))


@pytest.fixture
def real_list_text() -> str:
    with REAL_LIST.open(encoding="utf-8", newline="") as handle:
        return handle.read()


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No test sees the developer's keys, CURATORBOT_* overrides or a model learned in the working directory."""
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
    # Commands run without --config read CURATORBOT_CONFIG: the pinned file, whatever the working directory.
    monkeypatch.setenv("CURATORBOT_CONFIG", str(TEST_CONFIG))
    learn = tmp_path_factory.mktemp("learn")
    monkeypatch.setenv("CURATORBOT_LEARN__MODEL_DIR", str(learn / "model"))
    monkeypatch.setenv("CURATORBOT_LEARN__CACHE_DIR", str(learn / "records"))


def pytest_recording_configure(config: pytest.Config, vcr: Any) -> None:
    vcr.register_serializer("yaml", cassettes)
    vcr.register_matcher("llm_batch", cassettes.same_llm_batch)


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    return {
        "filter_headers": [(name, None) for name in cassettes.SCRUBBED_HEADERS],
        "filter_query_parameters": ["api_key", "key", "access_token"],
        "decode_compressed_response": True,
    }


def recording(request: pytest.FixtureRequest) -> bool:
    """True when pytest runs with --record-mode other than none: tests then start their stand-ins."""
    return request.config.getoption("--record-mode") not in (None, "none")


STANDIN_URL = f"http://127.0.0.1:{PORT}"


@pytest.fixture
def arxiv_standin(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Start the arXiv stand-in (only while recording) and point curatorbot's arXiv URLs at it."""

    def start(
        day: Any, ids: Any, failures: Any = (), truncated_feeds: int = 0, archive: Any = None, papers: Any = None
    ) -> ArxivStandin:
        standin = ArxivStandin(
            papers if papers is not None else load_papers(),
            day,
            ids,
            archive=archive if archive is not None else load_archive(),
        )
        standin.failures = list(failures)
        standin.truncated_feeds = truncated_feeds
        if recording(request):
            server = serve(standin)
            server.__enter__()
            request.addfinalizer(lambda: server.__exit__(None, None, None))
        monkeypatch.setenv("CURATORBOT_ARXIV__FEED_URL", f"{STANDIN_URL}/atom")
        monkeypatch.setenv("CURATORBOT_ARXIV__API_URL", f"{STANDIN_URL}/api/query")
        monkeypatch.setenv("CURATORBOT_ARXIV__MIN_INTERVAL_SECONDS", "0")
        return standin

    return start


@pytest.fixture
def openai_stub_url(request: pytest.FixtureRequest) -> Any:
    """Serve a scripted OpenAI-compatible stub while recording; return its base URL either way."""

    def start(*script: Any, default: Any = openai_stub.answer_all) -> str:
        stub = openai_stub.OpenAIStub(script=list(script), default=default)
        if recording(request):
            server = openai_stub.serve(stub)
            server.__enter__()
            request.addfinalizer(lambda: server.__exit__(None, None, None))
        return f"http://127.0.0.1:{openai_stub.PORT}/v1"

    return start


@pytest.fixture
def fake() -> Iterator[github_fake.GitHubFake]:
    """The real list in the stateful GitHub fake, served on 127.0.0.1 for the adapter under test (modules
    that drive commands override it with github_list_for_cli)."""
    repo = github_fake.GitHubFake(
        "nancheng58", "Awesome-LLM4RS-Papers", {"README.md": REAL_LIST.read_text(encoding="utf-8")}
    )
    with github_fake.serve(repo):
        yield repo


@pytest.fixture
def settings(fake: github_fake.GitHubFake) -> Settings:
    """The pinned test config, pointed at the GitHub fake."""
    base = load_settings(TEST_CONFIG)
    return base.model_copy(update={"github": base.github.model_copy(update={"base_url": fake.api})})


@pytest.fixture
def github_list_for_cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[github_fake.GitHubFake]:
    """The real list in the GitHub fake with the environment a command needs. Served on "localhost", which
    the cassettes ignore: GitHub traffic reaches the live fake while arXiv and the LLM replay."""
    repo = github_fake.GitHubFake(
        "nancheng58", "Awesome-LLM4RS-Papers", {"README.md": REAL_LIST.read_text(encoding="utf-8")}
    )
    for name, value in {
        "GITHUB_TOKEN": "test-token",
        "CURATORBOT_GITHUB__SECONDS_BETWEEN_WRITES": "0",
        "CURATORBOT_GITHUB__SECONDS_BETWEEN_REQUESTS": "0",
        "CURATORBOT_ARXIV__STATE_FILE": str(tmp_path / "feed-state.json"),
        "CURATORBOT_LLM__CACHE_DIR": str(tmp_path / "cache"),
    }.items():
        monkeypatch.setenv(name, value)
    with github_fake.serve(repo, host="localhost") as url:
        monkeypatch.setenv("CURATORBOT_GITHUB__BASE_URL", url)
        yield repo
