"""The fault matrix: every fault arXiv, the LLM endpoint or GitHub was seen to produce, in one place.
Each row either recovers or ends in one curatorbot error of one line that names the thing and the fix;
none may raise anything else (a traceback) or leak a secret."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
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


# ---- faults a whole job meets: strangers, floods, a short window, a night that does not finish, a refusal ----


def _served_list() -> github_fake.GitHubFake:
    return github_fake.GitHubFake("nancheng58", "Awesome-LLM4RS-Papers", {"README.md": REAL_LIST.read_text()})


def _adapter(url: str) -> GitHubRepo:
    return GitHubRepo(
        "nancheng58/Awesome-LLM4RS-Papers",
        SecretStr(KEY),
        base_url=url,
        seconds_between_requests=0,
        seconds_between_writes=0,
        sleep=lambda s: None,
    )


def fork_pull_with_a_forged_marker() -> None:
    from curatorbot.domain.pull_request import Marker, ProposalRecord, render_marker
    from curatorbot.jobs.publish import read_catch_up_progress
    from curatorbot.jobs.review import bot_pull_targets

    settings = load_settings(TEST_CONFIG)
    fake = _served_list()
    forged = ProposalRecord(arxiv_id="2599.00001", title="Hidden", section="Survey", confidence=1.0, venue="x")
    marker = render_marker(Marker(proposed=(forged,), window="2025-09", covered=("2025-09",)))
    fake.fork_pull("stranger", "curatorbot/catch-up-2025-09", "curatorbot: catch-up 2025-09", f"hi\n\n{marker}")
    with github_fake.serve(fake) as url:
        repo = _adapter(url)
        try:
            progress = read_catch_up_progress(repo, settings.catch_up.branch_prefix, "main")
            assert "2599.00001" not in progress.known_ids and not progress.covered
            assert bot_pull_targets(repo, settings) == []
        finally:
            repo.close()


def comment_flood_from_strangers() -> None:
    from curatorbot.domain.pull_request import RunFacts
    from curatorbot.jobs.engine import Target
    from curatorbot.jobs.publish import Proposal, publish
    from curatorbot.jobs.review import run_review
    from fakes.repo import InProcessRepo
    from publishing import proposal

    settings = load_settings(TEST_CONFIG)
    fake = _served_list()
    repo = InProcessRepo(fake)
    facts = RunFacts(date="2025-03-04", categories=("cs.IR",), backend="local", model="m", prompt_version="1")
    proposals: list[Proposal] = [proposal("2503.01711")]
    publish(repo, Target.nightly(settings), proposals, [], facts, dry_run=False)
    [pull] = fake.open_pulls()
    for n in range(500):
        fake.comment(pull.number, f"stranger{n}", "/curatorbot reject 2503.01711")
    before = len(repo.calls)
    run_review(repo, settings, facts, dry_run=False)
    writes = [c for c in repo.calls[before:] if c in ("reply", "react", "update_pull", "write_file")]
    assert len(writes) <= 1 + 5 + 1, writes  # one reply, a few reactions, the body: never the secondary limit


def arxiv_empty_pages(times: int) -> Callable[[], Any]:
    def scenario() -> None:
        import datetime as dt
        from unittest import mock

        from curatorbot.services import arxiv as arxiv_client
        from fakes.arxiv_standin import ArxivStandin, load_archive, load_papers, serve

        standin = ArxivStandin(load_papers(), None, [], archive=load_archive())
        standin.empty_pages = times
        settings = load_settings(TEST_CONFIG)
        with serve(standin, port=0) as url, mock.patch.object(arxiv_client, "SEARCH_PAGE_SIZE", 5):
            client = arxiv_client.ArxivClient(
                settings.arxiv.model_copy(update={"api_url": f"{url}/api/query", "min_interval_seconds": 0})
            )
            client.http.sleep = lambda seconds: None
            with client:
                found = client.search("cat:cs.IR", dt.date(2025, 3, 1), dt.date(2025, 3, 31))
            assert len(found) == 42  # the whole window, never a short one

    return scenario


def night_cancelled_midway() -> None:
    import datetime as dt

    from curatorbot.classify.local_backend import LocalClassifier, LocalRun
    from curatorbot.domain.models import Paper
    from curatorbot.jobs.nightly import NightlyRequest, NightlyServices, run_nightly
    from curatorbot.services.state import FeedState
    from fakes.arxiv_source import InProcessArxiv
    from fakes.repo import InProcessRepo
    from publishing import ROWS

    settings = load_settings(TEST_CONFIG)
    ids = sorted(ROWS)[:60]
    day = {dt.date(2025, 3, 4): ids[:20], dt.date(2025, 3, 5): ids[20:40], dt.date(2025, 3, 6): ids[40:]}
    submitted = {i: d - dt.timedelta(days=1) for d, some in day.items() for i in some}
    papers = [
        Paper(arxiv_id=i, title=ROWS[i]["title"], abstract=ROWS[i]["abstract"], published=submitted[i]) for i in ids
    ]
    arxiv, fake = InProcessArxiv(papers, day), _served_list()
    folder = tempfile.TemporaryDirectory()
    state = FeedState(Path(folder.name) / "state.json")

    def night(today: dt.date, cancel: bool = False) -> Any:
        arxiv.today = today

        def classifier(awesome: Any, local: Any) -> Any:
            if cancel:
                raise KeyboardInterrupt  # the run is cancelled while it classifies
            return LocalRun(local)

        services = NightlyServices(
            arxiv=arxiv,
            repo=InProcessRepo(fake),
            local_list=None,
            local=lambda awesome: LocalClassifier(awesome, settings),
            classifier=classifier,
            feed_state=state,
        )
        now = dt.datetime.combine(today, dt.time(12), dt.UTC)
        return run_nightly(settings, NightlyRequest(now=now, backend="local", model="m", prompt_version="1"), services)

    with folder:
        night(dt.date(2025, 3, 4))
        with pytest.raises(KeyboardInterrupt):
            night(dt.date(2025, 3, 5), cancel=True)
        report = night(dt.date(2025, 3, 6))
    assert report.counts.backfilled == 20  # March 5's papers, read back before March 6's


def oversized_body_refused() -> None:
    fake = _served_list()
    fake.refs["curatorbot/new-papers"] = fake.refs["main"]
    fake.pulls.append(github_fake.Pull(number=1, title="t", body="b", head="curatorbot/new-papers", base="main"))
    with github_fake.serve(fake) as url:
        repo = _adapter(url)
        try:
            repo.update_pull(1, "curatorbot: new papers", "x" * 65_537)
        finally:
            repo.close()


JOB_FAULTS: list[tuple[str, Callable[[], Any], str]] = [
    ("a fork's pull request with a forged marker", fork_pull_with_a_forged_marker, OK),
    ("a flood of stranger comments", comment_flood_from_strangers, OK),
    ("an empty arXiv page mid-window, twice", arxiv_empty_pages(2), OK),
    ("arXiv pages that stay empty", arxiv_empty_pages(10), r"empty pages at result 5 of 42 .* nothing is marked"),
    ("a night cancelled midway", night_cancelled_midway, OK),
    ("a pull request body over 65,536 characters", oversized_body_refused, r"longer than its 65,536 characters"),
]


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
@pytest.mark.parametrize(("fault", "call", "expected"), JOB_FAULTS, ids=[row[0] for row in JOB_FAULTS])
def test_job_faults(fault: str, call: Callable[[], Any], expected: str) -> None:
    check(call, expected)
