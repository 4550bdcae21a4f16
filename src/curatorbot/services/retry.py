"""The one retry loop every adapter uses: backoff within a total time budget, a server's Retry-After
honoured, then one typed error. Each adapter only says how it reads a failed attempt (`Failed`)."""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from curatorbot.domain.errors import CuratorbotError, ServiceError

T = TypeVar("T")
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


@dataclass(frozen=True)
class Failed:
    """One failed attempt as an adapter reads it: what went wrong (for the final error), whether another
    attempt may help, and how long the service asked to wait."""

    problem: str  # "answered HTTP 503", "timed out": the final error says it
    retryable: bool = True
    retry_after: float | None = None
    error: CuratorbotError | None = None  # raised when this attempt is the last (default: the exhausted error)


# Builds the error raised when the retries or the budget are spent: (problem, attempts, seconds spent,
# the Retry-After asked for, if any).
Exhausted = Callable[[str, int, float, float | None], ServiceError]


def attempts(count: int) -> str:
    return f"{count} attempt{'s' if count != 1 else ''}"


def retrying(
    operation: Callable[[], T],
    read_failure: Callable[[Exception, int], Failed | None],
    exhausted: Exhausted | None,
    policy: RetryPolicy,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] | None = None,
) -> T:
    """Run `operation` until it succeeds, a failure is not retryable, or the policy says stop.
    `read_failure(exception, attempt)` returns None for an exception that is not a service failure (it is
    raised as it is). When no retry is left, the error is `exhausted(...)`, or without it the last failure's
    own. The sleeper is looked up per call so a test can replace `time.sleep` process-wide."""
    started = clock()
    attempt = 0
    while True:
        try:
            return operation()
        except Exception as exception:
            failed = read_failure(exception, attempt)
            if failed is None:
                raise
        spent = clock() - started
        delay = policy.next_delay(attempt, spent, failed.retry_after) if failed.retryable else None
        if delay is None:
            if failed.error is not None and (not failed.retryable or exhausted is None):
                raise failed.error
            assert exhausted is not None, "a failure without its own error needs the exhausted wording"
            raise exhausted(failed.problem, attempt + 1, spent, failed.retry_after)
        attempt += 1
        (sleep or time.sleep)(delay)


def retry_after_seconds(value: str | None, now: Callable[[], float] = time.time) -> float | None:
    """A Retry-After header in either of its forms (seconds, or an HTTP date, counted from `now`), or None."""
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
    return max(0.0, parsed.timestamp() - now()) if parsed else None
