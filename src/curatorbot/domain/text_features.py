"""Text features at run time without scikit-learn (its import alone takes over 2 s here): the same
analyzers as sklearn's HashingVectorizer and TfidfVectorizer, reimplemented so that the shipped model's
weights apply unchanged. tests/core/test_text_features.py checks them against scikit-learn itself.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from curatorbot.domain.stop_words import ENGLISH_STOP_WORDS

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
        grams.extend(_padded_word_ngrams(word, n_min, n_max))
    return grams


@lru_cache(maxsize=65536)  # words repeat across abstracts: cut each once
def _padded_word_ngrams(word: str, n_min: int, n_max: int) -> tuple[str, ...]:
    padded = f" {word} "
    grams: list[str] = []
    for n in range(n_min, n_max + 1):
        if len(padded) <= n:  # a word no longer than n counts once, and ends the word
            grams.append(padded)
            break
        grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return tuple(grams)


def hashed_counts(grams: Iterable[str], n_features: int) -> Counter[int]:
    """sklearn's FeatureHasher (alternate_sign=False): signed MurmurHash3 of the UTF-8 bytes, abs, modulo."""
    import mmh3

    counts: Counter[int] = Counter()
    for gram, count in Counter(grams).items():  # n-grams repeat: hash each distinct one once
        h = mmh3.hash(gram, 0, True)  # a str is hashed as its UTF-8 bytes
        counts[(2**31 - 1 - (n_features - 1)) % n_features if h == _INT32_MIN else abs(h) % n_features] += count
    return counts
