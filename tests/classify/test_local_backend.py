import json
from pathlib import Path

import pytest

from conftest import REAL_LIST, TEST_CONFIG
from curatorbot.classify.local_backend import LocalClassifier
from curatorbot.classify.relevance import RelevanceModel
from curatorbot.config import load_settings
from curatorbot.domain.awesome_list import AwesomeList
from curatorbot.domain.models import Paper

SAMPLE = Path(__file__).parents[1] / "data" / "eval" / "papers.sample.jsonl"
JUDGED = SAMPLE.with_name("judged.sample.jsonl")
ROWS = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def local() -> LocalClassifier:
    settings = load_settings(TEST_CONFIG)
    return LocalClassifier(AwesomeList.parse(REAL_LIST.read_text(encoding="utf-8")), settings)


def as_paper(row: dict) -> Paper:  # type: ignore[type-arg]
    return Paper(arxiv_id=row["id"], title=row["title"], abstract=row["abstract"])


def test_section_accuracy_leave_one_out_beats_the_majority_class(local: LocalClassifier) -> None:
    labelled = [r for r in ROWS if r["label"]["section"]]
    correct = sum(local.section_for(as_paper(r))[0] == r["label"]["section"] for r in labelled)
    majority = max(sum(r["label"]["section"] == s for r in labelled) for s in local.sections)
    assert len(labelled) == 88
    # The list's own (mostly 2023) papers: neighbour votes are capped so that new papers' section words count,
    # which costs a few of these (0.82 -> 0.77) and gains far more on judged new papers (next test).
    assert correct / len(labelled) >= 0.75 > majority / len(labelled)


def test_new_papers_are_found_in_the_sections_the_judges_chose(local: LocalClassifier) -> None:
    """Judged relevant papers of real listing days: generative recommendation and LLM-made profiles or intents
    are their own sections, not folded into the biggest one (`Paper List`)."""
    by_id = {r["id"]: r for r in ROWS}
    judged = [json.loads(line) for line in JUDGED.read_text(encoding="utf-8").splitlines()]
    relevant = [(by_id[j["id"]], j["judged"]["section"]) for j in judged if j["judged"]["relevant"]]
    chosen = [(local.section_for(as_paper(row))[0], section) for row, section in relevant]
    assert len(chosen) == 54
    assert sum(got == want for got, want in chosen) / len(chosen) >= 0.7  # always `Paper List`: 0.46

    def found(section: str) -> int:
        return sum(got == want == section for got, want in chosen)

    assert found("Generative Retrieval") >= 4  # of 5
    assert found("Paper List > Knowledge Augmentation") >= 5  # of 11


def test_the_papers_own_entry_is_never_the_evidence(local: LocalClassifier) -> None:
    row = next(r for r in ROWS if r["id"] == "2305.00447")  # TALLRec, in the list
    _, nearest = local.section_for(as_paper(row))
    assert all("TALLRec" not in title for title in nearest)


def test_shipped_model_keeps_the_recall_promised_forward_in_time() -> None:
    model = RelevanceModel.load()
    assert model.prefilter_recall >= 0.98 and model.relevant_recall >= 0.70
    assert model.n_positive == 182 + 209  # judged relevant papers, and list positives nobody judged
    assert model.prefilter_threshold < model.relevant_threshold


def test_prefilter_drops_off_topic_papers_and_keeps_llm4rec(local: LocalClassifier) -> None:
    on_topic = Paper(
        arxiv_id="2599.00001",
        title="Aligning Large Language Models with Collaborative Signals for Sequential Recommendation",
        abstract="We fine-tune a large language model on user interaction sequences so that it recommends the next item.",
    )
    off_topic = Paper(
        arxiv_id="2599.00002",
        title="Spectral Properties of Random Graphs with Heavy-Tailed Degrees",
        abstract="We prove bounds on the largest eigenvalue of the adjacency matrix of sparse random graphs.",
    )
    result = local.prefilter([on_topic, off_topic])
    assert [p.arxiv_id for p in result.passed] == ["2599.00001"]
    assert [p.arxiv_id for p in result.dropped] == ["2599.00002"]


