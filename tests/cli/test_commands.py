import datetime as dt
import json
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import DATA, REAL_LIST
from curatorbot.cli.main import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_lint_json_on_the_real_list(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "lint", str(REAL_LIST), "--json")
    report = json.loads(out)
    assert code == 1
    assert set(report) == {"entries", "arxiv_ids", "problems", "cross_listings"}
    assert (report["entries"], report["arxiv_ids"]) == (184, 162)
    assert set(report["problems"][0]) == {"line", "kind", "message"}


def test_lint_text_output_is_one_line_per_problem(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "lint", str(REAL_LIST))
    assert code == 1
    assert f"{REAL_LIST}:37: duplicate-arxiv-id: arXiv 2307.00457 is listed again" in out
    assert "184 entries, 162 distinct arXiv ids" in err


def test_lint_clean_list_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clean = tmp_path / "README.md"
    clean.write_text("## P\n+ One, arxiv 2024, [[paper]](https://arxiv.org/pdf/2401.00001).\n")
    assert run(capsys, "lint", str(clean))[0] == 0


def test_lint_missing_file_exits_2_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "lint", str(tmp_path / "nope.md"))
    assert code == 2 and out == ""
    assert (
        err == f"curatorbot: error: {tmp_path / 'nope.md'}: no such file; pass the path of the list's Markdown file\n"
    )


def test_lint_binary_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    binary = tmp_path / "list.md"
    binary.write_bytes(b"\xff\xfe\x00bad")
    code, _, err = run(capsys, "lint", str(binary))
    assert code == 2 and "not UTF-8 text" in err


def test_bad_config_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "c.yaml"
    config.write_text("llm:\n  batch_size: -1\n")
    code, _, err = run(capsys, "--config", str(config), "lint", str(REAL_LIST))
    assert code == 2 and err.count("\n") == 1 and "llm.batch_size" in err


def test_lint_without_a_path_says_how_to_give_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "c.yaml"
    config.write_text("")
    code, _, err = run(capsys, "--config", str(config), "lint")
    assert code == 2 and "pass PATH" in err


# ---- show and scan, against recordings of the local arXiv stand-in -------------------------------

EMPTY_LIST = "# My LLM4Rec list\n\n## Survey\n\n## Paper List\n\n### Agent4Rec\n\n### Knowledge Augmentation\n\n### Perspective\n\n## Universal Representation Learning\n\n## Generative Retrieval\n\n## Pretrain Language Model and Prompt Learning\n\n## Dataset\n"
DAY_2025_03_04 = json.loads((DATA / "eval" / "listing_days.sample.jsonl").read_text().splitlines()[1])


@pytest.mark.vcr
def test_show_json_for_a_listed_and_a_new_paper(arxiv_standin: Any, capsys: pytest.CaptureFixture[str]) -> None:
    arxiv_standin(None, [])
    code, out, _ = run(
        capsys, "show", "2305.00447", "https://arxiv.org/abs/2412.12836v1", "--list", str(REAL_LIST), "--json"
    )
    assert code == 0
    listed, new = json.loads(out)
    for view in (listed, new):
        assert {
            "arxiv_id",
            "title",
            "authors",
            "abstract",
            "categories",
            "comments",
            "venue",
            "code_url",
            "entry",
        } <= set(view)
    assert listed["in_list"] == {"line": 23, "section": "Paper List"}
    assert new["in_list"] is None
    assert new["entry"].startswith(f"+ {new['title']}, ")
    assert new["entry"].endswith("[[paper]](https://arxiv.org/pdf/2412.12836).")


@pytest.mark.vcr
def test_show_text_says_when_a_paper_is_already_listed(arxiv_standin: Any, capsys: pytest.CaptureFixture[str]) -> None:
    arxiv_standin(None, [])
    code, out, _ = run(capsys, "show", "2305.00447", "--list", str(REAL_LIST))
    assert code == 0
    assert "already in the list: line 23 under 'Paper List'" in out
    assert "  entry:      + TALLRec" in out


def test_show_invalid_id_fails_before_any_request(capsys: pytest.CaptureFixture[str]) -> None:
    # No cassette and the network blocked: any request would fail the test differently.
    code, out, err = run(capsys, "show", "2305.00447", "LLMRec")
    assert (code, out) == (2, "")
    assert err.startswith("curatorbot: error: 'LLMRec' is not an arXiv id; accepted forms: ")


@pytest.mark.vcr
def test_show_unknown_id_is_a_clear_error(arxiv_standin: Any, capsys: pytest.CaptureFixture[str]) -> None:
    arxiv_standin(None, [])
    code, _, err = run(capsys, "show", "2599.00001")
    assert code == 2
    assert err == "curatorbot: error: arXiv has no paper 2599.00001; check the id (a typo, or not announced yet)\n"


