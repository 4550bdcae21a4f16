"""The dashboard issue, as pure functions: the state it keeps on GitHub (so an evicted Actions cache loses
nothing), the body a maintainer reads, and the boxes a maintainer ticks there.

The state lives in the issue's hidden marker (kind "dashboard"): per set of categories the last
announcement a run finished and the work it carries (deferred paper ids, flagged papers that are in no
pull request), the listed papers seen in a new version, the last runs, and weekly tallies of proposals
and maintainers' calls. Everything else the body shows (open pull requests, the next maintenance day) is
read fresh each time.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from curatorbot.domain.arxiv_id import is_arxiv_id, pack_ids, unpack_ids
from curatorbot.domain.marker import decode_marker, encode_marker
from curatorbot.domain.pull_request import BODY_LIMIT, CHECKBOX_RE, MARKER_TITLE_CHARS, ProposalRecord, proposal_row
from curatorbot.domain.sanitize import plain_text
from curatorbot.domain.templates import template

MARKER_KIND = "dashboard"
RUNS_KEPT = 10
WEEKS_SHOWN = 12
# The action boxes: each asks the next run for something, and is shown unticked again once done.
MAINTAIN_NOW = "maintain-now"
RETRAIN_NOW = "retrain-now"
_ACTION_RE = re.compile(r"^- \[(?P<mark>[ xX])\] <!-- (?P<action>[a-z\-]+) -->", re.MULTILINE)


class FeedRecord(BaseModel):
    """What one set of categories' nightly runs hold between runs."""

    model_config = ConfigDict(frozen=True)

    last_seen: str | None = None  # the last announcement day a run finished
    deferred: tuple[str, ...] = ()  # ids the budget guard deferred: read again from arXiv by id
    flagged: tuple[ProposalRecord, ...] = ()  # flagged papers in no pull request: shown under "Needs a look"


class RunRecord(BaseModel):
    """One run of a command that writes, as the "Last runs" table shows it."""

    model_config = ConfigDict(frozen=True)

    date: str  # when it ran, UTC, to the minute
    command: str
    outcome: Literal["ok", "failed"]
    summary: str = ""  # what it did, one line
    tokens: int = 0
    backend: str = ""
    model: str = ""
    error: str = ""  # the one-line error of a failed run
    url: str = ""  # the Actions run, when known


class WeekTally(BaseModel):
    model_config = ConfigDict(frozen=True)

    week: str  # 2025-W10
    proposed: int = 0
    accepted: int = 0
    rejected: int = 0
    moved: int = 0


class DashboardState(BaseModel):
    model_config = ConfigDict(frozen=True)

    version: int = 1
    feeds: dict[str, FeedRecord] = {}
    new_versions: dict[str, str] = {}  # listed papers announced in a new version -> the day, for maintain
    runs: tuple[RunRecord, ...] = ()  # newest first
    weeks: tuple[WeekTally, ...] = ()  # oldest first
    decisions_counted: dict[str, int] = {}  # maintainers' calls already tallied into `weeks`, per action
    maintenance_requested: bool = False
    retrain_requested: bool = False
    model: str = ""  # the local model in use, as the last `learn` left it

    def with_run(self, run: RunRecord) -> DashboardState:
        """The run first in the history; a run that did just what the newest one did (a rerun with nothing
        new) is not added again, so the dashboard does not change."""
        if self.runs and self.runs[0].model_copy(update={"date": run.date, "url": run.url}) == run:
            return self
        return self.model_copy(update={"runs": (run, *self.runs)[:RUNS_KEPT]})

    def tally(self, day: dt.date, **added: int) -> DashboardState:
        """Counts added to the week holding `day`; weeks older than the shown span fold away."""
        year, week, _ = day.isocalendar()
        key = f"{year}-W{week:02d}"
        weeks = {w.week: w for w in self.weeks}
        current = weeks.get(key, WeekTally(week=key))
        weeks[key] = current.model_copy(update={k: getattr(current, k) + v for k, v in added.items()})
        return self.model_copy(update={"weeks": tuple(weeks[k] for k in sorted(weeks))[-WEEKS_SHOWN:]})


def feed_key(categories: Sequence[str]) -> str:
    return ",".join(sorted(categories))


# ---- the marker ------------------------------------------------------------------------------------


def render_state(state: DashboardState) -> str:
    """The marker: flagged records without abstracts, deferred ids packed, every text short."""

    def record(r: ProposalRecord) -> list[Any]:
        return [
            r.arxiv_id,
            r.title[:MARKER_TITLE_CHARS],
            r.section,
            round(r.confidence, 2),
            r.venue[:40],
            r.code_url,
            r.rationale[:200],
        ]

    feeds = {}
    for key, feed in state.feeds.items():
        packed, others = pack_ids(feed.deferred)
        feeds[key] = {
            "last_seen": feed.last_seen,
            "deferred": packed,
            "deferred_other": list(others),
            "flagged": [record(r) for r in feed.flagged],
        }
    payload = {
        "version": state.version,
        "feeds": feeds,
        "new_versions": state.new_versions,
        "runs": [r.model_dump(exclude_defaults=True) for r in state.runs],
        "weeks": [w.model_dump() for w in state.weeks],
        "decisions_counted": state.decisions_counted,
        "maintenance_requested": state.maintenance_requested,
        "retrain_requested": state.retrain_requested,
        "model": state.model,
    }
    return encode_marker(MARKER_KIND, payload)


