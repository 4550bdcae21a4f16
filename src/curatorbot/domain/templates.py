"""The one jinja2 environment for curatorbot's shipped Markdown templates (entry, PR body). Prompt templates
load from a folder a maintainer may choose, through curatorbot.classify.prompts."""

from __future__ import annotations

import json
from functools import cache

import jinja2


@cache
def template(name: str) -> jinja2.Template:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("curatorbot", "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # Markdown, not HTML: every value is cleaned by curatorbot.domain.sanitize first
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    # A YAML scalar as a person reads it: JSON strings are YAML, and non-ASCII stays as written.
    environment.filters["quoted"] = lambda value: json.dumps(value, ensure_ascii=False)
    return environment.get_template(name)
