"""The one retry loop every adapter uses, and the one Retry-After parser."""

import email.utils

import pytest

from curatorbot.domain.errors import ArxivError, ConfigError, ServiceError
from curatorbot.services.retry import Failed, RetryPolicy, retry_after_seconds, retrying


class Flaky(Exception):
    pass


def run(failures: list[Failed | None], policy: RetryPolicy | None = None) -> tuple[object, list[float]]:
    waits: list[float] = []
    script = iter(failures)

    def operation() -> str:
        if next(script, "done") != "done":
            raise Flaky
        return "ok"

    def read_failure(error: Exception, attempt: int) -> Failed | None:
        return failures[attempt] if isinstance(error, Flaky) else None

    def exhausted(problem: str, count: int, spent: float, retry_after: float | None) -> ServiceError:
        return ArxivError(f"{problem} after {count}")

    result = retrying(
        operation, read_failure, exhausted, policy or RetryPolicy(base_delay_seconds=1), lambda: 0.0, waits.append
    )
    return result, waits


def test_retries_back_off_and_honour_retry_after() -> None:
    assert run([Failed("x"), Failed("x", retry_after=7.0)]) == ("ok", [1.0, 7.0])


def test_a_failure_that_is_not_retryable_raises_its_own_error_at_once() -> None:
    with pytest.raises(ConfigError, match="bad url"):
        run([Failed("bad url", retryable=False, error=ConfigError("bad url"))])


def test_spent_retries_raise_the_exhausted_error() -> None:
    with pytest.raises(ArxivError, match=r"^x after 3$"):
        run([Failed("x")] * 5, RetryPolicy(max_retries=2, base_delay_seconds=1))


def test_an_exception_the_adapter_does_not_read_passes_through() -> None:
    def boom() -> None:
        raise KeyError("not a service failure")

    with pytest.raises(KeyError):
        retrying(boom, lambda e, a: None, lambda *a: ArxivError("no"), RetryPolicy(), lambda: 0.0, lambda s: None)


def test_retry_after_in_seconds_or_as_an_http_date() -> None:
    assert retry_after_seconds("12") == 12.0 and retry_after_seconds("-3") == 0.0
    now = 1_767_225_600.0  # 2026-01-01 00:00 UTC
    later = email.utils.formatdate(now + 30, usegmt=True)
    assert retry_after_seconds(later, now=lambda: now) == 30.0
    assert retry_after_seconds(email.utils.formatdate(now - 5, usegmt=True), now=lambda: now) == 0.0
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None


def test_without_an_exhausted_wording_the_last_failures_own_error_is_raised() -> None:
    script = iter([ArxivError("first"), ArxivError("second"), ArxivError("last")])

    def operation() -> None:
        raise next(script)

    def read_failure(error: Exception, attempt: int) -> Failed | None:
        return Failed(str(error), error=error) if isinstance(error, ArxivError) else None

    with pytest.raises(ArxivError, match=r"^last$"):
        retrying(operation, read_failure, None, RetryPolicy(max_retries=2), lambda: 0.0, lambda s: None)