def parse_state(body: str | None) -> DashboardState | None:
    """The state a dashboard body holds, or None when it has no readable marker (a newer version's fields
    are ignored, a hand-edited marker beyond reading is no state rather than a failed run)."""
    data = decode_marker(body, MARKER_KIND)
    if data is None:
        return None
    try:
        feeds = {
            key: FeedRecord(
                last_seen=feed.get("last_seen"),
                deferred=tuple(sorted({*unpack_ids(feed.get("deferred", "")), *feed.get("deferred_other", [])})),
                flagged=tuple(
                    ProposalRecord(
                        arxiv_id=r[0],
                        title=r[1],
                        section=r[2],
                        confidence=r[3],
                        venue=r[4],
                        code_url=r[5],
                        rationale=r[6],
                    )
                    for r in feed.get("flagged", [])
                ),
            )
            for key, feed in data.get("feeds", {}).items()
        }
        return DashboardState(
            version=int(data.get("version", 1)),
            feeds=feeds,
            new_versions=dict(data.get("new_versions", {})),
            runs=tuple(RunRecord.model_validate(r) for r in data.get("runs", [])),
            weeks=tuple(WeekTally.model_validate(w) for w in data.get("weeks", [])),
            decisions_counted={str(k): int(v) for k, v in data.get("decisions_counted", {}).items()},
            maintenance_requested=bool(data.get("maintenance_requested", False)),
            retrain_requested=bool(data.get("retrain_requested", False)),
            model=str(data.get("model", "")),
        )
    except (ValidationError, ValueError, KeyError, IndexError, TypeError):
        return None


# ---- what maintainers ticked ----------------------------------------------------------------------------


def retrain_ticked(body: str) -> bool:
    """Whether "retrain the model now" is ticked."""
    return any(m.group("action") == RETRAIN_NOW and m.group("mark") != " " for m in _ACTION_RE.finditer(body))


def ticked(body: str, state: DashboardState) -> tuple[list[str], bool]:
    """The flagged papers a maintainer ticked (only ids the state holds, only the bot's own box lines), and
    whether "run maintenance" is ticked."""
    flagged = {r.arxiv_id for feed in state.feeds.values() for r in feed.flagged}
    papers = [m.group("id") for m in CHECKBOX_RE.finditer(body) if m.group("mark") != " " and m.group("id") in flagged]
    actions = {m.group("action") for m in _ACTION_RE.finditer(body) if m.group("mark") != " "}
    return list(dict.fromkeys(papers)), MAINTAIN_NOW in actions


# ---- the body ----------------------------------------------------------------------------------------


class OpenPull(BaseModel):
    model_config = ConfigDict(frozen=True)

    number: int
    title: str
    url: str


class DashboardView(BaseModel):
    """What the body shows besides the state: read fresh from GitHub and config by the job."""

    model_config = ConfigDict(frozen=True)

    list_path: str
    repo: str
    open_pulls: tuple[OpenPull, ...] = ()
    next_maintenance: str = ""
    decisions: tuple[Mapping[str, Any], ...] = ()  # the maintainers' calls (`curatorbot decisions --json` rows)


def section_rates(decisions: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Per section: accepted, moved there, rejected, and the share kept (accepted or moved of all calls)."""
    counts: dict[str, Counter[str]] = {}
    for row in decisions:
        section = str(row.get("section") or "(none)")
        counts.setdefault(section, Counter())[str(row["action"])] += 1
    rows = []
    for section in sorted(counts):
        c = counts[section]
        total = c["accepted"] + c["moved"] + c["rejected"]
        rows.append(
            {
                "section": plain_text(section, 80),
                "accepted": c["accepted"],
                "moved": c["moved"],
                "rejected": c["rejected"],
                "rate": f"{(c['accepted'] + c['moved']) / total:.0%}" if total else "-",
            }
        )
    return rows


def render_dashboard(state: DashboardState, view: DashboardView) -> str:
    """The issue body within GitHub's limit: past it, the oldest flagged rows fold into a line of ids."""
    marker = render_state(state)
    flagged = [r for feed in state.feeds.values() for r in feed.flagged]
    deferred = sorted({i for feed in state.feeds.values() for i in feed.deferred})

    def attempt(folded: int) -> str:
        body = template("dashboard.md.j2").render(
            view=view,
            flagged=[proposal_row(r, 0) for r in flagged[folded:]],
            folded=[r.arxiv_id for r in flagged[:folded] if is_arxiv_id(r.arxiv_id)],
            deferred=[i for i in deferred if is_arxiv_id(i)],
            last_seen=sorted((key, feed.last_seen) for key, feed in state.feeds.items() if feed.last_seen),
            runs=[
                {
                    "date": plain_text(r.date, 20),
                    "command": plain_text(r.command, 40),
                    "outcome": r.outcome,
                    "summary": plain_text(r.summary or r.error, 200),
                    "tokens": r.tokens,
                    "model": plain_text(f"{r.backend} {r.model}".strip(), 60),
                    "url": r.url if r.url.startswith("https://github.com/") else "",
                }
                for r in state.runs
            ],
            weeks=state.weeks,
            sections=section_rates(view.decisions),
            maintenance_requested=state.maintenance_requested,
            maintain_now=MAINTAIN_NOW,
            retrain_requested=state.retrain_requested,
            retrain_now=RETRAIN_NOW,
            model=plain_text(state.model, 120),
        )
        return f"{body.rstrip()}\n\n{marker}\n"

    text = attempt(0)
    folded = 0
    while len(text) > BODY_LIMIT and folded < len(flagged):
        folded = min(len(flagged), max(1, folded * 2))
        text = attempt(folded)
    return text
