"""Learning a list's own model (`curatorbot learn`): scikit-learn's logistic regression over the shipped
model's features, trained on the list's entries, its maintainers' calls and unlabelled papers of its
categories. Imported only by `learn` (the `train` extra); the run time reads the result without it.

Relevance is positive-unlabelled learning, as for the shipped model: listed and accepted papers are
positives, rejected papers negatives at full weight, unlabelled papers negatives at a low weight chosen
forward in time. Without hand-judged days, validation counts unlabelled papers as negatives, so the
precision it reports is a lower bound and the propose threshold errs toward asking a person.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression

from curatorbot.classify.list_model import ListModel, ModelCard, SectionModel
from curatorbot.classify.relevance import _text
from curatorbot.classify.relevance_training import (
    _WORDS,
    TrainingSet,
    _idf,
    _tfidf,
    forward_blocks,
    forward_in_time,
    train,
)
from curatorbot.domain.arxiv_id import announcement_order, month_of
from curatorbot.domain.errors import LearnError
from curatorbot.domain.models import Paper

C = 0.5
SECTION_C = 4.0
UNLABELLED_WEIGHTS = (0.1, 0.25, 0.5)
PREFILTER_RECALL = 0.98
MIN_PRECISION = 0.85
MIN_POSITIVES = 20
SECTION_HOLDOUT = 0.25  # the newest share of the section examples scores the section model


@dataclass(frozen=True)
class Judged:
    paper: Paper
    relevant: bool
    section: str | None
    date: str  # YYYY-MM-DD, the announcement day it was judged on


@dataclass(frozen=True)
class LearningSources:
    """Everything `learn` reads, as values: the list's papers with their sections, the maintainers' calls
    (rows of `curatorbot decisions --json`, oldest first) with the decided papers' records, unlabelled papers
    of the list's categories, and optionally hand-judged papers."""

    listed: Sequence[tuple[Paper, str]]
    decisions: Sequence[Mapping[str, object]] = ()
    decided: Mapping[str, Paper] = field(default_factory=dict)
    unlabelled: Sequence[Paper] = ()
    judged: Sequence[Judged] = ()


def final_calls(decisions: Sequence[Mapping[str, object]]) -> dict[str, tuple[str, str | None]]:
    """Each paper's last call (id -> action, section): a later call overrides an earlier one."""
    calls: dict[str, tuple[str, str | None]] = {}
    for row in decisions:
        arxiv_id, action = str(row.get("arxiv_id", "")), str(row.get("action", ""))
        if arxiv_id and action in ("accepted", "rejected", "moved"):
            section = row.get("section")
            calls[arxiv_id] = (action, str(section) if section else None)
    return calls


