"""`curatorbot learn`'s model: learned from a list and its maintainers' calls, deterministic, read back
whole or not at all, and used by the local classifier."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from conftest import DATA, REAL_LIST, TEST_CONFIG
from curatorbot.classify.list_learning import (
    LearningSources,
    _fit_sections,
    _section_features,
    final_calls,
    learn_model,
)
from curatorbot.classify.list_model import CARD_FILE, ListModel
from curatorbot.config import Settings, load_settings
from curatorbot.domain.awesome_list import AwesomeList
from curatorbot.domain.errors import LearnError, ModelFileError
from curatorbot.domain.models import Paper

ROWS = [json.loads(line) for line in (DATA / "eval" / "papers.sample.jsonl").read_text().splitlines()]
RECORDS = {r["id"]: Paper(arxiv_id=r["id"], title=r["title"], abstract=r.get("abstract") or "") for r in ROWS}
LISTED = AwesomeList.parse(REAL_LIST.read_text(encoding="utf-8"))


def sources(**changes: Any) -> LearningSources:
    listed = [(RECORDS[e.arxiv_id], e.section_path) for e in LISTED.entries if e.arxiv_id in RECORDS]
    unlabelled = [p for i, p in RECORDS.items() if i not in LISTED.arxiv_ids]
    return LearningSources(**{"listed": listed, "unlabelled": unlabelled, **changes})


@pytest.fixture(scope="module")
def settings() -> Settings:
    return load_settings(TEST_CONFIG)


@pytest.fixture(scope="module")
def learned(settings: Settings) -> ListModel:
    return learn_model(
        sources(), settings.section_paths, "nancheng58/Awesome-LLM4RS-Papers/README.md", dt.date(2026, 1, 5)
    )


def test_the_model_card_says_what_it_learned_from_and_how_it_did_forward(learned: ListModel) -> None:
    card = learned.card
    assert card.counts == {"list_entries": 87, "unlabelled": 298, "judged": 0}
    assert card.figures["prefilter_recall"] >= 0.95 and card.figures["n_validation_relevant"] == 64
    assert "section_accuracy" in card.figures and card.learned == "2026-01-05"
    assert card.sha == "81d458e87f7a"  # the same inputs give the same model, run after run
    assert card.lines()[0] == "model 81d458e87f7a for nancheng58/Awesome-LLM4RS-Papers/README.md, learned 2026-01-05"


def test_a_model_is_read_back_whole_and_only_for_its_own_list(learned: ListModel, settings: Settings) -> None:
    files = learned.to_files()
    name, sections = learned.card.list_name, settings.section_paths
    again = ListModel.from_files(files, "model", name, sections)
    assert again.card == learned.card and again.relevance.sha == learned.relevance.sha
    assert again.sections is not None and learned.sections is not None and again.sections.sha == learned.sections.sha
    with pytest.raises(ModelFileError, match=r"is nancheng58/Awesome-LLM4RS-Papers/README\.md.s, not other/list"):
        ListModel.from_files(files, "model", "other/list", sections)
    with pytest.raises(ModelFileError, match="sections are not config's"):
        ListModel.from_files(files, "model", name, sections[:-1])
    with pytest.raises(ModelFileError, match="unreadable"):
        ListModel.from_files({**files, "relevance.npz": b"not a model"}, "model", name, sections)
    with pytest.raises(ModelFileError, match="no learned model"):
        ListModel.from_files({k: v for k, v in files.items() if k != CARD_FILE}, "model", name, sections)


@pytest.mark.parametrize("first", [60, 200], ids=["two sections", "nine sections"])
def test_the_run_time_section_scores_are_the_trained_models(settings: Settings, first: int) -> None:
    examples = [(RECORDS[e.arxiv_id], e.section_path) for e in LISTED.entries if e.arxiv_id in RECORDS][:first]
    model = _fit_sections(examples, settings.section_paths)
    from sklearn.linear_model import LogisticRegression

    present = [s for s in settings.section_paths if any(s == section for _, section in examples)]
    features, idf = _section_features([p for p, _ in examples])
    # Every column for two sections (that only the used ones matter is then checked too); for nine, the used
    # columns, so the reference fit stays quick.
    columns = np.arange(features.shape[1]) if first == 60 else np.unique(features.indices)
    labels = [present.index(s) for _, s in examples]
    reference = LogisticRegression(C=4.0, max_iter=3000).fit(features[:, columns], labels)
    fresh = [p for i, p in list(RECORDS.items())[:20] if i not in LISTED.arxiv_ids]
    ours = model.probabilities(fresh)[:, [settings.section_paths.index(s) for s in present]]
    theirs = reference.predict_proba(_section_features(fresh, idf)[0][:, columns])
    assert np.allclose(ours, theirs, atol=1e-4)


def test_the_later_call_wins_and_a_rejection_teaches_no(settings: Settings) -> None:
    calls = [
        {"arxiv_id": "2503.01711", "action": "accepted", "section": "Paper List"},
        {"arxiv_id": "2503.01711", "action": "rejected", "section": None},
        {"arxiv_id": "2412.12836", "action": "rejected", "section": None},
        {"arxiv_id": "2412.12836", "action": "moved", "section": "Paper List > Agent4Rec"},
    ]
    assert final_calls(calls) == {"2503.01711": ("rejected", None), "2412.12836": ("moved", "Paper List > Agent4Rec")}
    from curatorbot.classify.list_learning import learning_set

    decided = {i: RECORDS[i] for i in ("2503.01711", "2412.12836")}
    data, examples, counts = learning_set(sources(decisions=calls, decided=decided), settings.section_paths)
    label = dict(zip([p.arxiv_id for p in data.papers], data.labels.tolist(), strict=True))
    assert label["2503.01711"] == 0 and label["2412.12836"] == 1
    assert ("2412.12836", "Paper List > Agent4Rec") in [(p.arxiv_id, s) for p, s in examples]
    assert counts["rejected"] == 1 and counts["moved"] == 1


def test_a_list_of_three_entries_is_too_little_to_learn_from(settings: Settings) -> None:
    few = sources().listed[:3]
    with pytest.raises(
        LearnError, match="3 listed or accepted papers with an arXiv record: learning needs at least 20"
    ):
        learn_model(sources(listed=few), settings.section_paths, "x", dt.date(2026, 1, 5))


def test_the_local_classifier_uses_the_learned_model_and_says_which_decides(
    learned: ListModel, settings: Settings, tmp_path: Path
) -> None:
    from curatorbot.cli.wiring import local_classifier
    from curatorbot.services.model_store import ModelFolder

    folder = tmp_path / "model"
    mine = settings.model_copy(update={"learn": settings.learn.model_copy(update={"model_dir": folder})})
    shipped = local_classifier(LISTED, mine)
    assert shipped.note is None  # the shipped list, no learned model: nothing to say
    ModelFolder(folder).write(learned.to_files())
    local = local_classifier(LISTED, mine)
    assert local.note == "learned model 81d458e87f7a (2026-01-05)" and local.sections_model is not None
    assert local.model.sha == learned.relevance.sha
    other = mine.model_copy(update={"list": mine.list.model_copy(update={"repo": "someone/other-list"})})
    foreign = local_classifier(LISTED, other)
    assert foreign.sections_model is None and foreign.note is not None
    assert (
        "the learned model is nancheng58/Awesome-LLM4RS-Papers/README.md's, not someone/other-list/README.md's"
        in foreign.note
    )
