"""The maintenance pull request: read what GitHub holds, plan on the branch or the base, write one commit
per kind of change, and say in the body what changed on which line and why.

The same safety rules as the nightly PR (core.publish): never two open maintenance PRs; a maintainer's
commits on the branch are kept (changes go on top); the branch is rebuilt from the base only when it holds
the bot's commits alone; a change a maintainer reverted on the branch, or that was in a PR closed
unmerged, is never proposed again (its key is remembered in the hidden marker).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from curatorbot.config import Settings
from curatorbot.domain.awesome_list import AwesomeList
from curatorbot.domain.enrich import ExternalVenue
from curatorbot.domain.errors import GitHubError
from curatorbot.domain.maintenance import (
    KINDS,
    Change,
    ChangeKind,
    MaintenancePlan,
    Repeat,
    plan_maintenance,
    venue_evidence,
)
from curatorbot.domain.marker import decode_marker, encode_marker
from curatorbot.domain.models import Paper
from curatorbot.domain.pull_request import BODY_LIMIT
from curatorbot.domain.sanitize import code_span, plain_text
from curatorbot.domain.templates import template
from curatorbot.domain.wording import count_of
from curatorbot.jobs.publish import BranchFacts, list_diff, read_branch
from curatorbot.services.interface import ConflictError, FileAt, PullInfo, Repo

MARKER_KIND = "maintenance"
KIND_TITLES: dict[ChangeKind, str] = {"venues": "Venues", "code": "Code links", "lint": "Format fixes"}


@dataclass(frozen=True)
class MaintenanceMarker:
    """The hidden memory in the PR body: every change the PR holds, and the keys maintainers rejected."""

    base_sha: str
    changes: tuple[Change, ...] = ()
    rejected: tuple[str, ...] = ()

    @property
    def keys(self) -> set[str]:
        return {c.key for c in self.changes}


def render_marker(marker: MaintenanceMarker) -> str:
    rows = [[c.kind, c.key, c.line, c.arxiv_id, c.title[:80], c.before, c.after, c.evidence] for c in marker.changes]
    return encode_marker(
        MARKER_KIND, {"version": 1, "base_sha": marker.base_sha, "changes": rows, "rejected": list(marker.rejected)}
    )


def parse_marker(body: str | None) -> MaintenanceMarker | None:
    data = decode_marker(body, MARKER_KIND)
    if data is None:
        return None
    try:
        changes = tuple(
            Change(
                kind=row[0],
                key=row[1],
                line=int(row[2]),
                arxiv_id=row[3],
                title=row[4],
                before=row[5],
                after=row[6],
                evidence=row[7],
            )
            for row in data["changes"]
            if row[0] in KINDS
        )
        return MaintenanceMarker(
            base_sha=str(data["base_sha"]), changes=changes, rejected=tuple(str(k) for k in data["rejected"])
        )
    except (ValueError, KeyError, IndexError, TypeError):
        return None  # edited by hand beyond reading: treated as no memory rather than failing the run


@dataclass(frozen=True)
class MaintenanceFacts:
    date: str
    checked: int
    sources: tuple[str, ...]
    list_path: str
    notes: tuple[str, ...] = ()


def render_body(marker: MaintenanceMarker, repeats: Sequence[Repeat], facts: MaintenanceFacts) -> str:
    """The body within GitHub's limit: past it, the last rows of the longest tables fold into a count."""
    marker_text = render_marker(marker)

    def attempt(shown: int) -> str:
        groups = []
        for kind in KINDS:
            rows = [c for c in marker.changes if c.kind == kind]
            if rows:
                groups.append(
                    {
                        "title": KIND_TITLES[kind],
                        "rows": [_row(c) for c in rows[:shown]],
                        "folded": max(0, len(rows) - shown),
                    }
                )
        body = template("maintenance_body.md.j2").render(
            groups=groups,
            counts={kind: sum(1 for c in marker.changes if c.kind == kind) for kind in KINDS},
            total=len(marker.changes),
            repeats=[_repeat(r) for r in repeats],
            rejected_count=len(marker.rejected),
            facts=facts,
        )
        return f"{body.rstrip()}\n\n{marker_text}\n"

    shown = len(marker.changes)
    text = attempt(shown)
    while len(text) > BODY_LIMIT and shown > 0:
        shown //= 2
        text = attempt(shown)
    return text