def learning_set(
    sources: LearningSources, sections: Sequence[str]
) -> tuple[TrainingSet, list[tuple[Paper, str]], dict[str, int]]:
    """The relevance training set, the section examples (paper, section) and the counts per source."""
    calls = final_calls(sources.decisions)
    judged = {j.paper.arxiv_id: j for j in sources.judged}
    positives: dict[str, Paper] = {}
    section_of: dict[str, str] = {}
    for paper, section in sources.listed:
        positives.setdefault(paper.arxiv_id, paper)
        if section in sections:
            section_of.setdefault(paper.arxiv_id, section)
    negatives: dict[str, Paper] = {}
    counts: Counter[str] = Counter(list_entries=len(positives))
    for arxiv_id, (action, final_section) in sorted(calls.items()):
        decided = sources.decided.get(arxiv_id) or positives.get(arxiv_id)
        if decided is None:
            continue  # no record to learn from (arXiv did not answer for it)
        counts[action] += 1
        if action == "rejected":
            negatives[arxiv_id] = decided
            positives.pop(arxiv_id, None)
            section_of.pop(arxiv_id, None)
        else:
            positives.setdefault(arxiv_id, decided)
            if final_section in sections:
                section_of[arxiv_id] = str(final_section)  # the maintainer's final section wins over the list's
    labelled = set(positives) | set(negatives) | set(judged)
    unlabelled = {p.arxiv_id: p for p in sources.unlabelled if p.arxiv_id not in labelled}
    counts["unlabelled"] = len(unlabelled)
    counts["judged"] = len(judged)
    if len(positives) < MIN_POSITIVES:
        raise LearnError(
            f"{len(positives)} listed or accepted papers with an arXiv record: learning needs at least "
            f"{MIN_POSITIVES}; the shipped model stays in use"
        )
    rows: list[tuple[Paper, int, bool, str, bool]] = []  # paper, label, scored in validation, time, unlabelled
    with_judged = bool(judged)
    for arxiv_id in sorted(set(positives) | set(negatives) | set(judged) | set(unlabelled), key=announcement_order):
        if arxiv_id in judged:
            item = judged[arxiv_id]
            rows.append((item.paper, int(item.relevant), True, item.date, False))
            if item.relevant and item.section in sections:
                section_of.setdefault(arxiv_id, str(item.section))
        elif arxiv_id in positives or arxiv_id in negatives:
            paper = positives.get(arxiv_id) or negatives[arxiv_id]
            rows.append((paper, int(arxiv_id in positives), not with_judged, f"{month_of(arxiv_id)}-00", False))
        else:
            rows.append((unlabelled[arxiv_id], 0, not with_judged, f"{month_of(arxiv_id)}-00", True))
    data = TrainingSet(
        papers=[r[0] for r in rows],
        labels=np.array([r[1] for r in rows]),
        judged=np.array([r[2] for r in rows]),
        times=np.array([r[3] for r in rows]),
        unlabelled=np.array([r[4] for r in rows]),
    )
    by_id = {r[0].arxiv_id: r[0] for r in rows}
    examples = [(by_id[i], section_of[i]) for i in sorted(section_of, key=announcement_order) if i in by_id]
    return data, examples, dict(counts)


def _section_features(papers: Sequence[Paper], idf: np.ndarray | None = None) -> tuple[sp.csr_matrix, np.ndarray]:
    counts = _WORDS.transform([_text(p) for p in papers]).tocsr()
    idf = _idf(counts) if idf is None else idf
    return _tfidf(counts, idf), idf


def _fit_sections(examples: Sequence[tuple[Paper, str]], sections: Sequence[str]) -> SectionModel:
    present = [s for s in sections if any(section == s for _, section in examples)]
    features, idf = _section_features([p for p, _ in examples])
    # Only the hashed words the examples use carry weight: fitting on those columns alone gives the same
    # model (an unseen column's weight stays 0) in a fraction of the time.
    columns = np.unique(features.indices)
    labels = np.array([present.index(section) for _, section in examples])
    classifier = LogisticRegression(C=SECTION_C, max_iter=3000)
    classifier.fit(features[:, columns], labels)
    # Two sections: scikit-learn keeps one row z for the second; a softmax over (-z/2, z/2) is its sigmoid(z).
    rows = classifier.coef_ if len(present) > 2 else np.vstack([-classifier.coef_[0], classifier.coef_[0]]) / 2
    bias = (
        classifier.intercept_
        if len(present) > 2
        else np.array([-classifier.intercept_[0], classifier.intercept_[0]]) / 2
    )
    coef = np.zeros((len(sections), len(columns)))
    intercepts = np.full(len(sections), -1e3)  # a section without examples is never chosen by the model
    for row, section in enumerate(present):
        coef[sections.index(section)] = rows[row]
        intercepts[sections.index(section)] = bias[row]
    unseen = float(np.log((1 + len(examples)) / 1) + 1.0)  # _idf's smooth idf of a column no example has
    return SectionModel(tuple(sections), idf[columns], columns.astype(np.int64), coef, intercepts, unseen)


