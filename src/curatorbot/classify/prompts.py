"""Prompt templates as validated data: loaded from the shipped folder or the maintainer's own, versioned,
hashed, rendered with StrictUndefined."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from curatorbot.domain.errors import ConfigError

SYSTEM_TEMPLATE = "classify_system.md.j2"
USER_TEMPLATE = "classify_user.md.j2"
_VERSION_RE = re.compile(r"^\{#-?\s*version:\s*(?P<version>[\w.\-]+)\s*-?#\}")


def shipped_prompts_dir() -> Path:
    """The prompts inside the installed package; in a source checkout, the top-level prompts/ folder."""
    packaged = resources.files("curatorbot").joinpath("prompts")
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / "prompts"


@dataclass(frozen=True)
class PromptSet:
    system: jinja2.Template
    user: jinja2.Template
    version: str
    sha: str
    folder: Path

    @classmethod
    def load(cls, folder: Path | None = None) -> PromptSet:
        folder = folder or shipped_prompts_dir()
        texts: dict[str, str] = {}
        versions: list[str] = []
        for name in (SYSTEM_TEMPLATE, USER_TEMPLATE):
            path = folder / name
            try:
                texts[name] = path.read_text(encoding="utf-8")
            except OSError as error:
                raise ConfigError(
                    f"{path}: cannot read the prompt template; copy the shipped prompts/ folder there "
                    "or unset llm.prompts_dir"
                ) from error
            match = _VERSION_RE.match(texts[name])
            if not match:
                raise ConfigError(f"{path}: the first line must be a version comment like '{{#- version: 1 -#}}'")
            versions.append(match.group("version"))
        environment = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True)
        try:
            system = environment.from_string(texts[SYSTEM_TEMPLATE])
            user = environment.from_string(texts[USER_TEMPLATE])
        except jinja2.TemplateSyntaxError as error:
            raise ConfigError(
                f"{folder}: prompt template syntax error on line {error.lineno}: {error.message}"
            ) from error
        digest = hashlib.sha256()
        for name in (SYSTEM_TEMPLATE, USER_TEMPLATE):
            digest.update(texts[name].encode("utf-8"))
        version = versions[0] if versions[0] == versions[1] else f"{versions[0]}+{versions[1]}"
        return cls(system=system, user=user, version=version, sha=digest.hexdigest()[:12], folder=folder)

    def render(self, **context: Any) -> tuple[str, str]:
        try:
            return self.system.render(**context).strip() + "\n", self.user.render(**context).strip() + "\n"
        except jinja2.UndefinedError as error:
            raise ConfigError(f"{self.folder}: a prompt template uses an unknown variable ({error.message})") from error
