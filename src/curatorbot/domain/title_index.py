"""One TF-IDF index over the list's titles: which listed papers a text is closest to.

Both classifiers use it: the local one to choose a section from the nearest list entries, the LLM one to
pick example titles for the prompt. A new list has no entries yet, so an empty index is a normal case:
it answers "nothing is close" instead of failing.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np

from curatorbot.domain.text_features import word_ngrams


class TitleIndex:
    """scikit-learn's TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), stop_words="english") fitted on
    the titles, in numpy (tests/domain/test_text_features.py compares the two).

    Stored sparse, as postings per n-gram: a title has a dozen n-grams, so a 49,000-entry list takes a few
    megabytes where a dense titles-by-vocabulary matrix would ask for tens of gigabytes."""

    def __init__(self, titles: Sequence[str]) -> None:
        # Fitted on the list's titles alone, so rewording a section description cannot shift it.
        grams = [Counter(word_ngrams(title)) for title in titles]
        self.size = len(titles)
        self.vocabulary = {g: i for i, g in enumerate(sorted({g for counts in grams for g in counts}))}
        document_frequency = np.zeros(len(self.vocabulary))
        for counts in grams:
            document_frequency[[self.vocabulary[g] for g in counts]] += 1
        self.idf = np.log((1 + self.size) / (1 + document_frequency)) + 1.0  # sklearn's smooth idf
        # Postings in column order: the titles holding n-gram c are rows[starts[c]:starts[c + 1]].
        columns: list[int] = []
        rows: list[int] = []
        weights: list[float] = []
        for row, counts in enumerate(grams):
            vector = self._vector(counts)
            columns += vector.keys()
            rows += [row] * len(vector)
            weights += vector.values()
        order = np.argsort(np.asarray(columns, dtype=np.int64), kind="stable")
        self.rows = np.asarray(rows, dtype=np.int32)[order]
        self.weights = np.asarray(weights, dtype=np.float64)[order]
        counts_per_column = np.bincount(np.asarray(columns, dtype=np.int64), minlength=len(self.vocabulary))
        self.starts = np.concatenate(([0], np.cumsum(counts_per_column)))

    def _vector(self, counts: Counter[str]) -> dict[int, float]:
        """The text's unit-length TF-IDF vector over the indexed vocabulary, as column -> weight."""
        vector = {
            column: (1.0 + math.log(count)) * float(self.idf[column])
            for gram, count in counts.items()
            if (column := self.vocabulary.get(gram)) is not None
        }
        norm = math.sqrt(sum(w * w for w in vector.values()))
        return {column: w / norm for column, w in vector.items()} if norm > 0 else {}

    def similarities(self, texts: Sequence[str]) -> np.ndarray:
        """Cosine similarity of each text to each indexed title: shape (len(texts), number of titles).
        An empty index (a new list) answers zeros: nothing is close yet."""
        result = np.zeros((len(texts), self.size))
        for position, text in enumerate(texts):
            for column, weight in self._vector(Counter(word_ngrams(text))).items():
                postings = slice(self.starts[column], self.starts[column + 1])
                # A title holds an n-gram once: its rows in one posting list are distinct, so += adds each.
                result[position, self.rows[postings]] += weight * self.weights[postings]
        return result
