"""Training the relevance model (bench/train_relevance.py): scikit-learn's vectorizers and logistic
regression, out-of-fold thresholds. Never imported at run time; curatorbot.core.relevance scores with
the same features without scikit-learn.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import normalize

from curatorbot.core.relevance import LEXICON_WEIGHT, N_FEATURES, HasText, RelevanceModel, _lexicon, _text

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
    words: sp.csr_matrix, chars: sp.csr_matrix, lexicon: sp.csr_matrix, labels: np.ndarray, c: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    idf_words, idf_chars = _idf(words), _idf(chars)
    features = sp.hstack([_tfidf(words, idf_words), _tfidf(chars, idf_chars), LEXICON_WEIGHT * lexicon]).tocsr()
    classifier = LogisticRegression(C=c, class_weight="balanced", max_iter=3000).fit(features, labels)
    return idf_words, idf_chars, classifier.coef_[0], float(classifier.intercept_[0])


def out_of_fold_scores(papers: Sequence[HasText], labels: np.ndarray, folds: int = 5, c: float = 4.0) -> np.ndarray:
    words, chars, lexicon = _counts(papers)
    scores = np.zeros(len(papers))
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=0).split(np.zeros(len(labels)), labels):
        idf_w, idf_c, coef, intercept = _fit(words[train], chars[train], lexicon[train], labels[train], c)
        test_features = sp.hstack(
            [_tfidf(words[test], idf_w), _tfidf(chars[test], idf_c), LEXICON_WEIGHT * lexicon[test]]
        ).tocsr()
        scores[test] = test_features @ coef + intercept
    return scores


def train(
    papers: Sequence[HasText],
    labels: Sequence[bool],
    prefilter_recall: float = 0.985,
    relevant_recall: float = 0.85,
    c: float = 4.0,
) -> RelevanceModel:
    """Fit on all papers; set both thresholds from out-of-fold scores of the positives."""
    y = np.asarray(labels, dtype=int)
    oof = out_of_fold_scores(papers, y, c=c)
    positives = np.sort(oof[y == 1])
    prefilter_threshold = float(np.quantile(positives, 1 - prefilter_recall))
    relevant_threshold = float(np.quantile(positives, 1 - relevant_recall))
    words, chars, lexicon = _counts(papers)
    idf_words, idf_chars, coef, intercept = _fit(words, chars, lexicon, y, c)
    return RelevanceModel(
        idf_words=idf_words,
        idf_chars=idf_chars,
        coef=coef,
        intercept=intercept,
        prefilter_threshold=prefilter_threshold,
        relevant_threshold=relevant_threshold,
        prefilter_oof_recall=float(np.mean(positives >= prefilter_threshold)),
        relevant_oof_recall=float(np.mean(positives >= relevant_threshold)),
        n_train=len(y),
        n_positive=int(y.sum()),
    )
