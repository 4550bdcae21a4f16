import json
from pathlib import Path

import pytest

from conftest import REAL_LIST
from curatorbot.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_lint_json_on_the_real_list(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "lint", str(REAL_LIST), "--json")
    report = json.loads(out)
    assert code == 1
    assert set(report) == {"entries", "arxiv_ids", "problems"}
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
        err == f"curatorbot: error: {tmp_path / 'nope.md'}: no such file; "
        "pass the path of the list's Markdown file\n"
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
