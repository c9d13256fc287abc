"""Story state: what the linker remembers about a story between messages.

Stored in the Faust table (RocksDB, changelogged) under the story id and published, latest only,
to the compacted ``stories.current`` topic. It holds enough to rebuild the candidate index after a
restart (``fingerprint``) and to recognise a redelivered message (``versions``).
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from schemas.item import UpdateType
from schemas.wire import WireItem


class VersionRecord(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    story_version: int = Field(description="0 for a version that was recorded but not applied (late).")
    item_id: str
    item_version: int | None
    content_hash: str
    update_type: UpdateType
    event_time: datetime
    source_ref: str | None = Field(default=None, description="topic/partition/offset of the input.")
    event_id: str | None = None
    merged_from: str | None = Field(default=None, description="Story this version came from in a merge.")


class Fingerprint(BaseModel):
    """Compact text signature of a story's latest version, for candidate search and scoring."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    terms: tuple[str, ...] = ()
    headline_terms: tuple[str, ...] = ()
    sketch: tuple[int, ...] = ()
    place: str | None = None
    names: tuple[str, ...] = Field(
        default=(), description="Folded names of the people and organisations named."
    )


class StoryState(BaseModel):
    model_config = ConfigDict(extra="forbid")

    story_id: str
    shard: str
    created: datetime
    updated: datetime
    received: datetime = Field(
        description="Latest arrival (received_at) of an applied version: the index clock."
    )
    story_version: int = 0
    withdrawn: bool = False
    retired_into: str | None = Field(default=None, description="Set when merged into another story.")
    orphan: bool = Field(
        default=False,
        description="Started by an update whose original has not arrived (yet): a merge target.",
    )
    content_time: datetime = Field(description="Event time of the version whose content is current.")
    latest: WireItem = Field(description="The item whose content is the story's current content.")
    item_ids: list[str] = Field(default_factory=list)
    item_versions: dict[str, int] = Field(default_factory=dict, description="Highest version per item.")
    versions: list[VersionRecord] = Field(default_factory=list)
    fingerprint: Fingerprint = Field(default_factory=Fingerprint)
    last_event_id: str | None = None

    @property
    def headline(self) -> str:
        return self.latest.item.headline

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return self.latest.item.paragraphs


class StoryIndexView(BaseModel):
    """The fields of a stored ``StoryState`` that the linker's candidate index needs.

    Decoding a state's JSON into this skips building its content and version history (most of a
    state's bytes and of its decoding time) when a worker rebuilds the index after a restart or a
    rebalance. Not a payload of its own: the other fields of the state are ignored, not refused.
    """

    model_config = ConfigDict(extra="ignore")

    story_id: str
    shard: str
    created: datetime
    received: datetime
    orphan: bool = False
    retired_into: str | None = None
    fingerprint: Fingerprint = Field(default_factory=Fingerprint)
