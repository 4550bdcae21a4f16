"""Polite HTTP for the adapters: a minimum interval between requests, retries with backoff on 429,
5xx and timeouts within a total time budget, then one typed error."""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import httpx2

from curatorbot.config import ArxivSettings
from curatorbot.domain.errors import ConfigError, ServiceError

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass
class RetryPolicy:
    max_retries: int = 4
    total_budget_seconds: float = 180.0
    base_delay_seconds: float = 3.0
    max_delay_seconds: float = 60.0

    def delay(self, attempt: int, retry_after: float | None) -> float:
        backoff: float = min(self.max_delay_seconds, self.base_delay_seconds * 2.0**attempt)
        return max(backoff, retry_after or 0.0)

    def next_delay(self, attempt: int, spent: float, retry_after: float | None) -> float | None:
        """Seconds to wait before attempt `attempt + 1`, or None when retries or the time budget are spent."""
        delay = self.delay(attempt, retry_after)
        if attempt >= self.max_retries or spent + delay > self.total_budget_seconds:
            return None
        return delay


@dataclass
class PoliteClient:
    """One service's HTTP client. `clock` and `sleep` are injectable so tests need not wait."""

    service: str
    client: httpx2.Client
    error_type: type[ServiceError]
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    min_interval_seconds: float = 0.0
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
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
        attempt = 0
        while True:
            self._wait_for_turn()
            problem: str
            retry_after: float | None = None
            try:
                self.requests_sent += 1
                response = self._read(method, url, params, form, body, started)
            except (httpx2.UnsupportedProtocol, httpx2.InvalidURL) as error:
                # Retrying a malformed URL only wastes the budget: it is a config error.
                raise ConfigError(
                    f"{url} is not a usable URL ({error}); fix it in config (or its env override)"
                ) from None
            except httpx2.TooManyRedirects:
                raise self.error_type(f"{self.service} redirects {url} in a loop; check the URL in config") from None
            except httpx2.TimeoutException:
                problem = "timed out"
            except httpx2.TransportError as error:
                problem = f"could not connect ({type(error).__name__})"
            else:
                if response.status_code < 400:
                    return response
                if response.status_code not in RETRY_STATUSES:
                    raise self.error_type(
                        f"{self.service} answered HTTP {response.status_code} for {url}; "
                        "check the URL in config (or its env override)"
                    )
                problem = f"answered HTTP {response.status_code}"
                retry_after = retry_after_seconds(response.headers.get("retry-after"))
            spent = self.clock() - started
            delay = self.policy.next_delay(attempt, spent, retry_after)
            if delay is None:
                if retry_after is not None and spent + retry_after > self.policy.total_budget_seconds:
                    raise self.error_type(
                        f"{self.service} {problem} and asked to wait {retry_after:.0f}s, past the retry budget of "
                        f"{self.policy.total_budget_seconds:.0f}s; rerun later"
                    )
                raise self.error_type(
                    f"{self.service} {problem} after {attempt + 1} attempt{'s' if attempt else ''} in {spent:.0f}s; "
                    "try again later or raise the retry budget in config"
                )
            attempt += 1
            self.sleep(delay)

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
                self.sleep(wait)
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


def retry_after_seconds(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None  # "soon" and other words: no hint, so the usual backoff applies
    return max(0.0, parsed.timestamp() - time.time()) if parsed else None
