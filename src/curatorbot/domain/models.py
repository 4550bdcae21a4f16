"""The core's data: frozen models that adapters produce and the pure core consumes."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

AnnounceType = Literal["new", "cross", "replace", "replace-cross"]
DayState = Literal["normal", "quiet", "stale"]


class Paper(BaseModel):
    """What arXiv says about one paper, plus where it was announced."""

    model_config = ConfigDict(frozen=True)

    arxiv_id: str
    version: int | None = None
    title: str
    authors: tuple[str, ...] = ()
    abstract: str = ""
    primary_category: str | None = None
    categories: tuple[str, ...] = ()
    comments: str | None = None
    journal_ref: str | None = None
    doi: str | None = None
    published: dt.date | None = None
    updated: dt.date | None = None
    withdrawn: bool = False
    announce_type: AnnounceType | None = None
    announced: dt.date | None = None

    @property
    def versioned_id(self) -> str:
        return self.arxiv_id if self.version is None else f"{self.arxiv_id}v{self.version}"


class FeedSnapshot(BaseModel):
    """One category's announcement feed as parsed: its papers and what was odd about it."""

    model_config = ConfigDict(frozen=True)

    category: str
    announced: dt.date | None
    papers: tuple[Paper, ...] = ()
    warnings: tuple[str, ...] = ()
    complete: bool = True  # False: the document was cut off and only its complete entries were kept


class Announcement(BaseModel):
    """The day's announcements over all watched categories, deduplicated, with the day's state."""

    model_config = ConfigDict(frozen=True)

    announced: dt.date | None
    categories: tuple[str, ...]
    state: DayState
    state_reason: str
    papers: tuple[Paper, ...] = Field(default=(), description="new and cross-listed papers")
    replacements: tuple[Paper, ...] = Field(default=(), description="replace entries, routed aside")
    warnings: tuple[str, ...] = ()
    complete: bool = True  # every category's feed was read whole


Backend = Literal["local", "openai"]


class Decision(BaseModel):
    """Whether a paper belongs in the list, where, how sure, why, and who decided with what."""

    model_config = ConfigDict(frozen=True)

    arxiv_id: str
    relevant: bool
    section: str | None = Field(description="one of the configured section paths; None when not relevant")
    confidence: float = Field(ge=0.0, le=1.0)
    rationale: str = Field(max_length=400)
    needs_human: bool = Field(default=False, description="too unsure to add or drop silently")
    # A table's columns the model filled from the paper's text (column -> value); "unknown" is left out.
    cells: dict[str, str] = Field(default_factory=dict)
    backend: Backend
    model: str
    prompt_version: str
    prompt_sha: str
