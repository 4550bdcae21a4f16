"""Wiring of the core stages that several commands share: choosing and building the classifier."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal, Protocol

from curatorbot.awesome_list import AwesomeList
from curatorbot.classify import ClassificationRun, LLMClassifier
from curatorbot.config import Secrets, Settings
from curatorbot.decision_cache import DecisionCache
from curatorbot.local_backend import LocalClassifier
from curatorbot.models import Paper
from curatorbot.openai_backend import OpenAIBackend
from curatorbot.prompts import PromptSet

BackendChoice = Literal["auto", "local", "openai"]


class Classifier(Protocol):
    def decide(self, papers: Sequence[Paper]) -> ClassificationRun: ...


class LocalRun:
    """The local classifier behind the same interface as the LLM one."""

    def __init__(self, local: LocalClassifier) -> None:
        self.local = local

    def decide(self, papers: Sequence[Paper]) -> ClassificationRun:
        return ClassificationRun(decisions=self.local.decide(papers))


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
) -> Classifier:
    if backend == "local":
        return LocalRun(local or LocalClassifier(awesome, settings))
    return LLMClassifier(
        backend=OpenAIBackend(settings.llm, secrets),
        prompts=PromptSet.load(settings.llm.prompts_dir),
        settings=settings,
        awesome=awesome,
        cache=DecisionCache(settings.llm.cache_dir),
        progress=progress,
    )
