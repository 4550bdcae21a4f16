"""Text from papers and from the LLM, made safe to show in Markdown (PR bodies, tables, terminals)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

_HTML_TAG_RE = re.compile(r"<[^>]{0,200}>")
_MD_LINK_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_URL_RE = re.compile(r"\b(?:https?|ftp|javascript|data):\S+", re.IGNORECASE)
# Control characters, bidi overrides and isolates, zero-width characters and the BOM: they hide or reorder
# what a reviewer sees.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
_WWW_RE = re.compile(r"\bwww\.\S+", re.IGNORECASE)
ENTRY_TITLE_CHARS = 300


def plain_text(text: str, limit: int | None = None) -> str:
    """One line of inert text: no HTML, no links, no Markdown that renders, no @mentions or #refs."""
    cleaned = _CONTROL_RE.sub(" ", text)
    cleaned = _MD_LINK_RE.sub(r"\1", cleaned)
    cleaned = _HTML_TAG_RE.sub(" ", cleaned)
    cleaned = _URL_RE.sub("(link removed)", cleaned)
    cleaned = _WWW_RE.sub("(link removed)", cleaned)  # GitHub links a bare www. address too
    cleaned = cleaned.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # Markdown that would render or break a table row: escape it.
    cleaned = re.sub(r"([\\`*_\[\]|~])", r"\\\1", cleaned)
    # @mention and #123 would notify people or link issues: a zero-width joiner breaks them.
    cleaned = re.sub(r"@(?=\w)", "@\u200d", cleaned)
    cleaned = re.sub(r"#(?=\d)", "#\u200d", cleaned)
    cleaned = " ".join(cleaned.split())
    if limit is not None and len(cleaned) > limit:
        cleaned = cleaned[: limit - 1].rstrip() + "…"
    return cleaned


def code_span(text: str, limit: int = 200) -> str:
    """Text shown literally in a Markdown table cell: a code span no backtick inside can close, no pipe can
    split, and nothing hidden (control and bidi characters)."""
    cleaned = " ".join(_CONTROL_RE.sub(" ", text).split())
    if len(cleaned) > limit:
        cleaned = cleaned[: limit - 1].rstrip() + "…"
    if not cleaned:
        return "(nothing)"
    cleaned = cleaned.replace("|", "\\|")
    fence = "`" * (max((len(run) for run in re.findall(r"`+", cleaned)), default=0) + 1)
    return f"{fence} {cleaned} {fence}" if fence != "`" else f"`{cleaned}`"


def entry_title(text: str) -> str:
    """A paper title as the list file shows it: one line of plain text that opens no link, tag, emphasis or
    new block, hides nothing (bidi overrides, zero-width characters), and stays a readable length."""
    cleaned = _CONTROL_RE.sub(" ", text)
    cleaned = _MD_LINK_RE.sub(r"\1", cleaned)
    cleaned = _HTML_TAG_RE.sub(" ", cleaned)
    cleaned = _URL_RE.sub("(link removed)", cleaned)
    cleaned = _WWW_RE.sub("(link removed)", cleaned)
    cleaned = cleaned.replace("[", "(").replace("]", ")").replace("<", "‹").replace(">", "›")
    # A marker that would open a block (heading, quote, bullet, table: a mark and a space) goes from the
    # start; every other character is the title's own, and emphasis and code marks are escaped to stay so
    # ("**Bold**" shows as typed, never half-stripped).
    cleaned = re.sub(r"^(?:[#>+\-*|]+(?:\s+|$))+", "", " ".join(cleaned.split())).rstrip(". ")
    cleaned = re.sub(r"([\\`*_~])", r"\\\1", cleaned)
    if len(cleaned) > ENTRY_TITLE_CHARS:
        cleaned = cleaned[: ENTRY_TITLE_CHARS - 1].rstrip() + "…"
    return cleaned


def paper_text_for_prompt(text: str) -> str:
    """Paper text inside <paper> tags: nothing in it may close or open a tag of ours."""
    return re.sub(r"</?\s*paper\b", "(paper", " ".join(text.split()), flags=re.IGNORECASE)


# Paper text that speaks to the model instead of about the paper: orders to drop its instructions, to answer
# a field a certain way, role or chat-template markers. Such a paper goes to a person, whatever the answer.
_INSTRUCTION_RE = re.compile(
    r"\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+|the\s+|your\s+)*(?:previous|prior|above|earlier|"
    r"preceding|system)\s+(?:instructions?|prompts?|rules|directions)"
    r"|\b(?:section|relevant|confidence|rationale)\s*=\s*\S|\b(?:relevant|needs_human)\s*:\s*(?:true|false)\b"
    r"|\bconfidence\s*:\s*(?:0?\.\d+|1(?:\.0+)?)\b"
    r"|\b(?:you are|act as)\s+(?:an?\s+|the\s+)?(?:AI|assistant|language model|LLM|classifier|reviewer)\b"
    r"|\b(?:classify|mark|label|rate)\s+(?:this|the)\s+paper\s+as\b"
    r"|\b(?:respond|answer|reply|output)\s+(?:only\s+)?with\s+(?:json\b|\{|section\s*[=:]|confidence\s*[=:])"
    r"|<\|(?:im_start|im_end|system|assistant|user)\|>|<start_of_turn>|\[/?INST\]|^\s*(?:system|assistant)\s*:",
    re.IGNORECASE | re.MULTILINE,
)


def instruction_like(*texts: str | None) -> str | None:
    """The first passage of paper text that reads as an instruction to the model, or None."""
    for text in texts:
        if text and (match := _INSTRUCTION_RE.search(text)):
            return " ".join(text[match.start() : match.end() + 60].split())
    return None


REDACTED = "[redacted]"
# Where secrets come from, and only there; written once (config reads them, redaction covers them).
OPENAI_KEY_VARIABLE = "OPENAI_API_KEY"
GITHUB_TOKEN_VARIABLES = ("GITHUB_TOKEN", "GH_TOKEN")  # the first that is set
SEMANTIC_SCHOLAR_KEY_VARIABLE = "SEMANTIC_SCHOLAR_API_KEY"
SECRET_VARIABLES = (OPENAI_KEY_VARIABLE, *GITHUB_TOKEN_VARIABLES, SEMANTIC_SCHOLAR_KEY_VARIABLE)


def secrets_in(environ: Mapping[str, str]) -> tuple[str, ...]:
    """The secret values set in an environment, to redact from everything printed."""
    return tuple(environ[name] for name in SECRET_VARIABLES if environ.get(name))


def redact(text: str, secrets: Iterable[str]) -> str:
    """`text` with every configured secret replaced: an endpoint that echoes a key must not get it printed,
    cached or written to GitHub. Short values are left alone (they would redact ordinary words)."""
    for secret in secrets:
        if len(secret) >= 8:
            text = text.replace(secret, REDACTED)
    return text
