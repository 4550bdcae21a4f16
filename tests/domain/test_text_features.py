"""The run-time features must equal scikit-learn's, or the shipped model's weights mean nothing."""

import json
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer, TfidfVectorizer

from curatorbot.classify.relevance import LEXICON_WEIGHT, RelevanceModel, _lexicon, _text
from curatorbot.classify.relevance_training import _CHARS, _WORDS, _tfidf
from curatorbot.domain.text_features import char_wb_ngrams, hashed_counts, word_ngrams
from curatorbot.domain.title_index import TitleIndex

SAMPLE = Path(__file__).parents[1] / "data" / "eval" / "papers.sample.jsonl"
ROWS = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
TRICKY = ["GPT-4o's   cold-start\trecs: ÜBER naïve A/B", "a", "", "x y", "The and of", "LLM\u00a0rec  2024"]


class Row:
    def __init__(self, row: dict) -> None:  # type: ignore[type-arg]
        self.title, self.abstract = row["title"], row["abstract"]


@pytest.mark.parametrize("text", [*TRICKY, *(r["title"] + ". " + r["abstract"] for r in ROWS[:40])])
def test_analyzers_match_scikit_learn(text: str) -> None:
    assert word_ngrams(text) == HashingVectorizer(ngram_range=(1, 2), stop_words="english").build_analyzer()(text)
    assert char_wb_ngrams(text) == HashingVectorizer(analyzer="char_wb", ngram_range=(3, 5)).build_analyzer()(text)


@pytest.mark.parametrize("text", [*TRICKY, *(r["abstract"] for r in ROWS[:40])])
def test_hashing_matches_scikit_learn(text: str) -> None:
    for vectorizer, analyze in ((_WORDS, word_ngrams), (_CHARS, char_wb_ngrams)):
        expected = vectorizer.transform([text]).tocsr()
        counts = hashed_counts(analyze(text), expected.shape[1])
        assert dict(zip(expected.indices.tolist(), expected.data.tolist(), strict=True)) == counts


def test_scores_equal_the_sparse_pipeline_the_model_was_trained_with() -> None:
    model = RelevanceModel.load()
    papers = [Row(r) for r in ROWS[:60]]
    texts = [_text(p) for p in papers]
    lexicon = sp.csr_matrix(np.array([_lexicon(p) for p in papers]))
    features = sp.hstack(
        [
            _tfidf(_WORDS.transform(texts).tocsr(), model.idf_words),
            _tfidf(_CHARS.transform(texts).tocsr(), model.idf_chars),
            LEXICON_WEIGHT * lexicon,
        ]
    ).tocsr()
    expected = features @ model.coef + model.intercept
    assert np.allclose(model.scores(papers), expected, atol=1e-9)


def test_title_index_matches_scikit_learn_tfidf() -> None:
    titles = [r["title"] for r in ROWS[:80]]
    queries = [r["title"] for r in ROWS[80:100]]
    reference = TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2), stop_words="english").fit(titles)
    expected = (reference.transform(queries) @ reference.transform(titles).T).toarray()
    assert np.allclose(TitleIndex(titles).similarities(queries), expected, atol=1e-12)


def test_title_index_of_a_large_list_holds_one_posting_per_title_and_ngram() -> None:
    # A dense titles-by-vocabulary matrix grows with the square of the list: 49,000 entries asked for 54 GiB.
    titles = [f"{r['title']} variant v{i:02d}" for i in range(25) for r in ROWS]
    index = TitleIndex(titles)
    postings = sum(len(set(word_ngrams(t))) for t in titles)
    assert len(titles) > 8_000 and len(index.vocabulary) > 3_000
    assert index.rows.size == index.weights.size == postings
    assert index.rows.nbytes + index.weights.nbytes + index.starts.nbytes < 16 * (postings + len(index.vocabulary) + 1)
    [nearest] = np.argsort(-index.similarities([titles[123]]))[:, :1]
    assert titles[int(nearest[0])] == titles[123]
