"""One TF-IDF index over the list's titles: which listed papers a text is closest to.

Both classifiers use it: the local one to choose a section from the nearest list entries, the LLM one to
pick example titles for the prompt. A new list has no entries yet, so an empty index is a normal case:
it answers "nothing is close" instead of failing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

from curatorbot.domain.text_features import word_ngrams


class TitleIndex:
    """scikit-learn's TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), stop_words="english") fitted on
    the titles, in numpy (tests/core/test_text_features.py compares the two)."""

    def __init__(self, titles: Sequence[str]) -> None:
        # Fitted on the list's titles alone, so rewording a section description cannot shift it.
        grams = [Counter(word_ngrams(title)) for title in titles]
        self.size = len(titles)
        self.vocabulary = {g: i for i, g in enumerate(sorted({g for counts in grams for g in counts}))}
        document_frequency = np.zeros(len(self.vocabulary))
        for counts in grams:
            document_frequency[[self.vocabulary[g] for g in counts]] += 1
        self.idf = np.log((1 + self.size) / (1 + document_frequency)) + 1.0  # sklearn's smooth idf
        self.matrix = self._vectors(grams)

    def _vectors(self, grams: Sequence[Counter[str]]) -> np.ndarray:
        vectors = np.zeros((len(grams), len(self.vocabulary)))
        for row, counts in enumerate(grams):
            for gram, count in counts.items():
                column = self.vocabulary.get(gram)
                if column is not None:
                    vectors[row, column] = (1.0 + np.log(count)) * self.idf[column]
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        normalised: np.ndarray = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
        return normalised

    def similarities(self, texts: Sequence[str]) -> np.ndarray:
        """Cosine similarity of each text to each indexed title: shape (len(texts), number of titles).
        An empty index (a new list) answers zeros: nothing is close yet."""
        if not texts or not self.vocabulary:
            return np.zeros((len(texts), self.size))
        return np.asarray(self._vectors([Counter(word_ngrams(t)) for t in texts]) @ self.matrix.T)
