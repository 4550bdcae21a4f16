"""What a list is, read from the list itself: the profile `curatorbot init` writes as a config a maintainer
only has to read. Pure: the listed papers' arXiv records come in as values.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from curatorbot.domain.awesome_list import AwesomeList, HouseStyle
from curatorbot.domain.errors import PlacementError
from curatorbot.domain.links import parse_links
from curatorbot.domain.models import Paper
from curatorbot.domain.tables import RowForm, plain_cell
from curatorbot.domain.text_features import word_ngrams

# A category is watched when it is the primary category of this share of the listed papers.
CATEGORY_SHARE = 0.1
MAX_CATEGORIES = 3
INCLUDE_HINTS = 6
# Catch-up terms: title words and phrases, chosen until they cover this share of the listed titles.
TERM_COVERAGE = 0.9
MAX_TERMS = 25
_GENERIC_WORDS = frozenset(
    {
        "based",
        "large",
        "using",
        "via",
        "new",
        "novel",
        "multi",
        "approach",
        "framework",
        "study",
        "towards",
        "toward",
        "learning",
        "system",
        "systems",
        "model",
        "models",
        "aware",
        "enhanced",
        "leveraging",
        "improving",
        "efficient",
        "effective",
        "analysis",
        "data",
        "task",
        "tasks",
        "method",
        "methods",
    }
)
_NEW_CUE_RE = re.compile(r"\b(?:new|newest|latest|recent|update|updated|add|added)\b", re.IGNORECASE)
_NEW_SECTION_RE = re.compile(r"\b(?:newest|latest|recent|new papers|new work)\b", re.IGNORECASE)


@dataclass(frozen=True)
class SectionProfile:
    path: str
    entries: int  # its own entries, not its subsections'
    form: str  # how its entries are written, for a person
    include: tuple[str, ...]
    placeable: str | None  # None, or why curatorbot cannot write an entry there


@dataclass(frozen=True)
class ListProfile:
    sections: tuple[SectionProfile, ...]
    new_papers_section: str | None
    new_papers_reason: str
    categories: tuple[tuple[str, int], ...]  # (category, papers whose primary it is)
    records: int  # listed papers with an arXiv record
    topic_terms: tuple[str, ...]
    method_terms: tuple[str, ...]
    term_coverage: float  # listed titles with a topic term and a method term
    scope: str
    entries: int
    list_items: int
    table_rows: int

    @property
    def summary(self) -> str:
        placeable = [s for s in self.sections if s.placeable is None]
        shape = ", ".join(
            part
            for part in (
                f"{self.list_items} as list items" if self.list_items else "",
                f"{self.table_rows} as table rows" if self.table_rows else "",
            )
            if part
        )
        new = f"; new papers go to '{self.new_papers_section}'" if self.new_papers_section else ""
        categories = ", ".join(c for c, _ in self.categories) or "none found (cs.IR assumed)"
        return (
            f"{self.entries} entries ({shape}) in {len(placeable)} sections curatorbot can write to{new}; "
            f"arXiv categories: {categories} (from {self.records} listed papers' records)"
        )


def profile_list(awesome: AwesomeList, records: Mapping[str, Paper]) -> ListProfile:
    sections = [s for s in awesome.sections if any(e.section == s.path for e in awesome.entries)]
    titles_by_section = {
        s.name: [e.title for e in awesome.entries if e.section == s.path and e.title] for s in sections
    }
    hints = _include_hints(titles_by_section)
    profiles = []
    for section in sections:
        try:
            form = _describe(awesome.entry_form(section.path))
            why = None
        except PlacementError as error:
            form, why = "—", str(error)
        own = sum(1 for e in awesome.entries if e.section == section.path)
        profiles.append(SectionProfile(section.name, own, form, hints.get(section.name, ()), why))
    new_section, reason = _new_papers_section(awesome, [p for p in profiles if p.placeable is None])
    primaries = Counter(
        p.primary_category
        for e in awesome.entries
        if e.arxiv_id and (p := records.get(e.arxiv_id)) and p.primary_category
    )
    listed = sum(primaries.values())
    categories = tuple(
        (c, n) for c, n in primaries.most_common(MAX_CATEGORIES) if listed and n / listed >= CATEGORY_SHARE
    )
    titles = [e.title for e in awesome.entries if e.title]
    topic, method, coverage = _catch_up_terms(titles)
    return ListProfile(
        sections=tuple(profiles),
        new_papers_section=new_section,
        new_papers_reason=reason,
        categories=categories,
        records=listed,
        topic_terms=topic,
        method_terms=method,
        term_coverage=coverage,
        scope=_scope(awesome),
        entries=len(awesome.entries),
        list_items=sum(e.kind == "list" for e in awesome.entries),
        table_rows=sum(e.kind == "table" for e in awesome.entries),
    )


def _describe(form: HouseStyle | RowForm) -> str:
    if isinstance(form, RowForm):
        columns = " | ".join(plain_cell(c) for c in form.columns)
        link = form.link("Title", "url") if form.title_as_link else form.link(form.link_label, "url")
        venue = f"{form.arxiv_venue_word} 2025"
        return f"table rows: {columns}; paper link {link} to arxiv.org/{form.arxiv_link_kind}; venue like '{venue}'"
    link = form.link(form.paper_label, "url")
    return f"list items '{form.bullet} Title{form.separator}{form.arxiv_venue(2025)}{form.separator}{link}'"


def _include_hints(titles_by_section: Mapping[str, Sequence[str]]) -> dict[str, tuple[str, ...]]:
    """Per section, the title words and phrases that set it apart from the others (smoothed log-odds, at least
    two of its titles): a start for `include`, for a maintainer to prune."""
    counts = {
        name: Counter(g for t in titles for g in set(word_ngrams(t))) for name, titles in titles_by_section.items()
    }
    overall: Counter[str] = Counter()
    for counted in counts.values():
        overall.update(counted)
    total = sum(len(t) for t in titles_by_section.values())
    hints: dict[str, tuple[str, ...]] = {}
    for name, counted in counts.items():
        own = len(titles_by_section[name])
        rest = max(total - own, 1)
        scored = [
            (math.log((n + 0.5) / (own + 1)) - math.log((overall[g] - n + 0.5) / (rest + 1)), g)
            for g, n in counted.items()
            if n >= 2 and not g.isdigit()
        ]
        best = [g for score, g in sorted(scored, key=lambda s: (-s[0], s[1])) if score > 1.0]
        # A phrase says it better than its words: drop a word that a chosen phrase already holds.
        chosen: list[str] = []
        for gram in best:
            if not any(gram in other.split() or other in gram.split() for other in chosen):
                chosen.append(gram)
            if len(chosen) == INCLUDE_HINTS:
                break
        hints[name] = tuple(chosen)
    return hints


def _cover(titles: Sequence[set[str]], exclude: set[str]) -> tuple[str, ...]:
    """Greedy cover: the title words and phrases that, in turn, match the most titles not yet matched."""
    left = list(range(len(titles)))
    chosen: list[str] = []
    while left and len(chosen) < MAX_TERMS and 1 - len(left) / len(titles) < TERM_COVERAGE:
        counted = Counter(g for i in left for g in titles[i] if g not in exclude and len(g) > 2)
        if not counted:
            break
        best = min(counted, key=lambda g: (-counted[g], g))
        if counted[best] < 2:
            break
        chosen.append(best)
        left = [i for i in left if best not in titles[i]]
    return tuple(chosen)


def _catch_up_terms(titles: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...], float]:
    """Two groups of title terms for catch-up's arXiv search (a paper must match one of each): the words and
    phrases that cover the listed titles, then those that cover them again without the first group. Words
    that say nothing of a topic on their own ("based", "large") only count inside a phrase."""
    if not titles:
        return (), (), 0.0
    grams = [{g for g in word_ngrams(t, 2) if g not in _GENERIC_WORDS} for t in titles]
    topic = _cover(grams, set())
    method = _cover(grams, {g for g in set().union(*grams) if set(g.split()) & set(" ".join(topic).split())})
    both = sum(1 for g in grams if g & set(topic) and g & set(method))
    return topic, method, round(both / len(grams), 3)


def _new_papers_section(awesome: AwesomeList, placeable: Sequence[SectionProfile]) -> tuple[str | None, str]:
    """The section the list says new papers go to: named in its intro next to a word like 'latest' or
    'update', or else the one section whose name says it holds the newest papers."""
    first = min((s.heading_line for s in awesome.sections), default=len(awesome.lines) + 1)
    intro = [line.text for line in awesome.lines[: first - 1]]
    by_leaf = {p.path.split(" > ")[-1]: p.path for p in placeable}
    for number, text in enumerate(intro, start=1):
        if not _NEW_CUE_RE.search(text):
            continue
        for leaf, path in by_leaf.items():
            if leaf in text:
                return path, f"the intro says so on line {number}"
    named = [p.path for p in placeable if _NEW_SECTION_RE.search(p.path.split(" > ")[-1])]
    if len(named) == 1:
        return named[0], "its name says it holds the newest papers"
    return None, "the list names no section for new papers: each paper goes where the classifier places it"


def _scope(awesome: AwesomeList) -> str:
    """The intro's first paragraph of prose, without markup: a start for `list.scope`."""
    first = min((e.line for e in awesome.entries), default=len(awesome.lines) + 1)
    paragraph: list[str] = []
    for line in awesome.lines[: first - 1]:
        text = line.text.strip()
        if not text or text.startswith(("#", "<", "!", "[!", "|", "```", ">")):
            if paragraph:
                break
            continue
        for link in parse_links(text):
            text = text.replace(link.raw, link.label)
        text = re.sub(r"[*_`]+|:[a-z_]+:", "", text).strip()
        if text:
            paragraph.append(text)
    scope = " ".join(" ".join(paragraph).split())
    return scope[:400]
