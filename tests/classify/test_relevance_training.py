"""Training (bench/train_relevance.py) on the small judged sample: deterministic, and validated forward in
time (no validation paper is in its own training data)."""

from pathlib import Path

import numpy as np

from conftest import DATA
from curatorbot.classify.relevance_training import forward_blocks, forward_in_time, load_training_set, train

EVAL = DATA / "eval"


def test_training_is_deterministic_same_data_same_sha(tmp_path: Path) -> None:
    # Every third sample paper keeps three validation blocks and takes a second a fit; CI's
    # `bench/train_relevance.py --check` retrains the shipped model on the full data and compares its sha.
    papers = tmp_path / "papers.jsonl"
    papers.write_text("".join((EVAL / "papers.sample.jsonl").read_text(encoding="utf-8").splitlines(True)[::3]))
    shas = []
    for _ in range(2):
        data = load_training_set(papers, EVAL / "judged.sample.jsonl")
        assert len(forward_blocks(data)) == 3
        [forward] = forward_in_time(data, c=0.5, unlabelled_weights=(0.25,), prefilter_recall=0.98, min_precision=0.85)
        shas.append(train(data, forward, c=0.5).sha)
    assert shas[0] == shas[1]


def test_validation_only_ever_sees_the_past() -> None:
    data = load_training_set(EVAL / "papers.sample.jsonl", EVAL / "judged.sample.jsonl")
    blocks = forward_blocks(data)
    assert len(blocks) == 3
    for train_index, test_index in blocks:
        first_day = min(data.times[test_index])
        assert data.judged[test_index].all() and not set(train_index) & set(test_index)
        assert all(t < first_day for t in data.times[train_index])
        assert np.all(data.times[train_index][~data.judged[train_index]] < first_day[:7])  # earlier months only
