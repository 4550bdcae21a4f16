"""The LLM adapter at its edges, with httpx2's mock transport: what an endpoint says that it should not."""

import json

import httpx2
import pytest
from pydantic import SecretStr

from conftest import TEST_CONFIG
from curatorbot.config import Secrets, load_settings
from curatorbot.domain.errors import LLMError
from curatorbot.services.llm import OpenAIBackend

KEY = "sk-test-echoed-key-0123456789"
GITHUB = "gho-test-github-token-987654"


def backend(handler: object) -> OpenAIBackend:
    settings = load_settings(TEST_CONFIG).llm.model_copy(update={"base_url": "http://llm.test/v1", "max_retries": 0})
    secrets = Secrets(openai_api_key=SecretStr(KEY), github_token=SecretStr(GITHUB))
    client = httpx2.Client(transport=httpx2.MockTransport(handler))  # type: ignore[arg-type]
    return OpenAIBackend(settings, secrets, http_client=client, sleep=lambda seconds: None)


def completion(content: str) -> httpx2.Response:
    return httpx2.Response(
        200,
        json={
            "id": "c1",
            "object": "chat.completion",
            "created": 1,
            "model": "m",
            "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
        },
    )


def test_an_endpoint_that_echoes_the_keys_gets_them_redacted() -> None:
    echoed = json.dumps({"decisions": [{"rationale": f"my key is {KEY} and the token {GITHUB}"}]})
    answer = backend(lambda request: completion(echoed)).complete([{"role": "user", "content": "x"}], {}, 50)
    assert answer.content is not None and KEY not in answer.content and GITHUB not in answer.content
    assert answer.content.count("[redacted]") == 2


def test_an_error_that_echoes_the_key_is_redacted() -> None:
    def refuse(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(400, json={"error": {"message": f"bad request from {KEY}"}})

    with pytest.raises(LLMError) as caught:
        backend(refuse).complete([{"role": "user", "content": "x"}], {}, 50)
    assert KEY not in str(caught.value) and "[redacted]" in str(caught.value)


def test_a_body_that_is_not_json_is_one_clear_error() -> None:
    def html(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, text="<html>Gateway login</html>", headers={"content-type": "text/html"})

    with pytest.raises(LLMError, match=r"not an OpenAI-style JSON response; check llm\.base_url"):
        backend(html).complete([{"role": "user", "content": "x"}], {}, 50)


def test_a_dead_endpoint_trips_the_breaker_after_a_few_attempts() -> None:
    attempts: list[int] = []

    def dead(request: httpx2.Request) -> httpx2.Response:
        attempts.append(1)
        raise httpx2.ConnectError("connection refused")

    llm = backend(dead)
    llm.policy.max_retries = 3  # four attempts per batch without the breaker
    for _ in range(11):  # eleven batches: 44 attempts before the breaker existed
        with pytest.raises(LLMError):
            llm.complete([{"role": "user", "content": "x"}], {}, 50)
    assert len(attempts) == 5
    with pytest.raises(LLMError, match=r"could not be reached 5 times in a row; stopped asking"):
        llm.complete([{"role": "user", "content": "x"}], {}, 50)


@pytest.mark.parametrize(
    "body",
    [
        {"id": "c", "object": "chat.completion", "created": 1, "model": "m", "choices": "not a list"},
        {
            "id": "c",
            "object": "chat.completion",
            "created": 1,
            "model": "m",
            "choices": [{"index": 0, "message": None}],
        },
        {"id": "c", "object": "chat.completion", "created": 1, "model": "m", "choices": [{"message": {"content": 7}}]},
        {"id": "c", "object": "chat.completion", "created": 1, "model": "m", "choices": [None]},
    ],
)
def test_valid_json_of_the_wrong_shape_is_one_line_not_a_traceback(body: dict[str, object]) -> None:
    with pytest.raises(LLMError, match="not an OpenAI-style JSON response"):
        backend(lambda request: httpx2.Response(200, json=body)).complete([{"role": "user", "content": "x"}], {}, 50)
