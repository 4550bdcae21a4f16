"""One validated configuration: `config.yaml`, overridden by `CURATORBOT_<SECTION>__<KEY>` env vars.

Secrets never live in the file: `OPENAI_API_KEY`, `GITHUB_TOKEN` (or `GH_TOKEN`) and
`SEMANTIC_SCHOLAR_API_KEY` come from the environment only and are held as `SecretStr`.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, SettingsError

from curatorbot.domain.awesome_list import LinkForm
from curatorbot.domain.errors import ConfigError
from curatorbot.domain.sanitize import GITHUB_TOKEN_VARIABLES, OPENAI_KEY_VARIABLE, SEMANTIC_SCHOLAR_KEY_VARIABLE

ENV_PREFIX = "CURATORBOT_"
DEFAULT_CONFIG_FILE = "config.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ListSettings(_Strict):
    """Where the list lives: a GitHub repo (nightly) or a local file (`local_path`, or `--list`)."""

    repo: str | None = Field(default=None, description="owner/name of the repository holding the list")
    path: str = "README.md"
    base_branch: str = "main"
    local_path: Path | None = None
    scope: str = Field(
        default="",
        description="One paragraph: what papers belong in this list. Shown to the classifier.",
    )
    link_form: LinkForm = Field(
        default="auto",
        description="arXiv links as abs or pdf pages; auto follows a clear (80%) majority of the list's links, "
        "and without one lint and maintenance leave each link's form alone",
    )
    new_papers_section: str | None = Field(
        default=None,
        description="The section every new paper goes to when the list says so (a 'newest papers' table); "
        "the classifier's section is then shown as a suggestion",
    )

    @field_validator("repo")
    @classmethod
    def _owner_slash_name(cls, value: str | None) -> str | None:
        if value is not None and (value.count("/") != 1 or value.startswith("/") or value.endswith("/")):
            raise ValueError(f"'{value}' is not of the form owner/name")
        return value


class SectionSettings(_Strict):
    path: str = Field(description="Heading path, e.g. 'Paper List > Agent4Rec'")
    description: str
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


class ArxivSettings(_Strict):
    categories: tuple[str, ...] = ("cs.IR",)
    feed_url: str = "https://rss.arxiv.org/atom"
    api_url: str = "https://export.arxiv.org/api/query"
    min_interval_seconds: float = Field(default=3.0, ge=0)
    timeout_seconds: float = Field(default=30.0, gt=0)
    total_budget_seconds: float = Field(default=180.0, gt=0)
    max_retries: int = Field(default=4, ge=0)
    batch_size: int = Field(default=50, ge=1, le=2000)
    include_replacements: bool = False
    state_file: Path = Field(
        default=Path(".curatorbot-cache/arxiv-feed-state.json"),
        description="last announcement processed, so a stale feed is not processed twice",
    )
    user_agent: str = "curatorbot/0.1 (+https://github.com/curatorbot/curatorbot; paper-list maintenance bot)"

    @field_validator("categories")
    @classmethod
    def _arxiv_categories(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        # cs.IR, stat.ML, q-bio.QM, hep-th: arXiv's own names, which the feed URL and the query are built from.
        bad = [c for c in value if not re.fullmatch(r"[a-z][a-z\-]*(?:\.[A-Za-z][A-Za-z\-]*)?", c)]
        if not value:
            raise ValueError("at least one arXiv category is needed, like ['cs.IR']")
        if bad:
            raise ValueError(f"{', '.join(repr(c) for c in bad)} is not an arXiv category like 'cs.IR'")
        return value


class LLMSettings(_Strict):
    backend: Literal["auto", "local", "openai"] = Field(
        default="auto", description="auto: openai when OPENAI_API_KEY or base_url is set, else local"
    )
    model: str = "gpt-4o-mini"
    base_url: str | None = None
    batch_size: int = Field(default=8, ge=1, le=50)
    concurrency: int = Field(default=4, ge=1, le=32)
    token_budget: int = Field(default=350, ge=100, description="prompt tokens of list context per request")
    examples: int = Field(
        default=4, ge=0, le=20, description="maintainers' calls on the papers most like a batch, shown to the LLM"
    )
    max_tokens_per_run: int = Field(default=400_000, ge=1000)
    max_papers_per_run: int = Field(default=200, ge=1)
    timeout_seconds: float = Field(default=60.0, gt=0)
    max_retries: int = Field(default=3, ge=0)
    confidence_threshold: float = Field(default=0.6, ge=0, le=1)
    prompts_dir: Path | None = Field(default=None, description="your own prompts folder; default: shipped")
    cache_dir: Path = Path(".curatorbot-cache")


def _hex_colour(value: str) -> str:
    colour = value.lstrip("#")
    if len(colour) != 6 or any(c not in "0123456789abcdefABCDEF" for c in colour):
        raise ValueError(f"'{value}' is not a six-digit hex colour such as fbca04")
    return colour.lower()


HexColour = Annotated[str, AfterValidator(_hex_colour)]


class PRSettings(_Strict):
    branch: str = "curatorbot/new-papers"
    label: str = "needs-human-review"
    label_color: HexColour = "fbca04"
    label_description: str = "Proposed by curatorbot: a maintainer should review it"
    title: str = "curatorbot: new papers for the list"


class CatchUpSettings(_Strict):
    """`curatorbot catch-up`: past months searched through arXiv's API, one pull request per window."""

    since: str | None = Field(
        default=None,
        pattern=r"^\d{4}-\d{2}(-\d{2})?$",
        description="the first month (YYYY-MM) the nightly workflow's catch-up step starts from; unset: off",
    )
    query: str | None = Field(
        default=None,
        description="arXiv search_query without categories or dates; default: built from the two term lists",
    )
    # A paper is a candidate when its title or abstract has a term of each list (words or quoted phrases).
    recommendation_terms: tuple[str, ...] = ()
    language_model_terms: tuple[str, ...] = ()
    window: Literal["month", "week"] = "month"
    max_open_prs: int = Field(default=2, ge=1)
    windows_per_run: int = Field(default=2, ge=1, description="windows one run may open a pull request for")
    branch_prefix: str = "curatorbot/catch-up-"
    title: str = "curatorbot: catch-up {window}"
    only_with_venue: bool = Field(default=False, description="propose only papers with a peer-reviewed venue")
    max_papers_per_window: int | None = Field(default=None, ge=1, description="keep the N most confident")

    @model_validator(mode="after")
    def _query_or_terms(self) -> CatchUpSettings:
        if self.query is not None and not self.query.strip():
            raise ValueError("query is empty; remove it to build the query from the term lists")
        if self.query is None and bool(self.recommendation_terms) != bool(self.language_model_terms):
            raise ValueError("give both recommendation_terms and language_model_terms, or neither")
        if "{window}" not in self.title:
            raise ValueError("title must contain {window}, so each window's pull request is told apart")
        return self


