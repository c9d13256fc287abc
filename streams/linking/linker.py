"""The story linker: find an item's story, decide what the item means there, update the state.

Order of evidence, strongest first: the agency's item id (same id, same story), an explicit link
to an earlier item (``irel:previousVersion``, ``evolvedfrom``, ``derivedfrom``), then text: a
near-identical item (another rendition of the same item) joins without any marker, an item with
an update marker joins when its score against a recent story of the same shard clears the
threshold; anything else starts a new story.

``decide`` is side-effect free and returns the new state; ``commit`` writes it. The edge calls
``commit`` only after the story event is acknowledged by the broker, so state never gets ahead of
what consumers have seen: a message redelivered after a crash either finds its version in the
state (its event is out: a duplicate, dropped) or does not (same decision, identical event).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from schemas.events import Changes, LinkEvidence, LinkReason
from schemas.item import ParsedItem, UpdateType
from schemas.story import Fingerprint, StoryState, VersionRecord
from schemas.wire import WireItem
from streams.linking.diff import changes as diff_changes
from streams.linking.index import CandidateIndex
from streams.linking.normalize import SKETCH_SIZE, fingerprint
from streams.linking.score import score
from streams.linking.store import StoryStore

Outcome = Literal["new_story", "new_version", "duplicate", "stale"]


@dataclass(frozen=True, slots=True)
class LinkerConfig:
    window_hours: float = 72.0
    join_threshold: float = 0.35
    duplicate_threshold: float = 0.60
    candidates: int = 5


@dataclass(frozen=True, slots=True)
class LinkResult:
    outcome: Outcome
    state: StoryState
    update_type: UpdateType
    evidence: LinkEvidence
    version: VersionRecord
    changes: Changes | None = None
    bindings: tuple[str, ...] = ()

    @property
    def publishes(self) -> bool:
        return self.outcome in ("new_story", "new_version")


def content_hash(item: ParsedItem) -> str:
    text = "\x1e".join((item.pubstatus, item.headline, *item.paragraphs))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def event_id(story_id: str, story_version: int, item_id: str, item_version: int | None, digest: str) -> str:
    key = f"{story_id}|{story_version}|{item_id}|{item_version}|{digest}"
    return "ev-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def story_id_for(shard: str, item_id: str) -> str:
    return "st-" + hashlib.sha256(f"{shard}|{item_id}".encode()).hexdigest()[:24]


def _is_withdrawal(item: ParsedItem) -> bool:
    return item.pubstatus == "canceled" or item.update_type is UpdateType.WITHDRAWAL


class Linker:
    def __init__(self, store: StoryStore, config: LinkerConfig | None = None) -> None:
        self.store = store
        self.config = config or LinkerConfig()
        self.index = CandidateIndex(self.config.window_hours * 3600)

    def rebuild(self, states: Iterable[StoryState] | None = None) -> int:
        """Refill the candidate index from stored state (after a restart or a rebalance)."""
        self.index = CandidateIndex(self.config.window_hours * 3600)
        count = 0
        for state in states if states is not None else self.store.states():
            if state.retired_into is None:
                self.index.upsert(state.story_id, state.shard, state.updated.timestamp(), state.fingerprint)
                count += 1
        return count

    def decide(self, wire: WireItem) -> LinkResult:
        item = wire.item
        when = item.version_created or wire.source.received_at
        fp = fingerprint(item)
        digest = content_hash(item)
        story_id, evidence = self._find(wire, fp, when)
        state = self.store.get(story_id) if story_id else None
        source_ref = _source_ref(wire)
        if state is None:
            new_id = story_id_for(wire.shard, item.item_id)
            kind = UpdateType.WITHDRAWAL if _is_withdrawal(item) else UpdateType.NEW
            version = VersionRecord(
                story_version=1,
                item_id=item.item_id,
                item_version=item.version,
                content_hash=digest,
                update_type=kind,
                event_time=when,
                source_ref=source_ref,
                event_id=event_id(new_id, 1, item.item_id, item.version, digest),
            )
            state = StoryState(
                story_id=new_id,
                shard=wire.shard,
                created=when,
                updated=when,
                story_version=1,
                withdrawn=kind is UpdateType.WITHDRAWAL,
                headline=item.headline,
                paragraphs=item.paragraphs,
                item_ids=[item.item_id],
                item_versions=_versions(item),
                versions=[version],
                fingerprint=fp,
                last_event_id=version.event_id,
            )
            return LinkResult("new_story", state, kind, evidence, version, None, (item.item_id,))
        for seen in state.versions:
            if (seen.item_id, seen.item_version, seen.content_hash) == (item.item_id, item.version, digest):
                return LinkResult("duplicate", state, seen.update_type, evidence, seen)
        known = state.item_versions.get(item.item_id)
        if state.withdrawn or (item.version is not None and known is not None and item.version <= known):
            # Recorded, never applied: a late copy of an older version cannot replace newer content
            # nor bring a withdrawn story back.
            stale = VersionRecord(
                story_version=0,
                item_id=item.item_id,
                item_version=item.version,
                content_hash=digest,
                update_type=item.update_type,
                event_time=when,
                source_ref=source_ref,
            )
            recorded = state.model_copy(update={"versions": [*state.versions, stale]})
            return LinkResult("stale", recorded, item.update_type, evidence, stale)
        delta = diff_changes(state.headline, state.paragraphs, item.headline, item.paragraphs)
        kind = _update_type(item, state, delta)
        number = state.story_version + 1
        version = VersionRecord(
            story_version=number,
            item_id=item.item_id,
            item_version=item.version,
            content_hash=digest,
            update_type=kind,
            event_time=when,
            source_ref=source_ref,
            event_id=event_id(state.story_id, number, item.item_id, item.version, digest),
        )
        item_versions = dict(state.item_versions)
        item_versions.update(_versions(item))
        updated = state.model_copy(
            update={
                "story_version": number,
                "updated": max(state.updated, when),
                "withdrawn": kind is UpdateType.WITHDRAWAL,
                "headline": item.headline,
                "paragraphs": item.paragraphs,
                "item_ids": state.item_ids
                if item.item_id in state.item_ids
                else [*state.item_ids, item.item_id],
                "item_versions": item_versions,
                "versions": [*state.versions, version],
                "fingerprint": fp,
                "last_event_id": version.event_id,
            }
        )
        return LinkResult("new_version", updated, kind, evidence, version, delta, (item.item_id,))

    def commit(self, result: LinkResult) -> None:
        state = result.state
        self.store.put(state)
        for item_id in result.bindings:
            self.store.bind_item(item_id, state.story_id)
        if result.publishes:
            self.index.upsert(state.story_id, state.shard, state.updated.timestamp(), state.fingerprint)

    def _find(self, wire: WireItem, fp: Fingerprint, when: datetime) -> tuple[str | None, LinkEvidence]:
        item = wire.item
        story_id = self._resolve(self.store.story_for_item(item.item_id))
        if story_id:
            return story_id, LinkEvidence(reason="explicit_id", detail=item.item_id)
        for previous in item.previous_ids:
            story_id = self._resolve(self.store.story_for_item(previous))
            if story_id:
                return story_id, LinkEvidence(reason="explicit_link", detail=previous)
        return self._by_text(wire, fp, when)

    def _by_text(self, wire: WireItem, fp: Fingerprint, when: datetime) -> tuple[str | None, LinkEvidence]:
        item = wire.item
        best_id, best = None, None
        for entry in self.index.candidates(wire.shard, fp, when.timestamp(), self.config.candidates):
            result = score(fp, entry.fingerprint, SKETCH_SIZE)
            if best is None or result.total > best.total:
                best_id, best = entry.story_id, result
        if best is None:
            return None, LinkEvidence(reason="new_story")
        detail = (
            f"shingles={best.shingles} containment={best.containment} headline={best.headline} "
            f"same_place={best.same_place}"
        )
        cfg = self.config
        if best.total >= cfg.duplicate_threshold:
            return best_id, _evidence("near_duplicate", best.total, best_id, cfg.duplicate_threshold, detail)
        has_marker = item.update_type is not UpdateType.NEW or item.update_seq is not None
        if has_marker and best.total >= cfg.join_threshold:
            return best_id, _evidence("update_marker", best.total, best_id, cfg.join_threshold, detail)
        return None, LinkEvidence(
            reason="new_story",
            candidate=best_id,
            candidate_score=best.total,
            threshold=cfg.join_threshold if has_marker else cfg.duplicate_threshold,
            detail=detail,
        )

    def _resolve(self, story_id: str | None) -> str | None:
        """Follow merges: a retired story id forwards to the story it was merged into."""
        hops = 0
        while story_id is not None and hops < 16:
            state = self.store.get(story_id)
            if state is None or state.retired_into is None:
                return story_id
            story_id, hops = state.retired_into, hops + 1
        return story_id


def _evidence(
    reason: LinkReason, total: float, candidate: str | None, threshold: float, detail: str
) -> LinkEvidence:
    return LinkEvidence(reason=reason, score=total, candidate=candidate, threshold=threshold, detail=detail)


def _versions(item: ParsedItem) -> dict[str, int]:
    return {item.item_id: item.version} if item.version is not None else {}


def _source_ref(wire: WireItem) -> str | None:
    src = wire.source
    if src.topic is None:
        return None
    return f"{src.topic}/{src.partition}/{src.offset}/{src.index_in_message}"


def _update_type(item: ParsedItem, state: StoryState, delta: Changes) -> UpdateType:
    if _is_withdrawal(item):
        return UpdateType.WITHDRAWAL
    if item.update_type is not UpdateType.NEW:
        return item.update_type
    if not delta.headline_changed and not (
        delta.paragraphs_added or delta.paragraphs_changed or delta.paragraphs_removed
    ):
        return UpdateType.RESEND
    if (
        not delta.headline_changed
        and not delta.paragraphs_added
        and not delta.paragraphs_removed
        and delta.paragraphs_changed <= 1
    ):
        return UpdateType.MINOR
    return UpdateType.DEVELOPMENT
