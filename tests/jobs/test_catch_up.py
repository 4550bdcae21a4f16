"""The catch-up against the stateful GitHub fake (live) and arXiv's search API (recorded from the stand-in,
which evaluates the real query over the sample archive), with the local backend: several runs per test,
as a maintainer would see them over several nights."""

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA
from curatorbot.cli.main import main
from curatorbot.domain.pull_request import parse_marker
from fakes import github_fake
from goldens import golden

CATCH_UP = {
    "match_on": ["method", "scheme", "host", "port", "path", "query", "body"],
    "ignore_hosts": ["localhost"],
    "allow_playback_repeats": True,  # a rerun asks arXiv the same question again
}
DAYS = {
    row["date"]: row for row in map(json.loads, (DATA / "eval" / "listing_days.sample.jsonl").read_text().splitlines())
}
RANGE = ["--since", "2024-12", "--until", "2025-03", "--today", "2025-04-10", "--backend", "local"]
MARCH = ["--since", "2025-03", "--until", "2025-03", "--today", "2025-04-10", "--backend", "local"]
NIGHT = ["run", "--today", "2025-03-04", "--backend", "local"]
pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1", "::1", "localhost"])


@pytest.fixture
def fake(github_list_for_cli: github_fake.GitHubFake) -> github_fake.GitHubFake:
    return github_list_for_cli


def marker_of(pull: github_fake.Pull) -> Any:
    marker = parse_marker(pull.body)
    assert marker is not None
    return marker


def ids_in(pulls: list[github_fake.Pull]) -> list[str]:
    return [i for p in pulls for i in (*marker_of(p).proposed_ids, *(r.arxiv_id for r in marker_of(p).flagged))]


