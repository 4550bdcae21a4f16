import os
from pathlib import Path

import pytest

from curatorbot.domain.errors import BodyTooLongError
from curatorbot.domain.pull_request import BODY_LIMIT, Marker, ProposalRecord, RunFacts, parse_marker, render_body

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
    [box] = [line for line in visible.splitlines() if line.startswith("- [")]
    assert box.startswith(f"- [x] `{HOSTILE.arxiv_id}` ")  # the title cannot open a second checkbox or line
    assert box.count("](https://arxiv.org/abs/") == 1  # nor a second link
    assert body.count("-->") == 1  # only the marker's own end


def test_marker_round_trips_through_the_body_keeping_only_what_memory_needs() -> None:
    marker = Marker(
        base_sha="a" * 40, head_sha="b" * 40, proposed=(HOSTILE, PLAIN), flagged=(LOW,), rejected=("2401.00001",)
    )
    parsed = parse_marker(render_body(marker, FACTS))
    lean = {"rationale": "", "abstract": ""}
    assert parsed == marker.model_copy(
        update={
            "proposed": (
                HOSTILE.model_copy(update={**lean, "title": HOSTILE.title[:80]}),
                PLAIN.model_copy(update=lean),
            ),
            "flagged": (LOW.model_copy(update=lean),),
        }
    )


def test_a_version_1_marker_from_an_older_pr_still_reads() -> None:
    old = (
        '<!-- curatorbot:{"version":1,"base_sha":"a","proposed":[{"arxiv_id":"2501.00001","title":"T",'
        '"section":"Survey","confidence":0.9,"venue":"arxiv 2025","rationale":"r","abstract":"a"}]} -->'
    )
    parsed = parse_marker(f"body\n\n{old}\n")
    assert parsed is not None and parsed.proposed_ids == ["2501.00001"] and parsed.proposed[0].rationale == "r"


def test_300_proposals_fit_with_the_newest_rows_shown_and_the_oldest_folded() -> None:
    long_title = "Large Language Models for Recommendation " * 250  # a 10,000-character title
    many = tuple(
        PLAIN.model_copy(
            update={
                "arxiv_id": f"2501.{i:05d}",
                "title": long_title if i % 7 == 0 else f"Paper {i}",
                "rationale": "r" * 300,
            }
        )
        for i in range(300)
    )
    flagged = tuple(LOW.model_copy(update={"arxiv_id": f"2502.{i:05d}"}) for i in range(40))
    body = render_body(
        Marker(proposed=many, flagged=flagged, rejected=tuple(f"2403.{i:05d}" for i in range(200))), FACTS
    )
    assert len(body) <= BODY_LIMIT
    parsed = parse_marker(body)
    assert parsed is not None and parsed.proposed_ids == [p.arxiv_id for p in many] and len(parsed.flagged) == 40
    assert "**curatorbot proposes 300 papers" in body
    assert "[Paper 299](https://arxiv.org/abs/2501.00299)" in body  # the newest row keeps its checkbox
    assert "earlier proposals, folded" in body and "2501.00000, 2501.00001" in body  # the oldest are folded


def test_body_fits_githubs_limit_with_many_papers() -> None:
    many = tuple(PLAIN.model_copy(update={"arxiv_id": f"2501.{i:05d}", "abstract": "x" * 400}) for i in range(60))
    body = render_body(Marker(proposed=many), FACTS)
    assert len(body) <= BODY_LIMIT
    assert parse_marker(body) is not None and len(parse_marker(body).proposed) == 60  # type: ignore[union-attr]


def test_180_flagged_papers_fold_like_proposals_and_the_newest_keep_their_boxes() -> None:
    flagged = tuple(
        LOW.model_copy(update={"arxiv_id": f"2502.{i:05d}", "title": f"Flagged paper {i} " * 8, "rationale": "r" * 300})
        for i in range(180)
    )
    body = render_body(Marker(proposed=(PLAIN,), flagged=flagged), FACTS)
    assert len(body) <= BODY_LIMIT
    parsed = parse_marker(body)
    assert parsed is not None and [f.arxiv_id for f in parsed.flagged] == [f.arxiv_id for f in flagged]
    assert "and flags 180 for a human look" in body
    assert "earlier flagged papers, folded" in body and "2502.00000, 2502.00001" in body
    assert "- [ ] `2502.00179`" in body and "- [x] `2412.12836`" in body


def test_5000_remembered_rejections_fit_packed_and_read_back_exactly() -> None:
    rejected = tuple(sorted({f"25{m:02d}.{(i * 7919) % 30000:05d}" for m in range(1, 13) for i in range(420)}))
    rejected += ("hep-th/9901001", "0912.1234")
    body = render_body(Marker(proposed=(PLAIN,), rejected=rejected), FACTS)
    assert len(rejected) > 5000 and len(body) < BODY_LIMIT // 3
    parsed = parse_marker(body)
    assert parsed is not None and parsed.rejected == tuple(sorted(rejected))


def test_a_body_that_cannot_fit_even_folded_is_one_clear_error() -> None:
    flagged = tuple(LOW.model_copy(update={"arxiv_id": f"2502.{i:05d}", "title": "T" * 80}) for i in range(1000))
    with pytest.raises(BodyTooLongError, match="merge or close the pull request"):
        render_body(Marker(flagged=flagged), FACTS)
