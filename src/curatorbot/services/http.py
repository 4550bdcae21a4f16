"""Polite HTTP for the adapters: a minimum interval between requests, retries with backoff on 429,
5xx and timeouts within a total time budget, then one typed error."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import httpx2

from curatorbot.config import ArxivSettings
from curatorbot.domain.errors import ConfigError, ServiceError
from curatorbot.services.retry import RETRY_STATUSES, Failed, RetryPolicy, attempts, retry_after_seconds, retrying


class _RetryableStatus(Exception):
    def __init__(self, response: httpx2.Response) -> None:
        self.response = response


@dataclass
class PoliteClient:
    """One service's HTTP client. `clock` and `sleep` are injectable so tests need not wait."""

    service: str
    client: httpx2.Client
    error_type: type[ServiceError]
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    min_interval_seconds: float = 0.0
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] | None = None  # None: time.sleep, looked up at each wait
    requests_sent: int = 0
    _last_request_at: float | None = None

    def get(self, url: str, params: Mapping[str, str | int] | None = None) -> httpx2.Response:
        return self.send("GET", url, params=params)

    def post_form(self, url: str, form: Mapping[str, str | int]) -> httpx2.Response:
        """A form POST: for parameters too long for a URL (arXiv takes its query either way)."""
        return self.send("POST", url, form=form)

    def post_json(self, url: str, params: Mapping[str, str | int], body: object) -> httpx2.Response:
        return self.send("POST", url, params=params, body=body)

    def send(
        self,
        method: str,
        url: str,
        params: Mapping[str, str | int] | None = None,
        form: Mapping[str, str | int] | None = None,
        body: object = None,
    ) -> httpx2.Response:
        started = self.clock()

        def once() -> httpx2.Response:
            self._wait_for_turn()
            self.requests_sent += 1
            response = self._read(method, url, params, form, body, started)
            if response.status_code in RETRY_STATUSES:
                raise _RetryableStatus(response)
            if response.status_code >= 400:
                raise self.error_type(
                    f"{self.service} answered HTTP {response.status_code} for {url}; "
                    "check the URL in config (or its env override)"
                )
            return response

        def read_failure(error: Exception, attempt: int) -> Failed | None:
            if isinstance(error, httpx2.UnsupportedProtocol | httpx2.InvalidURL):
                # Retrying a malformed URL only wastes the budget: it is a config error.
                problem = f"{url} is not a usable URL ({error}); fix it in config (or its env override)"
                return Failed(problem, retryable=False, error=ConfigError(problem))
            if isinstance(error, httpx2.TooManyRedirects):
                problem = f"{self.service} redirects {url} in a loop; check the URL in config"
                return Failed(problem, retryable=False, error=self.error_type(problem))
            if isinstance(error, httpx2.TimeoutException):
                return Failed("timed out")
            if isinstance(error, httpx2.TransportError):
                return Failed(f"could not connect ({type(error).__name__})")
            if isinstance(error, _RetryableStatus):
                status, header = error.response.status_code, error.response.headers.get("retry-after")
                return Failed(f"answered HTTP {status}", retry_after=retry_after_seconds(header))
            return None

        def exhausted(problem: str, count: int, spent: float, retry_after: float | None) -> ServiceError:
            budget = self.policy.total_budget_seconds
            if retry_after is not None and spent + retry_after > budget:
                return self.error_type(
                    f"{self.service} {problem} and asked to wait {retry_after:.0f}s, past the retry budget of "
                    f"{budget:.0f}s; rerun later"
                )
            return self.error_type(
                f"{self.service} {problem} after {attempts(count)} in {spent:.0f}s; "
                "try again later or raise the retry budget in config"
            )

        return retrying(once, read_failure, exhausted, self.policy, self.clock, self.sleep)

    def _read(
        self,
        method: str,
        url: str,
        params: Mapping[str, str | int] | None,
        form: Mapping[str, str | int] | None,
        body: object,
        started: float,
    ) -> httpx2.Response:
        """The whole response, within the total time budget: a server that drips a few bytes at a time never
        trips a read timeout, so the deadline is checked as the body arrives."""
        deadline = started + self.policy.total_budget_seconds
        with self.client.stream(method, url, params=params, data=form, json=body) as streamed:
            chunks = []
            for chunk in streamed.iter_bytes():
                chunks.append(chunk)
                if self.clock() > deadline:
                    raise self.error_type(
                        f"{self.service} sent {url} too slowly: not complete after "
                        f"{self.policy.total_budget_seconds:.0f}s (the retry budget); try again later"
                    )
            # iter_bytes() already undid any content encoding: the copy must not claim one.
            headers = [
                (k, v)
                for k, v in streamed.headers.multi_items()
                if k.lower() not in ("content-encoding", "content-length", "transfer-encoding")
            ]
            return httpx2.Response(
                streamed.status_code, headers=headers, content=b"".join(chunks), request=streamed.request
            )

    def _wait_for_turn(self) -> None:
        now = self.clock()
        if self._last_request_at is not None:
            wait = self._last_request_at + self.min_interval_seconds - now
            if wait > 0:
                (self.sleep or time.sleep)(wait)
                now = self.clock()
        self._last_request_at = now


def polite_client(
    service: str,
    error_type: type[ServiceError],
    settings: ArxivSettings,
    headers: Mapping[str, str],
    min_interval_seconds: float,
) -> PoliteClient:
    """A scholarly API's client (arXiv, Semantic Scholar): the timeout, retries and time budget of
    `arxiv.*`, backoff from at least a second, and this service's own spacing between requests."""
    return PoliteClient(
        service=service,
        client=httpx2.Client(headers=dict(headers), timeout=settings.timeout_seconds, follow_redirects=True),
        error_type=error_type,
        policy=RetryPolicy(
            max_retries=settings.max_retries,
            total_budget_seconds=settings.total_budget_seconds,
            base_delay_seconds=max(min_interval_seconds, 1.0),
        ),
        min_interval_seconds=min_interval_seconds,
    )
