import json
from pathlib import Path
from typing import Any

import pytest

from conftest import REAL_LIST, TEST_CONFIG
from curatorbot.cli.main import main
from curatorbot.core.errors import InputFileError
from curatorbot.core.evaluation import load_days, load_rows

EVAL = Path(__file__).parents[1] / "data" / "eval"


@pytest.fixture(scope="module")
def json_report() -> dict[str, Any]:
    """One evaluation of the sample papers, shared by the tests that read it (it takes seconds)."""
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(
            [
                "eval",
                str(EVAL / "papers.sample.jsonl"),
                "--days",
                str(EVAL / "listing_days.sample.jsonl"),
                "--list",
                str(REAL_LIST),
                "--backend",
                "local",
                "--json",
            ]
        )
    assert code == 0
    report: dict[str, Any] = json.loads(out.getvalue())
    return report


def test_eval_json_report_on_real_papers(json_report: dict[str, Any]) -> None:
    report = json_report
    assert set(report["relevance"]) >= {"recall", "n_positive", "judged_relevant_share"}
    assert set(report["prefilter"]) >= {"recall", "pass_rate"}
    assert set(report["section"]) >= {"accuracy", "n"}
    assert set(report["cost"]) >= {
        "prompt_tokens_per_paper",
        "prompt_tokens_per_announced_paper",
        "completion_tokens_per_paper",
        "requests_per_paper",
    }
    assert report["relevance"]["n_positive"] == 260 and report["section"]["n"] == 88
    # Leave-one-out: the listed papers are classified without their own entries, and still mostly right.
    assert report["section"]["accuracy"] >= 0.8
    assert [d["date"] for d in report["prefilter"]["per_day"]] == [
        "2024-12-18",
        "2025-03-04",
        "2025-03-05",
        "2025-08-11",
        "2025-09-30",
    ]
    # Tokens are counted for the configured LLM even with the local backend, list context included.
    assert 0 < report["cost"]["prompt_tokens_per_paper"] <= 450
    assert 0 < report["cost"]["prompt_tokens_per_announced_paper"] <= 120
    assert report["cost"]["papers_per_request"] <= 8


def test_eval_text_report(json_report: dict[str, Any]) -> None:
    from curatorbot.cli.commands import eval_text
    from curatorbot.core.config import load_settings

    out = eval_text(json_report, "local", 386, 5, load_settings(TEST_CONFIG))
    section = json_report["section"]
    assert out.startswith("backend local; 386 papers (260 relevant), 5 listing days\n")
    assert f"section:    accuracy {section['accuracy']:.3f} on 88 labelled papers (leave-one-out)" in out
    assert f"prompt tokens per paper sent {json_report['cost']['prompt_tokens_per_paper']:.0f}," in out


def test_bad_eval_input_names_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "papers.jsonl"
    bad.write_text('{"id": "1", "title": "t", "abstract": "a", "label": {}}\nnot json\n')
    with pytest.raises(InputFileError, match=r"papers.jsonl:2: not a JSON object"):
        load_rows(bad)
    with pytest.raises(InputFileError, match="cannot read it"):
        load_days(tmp_path / "absent.jsonl")


@pytest.mark.vcr(match_on=["method", "scheme", "host", "port", "path", "query", "llm_batch"])
def test_eval_with_the_llm_backend_measures_completion_tokens(
    openai_stub_url: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from fakes import openai_stub

    rows = [json.loads(line) for line in (EVAL / "papers.sample.jsonl").read_text().splitlines()]
    picked = [r for r in rows if r["label"]["section"]][:6] + [r for r in rows if not r["label"]["relevant"]][:6]
    papers = tmp_path / "papers.jsonl"
    papers.write_text("".join(json.dumps(r) + "\n" for r in picked))
    monkeypatch.setenv("CURATORBOT_LLM__BASE_URL", openai_stub_url(default=openai_stub.answer_by_title))
    monkeypatch.setenv("CURATORBOT_LLM__MODEL", "stub-model")
    monkeypatch.setenv("CURATORBOT_LLM__CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    assert main(["eval", str(papers), "--list", str(REAL_LIST), "--backend", "openai", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["section"]["n"] == 6 and report["relevance"]["n_positive"] == 6
    assert 0 < report["cost"]["completion_tokens_per_paper"] != 110  # measured from the answers, not estimated


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'[{"id": "2501.00001"}]\n', "a JSON list, not an object"),
        (b"\xff\xfe not utf-8", "not UTF-8 text"),
        (b"", "no rows"),
        (b"\n\n", "no rows"),
    ],
)
def test_bad_eval_files_are_one_line_errors(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "papers.jsonl"
    path.write_bytes(content)
    with pytest.raises(InputFileError, match=message):
        load_rows(path)
