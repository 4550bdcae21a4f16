"""The LLM adapter: any OpenAI-compatible chat endpoint through the `openai` package.

Structured output degrades gracefully: strict `json_schema` (OpenAI, Azure, vLLM); else `json_object`
with the schema attached (llama.cpp's server); else plain JSON asked for by the prompt. The first mode a
server accepts is remembered for the rest of the run. Vendor exceptions become our LLMError here.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import httpx2
import openai

from curatorbot.config import LLMSettings, Secrets
from curatorbot.domain.errors import ConfigError, LLMError
from curatorbot.domain.sanitize import redact
from curatorbot.services.interface import LLMAnswer, OutputMode
from curatorbot.services.retry import Failed, RetryPolicy, attempts, retry_after_seconds, retrying

OUTPUT_MODES: tuple[OutputMode, ...] = ("json_schema", "json_object", "prompt")
BREAKER_THRESHOLD = 5  # failed attempts in a row (timeouts, refused connections, 5xx) before giving up
_FORMAT_WORDS = ("response_format", "json_schema", "json_object", "structured output")


class _FormatRejected(Exception):
    pass


def _rejects_format(error: openai.APIStatusError) -> bool:
    if error.status_code not in (400, 422, 500, 501):
        return False
    text = f"{error.message} {error.body}".lower()
    return any(word in text for word in _FORMAT_WORDS)


class OpenAIBackend:
    def __init__(
        self,
        settings: LLMSettings,
        secrets: Secrets,
        http_client: httpx2.Client | None = None,
        sleep: Callable[[float], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        base_url = settings.base_url or secrets.openai_base_url
        key = secrets.openai_api_key.get_secret_value() if secrets.openai_api_key else None
        if key is None and base_url is None:
            raise ConfigError(
                "the openai backend needs OPENAI_API_KEY (or llm.base_url for a local server); "
                "set one, or use --backend local"
            )
        self.model = settings.model
        self.settings = settings
        self.secrets = secrets.values()  # redacted from whatever the endpoint says
        # Retries are ours (below), so a format rejection is not retried three times first.
        self.client = openai.OpenAI(
            api_key=key or "not-needed",
            base_url=base_url,
            timeout=settings.timeout_seconds,
            max_retries=0,
            http_client=http_client,
        )
        self.policy = RetryPolicy(
            max_retries=settings.max_retries,
            total_budget_seconds=settings.timeout_seconds * (settings.max_retries + 1) + 60,
            base_delay_seconds=2.0,
        )
        self.sleep = sleep
        self.clock = clock
        self._mode_index = 0
        self._lock = threading.Lock()
        # The circuit breaker: consecutive failed attempts across all batches. A dead endpoint is
        # reported once, after a few tries, instead of after every batch has spent its retries.
        self._failures_in_a_row = 0
        self._broken: LLMError | None = None

    @property
    def mode(self) -> OutputMode:
        return OUTPUT_MODES[self._mode_index]

    def complete(self, messages: list[dict[str, str]], schema: dict[str, Any], max_tokens: int) -> LLMAnswer:
        while True:
            with self._lock:
                index = self._mode_index
            mode = OUTPUT_MODES[index]
            try:
                return self._with_retries(messages, schema, max_tokens, mode)
            except _FormatRejected:
                with self._lock:
                    if self._mode_index == index:
                        if index + 1 >= len(OUTPUT_MODES):
                            raise LLMError(f"{self.model}: the endpoint rejected every output mode") from None
                        self._mode_index = index + 1

    def _with_retries(
        self, messages: list[dict[str, str]], schema: dict[str, Any], max_tokens: int, mode: OutputMode
    ) -> LLMAnswer:
        def once() -> LLMAnswer:
            with self._lock:
                if self._broken is not None:
                    raise self._broken
            answer = self._once(messages, schema, max_tokens, mode)
            with self._lock:
                self._failures_in_a_row = 0
            return answer

        def read_failure(error: Exception, attempt: int) -> Failed | None:
            if isinstance(error, openai.AuthenticationError):
                said = f"the LLM endpoint refused the key (HTTP {error.status_code}); check OPENAI_API_KEY"
                return Failed(said, retryable=False, error=LLMError(said))
            if isinstance(error, openai.NotFoundError):
                said = f"the LLM endpoint has no model '{self.model}' (HTTP 404); check llm.model and llm.base_url"
                return Failed(said, retryable=False, error=LLMError(said))
            if isinstance(error, openai.APIStatusError):
                if _rejects_format(error) and mode != "prompt":
                    raise _FormatRejected from error
                if error.status_code != 429 and error.status_code < 500:
                    said = redact(str(error.message), self.secrets)[:200]
                    message = f"the LLM endpoint answered HTTP {error.status_code}: {said}"
                    return Failed(message, retryable=False, error=LLMError(message))
                header = error.response.headers.get("retry-after") if error.response is not None else None
                return self._count_failure(f"answered HTTP {error.status_code}", retry_after_seconds(header))
            if isinstance(error, openai.APITimeoutError):
                return self._count_failure("timed out", None)
            if isinstance(error, openai.APIConnectionError):
                return self._count_failure("could not be reached", None)
            if isinstance(error, openai.APIResponseValidationError | ValueError):
                said = (
                    "the LLM endpoint answered with something that is not an OpenAI-style JSON response; "
                    "check llm.base_url (it should end in /v1 for most servers)"
                )
                return Failed(said, retryable=False, error=LLMError(said))
            return None

        def exhausted(problem: str, count: int, spent: float, retry_after: float | None) -> LLMError:
            return LLMError(
                f"the LLM endpoint {problem} after {attempts(count)}; try again later, "
                "or raise llm.max_retries / llm.timeout_seconds"
            )

        return retrying(once, read_failure, exhausted, self.policy, self.clock, self.sleep)

    def _count_failure(self, problem: str, retry_after: float | None) -> Failed:
        """The circuit breaker: a dead endpoint is reported once, after a few tries across all batches."""
        with self._lock:
            self._failures_in_a_row += 1
            if self._failures_in_a_row >= BREAKER_THRESHOLD:
                self._broken = LLMError(
                    f"the LLM endpoint {problem} {self._failures_in_a_row} times in a row; stopped asking "
                    "for this run. Check llm.base_url or try again later"
                )
                return Failed(problem, retryable=False, error=self._broken)
        return Failed(problem, retry_after=retry_after)

    def _once(
        self, messages: list[dict[str, str]], schema: dict[str, Any], max_tokens: int, mode: OutputMode
    ) -> LLMAnswer:
        extra: dict[str, Any] = {}
        if mode == "json_schema":
            extra["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": "decisions", "strict": True, "schema": schema},
            }
        elif mode == "json_object":
            extra["response_format"] = {"type": "json_object", "schema": schema}
        response = self.client.chat.completions.create(
            model=self.model,
            messages=messages,  # type: ignore[arg-type]
            max_tokens=max_tokens,
            temperature=0,
            **extra,
        )
        if not hasattr(response, "choices"):  # a body that is not JSON (an HTML page) arrives as a str
            raise ValueError("not a chat completion")
        # The SDK does not validate what it is sent: valid JSON of the wrong shape is checked here.
        choices = response.choices
        if not isinstance(choices, list):
            raise ValueError("choices is not a list")
        if not choices:
            raise LLMError(f"{self.model}: the endpoint returned no choices")
        message = getattr(choices[0], "message", None)
        content = getattr(message, "content", None)
        refusal = getattr(message, "refusal", None)
        if message is None or not isinstance(content, str | None) or not isinstance(refusal, str | None):
            raise ValueError("the first choice holds no message")
        usage = response.usage
        prompt_tokens = getattr(usage, "prompt_tokens", 0) if usage else 0
        completion_tokens = getattr(usage, "completion_tokens", 0) if usage else 0
        return LLMAnswer(
            content=redact(content, self.secrets) if content else content,
            refusal=redact(refusal, self.secrets) if refusal else refusal,
            prompt_tokens=prompt_tokens if isinstance(prompt_tokens, int) else 0,
            completion_tokens=completion_tokens if isinstance(completion_tokens, int) else 0,
            mode=mode,
        )
