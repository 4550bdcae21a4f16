"""One TF-IDF index over the list's titles: which listed papers a text is closest to.

Both classifiers use it: the local one to choose a section from the nearest list entries, the LLM one to
pick example titles for the prompt. A new list has no entries yet, so an empty index is a normal case:
it answers "nothing is close" instead of failing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np


class TitleIndex:
    def __init__(self, titles: Sequence[str]) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer  # heavy: only when a classifier is built

        self.size = len(titles)
        self._vectorizer: Any = TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), stop_words="english")
        self._matrix: Any = None
        if titles:
            try:
                # Fitted on the list's titles alone, so rewording a section description cannot shift it.
                self._matrix = self._vectorizer.fit_transform(list(titles))
            except ValueError:  # only stop words in every title: nothing to compare with
                self._matrix = None

    def similarities(self, texts: Sequence[str]) -> np.ndarray:
        """Cosine similarity of each text to each indexed title: shape (len(texts), number of titles)."""
        if self._matrix is None or not texts:
            return np.zeros((len(texts), self.size))
        return np.asarray((self._vectorizer.transform(list(texts)) @ self._matrix.T).toarray())