def test_prefilter_pass_rate_on_real_listing_days(local: LocalClassifier) -> None:
    days = [json.loads(line) for line in (SAMPLE.parent / "listing_days.sample.jsonl").read_text().splitlines()]
    by_id = {r["id"]: r for r in ROWS}
    papers = [as_paper(by_id[i]) for d in days for i in d["ids"] if i in by_id]
    # In-sample for the shipped model, so only a sanity bound; bench/train_relevance.py prints the
    # out-of-fold figure (0.235 over all 197 dev days).
    assert len(local.prefilter(papers).passed) / len(papers) <= 0.30


def test_decisions_are_deterministic_and_carry_provenance(local: LocalClassifier) -> None:
    papers = [as_paper(r) for r in ROWS[:20]]
    first, second = local.decide(papers), local.decide(papers)
    assert first == second
    for decision in first:
        assert decision.backend == "local" and decision.model.startswith("relevance-")
        assert decision.prompt_version == "local-1" and decision.prompt_sha == local.model.sha
        assert (decision.section is None) == (not decision.relevant)
        assert decision.needs_human == (decision.relevant and decision.confidence < 0.6)


def test_exclude_hints_steer_a_paper_away_from_a_section() -> None:
    base = load_settings(TEST_CONFIG)
    awesome = AwesomeList.parse(REAL_LIST.read_text(encoding="utf-8"))
    paper = Paper(arxiv_id="2599.00003", title="Datasets of LLM Agents for Recommendation", abstract="We release data.")
    assert LocalClassifier(awesome, base).section_for(paper)[0] == "Paper List > Agent4Rec"
    sections = tuple(
        s.model_copy(update={"exclude": ("dataset",)}) if s.path == "Paper List > Agent4Rec" else s
        for s in base.sections
    )
    steered = LocalClassifier(awesome, base.model_copy(update={"sections": sections}))
    assert steered.section_for(paper)[0] != "Paper List > Agent4Rec"


EMPTY_LIST = "# My LLM4Rec list\n\n## Survey\n\n## Paper List\n\n### Agent4Rec\n\n### Knowledge Augmentation\n\n### Perspective\n\n## Universal Representation Learning\n\n## Generative Retrieval\n\n## Pretrain Language Model and Prompt Learning\n\n## Dataset\n"


def test_a_new_list_without_entries_still_decides_from_the_hints() -> None:
    settings = load_settings(TEST_CONFIG)
    local = LocalClassifier(AwesomeList.parse(EMPTY_LIST), settings)
    row = next(r for r in ROWS if r["label"]["section"] == "Paper List > Agent4Rec" and "agent" in r["title"].lower())
    section, nearest = local.section_for(as_paper(row))
    assert (section, nearest) == ("Paper List > Agent4Rec", [])
    [decision] = local.decide([as_paper(row)])
    assert decision.relevant and decision.section == "Paper List > Agent4Rec"


def test_a_config_without_sections_flags_relevant_papers_for_a_human() -> None:
    settings = load_settings(TEST_CONFIG).model_copy(update={"sections": ()})
    local = LocalClassifier(AwesomeList.parse(EMPTY_LIST), settings)
    row = next(r for r in ROWS if r["id"] == "2305.00447")
    [decision] = local.decide([as_paper(row)])
    assert decision.relevant and decision.section is None and decision.needs_human


def test_classifying_locally_never_imports_scikit_learn() -> None:
    import subprocess
    import sys

    probe = (
        "import sys, json\n"
        "from curatorbot.domain.awesome_list import AwesomeList\n"
        "from curatorbot.config import load_settings\n"
        "from curatorbot.classify.local_backend import LocalClassifier\n"
        "from curatorbot.domain.models import Paper\n"
        f"awesome = AwesomeList.parse(open({str(REAL_LIST)!r}, encoding='utf-8').read())\n"
        f"local = LocalClassifier(awesome, load_settings(__import__('pathlib').Path({str(TEST_CONFIG)!r})))\n"
        "local.decide([Paper(arxiv_id='2599.00001', title='LLM agents recommend', abstract='We recommend.')])\n"
        "print(sorted({'sklearn', 'scipy', 'bpe_openai', 'openai', 'github'} & set(sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
