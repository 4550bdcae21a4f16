"""The maintenance pull request: read what GitHub holds, plan on the branch or the base, write one commit
per kind of change, and say in the body what changed on which line and why.

The same safety rules as the nightly PR (core.publish): never two open maintenance PRs; a maintainer's
commits on the branch are kept (changes go on top); the branch is rebuilt from the base only when it holds
the bot's commits alone; a change a maintainer reverted on the branch, or that was in a PR closed
unmerged, is never proposed again (its key is remembered in the hidden marker).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from curatorbot.config import Settings
from curatorbot.domain.arxiv_id import is_arxiv_id
from curatorbot.domain.awesome_list import AwesomeList, LinkForm, list_diff
from curatorbot.domain.enrich import ExternalVenue
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
from curatorbot.jobs.engine import (
    BranchFacts,
    Commit,
    Start,
    Target,
    read_branch,
    retrying_conflicts,
    where_to_start,
    write,
)
from curatorbot.services.interface import PullInfo, Repo

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
        "arxiv_id": change.arxiv_id if change.arxiv_id and is_arxiv_id(change.arxiv_id) else "",
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


def read_maintenance_state(repo: Repo, target: Target) -> MaintenanceState:
    facts = read_branch(repo, target)
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
    start: Start
    marker: MaintenanceMarker
    newly_rejected: set[str] = field(default_factory=set)
    diff: str = ""


def plan_publish(
    state: MaintenanceState,
    papers: Mapping[str, Paper],
    external: Mapping[str, ExternalVenue],
    kinds: Collection[ChangeKind],
    path: str,
    link_form: LinkForm = "auto",
) -> MaintenancePublishPlan:
    """What to commit and what the PR should say; pure."""
    facts, previous = state.facts, state.marker
    held = previous.keys if previous else set()
    newly_rejected: set[str] = set()
    if state.branch_list is not None and previous is not None:
        # A change the PR holds that is proposable again on the branch was undone there by a maintainer.
        again = plan_maintenance(state.branch_list, papers, external, kinds, state.rejected, link_form)
        newly_rejected = {c.key for c in again.changes} & held
    rejected = state.rejected | newly_rejected | state.earlier
    start = where_to_start(facts, previous.base_sha if previous else None, has_marker=previous is not None)
    if start.on == "branch":
        assert state.branch_list is not None
        start_list = state.branch_list
        kept = [c for c in (previous.changes if previous else ()) if c.key not in newly_rejected]
    else:
        start_list, kept = state.base_list, []
    plan = plan_maintenance(start_list, papers, external, kinds, rejected, link_form)
    marker = MaintenanceMarker(
        base_sha=facts.base_sha if start.on == "base" else (previous.base_sha if previous else facts.base_sha),
        changes=(*kept, *plan.changes),
        rejected=tuple(sorted((set(previous.rejected) if previous else set()) | newly_rejected)),
    )
    diff = list_diff(start.text, plan.text, path) if plan.text is not None else ""
    return MaintenancePublishPlan(plan=plan, start=start, marker=marker, newly_rejected=newly_rejected, diff=diff)


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
    target = Target.maintenance(settings)

    def attempt() -> MaintenanceResult:
        if services.repo is None:
            assert services.local_list is not None, "a list is needed: GitHub or a local file"
            state = _local_state(services.local_list)
        else:
            state = read_maintenance_state(services.repo, target)
        listed = sorted((state.branch_list or state.base_list).arxiv_ids | state.base_list.arxiv_ids)
        papers = services.papers(listed) if "venues" in request.kinds or "code" in request.kinds else {}
        external: Mapping[str, ExternalVenue] = {}
        if services.venues is not None and "venues" in request.kinds:
            # Only papers whose own arXiv record names no venue are asked about elsewhere.
            without = [i for i in listed if i in papers and venue_evidence(papers[i]) is None]
            external = services.venues(without) if without else {}
        the_plan = plan_publish(state, papers, external, request.kinds, settings.list.path, settings.list.link_form)
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
        title = pr_title(target.title, the_plan.marker.changes)
        body = render_body(the_plan.marker, plan.repeats, facts)
        open_pr = state.facts.open_pr
        if not plan.stages and the_plan.newly_rejected and open_pr is not None and services.repo is not None:
            # Only reverts since the last run: the body's table and memory say so; the branch is as it is.
            rejected = count_of(len(the_plan.newly_rejected), "reverted change")
            if request.dry_run:
                return MaintenanceResult(
                    action="dry-run", message=f"dry run: would remember {rejected}; nothing written", plan=plan
                )
            pr = write(services.repo, target, state.facts, the_plan.start, [], title, lambda _: body).pr
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
        commits = [
            Commit(stage.text, stage.commit_message + "\n\nProposed by curatorbot for review.") for stage in plan.stages
        ]
        written = write(services.repo, target, state.facts, the_plan.start, commits, title, lambda _: body)
        return MaintenanceResult(
            action=written.action,
            message=f"{written.action} pull request #{written.pr.number} with "
            f"{count_of(len(plan.changes), 'change')}: {written.pr.html_url}",
            plan=plan,
            title=title,
            body=body,
            diff=the_plan.diff,
            pr=written.pr,
            noted_changed=noted_changed,
        )

    return retrying_conflicts(attempt)


def _local_state(awesome: AwesomeList) -> MaintenanceState:
    facts = BranchFacts.local(awesome.to_markdown())
    return MaintenanceState(
        facts=facts, base_list=awesome, branch_list=None, marker=None, rejected=set(), earlier=set()
    )
