"""Training (bench/train_relevance.py) on the small judged sample: deterministic, and validated forward in
time (no validation paper is in its own training data)."""

import numpy as np

from conftest import DATA
from curatorbot.classify.relevance_training import forward_blocks, forward_in_time, load_training_set, train

EVAL = DATA / "eval"


def test_training_is_deterministic_same_data_same_sha() -> None:
    shas = []
    for _ in range(2):
        data = load_training_set(EVAL / "papers.sample.jsonl", EVAL / "judged.sample.jsonl")
        [forward] = forward_in_time(data, c=4.0, unlabelled_weights=(0.25,), prefilter_recall=0.98, min_precision=0.85)
        shas.append(train(data, forward, c=4.0).sha)
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