class MaintenanceSettings(_Strict):
    """`curatorbot maintain`: one pull request that keeps the listed entries true (venues, code, format)."""

    kinds: tuple[Literal["venues", "code", "lint"], ...] = ("venues", "code", "lint")
    branch: str = "curatorbot/maintenance"
    label: str = "curatorbot-maintenance"
    label_color: HexColour = "c5def5"
    label_description: str = "Maintenance of listed entries proposed by curatorbot: a maintainer should review it"
    title: str = "curatorbot: keep the listed entries true"
    semantic_scholar: bool = Field(
        default=False, description="ask Semantic Scholar for papers whose arXiv record names no venue"
    )
    semantic_scholar_url: str = "https://api.semanticscholar.org/graph/v1"
    # Without a key the public pool is shared and throttled; with one, one request a second.
    semantic_scholar_interval_seconds: float = Field(default=1.0, ge=0)


class DashboardSettings(_Strict):
    """One issue per list that shows everything the bot holds and keeps its state on GitHub."""

    enabled: bool = Field(
        default=True, description="off: the feed state lives only in arxiv.state_file (the Actions cache)"
    )
    title: str = "curatorbot dashboard"
    label: str = "curatorbot-dashboard"
    label_color: HexColour = "5319e7"
    label_description: str = "What curatorbot holds and waits on; tick a box to act"


class LearnSettings(_Strict):
    """`curatorbot learn`: the list's own local model, from its entries and its maintainers' decisions."""

    model_dir: Path = Field(
        default=Path(".curatorbot-model"),
        description="where the learned model lives (kept across runs by the Actions cache, keyed on its inputs)",
    )
    cache_dir: Path = Field(
        default=Path(".curatorbot-cache/learn"), description="arXiv records and searched months, read once"
    )
    unlabelled_papers: int = Field(
        default=5000, ge=200, le=30000, description="recent papers of the list's categories, as low-weight negatives"
    )
    judged: Path | None = Field(
        default=None, description="hand-judged days (judged_days.dev.jsonl format) to validate with, if any"
    )
    judged_papers: Path | None = Field(
        default=None, description="the judged papers' records (papers.dev.jsonl format), with `judged`"
    )


class GitHubSettings(_Strict):
    base_url: str = "https://api.github.com"
    # GitHub asks integrations to space writes about a second apart.
    seconds_between_writes: float = Field(default=1.0, ge=0)
    seconds_between_requests: float = Field(default=0.25, ge=0)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter="__",
        extra="forbid",
        frozen=True,
        case_sensitive=False,
    )

    list: ListSettings = ListSettings()
    sections: tuple[SectionSettings, ...] = ()
    arxiv: ArxivSettings = ArxivSettings()
    llm: LLMSettings = LLMSettings()
    pr: PRSettings = PRSettings()
    github: GitHubSettings = GitHubSettings()
    catch_up: CatchUpSettings = CatchUpSettings()
    maintenance: MaintenanceSettings = MaintenanceSettings()
    dashboard: DashboardSettings = DashboardSettings()
    learn: LearnSettings = LearnSettings()

    @model_validator(mode="after")
    def _distinct_sections(self) -> Settings:
        paths = [s.path for s in self.sections]
        repeated = sorted({p for p in paths if paths.count(p) > 1})
        if repeated:
            raise ValueError(f"section path listed twice: {', '.join(repeated)}")
        return self

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Environment overrides the file (passed as init kwargs); no .env or secrets-dir magic.
        return (env_settings, init_settings)

    @property
    def section_paths(self) -> tuple[str, ...]:
        return tuple(s.path for s in self.sections)


