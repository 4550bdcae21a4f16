"""A full nightly run over real listing days, in one process, against local stand-ins: the arXiv stand-in
(real papers in arXiv's feed format) and an OpenAI-compatible stub that answers after a fixed latency.
It runs the configured batching and concurrency, then one paper per request, and prints both.

    python bench/nightly.py [--days 10] [--latency 0.8] [--papers PAPERS.jsonl] [--listing-days DAYS.jsonl]

The stub's answers are a benchmark device, not a test oracle. Tokens are counted with the model's
tokenizer from the requests actually sent.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from curatorbot.classify.local_backend import LocalClassifier  # noqa: E402
from curatorbot.cli.wiring import build_classifier  # noqa: E402
from curatorbot.config import Secrets, Settings, load_settings  # noqa: E402
from curatorbot.domain.awesome_list import AwesomeList  # noqa: E402
from curatorbot.domain.tokens import count_chat_tokens  # noqa: E402
from curatorbot.jobs.nightly import NightlyRequest, NightlyServices, run_nightly  # noqa: E402
from curatorbot.services.arxiv import ArxivClient  # noqa: E402
from fakes import arxiv_standin, openai_stub  # noqa: E402

EVAL = ROOT.parent / "shared" / "data" / "eval"


def run_mode(
    name: str, settings: Settings, days: list[dict], papers: dict, latency: float, awesome: AwesomeList
) -> dict[str, float]:
    stub = openai_stub.OpenAIStub(default=openai_stub.answer_by_title, latency_seconds=latency)
    standin = arxiv_standin.ArxivStandin(papers, None, [])
    secrets = Secrets()
    wall = 0.0
    announced = 0
    with (
        openai_stub.serve(stub) as llm_url,
        arxiv_standin.serve(standin) as arxiv_url,
        tempfile.TemporaryDirectory() as cache,
    ):
        config = settings.model_copy(
            update={
                "arxiv": settings.arxiv.model_copy(
                    update={
                        "feed_url": f"{arxiv_url}/atom",
                        "api_url": f"{arxiv_url}/api/query",
                        "min_interval_seconds": 0,
                    }
                ),
                "llm": settings.llm.model_copy(update={"base_url": llm_url, "cache_dir": Path(cache)}),
            }
        )
        local = LocalClassifier(awesome, config)
        for day in days:
            standin.day, standin.ids = dt.date.fromisoformat(day["date"]), day["ids"]
            announced += sum(1 for i in day["ids"] if i in papers)
            client = ArxivClient(config.arxiv)
            started = time.perf_counter()
            run_nightly(
                config,
                NightlyRequest(
                    now=dt.datetime.combine(standin.day, dt.time(12), dt.UTC),
                    backend="openai",
                    model=config.llm.model,
                    prompt_version="bench",
                    dry_run=True,
                ),
                NightlyServices(
                    arxiv=client,
                    repo=None,
                    local_list=awesome,
                    local=lambda _awesome: local,
                    classifier=lambda a, loc: build_classifier("openai", config, secrets, a, local=loc),
                    feed_state=None,
                ),
            )
            wall += time.perf_counter() - started
            client.close()
    prompt_tokens = sum(count_chat_tokens(r["messages"], settings.llm.model) for r in stub.requests)
    papers_sent = sum(len(openai_stub.paper_ids(r)) for r in stub.requests)
    return {
        "wall_seconds": wall,
        "requests": len(stub.requests),
        "papers_sent": papers_sent,
        "announced": announced,
        "prompt_tokens": prompt_tokens,
        "prompt_tokens_per_paper": prompt_tokens / papers_sent if papers_sent else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--days", type=int, default=10, help="how many real listing days (default 10)")
    parser.add_argument("--latency", type=float, default=0.8, help="stub latency per request, seconds")
    parser.add_argument("--papers", type=Path, default=EVAL / "papers.dev.jsonl")
    parser.add_argument("--listing-days", type=Path, default=EVAL / "listing_days.dev.jsonl")
    parser.add_argument("--list", type=Path, default=ROOT / "tests" / "data" / "lists" / "awesome-llm4rs.README.md")
    args = parser.parse_args()

    papers = arxiv_standin.load_papers(args.papers)
    days = [json.loads(line) for line in args.listing_days.read_text().splitlines() if line.strip()][: args.days]
    settings = load_settings(ROOT / "config.yaml")
    awesome = AwesomeList.parse(args.list.read_text(encoding="utf-8"))
    configured = settings
    one_by_one = settings.model_copy(
        update={"llm": settings.llm.model_copy(update={"batch_size": 1, "concurrency": 1})}
    )

    results = {
        f"configured (batch {settings.llm.batch_size}, concurrency {settings.llm.concurrency})": run_mode(
            "configured", configured, days, papers, args.latency, awesome
        ),
        "one paper per request (batch 1, concurrency 1)": run_mode(
            "single", one_by_one, days, papers, args.latency, awesome
        ),
    }
    print(f"{len(days)} real listing days, stub latency {args.latency * 1000:.0f} ms, model {settings.llm.model}")
    print(f"{'mode':<50} {'wall s':>8} {'requests':>9} {'papers':>7} {'prompt tok':>11} {'tok/paper':>10}")
    for name, r in results.items():
        print(
            f"{name:<50} {r['wall_seconds']:>8.1f} {r['requests']:>9.0f} {r['papers_sent']:>7.0f} "
            f"{r['prompt_tokens']:>11.0f} {r['prompt_tokens_per_paper']:>10.0f}"
        )
    configured_result, single = results.values()
    print(
        f"ratio one-by-one / configured: wall {single['wall_seconds'] / configured_result['wall_seconds']:.2f}x, "
        f"requests {single['requests'] / max(configured_result['requests'], 1):.2f}x, "
        f"prompt tokens {single['prompt_tokens'] / max(configured_result['prompt_tokens'], 1):.2f}x"
    )
    print(
        f"announced papers: {configured_result['announced']:.0f}; prompt tokens per announced paper (configured): "
        f"{configured_result['prompt_tokens'] / max(configured_result['announced'], 1):.0f}"
    )


if __name__ == "__main__":
    main()
