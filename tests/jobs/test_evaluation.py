import json
from pathlib import Path
from typing import Any

import pytest

from conftest import REAL_LIST, TEST_CONFIG
from curatorbot.cli.main import main
from curatorbot.domain.errors import InputFileError
from curatorbot.jobs.evaluation import load_days, load_rows

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
                "--config",
                str(TEST_CONFIG),  # module scope: set up before the per-test environment
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
    assert report["section"]["accuracy"] >= 0.75
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
    from curatorbot.config import load_settings

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


def test_judged_labels_give_precision_recall_and_the_misses_worked_out_by_hand(tmp_path: Path) -> None:
    """Six judged papers; the pre-filter and the classifier are stand-ins whose answers are fixed here, so
    every figure below can be checked by hand."""
    from curatorbot.classify.classifier import ClassificationRun, CountingOnly, LLMClassifier
    from curatorbot.classify.local_backend import Prefiltered
    from curatorbot.classify.prompts import PromptSet
    from curatorbot.config import load_settings
    from curatorbot.domain.awesome_list import AwesomeList
    from curatorbot.domain.models import Decision
    from curatorbot.jobs.evaluation import evaluate, load_judged

    papers = tmp_path / "papers.jsonl"
    papers.write_text(
        "".join(
            json.dumps({"id": f"2501.0000{i}", "title": f"Paper {i}", "abstract": "a", "label": {}}) + "\n"
            for i in range(1, 7)
        )
    )
    judged = tmp_path / "judged.jsonl"
    labels = {
        1: (True, "Generative Retrieval", False),  # passes, proposed in its section: a hit
        2: (True, "Paper List", False),  # passes, flagged for a human with the right section
        3: (True, "Paper List > Agent4Rec", False),  # dropped by the pre-filter: a miss
        4: (False, None, False),  # passes, proposed: a false positive
        5: (False, None, False),  # passes, rejected
        6: (False, None, True),  # dropped; a borderline call
    }
    judged.write_text(
        "".join(
            json.dumps(
                {
                    "id": f"2501.0000{i}",
                    "date": "2025-01-06",
                    "judged": {"relevant": r, "section": s, "borderline": b, "why": f"why {i}"},
                }
            )
            + "\n"
            for i, (r, s, b) in labels.items()
        )
    )
    rows, days = load_judged(judged, load_rows(papers))

    class PassSome:
        def prefilter(self, batch: list[Any]) -> Prefiltered:
            keep = {"2501.00001", "2501.00002", "2501.00004", "2501.00005"}
            return Prefiltered(
                passed=tuple(p for p in batch if p.arxiv_id in keep),
                dropped=tuple(p for p in batch if p.arxiv_id not in keep),
                scores={},
            )

    answers = {
        "2501.00001": (True, "Generative Retrieval", False),
        "2501.00002": (True, "Paper List", True),
        "2501.00004": (True, "Paper List", False),
        "2501.00005": (False, None, False),
    }

    def classify(batch: list[Any]) -> ClassificationRun:
        return ClassificationRun(
            decisions=[
                Decision(
                    arxiv_id=p.arxiv_id,
                    relevant=answers[p.arxiv_id][0],
                    section=answers[p.arxiv_id][1],
                    needs_human=answers[p.arxiv_id][2],
                    confidence=0.9,
                    rationale="",
                    backend="local",
                    model="m",
                    prompt_version="v",
                    prompt_sha="s",
                )
                for p in batch
            ]
        )

    settings = load_settings(TEST_CONFIG)
    awesome = AwesomeList.parse(REAL_LIST.read_text(encoding="utf-8"))
    counting = LLMClassifier(CountingOnly("gpt-4o-mini"), PromptSet.load(), settings, awesome)
    report = evaluate(rows, days, local=PassSome(), classify=classify, llm_for_cost=counting)  # type: ignore[arg-type]

    relevance = report["relevance"]
    assert (relevance["precision"], relevance["recall"], relevance["f1"]) == (0.5, 0.3333, 0.4)  # 1 of 2; 1 of 3
    assert relevance["recall_with_flagged"] == 0.6667  # papers 1 and 2 of the 3 relevant
    assert (relevance["n_proposed"], relevance["n_flagged"], relevance["borderline_share"]) == (2, 1, 0.1667)
    assert (report["prefilter"]["recall"], report["prefilter"]["pass_rate"]) == (0.6667, 0.6667)  # 2 of 3; 4 of 6
    assert report["section"]["accuracy"] == 0.6667  # papers 1 and 2 right, paper 3 never classified
    assert report["section"]["confusion"]["Paper List > Agent4Rec"] == {"(none)": 1}
    assert [(m["kind"], m["arxiv_id"], m["why"]) for m in report["misses"]] == [
        ("relevant, dropped by the pre-filter", "2501.00003", "why 3"),
        ("proposed, the labels say no", "2501.00004", "why 4"),
    ]
    assert [(d.date, len(d.ids)) for d in days] == [("2025-01-06", 6)]


def test_eval_with_judged_labels_reports_the_judged_figures(capsys: pytest.CaptureFixture[str]) -> None:
    argv = [
        "eval",
        str(EVAL / "papers.sample.jsonl"),
        "--judged",
        str(EVAL / "judged.sample.jsonl"),
        "--list",
        str(REAL_LIST),
        "--backend",
        "local",
    ]
    assert main([*argv, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    relevance, prefilter, section = report["relevance"], report["prefilter"], report["section"]
    assert relevance["n_positive"] == 54  # the judged-relevant papers of the 167 judged sample rows
    for value in (
        relevance["precision"],
        relevance["recall"],
        relevance["recall_with_flagged"],
        prefilter["recall"],
        prefilter["pass_rate"],
        section["accuracy"],
    ):
        assert 0.0 < value <= 1.0
    assert relevance["recall_with_flagged"] >= relevance["recall"] and section["n"] == 54
    assert main([*argv, "--misses"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("backend local; 167 papers (54 relevant), 33 listing days\nproposed:   precision ")
    assert sum(
        line.startswith(("relevant, dropped by the pre-filter: ", "proposed, the labels say no: "))
        for line in out.splitlines()
    ) == len(report["misses"])