def _row(change: Change) -> dict[str, str | int]:
    return {
        "line": change.line,
        "arxiv_id": change.arxiv_id if change.arxiv_id and re.fullmatch(r"[\w.\-/]+", change.arxiv_id) else "",
        "title": plain_text(change.title, 70),
        "before": code_span(change.before),
        "after": "(line removed)" if change.after is None else code_span(change.after),
        "evidence": plain_text(change.evidence, 200),
    }


def _repeat(repeat: Repeat) -> dict[str, object]:
    return {
        "arxiv_id": repeat.arxiv_id,
        "places": [
            {"line": line, "section": plain_text(section, 60), "title": plain_text(title, 90)}
            for line, section, title in zip(repeat.lines, repeat.sections, repeat.titles, strict=True)
        ],
    }


def pr_title(base_title: str, changes: Sequence[Change]) -> str:
    return f"{base_title} ({count_of(len(changes), 'change')})"


# ---- reading and planning ------------------------------------------------------------------------------


@dataclass
class MaintenanceState:
    facts: BranchFacts
    base_list: AwesomeList
    branch_list: AwesomeList | None
    marker: MaintenanceMarker | None
    rejected: set[str]  # keys never to propose again
    earlier: set[str]  # keys of merged maintenance PRs: back again only if someone undid them


def read_maintenance_state(repo: Repo, settings: Settings) -> MaintenanceState:
    facts = read_branch(repo, settings, settings.maintenance.branch)
    marker = parse_marker(facts.open_pr.body) if facts.open_pr else None
    rejected = set(marker.rejected) if marker else set()
    earlier: set[str] = set()
    for pull in facts.closed:
        closed = parse_marker(pull.body)
        if closed is not None:
            rejected |= set(closed.rejected)
            if pull.merged:
                earlier |= closed.keys
            else:
                rejected |= closed.keys
    return MaintenanceState(
        facts=facts,
        base_list=AwesomeList.parse(facts.base.text),
        branch_list=AwesomeList.parse(facts.branch.text) if facts.branch is not None else None,
        marker=marker,
        rejected=rejected,
        earlier=earlier,
    )


@dataclass
class MaintenancePublishPlan:
    plan: MaintenancePlan
    start_from: Literal["branch", "base"]
    write_sha: str
    reset_branch: bool
    marker: MaintenanceMarker
    newly_rejected: set[str] = field(default_factory=set)
    diff: str = ""


def plan_publish(
    state: MaintenanceState,
    papers: Mapping[str, Paper],
    external: Mapping[str, ExternalVenue],
    kinds: Collection[ChangeKind],
    path: str,
) -> MaintenancePublishPlan:
    """What to commit and what the PR should say; pure."""
    facts, previous = state.facts, state.marker
    on_branch = facts.open_pr is not None and state.branch_list is not None and facts.branch is not None
    held = previous.keys if previous else set()
    newly_rejected: set[str] = set()
    if on_branch and previous is not None:
        assert state.branch_list is not None
        # A change the PR holds that is proposable again on the branch was undone there by a maintainer.
        again = plan_maintenance(state.branch_list, papers, external, kinds, rejected=state.rejected)
        newly_rejected = {c.key for c in again.changes} & held
    rejected = state.rejected | newly_rejected | state.earlier
    rebuild = on_branch and not facts.foreign_commits and previous is not None and previous.base_sha != facts.base_sha
    if on_branch and not rebuild:
        assert state.branch_list is not None and facts.branch is not None
        start_list, start_from, write_sha, reset = state.branch_list, "branch", facts.branch.sha, False
        kept = [c for c in (previous.changes if previous else ()) if c.key not in newly_rejected]
    else:
        start_list, start_from, write_sha = state.base_list, "base", facts.base.sha
        reset = facts.branch_sha is not None
        kept = []
    plan = plan_maintenance(start_list, papers, external, kinds, rejected=rejected)
    marker = MaintenanceMarker(
        base_sha=facts.base_sha if start_from == "base" else (previous.base_sha if previous else facts.base_sha),
        changes=(*kept, *plan.changes),
        rejected=tuple(sorted((set(previous.rejected) if previous else set()) | newly_rejected)),
    )
    diff = list_diff(start_list.to_markdown(), plan.text, path) if plan.text is not None else ""
    return MaintenancePublishPlan(
        plan=plan,
        start_from=start_from,  # type: ignore[arg-type]
        write_sha=write_sha,
        reset_branch=reset,
        marker=marker,
        newly_rejected=newly_rejected,
        diff=diff,
    )


