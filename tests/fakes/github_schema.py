"""GitHub's official REST schemas (tests/data/github/openapi-subset.json, from @octokit/openapi 23.0.2):
build minimal valid objects from them, and validate any response body against them."""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

SUBSET = Path(__file__).parent.parent / "data" / "github" / "openapi-subset.json"


@cache
def _document() -> dict[str, Any]:
    return json.loads(SUBSET.read_text(encoding="utf-8"))


def _to_json_schema(node: Any) -> Any:
    """OpenAPI 3.0 to JSON Schema: `nullable: true` becomes an explicit null alternative, and `oneOf`
    becomes `anyOf`: GitHub's alternatives overlap without a discriminator (a 409 body is both a
    basic-error and a repository-rule-violation-error), so "exactly one" would reject real responses."""
    if isinstance(node, list):
        return [_to_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    converted = {("anyOf" if k == "oneOf" else k): _to_json_schema(v) for k, v in node.items() if k != "nullable"}
    if node.get("nullable"):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


@cache
def _components() -> dict[str, Any]:
    return _to_json_schema(_document()["components"])  # type: ignore[no-any-return]


def operation_response_schema(operation: str, status: int) -> dict[str, Any] | None:
    response = _document()["operations"][operation]["responses"].get(str(status))
    if response is None:
        return None
    if "$ref" in response:
        name = response["$ref"].split("/")[-1]
        response = _document()["components"]["responses"][name]
    schema = response.get("content", {}).get("application/json", {}).get("schema")
    return _to_json_schema(schema) if schema else None


def validate(operation: str, status: int, body: Any) -> None:
    """Raise jsonschema.ValidationError when `body` is not what GitHub documents for this response."""
    schema = operation_response_schema(operation, status)
    if schema is None:
        if body not in (None, b"", ""):
            raise AssertionError(f"{operation} {status}: GitHub documents no body, the fake sent one")
        return
    root = {**schema, "components": _components()}
    jsonschema.Draft7Validator(root).validate(body)


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = _components()["schemas"][schema["$ref"].split("/")[-1]]
    return schema


def _merge(base: Any, overrides: Any) -> Any:
    if isinstance(base, dict) and isinstance(overrides, dict):
        merged = dict(base)
        for key, value in overrides.items():
            merged[key] = _merge(base.get(key), value) if key in base else value
        return merged
    return copy.deepcopy(overrides)


def build(schema_name: str, /, **overrides: Any) -> dict[str, Any]:
    """A minimal object valid against components/schemas/<schema_name>, with `overrides` laid over it."""
    built = _instance(_components()["schemas"][schema_name], depth=0)
    return _merge(built, overrides)  # type: ignore[no-any-return]


def _instance(schema: dict[str, Any], depth: int) -> Any:
    schema = _resolve(schema)
    if "anyOf" in schema or "oneOf" in schema:
        options = schema.get("anyOf") or schema.get("oneOf")
        assert options is not None
        non_null = [o for o in options if _resolve(o).get("type") != "null"]
        if depth > 2 and len(non_null) < len(options):
            return None  # deep optional objects: null keeps the fake small and is still valid
        return _instance(non_null[0] if non_null else options[0], depth)
    if "allOf" in schema:
        result: dict[str, Any] = {}
        for part in schema["allOf"]:
            result.update(_instance(part, depth))
        return result
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if "enum" in schema:
        return schema["enum"][0]
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties", {})
        return {
            key: _instance(properties.get(key, {"type": "string"}), depth + 1) for key in schema.get("required", [])
        }
    if kind == "array":
        return []
    if kind == "integer":
        return max(1, schema.get("minimum", 1))
    if kind == "number":
        return 0
    if kind == "boolean":
        return False
    if kind == "null":
        return None
    fmt = schema.get("format")
    if fmt == "date-time":
        return "2026-01-01T00:00:00Z"
    if fmt == "uri":
        return "https://api.github.com/placeholder"
    return "x" * max(1, schema.get("minLength", 1))
