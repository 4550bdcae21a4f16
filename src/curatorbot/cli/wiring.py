"""Wiring of the core stages that several commands share: choosing and building the classifier."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from curatorbot.classify.classifier import Classifier, LLMClassifier
from curatorbot.classify.local_backend import LocalClassifier, LocalRun
from curatorbot.classify.prompts import PromptSet
from curatorbot.config import Secrets, Settings
from curatorbot.domain.awesome_list import AwesomeList
from curatorbot.services.cache import DecisionCache
from curatorbot.services.llm import OpenAIBackend

BackendChoice = Literal["auto", "local", "openai"]


def resolve_backend(choice: BackendChoice, settings: Settings, secrets: Secrets) -> Literal["local", "openai"]:
    if choice != "auto":
        return choice
    configured = settings.llm.backend
    if configured != "auto":
        return configured
    has_endpoint = secrets.openai_api_key is not None or bool(settings.llm.base_url or secrets.openai_base_url)
    return "openai" if has_endpoint else "local"


def build_classifier(
    backend: Literal["local", "openai"],
    settings: Settings,
    secrets: Secrets,
    awesome: AwesomeList,
    local: LocalClassifier | None = None,
    progress: Callable[[int, int], None] = lambda done, total: None,
    dry_run: bool = False,
) -> Classifier:
    if backend == "local":
        return LocalRun(local or LocalClassifier(awesome, settings))
    return LLMClassifier(
        backend=OpenAIBackend(settings.llm, secrets),
        prompts=PromptSet.load(settings.llm.prompts_dir),
        settings=settings,
        awesome=awesome,
        cache=DecisionCache(settings.llm.cache_dir, settings.section_paths, read_only=dry_run),
        progress=progress,
    )
