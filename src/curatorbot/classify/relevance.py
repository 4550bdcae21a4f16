"""The local relevance model: is a paper about LLMs for recommender systems (or neighbouring LLM-for-IR)?

A logistic regression over hashed word and character n-grams of the title and abstract plus a few
concept counts (LLM terms, recommendation terms, ranking terms), trained on real cs.IR papers: hand-judged
listing days first, papers public LLM-for-RecSys lists carry as positives, the rest as down-weighted
unlabelled papers (`python bench/train_relevance.py`; training code in curatorbot.classify.relevance_training).
Hashing keeps the shipped file small and free of pickles: it holds only numbers.

Both thresholds are chosen forward in time (trained on earlier days, scored on later ones), never on
in-sample scores, so the recall they promise is the recall measured on days the model had not seen.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Protocol

import numpy as np

from curatorbot.domain.text_features import char_wb_ngrams, hashed_counts, word_ngrams

N_FEATURES = 2**18
LEXICON_WEIGHT = 0.3
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


def _block_score(counts: Counter[int], idf: np.ndarray, coef: np.ndarray) -> float:
    """One block's share of the score: sublinear tf-idf, l2-normalised, dotted with its weights."""
    if not counts:
        return 0.0
    index = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
    weight = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))) * idf[index]
    norm = float(np.sqrt(np.dot(weight, weight)))
    return float(np.dot(weight, coef[index]) / norm) if norm else 0.0


@dataclass(frozen=True)
class RelevanceModel:
    idf_words: np.ndarray
    idf_chars: np.ndarray
    coef: np.ndarray
    intercept: float
    prefilter_threshold: float  # papers scoring below never reach the LLM
    relevant_threshold: float  # the local backend proposes papers at or above this; below, a human looks
    prefilter_recall: float  # both recalls measured forward in time on judged days (bench/train_relevance.py)
    relevant_recall: float
    n_train: int
    n_positive: int

    def scores(self, papers: Sequence[HasText]) -> np.ndarray:
        if not papers:
            return np.zeros(0)
        n = N_FEATURES
        words, chars, lexicon = self.coef[:n], self.coef[n : 2 * n], self.coef[2 * n :]
        return np.array(
            [
                _block_score(hashed_counts(word_ngrams(text), n), self.idf_words, words)
                + _block_score(hashed_counts(char_wb_ngrams(text), n), self.idf_chars, chars)
                + LEXICON_WEIGHT * float(np.dot(_lexicon(paper), lexicon))
                + self.intercept
                for paper, text in ((p, _text(p)) for p in papers)
            ],
            dtype=np.float64,
        )

    @cached_property  # hashes 4 MB of weights: once per model, not per access
    def sha(self) -> str:
        digest = hashlib.sha256()
        for array in (self.idf_words, self.idf_chars, self.coef):
            digest.update(np.ascontiguousarray(array, dtype=np.float32).tobytes())
        digest.update(f"{self.intercept:.6f}{self.prefilter_threshold:.6f}{self.relevant_threshold:.6f}".encode())
        return digest.hexdigest()[:12]

    # ---- persistence: numbers only, no pickles ---------------------------------------------------

    def to_bytes(self) -> bytes:
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
                    self.prefilter_recall,
                    self.relevant_recall,
                    self.n_train,
                    self.n_positive,
                ]
            ),
        )
        return buffer.getvalue()

    def save(self, path: Path) -> None:
        path.write_bytes(self.to_bytes())

    @classmethod
    def load(cls, path: Path | None = None) -> RelevanceModel:
        data = (
            path.read_bytes() if path else resources.files("curatorbot").joinpath("data", PACKAGED_MODEL).read_bytes()
        )
        return cls.from_bytes(data)

    @classmethod
    def from_bytes(cls, data: bytes) -> RelevanceModel:
        with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
            scalars = arrays["scalars"]
            return cls(
                idf_words=arrays["idf_words"].astype(np.float64),
                idf_chars=arrays["idf_chars"].astype(np.float64),
                coef=arrays["coef"].astype(np.float64),
                intercept=float(scalars[0]),
                prefilter_threshold=float(scalars[1]),
                relevant_threshold=float(scalars[2]),
                prefilter_recall=float(scalars[3]),
                relevant_recall=float(scalars[4]),
                n_train=int(scalars[5]),
                n_positive=int(scalars[6]),
            )
