"""A scripted OpenAI-compatible chat endpoint on loopback, for the paths no real model can be made to
take on demand: malformed output, missing ids, refusals, 429s. Tests record their cassettes from it;
bench/nightly.py runs against it with a fixed latency (its answers are a benchmark device, not an oracle).

Its bodies follow OpenAI's chat.completion and error formats.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from fakes.serving import QuietHandler, serve_handler

PORT = 8809
_PAPER_ID_RE = re.compile(r'<paper arxiv_id="([^"]+)">')
_PAPER_TITLE_RE = re.compile(r'<paper arxiv_id="([^"]+)">\nTitle: ([^\n]*)')

Reply = tuple[int, dict[str, Any], dict[str, str]]  # status, JSON body, headers


def paper_ids(request: dict[str, Any]) -> list[str]:
    user = next(m["content"] for m in reversed(request["messages"]) if m["role"] == "user" and "<paper" in m["content"])
    return _PAPER_ID_RE.findall(user)


def paper_titles(request: dict[str, Any]) -> dict[str, str]:
    user = next(m["content"] for m in reversed(request["messages"]) if m["role"] == "user" and "<paper" in m["content"])
    return dict(_PAPER_TITLE_RE.findall(user))


def answer_by_title(request: dict[str, Any]) -> Reply:
    """A stand-in judgement: papers whose title names a language model go to "Paper List", others are out."""
    titles = paper_titles(request)
    llm = re.compile(r"LLM|[Ll]anguage [Mm]odel|GPT", re.UNICODE)
    decisions = [
        {
            "arxiv_id": arxiv_id,
            "relevant": bool(llm.search(title)),
            "section": "Paper List" if llm.search(title) else None,
            "confidence": 0.85 if llm.search(title) else 0.8,
            "rationale": "The title names a language model used for recommendation."
            if llm.search(title)
            else "No language model for recommendation.",
        }
        for arxiv_id, title in titles.items()
    ]
    return completion(
        json.dumps({"decisions": decisions}), prompt_tokens=300 * len(decisions), completion_tokens=60 * len(decisions)
    )


def completion(
    content: str | None, prompt_tokens: int = 100, completion_tokens: int = 20, refusal: str | None = None
) -> Reply:
    body = {
        "id": "chatcmpl-stub",
        "object": "chat.completion",
        "created": 1764000000,
        "model": "stub-model",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": refusal},
                "finish_reason": "stop",
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }
    return 200, body, {}


def error(status: int, message: str, kind: str, headers: dict[str, str] | None = None) -> Reply:
    return status, {"error": {"message": message, "type": kind, "param": None, "code": None}}, headers or {}


def answer_all(request: dict[str, Any], relevant: Callable[[str], bool] = lambda _: True) -> Reply:
    """Valid decisions for every paper in the request, into the first section of the schema."""
    schema = request.get("response_format", {}).get("json_schema", {}).get("schema", {})
    sections = schema.get("properties", {}).get("decisions", {}).get("items", {}).get("properties", {})
    section_enum = [s for s in sections.get("section", {}).get("enum", ["Paper List"]) if s]
    decisions = [
        {
            "arxiv_id": arxiv_id,
            "relevant": relevant(arxiv_id),
            "section": section_enum[0] if relevant(arxiv_id) else None,
            "confidence": 0.9,
            "rationale": "It applies a large language model to a recommendation task.",
        }
        for arxiv_id in paper_ids(request)
    ]
    return completion(json.dumps({"decisions": decisions}), prompt_tokens=300 * len(decisions))


@dataclass
class OpenAIStub:
    """Answers each request with the next scripted reply (a function of the request), or `default`."""

    script: list[Callable[[dict[str, Any]], Reply]] = field(default_factory=list)
    default: Callable[[dict[str, Any]], Reply] = answer_all
    latency_seconds: float = 0.0
    requests: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reply(self, request: dict[str, Any]) -> Reply:
        with self.lock:
            self.requests.append(request)
            step = self.script.pop(0) if self.script else self.default
        return step(request)


@contextmanager
def serve(stub: OpenAIStub, port: int = PORT) -> Iterator[str]:
    class Handler(QuietHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            request = json.loads(self.rfile.read(length) or b"{}")
            if stub.latency_seconds:
                time.sleep(stub.latency_seconds)
            status, body, headers = stub.reply(request)
            self.send_body(status, "application/json", json.dumps(body).encode(), headers)

    with serve_handler(Handler, port) as url:
        yield f"{url}/v1"
