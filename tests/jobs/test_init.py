"""`curatorbot init` on real lists: the config it writes says what the list is."""

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest
import yaml

from conftest import DATA, REAL_LIST, TEST_CONFIG
from curatorbot.config import load_settings
from curatorbot.domain.awesome_list import AwesomeList
from curatorbot.domain.errors import InputFileError
from curatorbot.domain.models import Paper
from curatorbot.jobs.init import init_config
from goldens import golden

OTHER = DATA / "lists" / "other"
LISTS = {
    "shipped": REAL_LIST,
    "chiangel": OTHER / "CHIANGEL__Awesome-LLM-for-RecSys.2025-06-30.README.md",
    "wlik": OTHER / "WLiK__LLM4Rec-Awesome-Papers.README.md",
}


def read(path: Path) -> AwesomeList:
    with path.open(encoding="utf-8", newline="") as handle:
        return AwesomeList.parse(handle.read())


class Records:
    """arXiv's records for the sample papers, counting the ids asked for."""

    def __init__(self) -> None:
        rows = (json.loads(line) for line in (DATA / "eval" / "papers.sample.jsonl").read_text().splitlines())
        self.papers = {
            r["id"]: Paper(arxiv_id=r["id"], title=r["title"], primary_category=r.get("primary_category")) for r in rows
        }
        self.asked: list[str] = []

    def __call__(self, ids: Sequence[str]) -> Mapping[str, Paper]:
        self.asked += ids
        return {i: self.papers[i] for i in ids if i in self.papers}


@pytest.mark.parametrize("name", LISTS)
def test_init_writes_a_config_that_loads_and_says_what_it_found(name: str, tmp_path: Path) -> None:
    records = Records()
    awesome = read(LISTS[name])
    profile, text = init_config(awesome, records, where=LISTS[name].name, repo=None, path="README.md", branch="main")
    golden(f"init_{name}.yaml", text)
    config = tmp_path / "config.yaml"
    config.write_text(text)
    settings = load_settings(config)  # valid as written: a maintainer only has to read it
    awesome.require_sections(settings.section_paths)  # every section it names is one the list has
    assert sorted(set(records.asked)) == sorted({e.arxiv_id for e in awesome.entries if e.arxiv_id})
    assert profile.summary in text


def test_init_on_the_shipped_list_reproduces_the_shipped_sections() -> None:
    _, text = init_config(read(REAL_LIST), Records(), where="README.md", repo=None, path="README.md", branch="main")
    written = [s["path"] for s in yaml.safe_load(text)["sections"]]
    assert written == [s.path for s in load_settings(TEST_CONFIG).sections]


def test_init_finds_the_section_the_intro_names_for_new_papers() -> None:
    profile, text = init_config(
        read(LISTS["chiangel"]), Records(), where="README.md", repo=None, path="README.md", branch="main"
    )
    assert profile.new_papers_section == "1. Papers > 1.7 Newest Research Work List"
    assert profile.new_papers_reason == "the intro says so on line 7"
    assert yaml.safe_load(text)["list"]["new_papers_section"] == profile.new_papers_section


def test_init_refuses_a_list_of_links_to_its_own_pages() -> None:
    awesome = read(DATA / "lists" / "refused" / "archive-pages.README.md")
    with pytest.raises(InputFileError, match=r"0 entries link to a paper; 20 link to archive/…"):
        init_config(awesome, Records(), where="README.md", repo=None, path="README.md", branch="main")
