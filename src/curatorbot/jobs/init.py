"""`curatorbot init`: a config for a list, read from the list and its papers' arXiv records."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from curatorbot.domain.awesome_list import AwesomeList
from curatorbot.domain.list_profile import ListProfile, profile_list
from curatorbot.domain.models import Paper
from curatorbot.domain.templates import template

DEFAULT_CATEGORY = "cs.IR"


def init_config(
    awesome: AwesomeList,
    records: Callable[[Sequence[str]], Mapping[str, Paper]],
    *,
    where: str,
    repo: str | None,
    path: str,
    branch: str,
) -> tuple[ListProfile, str]:
    """The list's profile and the commented config that says it; `records` reads arXiv, batched."""
    awesome.require_papers(where)
    ids = sorted({e.arxiv_id for e in awesome.entries if e.arxiv_id})
    profile = profile_list(awesome, records(ids) if ids else {})
    text = template("config.yaml.j2").render(
        profile=profile,
        where=where,
        repo=repo,
        path=path,
        branch=branch,
        categories=[c for c, _ in profile.categories] or [DEFAULT_CATEGORY],
    )
    return profile, text + "\n"
