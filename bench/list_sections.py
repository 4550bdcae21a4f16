"""Section agreement of the local backend on another list, forward in time: how `init`'s config places the
list's newer papers when it was written from the older ones.

    python bench/list_sections.py [LIST.md ...]

For each list: entries with an arXiv id are split by id (older half learns, newer half is scored). `init`'s
profile is drawn from the list without the newer rows (their titles never reach the include hints), and the
local backend places each newer paper against that older list, with the papers' abstracts from
papers.dev.jsonl where they have one. Printed next to always picking the older list's largest section, and
to the same placement with init's candidate include words switched on. Prints figures; asserts nothing; nothing was tuned on them.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from curatorbot.classify.local_backend import LocalClassifier  # noqa: E402
from curatorbot.config import load_settings  # noqa: E402
from curatorbot.domain.arxiv_id import announcement_order  # noqa: E402
from curatorbot.domain.awesome_list import AwesomeList  # noqa: E402
from curatorbot.domain.models import Paper  # noqa: E402
from curatorbot.jobs.init import init_config  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
LISTS = [
    SHARED / "lists" / "other" / "WLiK__LLM4Rec-Awesome-Papers.README.md",
    SHARED / "lists" / "other" / "CHIANGEL__Awesome-LLM-for-RecSys.2025-06-30.README.md",
    SHARED / "lists" / "awesome-llm4rs.README.md",
]


def records() -> dict[str, Paper]:
    rows = map(json.loads, (SHARED / "eval" / "papers.dev.jsonl").read_text(encoding="utf-8").splitlines())
    return {
        r["id"]: Paper(
            arxiv_id=r["id"], title=r["title"], abstract=r.get("abstract") or "", primary_category=r["primary_category"]
        )
        for r in rows
    }


def measure(path: Path, known: dict[str, Paper]) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        awesome = AwesomeList.parse(handle.read())
    firsts = {}
    for entry in awesome.entries:
        if entry.arxiv_id and entry.title:
            firsts.setdefault(entry.arxiv_id, entry)
    ids = sorted(firsts, key=announcement_order)
    newer = set(ids[len(ids) // 2 :])
    older_list = awesome.remove(dict.fromkeys(newer))
    profile, text = init_config(
        older_list,
        lambda wanted: {i: known[i] for i in wanted if i in known},
        where=path.name,
        repo=None,
        path="README.md",
        branch="main",
    )
    with tempfile.TemporaryDirectory() as folder:
        config = Path(folder) / "config.yaml"
        config.write_text(text, encoding="utf-8")
        settings = load_settings(config)
    sections = set(settings.section_paths)
    scored = [firsts[i] for i in ids if i in newer and firsts[i].section_path in sections]
    largest = Counter(e.section_path for e in older_list.entries if e.section_path in sections).most_common(1)[0][0]
    candidates = {s.path: s.include for s in profile.sections}
    with_candidates = settings.model_copy(
        update={"sections": tuple(s.model_copy(update={"include": candidates[s.path]}) for s in settings.sections)}
    )
    figures = {}
    for name, config_of_run in (("init config", settings), ("candidates on", with_candidates)):
        local = LocalClassifier(older_list, config_of_run)
        right = 0
        for entry in scored:
            paper = known.get(entry.arxiv_id or "") or Paper(arxiv_id=entry.arxiv_id or "", title=entry.title)
            section, _ = local.section_for(Paper(arxiv_id=paper.arxiv_id, title=entry.title, abstract=paper.abstract))
            right += section == entry.section_path
        figures[name] = right / len(scored)
    baseline = sum(e.section_path == largest for e in scored) / len(scored)
    print(
        f"{path.name}: {len(scored)} newer papers scored, {len(ids) - len(newer)} older learn; "
        f"section agreement {figures['init config']:.3f} (init config), {figures['candidates on']:.3f} "
        f"(its candidate include words switched on); always the largest section {baseline:.3f}"
    )


def main() -> None:
    known = records()
    for path in [Path(p) for p in sys.argv[1:]] or LISTS:
        measure(path, known)


if __name__ == "__main__":
    main()
