"""The contract with downstream consumers: one ``StoryEvent`` per story version.

``stories.events`` is keyed by ``story_id``; its value is a ``StoryEvent``: an IPTC ninjs item
(``item``, 2.1 by default, validating strictly against the official schema) inside an envelope
carrying what ninjs has no field for: story identity and version, the normalised update type,
the linking evidence, what changed, enrichment provenance and the source. ``stories.current``
(compacted) carries a ``StoryCurrent`` per story, or a tombstone once a story is withdrawn.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from schemas.enrichment import Enrichment
from schemas.item import UpdateType
from schemas.wire import SourceInfo

EVENT_SCHEMA_VERSION = 1

LinkReason = Literal[
    "new_story",
    "explicit_id",
    "explicit_link",
    "near_duplicate",
    "update_marker",
    "merge",
]


class LinkEvidence(BaseModel):
    """Why this item landed in this story."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    reason: LinkReason
    score: float | None = Field(default=None, description="Similarity score of the chosen candidate.")
    candidate: str | None = Field(default=None, description="Story id of the best candidate considered.")
    candidate_score: float | None = Field(default=None, description="Best score when no candidate won.")
    threshold: float | None = None
    detail: str | None = None


class Changes(BaseModel):
    """What changed against the story's previous version."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    headline_changed: bool
    paragraphs_added: int = 0
    paragraphs_removed: int = 0
    paragraphs_changed: int = 0
    added: tuple[int, ...] = Field(default=(), description="Indexes of added paragraphs in this version.")
    changed: tuple[int, ...] = Field(default=(), description="Indexes of edited paragraphs in this version.")


class StoryEvent(BaseModel):
    """One story version, published on ``stories.events``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_version: int = EVENT_SCHEMA_VERSION
    event_id: str = Field(description="Deterministic: the same story version always has the same id.")
    event_type: Literal["version", "merge"] = "version"
    story_id: str = Field(description="Stable for every version of the story.")
    story_version: int = Field(ge=1)
    update_type: UpdateType
    update_note: str | None = None
    item_id: str
    item_version: int | None = None
    signals: tuple[str, ...] = ()
    item: dict[str, Any] = Field(description="IPTC ninjs object (2.1 by default, 3.1 by setting).")
    ninjs_version: Literal["2.1", "3.1"] = "2.1"
    source: SourceInfo
    link: LinkEvidence
    changes: Changes | None = Field(default=None, description="Null for a story's first version.")
    enrichment: Enrichment
    retired_story_ids: tuple[str, ...] = Field(
        default=(), description="Stories merged into this one by this event; consumers should redirect them."
    )


class StoryCurrent(BaseModel):
    """Latest state of a story on the compacted ``stories.current`` topic."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    story_id: str
    story_version: int
    update_type: UpdateType
    headline: str
    item_ids: tuple[str, ...]
    last_event_id: str
    item: dict[str, Any]
