from pathlib import Path

from curatorbot.domain.models import Decision, Paper
from curatorbot.services.cache import DecisionCache

PAPER = Paper(arxiv_id="2501.00001", version=1, title="T", abstract="A")
DECISION = Decision(
    arxiv_id="2501.00001",
    relevant=True,
    section="Generative Retrieval",
    confidence=0.9,
    rationale="r",
    backend="openai",
    model="m",
    prompt_version="3",
    prompt_sha="abc",
)


def test_a_renamed_section_set_does_not_replay_old_decisions(tmp_path: Path) -> None:
    DecisionCache(tmp_path, ["Survey", "Generative Retrieval"]).put(PAPER, DECISION)
    assert DecisionCache(tmp_path, ["Generative Retrieval", "Survey"]).get(PAPER, "abc", "m", "openai") == DECISION
    assert DecisionCache(tmp_path, ["Survey", "Generative Recommendation"]).get(PAPER, "abc", "m", "openai") is None


def test_a_read_only_cache_writes_nothing(tmp_path: Path) -> None:
    DecisionCache(tmp_path, ["Survey"], read_only=True).put(PAPER, DECISION)
    assert not any(tmp_path.rglob("*.json"))
