"""Counts in messages, said the way a person would ("1 paper", "3 papers")."""

from __future__ import annotations


def count_of(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n} {singular if n == 1 else plural or singular + 's'}"
