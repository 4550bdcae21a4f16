"""Token counts with the model's own tokenizer: OpenAI's BPE encodings from bpe-openai (no download)."""

from __future__ import annotations

from functools import cache
from typing import Any

import bpe_openai

DEFAULT_ENCODING = "o200k_base"


@cache
def _encoding(model: str) -> Any:
    try:
        return bpe_openai.encoding_for_model(model)
    except Exception:  # an unknown or local model name: OpenAI's current encoding is the best estimate
        return bpe_openai.get_encoding(DEFAULT_ENCODING)


def count_tokens(text: str, model: str) -> int:
    return len(_encoding(model).encode(text))


def count_chat_tokens(messages: list[dict[str, str]], model: str) -> int:
    """Prompt tokens of a chat request, with OpenAI's per-message overhead (3 per message, 3 to prime)."""
    return sum(3 + count_tokens(m["content"], model) + count_tokens(m["role"], model) for m in messages) + 3
