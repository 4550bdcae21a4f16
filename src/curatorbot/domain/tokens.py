"""Token counts with the model's own tokenizer: OpenAI's BPE encodings from bpe-openai.

Kept over tiktoken on purpose: tiktoken downloads its encodings at first use, which the Actions runner
may do but this project's offline tests and air-gapped users cannot; bpe-openai ships them. It builds its
encodings at import (about 1.5 s), so it is imported at the first count, never at start-up.
"""

from __future__ import annotations

from functools import cache
from typing import Any

DEFAULT_ENCODING = "o200k_base"


@cache
def _encoding(model: str) -> Any:
    import bpe_openai

    try:
        return bpe_openai.encoding_for_model(model)
    except Exception:  # an unknown or local model name: OpenAI's current encoding is the best estimate
        return bpe_openai.get_encoding(DEFAULT_ENCODING)


def count_tokens(text: str, model: str) -> int:
    return len(_encoding(model).encode(text))


def count_chat_tokens(messages: list[dict[str, str]], model: str) -> int:
    """Prompt tokens of a chat request, with OpenAI's per-message overhead (3 per message, 3 to prime)."""
    return sum(3 + count_tokens(m["content"], model) + count_tokens(m["role"], model) for m in messages) + 3
