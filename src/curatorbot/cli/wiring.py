"""Wiring of the core stages that several commands share: choosing and building the classifier."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from curatorbot.classify.classifier import Classifier, LLMClassifier
from curatorbot.classify.local_backend import LocalClassifier, LocalRun
from curatorbot.classify.prompts import PromptSet
from curatorbot.config import Secrets, Settings
from curatorbot.domain.awesome_list import AwesomeList
from curatorbot.services.cache import DecisionCache
from curatorbot.services.llm import OpenAIBackend

if TYPE_CHECKING:
    from curatorbot.classify.list_model import ListModel

BackendChoice = Literal["auto", "local", "openai"]


def resolve_backend(choice: BackendChoice, settings: Settings, secrets: Secrets) -> Literal["local", "openai"]:
    if choice != "auto":
        return choice
    configured = settings.llm.backend
    if configured != "auto":
        return configured
    has_endpoint = secrets.openai_api_key is not None or bool(settings.llm.base_url or secrets.openai_base_url)
    return "openai" if has_endpoint else "local"


SHIPPED_MODEL_LIST = "nancheng58/Awesome-LLM4RS-Papers/README.md"  # the list the shipped model was trained for


def model_identity(settings: Settings, local_path: Path | None = None) -> str:
    """Whose learned model this is: the list on GitHub (owner/name/path), else the local file's name."""
    if settings.list.repo:
        return f"{settings.list.repo}/{settings.list.path}"
    path = local_path or settings.list.local_path
    return path.name if path is not None else settings.list.path


def learned_model(settings: Settings, local_path: Path | None = None) -> tuple[ListModel | None, str | None]:
    """The list's learned model if there is a usable one, and what to say about the model in use: the
    learned one, a damaged or foreign one never used, or none for a list the shipped model was not made for."""
    from curatorbot.classify.list_model import ListModel
    from curatorbot.domain.errors import ModelFileError
    from curatorbot.services.model_store import ModelFolder

    identity = model_identity(settings, local_path)
    folder = settings.learn.model_dir
    files = ModelFolder(folder).read()
    try:
        model = ListModel.from_files(files, str(folder), identity, settings.section_paths)
    except ModelFileError as error:
        if files:  # never used, and said every run until `learn` rebuilds it
            return None, f"{error}; meanwhile the shipped model decides"
        if identity != SHIPPED_MODEL_LIST:
            return None, (
                f"no model learned for {identity}: the shipped model, trained for Awesome-LLM4RS-Papers' scope, "
                "decides; run `curatorbot learn`"
            )
        return None, None
    return model, f"learned model {model.card.sha} ({model.card.learned})"


def local_classifier(awesome: AwesomeList, settings: Settings, local_path: Path | None = None) -> LocalClassifier:
    """The local classifier with the list's learned model when there is a usable one, else the shipped model;
    its note says which (the run prints it, and the pull request body)."""
    model, note = learned_model(settings, local_path)
    if model is None:
        return LocalClassifier(awesome, settings, note=note)
    return LocalClassifier(awesome, settings, model.relevance, sections_model=model.sections, note=note)


def build_classifier(
    backend: Literal["local", "openai"],
    settings: Settings,
    secrets: Secrets,
    awesome: AwesomeList,
    local: LocalClassifier | None = None,
    progress: Callable[[int, int], None] = lambda done, total: None,
    dry_run: bool = False,
    decisions: Callable[[], Sequence[Mapping[str, object]]] | None = None,
) -> Classifier:
    if backend == "local":
        return LocalRun(local or local_classifier(awesome, settings))
    return LLMClassifier(
        backend=OpenAIBackend(settings.llm, secrets),
        prompts=PromptSet.load(settings.llm.prompts_dir),
        settings=settings,
        awesome=awesome,
        cache=DecisionCache(settings.llm.cache_dir, settings.section_paths, read_only=dry_run),
        progress=progress,
        decisions=decisions() if decisions is not None and settings.llm.examples else (),
    )
