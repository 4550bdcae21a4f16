"""Markdown links as people actually type them in paper lists, slips included: [paper](u), [[paper]](u),
[[paper]]((u)). Read once here for list items, table rows and table forms."""

from __future__ import annotations

import re
from dataclasses import dataclass

LINK_RE = re.compile(r"(?P<open>\[\[?)(?P<label>[^\[\]\n]*?)(?P<close>\]\]?)\((?P<target>\([^()\n]*\)|[^()\n]*)\)")


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    raw: str
    single_brackets: bool  # [paper](u) where the house style may be [[paper]](u)
    doubled_parens: bool  # [[paper]]((u))

    @property
    def is_url(self) -> bool:
        return re.fullmatch(r"https?://\S+", self.url) is not None


def parse_links(text: str) -> list[Link]:
    links = []
    for match in LINK_RE.finditer(text):
        target = match.group("target")
        doubled = target.startswith("(") and target.endswith(")")
        url = (target[1:-1] if doubled else target).strip()
        links.append(
            Link(
                label=match.group("label").strip(),
                url=url,
                raw=match.group(0),
                single_brackets=match.group("open") == "[" and match.group("close") == "]",
                doubled_parens=doubled,
            )
        )
    return links
