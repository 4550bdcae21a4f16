"""Readable cassettes: YAML with JSON bodies decoded into structures and multi-line text as blocks.

Registered as vcrpy's "yaml" serializer (conftest.py), so every cassette under tests/ uses it. Secrets
are scrubbed before anything is written: auth headers go, and so does anything that looks like a key.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

SCRUBBED_HEADERS = ("authorization", "api-key", "x-api-key", "cookie", "set-cookie", "openai-organization")


class _Dumper(yaml.SafeDumper):
    pass


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_representer)


def _decode(body: Any) -> Any:
    """JSON becomes {"json": structure}; multi-line text becomes {"lines": [...]}, one YAML item a line."""
    if isinstance(body, bytes):
        try:
            body = body.decode("utf-8")
        except UnicodeDecodeError:
            return body
    if isinstance(body, str) and body[:1] in "{[":
        try:
            return {"json": json.loads(body)}
        except ValueError:
            pass
    if isinstance(body, str) and "\n" in body:
        return {"lines": body.split("\n")}
    return body


def _encode(body: Any) -> Any:
    if isinstance(body, dict) and set(body) == {"json"}:
        return json.dumps(body["json"])
    if isinstance(body, dict) and set(body) == {"lines"}:
        return "\n".join(body["lines"])
    return body


def serialize(cassette_dict: dict[str, Any]) -> str:
    for interaction in cassette_dict.get("interactions", []):
        request, response = interaction["request"], interaction["response"]
        request["body"] = _decode(request.get("body"))
        response["body"]["string"] = _decode(response["body"].get("string"))
    return yaml.dump(cassette_dict, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110)


def deserialize(cassette_string: str) -> dict[str, Any]:
    cassette_dict: dict[str, Any] = yaml.safe_load(cassette_string)
    for interaction in cassette_dict.get("interactions", []):
        request, response = interaction["request"], interaction["response"]
        request["body"] = _encode(request.get("body"))
        response["body"]["string"] = _encode(response["body"].get("string"))
    return cassette_dict


_PAPER_TAG = re.compile(r'<paper arxiv_id="([^"]+)">')


def _llm_request_facts(body: Any) -> tuple[Any, ...] | None:
    """What an LLM request is about: its model, output mode and the papers it asks about. The prompt's
    wording is not part of it, so rewording a prompt or a section description keeps the recordings valid."""
    if isinstance(body, bytes):
        body = body.decode("utf-8", errors="replace")
    try:
        data = json.loads(body) if isinstance(body, str) else None
    except ValueError:
        return None
    if not isinstance(data, dict) or "messages" not in data:
        return None
    user = " ".join(str(m.get("content", "")) for m in data["messages"] if m.get("role") == "user")
    ids = tuple(_PAPER_TAG.findall(user))
    mode = (data.get("response_format") or {}).get("type", "prompt")
    return (data.get("model"), mode, ids, len(data["messages"]))


def same_llm_batch(recorded: Any, live: Any) -> None:
    """vcrpy matcher: chat requests match on model, output mode, the batch's arXiv ids and the number of
    messages (a retry with the error adds two); any other request matches on its whole body."""
    mine, theirs = _llm_request_facts(recorded.body), _llm_request_facts(live.body)
    if mine is None or theirs is None:
        assert recorded.body == live.body, "bodies differ"
    else:
        assert mine == theirs, f"{mine} != {theirs}"