@pytest.mark.vcr
def test_scan_normal_day(
    arxiv_standin: Any, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CURATORBOT_ARXIV__STATE_FILE", str(tmp_path / "state.json"))
    arxiv_standin(dt.date(2025, 3, 4), DAY_2025_03_04["ids"])
    code, out, err = run(capsys, "scan", "--list", str(REAL_LIST), "--today", "2025-03-04", "--json")
    result = json.loads(out)
    assert code == 0 and result["state"] == "normal" and result["announced"] == "2025-03-04"
    assert len(result["candidates"]) == 31 and result["already_listed"] == []
    assert err.startswith(
        "normal day: 31 new and cross-listed papers announced 2025-03-04; 0 already in the list, 31 candidates"
    )


@pytest.mark.vcr
def test_scan_quiet_day(
    arxiv_standin: Any, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CURATORBOT_ARXIV__STATE_FILE", str(tmp_path / "state.json"))
    arxiv_standin(None, [])
    code, out, err = run(capsys, "scan", "--list", str(REAL_LIST), "--today", "2025-03-08")
    assert (code, out) == (0, "")
    assert err.startswith("quiet day: no announcements (weekend or holiday)")


@pytest.mark.vcr
def test_scan_stale_feed_older_than_expected(
    arxiv_standin: Any, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CURATORBOT_ARXIV__STATE_FILE", str(tmp_path / "state.json"))
    arxiv_standin(dt.date(2025, 3, 4), DAY_2025_03_04["ids"])
    code, out, err = run(capsys, "scan", "--list", str(REAL_LIST), "--today", "2025-03-06")
    assert (code, out) == (0, "")
    assert err.startswith("stale day: the feed shows 2025-03-04 but 2025-03-06 was expected")


@pytest.mark.vcr
def test_scan_stale_feed_already_processed(
    arxiv_standin: Any, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = tmp_path / "state.json"
    state.write_text('{"cs.IR": "2025-03-04"}')
    monkeypatch.setenv("CURATORBOT_ARXIV__STATE_FILE", str(state))
    arxiv_standin(dt.date(2025, 3, 4), DAY_2025_03_04["ids"])
    code, out, err = run(capsys, "scan", "--list", str(REAL_LIST), "--today", "2025-03-04")
    assert (code, out) == (0, "")
    assert "the last run already processed" in err


# ---- classify ----------------------------------------------------------------------------------


@pytest.mark.vcr
def test_classify_json_with_the_local_backend(arxiv_standin: Any, capsys: pytest.CaptureFixture[str]) -> None:
    arxiv_standin(None, [])
    code, out, err = run(
        capsys,
        "classify",
        "2412.12836",
        "2305.00447",
        "--backend",
        "local",
        "--list",
        str(REAL_LIST),
        "--json",
    )
    assert code == 0
    new, listed = json.loads(out)
    assert {
        "arxiv_id",
        "title",
        "relevant",
        "section",
        "confidence",
        "rationale",
        "entry",
        "backend",
        "model",
        "prompt_version",
    } <= set(new)
    assert new["backend"] == "local" and new["prompt_version"] == "local-1"
    # A survey of recommendation unlearning: no language model in it, so not in this list's scope.
    assert new["title"].startswith("A Survey on Recommendation Unlearning")
    assert (new["relevant"], new["section"], new["entry"], new["needs_human"]) == (False, None, None, False)
    assert new["rationale"].startswith("relevance score") and "below the pre-filter" in new["rationale"]
    assert listed["in_list"] == {"line": 23, "section": "Paper List"} and "relevant" not in listed
    assert "classified by the local backend" in err


def test_classify_openai_without_key_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "classify", "2412.12836", "--backend", "openai", "--list", str(REAL_LIST))
    assert code == 2 and "needs OPENAI_API_KEY" in err


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
def test_lint_reads_the_list_from_github_per_config(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from fakes import github_fake

    fake = github_fake.GitHubFake(
        "nancheng58", "Awesome-LLM4RS-Papers", {"README.md": REAL_LIST.read_text(encoding="utf-8")}
    )
    with github_fake.serve(fake) as url:
        monkeypatch.setenv("CURATORBOT_GITHUB__BASE_URL", url)
        code, out, err = run(capsys, "lint")
    assert code == 1
    assert "nancheng58/Awesome-LLM4RS-Papers/README.md:37: duplicate-arxiv-id" in out
    assert "184 entries, 162 distinct arXiv ids" in err


@pytest.mark.parametrize("flag", ["--since", "--date"])
def test_a_backfill_day_after_today_is_a_usage_error(flag: str, capsys: pytest.CaptureFixture[str]) -> None:
    # Network blocked, no cassette: the check comes before any request.
    code, out, err = run(capsys, "run", flag, "2026-03-10", "--today", "2026-03-02", "--list", str(REAL_LIST))
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and f"{flag} 2026-03-10" in err and "2026-03-02" in err


def test_ctrl_c_exits_130_saying_nothing_was_written(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*_: Any) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr("curatorbot.cli.commands.lint", interrupted)
    code, _, err = run(capsys, "lint", str(REAL_LIST))
    assert code == 130 and err == "curatorbot: interrupted; nothing was written\n"


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
def test_a_service_failure_exits_3(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CURATORBOT_GITHUB__BASE_URL", "http://127.0.0.1:9/")  # nothing listens on port 9
    waits: list[float] = []
    monkeypatch.setattr(time, "sleep", waits.append)  # the one retry loop looks the sleeper up at each wait
    code, _, err = run(capsys, "lint")
    assert code == 3 and err.startswith("curatorbot: error: GitHub could not be reached") and err.count("\n") == 1
    assert max(waits) == 2.0  # unreachable twice is reported at once, after one backoff (and request spacing)


def test_config_is_accepted_after_the_command_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "c.yaml"
    config.write_text("llm:\n  batch_size: -1\n")
    code, _, err = run(capsys, "lint", str(REAL_LIST), "--config", str(config))
    assert code == 2 and "llm.batch_size" in err


@pytest.mark.parametrize("value", ["0", "-1", "many"])
def test_max_papers_must_be_positive(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["run", "--list", str(REAL_LIST), "--max-papers", value])
    assert exited.value.code == 2 and "is not a positive whole number" in capsys.readouterr().err


def test_help_imports_no_heavy_library() -> None:
    import subprocess
    import sys

    probe = (
        "import sys; from curatorbot.cli.main import build_parser; build_parser(); "
        "heavy = {'numpy', 'sklearn', 'scipy', 'openai', 'github', 'httpx2', 'bpe_openai', 'pydantic'}; "
        "print(sorted(heavy & set(sys.modules)))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_lint_of_a_file_runs_without_pydantic_or_any_heavy_library() -> None:
    import subprocess
    import sys

    probe = (
        "import sys; from curatorbot.cli.main import main; code = main(['lint', sys.argv[1]]); "
        "heavy = {'numpy', 'sklearn', 'openai', 'github', 'bpe_openai', 'pydantic', 'pydantic_settings', 'jinja2'}; "
        "print(code, sorted(heavy & set(sys.modules)))"
    )
    result = subprocess.run([sys.executable, "-c", probe, str(REAL_LIST)], capture_output=True, text=True)
    assert result.stdout.splitlines()[-1] == "1 []", result.stderr


@pytest.mark.vcr
def test_run_on_a_new_empty_list_previews_its_first_entries(
    arxiv_standin: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "README.md"
    empty.write_text(EMPTY_LIST, encoding="utf-8")
    monkeypatch.setenv("CURATORBOT_ARXIV__STATE_FILE", str(tmp_path / "state.json"))
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(empty / "summary.md"))  # inside a file: cannot be written
    arxiv_standin(dt.date(2025, 3, 4), DAY_2025_03_04["ids"])
    code, out, err = run(capsys, "run", "--list", str(empty), "--today", "2025-03-04", "--backend", "local")
    assert code == 0, err
    assert "warning: could not write GITHUB_STEP_SUMMARY" in err  # best effort: the run still succeeds
    assert "+++ b/README.md" in out and "\n++ " in out  # entries proposed into the empty sections
    assert "local list: would propose" in out


def test_config_sections_missing_from_the_list_stop_before_any_request(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    short = tmp_path / "README.md"
    short.write_text("# List\n\n## Survey\n\n## Paper List\n", encoding="utf-8")
    code, out, err = run(capsys, "run", "--list", str(short), "--today", "2025-03-04", "--backend", "local")
    [error] = [line for line in err.splitlines() if "error" in line]
    assert (code, out) == (2, "") and "reading arXiv" not in err
    assert "'Paper List > Agent4Rec'" in error and "is not a heading of the list" in err and "'Survey'" in err


def test_a_secret_in_any_output_is_redacted(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from curatorbot.domain.errors import GitHubError

    token = "gho-test-token-0123456789abcdef"
    monkeypatch.setenv("GITHUB_TOKEN", token)

    def leaky(*_: Any) -> int:
        print(f"a log line with {token}")
        raise GitHubError(f"GitHub said: bad credentials {token}")

    monkeypatch.setattr("curatorbot.cli.commands.cmd_lint", leaky)
    code, out, err = run(capsys, "lint", str(REAL_LIST))
    assert code == 3 and token not in out + err
    assert out == "a log line with [redacted]\n" and "bad credentials [redacted]" in err


def test_an_unwritable_cache_folder_stops_the_run_before_any_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("CURATORBOT_LLM__CACHE_DIR", str(blocker / "cache"))  # a folder inside a file
    monkeypatch.setenv("GITHUB_TOKEN", "test-token-0123456789")
    code, out, err = run(capsys, "run", "--today", "2025-03-04")  # network blocked: no request may be sent
    assert (code, out) == (2, "") and err.count("\n") == 1
    assert f"{blocker / 'cache'}: cannot write there" in err and "llm.cache_dir" in err


def test_the_same_paper_typed_twice_is_handled_once() -> None:
    from curatorbot.cli.commands import user_ids

    ids = user_ids(["2510.11639", "2510.11639v1", "https://arxiv.org/abs/2510.11639v2", "2412.12836"])
    assert [str(i) for i in ids] == ["2510.11639", "2412.12836"]


def test_an_unsure_decision_is_not_called_relevant(capsys: pytest.CaptureFixture[str]) -> None:
    from curatorbot.cli.commands import print_decision

    view = {
        "arxiv_id": "2501.00001",
        "title": "T",
        "relevant": True,
        "needs_human": True,
        "confidence": 0.41,
        "section": "Paper List",
        "rationale": "r",
        "entry": None,
        "in_list": None,
        "backend": "local",
        "model": "m",
        "prompt_version": "v",
        "prompt_sha": "s",
    }
    print_decision(view)
    first = capsys.readouterr().out.splitlines()[0]
    assert first == "arXiv 2501.00001: UNSURE (needs a human look), confidence 0.41" and "RELEVANT" not in first


def test_a_reader_that_leaves_early_is_no_traceback(tmp_path: Path) -> None:
    import subprocess
    import sys

    # `curatorbot lint LIST | head -1`: the pipe closes after one line, the command must end quietly. The list
    # gives far more output than a pipe buffers, so the writer really meets the closed pipe.
    noisy = tmp_path / "README.md"
    noisy.write_text(
        "## P\n" + "".join(f"+ Paper {i}, [[paper]](https://arxiv.org/pdf/2401.{i:05d})\n" for i in range(3000))
    )
    lint = subprocess.Popen(
        [sys.executable, "-m", "curatorbot", "lint", str(noisy)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
    )
    assert lint.stdout is not None
    lint.stdout.readline()
    lint.stdout.close()
    _, err = lint.communicate(timeout=60)
    assert b"Traceback" not in err and b"BrokenPipe" not in err


def test_catch_up_without_a_start_says_how_to_give_one(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "catch-up", "--list", str(REAL_LIST))
    assert code == 2 and err.count("\n") == 1 and "pass --since YYYY-MM, or set catch_up.since" in err


def test_the_workflow_step_without_a_start_succeeds_and_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "catch-up", "--if-configured", "--list", str(REAL_LIST))
    assert code == 0 and "not configured" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--since", "May 2024"], "'May 2024' is not a month or a day; write YYYY-MM"),
        (["--since", "2025-03", "--until", "2024-01"], "is before --since"),
        (["--since", "2030-01", "--today", "2026-01-01"], "after today"),
    ],
)
def test_catch_up_bad_range_is_one_line_before_any_request(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "catch-up", *argv, "--list", str(REAL_LIST), "--backend", "local")
    assert code == 2 and err.count("\n") == 1 and message in err


def test_a_bad_catch_up_since_in_config_names_the_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "c.yaml"
    config.write_text("catch_up:\n  since: last year\n")
    code, _, err = run(capsys, "--config", str(config), "catch-up", "--list", str(REAL_LIST))
    assert code == 2 and "catch_up.since" in err


def test_maintain_a_local_list_previews_its_format_fixes_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "README.md"
    copy.write_text(REAL_LIST.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv("CURATORBOT_ARXIV__STATE_FILE", str(tmp_path / "state.json"))
    code, out, _ = run(
        capsys,
        "maintain",
        "--list",
        str(copy),
        "--only",
        "lint",
        "--config",
        str(DATA / "config.yaml"),
        "--today",
        "2026-01-20",
    )
    assert code == 0
    assert "-+ Recommender Systems with Generative Retrieval, arvix 2023" in out
    assert "++ Recommender Systems with Generative Retrieval, arxiv 2023" in out
    assert "dry run: would propose 115 changes; nothing written" in out
    assert "0 venue upgrades, 0 code links, 115 format fixes, 8 repeated ids for a maintainer" in out
    assert copy.read_text(encoding="utf-8") == REAL_LIST.read_text(encoding="utf-8")


def test_maintain_names_the_kinds_it_knows(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["maintain", "--only", "venues,typos"])
    assert exited.value.code == 2 and "is not a list of venues, code, lint" in capsys.readouterr().err


def test_a_list_whose_items_link_to_its_own_pages_is_refused_with_what_was_seen(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from conftest import DATA

    path = DATA / "lists" / "refused" / "archive-pages.README.md"
    code, out, err = run(capsys, "lint", str(path))
    assert code == 2 and out == ""
    assert err.strip() == (
        f"curatorbot: error: {path}: 0 entries link to a paper; 20 link to archive/…: curatorbot needs entries "
        "that link to arXiv, a DOI or a paper page"
    )


@pytest.mark.vcr
def test_init_reads_the_listed_papers_fifty_ids_a_request_and_writes_once(
    arxiv_standin: Any, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from conftest import DATA

    arxiv_standin(None, [])
    wlik = DATA / "lists" / "other" / "WLiK__LLM4Rec-Awesome-Papers.README.md"
    target = tmp_path / "config.yaml"
    code, out, err = run(capsys, "init", "--list", str(wlik), "--write", str(target))
    assert code == 0 and out == ""
    assert "reading 87 listed papers from arXiv (2 requests)" in err
    assert "124 entries (124 as table rows) in 6 sections curatorbot can write to" in err
    assert "arXiv categories: cs.IR (from 63 listed papers' records)" in err
    assert yaml.safe_load(target.read_text())["arxiv"]["categories"] == ["cs.IR"]
    # Never over a file: a second run leaves the first config as it is.
    code, _, err = run(capsys, "init", "--list", str(wlik), "--write", str(target))
    assert code == 2 and "exists; pass --write another path" in err


def test_export_writes_each_listed_paper_as_a_labelled_row_eval_reads(capsys: pytest.CaptureFixture[str]) -> None:
    from conftest import DATA

    wlik = DATA / "lists" / "other" / "WLiK__LLM4Rec-Awesome-Papers.README.md"
    code, out, err = run(capsys, "export", "--list", str(wlik), "--jsonl")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(rows) == 87
    assert "87 entries exported; 33 entries without an arXiv id left out" in err
    first = rows[0]
    assert first["id"] == "2402.11724" and first["line"] == 46 and first["venue"] == "arXiv 2024"
    assert first["label"] == {
        "relevant": True,
        "section": "Table of Contents > The papers and related projects > No Tuning",
    }


def test_a_dashboard_edit_run_needs_who_edited(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "run", "--dashboard-edit", "5")
    assert code == 2 and "--dashboard-edit needs --edited-by LOGIN" in err


@pytest.mark.vcr(ignore_hosts=["localhost"])  # the GitHub fake answers live; arXiv replays
@pytest.mark.block_network(allowed_hosts=["127.0.0.1", "::1", "localhost"])
def test_learn_dry_run_prints_the_model_card_and_writes_nothing(
    arxiv_standin: Any,
    github_list_for_cli: Any,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    arxiv_standin(None, [])
    monkeypatch.setenv("CURATORBOT_LEARN__UNLABELLED_PAPERS", "300")
    monkeypatch.setenv("CURATORBOT_LEARN__MODEL_DIR", str(tmp_path / "model"))
    code, out, err = run(capsys, "learn", "--list", str(REAL_LIST), "--dry-run", "--today", "2025-04-02")
    assert code == 0, err
    assert out.startswith("model ") and "for nancheng58/Awesome-LLM4RS-Papers/README.md, learned 2025-04-02" in out
    assert "learned from: " in out and "forward in time: prefilter_recall" in out
    assert "dry run: the model was not written" in err and not (tmp_path / "model").exists()


def test_the_nightly_learn_step_leaves_the_shipped_lists_judged_model_alone(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "learn", "--if-changed", "--list", str(REAL_LIST))
    assert code == 0 and out == ""
    assert "the shipped model was trained for this list on hand-judged days; set learn.judged" in err


def test_replay_needs_the_judged_labels(capsys: pytest.CaptureFixture[str]) -> None:
    from conftest import DATA

    code, _, err = run(capsys, "eval", str(DATA / "eval" / "papers.sample.jsonl"), "--replay")
    assert code == 2 and "--replay needs --judged JUDGED.jsonl" in err
