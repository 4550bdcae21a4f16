"""Memory and time of a run's list-side work on a very large list: parse it, build both classifiers'
title indexes, and place papers with the local classifier. Each size runs in a fresh process, so its peak
resident memory is its own. Prints figures; asserts nothing (tests assert behaviour, not figures).

    python bench/list_scale.py                 # 5,000 and 49,000 entries
    python bench/list_scale.py 20000           # any sizes

The list is built from the real titles in ../shared/data/eval/papers.dev.jsonl (7,423 papers), repeated
with a numbered suffix past that, spread over the test config's sections, one entry a line in house style.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "tests" / "data" / "config.yaml"
PAPERS = ROOT.parent / "shared" / "data" / "eval" / "papers.dev.jsonl"

ONE_SIZE = """
import json, resource, sys, time
from pathlib import Path
from curatorbot.classify.classifier import LLMClassifier, CountingOnly
from curatorbot.classify.local_backend import LocalClassifier
from curatorbot.classify.prompts import PromptSet
from curatorbot.config import load_settings
from curatorbot.domain.awesome_list import AwesomeList
from curatorbot.domain.models import Paper

size, config, papers_path = int(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
settings = load_settings(config)
rows = [json.loads(line) for line in papers_path.read_text(encoding="utf-8").splitlines()]
titles = [" ".join(r["title"].split()) for r in rows if r.get("title")]
sections = [s.path for s in settings.sections]
lines = ["# Papers", ""]
for number, section in enumerate(sections):
    lines += [("#" * (section.count(">") + 2)) + " " + section.split(">")[-1].strip(), ""]
    for i in range(number, size, len(sections)):
        title = titles[i % len(titles)] + (f" ({i // len(titles)})" if i >= len(titles) else "")
        lines.append(f"+ {title}, arxiv 2025, [[paper]](https://arxiv.org/pdf/2501.{i:05d}).")
    lines.append("")
text = "\\n".join(lines)
started = time.perf_counter()
awesome = AwesomeList.parse(text)
parsed = time.perf_counter()
local = LocalClassifier(awesome, settings)
llm = LLMClassifier(CountingOnly(settings.llm.model), PromptSet.load(), settings, awesome)
built = time.perf_counter()
queries = [Paper(arxiv_id=r["id"], title=r["title"], abstract=r.get("abstract") or "") for r in rows[:50]]
placed = [local.section_for(p) for p in queries]
llm.messages(queries[:10])
done = time.perf_counter()
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"entries": len(awesome.entries), "peak_mb": round(peak_mb), "parse_s": round(parsed - started, 2),
                  "index_s": round(built - parsed, 2), "place_50_s": round(done - built, 2)}))
"""


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [5_000, 49_000]
    print(f"{'entries':>8} {'peak MB':>8} {'parse s':>8} {'index s':>8} {'50 papers s':>12}")
    for size in sizes:
        result = subprocess.run(
            [sys.executable, "-c", ONE_SIZE, str(size), str(CONFIG), str(PAPERS)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
        )
        if result.returncode != 0:
            print(f"{size:>8} failed: {result.stderr.strip().splitlines()[-1] if result.stderr else result.returncode}")
            continue
        row = json.loads(result.stdout.strip().splitlines()[-1])
        print(
            f"{row['entries']:>8} {row['peak_mb']:>8} {row['parse_s']:>8} {row['index_s']:>8} {row['place_50_s']:>12}"
        )


if __name__ == "__main__":
    main()
