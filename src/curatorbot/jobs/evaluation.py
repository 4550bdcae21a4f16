"""How good and how cheap the curation is, measured on labelled papers and real listing days.

Rows follow shared/data/eval/papers.dev.jsonl: `relevant` is true or null (null means unknown, not
irrelevant), `section` a heading path or null. Judged labels (judged_days.dev.jsonl, joined by id, or inline
labels that say `relevant: false` outright) are human calls against the list's scope: with them, the
report adds precision, recall and F1 of proposed papers, recall of proposed-or-flagged papers, and the share
of borderline calls. Every paper is judged the way the nightly run judges it:
pre-filter, then the classifier. Listed papers never see their own entry (leave-one-out): the local
section choice and the LLM prompt's examples both skip a paper's own entry.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from curatorbot.classify.classifier import COMPLETION_TOKENS_PER_PAPER, ClassificationRun, LLMClassifier
from curatorbot.classify.local_backend import LocalClassifier
from curatorbot.domain.awesome_list import AwesomeList
from curatorbot.domain.errors import InputFileError
from curatorbot.domain.models import Decision, Paper
from curatorbot.domain.tokens import count_chat_tokens


@dataclass(frozen=True)
class EvalRow:
    paper: Paper
    relevant: bool | None  # None: nobody said (list-based labels); False only from a judgement
    section: str | None
    borderline: bool = False
    why: str = ""


@dataclass(frozen=True)
class ListingDay:
    date: str
    ids: tuple[str, ...]


def _jsonl(path: Path) -> list[dict[str, Any]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise InputFileError(f"{path}: cannot read it ({error.strerror}); pass an existing JSONL file") from error
    except UnicodeDecodeError as error:
        raise InputFileError(f"{path}: not UTF-8 text; convert the file to UTF-8") from error
    rows = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise InputFileError(f"{path}:{number}: not a JSON object ({error.msg}); one object per line") from error
        if not isinstance(row, dict):
            raise InputFileError(f"{path}:{number}: a JSON {type(row).__name__}, not an object; one object per line")
        rows.append(row)
    if not rows:
        raise InputFileError(f"{path}: no rows; pass a JSONL file with one object per line")
    return rows


def load_rows(path: Path) -> list[EvalRow]:
    rows = []
    for number, row in enumerate(_jsonl(path), start=1):
        try:
            label = row.get("label") or {}
            rows.append(
                EvalRow(
                    paper=Paper(
                        arxiv_id=row["id"],
                        title=row["title"],
                        abstract=row.get("abstract") or "",
                        comments=row.get("comments"),
                        authors=tuple(row.get("authors") or ()),
                        categories=tuple(row.get("categories") or ()),
                        primary_category=row.get("primary_category"),
                    ),
                    relevant=label.get("relevant"),
                    section=label.get("section"),
                    borderline=bool(label.get("borderline")),
                    why=str(label.get("why") or ""),
                )
            )
        except (KeyError, TypeError) as error:
            raise InputFileError(f"{path}: row {number} lacks {error}; rows need id, title, abstract, label") from error
    return rows


def export_rows(awesome: AwesomeList, papers: Path | None = None) -> tuple[list[dict[str, Any]], int]:
    """The list's entries as rows of papers.dev.jsonl's format, labelled relevant in their own section (a
    paper listed twice: its first entry), with abstracts and categories from `papers` when given; and how
    many entries had no arXiv id."""
    records = {str(r.get("id")): r for r in _jsonl(papers)} if papers is not None else {}
    rows: dict[str, dict[str, Any]] = {}
    skipped = 0
    for entry in awesome.entries:
        if not entry.arxiv_id:
            skipped += 1
            continue
        if entry.arxiv_id in rows:
            continue
        record = records.get(entry.arxiv_id, {})
        rows[entry.arxiv_id] = {
            "id": entry.arxiv_id,
            "title": entry.title or record.get("title", ""),
            "abstract": record.get("abstract") or "",
            "categories": record.get("categories") or [],
            "primary_category": record.get("primary_category"),
            "section": entry.section_path,
            "venue": entry.venue,
            "line": entry.line,
            "label": {"relevant": True, "section": entry.section_path},
        }
    return list(rows.values()), skipped


def load_judged(path: Path, rows: Sequence[EvalRow]) -> tuple[list[EvalRow], list[ListingDay]]:
    """The rows that were judged (judged_days.dev.jsonl format), with the judged labels, and their days."""
    by_id = {r.paper.arxiv_id: r for r in rows}
    judged: list[EvalRow] = []
    days: dict[str, list[str]] = {}
    for number, item in enumerate(_jsonl(path), start=1):
        try:
            arxiv_id, label = str(item["id"]), item["judged"]
            relevant = label["relevant"]
        except (KeyError, TypeError) as error:
            raise InputFileError(f"{path}:{number}: lacks {error}; rows need id and judged.relevant") from error
        row = by_id.get(arxiv_id)
        if row is None:
            raise InputFileError(f"{path}:{number}: {arxiv_id} is not in the papers file; pass the matching one")
        judged.append(
            EvalRow(
                paper=row.paper,
                relevant=bool(relevant),
                section=label.get("section") if relevant else None,
                borderline=bool(label.get("borderline")),
                why=str(label.get("why") or ""),
            )
        )
        days.setdefault(str(item.get("date", "")), []).append(arxiv_id)
    return judged, [ListingDay(date=d, ids=tuple(ids)) for d, ids in days.items() if d]


def load_days(path: Path) -> list[ListingDay]:
    try:
        return [ListingDay(date=str(d["date"]), ids=tuple(d["ids"])) for d in _jsonl(path)]
    except (KeyError, TypeError) as error:
        raise InputFileError(f"{path}: a day lacks {error}; days need date and ids") from error


def _ratio(numerator: float, denominator: float) -> float:
    return round(numerator / denominator, 4) if denominator else 0.0


def token_cost(llm: LLMClassifier, days_of_papers: Sequence[Sequence[Paper]], announced: int) -> dict[str, float]:
    """Prompt tokens the configured LLM backend would spend, counted with the model's tokenizer: each day's
    pre-filtered papers in batches of `llm.batch_size`, list context included. No request is sent."""
    batch_size = llm.settings.llm.batch_size
    prompt_tokens = requests = sent = 0
    for papers in days_of_papers:
        for start in range(0, len(papers), batch_size):
            batch = papers[start : start + batch_size]
            prompt_tokens += count_chat_tokens(llm.messages(batch), llm.backend.model)
            requests += 1
            sent += len(batch)
    return {
        "prompt_tokens_per_paper": _ratio(prompt_tokens, sent),
        "prompt_tokens_per_announced_paper": _ratio(prompt_tokens, announced),
        "completion_tokens_per_paper": float(COMPLETION_TOKENS_PER_PAPER) if sent else 0.0,
        "requests_per_paper": _ratio(requests, sent),
        "papers_per_request": _ratio(sent, requests),
    }


def evaluate(
    rows: Sequence[EvalRow],
    days: Sequence[ListingDay],
    local: LocalClassifier,
    classify: Callable[[Sequence[Paper]], ClassificationRun],
    llm_for_cost: LLMClassifier,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> dict[str, Any]:
    papers = [r.paper for r in rows]
    prefiltered = local.prefilter(papers)
    passed = {p.arxiv_id for p in prefiltered.passed}

    # Relevance, as the nightly run decides it: dropped by the pre-filter, or judged by the classifier.
    to_classify = [p for p in papers if p.arxiv_id in passed]
    decisions: dict[str, Decision] = {}
    completion_tokens = 0
    chunk = 64
    for start in range(0, len(to_classify), chunk):
        run = classify(to_classify[start : start + chunk])
        completion_tokens += run.usage.completion_tokens
        for decision in run.decisions:
            decisions[decision.arxiv_id] = decision
        progress(min(start + chunk, len(to_classify)), len(to_classify))
    judged = {i for i, d in decisions.items() if d.relevant}
    positives = [r for r in rows if r.relevant]
    proposed = {i for i, d in decisions.items() if d.relevant and not d.needs_human and d.section}
    flagged = {i for i, d in decisions.items() if d.needs_human}
    # Judged labels say "not relevant" outright; list-based ones never do (null is unknown).
    judged_labels = any(r.relevant is False for r in rows)

    # Section: relevant rows with a section label, classified with their own entry out of sight.
    labelled = [r for r in rows if r.section and r.relevant is not False]
    predicted = {
        r.paper.arxiv_id: decisions[r.paper.arxiv_id].section if r.paper.arxiv_id in decisions else None
        for r in labelled
    }
    confusion: dict[str, Counter[str]] = {}
    for row in labelled:
        assert row.section is not None
        confusion.setdefault(row.section, Counter())[predicted[row.paper.arxiv_id] or "(none)"] += 1

    # Pre-filter pass rate per listing day, and what the LLM would cost on those days.
    by_id = {p.arxiv_id: p for p in papers}
    per_day: list[dict[str, Any]] = []
    day_papers: list[list[Paper]] = []
    announced = 0
    for day in days:
        present = [by_id[i] for i in day.ids if i in by_id]
        if not present:
            continue
        kept = [p for p in present if p.arxiv_id in passed]
        per_day.append(
            {
                "date": day.date,
                "n": len(present),
                "passed": len(kept),
                "pass_rate": _ratio(len(kept), len(present)),
            }
        )
        day_papers.append(kept)
        announced += len(present)
    if not days:  # no listing days: the rows themselves are the announcement
        day_papers = [[p for p in papers if p.arxiv_id in passed]]
        announced = len(papers)
    day_total = sum(int(d["n"]) for d in per_day)
    day_passed = sum(int(d["passed"]) for d in per_day)

    relevance: dict[str, Any] = {
        "recall": _ratio(sum(r.paper.arxiv_id in judged for r in positives), len(positives)),
        "n_positive": len(positives),
        "judged_relevant_share": _ratio(len(judged), len(rows)),
    }
    if judged_labels:
        hits = sum(r.paper.arxiv_id in proposed for r in positives)
        precision = _ratio(hits, len(proposed))
        recall = _ratio(hits, len(positives))
        relevance.update(
            precision=precision,
            recall=recall,
            f1=_ratio(2 * precision * recall, precision + recall),
            recall_with_flagged=_ratio(sum(r.paper.arxiv_id in proposed | flagged for r in positives), len(positives)),
            n_proposed=len(proposed),
            n_flagged=len(flagged),
            borderline_share=_ratio(sum(r.borderline for r in rows), len(rows)),
        )

    def miss(kind: str, row: EvalRow) -> dict[str, str]:
        return {"kind": kind, "arxiv_id": row.paper.arxiv_id, "title": row.paper.title, "why": row.why}

    # What a person should read: relevant papers the pre-filter dropped, proposals the labels reject.
    misses = [miss("relevant, dropped by the pre-filter", r) for r in positives if r.paper.arxiv_id not in passed]
    misses += [
        miss("proposed, the labels say no", r) for r in rows if r.relevant is False and r.paper.arxiv_id in proposed
    ]

    return {
        "relevance": relevance,
        "misses": misses,
        "prefilter": {
            "recall": _ratio(sum(r.paper.arxiv_id in passed for r in positives), len(positives)),
            "pass_rate": _ratio(day_passed, day_total) if per_day else _ratio(len(passed), len(rows)),
            "per_day": per_day,
        },
        "section": {
            "accuracy": _ratio(sum(predicted[r.paper.arxiv_id] == r.section for r in labelled), len(labelled)),
            "n": len(labelled),
            "confusion": {truth: dict(counts) for truth, counts in confusion.items()},
        },
        "cost": {
            **token_cost(llm_for_cost, day_papers, announced),
            # Measured when an LLM answered; otherwise the planning estimate per paper.
            **(
                {"completion_tokens_per_paper": _ratio(completion_tokens, len(to_classify))}
                if completion_tokens
                else {}
            ),
        },
    }
