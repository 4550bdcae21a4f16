"""The local relevance model: is a paper about LLMs for recommender systems (or neighbouring LLM-for-IR)?

A logistic regression over hashed word and character n-grams of the title and abstract plus a few
concept counts (LLM terms, recommendation terms, ranking terms), trained on real cs.IR papers labelled by
five public LLM-for-RecSys lists (shared/data/eval/papers.dev.jsonl; `python bench/train_relevance.py`).
Hashing keeps the shipped file small and free of pickles: it holds only numbers.

Thresholds are set from out-of-fold scores, never in-sample ones, so the recall they promise is the
recall measured on papers the model did not see.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Protocol

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import normalize

N_FEATURES = 2**18
LEXICON_WEIGHT = 0.3
_WORDS = HashingVectorizer(
    n_features=N_FEATURES, ngram_range=(1, 2), stop_words="english", alternate_sign=False, norm=None
)
_CHARS = HashingVectorizer(
    n_features=N_FEATURES, analyzer="char_wb", ngram_range=(3, 5), alternate_sign=False, norm=None
)
_LLM_TERMS = re.compile(
    r"large language model|\bllms?\b|\bmllms?\b|\bgpt|chatgpt|language model|\bbert|\bt5\b|prompt|"
    r"instruction|in-context|agent|foundation model|generative|semantic id|tokeniz|\bplms?\b|pre-?train|"
    r"llama|qwen",
    re.IGNORECASE,
)
_REC_TERMS = re.compile(
    r"recommend|collaborative filtering|click-through|\bctr\b|user model|personaliz|next[- ]item|"
    r"cold[- ]start|user (?:interest|preference|behavio)",
    re.IGNORECASE,
)
_RANK_TERMS = re.compile(r"\brank|rerank|retriev|search|relevance", re.IGNORECASE)
PACKAGED_MODEL = "relevance_model.npz"


class HasText(Protocol):
    @property
    def title(self) -> str: ...

    @property
    def abstract(self) -> str: ...


def _text(paper: HasText) -> str:
    # The title twice: it is the densest statement of what a paper is about.
    return f"{paper.title}. {paper.title}. {paper.abstract}"


def _lexicon(paper: HasText) -> list[float]:
    text = f"{paper.title} {paper.abstract}"
    llm, rec, rank = (len(rx.findall(text)) for rx in (_LLM_TERMS, _REC_TERMS, _RANK_TERMS))
    log_llm, log_rec, log_rank = np.log1p(llm), np.log1p(rec), np.log1p(rank)
    return [
        log_llm,
        log_rec,
        log_rank,
        log_llm * log_rec,
        log_llm * log_rank,
        float(bool(_LLM_TERMS.search(paper.title))),
        float(bool(_REC_TERMS.search(paper.title))),
    ]


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


@dataclass(frozen=True)
class RelevanceModel:
    idf_words: np.ndarray
    idf_chars: np.ndarray
    coef: np.ndarray
    intercept: float
    prefilter_threshold: float  # papers scoring below never reach the LLM
    relevant_threshold: float  # the local backend calls papers at or above this relevant
    prefilter_oof_recall: float
    relevant_oof_recall: float
    n_train: int
    n_positive: int

    def features(self, papers: Sequence[HasText]) -> sp.csr_matrix:
        words, chars, lexicon = _counts(papers)
        return sp.hstack(
            [_tfidf(words, self.idf_words), _tfidf(chars, self.idf_chars), LEXICON_WEIGHT * lexicon]
        ).tocsr()

    def scores(self, papers: Sequence[HasText]) -> np.ndarray:
        if not papers:
            return np.zeros(0)
        return np.asarray(self.features(papers) @ self.coef + self.intercept, dtype=np.float64)

    @cached_property  # hashes 4 MB of weights: once per model, not per access
    def sha(self) -> str:
        digest = hashlib.sha256()
        for array in (self.idf_words, self.idf_chars, self.coef):
            digest.update(np.ascontiguousarray(array, dtype=np.float32).tobytes())
        digest.update(f"{self.intercept:.6f}{self.prefilter_threshold:.6f}{self.relevant_threshold:.6f}".encode())
        return digest.hexdigest()[:12]

    # ---- persistence: numbers only, no pickles ---------------------------------------------------

    def save(self, path: Path) -> None:
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer,
            idf_words=self.idf_words.astype(np.float32),
            idf_chars=self.idf_chars.astype(np.float32),
            coef=self.coef.astype(np.float32),
            scalars=np.array(
                [
                    self.intercept,
                    self.prefilter_threshold,
                    self.relevant_threshold,
                    self.prefilter_oof_recall,
                    self.relevant_oof_recall,
                    self.n_train,
                    self.n_positive,
                ]
            ),
        )
        path.write_bytes(buffer.getvalue())

    @classmethod
    def load(cls, path: Path | None = None) -> RelevanceModel:
        data = (
            path.read_bytes() if path else resources.files("curatorbot").joinpath("data", PACKAGED_MODEL).read_bytes()
        )
        with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
            scalars = arrays["scalars"]
            return cls(
                idf_words=arrays["idf_words"].astype(np.float64),
                idf_chars=arrays["idf_chars"].astype(np.float64),
                coef=arrays["coef"].astype(np.float64),
                intercept=float(scalars[0]),
                prefilter_threshold=float(scalars[1]),
                relevant_threshold=float(scalars[2]),
                prefilter_oof_recall=float(scalars[3]),
                relevant_oof_recall=float(scalars[4]),
                n_train=int(scalars[5]),
                n_positive=int(scalars[6]),
            )


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