@pytest.mark.vcr(**CATCH_UP)
def test_windows_open_one_pr_each_and_merged_or_closed_papers_never_return(
    fake: github_fake.GitHubFake, arxiv_standin: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    arxiv_standin(None, [])
    assert main(["catch-up", *RANGE]) == 0
    out = capsys.readouterr().out
    first = list(fake.pulls)
    assert [(p.head, p.state, p.labels) for p in first] == [
        ("curatorbot/catch-up-2024-12", "open", ["needs-human-review"]),
        ("curatorbot/catch-up-2025-01", "open", ["needs-human-review"]),
    ]
    assert [marker_of(p).window for p in first] == ["2024-12", "2025-01"]
    assert "stopped: 2 catch-up pull requests open (2024-12, 2025-01)" in out
    assert "catch-up: 2 windows searched, 3 candidates found" in out

    fake.merge(first[0].number)
    fake.close(first[1].number)
    assert main(["catch-up", *RANGE]) == 0
    out = capsys.readouterr().out
    second = fake.pulls[2:]
    assert [p.head for p in second] == ["curatorbot/catch-up-2025-02", "curatorbot/catch-up-2025-03"]
    assert not set(ids_in(second)) & set(ids_in(first))  # merged or closed: never proposed again
    assert len(ids_in(second)) == len(set(ids_in(second)))
    # Covered windows are not searched again: only February and March were.
    assert [line.split(":")[0] for line in out.splitlines() if line.startswith("202")] == ["2025-02", "2025-03"]

    before = {p.number: p.body for p in fake.pulls}
    refs = dict(fake.refs)
    assert main(["catch-up", *RANGE]) == 0
    assert "every window up to 2025-03-31 is searched" in capsys.readouterr().out
    assert {p.number: p.body for p in fake.pulls} == before and fake.refs == refs


@pytest.mark.vcr(**CATCH_UP)
def test_an_interrupted_window_is_finished_by_the_next_run_in_the_same_pr(
    fake: github_fake.GitHubFake, arxiv_standin: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    arxiv_standin(None, [])
    assert main(["catch-up", *MARCH, "--max-papers", "4"]) == 0
    out = capsys.readouterr().out
    assert "2025-03 is not finished (7 papers deferred" in out
    [pull] = fake.pulls
    assert marker_of(pull).covered == ()  # not finished: the next run searches it again
    first_ids = ids_in([pull])

    assert main(["catch-up", *MARCH]) == 0
    capsys.readouterr()
    [pull] = fake.pulls  # the same pull request, updated
    marker = marker_of(pull)
    assert marker.covered == ("2025-03",)
    assert set(first_ids) < set(ids_in([pull]))
    assert len(ids_in([pull])) == len(set(ids_in([pull])))


@pytest.mark.vcr(**CATCH_UP)
def test_a_paper_in_the_nightly_pr_is_not_proposed_by_the_catch_up(
    fake: github_fake.GitHubFake, arxiv_standin: Any
) -> None:
    arxiv_standin(dt.date(2025, 3, 4), DAYS["2025-03-04"]["ids"])
    assert main(NIGHT) == 0
    assert main(["catch-up", *MARCH]) == 0
    [nightly, catch_up] = fake.pulls
    assert catch_up.head == "curatorbot/catch-up-2025-03"
    nightly_ids, catch_up_ids = set(ids_in([nightly])), set(ids_in([catch_up]))
    assert nightly_ids and catch_up_ids and not nightly_ids & catch_up_ids


@pytest.mark.vcr(**CATCH_UP)
def test_a_paper_in_a_catch_up_pr_is_not_proposed_by_the_nightly_run(
    fake: github_fake.GitHubFake, arxiv_standin: Any
) -> None:
    arxiv_standin(dt.date(2025, 3, 4), DAYS["2025-03-04"]["ids"])
    assert main(["catch-up", *MARCH]) == 0
    assert main(NIGHT) == 0
    [catch_up, *nightly] = fake.pulls
    catch_up_ids = set(ids_in([catch_up]))
    assert catch_up_ids & set(DAYS["2025-03-04"]["ids"])  # the night's papers were in the catch-up first
    assert not set(ids_in(nightly)) & catch_up_ids


@pytest.mark.vcr(**CATCH_UP)
def test_a_selective_catch_up_says_its_rule_and_what_it_held_back(
    fake: github_fake.GitHubFake,
    arxiv_standin: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    arxiv_standin(None, [])
    monkeypatch.setenv("CURATORBOT_CATCH_UP__MAX_PAPERS_PER_WINDOW", "2")
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert main(["catch-up", *MARCH]) == 0
    [pull] = fake.pulls
    marker = marker_of(pull)
    assert len(marker.proposed) == 2
    held_back = next(line for line in pull.body.splitlines() if "selection:" in line)
    assert "at most 2 per window, most confident first" in held_back and "held back" in held_back
    named = held_back.split("held back (")[1].rstrip(")").split(", ")  # the held-back papers are named
    assert named and not set(named) & {r.arxiv_id for r in marker.proposed}
    text = summary.read_text(encoding="utf-8")
    assert "| 2025-03 | 11 |" in text and "Stopped:" in text
    assert "catch-up: 1 window searched, 11 candidates found" in capsys.readouterr().out


@pytest.mark.vcr(**CATCH_UP)
def test_a_dry_run_shows_each_window_and_writes_nothing(
    fake: github_fake.GitHubFake, arxiv_standin: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    arxiv_standin(None, [])
    assert main(["catch-up", *RANGE, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert fake.pulls == [] and set(fake.refs) == {"main"}
    assert "--- pull request title ---\ncuratorbot: catch-up 2024-12 (1 paper)" in out
    assert "+++ b/README.md" in out


def test_tokens_the_nightly_run_spent_count_against_the_catch_up(
    fake: github_fake.GitHubFake, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CURATORBOT_LLM__MAX_TOKENS_PER_RUN", "5000")
    assert main(["catch-up", *MARCH, "--tokens-spent", "5000"]) == 0
    out = capsys.readouterr().out
    assert "stopped: the run's budget is spent" in out and "next: 2025-03" in out
    assert fake.pulls == []  # and arXiv was never asked: this test has no recording to replay


@pytest.mark.vcr(**CATCH_UP)
def test_a_catch_up_pr_body_matches_the_golden_file(fake: github_fake.GitHubFake, arxiv_standin: Any) -> None:
    arxiv_standin(None, [])
    assert main(["catch-up", *MARCH]) == 0
    [pull] = fake.pulls
    body = pull.body.replace(fake.refs["curatorbot/catch-up-2025-03"], "HEAD_SHA").replace(
        fake.refs["main"], "BASE_SHA"
    )
    golden("catch_up_pr_body.md", f"{pull.title}\n\n{body}")
