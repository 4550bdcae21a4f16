"""The dashboard issue's lifecycle, in process over the service interface: the GitHub fake's state, an
in-process arXiv, and a classifier that is never sure (every relevant paper needs a human look)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA, REAL_LIST, TEST_CONFIG
from curatorbot.config import Settings, load_settings
from curatorbot.domain.awesome_list import AwesomeList
from curatorbot.domain.dashboard import parse_state
from curatorbot.domain.errors import GitHubError
from curatorbot.domain.models import Paper
from curatorbot.domain.pull_request import parse_marker
from curatorbot.jobs.dashboard import night_with_dashboard
from curatorbot.jobs.nightly import NightlyRequest, NightlyServices
from curatorbot.jobs.review import maintainer_decisions, run_review
from curatorbot.services.state import FeedState
from fakes.arxiv_source import InProcessArxiv
from fakes.classifiers import PassAll, Refusing, Sure, Unsure
from fakes.github_fake import GitHubFake
from fakes.repo import InProcessRepo
from goldens import golden

ROWS = {r["id"]: r for r in map(json.loads, (DATA / "eval" / "papers.sample.jsonl").read_text().splitlines())}
DAYS = [dt.date(2025, 3, 4), dt.date(2025, 3, 5), dt.date(2025, 3, 6), dt.date(2025, 3, 7)]


def settings() -> Settings:
    base = load_settings(TEST_CONFIG)
    return base.model_copy(update={"dashboard": base.dashboard.model_copy(update={"enabled": True})})


class World:
    """Four announcement days of five real sample papers each, the real list on the GitHub fake."""

    def __init__(self, tmp_path: Path) -> None:
        listed = AwesomeList.parse(REAL_LIST.read_text())
        fresh = [i for i in sorted(ROWS) if i not in listed.arxiv_ids and listed.find(title=ROWS[i]["title"]) is None]
        ids = fresh[:20]
        self.days = {day: ids[n * 5 : n * 5 + 5] for n, day in enumerate(DAYS)}
        papers = [
            Paper(arxiv_id=i, title=ROWS[i]["title"], abstract=ROWS[i]["abstract"], published=day - dt.timedelta(1))
            for day, some in self.days.items()
            for i in some
        ]
        self.arxiv = InProcessArxiv(papers, self.days)
        self.fake = GitHubFake("nancheng58", "Awesome-LLM4RS-Papers", {"README.md": REAL_LIST.read_text()})
        self.state_file = tmp_path / "cache" / "state.json"
        self.settings = settings()

    def night(self, day: dt.date, classifier: Any = Unsure, repo: Any = None, max_papers: int | None = None) -> Any:
        self.arxiv.today = day
        settings = self.settings
        services = NightlyServices(
            arxiv=self.arxiv,
            repo=repo or InProcessRepo(self.fake),
            local_list=None,
            local=lambda awesome: PassAll(awesome, settings),
            classifier=lambda awesome, local: classifier(),
            feed_state=FeedState(self.state_file),
        )
        now = dt.datetime.combine(day, dt.time(12), dt.UTC)
        request = NightlyRequest(now=now, backend="openai", model="unsure", prompt_version="3", max_papers=max_papers)
        return night_with_dashboard(
            settings, request, services, None, services.repo, lambda ids: [self.arxiv.archive[i] for i in ids]
        )

    @property
    def dashboard(self) -> Any:
        [issue] = self.fake.issues
        return issue

    def flagged_on_dashboard(self) -> list[str]:
        state = parse_state(self.dashboard.body)
        assert state is not None
        return [r.arxiv_id for feed in state.feeds.values() for r in feed.flagged]


def test_an_unsure_or_refusing_llm_for_two_nights_shows_every_flagged_paper_on_the_dashboard(tmp_path: Path) -> None:
    world = World(tmp_path)
    world.night(DAYS[0])
    assert world.fake.pulls == []  # flags alone open no pull request ...
    assert world.flagged_on_dashboard() == world.days[DAYS[0]]  # ... and yet every one is shown on night 1
    body = world.dashboard.body
    assert all(f"- [ ] `{i}` **Paper List**" in body for i in world.days[DAYS[0]])
    world.night(DAYS[1], classifier=Refusing)
    assert sorted(world.flagged_on_dashboard()) == sorted(world.days[DAYS[0]] + world.days[DAYS[1]])
    refused = world.days[DAYS[1]][0]
    assert f"- [ ] `{refused}` **(none)**" in world.dashboard.body and "the model refused" in world.dashboard.body
    # Ticking a refused paper: it has no section to go under, and the run says so.
    world.dashboard.body = world.dashboard.body.replace(f"- [ ] `{refused}`", f"- [x] `{refused}`")
    night = world.night(DAYS[2], classifier=Refusing)
    assert any(f"{refused} was ticked but has no suggested section" in m for m in night.messages)
    assert world.dashboard.labels == ["curatorbot-dashboard"] and len(world.fake.issues) == 1  # never duplicated


def test_ticking_a_flagged_paper_on_the_dashboard_puts_it_in_the_next_pull_request(tmp_path: Path) -> None:
    world = World(tmp_path)
    world.night(DAYS[0])
    chosen = world.days[DAYS[0]][2]
    world.dashboard.body = world.dashboard.body.replace(f"- [ ] `{chosen}`", f"- [x] `{chosen}`")
    night = world.night(DAYS[1])
    assert "1 flagged paper ticked on the dashboard added" in night.report.notes
    [pull] = world.fake.open_pulls()
    marker = parse_marker(pull.body)
    assert marker is not None and chosen in marker.proposed_ids
    entry = AwesomeList.parse(world.fake.file(pull.head)).find(arxiv_id=chosen)
    assert entry is not None and entry.section_path == "Paper List"
    assert chosen not in world.flagged_on_dashboard()
    assert f"[#{pull.number}]" in world.dashboard.body  # the open pull request is listed under "Waiting"


def test_an_empty_actions_cache_after_a_deferred_night_loses_nothing(tmp_path: Path) -> None:
    world = World(tmp_path)
    world.night(DAYS[0], classifier=Sure, max_papers=2)
    state = parse_state(world.dashboard.body)
    assert state is not None and len(next(iter(state.feeds.values())).deferred) == 3
    world.state_file.unlink(missing_ok=True)  # the Actions cache was evicted
    night = world.night(DAYS[1], classifier=Sure)
    assert (
        night.report.counts.carried_over == 3 and "3 papers deferred by the last run taken first" in night.report.notes
    )
    marker = parse_marker(world.fake.open_pulls()[0].body)
    assert marker is not None and set(world.days[DAYS[0]]) <= set(marker.proposed_ids)


def test_a_failed_run_shows_its_error_on_the_dashboard_and_the_next_run_repairs_it(tmp_path: Path) -> None:
    world = World(tmp_path)
    world.night(DAYS[0])
    with pytest.raises(GitHubError, match="502"):
        world.night(DAYS[1], classifier=Sure, repo=InProcessRepo(world.fake, fail_on={"write_file": 1}))
    state = parse_state(world.dashboard.body)
    assert state is not None and state.runs[0].outcome == "failed" and "502" in state.runs[0].error
    assert "| **failed** |" in world.dashboard.body
    world.night(DAYS[2], classifier=Sure)
    state = parse_state(world.dashboard.body)
    assert state is not None and state.runs[0].outcome == "ok"
    marker = parse_marker(world.fake.open_pulls()[0].body)
    assert marker is not None and set(world.days[DAYS[1]]) <= set(marker.proposed_ids)  # the failed day came back


def test_a_rerun_with_nothing_new_changes_nothing(tmp_path: Path) -> None:
    world = World(tmp_path)
    world.night(DAYS[0])
    world.night(DAYS[0])  # the same announcement: a stale day
    body = world.dashboard.body
    repo = InProcessRepo(world.fake)
    world.night(DAYS[0], repo=repo)
    assert world.dashboard.body == body and "update_issue" not in repo.calls and "create_issue" not in repo.calls


def test_the_weekly_numbers_match_the_decisions_export(tmp_path: Path) -> None:
    world = World(tmp_path)
    world.night(DAYS[0], classifier=Sure)
    [pull] = world.fake.open_pulls()
    for rejected in world.days[DAYS[0]][:2]:
        pull.body = pull.body.replace(f"- [x] `{rejected}`", f"- [ ] `{rejected}`")
    repo = InProcessRepo(world.fake)
    run_review(repo, world.settings, parse_facts(), dry_run=False)
    world.night(DAYS[1], classifier=Sure)
    state = parse_state(world.dashboard.body)
    assert state is not None
    decisions = maintainer_decisions(repo, world.settings)
    [week] = state.weeks
    assert (week.week, week.proposed) == ("2025-W10", 10)
    assert week.rejected == sum(1 for d in decisions if d["action"] == "rejected") == 2
    assert "bar [10]" in world.dashboard.body and "| 2025-W10 | 10 | 0 | 2 | 0 |" in world.dashboard.body
    golden("dashboard_body.md", world.dashboard.body)


def parse_facts() -> Any:
    from curatorbot.domain.pull_request import RunFacts

    return RunFacts(date="2025-03-05", categories=("cs.IR",), backend="review", model="none", prompt_version="-")


def test_a_closed_dashboard_is_respected_and_the_state_file_stands_in(tmp_path: Path) -> None:
    world = World(tmp_path)
    world.night(DAYS[0])
    world.dashboard.state = "closed"
    body = world.dashboard.body
    night = world.night(DAYS[1])
    assert world.dashboard.body == body  # nothing written while closed
    assert any("is closed: nothing is written there until it is reopened" in m for m in night.messages)
    assert FeedState(world.state_file).last_seen(["cs.IR"]) == DAYS[1]  # the state file holds the night meanwhile


def test_two_dashboards_use_the_oldest_and_say_so(tmp_path: Path) -> None:
    world = World(tmp_path)
    world.night(DAYS[0])
    [first] = world.fake.issues
    second = world.fake.open_issue("curatorbot dashboard", "a copy someone made", ["curatorbot-dashboard"])
    night = world.night(DAYS[1])
    assert any(
        f"2 dashboard issues: using the oldest, #{first.number} (#{second} ignored)" in m for m in night.messages
    )
    assert world.fake.issue(second).body == "a copy someone made" and "2025-03-05" in first.body


def test_a_dry_run_prints_the_dashboard_and_writes_nothing(tmp_path: Path) -> None:
    world = World(tmp_path)
    world.arxiv.today = DAYS[0]
    services = NightlyServices(
        arxiv=world.arxiv,
        repo=InProcessRepo(world.fake),
        local_list=None,
        local=lambda awesome: PassAll(awesome, world.settings),
        classifier=lambda awesome, local: Unsure(),
        feed_state=FeedState(world.state_file),
    )
    now = dt.datetime.combine(DAYS[0], dt.time(12), dt.UTC)
    request = NightlyRequest(now=now, backend="openai", model="unsure", prompt_version="3", dry_run=True)
    night = night_with_dashboard(world.settings, request, services, None, services.repo, lambda ids: [])
    assert world.fake.issues == [] and "### Needs a look" in night.body and "<!-- curatorbot:" in night.body


def test_run_maintenance_ticked_on_the_dashboard_asks_the_workflow_and_maintain_clears_it(tmp_path: Path) -> None:
    from curatorbot.jobs.dashboard import record_run, run_record

    world = World(tmp_path)
    world.night(DAYS[0])
    assert world.night(DAYS[1]).maintain is False
    world.dashboard.body = world.dashboard.body.replace("- [ ] <!-- maintain-now -->", "- [x] <!-- maintain-now -->")
    assert world.night(DAYS[2]).maintain is True
    assert "- [x] <!-- maintain-now -->" in world.dashboard.body  # asked, not yet done
    now = dt.datetime(2025, 3, 6, 13, tzinfo=dt.UTC)

    def maintained(state: Any) -> Any:
        return state.model_copy(update={"maintenance_requested": False})

    record_run(
        InProcessRepo(world.fake), world.settings, run_record(now, "maintain", "done"), now.date(), False, maintained
    )
    assert "- [ ] <!-- maintain-now -->" in world.dashboard.body
    assert world.night(DAYS[3]).maintain is False
    state = parse_state(world.dashboard.body)
    assert state is not None and [r.command for r in state.runs][:2] == ["run", "maintain"]


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
def test_status_prints_what_the_dashboard_shows_through_the_real_adapter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from curatorbot.cli.main import main
    from fakes import github_fake

    world = World(tmp_path)
    world.night(DAYS[0])
    with github_fake.serve(world.fake) as url:
        for name, value in {
            "GITHUB_TOKEN": "test-token",
            "CURATORBOT_GITHUB__BASE_URL": url,
            "CURATORBOT_GITHUB__SECONDS_BETWEEN_REQUESTS": "0",
        }.items():
            monkeypatch.setenv(name, value)
        assert main(["status", "--today", "2025-03-04"]) == 0
        shown = capsys.readouterr().out
        assert main(["status", "--json", "--today", "2025-03-04"]) == 0
        data = json.loads(capsys.readouterr().out)
    assert shown.startswith(f"dashboard issue: #{world.dashboard.number} (https://github.com/")
    assert all(f"`{i}`" in shown for i in world.days[DAYS[0]]) and "<!-- curatorbot:" not in shown
    flagged = data["state"]["feeds"]["cs.IR"]["flagged"]
    assert [f["arxiv_id"] for f in flagged] == world.days[DAYS[0]] and data["view"]["next_maintenance"] == "2025-03-10"
    assert world.fake.errors == []  # every request and answer matched GitHub's schemas


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
def test_the_adapter_opens_then_updates_one_dashboard_within_githubs_schemas(tmp_path: Path) -> None:
    from pydantic import SecretStr

    from curatorbot.jobs.dashboard import record_run, run_record
    from curatorbot.services.github import GitHubRepo
    from fakes import github_fake

    world = World(tmp_path)
    now = dt.datetime(2025, 3, 4, 12, tzinfo=dt.UTC)
    with github_fake.serve(world.fake) as url:
        repo = GitHubRepo(
            "nancheng58/Awesome-LLM4RS-Papers",
            SecretStr("test-token"),
            base_url=url,
            seconds_between_requests=0,
            seconds_between_writes=0,
        )
        try:
            record_run(repo, world.settings, run_record(now, "maintain", "first"), now.date(), False)
            record_run(repo, world.settings, run_record(now, "maintain", "second"), now.date(), False)
        finally:
            repo.close()
    assert len(world.fake.issues) == 1 and world.fake.labels["curatorbot-dashboard"]["color"] == "5319e7"
    state = parse_state(world.dashboard.body)
    assert state is not None and [r.summary for r in state.runs] == ["second", "first"]
    assert world.fake.errors == []


def test_github_failing_on_the_dashboard_after_the_pull_request_leaves_the_pr_and_the_next_run_repairs(
    tmp_path: Path,
) -> None:
    world = World(tmp_path)
    world.night(DAYS[0])
    night = world.night(DAYS[1], classifier=Sure, repo=InProcessRepo(world.fake, fail_on={"update_issue": 1}))
    assert any(m.startswith("not updated (GitHub answered HTTP 502") for m in night.messages)
    [pull] = world.fake.open_pulls()  # the pull request stands
    assert "2025-03-05" not in world.dashboard.body
    world.night(DAYS[2], classifier=Sure)
    state = parse_state(world.dashboard.body)
    assert state is not None and state.feeds["cs.IR"].last_seen == "2025-03-06"
    assert f"[#{pull.number}]" in world.dashboard.body


def test_a_locked_dashboard_is_left_alone_and_said_so(tmp_path: Path) -> None:
    world = World(tmp_path)
    world.night(DAYS[0])
    world.dashboard.locked = True
    body = world.dashboard.body
    night = world.night(DAYS[1])
    assert world.dashboard.body == body
    assert any("is locked: nothing is written there until it is unlocked" in m for m in night.messages)


@pytest.mark.block_network(allowed_hosts=["127.0.0.1", "localhost"])
def test_a_failed_maintenance_run_shows_its_error_on_the_dashboard(
    github_list_for_cli: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from curatorbot.cli.main import main

    for name, value in {
        "CURATORBOT_DASHBOARD__ENABLED": "true",
        "CURATORBOT_ARXIV__API_URL": "http://127.0.0.1:9/api/query",  # nothing listens: arXiv is down
        "CURATORBOT_ARXIV__MAX_RETRIES": "0",
        "CURATORBOT_ARXIV__MIN_INTERVAL_SECONDS": "0",
    }.items():
        monkeypatch.setenv(name, value)
    assert main(["maintain", "--today", "2025-03-10"]) == 3
    err = capsys.readouterr().err
    assert "curatorbot: error: " in err and "opened the dashboard issue" in err
    [issue] = github_list_for_cli.issues
    state = parse_state(issue.body)
    assert state is not None and state.runs[0].command == "maintain" and state.runs[0].outcome == "failed"
    assert state.runs[0].date == "2025-03-10 12:00"  # --today stands for the clock
    assert "arXiv" in state.runs[0].error and "| **failed** |" in issue.body


def test_a_dashboard_edit_starts_a_run_only_for_the_dashboard_and_a_maintainer(tmp_path: Path) -> None:
    from curatorbot.jobs.dashboard import edit_to_skip

    world = World(tmp_path)
    world.night(DAYS[0])
    repo = InProcessRepo(world.fake)
    dashboard = world.dashboard.number
    world.fake.collaborators["maintainer"] = "write"
    assert edit_to_skip(repo, world.settings, dashboard, "maintainer") is None
    assert edit_to_skip(repo, world.settings, dashboard, "stranger") == (
        "stranger edited the dashboard without write permission: its boxes are left for a maintainer"
    )
    other = world.fake.open_issue("a bug report", "text", [])
    assert (
        edit_to_skip(repo, world.settings, other, "maintainer") == f"issue #{other} is not the dashboard; nothing to do"
    )
    off = world.settings.model_copy(
        update={"dashboard": world.settings.dashboard.model_copy(update={"enabled": False})}
    )
    assert (
        edit_to_skip(repo, off, dashboard, "maintainer")
        == "the dashboard is off (dashboard.enabled: false); nothing to do"
    )


def test_the_retrain_box_stays_ticked_until_learn_has_run(tmp_path: Path) -> None:
    from curatorbot.jobs.dashboard import read_dashboard

    world = World(tmp_path)
    world.night(DAYS[0])
    assert "- [ ] <!-- retrain-now -->" in world.dashboard.body
    world.dashboard.body = world.dashboard.body.replace("- [ ] <!-- retrain-now -->", "- [x] <!-- retrain-now -->")
    world.night(DAYS[1])  # a run that does not learn keeps the request
    assert "- [x] <!-- retrain-now -->" in world.dashboard.body
    assert read_dashboard(InProcessRepo(world.fake), world.settings).retrain_asked
