"""Train the shipped local relevance model from labelled papers, and print its out-of-fold figures.

    python bench/train_relevance.py [PAPERS.jsonl] [DAYS.jsonl] [--check]

Defaults to ../shared/data/eval. Writes src/curatorbot/data/relevance_model.npz; with --check it writes
nothing and exits 1 unless the retrained model's sha equals the shipped one (CI runs this: the shipped
model changes only through this script). The thresholds come
from 5-fold out-of-fold scores, so the printed recall and pass rate are for papers the model did not see.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from curatorbot.core.models import Paper
from curatorbot.core.relevance import RelevanceModel
from curatorbot.core.relevance_training import out_of_fold_scores, train

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_EVAL = ROOT.parent / "shared" / "data" / "eval"
OUTPUT = ROOT / "src" / "curatorbot" / "data" / "relevance_model.npz"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("papers", nargs="?", type=Path, default=DEFAULT_EVAL / "papers.dev.jsonl")
    parser.add_argument("days", nargs="?", type=Path, default=DEFAULT_EVAL / "listing_days.dev.jsonl")
    parser.add_argument("--check", action="store_true", help="retrain, compare with the shipped model, write nothing")
    args = parser.parse_args()
    papers_path, days_path = args.papers, args.days
    rows = [json.loads(line) for line in papers_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    papers = [Paper(arxiv_id=r["id"], title=r["title"], abstract=r["abstract"] or "") for r in rows]
    labels = np.array([bool(r["label"]["relevant"]) for r in rows])
    started = time.perf_counter()
    model = train(papers, labels)
    print(f"trained on {model.n_train} papers ({model.n_positive} relevant) in {time.perf_counter() - started:.0f}s")
    if args.check:
        shipped = RelevanceModel.load()
        same = shipped.sha == model.sha
        print(f"retrained sha {model.sha}, shipped sha {shipped.sha}: {'reproduced' if same else 'DIFFERENT'}")
        return 0 if same else 1
    model.save(OUTPUT)
    print(f"wrote {OUTPUT.relative_to(ROOT)} ({OUTPUT.stat().st_size / 1e6:.1f} MB, sha {model.sha})")
    print(f"pre-filter threshold {model.prefilter_threshold:.3f}: out-of-fold recall {model.prefilter_oof_recall:.3f}")
    print(f"relevant threshold   {model.relevant_threshold:.3f}: out-of-fold recall {model.relevant_oof_recall:.3f}")

    # Out-of-fold pass rate over the real listing days: what share of a night's papers reach the LLM.
    oof = out_of_fold_scores(papers, labels.astype(int))
    by_id = {r["id"]: score for r, score in zip(rows, oof, strict=True)}
    days = [json.loads(line) for line in days_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    day_scores = np.array([by_id[i] for d in days for i in d["ids"] if i in by_id])
    print(
        f"out-of-fold pass rate over {len(days)} listing days ({len(day_scores)} papers): "
        f"{np.mean(day_scores >= model.prefilter_threshold):.3f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
