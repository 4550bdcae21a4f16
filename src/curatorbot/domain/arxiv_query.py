"""What a catch-up asks arXiv's search API, and the time windows it asks it for; pure.

The API's query language: field prefixes (`ti:`, `abs:`, `cat:`), quoted phrases, `AND`, `OR`, `ANDNOT`
and parentheses (https://info.arxiv.org/help/api/user-manual.html#query_details). Every group is
parenthesised, so the meaning never depends on operator precedence.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from curatorbot.domain.errors import ConfigError, UsageError

_TERM_RE = re.compile(r"^[\w][\w .'\-]*$")


def _term(text: str) -> str:
    words = text.strip()
    if not _TERM_RE.match(words) or '"' in words:
        raise ConfigError(f"catch_up terms: '{text}' has characters arXiv's query cannot quote; use words and spaces")
    return f'"{words}"' if " " in words or "-" in words else words


def _any_of(terms: Sequence[str]) -> str:
    return "(" + " OR ".join(f"{field}:{_term(t)}" for t in terms for field in ("ti", "abs")) + ")"


class QueryTerms(Protocol):
    """What config says a catch-up searches for (config.CatchUpSettings has these fields)."""

    @property
    def query(self) -> str | None: ...
    @property
    def recommendation_terms(self) -> Sequence[str]: ...
    @property
    def language_model_terms(self) -> Sequence[str]: ...


def build_query(settings: QueryTerms, categories: Sequence[str]) -> str:
    """The search query without its date range: the categories, and the configured query or terms."""
    parts = ["(" + " OR ".join(f"cat:{c}" for c in categories) + ")"]
    if settings.query is not None:
        parts.append(f"({settings.query.strip()})")
    elif settings.recommendation_terms:
        parts += [_any_of(settings.recommendation_terms), _any_of(settings.language_model_terms)]
    return " AND ".join(parts)


def date_range(first_day: dt.date, last_day: dt.date) -> str:
    """arXiv's submittedDate range, both days whole (times are GMT)."""
    return f"submittedDate:[{first_day:%Y%m%d}0000 TO {last_day:%Y%m%d}2359]"


@dataclass(frozen=True, order=True)
class Window:
    first_day: dt.date
    last_day: dt.date
    key: str  # 2024-05 or 2024-W19: in branch names, PR titles and the marker

    def branch(self, prefix: str) -> str:
        return f"{prefix}{self.key}"


def window_of(day: dt.date, kind: Literal["month", "week"]) -> Window:
    if kind == "month":
        last = calendar.monthrange(day.year, day.month)[1]
        return Window(day.replace(day=1), day.replace(day=last), f"{day:%Y-%m}")
    monday = day - dt.timedelta(days=day.weekday())
    year, week, _ = monday.isocalendar()
    return Window(monday, monday + dt.timedelta(days=6), f"{year}-W{week:02d}")


def windows(since: dt.date, until: dt.date, kind: Literal["month", "week"]) -> list[Window]:
    """The windows from the one holding `since` to the one holding `until`, oldest first; the first and
    last are cut to [since, until], so a catch-up never asks for days outside what was asked."""
    if until < since:
        raise UsageError(f"--until {until} is before --since {since}; give a range that moves forward")
    found: list[Window] = []
    day = since
    while day <= until:
        window = window_of(day, kind)
        found.append(Window(max(window.first_day, since), min(window.last_day, until), window.key))
        day = window.last_day + dt.timedelta(days=1)
    return found


def parse_month_or_day(text: str, end: bool = False) -> dt.date:
    """YYYY-MM (its first day, or with end=True its last) or YYYY-MM-DD."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}", text):
            first = dt.date.fromisoformat(f"{text}-01")
            return first.replace(day=calendar.monthrange(first.year, first.month)[1]) if end else first
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    raise UsageError(f"'{text}' is not a month or a day; write YYYY-MM or YYYY-MM-DD (e.g. 2024-05)")
