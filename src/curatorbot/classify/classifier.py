"""LLM classification: batches, the closed answer schema, validation, retries, cache and budget.

The LLM only chooses: relevant or not, one section from the config's closed set, a confidence and a
one-sentence rationale. It never writes list Markdown; entries are rendered from arXiv metadata.
"""

from __future__ import annotations

import contextlib
import json
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
from pydantic import BaseModel, ConfigDict, ValidationError

from curatorbot.classify.prompts import PromptSet
from curatorbot.config import Settings
from curatorbot.domain.awesome_list import AwesomeList, normalize_title
from curatorbot.domain.errors import LLMError
from curatorbot.domain.models import Decision, Paper
from curatorbot.domain.render import columns_to_fill
from curatorbot.domain.sanitize import instruction_like, paper_text_for_prompt, plain_text
from curatorbot.domain.title_index import TitleIndex
from curatorbot.domain.tokens import count_chat_tokens, count_tokens
from curatorbot.services.interface import ChatBackend, DecisionStore, LLMAnswer

ABSTRACT_CHARS = 1500
EXAMPLES_PER_SECTION = 2
COMPLETION_TOKENS_PER_PAPER = 110
RATIONALE_CHARS = 300
CELL_CHARS = 60


class Verdict(BaseModel):
    model_config = ConfigDict(extra="ignore")

    arxiv_id: str
    relevant: bool
    section: str | None = None
    confidence: float
    rationale: str = ""
    cells: dict[str, str] = {}


@dataclass
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    requests: int = 0
    failures: list[str] = field(default_factory=list)  # batches whose requests failed outright

    def add(self, answer: LLMAnswer) -> None:
        self.prompt_tokens += answer.prompt_tokens
        self.completion_tokens += answer.completion_tokens
        self.requests += 1


@dataclass
class ClassificationRun:
    decisions: list[Decision]
    usage: Usage = field(default_factory=Usage)
    deferred: list[Paper] = field(default_factory=list)
    cached: int = 0


class Classifier(Protocol):
    def decide(self, papers: Sequence[Paper]) -> ClassificationRun: ...


def answer_schema(arxiv_ids: Sequence[str], sections: Sequence[str], columns: Sequence[str] = ()) -> dict[str, Any]:
    """The closed JSON schema: ids of this batch, sections of the config, the table columns to fill (each a
    string, "unknown" allowed), nothing else."""
    schema: dict[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "required": ["decisions"],
        "properties": {
            "decisions": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["arxiv_id", "relevant", "section", "confidence", "rationale"],
                    "properties": {
                        "arxiv_id": {"type": "string", "enum": list(arxiv_ids)},
                        "relevant": {"type": "boolean"},
                        "section": {"type": ["string", "null"], "enum": [*sections, None]},
                        "confidence": {"type": "number"},
                        "rationale": {"type": "string"},
                    },
                },
            }
        },
    }
    if columns:
        item = schema["properties"]["decisions"]["items"]
        item["required"].append("cells")
        item["properties"]["cells"] = {
            "type": "object",
            "additionalProperties": False,
            "required": list(columns),
            "properties": {column: {"type": "string"} for column in columns},
        }
    return schema


class InvalidAnswer(Exception):
    pass


class _Refused(Exception):
    pass


def parse_answer(content: str | None, arxiv_ids: Sequence[str], sections: Sequence[str]) -> dict[str, Verdict]:
    """Valid verdicts by arXiv id. Raises InvalidAnswer when the whole answer is unusable; drops (so
    that they are asked again) single items that name an unknown id or section."""
    if not content:
        raise InvalidAnswer("the answer was empty")
    text = content.strip()
    if text.startswith("```"):  # plain-JSON mode: some models wrap the object in a code fence
        text = text.strip("`").removeprefix("json").strip()
    try:
        data = json.loads(text, strict=False)  # tolerate raw newlines inside strings (small models emit them)
    except json.JSONDecodeError as error:
        raise InvalidAnswer(f"the answer is not valid JSON ({error.msg} at character {error.pos})") from None
    items = data.get("decisions") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise InvalidAnswer('the answer has no "decisions" array')
    verdicts: dict[str, Verdict] = {}
    problems = []
    for item in items:
        try:
            verdict = Verdict.model_validate(item)
        except ValidationError as error:
            problems.append(f"an item failed validation ({error.errors()[0]['msg']})")
            continue
        if verdict.arxiv_id not in arxiv_ids:
            problems.append(f"unknown arxiv_id {verdict.arxiv_id!r}")
            continue
        if not 0.0 <= verdict.confidence <= 1.0:
            problems.append(f"{verdict.arxiv_id}: confidence {verdict.confidence} is outside 0..1")
            continue
        if verdict.relevant and verdict.section not in sections:
            problems.append(f"{verdict.arxiv_id}: section {verdict.section!r} is not one of the list's sections")
            continue
        verdicts.setdefault(verdict.arxiv_id, verdict)
    if not verdicts and problems:
        raise InvalidAnswer("; ".join(problems[:3]))
    return verdicts


