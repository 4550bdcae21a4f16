"""Train the shipped local relevance model and print how it does on days it has not seen.

    python bench/train_relevance.py [PAPERS.jsonl] [JUDGED.jsonl] [--check]

Defaults to ../shared/data/eval (papers.dev.jsonl, judged_days.dev.jsonl). Writes
src/curatorbot/data/relevance_model.npz; with --check it writes nothing and exits 1 unless the retrained
model's sha equals the shipped one (CI runs this: the shipped model changes only through this script).

Labels: judged papers (human calls against the list's scope) first; papers some public list carries are
positives; every other paper is unlabelled and counts as a down-weighted negative (positive-unlabelled
learning; see curatorbot.classify.relevance_training.TrainingSet). The weight of the unlabelled papers and both
thresholds are chosen forward in time: judged days in four chronological blocks, each of the last three
scored by a model trained only on what came before it. Deterministic: same data, same model sha.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from curatorbot.classify.relevance import RelevanceModel
from curatorbot.classify.relevance_training import forward_in_time, load_training_set, train

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_EVAL = ROOT.parent / "shared" / "data" / "eval"
OUTPUT = ROOT / "src" / "curatorbot" / "data" / "relevance_model.npz"
C = 4.0
UNLABELLED_WEIGHTS = (0.1, 0.25)
PREFILTER_RECALL = 0.98  # the pre-filter saves tokens, it must not decide
MIN_PRECISION = 0.85  # of what the local backend proposes without a human


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("papers", nargs="?", type=Path, default=DEFAULT_EVAL / "papers.dev.jsonl")
    parser.add_argument("judged", nargs="?", type=Path, default=DEFAULT_EVAL / "judged_days.dev.jsonl")
    parser.add_argument("--check", action="store_true", help="retrain, compare with the shipped model, write nothing")
    args = parser.parse_args()
    started = time.perf_counter()
    data = load_training_set(args.papers, args.judged)
    print(
        f"{len(data.labels)} papers: {int(data.judged.sum())} judged ({int(data.labels[data.judged].sum())} relevant), "
        f"{int((~data.judged & ~data.unlabelled).sum())} more list positives, {int(data.unlabelled.sum())} unlabelled"
    )
    results = forward_in_time(data, C, UNLABELLED_WEIGHTS, PREFILTER_RECALL, MIN_PRECISION)
    for result in results:
        f = result.figures()
        print(
            f"unlabelled weight {result.unlabelled_weight}: forward in time on {f['n_validation']} judged papers "
            f"({f['n_validation_relevant']} relevant): pre-filter recall {f['prefilter_recall']:.3f} at pass rate "
            f"{f['prefilter_pass_rate']:.3f}; proposed precision {f['proposed_precision']:.3f}, "
            f"recall {f['proposed_recall']:.3f}"
        )
    # The setting whose proposals recall most at the required precision; the lower pass rate breaks ties.
    chosen = max(results, key=lambda r: (r.figures()["proposed_recall"], -r.figures()["prefilter_pass_rate"]))
    model = train(data, chosen, C)
    print(f"chose unlabelled weight {chosen.unlabelled_weight}; trained in {time.perf_counter() - started:.0f}s")
    print(f"pre-filter threshold {model.prefilter_threshold:.3f}, propose threshold {model.relevant_threshold:.3f}")
    if args.check:
        shipped = RelevanceModel.load()
        same = shipped.sha == model.sha
        print(f"retrained sha {model.sha}, shipped sha {shipped.sha}: {'reproduced' if same else 'DIFFERENT'}")
        return 0 if same else 1
    model.save(OUTPUT)
    print(f"wrote {OUTPUT.relative_to(ROOT)} ({OUTPUT.stat().st_size / 1e6:.1f} MB, sha {model.sha})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
