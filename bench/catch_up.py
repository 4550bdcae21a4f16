"""What a catch-up costs and what it finds, month by month, over the dev papers as a stand-in archive.

    python bench/catch_up.py [--from 2024-12] [--to 2025-09]

Each month is searched through the real arXiv adapter (form POSTs, paging) against the local stand-in,
which evaluates the configured catch-up query (config.yaml) over the papers of the dev listing days
(tests/fakes/arxiv_query.py). Then the nightly stages that decide what reaches the LLM: papers the list
holds are dropped, the shipped pre-filter runs, and the prompt tokens of the LLM batches are counted with
the model's tokenizer (no request is sent). Recall is against the judged days' relevant papers of those
months. Prints figures; asserts nothing.

Caveat: the pre-filter was trained on these judged days, so "term filter + pre-filter" recall is
in-sample for its second factor; the forward-in-time pre-filter recall is printed by
bench/train_relevance.py.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from curatorbot.classify.classifier import CountingOnly, LLMClassifier  # noqa: E402
from curatorbot.classify.local_backend import LocalClassifier  # noqa: E402
from curatorbot.classify.prompts import PromptSet  # noqa: E402
from curatorbot.config import load_settings  # noqa: E402
from curatorbot.domain.arxiv_query import build_query, parse_month_or_day, windows  # noqa: E402
from curatorbot.domain.awesome_list import AwesomeList  # noqa: E402
from curatorbot.domain.tokens import count_chat_tokens  # noqa: E402
from curatorbot.services import arxiv as arxiv_adapter  # noqa: E402
from curatorbot.services.arxiv import ArxivClient  # noqa: E402
from fakes import arxiv_query, arxiv_standin  # noqa: E402

EVAL = ROOT.parent / "shared" / "data" / "eval"
ARXIV_SPACING_SECONDS = 3.0  # arXiv's asked pace: the floor of a catch-up's wall time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--from", dest="first", default="2024-12")
    parser.add_argument("--to", dest="last", default="2025-09")
    parser.add_argument("--papers", type=Path, default=EVAL / "papers.dev.jsonl")
    parser.add_argument("--listing-days", type=Path, default=EVAL / "listing_days.dev.jsonl")
    parser.add_argument("--judged", type=Path, default=EVAL / "judged_days.dev.jsonl")
    parser.add_argument("--list", type=Path, default=ROOT / "tests" / "data" / "lists" / "awesome-llm4rs.README.md")
    args = parser.parse_args()

    settings = load_settings(ROOT / "config.yaml")
    archive = arxiv_standin.load_archive(args.papers, args.listing_days)
    submitted = {p["id"]: p["published"] for p in archive}
    relevant = {
        row["id"]
        for row in map(json.loads, args.judged.read_text(encoding="utf-8").splitlines())
        if row["judged"]["relevant"]
    }
    awesome = AwesomeList.parse(args.list.read_text(encoding="utf-8"))
    local = LocalClassifier(awesome, settings)
    llm = LLMClassifier(CountingOnly(settings.llm.model), PromptSet.load(settings.llm.prompts_dir), settings, awesome)
    query = build_query(settings.catch_up, settings.arxiv.categories)
    batch = settings.llm.batch_size

    standin = arxiv_standin.ArxivStandin({}, None, [], archive=archive)
    rows = []
    with arxiv_standin.serve(standin) as url:
        client = ArxivClient(
            settings.arxiv.model_copy(update={"api_url": f"{url}/api/query", "min_interval_seconds": 0})
        )
        for window in windows(parse_month_or_day(args.first), parse_month_or_day(args.last, end=True), "month"):
            started = time.perf_counter()
            sent_before = client.http.requests_sent
            candidates = client.search(query, window.first_day, window.last_day)
            arxiv_requests = client.http.requests_sent - sent_before
            searched = time.perf_counter()
            fresh = [p for p in candidates if p.arxiv_id not in awesome.arxiv_ids]
            passed = list(local.prefilter(fresh).passed)
            prompt_tokens = sum(
                count_chat_tokens(llm.messages(passed[i : i + batch]), settings.llm.model)
                for i in range(0, len(passed), batch)
            )
            in_month = {
                i
                for i in relevant
                if window.first_day.isoformat() <= (submitted.get(i) or "") <= window.last_day.isoformat()
            }
            found = {p.arxiv_id for p in candidates}
            kept = {p.arxiv_id for p in passed} | (found & awesome.arxiv_ids)
            rows.append(
                {
                    "month": window.key,
                    "archive": sum(
                        1
                        for p in archive
                        if window.first_day.isoformat() <= (p["published"] or "") <= window.last_day.isoformat()
                    ),
                    "candidates": len(candidates),
                    "llm_papers": len(passed),
                    "prompt_tokens": prompt_tokens,
                    "arxiv_requests": arxiv_requests,
                    "llm_requests": math.ceil(len(passed) / batch),
                    "relevant": len(in_month),
                    "term_hits": len(in_month & found),
                    "kept_hits": len(in_month & kept),
                    "search_seconds": searched - started,  # the stand-in evaluating the query, mostly
                    "compute_seconds": time.perf_counter() - searched,
                }
            )
        client.close()

    print(f"query: {len(query)} characters, sent as a form POST; page size {arxiv_adapter.SEARCH_PAGE_SIZE}")
    header = (
        f"{'month':8} {'archive':>7} {'cand.':>6} {'to LLM':>6} {'prompt tok':>10} {'arXiv req':>9} "
        f"{'LLM req':>7} {'relevant':>8} {'terms':>6} {'+pre':>5}"
    )
    print(header)
    for r in rows:
        print(
            f"{r['month']:8} {r['archive']:7} {r['candidates']:6} {r['llm_papers']:6} {r['prompt_tokens']:10} "
            f"{r['arxiv_requests']:9} {r['llm_requests']:7} {r['relevant']:8} {r['term_hits']:6} {r['kept_hits']:5}"
        )
    total = {k: sum(r[k] for r in rows) for k in rows[0] if k != "month"}
    months = len(rows)
    print(
        f"recall of judged-relevant papers: term filter {total['term_hits'] / total['relevant']:.3f}, "
        f"term filter + pre-filter {total['kept_hits'] / total['relevant']:.3f} ({total['relevant']} papers)"
    )
    print(
        f"per month: {total['candidates'] / months:.0f} candidates of {total['archive'] / months:.0f} archive papers, "
        f"{total['llm_papers'] / months:.0f} to the LLM (max {max(r['llm_papers'] for r in rows)}), "
        f"{total['prompt_tokens'] / months:.0f} prompt tokens (max {max(r['prompt_tokens'] for r in rows)}), "
        f"{total['arxiv_requests'] / months:.1f} arXiv and {total['llm_requests'] / months:.1f} LLM requests"
    )
    # The list's own papers, whenever submitted: what the term filter alone would keep of them (the category
    # part of the query set aside: many listed papers are cs.CL or cs.AI only, which config can add).
    listed = [p for p in archive if p["id"] in awesome.arxiv_ids]
    terms_only = query.split(" AND ", 1)[1]
    kept_listed = {p["id"] for p in arxiv_query.search(listed, terms_only)}
    print(
        f"the list's own papers with an abstract in the dev data: the term filter keeps {len(kept_listed)} of "
        f"{len(listed)} ({len(kept_listed) / len(listed):.3f})"
    )
    floor = total["arxiv_requests"] * ARXIV_SPACING_SECONDS
    print(
        f"wall time: {total['compute_seconds']:.1f} s of pre-filter and token counting; arXiv's 3 s spacing sets a "
        f"floor of {floor:.0f} s for these {months} months ({floor / months:.0f} s a month), LLM time aside "
        f"(the stand-in took {total['search_seconds']:.0f} s to evaluate the queries: its cost, not arXiv's)"
    )


if __name__ == "__main__":
    main()
