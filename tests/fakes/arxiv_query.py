"""A faithful evaluator for the subset of arXiv's search query language curatorbot sends, over real papers:
field prefixes `ti:`, `abs:`, `cat:`, `all:`, quoted phrases, `AND`, `OR`, `ANDNOT`, parentheses and
`submittedDate:[YYYYMMDDHHMM TO YYYYMMDDHHMM]` (https://info.arxiv.org/help/api/user-manual.html).

Words match as arXiv's search does: case-insensitively, whole tokens, with hyphens and punctuation
splitting tokens ("LLM-based" holds the word "llm"); a phrase matches consecutive tokens. No stemming: a
query must name the word forms it wants, which is the cautious reading of arXiv's behaviour. Operators
of equal standing are read left to right; anything else (unbalanced parentheses, an unknown field)
raises, so a malformed query fails loudly in tests instead of matching nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Paper = dict[str, Any]
Predicate = Callable[[Paper], bool]

_TOKEN_RE = re.compile(
    r"\s*(?:(?P<paren>[()])|(?P<op>ANDNOT|AND|OR)(?=[\s(])|"
    r"submittedDate:\[(?P<from>\d{12}) TO (?P<to>\d{12})\]|"
    r'(?P<field>ti|abs|cat|all):(?:"(?P<phrase>[^"]+)"|(?P<word>[^\s()"]+)))'
)
_WORD_RE = re.compile(r"[a-z0-9]+")


def _tokens(text: str) -> list[str]:
    return _WORD_RE.findall(text.lower())


def _has_phrase(haystack: list[str], words: list[str]) -> bool:
    n = len(words)
    return any(haystack[i : i + n] == words for i in range(len(haystack) - n + 1))


def _field_match(field: str, text: str) -> Predicate:
    if field == "cat":
        return lambda p: text in (p.get("categories") or []) or p.get("primary_category") == text
    words = _tokens(text)
    if not words:
        raise ValueError(f"empty term in {field}:{text!r}")

    def fields(p: Paper) -> list[list[str]]:
        if "_tokens" not in p:  # tokenised once per paper, not once per term
            p["_tokens"] = {"ti": _tokens(p["title"]), "abs": _tokens(p["abstract"])}
        cached = p["_tokens"]
        return [cached["ti"], cached["abs"]] if field == "all" else [cached[field]]

    return lambda p: any(_has_phrase(f, words) for f in fields(p))


def _date_match(first: str, last: str) -> Predicate:
    # papers.*.jsonl carry the v1 submission day; a day is inside when its whole span overlaps the range.
    return lambda p: bool(p.get("published")) and first[:8] <= p["published"].replace("-", "") <= last[:8]


def compile_query(query: str) -> Predicate:
    parts: list[tuple[str, Any]] = []
    position = 0
    while position < len(query.rstrip()):
        match = _TOKEN_RE.match(query, position)
        if not match or match.end() == position:
            raise ValueError(f"cannot read the query at {query[position : position + 30]!r}")
        position = match.end()
        if match.group("paren"):
            parts.append(("paren", match.group("paren")))
        elif match.group("op"):
            parts.append(("op", match.group("op")))
        elif match.group("from"):
            parts.append(("term", _date_match(match.group("from"), match.group("to"))))
        else:
            parts.append(("term", _field_match(match.group("field"), match.group("phrase") or match.group("word"))))
    predicate, rest = _expression(parts)
    if rest:
        raise ValueError(f"unbalanced parentheses in {query!r}")
    return predicate


def _expression(parts: list[tuple[str, Any]]) -> tuple[Predicate, list[tuple[str, Any]]]:
    left, parts = _operand(parts)
    while parts and parts[0][0] == "op":
        op = parts[0][1]
        right, parts = _operand(parts[1:])
        left = _combine(op, left, right)
    return left, parts


def _combine(op: str, left: Predicate, right: Predicate) -> Predicate:
    if op == "AND":
        return lambda p: left(p) and right(p)
    if op == "OR":
        return lambda p: left(p) or right(p)
    return lambda p: left(p) and not right(p)


def _operand(parts: list[tuple[str, Any]]) -> tuple[Predicate, list[tuple[str, Any]]]:
    if not parts:
        raise ValueError("the query ends where a term was expected")
    kind, value = parts[0]
    if kind == "term":
        return value, parts[1:]
    if (kind, value) == ("paren", "("):
        inner, rest = _expression(parts[1:])
        if not rest or rest[0] != ("paren", ")"):
            raise ValueError("a parenthesis is not closed")
        return inner, rest[1:]
    raise ValueError(f"unexpected {value!r} where a term was expected")


def search(papers: list[Paper], query: str) -> list[Paper]:
    """Matching papers, sorted by submission date as sortBy=submittedDate&sortOrder=ascending asks."""
    predicate = compile_query(query)
    return sorted((p for p in papers if predicate(p)), key=lambda p: (p.get("published") or "", p["id"]))