# ---- the run -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MaintenanceRequest:
    kinds: tuple[ChangeKind, ...]
    dry_run: bool
    today: dt.date
    noted: tuple[str, ...] = ()  # listed papers the nightly run saw a new version of


@dataclass(frozen=True)
class MaintenanceServices:
    papers: Callable[[Sequence[str]], Mapping[str, Paper]]  # arXiv metadata by id
    venues: Callable[[Sequence[str]], Mapping[str, ExternalVenue]] | None  # a second source, if switched on
    repo: Repo | None
    local_list: AwesomeList | None = None


@dataclass
class MaintenanceResult:
    action: Literal["nothing", "dry-run", "opened", "updated"]
    message: str
    plan: MaintenancePlan
    title: str = ""
    body: str = ""
    diff: str = ""
    pr: PullInfo | None = None
    noted_changed: list[str] = field(default_factory=list)  # noted new versions that brought a change

    @property
    def summary(self) -> str:
        plan = self.plan
        return (
            f"checked {count_of(plan.checked, 'listed paper')}: {plan.count('venues')} venue upgrades, "
            f"{plan.count('code')} code links, {plan.count('lint')} format fixes, "
            f"{count_of(len(plan.repeats), 'repeated id')} for a maintainer, "
            f"{len(plan.remembered)} rejected before and not proposed again"
        )


