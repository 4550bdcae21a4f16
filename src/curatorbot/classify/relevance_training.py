"""Training the relevance model (bench/train_relevance.py): scikit-learn's vectorizers and logistic
regression, out-of-fold thresholds. Never imported at run time; curatorbot.classify.relevance scores with
the same features without scikit-learn.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import normalize

from curatorbot.classify.relevance import LEXICON_WEIGHT, N_FEATURES, HasText, RelevanceModel, _lexicon, _text
from curatorbot.domain.models import Paper

_WORDS = HashingVectorizer(
    n_features=N_FEATURES, ngram_range=(1, 2), stop_words="english", alternate_sign=False, norm=None
)
_CHARS = HashingVectorizer(
    n_features=N_FEATURES, analyzer="char_wb", ngram_range=(3, 5), alternate_sign=False, norm=None
)


def _counts(papers: Sequence[HasText]) -> tuple[sp.csr_matrix, sp.csr_matrix, sp.csr_matrix]:
    texts = [_text(p) for p in papers]
    lexicon = sp.csr_matrix(np.array([_lexicon(p) for p in papers], dtype=np.float64).reshape(len(papers), 7))
    return _WORDS.transform(texts).tocsr(), _CHARS.transform(texts).tocsr(), lexicon


def _idf(counts: sp.csr_matrix) -> np.ndarray:
    document_frequency = np.bincount(counts.indices, minlength=counts.shape[1])
    n = counts.shape[0]
    idf: np.ndarray = np.log((1 + n) / (1 + document_frequency)) + 1.0  # sklearn's smooth idf
    return idf


def _tfidf(counts: sp.csr_matrix, idf: np.ndarray) -> sp.csr_matrix:
    weighted = counts.astype(np.float64)
    weighted.data = 1.0 + np.log(weighted.data)  # sublinear tf
    weighted = weighted.multiply(idf).tocsr()
    return normalize(weighted)


def _fit(
    words: sp.csr_matrix,
    chars: sp.csr_matrix,
    lexicon: sp.csr_matrix,
    labels: np.ndarray,
    c: float,
    weights: np.ndarray | None = None,
    used_columns_only: bool = False,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    idf_words, idf_chars = _idf(words), _idf(chars)
    features = sp.hstack([_tfidf(words, idf_words), _tfidf(chars, idf_chars), LEXICON_WEIGHT * lexicon]).tocsr()
    classifier = LogisticRegression(C=c, class_weight="balanced", max_iter=3000)
    if not used_columns_only:  # the shipped model: fitted as it always was, so its sha reproduces
        classifier.fit(features, labels, sample_weight=weights)
        return idf_words, idf_chars, classifier.coef_[0], float(classifier.intercept_[0])
    # The same model (a column no paper uses keeps weight 0) in a fraction of the time: a list's own model.
    columns = np.unique(features.indices)
    classifier.fit(features[:, columns], labels, sample_weight=weights)
    coef = np.zeros(features.shape[1])
    coef[columns] = classifier.coef_[0]
    return idf_words, idf_chars, coef, float(classifier.intercept_[0])


@dataclass(frozen=True)
class TrainingSet:
    """Papers with labels for training and validation.

    `labels` and `weights` follow positive-unlabelled learning: a judged paper (a person read it against
    the list's scope) counts with its judgement at weight 1; a paper some public list carries is a positive
    at weight 1; every other paper is unlabelled, taken as negative at a low weight, because about one in
    eight of them is in fact relevant (judged days) and a full-weight negative would teach the model to drop
    those. `times` order the papers (announcement day if judged, else the YYMM of the id) for validation
    forward in time; `judged` marks the papers that validation scores.
    """

    papers: Sequence[HasText]
    labels: np.ndarray
    judged: np.ndarray
    times: np.ndarray
    unlabelled: np.ndarray  # True where the label is an assumption (weight to be chosen)

    @cached_property  # hashing every paper's n-grams is the slow part: once for validation and the final fit
    def counts(self) -> tuple[sp.csr_matrix, sp.csr_matrix, sp.csr_matrix]:
        return _counts(self.papers)


def load_training_set(papers_path: Path, judged_path: Path) -> TrainingSet:
    """papers.dev.jsonl-style papers with judged_days.dev.jsonl-style judgements joined by id."""
    rows = [json.loads(line) for line in papers_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    judged = {
        item["id"]: item for item in map(json.loads, judged_path.read_text(encoding="utf-8").splitlines()) if item
    }
    labels, is_judged, times, unlabelled = [], [], [], []
    for row in rows:
        item = judged.get(row["id"])
        month = f"20{row['id'][:2]}-{row['id'][2:4]}" if row["id"][:4].isdigit() else "0000-00"
        if item is not None:
            labels.append(int(bool(item["judged"]["relevant"])))
            times.append(item["date"])
        else:
            labels.append(int(row["label"]["relevant"] is True))
            times.append(f"{month}-00")  # before every day of its month: never later than its announcement
        is_judged.append(item is not None)
        unlabelled.append(item is None and row["label"]["relevant"] is not True)
    return TrainingSet(
        papers=[Paper(arxiv_id=r["id"], title=r["title"], abstract=r["abstract"] or "") for r in rows],
        labels=np.array(labels),
        judged=np.array(is_judged),
        times=np.array(times),
        unlabelled=np.array(unlabelled),
    )


@dataclass(frozen=True)
class ForwardResult:
    unlabelled_weight: float
    scores: np.ndarray  # forward scores of the judged papers of the validation blocks
    labels: np.ndarray
    prefilter_threshold: float
    relevant_threshold: float

    def figures(self) -> dict[str, float]:
        positives = self.labels == 1
        passed = self.scores >= self.prefilter_threshold
        proposed = self.scores >= self.relevant_threshold
        hits = int((proposed & positives).sum())
        return {
            "prefilter_recall": float(passed[positives].mean()),
            "prefilter_pass_rate": float(passed.mean()),
            "proposed_precision": hits / max(int(proposed.sum()), 1),
            "proposed_recall": hits / max(int(positives.sum()), 1),
            "n_validation": len(self.labels),
            "n_validation_relevant": int(positives.sum()),
        }


def forward_blocks(data: TrainingSet, blocks: int = 4) -> list[tuple[np.ndarray, np.ndarray]]:
    """(train, test) index pairs: the judged days in `blocks` chronological blocks; each block after the
    first is scored by a model trained only on what came before it (judged days before the block, and
    other papers from months before the block's first month), the way the nightly model is used."""
    days = sorted({str(t) for t, j in zip(data.times, data.judged, strict=True) if j})
    pairs = []
    for block in np.array_split(np.array(days), blocks)[1:]:
        first, last = str(block[0]), str(block[-1])
        earlier = np.where(data.judged, data.times < first, data.times < first[:7])
        test = data.judged & (data.times >= first) & (data.times <= last)
        pairs.append((np.where(earlier)[0], np.where(test)[0]))
    return pairs


def choose_thresholds(
    scores: np.ndarray, labels: np.ndarray, prefilter_recall: float, min_precision: float
) -> tuple[float, float]:
    """The pre-filter threshold keeps `prefilter_recall` of the relevant papers; the propose threshold is the
    lowest score whose proposals keep `min_precision` (the most recall at that precision)."""
    positives = np.sort(scores[labels == 1])
    prefilter = float(positives[int(np.floor((1 - prefilter_recall) * len(positives)))])
    best = float(scores.max())
    for threshold in np.sort(scores)[::-1]:
        proposed = scores >= threshold
        if (labels[proposed] == 1).mean() >= min_precision:
            best = float(threshold)
    return prefilter, max(best, prefilter)


def forward_in_time(
    data: TrainingSet,
    c: float,
    unlabelled_weights: Sequence[float],
    prefilter_recall: float,
    min_precision: float,
    used_columns_only: bool = False,
    blocks: list[tuple[np.ndarray, np.ndarray]] | None = None,
) -> list[ForwardResult]:
    """One forward-in-time validation per candidate weight of the unlabelled papers (over `blocks`, by
    default the judged days' forward_blocks)."""
    words, chars, lexicon = data.counts
    blocks = forward_blocks(data) if blocks is None else blocks
    results = []
    for weight in unlabelled_weights:
        weights = np.where(data.unlabelled, weight, 1.0)
        scores, labels = [], []
        for train_index, test_index in blocks:
            if len(set(data.labels[train_index].tolist())) < 2:
                continue  # nothing relevant before this block yet (a young list): it cannot be scored forward
            idf_w, idf_c, coef, intercept = _fit(
                words[train_index],
                chars[train_index],
                lexicon[train_index],
                data.labels[train_index],
                c,
                weights[train_index],
                used_columns_only,
            )
            features = sp.hstack(
                [
                    _tfidf(words[test_index], idf_w),
                    _tfidf(chars[test_index], idf_c),
                    LEXICON_WEIGHT * lexicon[test_index],
                ]
            ).tocsr()
            scores.append(features @ coef + intercept)
            labels.append(data.labels[test_index])
        if not scores:
            continue  # no block had anything relevant before it: nothing to validate on
        all_scores, all_labels = np.concatenate(scores), np.concatenate(labels)
        prefilter, relevant = choose_thresholds(all_scores, all_labels, prefilter_recall, min_precision)
        results.append(ForwardResult(weight, all_scores, all_labels, prefilter, relevant))
    return results


def train(data: TrainingSet, forward: ForwardResult, c: float, used_columns_only: bool = False) -> RelevanceModel:
    """The shipped model: fit on every paper with the chosen weight; thresholds from the forward validation."""
    words, chars, lexicon = data.counts
    weights = np.where(data.unlabelled, forward.unlabelled_weight, 1.0)
    idf_words, idf_chars, coef, intercept = _fit(words, chars, lexicon, data.labels, c, weights, used_columns_only)
    figures = forward.figures()
    return RelevanceModel(
        idf_words=idf_words,
        idf_chars=idf_chars,
        coef=coef,
        intercept=intercept,
        prefilter_threshold=forward.prefilter_threshold,
        relevant_threshold=forward.relevant_threshold,
        prefilter_recall=figures["prefilter_recall"],
        relevant_recall=figures["proposed_recall"],
        n_train=len(data.labels),
        n_positive=int(data.labels.sum()),
    )
