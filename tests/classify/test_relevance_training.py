"""Training (bench/train_relevance.py) on the small judged sample: deterministic, and validated forward in
time (no validation paper is in its own training data)."""

import numpy as np

from conftest import DATA
from curatorbot.classify.relevance_training import forward_blocks, load_training_set

EVAL = DATA / "eval"


def test_validation_only_ever_sees_the_past() -> None:
    data = load_training_set(EVAL / "papers.sample.jsonl", EVAL / "judged.sample.jsonl")
    blocks = forward_blocks(data)
    assert len(blocks) == 3
    for train_index, test_index in blocks:
        first_day = min(data.times[test_index])
        assert data.judged[test_index].all() and not set(train_index) & set(test_index)
        assert all(t < first_day for t in data.times[train_index])
        assert np.all(data.times[train_index][~data.judged[train_index]] < first_day[:7])  # earlier months only
