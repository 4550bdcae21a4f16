from pathlib import Path

import pytest

from conftest import REAL_LIST, TEST_CONFIG
from curatorbot.config import Secrets, load_settings
from curatorbot.domain.awesome_list import AwesomeList
from curatorbot.domain.errors import ConfigError

SHIPPED_CONFIG = TEST_CONFIG  # a pinned copy; .ci/run validates the product's own config.yaml


def test_shipped_config_is_valid_and_its_sections_exist_in_the_real_list() -> None:
    settings = load_settings(SHIPPED_CONFIG)
    awesome = AwesomeList.parse(REAL_LIST.read_text(encoding="utf-8"))
    assert set(settings.section_paths) == {s.name for s in awesome.sections}
    assert all(s.description for s in settings.sections)
    assert settings.arxiv.categories == ("cs.IR",)
    assert settings.list.repo == "nancheng58/Awesome-LLM4RS-Papers"


def test_env_overrides_any_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CURATORBOT_LLM__MODEL", "gpt-4.1-mini")
    monkeypatch.setenv("CURATORBOT_LLM__BATCH_SIZE", "3")
    monkeypatch.setenv("CURATORBOT_ARXIV__API_URL", "http://127.0.0.1:9/api")
    settings = load_settings(SHIPPED_CONFIG)
    assert (settings.llm.model, settings.llm.batch_size) == ("gpt-4.1-mini", 3)
    assert settings.arxiv.api_url == "http://127.0.0.1:9/api"
    assert settings.llm.concurrency == 4  # the rest of the section still comes from the file


def test_bad_value_names_the_key_path_and_env_var(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("llm:\n  batch_size: 0\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(config)
    message = str(caught.value)
    assert "\n" not in message
    assert "llm.batch_size:" in message and "CURATORBOT_LLM__BATCH_SIZE" in message


def test_unknown_key_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("llm:\n  modle: gpt-4o\n")
    with pytest.raises(ConfigError, match=r"llm\.modle: unknown key"):
        load_settings(config)
    config.write_text("")
    monkeypatch.setenv("CURATORBOT_PR__LABLE", "x")
    with pytest.raises(ConfigError, match=r"^CURATORBOT_PR__LABLE: pr\.lable is an unknown key"):
        load_settings(config)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("llm: [unclosed\n", r"line \d+ is not valid YAML"),
        ("- just\n- a list\n", "the top level must be a mapping"),
        ("pr:\n  label_color: red\n", r"pr\.label_color: .*six-digit hex colour"),
        ("list:\n  repo: not-a-repo\n", r"list\.repo: .*owner/name"),
        (
            "sections:\n  - {path: A, description: a}\n  - {path: A, description: b}\n",
            "section path listed twice: A",
        ),
    ],
)
def test_malformed_configs_fail_in_one_line(tmp_path: Path, content: str, expected: str) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(content)
    with pytest.raises(ConfigError, match=expected):
        load_settings(config)


def test_missing_explicit_config_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such config file"):
        load_settings(tmp_path / "absent.yaml")


def test_secrets_come_from_env_only_and_never_print() -> None:
    secrets = Secrets.from_env({"OPENAI_API_KEY": "sk-test-123", "GH_TOKEN": "gho_abc"})
    assert secrets.openai_api_key is not None and secrets.openai_api_key.get_secret_value() == "sk-test-123"
    assert secrets.github_token is not None and secrets.github_token.get_secret_value() == "gho_abc"
    assert "sk-test-123" not in repr(secrets) and "gho_abc" not in str(secrets)
    assert Secrets.from_env({}).openai_api_key is None


@pytest.mark.parametrize(
    ("name", "value", "named"),
    [
        ("CURATORBOT_ARXIV__CATEGORIES", "cs.IR", "CURATORBOT_ARXIV__CATEGORIES='cs.IR'"),
        (
            "CURATORBOT_ARXIV__CATEGORIES",
            '["cs.IR", "bad cat"]',
            "CURATORBOT_ARXIV__CATEGORIES='[\"cs.IR\", \"bad cat\"]': 'bad cat' is not an arXiv category like 'cs.IR'",
        ),
        ("CURATORBOT_ARXIV__CATEGORIES", "[]", "CURATORBOT_ARXIV__CATEGORIES='[]': at least one arXiv category"),
        ("CURATORBOT_LLM", "{bad", "CURATORBOT_LLM='{bad'"),
        ("CURATORBOT_LLM__BATCH_SIZE", "0", "CURATORBOT_LLM__BATCH_SIZE='0'"),
    ],
)
def test_a_bad_env_override_is_one_line_naming_the_variable(
    name: str, value: str, named: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as caught:
        load_settings(SHIPPED_CONFIG)
    message = str(caught.value)
    assert message.startswith(named) and "config.yaml" not in message and "\n" not in message


def test_a_json_list_in_an_env_override_works(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CURATORBOT_ARXIV__CATEGORIES", '["cs.IR", "cs.AI"]')
    assert load_settings(SHIPPED_CONFIG).arxiv.categories == ("cs.IR", "cs.AI")


def test_curatorbot_config_naming_a_missing_file_is_an_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CURATORBOT_CONFIG", str(tmp_path / "nope.yaml"))
    with pytest.raises(ConfigError, match=r"^CURATORBOT_CONFIG=.*nope\.yaml: no such config file"):
        load_settings()