class LLMClassifier:
    def __init__(
        self,
        backend: ChatBackend,
        prompts: PromptSet,
        settings: Settings,
        awesome: AwesomeList,
        cache: DecisionStore | None = None,
        progress: Callable[[int, int], None] = lambda done, total: None,
        decisions: Sequence[Mapping[str, object]] = (),
    ) -> None:
        self.backend = backend
        self.progress = progress
        self.prompts = prompts
        self.settings = settings
        self.sections = [s.path for s in settings.sections]
        self.cache = cache
        self.examples = [
            (e.section_path, e.title, e.arxiv_id, e.norm_title)
            for e in awesome.entries
            if e.section_path in self.sections
        ]
        self.index = TitleIndex([e[1] for e in self.examples])
        self.columns = columns_to_fill(awesome, self.sections, settings.list.new_papers_section)
        # The maintainers' calls (rows of `curatorbot decisions`, oldest first; the later call on a paper wins):
        # rejections and moves teach what the list's own entries cannot.
        last: dict[str, Mapping[str, object]] = {}
        for row in decisions:
            if row.get("title") and row.get("action") in ("rejected", "moved"):
                last[str(row["arxiv_id"])] = row
            elif row.get("arxiv_id"):
                last.pop(str(row["arxiv_id"]), None)  # accepted after all: its entry in the list speaks
        self.calls = [(str(r["arxiv_id"]), str(r["title"]), str(r["action"]), r.get("section")) for r in last.values()]
        self.calls_index = TitleIndex([title for _, title, _, _ in self.calls])

    # ---- prompt --------------------------------------------------------------------------------

    def _section_context(self, papers: Sequence[Paper]) -> list[dict[str, Any]]:
        """Each section with list titles nearest to these papers, added while the token budget lasts."""
        model = self.backend.model
        examples: dict[str, list[str]] = {s.path: [] for s in self.settings.sections}
        sections = [
            {
                "path": s.path,
                "description": " ".join(s.description.split()),
                "exclude": list(s.exclude),
                "examples": examples[s.path],
            }
            for s in self.settings.sections
        ]
        spent = sum(count_tokens(f'- "{s["path"]}": {s["description"]}', model) for s in sections)
        if not self.examples or not papers:
            return sections
        # A paper's own entry is never shown as an example (evaluation classifies listed papers too).
        own = {p.arxiv_id for p in papers} | {normalize_title(p.title) for p in papers}
        closeness = self.index.similarities([f"{p.title} {p.abstract}" for p in papers]).max(axis=0)
        # Round-robin over sections, nearest first, so every section gets an example before any gets two.
        ranked: list[tuple[int, float, int]] = []
        seen: Counter[str] = Counter()
        for index in np.argsort(-closeness):
            path, _, arxiv_id, norm_title = self.examples[int(index)]
            if arxiv_id in own or norm_title in own:
                continue
            ranked.append((seen[path], -float(closeness[index]), int(index)))
            seen[path] += 1
        for round_number, _, index in sorted(ranked):
            if round_number >= EXAMPLES_PER_SECTION:
                break
            path, title, _, _ = self.examples[index]
            cost = count_tokens(title, model) + 2
            if spent + cost > self.settings.llm.token_budget:
                break
            examples[path].append(plain_text(title, 120))
            spent += cost
        return sections

    def _calls_context(self, papers: Sequence[Paper]) -> list[str]:
        """The maintainers' calls on the decided papers most like this batch, within `llm.examples`."""
        if not self.calls or not papers or not self.settings.llm.examples:
            return []
        closeness = self.calls_index.similarities([f"{p.title} {p.abstract}" for p in papers]).max(axis=0)
        own = {p.arxiv_id for p in papers}
        shown: list[str] = []
        for index in np.argsort(-closeness, kind="stable"):
            arxiv_id, title, action, section = self.calls[int(index)]
            if closeness[index] <= 0 or len(shown) == self.settings.llm.examples:
                break
            if arxiv_id in own:
                continue  # never the answer for a paper of the batch
            if action == "moved" and section not in self.sections:
                continue  # a section config no longer has
            call = "rejected" if action == "rejected" else f"moved to {section}"
            shown.append(f"'{plain_text(title, 120)}' ({call})")
        return shown

    def messages(self, papers: Sequence[Paper]) -> list[dict[str, str]]:
        system, user = self.prompts.render(
            scope=" ".join(self.settings.list.scope.split()),
            columns=list(self.columns),
            calls=self._calls_context(papers),
            sections=self._section_context(papers),
            papers=[
                {
                    "arxiv_id": p.arxiv_id,
                    "title": paper_text_for_prompt(p.title),
                    "abstract": paper_text_for_prompt(p.abstract[:ABSTRACT_CHARS]),
                    "comments": paper_text_for_prompt(p.comments) if p.comments else "",
                }
                for p in papers
            ],
        )
        return [{"role": "system", "content": system}, {"role": "user", "content": user}]

    # ---- decisions -----------------------------------------------------------------------------

    def _decision(self, paper: Paper, verdict: Verdict) -> Decision:
        confidence = round(verdict.confidence, 3)
        rationale = plain_text(verdict.rationale, RATIONALE_CHARS) or "(no rationale given)"
        # A paper whose text gives the model orders may have steered this answer: a person decides, never a box.
        steering = instruction_like(paper.title, paper.abstract, paper.comments)
        if steering:
            rationale = plain_text(f"the paper's text reads as instructions to the model ('{steering}'); {rationale}")
            rationale = rationale[:RATIONALE_CHARS]
        return Decision(
            arxiv_id=paper.arxiv_id,
            relevant=verdict.relevant,
            section=verdict.section if verdict.relevant else None,
            confidence=confidence,
            rationale=rationale,
            needs_human=steering is not None
            or (verdict.relevant and confidence < self.settings.llm.confidence_threshold),
            cells=self._cells(verdict) if verdict.relevant and steering is None else {},
            backend="openai",
            model=self.backend.model,
            prompt_version=self.prompts.version,
            prompt_sha=self.prompts.sha,
        )

    def _cells(self, verdict: Verdict) -> dict[str, str]:
        """The columns asked for, as plain short text; "unknown", empty or unasked ones left out."""
        cells = {}
        for column in self.columns:
            value = plain_text(str(verdict.cells.get(column, "")), CELL_CHARS)
            if value and value.strip(" .").lower() not in ("unknown", "n/a", "none", "-"):
                cells[column] = value
        return cells

    def _human(self, paper: Paper, why: str) -> Decision:
        return Decision(
            arxiv_id=paper.arxiv_id,
            relevant=False,
            section=None,
            confidence=0.0,
            rationale=plain_text(why, RATIONALE_CHARS),
            needs_human=True,
            backend="openai",
            model=self.backend.model,
            prompt_version=self.prompts.version,
            prompt_sha=self.prompts.sha,
        )

    def _ask(self, messages: list[dict[str, str]], schema: dict[str, Any], max_tokens: int, usage: Usage) -> str | None:
        """One request; its usage counted. Raises _Refused when the model declines."""
        answer = self.backend.complete(messages, schema, max_tokens)
        usage.add(answer)
        if answer.refusal:
            raise _Refused(answer.refusal)
        return answer.content

    def _classify_batch(self, papers: Sequence[Paper], usage: Usage) -> list[Decision]:
        """One batch: ask, validate, ask once more with the error for an invalid answer, ask once more
        for the papers the answer left out; whatever is still unanswered goes to a human."""
        ids = [p.arxiv_id for p in papers]
        schema = answer_schema(ids, self.sections, self.columns)
        messages = self.messages(papers)
        max_tokens = COMPLETION_TOKENS_PER_PAPER * len(papers) + 60
        verdicts: dict[str, Verdict] = {}
        try:
            content = self._ask(messages, schema, max_tokens, usage)
            try:
                verdicts = parse_answer(content, ids, self.sections)
            except InvalidAnswer as error:
                retry = [
                    *messages,
                    {"role": "assistant", "content": content or ""},
                    {
                        "role": "user",
                        "content": f"That answer was invalid: {error}. Answer again with the JSON object only.",
                    },
                ]
                try:
                    verdicts = parse_answer(self._ask(retry, schema, max_tokens, usage), ids, self.sections)
                except InvalidAnswer as second:
                    return [self._human(p, f"the model's answer was invalid twice: {second}") for p in papers]
            missing = [p for p in papers if p.arxiv_id not in verdicts]
            if missing and len(missing) < len(papers):
                missing_ids = [p.arxiv_id for p in missing]
                content = self._ask(
                    self.messages(missing), answer_schema(missing_ids, self.sections, self.columns), max_tokens, usage
                )
                with contextlib.suppress(InvalidAnswer):  # still missing: a human looks
                    verdicts.update(parse_answer(content, missing_ids, self.sections))
        except _Refused as refusal:
            refused = f"the model refused: {refusal}"
            return [
                self._decision(p, verdicts[p.arxiv_id]) if p.arxiv_id in verdicts else self._human(p, refused)
                for p in papers
            ]
        except LLMError as error:
            usage.failures.append(str(error))
            return [self._human(p, f"the LLM request failed: {error}") for p in papers]
        return [
            self._decision(p, verdicts[p.arxiv_id])
            if p.arxiv_id in verdicts
            else self._human(p, "the model gave no answer for this paper")
            for p in papers
        ]

    def decide(self, papers: Sequence[Paper]) -> ClassificationRun:
        llm = self.settings.llm
        run = ClassificationRun(decisions=[])
        known: dict[str, Decision] = {}
        todo: list[Paper] = []
        for paper in papers:
            cached = self.cache.get(paper, self.prompts.sha, self.backend.model, "openai") if self.cache else None
            if cached is not None:
                known[paper.arxiv_id] = cached
                run.cached += 1
            else:
                todo.append(paper)

        # Budget guard: plan the batches up front, so a ceiling defers whole batches deterministically.
        batches: list[list[Paper]] = []
        planned_tokens = 0
        for start in range(0, len(todo), llm.batch_size):
            batch = todo[start : start + llm.batch_size]
            estimate = count_chat_tokens(self.messages(batch), self.backend.model) + COMPLETION_TOKENS_PER_PAPER * len(
                batch
            )
            if planned_tokens + estimate > llm.max_tokens_per_run:
                run.deferred.extend(todo[start:])
                break
            planned_tokens += estimate
            batches.append(batch)

        usages = [Usage() for _ in batches]
        with ThreadPoolExecutor(max_workers=llm.concurrency) as pool:
            futures = [
                pool.submit(self._classify_batch, batch, usage) for batch, usage in zip(batches, usages, strict=True)
            ]
            for done, _ in enumerate(as_completed(futures), start=1):
                self.progress(done, len(futures))
            results = [future.result() for future in futures]
        if batches and all(usage.failures for usage in usages):
            # The endpoint is down or refuses us: fail the stage rather than flag every paper.
            raise LLMError(usages[0].failures[0])
        for usage in usages:
            run.usage.prompt_tokens += usage.prompt_tokens
            run.usage.completion_tokens += usage.completion_tokens
            run.usage.requests += usage.requests
        for batch, decisions in zip(batches, results, strict=True):
            for paper, decision in zip(batch, decisions, strict=True):
                known[paper.arxiv_id] = decision
                failed = decision.needs_human and decision.confidence == 0.0  # ask again next run
                if self.cache and not failed:
                    self.cache.put(paper, decision)
        deferred = {p.arxiv_id for p in run.deferred}
        run.decisions = [known[p.arxiv_id] for p in papers if p.arxiv_id not in deferred]
        return run


class CountingOnly:
    """A backend that knows only its model's name: for counting prompt tokens without an endpoint."""

    def __init__(self, model: str) -> None:
        self.model = model

    def complete(self, messages: list[dict[str, str]], schema: dict[str, Any], max_tokens: int) -> LLMAnswer:
        raise LLMError("no LLM endpoint is configured; this backend only counts tokens")
