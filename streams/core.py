"""The one way through: raw bytes to wire items, link results to story events.

Both shells use these functions and nothing else: the in-process pipeline (``wirefeed process``)
and the Faust agents. Nothing here touches Kafka, metrics or the environment.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from schemas.enrichment import Enrichment
from schemas.events import StoryCurrent, StoryEvent
from schemas.item import ParsedItem
from schemas.wire import SourceInfo, WireItem
from streams.errors import InternalError
from streams.formats.base import Parser
from streams.formats.registry import DEFAULT_MAX_BYTES, parse_message
from streams.linking.linker import LinkResult
from streams.ninjs import NinjsVersion, render

Enrich = Callable[[ParsedItem], Enrichment]


@dataclass(frozen=True, slots=True)
class Origin:
    """What the edge knows about a raw message besides its bytes."""

    received_at: datetime
    format_hint: str | None = None
    feed: str | None = None
    topic: str | None = None
    partition: int | None = None
    offset: int | None = None


def shard_for(item: ParsedItem, enrichment: Enrichment) -> str:
    """Linking shard: one agency family in one language shares a candidate index."""
    return f"{item.agency_family}:{enrichment.language or item.language or 'und'}"


def ingest(
    raw: bytes,
    origin: Origin,
    parsers: Mapping[str, Parser],
    enrich: Enrich,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> list[WireItem]:
    """Parse and enrich one raw message. Raises ``RejectedInput`` (or ``InternalError``)."""
    items = parse_message(raw, parsers, hint=origin.format_hint, max_bytes=max_bytes)
    digest = hashlib.sha256(raw).hexdigest()
    out = []
    for index, item in enumerate(items):
        try:
            enrichment = enrich(item)
        except Exception as exc:
            raise InternalError(f"enrich: {type(exc).__name__}: {exc}", stage="enrich") from exc
        source = SourceInfo(
            agency=item.agency,
            format=item.format,
            feed=origin.feed,
            raw_sha256=digest,
            received_at=origin.received_at,
            topic=origin.topic,
            partition=origin.partition,
            offset=origin.offset,
            index_in_message=index,
        )
        out.append(
            WireItem(shard=shard_for(item, enrichment), item=item, enrichment=enrichment, source=source)
        )
    return out


def build_events(result: LinkResult, ninjs_version: NinjsVersion = "2.1") -> list[StoryEvent]:
    """One event per story version the link result applied (none for duplicates and late copies)."""
    story_id = result.state.story_id
    events = []
    for applied in result.applied:
        version = applied.version
        assert version.event_id is not None, "only applied versions have events"
        item = applied.wire.item
        events.append(
            StoryEvent(
                event_id=version.event_id,
                event_type=applied.event_type,
                story_id=story_id,
                story_version=version.story_version,
                update_type=applied.update_type,
                update_note=item.update_note,
                item_id=item.item_id,
                item_version=item.version,
                signals=item.signals,
                item=render(item, applied.wire.enrichment, ninjs_version),
                ninjs_version=ninjs_version,
                source=applied.wire.source,
                link=result.evidence,
                changes=applied.changes,
                enrichment=applied.wire.enrichment,
                retired_story_ids=applied.retired,
            )
        )
    return events


def current_records(result: LinkResult, events: list[StoryEvent]) -> list[tuple[str, StoryCurrent | None]]:
    """Records for the compacted ``stories.current`` topic: the story's latest state, or a tombstone
    (None) once it is withdrawn, and a tombstone for every story retired by a merge."""
    out: list[tuple[str, StoryCurrent | None]] = [(r.story_id, None) for r in result.retired]
    state = result.state
    if not events:
        return out
    if state.withdrawn:
        out.append((state.story_id, None))
        return out
    last = events[-1]
    current = StoryCurrent(
        story_id=state.story_id,
        story_version=state.story_version,
        update_type=last.update_type,
        headline=state.headline,
        item_ids=tuple(state.item_ids),
        last_event_id=last.event_id,
        item=render(state.latest.item, state.latest.enrichment, last.ninjs_version),
    )
    out.append((state.story_id, current))
    return out
