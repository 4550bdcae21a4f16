import os
from pathlib import Path

from curatorbot.core.pull_request import BODY_LIMIT, Marker, ProposalRecord, RunFacts, parse_marker, render_body

GOLDEN = Path(__file__).parents[1] / "golden"
FACTS = RunFacts(
    date="2025-03-04",
    categories=("cs.IR",),
    backend="openai",
    model="gpt-4o-mini",
    prompt_version="2",
    prompt_tokens=1234,
    completion_tokens=321,
    notes=("classified by the local backend: no LLM key was set",),
)
HOSTILE = ProposalRecord(
    arxiv_id="2503.01711",
    title="Evil | Table <script>alert(1)</script> [click](javascript:alert(1)) @octocat #123 --> **bold**",
    section="Paper List",
    confidence=0.91,
    venue="SIGIR 2025 | x",
    code_url="javascript:alert(1)",
    rationale="See [here](https://evil.example) <img src=x onerror=alert(1)> and ping @admin about #42.\nNew line | pipe",
    abstract="<details><summary>x</summary></details> Abstract with `code` and ![img](http://x/y.png) -->",
)
PLAIN = ProposalRecord(
    arxiv_id="2412.12836",
    title="RAG-based Question Answering over Heterogeneous Data and Text",
    section="Paper List > Agent4Rec",
    confidence=0.72,
    venue="arxiv 2024",
    code_url="https://github.com/o/r",
    rationale="An LLM agent recommends items.",
    abstract="We present a system.",
)
LOW = ProposalRecord(
    arxiv_id="2412.13102", title="Unsure Paper", section=None, confidence=0.3, venue="arxiv 2024", rationale="Maybe."
)


def test_body_matches_the_golden_file_with_hostile_text() -> None:
    marker = Marker(
        base_sha="a" * 40, head_sha="b" * 40, proposed=(HOSTILE, PLAIN), flagged=(LOW,), rejected=("2401.00001",)
    )
    body = render_body(marker, FACTS)
    golden = GOLDEN / "pr_body.md"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(body, encoding="utf-8")
    assert body == golden.read_text(encoding="utf-8")


def test_hostile_text_is_inert() -> None:
    body = render_body(Marker(proposed=(HOSTILE,)), FACTS)
    visible = body.split("<!-- curatorbot:")[0]
    for bad in ("<script", "<img", "javascript:", "](https://evil", "@octocat", "@admin", "#123", "-->"):
        assert bad not in visible, bad
    table_row = next(line for line in visible.splitlines() if line.startswith("| [Evil"))
    assert table_row.count(" | ") == 4  # the title's pipes are escaped, the row keeps its five cells
    assert body.count("-->") == 1  # only the marker's own end


def test_marker_round_trips_through_the_body() -> None:
    marker = Marker(
        base_sha="a" * 40, head_sha="b" * 40, proposed=(HOSTILE, PLAIN), flagged=(LOW,), rejected=("2401.00001",)
    )
    assert parse_marker(render_body(marker, FACTS)) == marker


def test_body_fits_githubs_limit_with_many_papers() -> None:
    many = tuple(PLAIN.model_copy(update={"arxiv_id": f"2501.{i:05d}", "abstract": "x" * 400}) for i in range(60))
    body = render_body(Marker(proposed=many), FACTS)
    assert len(body) <= BODY_LIMIT
    assert parse_marker(body) is not None and len(parse_marker(body).proposed) == 60  # type: ignore[union-attr]