def run_maintenance(
    request: MaintenanceRequest, services: MaintenanceServices, settings: Settings
) -> MaintenanceResult:
    def attempt() -> MaintenanceResult:
        if services.repo is None:
            assert services.local_list is not None, "a list is needed: GitHub or a local file"
            state = _local_state(services.local_list)
        else:
            state = read_maintenance_state(services.repo, settings)
            if state.facts.stranded:
                raise GitHubError(
                    f"branch {settings.maintenance.branch} has commits curatorbot did not make and no open pull "
                    "request; delete the branch or reopen its pull request, then rerun"
                )
        listed = sorted((state.branch_list or state.base_list).arxiv_ids | state.base_list.arxiv_ids)
        papers = services.papers(listed) if "venues" in request.kinds or "code" in request.kinds else {}
        external: Mapping[str, ExternalVenue] = {}
        if services.venues is not None and "venues" in request.kinds:
            # Only papers whose own arXiv record names no venue are asked about elsewhere.
            without = [i for i in listed if i in papers and venue_evidence(papers[i]) is None]
            external = services.venues(without) if without else {}
        the_plan = plan_publish(state, papers, external, request.kinds, settings.list.path)
        sources = ("arXiv API", *(("Semantic Scholar",) if services.venues is not None else ()))
        noted_changed = sorted({c.arxiv_id for c in the_plan.plan.changes if c.arxiv_id in set(request.noted)})
        notes = []
        if request.noted:
            notes.append(
                f"{count_of(len(request.noted), 'listed paper')} with a new arXiv version since the last run "
                f"checked; {len(noted_changed)} brought a change"
            )
        facts = MaintenanceFacts(
            date=request.today.isoformat(),
            checked=len(papers),
            sources=sources,
            list_path=settings.list.path,
            notes=tuple(notes),
        )
        plan = the_plan.plan
        title = pr_title(settings.maintenance.title, the_plan.marker.changes)
        body = render_body(the_plan.marker, plan.repeats, facts)
        open_pr = state.facts.open_pr
        if not plan.stages and the_plan.newly_rejected and open_pr is not None and services.repo is not None:
            # Only reverts since the last run: the body's table and memory say so; the branch is as it is.
            rejected = count_of(len(the_plan.newly_rejected), "reverted change")
            if request.dry_run:
                return MaintenanceResult(
                    action="dry-run", message=f"dry run: would remember {rejected}; nothing written", plan=plan
                )
            pr = services.repo.update_pull(open_pr.number, title, body)
            return MaintenanceResult(
                action="updated",
                message=f"updated pull request #{pr.number}: {rejected} remembered as rejected",
                plan=plan,
                title=title,
                body=body,
                pr=pr,
                noted_changed=noted_changed,
            )
        if not plan.stages:
            return MaintenanceResult(
                action="nothing",
                message="nothing to change in the listed entries; no pull request changed",
                plan=plan,
                noted_changed=noted_changed,
            )
        if request.dry_run or services.repo is None:
            return MaintenanceResult(
                action="dry-run",
                message=f"dry run: would propose {count_of(len(plan.changes), 'change')}; nothing written",
                plan=plan,
                title=title,
                body=body,
                diff=the_plan.diff,
                noted_changed=noted_changed,
            )
        return _apply(services.repo, settings, state, the_plan, title, body, noted_changed)

    try:
        return attempt()
    except ConflictError:
        return attempt()  # the file moved under us: re-read everything and plan again, once


def _local_state(awesome: AwesomeList) -> MaintenanceState:
    text = awesome.to_markdown()
    facts = BranchFacts(
        base_sha="0" * 40,
        base=FileAt(text=text, sha="0" * 40),
        open_pr=None,
        closed=(),
        branch_sha=None,
        branch=None,
        foreign_commits=False,
        stranded=False,
    )
    return MaintenanceState(
        facts=facts, base_list=awesome, branch_list=None, marker=None, rejected=set(), earlier=set()
    )


def _apply(
    repo: Repo,
    settings: Settings,
    state: MaintenanceState,
    the_plan: MaintenancePublishPlan,
    title: str,
    body: str,
    noted_changed: list[str],
) -> MaintenanceResult:
    branch, base_branch, path = settings.maintenance.branch, settings.list.base_branch, settings.list.path
    facts = state.facts
    if the_plan.start_from == "base":
        if facts.branch_sha is None:
            repo.create_branch(branch, facts.base_sha)
        elif the_plan.reset_branch:
            repo.reset_branch(branch, facts.base_sha)  # only bot work lives there (checked before)
    sha = the_plan.write_sha
    for number, stage in enumerate(the_plan.plan.stages):
        if number:
            sha = repo.read_file(path, branch).sha  # the blob the previous commit wrote
        repo.write_file(path, stage.text, sha, branch, stage.commit_message + "\n\nProposed by curatorbot for review.")
    maintenance = settings.maintenance
    repo.ensure_label(maintenance.label, maintenance.label_color, maintenance.label_description)
    if facts.open_pr is not None:
        pr = repo.update_pull(facts.open_pr.number, title, body)
        action: Literal["opened", "updated"] = "updated"
    else:
        pr = repo.create_pull(title, body, branch, base_branch)
        action = "opened"
    if maintenance.label not in pr.labels:
        repo.add_label(pr.number, maintenance.label)
    count = len(the_plan.plan.changes)
    return MaintenanceResult(
        action=action,
        message=f"{action} pull request #{pr.number} with {count_of(count, 'change')}: {pr.html_url}",
        plan=the_plan.plan,
        title=title,
        body=body,
        diff=the_plan.diff,
        pr=pr,
        noted_changed=noted_changed,
    )
