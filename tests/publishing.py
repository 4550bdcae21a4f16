"""Publishing helpers shared by the pull-request tests: proposals built from real sample papers, the
GitHub adapter pointed at the fake without request spacing, and one night's publish."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from curatorbot.config import Settings
from curatorbot.domain.awesome_list import HouseStyle
from curatorbot.domain.models import Paper
from curatorbot.domain.pull_request import ProposalRecord, RunFacts
from curatorbot.domain.render import render_entry
from curatorbot.jobs.engine import Target
from curatorbot.jobs.publish import Proposal, PublishResult, publish
from curatorbot.services.github import GitHubRepo

SAMPLE = Path(__file__).parent / "data" / "eval" / "papers.sample.jsonl"
ROWS = {row["id"]: row for row in map(json.loads, SAMPLE.read_text(encoding="utf-8").splitlines())}
FACTS = RunFacts(
    date="2025-03-04", categories=("cs.IR",), backend="local", model="relevance-test", prompt_version="local-1"
)


def proposal(arxiv_id: str, section: str = "Paper List") -> Proposal:
    row = ROWS[arxiv_id]
    paper = Paper(
        arxiv_id=arxiv_id,
        title=row["title"],
        abstract=row["abstract"],
        comments=row["comments"],
        published=row["published"],
    )
    record = ProposalRecord(
        arxiv_id=arxiv_id,
        title=paper.title,
        section=section,
        confidence=0.9,
        venue="arxiv 2025",
        rationale="Uses an LLM to recommend.",
        abstract=paper.abstract[:300],
    )
    return Proposal(record=record, entry=render_entry(paper, HouseStyle()))


def repo_for(settings: Settings, token: str = "test-token", **options: Any) -> GitHubRepo:
    """The adapter against the fake, with no spacing between requests."""
    return GitHubRepo(
        settings.list.repo or "",
        SecretStr(token),
        base_url=settings.github.base_url,
        seconds_between_writes=0,
        seconds_between_requests=0,
        **options,
    )


def night(settings: Settings, ids: list[str], dry_run: bool = False, **kwargs: Any) -> PublishResult:
    repo = repo_for(settings)
    try:
        return publish(repo, Target.nightly(settings), [proposal(i) for i in ids], [], FACTS, dry_run=dry_run, **kwargs)
    finally:
        repo.close()
