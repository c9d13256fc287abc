"""Story state transitions: start a story, apply a version, merge an orphan update into its root.

Pure functions from old state to new state plus the versions to publish (``Applied``). Rules:

* Story and event ids are deterministic (hashes of shard and item id, story id and version), so
  replaying a decision after a crash gives byte-identical events.
* A story's current content is the applied version with the latest event time; versions are
  applied in arrival order and numbered 1, 2, ... per story.
* Merge (an update arrived before the item it updates): when the original arrives, it starts its
  own story and the orphan story that began later is merged into it. The story whose first item is
  earliest survives; the retired story forwards to it (``retired_into``) and its item ids are
  rebound, so ids are stable from then on. Whatever the arrival order, a chain ends in the story
  of its earliest item.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from schemas.events import Changes
from schemas.item import ParsedItem, UpdateType
from schemas.story import Fingerprint, StoryState, VersionRecord
from schemas.wire import WireItem
from streams.linking.diff import changes as diff_changes


@dataclass(frozen=True, slots=True)
class Applied:
    """One story version to publish."""

    version: VersionRecord
    wire: WireItem
    update_type: UpdateType
    changes: Changes | None
    event_type: Literal["version", "merge"] = "version"
    retired: tuple[str, ...] = ()


def content_hash(item: ParsedItem) -> str:
    text = "\x1e".join((item.pubstatus, item.headline, *item.paragraphs))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def event_id(story_id: str, story_version: int, item_id: str, item_version: int | None, digest: str) -> str:
    key = f"{story_id}|{story_version}|{item_id}|{item_version}|{digest}"
    return "ev-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def story_id_for(shard: str, item_id: str) -> str:
    return "st-" + hashlib.sha256(f"{shard}|{item_id}".encode()).hexdigest()[:24]


def is_withdrawal(item: ParsedItem) -> bool:
    return item.pubstatus == "canceled" or item.update_type is UpdateType.WITHDRAWAL


def has_marker(item: ParsedItem) -> bool:
    return item.update_type is not UpdateType.NEW or item.update_seq is not None


def event_time(wire: WireItem) -> datetime:
    return wire.item.version_created or wire.source.received_at


def source_ref(wire: WireItem) -> str | None:
    src = wire.source
    if src.topic is None:
        return None
    return f"{src.topic}/{src.partition}/{src.offset}/{src.index_in_message}"


def _record(story_id: str, number: int, wire: WireItem, digest: str, kind: UpdateType) -> VersionRecord:
    item = wire.item
    return VersionRecord(
        story_version=number,
        item_id=item.item_id,
        item_version=item.version,
        content_hash=digest,
        update_type=kind,
        event_time=event_time(wire),
        source_ref=source_ref(wire),
        event_id=event_id(story_id, number, item.item_id, item.version, digest) if number else None,
    )


def _versions(item: ParsedItem) -> dict[str, int]:
    return {item.item_id: item.version} if item.version is not None else {}


def new_story(wire: WireItem, fp: Fingerprint, digest: str) -> tuple[StoryState, Applied]:
    item = wire.item
    story_id = story_id_for(wire.shard, item.item_id)
    kind = UpdateType.WITHDRAWAL if is_withdrawal(item) else UpdateType.NEW
    record = _record(story_id, 1, wire, digest, kind)
    when = event_time(wire)
    state = StoryState(
        story_id=story_id,
        shard=wire.shard,
        created=when,
        updated=when,
        received=wire.source.received_at,
        story_version=1,
        withdrawn=kind is UpdateType.WITHDRAWAL,
        orphan=has_marker(item) and kind is not UpdateType.WITHDRAWAL,
        content_time=when,
        latest=wire,
        item_ids=[item.item_id],
        item_versions=_versions(item),
        versions=[record],
        fingerprint=fp,
        last_event_id=record.event_id,
    )
    return state, Applied(record, wire, kind, None)


def is_late(state: StoryState, wire: WireItem) -> bool:
    """A copy that must not replace newer content: a lower or equal version of a known item, any
    version of a withdrawn story, or an older version time of the same item."""
    item = wire.item
    if state.withdrawn:
        return True
    known = state.item_versions.get(item.item_id)
    if item.version is not None and known is not None:
        return item.version <= known
    if item.version is None and item.item_id in state.item_ids:
        return event_time(wire) <= max(
            (v.event_time for v in state.versions if v.item_id == item.item_id and v.story_version),
            default=event_time(wire),
        )
    return False


def record_late(state: StoryState, wire: WireItem, digest: str) -> StoryState:
    late = _record(state.story_id, 0, wire, digest, wire.item.update_type)
    return state.model_copy(update={"versions": [*state.versions, late]})


def update_type_for(item: ParsedItem, delta: Changes) -> UpdateType:
    if is_withdrawal(item):
        return UpdateType.WITHDRAWAL
    if item.update_type is not UpdateType.NEW:
        return item.update_type
    edits = delta.paragraphs_added + delta.paragraphs_changed + delta.paragraphs_removed
    if not delta.headline_changed and edits == 0:
        return UpdateType.RESEND
    if (
        not delta.headline_changed
        and not delta.paragraphs_added
        and not delta.paragraphs_removed
        and edits <= 1
    ):
        return UpdateType.MINOR
    return UpdateType.DEVELOPMENT


def apply_version(
    state: StoryState, wire: WireItem, fp: Fingerprint, digest: str
) -> tuple[StoryState, Applied]:
    item = wire.item
    delta = diff_changes(state.headline, state.paragraphs, item.headline, item.paragraphs)
    kind = update_type_for(item, delta)
    number = state.story_version + 1
    record = _record(state.story_id, number, wire, digest, kind)
    when = event_time(wire)
    current = when >= state.content_time or kind is UpdateType.WITHDRAWAL
    item_versions = {**state.item_versions, **_versions(item)}
    updated = state.model_copy(
        update={
            "story_version": number,
            "updated": max(state.updated, when),
            "received": max(state.received, wire.source.received_at),
            "created": min(state.created, when),
            "withdrawn": kind is UpdateType.WITHDRAWAL,
            # An older item with an update marker still points at an original not seen yet.
            "orphan": has_marker(item) if when < state.created else state.orphan,
            "content_time": when if current else state.content_time,
            "latest": wire if current else state.latest,
            "fingerprint": fp if current else state.fingerprint,
            "item_ids": state.item_ids if item.item_id in state.item_ids else [*state.item_ids, item.item_id],
            "item_versions": item_versions,
            "versions": [*state.versions, record],
            "last_event_id": record.event_id,
        }
    )
    return updated, Applied(record, wire, kind, delta)


def merge(root: StoryState, orphan: StoryState) -> tuple[StoryState, StoryState, Applied]:
    """Merge ``orphan`` (started by an update) into ``root`` (its original, which began earlier)."""
    latest = orphan.latest if orphan.content_time >= root.content_time else root.latest
    delta = diff_changes(root.headline, root.paragraphs, latest.item.headline, latest.item.paragraphs)
    kind = (
        orphan.latest.item.update_type
        if orphan.latest.item.update_type is not UpdateType.NEW
        else (UpdateType.DEVELOPMENT)
    )
    if orphan.withdrawn:
        kind = UpdateType.WITHDRAWAL
    number = root.story_version + 1
    digest = content_hash(latest.item)
    record = _record(root.story_id, number, latest, digest, kind)
    moved = [
        v.model_copy(update={"story_version": 0, "merged_from": orphan.story_id, "event_id": None})
        for v in orphan.versions
    ]
    record = record.model_copy(update={"merged_from": orphan.story_id})
    item_versions = dict(root.item_versions)
    for item_id, version in orphan.item_versions.items():
        item_versions[item_id] = max(version, item_versions.get(item_id, version))
    merged = root.model_copy(
        update={
            "story_version": number,
            "updated": max(root.updated, orphan.updated),
            "received": max(root.received, orphan.received),
            "created": min(root.created, orphan.created),
            "withdrawn": root.withdrawn or orphan.withdrawn,
            "content_time": max(root.content_time, orphan.content_time),
            "latest": latest,
            "fingerprint": orphan.fingerprint if latest is orphan.latest else root.fingerprint,
            "item_ids": [*root.item_ids, *(i for i in orphan.item_ids if i not in root.item_ids)],
            "item_versions": item_versions,
            "versions": [*root.versions, *moved, record],
            "last_event_id": record.event_id,
        }
    )
    retired = orphan.model_copy(update={"retired_into": root.story_id, "orphan": False})
    applied = Applied(record, latest, kind, delta, event_type="merge", retired=(orphan.story_id,))
    return merged, retired, applied
