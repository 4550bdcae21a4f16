"""What `curatorbot learn` costs and what the model it learns is worth.

    python bench/learn.py            # both parts
    python bench/learn.py --cost     # only the cost: an 800-entry list, 5,000 unlabelled papers
    python bench/learn.py --quality  # only the figures on other lists

Cost: the real learn job and arXiv adapter against the local stand-in (the dev papers as arXiv), on a list
of 800 real dev papers in 8 sections; wall time on this machine and arXiv requests (the stand-in answers at
once: arXiv's 3 s spacing would add 3 s a request).

Quality, forward in time, with no shipped model and no judged file: for WLiK and CHIANGEL (real lists), the
entries with a dev record are split by arXiv id, the older half learns (with the dev papers submitted before
the split as unlabelled), and the newer half is held back. Printed: the pre-filter's recall of the held-back
entries, its pass rate on the listing days after the split (dev papers the list does not carry), and the
section model's agreement on the held-back entries next to always the largest section. Nothing here is
tuned on these figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from curatorbot.classify.list_learning import LearningSources, learn_model  # noqa: E402
from curatorbot.config import SectionSettings, load_settings  # noqa: E402
from curatorbot.domain.arxiv_id import announcement_order, parse_user_arxiv_id  # noqa: E402
from curatorbot.domain.awesome_list import AwesomeList  # noqa: E402
from curatorbot.domain.models import Paper  # noqa: E402
from curatorbot.jobs.init import init_config  # noqa: E402
from curatorbot.jobs.learn import LearnRequest, LearnServices, run_learn  # noqa: E402
from curatorbot.services.arxiv import ArxivClient  # noqa: E402
from curatorbot.services.model_store import ModelFolder  # noqa: E402
from curatorbot.services.paper_store import PaperStore  # noqa: E402
from fakes import arxiv_standin  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
EVAL = SHARED / "eval"
OTHER = SHARED / "lists" / "other"


def dev_rows() -> list[dict[str, object]]:
    return [json.loads(line) for line in (EVAL / "papers.dev.jsonl").read_text(encoding="utf-8").splitlines()]


def cost() -> None:
    rows = dev_rows()
    listed = rows[::9][:800]
    sections = [f"Topic {n}" for n in range(8)]
    lines = ["# A synthetic list of 800 real papers", ""]
    for n, section in enumerate(sections):
        lines += [f"## {section}", ""]
        lines += [
            f"+ {row['title']}, arxiv 2025, [[paper]](https://arxiv.org/pdf/{row['id']})."
            for row in listed[n * 100 : (n + 1) * 100]
        ]
        lines.append("")
    awesome = AwesomeList.parse("\n".join(lines))
    base = load_settings(ROOT / "config.yaml")
    archive = arxiv_standin.load_archive(EVAL / "papers.dev.jsonl", EVAL / "listing_days.dev.jsonl")
    standin = arxiv_standin.ArxivStandin({str(r["id"]): r for r in rows}, None, [], archive=archive)
    with tempfile.TemporaryDirectory() as folder, arxiv_standin.serve(standin) as url:
        settings = base.model_copy(
            update={
                "sections": tuple(SectionSettings(path=s, description=s) for s in sections),
                "arxiv": base.arxiv.model_copy(update={"api_url": f"{url}/api/query", "min_interval_seconds": 0}),
                "learn": base.learn.model_copy(
                    update={"model_dir": Path(folder) / "model", "cache_dir": Path(folder) / "records"}
                ),
            }
        )
        client = ArxivClient(settings.arxiv)
        model_folder = ModelFolder(settings.learn.model_dir)
        services = LearnServices(
            lookup=lambda ids: client.lookup([parse_user_arxiv_id(i) for i in ids]).papers,
            search=lambda query, first, last: client.search(query, first, last, page_size=1000),
            records=PaperStore(settings.learn.cache_dir),
            decisions=None,
            read_model=model_folder.read,
            write_model=model_folder.write,
        )
        for attempt in ("first run", "rerun (records and months cached)"):
            started, sent = time.perf_counter(), client.http.requests_sent
            result = run_learn(awesome, settings, LearnRequest(today=dt.date(2025, 10, 2), list_name="bench"), services)
            print(
                f"{attempt}: {time.perf_counter() - started:.1f} s, {client.http.requests_sent - sent} arXiv requests; "
                f"{result.model.card.counts}; sha {result.model.card.sha}"
            )


def quality(path: Path) -> None:
    rows = dev_rows()
    records = {
        str(r["id"]): Paper(arxiv_id=str(r["id"]), title=str(r["title"]), abstract=str(r.get("abstract") or ""))
        for r in rows
    }
    days = [json.loads(line) for line in (EVAL / "listing_days.dev.jsonl").read_text(encoding="utf-8").splitlines()]
    with path.open(encoding="utf-8", newline="") as handle:
        awesome = AwesomeList.parse(handle.read())
    firsts: dict[str, str] = {}
    for entry in awesome.entries:
        if entry.arxiv_id in records:
            firsts.setdefault(entry.arxiv_id, entry.section_path)
    ids = sorted(firsts, key=announcement_order)
    older, newer = ids[: len(ids) // 2], ids[len(ids) // 2 :]
    split = newer[0]
    older_list = awesome.remove(dict.fromkeys(newer))
    _, text = init_config(older_list, lambda wanted: {}, where=path.name, repo=None, path="README.md", branch="main")
    with tempfile.TemporaryDirectory() as folder:
        config = Path(folder) / "config.yaml"
        config.write_text(text, encoding="utf-8")
        settings = load_settings(config)
    sections = settings.section_paths
    unlabelled = [p for i, p in records.items() if i < split and i not in awesome.arxiv_ids]
    started = time.perf_counter()
    model = learn_model(
        LearningSources(listed=[(records[i], firsts[i]) for i in older], unlabelled=unlabelled),
        sections,
        path.name,
        dt.date(2025, 10, 1),
    )
    seconds = time.perf_counter() - started
    threshold = model.relevance.prefilter_threshold
    held = [records[i] for i in newer]
    kept = (model.relevance.scores(held) >= threshold).mean()
    announced = [
        records[i] for day in days for i in day["ids"] if i in records and i >= split and i not in awesome.arxiv_ids
    ]
    passed = (model.relevance.scores(announced) >= threshold).mean() if announced else 0.0
    line = (
        f"{path.name}: learned from {len(older)} older entries and {len(unlabelled)} unlabelled papers in "
        f"{seconds:.0f} s; held back {len(newer)} newer entries: pre-filter recall {kept:.3f} at a pass rate of "
        f"{passed:.3f} on {len(announced)} later announced papers"
    )
    if model.sections is not None:
        in_config = [i for i in newer if firsts[i] in sections]
        chosen = model.sections.probabilities([records[i] for i in in_config]).argmax(axis=1)
        right = sum(sections[c] == firsts[i] for c, i in zip(chosen, in_config, strict=True))
        largest = Counter(firsts[i] for i in older if firsts[i] in sections).most_common(1)[0][0]
        baseline = sum(firsts[i] == largest for i in in_config) / len(in_config)
        line += f"; section agreement {right / len(in_config):.3f} (largest section {baseline:.3f})"
    print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cost", action="store_true")
    parser.add_argument("--quality", action="store_true")
    args = parser.parse_args()
    if args.quality or not args.cost:
        for path in (
            OTHER / "WLiK__LLM4Rec-Awesome-Papers.README.md",
            OTHER / "CHIANGEL__Awesome-LLM-for-RecSys.2025-06-30.README.md",
        ):
            quality(path)
    if args.cost or not args.quality:
        cost()


if __name__ == "__main__":
    main()
