"""The Semantic Scholar adapter, replayed from recordings of a stand-in that serves the official API
documentation's example record (tests/fakes/semantic_scholar_standin.py)."""

from typing import Any

import pytest

from conftest import TEST_CONFIG, recording
from curatorbot.config import load_settings
from curatorbot.domain.enrich import ExternalVenue
from curatorbot.domain.errors import SemanticScholarError
from curatorbot.domain.maintenance import venue_evidence
from curatorbot.domain.models import Paper
from curatorbot.services.semantic_scholar import SemanticScholarClient
from fakes import semantic_scholar_standin
from fakes.semantic_scholar_standin import DOCUMENTED_RECORD, SemanticScholarStandin

pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
KNOWN, UNKNOWN = "2004.10706", "2599.99999"


@pytest.fixture
def standin(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> SemanticScholarStandin:
    served = SemanticScholarStandin({KNOWN: DOCUMENTED_RECORD})
    if recording(request):
        server = semantic_scholar_standin.serve(served)
        server.__enter__()
        request.addfinalizer(lambda: server.__exit__(None, None, None))
    url = f"http://127.0.0.1:{semantic_scholar_standin.PORT}/graph/v1"
    monkeypatch.setenv("CURATORBOT_MAINTENANCE__SEMANTIC_SCHOLAR_URL", url)
    monkeypatch.setenv("CURATORBOT_MAINTENANCE__SEMANTIC_SCHOLAR_INTERVAL_SECONDS", "0")
    return served


def client(api_key: str | None = None) -> SemanticScholarClient:
    settings = load_settings(TEST_CONFIG)
    scholar = SemanticScholarClient(settings.maintenance, settings.arxiv, api_key)
    scholar.http.sleep = lambda seconds: None  # retries are asserted by count, never waited for
    return scholar


@pytest.mark.vcr
def test_one_batch_request_gives_the_venue_of_each_known_paper(
    standin: SemanticScholarStandin, monkeypatch: pytest.MonkeyPatch
) -> None:
    scholar = client(api_key="s2-test-key-123456")
    sent: list[tuple[Any, ...]] = []
    post_json = scholar.http.post_json
    monkeypatch.setattr(scholar.http, "post_json", lambda *args: sent.append(args) or post_json(*args))
    venues = scholar.venues([KNOWN, UNKNOWN])
    assert venues == {
        KNOWN: ExternalVenue(
            arxiv_id=KNOWN,
            venue="Annual Meeting of the Association for Computational Linguistics",
            alternate_names=tuple(DOCUMENTED_RECORD["publicationVenue"]["alternate_names"]),
            year=2020,
        )
    }
    [(url, params, body)] = sent  # one request for both ids
    assert url.endswith("/graph/v1/paper/batch") and params == {"fields": "venue,publicationVenue,year,externalIds"}
    assert body == {"ids": [f"ARXIV:{KNOWN}", f"ARXIV:{UNKNOWN}"]}
    assert scholar.http.client.headers["x-api-key"] == "s2-test-key-123456"
    # The core reads the documented record as ACL 2020, with the source's words as evidence.
    found = venue_evidence(Paper(arxiv_id=KNOWN, title="t"), venues[KNOWN])
    assert found is not None and str(found[0]) == "ACL 2020"
    assert found[1] == "Semantic Scholar: venue 'Annual Meeting of the Association for Computational Linguistics', 2020"


def test_the_api_key_never_reaches_a_recording() -> None:
    from pathlib import Path

    cassette = Path(__file__).parent / "cassettes" / "test_semantic_scholar"
    text = "".join(p.read_text(encoding="utf-8") for p in cassette.glob("*.yaml"))
    assert "ARXIV:2004.10706" in text and "s2-test-key-123456" not in text


@pytest.mark.vcr
def test_a_busy_shared_pool_429_is_retried(standin: SemanticScholarStandin) -> None:
    standin.failures = [429]
    scholar = client()
    assert set(scholar.venues([KNOWN])) == {KNOWN} and scholar.http.requests_sent == 2


@pytest.mark.vcr
def test_a_wrong_endpoint_url_is_one_line_naming_it(standin: SemanticScholarStandin, monkeypatch: Any) -> None:
    monkeypatch.setenv(
        "CURATORBOT_MAINTENANCE__SEMANTIC_SCHOLAR_URL", f"http://127.0.0.1:{semantic_scholar_standin.PORT}/elsewhere"
    )
    with pytest.raises(
        SemanticScholarError, match=r"HTTP 404 for http://127\.0\.0\.1:\d+/elsewhere/paper/batch; check"
    ):
        client().venues([KNOWN])
