"""Text features at run time without scikit-learn (its import alone takes over 2 s here): the same
analyzers as sklearn's HashingVectorizer and TfidfVectorizer, reimplemented so that the shipped model's
weights apply unchanged. tests/core/test_text_features.py checks them against scikit-learn itself.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from curatorbot.core.stop_words import ENGLISH_STOP_WORDS

_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # sklearn's default token_pattern
_WHITE_SPACES = re.compile(r"\s\s+")
_INT32_MIN = -(2**31)


def word_ngrams(text: str, n_max: int = 2) -> list[str]:
    """sklearn's analyzer="word", lowercase, stop_words="english", ngram_range=(1, n_max)."""
    tokens = [t for t in _TOKEN.findall(text.lower()) if t not in ENGLISH_STOP_WORDS]
    grams = list(tokens)
    for n in range(2, min(n_max, len(tokens)) + 1):
        grams.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return grams


def char_wb_ngrams(text: str, n_min: int = 3, n_max: int = 5) -> list[str]:
    """sklearn's analyzer="char_wb": character n-grams inside word boundaries, padded with a space."""
    grams: list[str] = []
    for word in _WHITE_SPACES.sub(" ", text.lower()).split():
        padded = f" {word} "
        for n in range(n_min, n_max + 1):
            offset = 0
            grams.append(padded[offset : offset + n])
            while offset + n < len(padded):
                offset += 1
                grams.append(padded[offset : offset + n])
            if offset == 0:  # a word shorter than n counts once
                break
    return grams


def hashed_counts(grams: Iterable[str], n_features: int) -> Counter[int]:
    """sklearn's FeatureHasher (alternate_sign=False): signed MurmurHash3 of the UTF-8 bytes, abs, modulo."""
    import mmh3

    counts: Counter[int] = Counter()
    for gram in grams:
        h = mmh3.hash(gram.encode("utf-8"), 0, signed=True)
        counts[(2**31 - 1 - (n_features - 1)) % n_features if h == _INT32_MIN else abs(h) % n_features] += 1
    return counts
