"""The fault matrix: every fault arXiv, the LLM endpoint or GitHub was seen to produce, in one place.
Each row either recovers or ends in one curatorbot error of one line that names the thing and the fix;
none may raise anything else (a traceback) or leak a secret."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import httpx2
import pytest
from pydantic import SecretStr

from conftest import REAL_LIST, TEST_CONFIG
from curatorbot.config import Secrets, load_settings
from curatorbot.domain.errors import ArxivError, CuratorbotError
from curatorbot.services.arxiv_atom import parse_feed
from curatorbot.services.github import GitHubRepo
from curatorbot.services.http import PoliteClient
from curatorbot.services.llm import OpenAIBackend
from curatorbot.services.retry import RetryPolicy
from fakes import github_fake

KEY = "sk-test-fault-matrix-0123456789"
OK = "recovers"


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def arxiv(
    *answers: httpx2.Response | Exception, budget: float = 180.0, clock: Clock | None = None
) -> Callable[[], Any]:
    queue = list(answers)
    clock = clock or Clock()

    def handler(request: httpx2.Request) -> httpx2.Response:
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(answer, Exception):
            raise answer
        return answer

    polite = PoliteClient(
        service="arXiv",
        client=httpx2.Client(transport=httpx2.MockTransport(handler), follow_redirects=True),
        error_type=ArxivError,
        policy=RetryPolicy(total_budget_seconds=budget),
        clock=clock,
        sleep=clock.sleep,
    )
    return lambda: polite.get("http://arxiv.test/api/query")


def drip(clock: Clock) -> Iterator[bytes]:
    for _ in range(500):  # 50 bytes every 2 s: no read timeout ever fires
        clock.now += 2.0
        yield b"<" * 50


DRIP_CLOCK = Clock()


def llm(*answers: httpx2.Response | Exception) -> Callable[[], Any]:
    queue = list(answers)

    def handler(request: httpx2.Request) -> httpx2.Response:
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(answer, Exception):
            raise answer
        return answer

    settings = load_settings(TEST_CONFIG).llm.model_copy(update={"base_url": "http://llm.test/v1", "max_retries": 2})
    backend = OpenAIBackend(
        settings,
        Secrets(openai_api_key=SecretStr(KEY)),
        http_client=httpx2.Client(transport=httpx2.MockTransport(handler)),
        sleep=lambda seconds: None,
    )

    def call() -> Any:
        answer = backend.complete([{"role": "user", "content": "x"}], {}, 50)
        assert KEY not in (answer.content or ""), "the key leaked"
        return answer

    return call


def completion(content: str) -> httpx2.Response:
    message = {"role": "assistant", "content": content}
    return httpx2.Response(
        200,
        json={
            "id": "c",
            "object": "chat.completion",
            "created": 1,
            "model": "m",
            "choices": [{"index": 0, "finish_reason": "stop", "message": message}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        },
    )


FEED = "http://arxiv.test/atom/cs.IR"
HOSTILE = '<!DOCTYPE f [<!ENTITY a "aaaa">]><feed xmlns="http://www.w3.org/2005/Atom">&a;</feed>'

ARXIV_AND_LLM: list[tuple[str, Callable[[], Any], str]] = [
    ("arXiv 503 then 200", arxiv(httpx2.Response(503), httpx2.Response(200, text="ok")), OK),
    (
        "arXiv 429 'Retry-After: soon'",
        arxiv(httpx2.Response(429, headers={"Retry-After": "soon"}), httpx2.Response(200)),
        OK,
    ),
    (
        "arXiv 429 'Retry-After: 3600'",
        arxiv(httpx2.Response(429, headers={"Retry-After": "3600"})),
        r"asked to wait 3600s",
    ),
    ("arXiv 500 forever", arxiv(httpx2.Response(500)), r"answered HTTP 500 after \d+ attempts"),
    ("arXiv timeouts", arxiv(httpx2.ReadTimeout("slow")), r"timed out after \d+ attempts"),
    ("arXiv refuses connections", arxiv(httpx2.ConnectError("refused")), r"could not connect"),
    ("arXiv 404", arxiv(httpx2.Response(404)), r"HTTP 404 .*check the URL in config"),
    (
        "arXiv drips its body",
        arxiv(httpx2.Response(200, content=drip(DRIP_CLOCK)), budget=20.0, clock=DRIP_CLOCK),
        r"too slowly",
    ),
    (
        "arXiv redirect loop",
        arxiv(httpx2.Response(302, headers={"Location": "http://arxiv.test/api/query"})),
        r"in a loop",
    ),
    (
        "feed: an HTML page with 200",
        lambda: parse_feed("<html><body>down</body></html>", "cs.IR", FEED),
        r"at http://arxiv.test/atom/cs\.IR is not an Atom feed",
    ),
    ("feed: not XML at all", lambda: parse_feed("Service unavailable", "cs.IR", FEED), r"is not an Atom feed"),
    ("feed: entity expansion", lambda: parse_feed(HOSTILE, "cs.IR", FEED), r"declares XML entities or a DTD"),
    (
        "LLM 500 then success",
        llm(httpx2.Response(500, json={"error": {"message": "x"}}), completion('{"decisions": []}')),
        OK,
    ),
    ("LLM echoes the key", llm(completion(f'{{"note": "{KEY}"}}')), OK),
    (
        "LLM answers HTML",
        llm(httpx2.Response(200, text="<html>login</html>", headers={"content-type": "text/html"})),
        r"not an OpenAI-style JSON response",
    ),
    (
        "LLM refuses the key",
        llm(httpx2.Response(401, json={"error": {"message": f"bad key {KEY}"}})),
        r"refused the key .* check OPENAI_API_KEY",
    ),
    ("LLM endpoint dead", llm(httpx2.ConnectError("refused")), r"could not be reached"),
]


def check(call: Callable[[], Any], expected: str) -> None:
    if expected == OK:
        call()
        return
    with pytest.raises(CuratorbotError) as caught:
        call()
    message = str(caught.value)
    assert re.search(expected, message), message
    assert "\n" not in message and KEY not in message


@pytest.mark.parametrize(("fault", "call", "expected"), ARXIV_AND_LLM, ids=[row[0] for row in ARXIV_AND_LLM])
def test_arxiv_and_llm_faults(fault: str, call: Callable[[], Any], expected: str) -> None:
    check(call, expected)


GITHUB: list[tuple[str, tuple[str, str, str, int, dict[str, str]], str]] = [
    ("GitHub 500 on compare, once", ("GET", r"/compare/.+", "repos/compare-commits", 500, {}), OK),
    (
        "GitHub secondary rate limit",
        ("GET", r"/contents/.+", "repos/get-content", 403, {"Retry-After": "3", "x-message": "secondary rate limit"}),
        OK,
    ),
    ("GitHub 403 permissions", ("GET", r"/contents/.+", "repos/get-content", 403, {}), r"HTTP 403.*contents: write"),
    (
        "GitHub primary rate limit",
        (
            "GET",
            r"/contents/.+",
            "repos/get-content",
            403,
            {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1767225600"},
        ),
        r"rate limit reached .* rerun after",
    ),
    ("GitHub 404", ("GET", r"/contents/.+", "repos/get-content", 404, {}), r"HTTP 404.*check list\.repo"),
]


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
@pytest.mark.parametrize(("fault", "injected", "expected"), GITHUB, ids=[row[0] for row in GITHUB])
def test_github_faults(fault: str, injected: tuple[str, str, str, int, dict[str, str]], expected: str) -> None:
    fake = github_fake.GitHubFake("o", "list", {"README.md": REAL_LIST.read_text(encoding="utf-8")})
    fake.refs["curatorbot/new-papers"] = fake.refs["main"]
    fake.faults.append(injected)
    with github_fake.serve(fake) as url:
        repo = GitHubRepo("o/list", SecretStr(KEY), base_url=url, seconds_between_requests=0, sleep=lambda s: None)
        try:
            check(
                lambda: (repo.read_file("README.md", "main"), repo.commits_ahead("main", "curatorbot/new-papers")),
                expected,
            )
        finally:
            repo.close()
    assert fake.errors == []
