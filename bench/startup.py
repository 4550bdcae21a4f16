"""Start-up cost of the commands a person types most: wall time over repeated runs, and the heaviest
imports from `python -X importtime`. Prints figures; asserts nothing (tests assert behaviour, not timings).

    python bench/startup.py            # from the repository root, after `pip install -e '.[dev]'`

`classify --backend local` needs an arXiv lookup; with no network it is measured up to that request by
classifying through a recorded-free path: the local classifier built on the shipped list and one paper
from tests/data (the same work, less the HTTP round trip).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "tests" / "data" / "config.yaml"
LIST = ROOT / "tests" / "data" / "lists" / "awesome-llm4rs.README.md"
RUNS = 5

CLASSIFY_LOCAL = f"""
import json, sys
from curatorbot.cli.main import main  # the entry point, as the console script imports it
from curatorbot.domain.awesome_list import AwesomeList
from curatorbot.config import load_settings
from curatorbot.classify.local_backend import LocalClassifier
from curatorbot.domain.models import Paper
row = json.loads(open({str(ROOT / "tests" / "data" / "eval" / "papers.sample.jsonl")!r}).readline())
settings = load_settings(__import__("pathlib").Path({str(CONFIG)!r}))
awesome = AwesomeList.parse(open({str(LIST)!r}, encoding="utf-8").read())
paper = Paper(arxiv_id="2599.00001", title=row["title"], abstract=row["abstract"])
print(LocalClassifier(awesome, settings).decide([paper])[0].relevant)
"""

COMMANDS = {
    "curatorbot --help": [sys.executable, "-m", "curatorbot", "--help"],
    "curatorbot lint LIST": [sys.executable, "-m", "curatorbot", "lint", str(LIST)],
    "classify --backend local, one paper (no HTTP)": [sys.executable, "-c", CLASSIFY_LOCAL],
}
TARGETS = {"curatorbot --help": 0.5, "curatorbot lint LIST": 0.5, "classify --backend local, one paper (no HTTP)": 2.0}


def wall(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, capture_output=True, check=False, cwd=ROOT)
    return time.perf_counter() - started


def heaviest_imports(command: list[str], top: int = 5) -> list[tuple[float, str]]:
    result = subprocess.run([command[0], "-X", "importtime", *command[1:]], capture_output=True, text=True, cwd=ROOT)
    rows = []
    for line in result.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            _, cumulative, name = line.split("|")
            if cumulative.strip().isdigit() and not name.startswith("  "):  # top-level imports only
                rows.append((int(cumulative) / 1e6, name.strip()))
    return sorted(rows, reverse=True)[:top]


def main() -> None:
    print(f"{'command':<48} {'median s':>9} {'target s':>9}  met")
    for label, command in COMMANDS.items():
        wall(command)  # warm the file cache
        median = statistics.median(wall(command) for _ in range(RUNS))
        target = TARGETS[label]
        print(f"{label:<48} {median:>9.2f} {target:>9.2f}  {'yes' if median <= target else 'NO'}")
        for seconds, name in heaviest_imports(command):
            print(f"    import {name:<40} {seconds:>6.2f} s")


if __name__ == "__main__":
    main()
