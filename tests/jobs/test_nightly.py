"""A full night in one process: a real listing day served as arXiv's feed and API (recorded from the
stand-in), the LLM stage from recordings of the OpenAI-compatible stub, and the stateful GitHub fake."""

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA, REAL_LIST
from curatorbot.cli.main import main
from curatorbot.domain.pull_request import parse_marker
from fakes import github_fake, openai_stub
from goldens import golden

DAYS = [json.loads(line) for line in (DATA / "eval" / "listing_days.sample.jsonl").read_text().splitlines()]
DAY = next(d for d in DAYS if d["date"] == "2025-03-04")
NIGHT = {
    "match_on": ["method", "scheme", "host", "port", "path", "query", "llm_batch"],
    "ignore_hosts": ["localhost"],
}
pytestmark = pytest.mark.block_network(allowed_hosts=["127.0.0.1", "::1", "localhost"])


@pytest.fixture
def fake(github_list_for_cli: github_fake.GitHubFake, monkeypatch: pytest.MonkeyPatch) -> github_fake.GitHubFake:
    monkeypatch.setenv("CURATORBOT_LLM__MODEL", "stub-model")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    return github_list_for_cli


@pytest.mark.vcr(**NIGHT)
def test_a_full_night_opens_one_pr_then_a_rerun_is_a_no_op(
    fake: github_fake.GitHubFake,
    arxiv_standin: Any,
    openai_stub_url: Any,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    arxiv_standin(dt.date(2025, 3, 4), DAY["ids"])
    monkeypatch.setenv("CURATORBOT_LLM__BASE_URL", openai_stub_url(default=openai_stub.answer_by_title))
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    outputs = tmp_path / "outputs"
    monkeypatch.setenv("GITHUB_OUTPUT", str(outputs))

    assert main(["run", "--today", "2025-03-04"]) == 0
    out = capsys.readouterr().out
    # The tokens the night spent, for the workflow's catch-up step (one budget for both).
    [tokens_line] = outputs.read_text(encoding="utf-8").splitlines()
    assert tokens_line.startswith("tokens=") and int(tokens_line.removeprefix("tokens=")) > 0
    [pull] = fake.open_pulls()
    assert pull.labels == ["needs-human-review"]
    base, branch = fake.file("main"), fake.file("curatorbot/new-papers")
    import difflib

    golden(
        "nightly_diff.patch",
        "".join(difflib.unified_diff(base.splitlines(True), branch.splitlines(True), "a/README.md", "b/README.md")),
    )
    golden("nightly_pr_body.md", pull.body)
    assert (
        "normal day (2025-03-04; 31 new and cross-listed papers announced 2025-03-04): 31 announced, 0 already known"
        in out
    )
    assert "opened pull request #1" in out
    assert "| accepted |" in summary.read_text()

    # The same announcement again: the feed state says it was processed; nothing changes.
    refs = dict(fake.refs)
    assert main(["run", "--today", "2025-03-04"]) == 0
    out = capsys.readouterr().out
    assert "stale day (2025-03-04; the feed still shows 2025-03-04, which the last run already processed)" in out
    assert "nothing new to propose" in out
    assert fake.refs == refs and len(fake.pulls) == 1


@pytest.mark.vcr(**NIGHT)
def test_a_quiet_day_opens_nothing(
    fake: github_fake.GitHubFake,
    arxiv_standin: Any,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY")  # the local backend: it decided nothing, so no "extra care" note
    arxiv_standin(None, [])
    assert main(["run", "--today", "2025-03-08"]) == 0
    out = capsys.readouterr().out
    assert "quiet day" in out and "nothing new to propose" in out and "extra care" not in out
    assert fake.pulls == [] and set(fake.refs) == {"main"}


@pytest.mark.vcr(**NIGHT)
def test_dry_run_without_keys_uses_the_local_backend_and_writes_nothing(
    fake: github_fake.GitHubFake,
    arxiv_standin: Any,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name in ("OPENAI_API_KEY", "GITHUB_TOKEN"):
        monkeypatch.delenv(name)
    arxiv_standin(dt.date(2025, 3, 4), DAY["ids"])
    assert main(["run", "--dry-run", "--today", "2025-03-04"]) == 0
    out, err = capsys.readouterr()
    assert "previewing the pull request (dry run)" in err and "updating the pull request" not in err
    assert "23 pre-filtered out, 8 classified by local, 2 accepted, 0 rejected, 6 need a human look" in out
    assert "note: classified by the local backend (no LLM endpoint configured)" in out
    assert "--- a/README.md\n+++ b/README.md\n" in out and "--- pull request body ---" in out
    assert "backend: local" in out  # the PR body says who decided
    assert "dry run: would propose 2 papers; nothing written" in out and "(s)" not in out
    assert fake.pulls == [] and all(method == "GET" for method, _ in fake.requests)


def test_writing_without_a_token_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    assert main(["run"]) == 2
    assert "needs GITHUB_TOKEN (or GH_TOKEN); or preview with --dry-run" in capsys.readouterr().err


@pytest.mark.vcr
def test_backfill_a_day_on_a_local_list_previews_the_diff(
    arxiv_standin: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for name in ("OPENAI_API_KEY", "GITHUB_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CURATORBOT_ARXIV__STATE_FILE", str(tmp_path / "state.json"))
    arxiv_standin(None, DAY["ids"])
    assert main(["run", "--date", "2025-03-04", "--list", str(REAL_LIST), "--max-papers", "20"]) == 0
    out = capsys.readouterr().out
    assert "normal day (2025-03-03; backfill of submissions 2025-03-03..2025-03-03: 31 papers)" in out
    assert "20 classified by local" not in out  # the pre-filter keeps most of them away from the classifier
    assert "11 deferred" in out  # 31 papers, at most 20 per run
    assert "local list: would propose" in out
    assert not (tmp_path / "state.json").exists()  # a backfill never marks the feed as processed


@pytest.mark.vcr(**NIGHT)
def test_a_new_version_of_a_listed_paper_is_noted_for_the_maintenance_run(
    fake: github_fake.GitHubFake,
    arxiv_standin: Any,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY")
    standin = arxiv_standin(dt.date(2025, 3, 4), [*DAY["ids"], "2303.14524"])
    standin.replaced = ["2303.14524"]  # Chat-REC, on the list, announced in a new version
    assert main(["run", "--today", "2025-03-04"]) == 0
    out = capsys.readouterr().out
    assert "1 listed paper announced in a new version: noted for the next maintenance run" in out
    state = json.loads((tmp_path / "feed-state.json").read_text(encoding="utf-8"))
    assert state["noted_new_versions"] == {"2303.14524": "2025-03-04"}
    assert "31 announced" in out  # the replacement is set aside, not proposed again


def state_of(tmp_path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((tmp_path / "feed-state.json").read_text(encoding="utf-8"))["cs.IR"]
    return data


@pytest.mark.vcr(**NIGHT)
def test_deferred_papers_and_undelivered_flags_come_back_the_next_night(
    fake: github_fake.GitHubFake,
    arxiv_standin: Any,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY")  # the local backend decides
    arxiv_standin(dt.date(2025, 3, 4), DAY["ids"])
    # Night 1: a budget of 10 papers, and every relevant paper too unsure to propose: no pull request.
    monkeypatch.setenv("CURATORBOT_LLM__CONFIDENCE_THRESHOLD", "1.0")
    assert main(["run", "--today", "2025-03-04", "--max-papers", "10"]) == 0
    out = capsys.readouterr().out
    assert "21 deferred" in out and fake.pulls == []
    night_1 = state_of(tmp_path)
    assert len(night_1["deferred"]) == 21 and night_1["flagged"], out
    flagged_first = {f["arxiv_id"] for f in night_1["flagged"]}

    # Night 2: the same feed (already processed), the usual threshold: the 21 deferred papers come first,
    # one of them is proposed, and the pull request it opens shows night 1's flags too.
    monkeypatch.delenv("CURATORBOT_LLM__CONFIDENCE_THRESHOLD")
    assert main(["run", "--today", "2025-03-04"]) == 0
    out = capsys.readouterr().out
    assert "21 papers deferred by the last run taken first" in out
    assert "18 pre-filtered out, 3 classified by local" in out and "0 deferred" in out  # 10 + 18 + 3 = 31
    [pull] = fake.open_pulls()
    marker = parse_marker(pull.body)
    assert marker is not None and flagged_first <= {f.arxiv_id for f in marker.flagged}
    assert state_of(tmp_path)["deferred"] == [] and state_of(tmp_path)["flagged"] == []


@pytest.mark.vcr(**NIGHT)
def test_a_feed_cut_off_mid_document_does_not_mark_the_day_processed(
    fake: github_fake.GitHubFake,
    arxiv_standin: Any,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY")
    arxiv_standin(dt.date(2025, 3, 4), DAY["ids"], truncated_feeds=2)  # the read and its retry are both cut
    assert main(["run", "--today", "2025-03-04"]) == 0
    out = capsys.readouterr()
    assert "the feed was cut off" in out.out and "not well-formed XML" in out.err
    assert "last_seen" not in state_of(tmp_path)
    # The next run reads the whole feed: a normal day, not a stale one, and now it is recorded.
    assert main(["run", "--today", "2025-03-04"]) == 0
    out = capsys.readouterr()
    assert "normal day (2025-03-04" in out.out and "31 announced" in out.out
    assert state_of(tmp_path)["last_seen"] == "2025-03-04"


def test_counts_read_as_words() -> None:
    from curatorbot.domain.wording import count_of

    assert (count_of(1, "paper"), count_of(2, "paper"), count_of(0, "LLM batch", "LLM batches")) == (
        "1 paper",
        "2 papers",
        "0 LLM batches",
    )


@pytest.mark.vcr(**NIGHT)
def test_the_nightly_run_applies_a_pending_review_first(
    fake: github_fake.GitHubFake, arxiv_standin: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    arxiv_standin(dt.date(2025, 3, 4), DAY["ids"])
    assert main(["run", "--today", "2025-03-04", "--backend", "local"]) == 0
    [pull] = fake.open_pulls()
    marker = parse_marker(pull.body)
    assert marker is not None
    victim = marker.proposed_ids[0]
    fake.collaborators["maintainer"] = "write"
    fake.comment(pull.number, "maintainer", f"/curatorbot reject {victim} off topic")
    capsys.readouterr()
    assert main(["run", "--today", "2025-03-04", "--backend", "local"]) == 0  # the same day again: stale
    err = capsys.readouterr().err
    assert f"curatorbot: review: pull request #{pull.number}: rejected {victim}" in err
    after = parse_marker(pull.body)
    assert after is not None and victim in after.rejected and victim not in after.proposed_ids
    assert f"/{victim}" not in fake.file("curatorbot/new-papers")


@pytest.mark.vcr(**NIGHT)
def test_a_review_that_fails_never_stops_the_days_papers(
    fake: github_fake.GitHubFake, arxiv_standin: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from conftest import TEST_CONFIG
    from curatorbot.config import load_settings
    from curatorbot.jobs.engine import Target
    from curatorbot.jobs.publish import publish
    from fakes.repo import InProcessRepo
    from publishing import FACTS, proposal

    arxiv_standin(dt.date(2025, 3, 4), DAY["ids"])
    publish(InProcessRepo(fake), Target.nightly(load_settings(TEST_CONFIG)), [proposal("2501.01945")], [], FACTS, False)
    fake.comment(1, "stranger", "/curatorbot reject 2501.01945")
    fake.faults.append(("GET", r"/issues/\d+/comments", "issues/list-comments", 410, {}))  # the review fails
    assert main(["run", "--today", "2025-03-04", "--backend", "local"]) == 0
    captured = capsys.readouterr()
    assert "curatorbot: warning: review not applied this run (GitHub answered HTTP 410" in captured.err
    marker = parse_marker(fake.pulls[0].body)
    assert marker is not None and len(marker.proposed_ids) > 1 and "2501.01945" in marker.proposed_ids
    assert "updated pull request #1" in captured.out


# ---- nights that do not finish: in process, over the service interface ---------------------------------


def _papers_of(day: dict[str, Any], submitted: dt.date) -> list[Any]:
    from curatorbot.domain.models import Paper

    rows = {r["id"]: r for r in map(json.loads, (DATA / "eval" / "papers.sample.jsonl").read_text().splitlines())}
    return [
        Paper(arxiv_id=i, title=rows[i]["title"], abstract=rows[i]["abstract"], published=submitted)
        for i in day["ids"]
        if i in rows
    ]


def _night(day: dt.date, arxiv: Any, repo: Any, state: Any, settings: Any) -> Any:
    from curatorbot.classify.local_backend import LocalClassifier, LocalRun
    from curatorbot.jobs.nightly import NightlyRequest, NightlyServices, run_nightly

    arxiv.today = day
    services = NightlyServices(
        arxiv=arxiv,
        repo=repo,
        local_list=None,
        local=lambda awesome: LocalClassifier(awesome, settings),
        classifier=lambda awesome, local: LocalRun(local),
        feed_state=state,
    )
    now = dt.datetime.combine(day, dt.time(12), dt.UTC)
    request = NightlyRequest(now=now, backend="local", model="relevance", prompt_version="local-1")
    return run_nightly(settings, request, services)


@pytest.mark.parametrize("fault", ["github_5xx_at_write", "feed_cut_after_its_reread"])
def test_a_night_that_does_not_finish_has_its_day_read_back_before_the_next(fault: str, tmp_path: Path) -> None:
    from conftest import TEST_CONFIG
    from curatorbot.config import load_settings
    from curatorbot.domain.errors import GitHubError
    from curatorbot.services.state import FeedState
    from fakes.arxiv_source import InProcessArxiv
    from fakes.repo import InProcessRepo

    settings = load_settings(TEST_CONFIG)
    march_4, march_5, march_6 = (next(d for d in DAYS if d["date"] == f"2025-{m}") for m in ("03-04", "03-05", "08-11"))
    missed = _papers_of(march_5, dt.date(2025, 3, 4))
    arxiv = InProcessArxiv(
        [*_papers_of(march_4, dt.date(2025, 3, 3)), *missed, *_papers_of(march_6, dt.date(2025, 3, 5))],
        {
            dt.date(2025, 3, 4): [p.arxiv_id for p in _papers_of(march_4, dt.date(2025, 3, 3))],
            dt.date(2025, 3, 5): [p.arxiv_id for p in missed],
            dt.date(2025, 3, 6): [p.arxiv_id for p in _papers_of(march_6, dt.date(2025, 3, 5))],
        },
    )
    fake = github_fake.GitHubFake("nancheng58", "Awesome-LLM4RS-Papers", {"README.md": REAL_LIST.read_text()})
    state = FeedState(tmp_path / "feed-state.json")
    _night(dt.date(2025, 3, 4), arxiv, InProcessRepo(fake), state, settings)
    assert state.last_seen(settings.arxiv.categories) == dt.date(2025, 3, 4)

    # March 5 does not finish: GitHub fails when the list is written, or the feed is cut on both reads.
    if fault == "github_5xx_at_write":
        with pytest.raises(GitHubError, match="502"):
            _night(dt.date(2025, 3, 5), arxiv, InProcessRepo(fake, fail_on={"write_file": 1}), state, settings)
    else:
        arxiv.cut_feeds = 1
        report = _night(dt.date(2025, 3, 5), arxiv, InProcessRepo(fake), state, settings)
        assert report.counts.announced == len(missed) // 2
    assert state.last_seen(settings.arxiv.categories) == dt.date(2025, 3, 4)

    # March 6: its feed no longer shows March 5, so March 5's submissions are read through the API first.
    report = _night(dt.date(2025, 3, 6), arxiv, InProcessRepo(fake), state, settings)
    assert arxiv.searches[-1] == ("cat:cs.IR", dt.date(2025, 3, 4), dt.date(2025, 3, 4))
    assert report.counts.backfilled == len(missed) == 10
    assert any("were read through the arXiv API first" in note for note in report.notes)
    # Every paper of the missed day is in the pull request, or decided: none is lost.
    marker = parse_marker(fake.open_pulls()[0].body)
    assert marker is not None
    held = {*marker.proposed_ids, *(f.arxiv_id for f in marker.flagged)}
    c = report.counts
    assert c.announced + c.backfilled + c.carried_over == (
        c.already_known + c.withdrawn + c.prefiltered_out + c.sent_to_classifier + c.deferred
    )
    assert held & {p.arxiv_id for p in missed}, "the missed day's relevant papers reach the pull request"
    assert state.last_seen(settings.arxiv.categories) == dt.date(2025, 3, 6)


def test_a_relevant_paper_whose_title_is_only_markup_is_flagged_not_written(tmp_path: Path) -> None:
    from conftest import TEST_CONFIG
    from curatorbot.config import load_settings
    from curatorbot.domain.models import Paper
    from curatorbot.jobs.nightly import NightlyRequest, NightlyServices, run_nightly
    from curatorbot.services.state import FeedState
    from fakes.arxiv_source import InProcessArxiv
    from fakes.classifiers import PassAll, Sure
    from fakes.repo import InProcessRepo

    settings = load_settings(TEST_CONFIG)
    abstract = "We use a large language model as a recommender system for sequential recommendation. " * 3
    papers = [Paper(arxiv_id="2503.09001", title="<b></b>", abstract=abstract, published=dt.date(2025, 3, 3))]
    arxiv = InProcessArxiv(papers, {dt.date(2025, 3, 4): ["2503.09001"]})

    fake = github_fake.GitHubFake("nancheng58", "Awesome-LLM4RS-Papers", {"README.md": REAL_LIST.read_text()})
    services = NightlyServices(
        arxiv=arxiv,
        repo=InProcessRepo(fake),
        local_list=None,
        local=lambda awesome: PassAll(awesome, settings),
        classifier=lambda awesome, local: Sure(),
        feed_state=FeedState(tmp_path / "state.json"),
    )
    now = dt.datetime(2025, 3, 4, 12, tzinfo=dt.UTC)
    report = run_nightly(settings, NightlyRequest(now=now, backend="openai", model="m", prompt_version="3"), services)
    assert report.counts.accepted == 0 and report.counts.needs_human == 1
    assert fake.pulls == []  # nothing to write: no empty entry in the list
    [flag] = report.result.undelivered  # type: ignore[union-attr]
    assert flag.rationale.startswith("its title is only markup, so no entry is written for it")


# ---- lists of tables ---------------------------------------------------------------------------------

OTHER_LISTS = DATA / "lists" / "other"
CHIANGEL_NEWEST = "1. Papers > 1.7 Newest Research Work List"
CHIANGEL_GENERATION = "1. Papers > 1.3 LLM as Scoring/Ranking Function > 1.3.2 Item Generation Task"
WLIK_NO_TUNING = "Table of Contents > The papers and related projects > No Tuning"


def _table_night(list_name: str, sections: list[str], section: str, tmp_path: Path, **list_settings: Any) -> Any:
    """One night on a real table list: one relevant paper, classified into `section` by a sure LLM."""
    from conftest import TEST_CONFIG
    from curatorbot.config import SectionSettings, load_settings
    from curatorbot.domain.models import Paper
    from curatorbot.jobs.nightly import NightlyRequest, NightlyServices, run_nightly
    from curatorbot.services.state import FeedState
    from fakes.arxiv_source import InProcessArxiv
    from fakes.classifiers import PassAll, Sure
    from fakes.repo import InProcessRepo

    base = load_settings(TEST_CONFIG)
    settings = base.model_copy(
        update={
            "sections": tuple(SectionSettings(path=s, description=s) for s in sections),
            "list": base.list.model_copy(update=list_settings),
        }
    )
    paper = Paper(
        arxiv_id="2507.01234",
        title="Generative Recommendation with a | Pipe in the Title",
        abstract="We fine-tune a large language model to generate item identifiers for recommendation.",
        comments="Accepted by RecSys 2025. Code: https://github.com/o/genrec",
        published=dt.date(2025, 7, 1),
    )
    arxiv = InProcessArxiv([paper], {dt.date(2025, 7, 2): [paper.arxiv_id]})
    with (OTHER_LISTS / list_name).open(encoding="utf-8", newline="") as handle:
        text = handle.read()
    fake = github_fake.GitHubFake("o", "list", {"README.md": text})
    services = NightlyServices(
        arxiv=arxiv,
        repo=InProcessRepo(fake),
        local_list=None,
        local=lambda awesome: PassAll(awesome, settings),
        classifier=lambda awesome, local: Sure(section),
        feed_state=FeedState(tmp_path / "state.json"),
    )
    now = dt.datetime(2025, 7, 2, 12, tzinfo=dt.UTC)
    report = run_nightly(settings, NightlyRequest(now=now, backend="openai", model="m", prompt_version="3"), services)
    return report, fake, text


def _added_lines(before: str, after: str) -> list[str]:
    import difflib

    return [
        line[1:]
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line.startswith("+") and not line.startswith("+++")
    ]


def test_a_new_paper_goes_to_the_newest_papers_table_the_list_names(tmp_path: Path) -> None:
    list_name = "CHIANGEL__Awesome-LLM-for-RecSys.2025-06-30.README.md"
    report, fake, before = _table_night(
        list_name,
        [CHIANGEL_GENERATION, CHIANGEL_NEWEST],
        CHIANGEL_GENERATION,
        tmp_path,
        new_papers_section=CHIANGEL_NEWEST,
    )
    assert report.counts.accepted == 1
    after = fake.file("curatorbot/new-papers")
    # A row of the 1.7 table's own three columns, at its end, the pipe in the title escaped.
    assert _added_lines(before, after) == [
        "| Generative Recommendation with a \\| Pipe in the Title | RecSys 2025 | [[Link]](https://arxiv.org/abs/2507.01234) |"
    ]
    lines = after.splitlines()
    at = lines.index(_added_lines(before, after)[0])
    assert lines[at - 1].endswith("(https://arxiv.org/abs/2506.21579) |") and lines[at + 1] == ""
    body = fake.open_pulls()[0].body
    assert f"**{CHIANGEL_NEWEST.replace('>', '&gt;')}**" in body
    assert f"suggested section: {CHIANGEL_GENERATION}".replace(">", "&gt;") in body  # the classifier's call, shown


def test_a_table_row_has_every_column_and_the_body_asks_for_the_cells_curatorbot_cannot_fill(
    tmp_path: Path,
) -> None:
    list_name = "WLiK__LLM4Rec-Awesome-Papers.README.md"
    report, fake, before = _table_night(list_name, [WLIK_NO_TUNING], WLIK_NO_TUNING, tmp_path)
    assert report.counts.accepted == 1
    after = fake.file("curatorbot/new-papers")
    golden("table_row_wlik.txt", "\n".join(_added_lines(before, after)) + "\n")
    body = fake.open_pulls()[0].body
    assert "Please fill in its Name, LLM cells on this branch" in body
    marker = parse_marker(body)
    assert marker is not None and marker.proposed[0].to_fill == ("Name", "LLM")


def test_a_section_without_entries_or_a_table_to_follow_is_flagged_with_the_reason(tmp_path: Path) -> None:
    list_name = "CHIANGEL__Awesome-LLM-for-RecSys.2025-06-30.README.md"
    parent = "1. Papers > 1.3 LLM as Scoring/Ranking Function"  # only its sub-sections hold tables
    report, fake, _ = _table_night(list_name, [parent], parent, tmp_path)
    assert report.counts.accepted == 0 and report.counts.needs_human == 1
    assert fake.pulls == []  # nothing written into a guessed place
    [flag] = report.result.undelivered
    assert flag.rationale.startswith(f"section '{parent}' has no entries or table to follow")
    assert f"2507.01234 not written, flagged for a maintainer: section '{parent}' has no entries" in "\n".join(
        report.notes
    )  # one line in the run's output
