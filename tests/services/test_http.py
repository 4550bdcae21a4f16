"""Politeness and retries of the HTTP layer, with httpx2's mock transport and a fake clock (no waiting)."""

import itertools

import httpx2
import pytest

from curatorbot.domain.errors import ArxivError
from curatorbot.services.http import PoliteClient
from curatorbot.services.retry import RetryPolicy


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def client(answers: list[int | Exception], clock: FakeClock, **policy: float) -> tuple[PoliteClient, list[float]]:
    sent_at: list[float] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        sent_at.append(clock.now)
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        headers = {"Retry-After": "7"} if answer == 429 else {}
        return httpx2.Response(answer, headers=headers, text="ok")

    polite = PoliteClient(
        service="arXiv",
        client=httpx2.Client(transport=httpx2.MockTransport(handler)),
        error_type=ArxivError,
        policy=RetryPolicy(**policy),  # type: ignore[arg-type]
        min_interval_seconds=3.0,
        clock=clock,
        sleep=clock.sleep,
    )
    return polite, sent_at


def test_at_most_one_request_every_three_seconds() -> None:
    clock = FakeClock()
    polite, sent_at = client([200, 200, 200], clock)
    for _ in range(3):
        polite.get("http://arxiv.test/api")
    assert [b - a for a, b in itertools.pairwise(sent_at)] == [3.0, 3.0]


def test_429_then_success_honours_retry_after() -> None:
    clock = FakeClock()
    polite, _ = client([429, 503, 200], clock, base_delay_seconds=3.0)
    assert polite.get("http://arxiv.test/api").status_code == 200
    assert clock.sleeps == [7.0, 6.0]  # Retry-After 7 s, then backoff 3 * 2


def test_timeouts_are_retried_then_fail_in_one_line() -> None:
    clock = FakeClock()
    timeout = httpx2.ReadTimeout("slow")
    polite, _ = client([timeout, timeout, timeout], clock, max_retries=2)
    with pytest.raises(ArxivError, match=r"^arXiv timed out after 3 attempts in \d+s; try again later"):
        polite.get("http://arxiv.test/api")


def test_total_budget_stops_retrying_early() -> None:
    clock = FakeClock()
    polite, sent_at = client([503, 503, 503, 503], clock, max_retries=10, total_budget_seconds=10.0)
    with pytest.raises(ArxivError, match="answered HTTP 503 after 3 attempts in 9s"):
        polite.get("http://arxiv.test/api")
    assert len(sent_at) == 3  # waits of 3 s and 6 s fit in 10 s; a third wait of 12 s would not


def test_client_errors_are_not_retried() -> None:
    clock = FakeClock()
    polite, sent_at = client([404], clock)
    with pytest.raises(ArxivError, match=r"HTTP 404 .* check the URL in config"):
        polite.get("http://arxiv.test/api")
    assert len(sent_at) == 1


def polite_with(handler: object, clock: FakeClock, **policy: float) -> PoliteClient:
    return PoliteClient(
        service="arXiv",
        client=httpx2.Client(transport=httpx2.MockTransport(handler)),  # type: ignore[arg-type]
        error_type=ArxivError,
        policy=RetryPolicy(**policy),  # type: ignore[arg-type]
        clock=clock,
        sleep=clock.sleep,
    )


def test_a_malformed_retry_after_falls_back_to_the_backoff() -> None:
    clock = FakeClock()
    answers = [httpx2.Response(503, headers={"Retry-After": "soon"}), httpx2.Response(200, text="ok")]
    polite = polite_with(lambda request: answers.pop(0), clock, base_delay_seconds=3.0)
    assert polite.get("http://arxiv.test/api").text == "ok" and clock.sleeps == [3.0]


def test_a_retry_after_past_the_budget_says_how_long_the_server_asked_to_wait() -> None:
    clock = FakeClock()
    polite = polite_with(lambda request: httpx2.Response(429, headers={"Retry-After": "3600"}), clock)
    with pytest.raises(ArxivError, match=r"answered HTTP 429 and asked to wait 3600s, past the retry budget of 180s"):
        polite.get("http://arxiv.test/api")
    assert clock.sleeps == []


def test_a_server_that_drips_its_body_is_cut_off_at_the_budget() -> None:
    clock = FakeClock()

    def drip() -> object:
        for _ in range(1000):  # 50 bytes every 2 s: no read timeout ever fires
            clock.now += 2.0
            yield b"x" * 50

    polite = polite_with(lambda request: httpx2.Response(200, content=drip()), clock, total_budget_seconds=20.0)
    with pytest.raises(ArxivError, match=r"sent http://arxiv.test/api too slowly: not complete after 20s"):
        polite.get("http://arxiv.test/api")
    assert clock.now - 1000.0 <= 22.0  # stopped within one chunk of the deadline, not after 2000 s


def test_a_redirect_loop_is_one_line_not_a_traceback() -> None:
    clock = FakeClock()

    def loop(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(302, headers={"Location": str(request.url)})

    polite = polite_with(loop, clock)
    polite.client.follow_redirects = True
    with pytest.raises(ArxivError, match=r"redirects http://arxiv.test/api in a loop"):
        polite.get("http://arxiv.test/api")
    assert clock.sleeps == []


def test_a_malformed_url_is_a_config_error_at_once() -> None:
    from curatorbot.domain.errors import ConfigError

    clock = FakeClock()
    polite = PoliteClient(
        service="arXiv", client=httpx2.Client(), error_type=ArxivError, clock=clock, sleep=clock.sleep
    )
    with pytest.raises(ConfigError, match=r"htp://arxiv.test/api is not a usable URL"):
        polite.get("htp://arxiv.test/api")
    assert clock.sleeps == []  # not retried as an outage