class Secrets(BaseModel):
    model_config = ConfigDict(frozen=True)

    openai_api_key: SecretStr | None = None
    openai_base_url: str | None = None
    github_token: SecretStr | None = None
    semantic_scholar_api_key: SecretStr | None = None

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Secrets:
        env = os.environ if environ is None else environ
        github = next((env[name] for name in GITHUB_TOKEN_VARIABLES if env.get(name)), None)
        key = env.get(OPENAI_KEY_VARIABLE)
        scholar = env.get(SEMANTIC_SCHOLAR_KEY_VARIABLE)
        return cls(
            openai_api_key=SecretStr(key) if key else None,
            openai_base_url=env.get("OPENAI_BASE_URL") or None,
            github_token=SecretStr(github) if github else None,
            semantic_scholar_api_key=SecretStr(scholar) if scholar else None,
        )

    def values(self) -> tuple[str, ...]:
        """Every configured secret, for redaction (README: no secret in any output)."""
        held = (self.openai_api_key, self.github_token, self.semantic_scholar_api_key)
        return tuple(s.get_secret_value() for s in held if s is not None)


def load_settings(path: Path | None = None) -> Settings:
    """Load and validate the config; any problem becomes one ConfigError line naming the key path."""
    from_env = path is None and bool(os.environ.get("CURATORBOT_CONFIG"))
    explicit = path is not None or from_env  # a file someone named must exist; only the default may be absent
    config_path = path if path is not None else Path(os.environ.get("CURATORBOT_CONFIG") or DEFAULT_CONFIG_FILE)
    data: dict[str, Any] = {}
    if config_path.exists():
        try:
            loaded = yaml.safe_load(config_path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as error:
            raise ConfigError(f"{config_path}: cannot read it ({error}); check the path and permissions") from error
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f" line {mark.line + 1}" if mark is not None else ""
            raise ConfigError(f"{config_path}:{where} is not valid YAML; fix the syntax there") from error
        if loaded is not None and not isinstance(loaded, dict):
            raise ConfigError(f"{config_path}: the top level must be a mapping of sections (list, arxiv, llm…)")
        data = loaded or {}
    elif from_env:
        raise ConfigError(f"CURATORBOT_CONFIG={config_path}: no such config file; point it at an existing file")
    elif explicit:
        raise ConfigError(f"{config_path}: no such config file; pass an existing --config path")
    try:
        return Settings(**data)
    except ValidationError as error:
        raise ConfigError(_one_line(error, config_path)) from error
    except SettingsError as error:  # an env override pydantic-settings could not even parse
        raise ConfigError(_unparsable_env(error)) from error


def _unparsable_env(error: SettingsError) -> str:
    field = str(error).split('field "', 1)[-1].split('"', 1)[0]
    prefix = f"{ENV_PREFIX}{field.upper()}"
    names = sorted(n for n in os.environ if n == prefix or n.startswith(prefix + "__"))
    shown = ", ".join(f"{n}={os.environ[n]!r}" for n in names) or prefix
    return (
        f"{shown}: cannot be read as a value of '{field}'; lists and tables are written as JSON "
        f"(e.g. {ENV_PREFIX}ARXIV__CATEGORIES='[\"cs.IR\"]'), or unset the variable"
    )


def _one_line(error: ValidationError, config_path: Path) -> str:
    first = error.errors()[0]
    key_path = ".".join(str(part) for part in first["loc"]) or "(top level)"
    env_name = ENV_PREFIX + "__".join(str(p).upper() for p in first["loc"] if not isinstance(p, int))
    more = f" (and {error.error_count() - 1} more)" if error.error_count() > 1 else ""
    if env_name in os.environ:  # the bad value came from the environment, not the file
        if first["type"] == "extra_forbidden":
            return f"{env_name}: {key_path} is an unknown key{more}; unset the variable or check its spelling"
        said = str(first["msg"]).removeprefix("Value error, ")
        return f"{env_name}={os.environ[env_name]!r}: {said}{more}; fix or unset the variable"
    if first["type"] == "extra_forbidden":
        return f"{config_path}: {key_path}: unknown key{more}; remove it (or {env_name}) or check its spelling"
    return f"{config_path}: {key_path}: {first['msg']}{more}; fix it in the file or via {env_name}"