def section_figures(examples: Sequence[tuple[Paper, str]], sections: Sequence[str]) -> dict[str, float]:
    """Forward in time: trained on the older examples, the newest SECTION_HOLDOUT scored, next to always
    choosing the older examples' largest section."""
    cut = int(len(examples) * (1 - SECTION_HOLDOUT))
    older, newer = examples[:cut], examples[cut:]
    if len({s for _, s in older}) < 2 or not newer:
        return {}
    model = _fit_sections(older, sections)
    chosen = model.probabilities([p for p, _ in newer]).argmax(axis=1)
    right = sum(sections[c] == s for c, (_, s) in zip(chosen, newer, strict=True))
    largest = Counter(s for _, s in older).most_common(1)[0][0]
    return {
        "section_accuracy": round(right / len(newer), 3),
        "section_baseline_largest": round(sum(s == largest for _, s in newer) / len(newer), 3),
        "section_n_scored": float(len(newer)),
    }


def positive_blocks(data: TrainingSet, blocks: int = 4) -> list[tuple[np.ndarray, np.ndarray]]:
    """(train, test) pairs over the months that hold relevant papers, in `blocks` chronological blocks: each
    block after the first is scored by a model trained only on the months before it. Months are split where
    the list's papers are, not where arXiv's old unlabelled papers are."""
    months = sorted({str(t) for t, label in zip(data.times, data.labels, strict=True) if label == 1})
    pairs = []
    for block in np.array_split(np.array(months), blocks)[1:]:
        if not len(block):
            continue
        first, last = str(block[0]), str(block[-1])[:7] + "-99"
        test = data.judged & (data.times >= first) & (data.times <= last)
        pairs.append((np.where(data.times < first)[0], np.where(test)[0]))
    return pairs


def learn_model(sources: LearningSources, sections: Sequence[str], list_name: str, today: dt.date) -> ListModel:
    """The list's model, deterministic: the same sources give the same sha."""
    data, examples, counts = learning_set(sources, sections)
    # With hand-judged days, validation runs over their days as for the shipped model; else over the months
    # that hold the list's papers.
    blocks = forward_blocks(data) if sources.judged else positive_blocks(data)
    if len({str(t)[:7] for t, label in zip(data.times, data.labels, strict=True) if label == 1}) < 4:
        raise LearnError("the list's papers span fewer than 4 months: too little to validate forward in time")
    results = forward_in_time(
        data, C, UNLABELLED_WEIGHTS, PREFILTER_RECALL, MIN_PRECISION, used_columns_only=True, blocks=blocks
    )
    if not results:
        raise LearnError(
            "no relevant paper comes before the later months, so nothing can be validated forward in time; "
            "learn again when the list and its decisions span more months"
        )
    # The setting whose proposals recall most at the required precision; the lower pass rate breaks ties.
    chosen = max(results, key=lambda r: (r.figures()["proposed_recall"], -r.figures()["prefilter_pass_rate"]))
    relevance = train(data, chosen, C, used_columns_only=True)
    section_model = _fit_sections(examples, sections) if len({s for _, s in examples}) >= 2 else None
    figures = {k: round(float(v), 3) for k, v in chosen.figures().items()}
    figures.update(section_figures(examples, sections))
    notes = []
    if not sources.judged:
        notes.append("no hand-judged days: validation took unlabelled papers as negatives (precision is a lower bound)")
    if section_model is None:
        notes.append("fewer than two sections have examples: sections are chosen from the nearest listed titles")
    weights = relevance.sha + (section_model.sha if section_model else "")
    card = ModelCard(
        list_name=list_name,
        sections=tuple(sections),
        learned=today.isoformat(),
        counts=counts,
        figures=figures,
        unlabelled_weight=chosen.unlabelled_weight,
        sha=hashlib.sha256(weights.encode()).hexdigest()[:12],
        notes=tuple(notes),
    )
    return ListModel(relevance, section_model, card)
