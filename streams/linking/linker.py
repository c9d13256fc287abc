"""The story linker: find an item's story and decide what the item means there.

Order of evidence, strongest first: the agency's item id (same id, same story), an explicit link
to an earlier item (``irel:previousVersion``, ``evolvedfrom``, ``derivedfrom``), then text. Among
recent stories of the same shard (agency family and language) within the window, found through
the candidate index, the best-scoring one is taken when:

* it is a near-identical item (another rendition of the same item): joins without any marker;
* the item carries an update marker (ROUNDUP, ``(neu: ...)``, WDH, Writethru, ...) and the score
  clears the join threshold;
* the item is a withdrawal whose text quotes the story's headline;
* the candidate is an *orphan* (a story started by an update) that began after this item and the
  score clears the join threshold: this item is the original, and the orphan merges into it.

Anything else starts a new story. ``decide`` is side-effect free; ``commit`` writes the result.
The edge calls ``commit`` only after the events are acknowledged by the broker, so state never
gets ahead of what consumers have seen: a redelivered message either finds its version in the
state (its event is out: a duplicate, dropped) or does not (same decision, identical events).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from schemas.events import LinkEvidence, LinkReason
from schemas.story import Fingerprint, StoryIndexView, StoryState
from schemas.wire import WireItem
from streams.linking.index import CandidateIndex, Row
from streams.linking.merge import (
    Applied,
    apply_version,
    content_hash,
    event_time,
    has_marker,
    is_late,
    is_withdrawal,
    merge,
    new_story,
    record_late,
)
from streams.linking.normalize import SKETCH_SIZE, fingerprint
from streams.linking.score import containment, probe, score
from streams.linking.store import StoryStore

Outcome = Literal["new_story", "new_version", "duplicate", "stale", "merge"]
_MAX_FORWARDS = 16


@dataclass(frozen=True, slots=True)
class LinkerConfig:
    window_hours: float = 72.0
    join_threshold: float = 0.35
    duplicate_threshold: float = 0.60  # on the shingle sketch's Jaccard estimate
    kill_quote_threshold: float = 0.8
    candidates: int = 5
    probe_terms: int = 16  # postings probed per item, rarest first
    posting_cap: int = 32  # most recent stories kept per (shard, term)


@dataclass(frozen=True, slots=True)
class LinkResult:
    outcome: Outcome
    state: StoryState
    evidence: LinkEvidence
    applied: tuple[Applied, ...] = ()
    retired: tuple[StoryState, ...] = ()
    bindings: tuple[str, ...] = ()

    @property
    def publishes(self) -> bool:
        return bool(self.applied)


@dataclass(frozen=True, slots=True)
class _Found:
    story_id: str | None
    evidence: LinkEvidence
    merge_orphan: str | None = None


class Linker:
    def __init__(self, store: StoryStore, config: LinkerConfig | None = None) -> None:
        self.store = store
        self.config = config or LinkerConfig()
        self.index = self._empty_index()

    def _empty_index(self) -> CandidateIndex:
        cfg = self.config
        return CandidateIndex(cfg.window_hours * 3600, cfg.probe_terms, cfg.posting_cap)

    def rebuild(self, states: Iterable[StoryState] | None = None) -> int:
        """Refill the candidate index from stored state (after a restart or a rebalance).

        States stream through one at a time (a worker may hold millions), in any order: the index
        keeps only their packed fingerprints, and the rebuilt index is the one a linker that ran
        on would hold, so it decides alike with alike evidence (tests/unit/linking/test_rebuild.py).
        """
        return self._rebuild(_row(s) for s in (states if states is not None else self.store.states()))

    def rebuild_from_json(self, raws: Iterable[bytes | None]) -> int:
        """``rebuild`` from the states' JSON as stored (the table's values; empty ones skipped):
        decodes only the fields the index needs (``StoryIndexView``), skipping content and version
        history (4.2 s instead of 6.9 s for 100,000 states of 7.3 KB: bench/README.md)."""
        return self._rebuild(_json_rows(raws))

    def _rebuild(self, rows: Iterable[Row | None]) -> int:
        self.index = self._empty_index()
        return self.index.rebuild(row for row in rows if row is not None)

    def decide(self, wire: WireItem) -> LinkResult:
        item = wire.item
        fp = fingerprint(item, wire.enrichment)
        digest = content_hash(item)
        found = self._find(wire, fp)
        state = self.store.get(found.story_id) if found.story_id else None
        if state is None:
            root, applied = new_story(wire, fp, digest)
            orphan = self.store.get(found.merge_orphan) if found.merge_orphan else None
            if orphan is None or orphan.retired_into is not None:
                return LinkResult("new_story", root, found.evidence, (applied,), bindings=(item.item_id,))
            merged, retired, merge_applied = merge(root, orphan)
            return LinkResult(
                "merge",
                merged,
                found.evidence,
                (applied, merge_applied),
                (retired,),
                bindings=tuple(merged.item_ids),
            )
        for seen in state.versions:
            if (seen.item_id, seen.item_version, seen.content_hash) == (item.item_id, item.version, digest):
                return LinkResult("duplicate", state, found.evidence)
        if is_late(state, wire):
            return LinkResult("stale", record_late(state, wire, digest), found.evidence)
        updated, applied = apply_version(state, wire, fp, digest)
        return LinkResult("new_version", updated, found.evidence, (applied,), bindings=(item.item_id,))

    def commit(self, result: LinkResult) -> None:
        state = result.state
        self.store.put(state)
        for retired in result.retired:
            self.store.put(retired)
            self.index.remove(retired.story_id)
        for item_id in result.bindings:
            self.store.bind_item(item_id, state.story_id)
        if result.publishes:
            self._index(state)

    def _index(self, state: StoryState) -> None:
        row = _row(state)
        if row is not None:
            self.index.upsert(*row)

    def resolve(self, story_id: str | None) -> str | None:
        """Follow merges: a retired story id forwards to the story it was merged into."""
        for _ in range(_MAX_FORWARDS):
            state = self.store.get(story_id) if story_id else None
            if state is None or state.retired_into is None:
                return story_id
            story_id = state.retired_into
        return story_id

    def _find(self, wire: WireItem, fp: Fingerprint) -> _Found:
        item = wire.item
        story_id = self.resolve(self.store.story_for_item(item.item_id))
        if story_id:
            return _Found(story_id, LinkEvidence(reason="explicit_id", detail=item.item_id))
        for previous in item.previous_ids:
            story_id = self.resolve(self.store.story_for_item(previous))
            if story_id:
                return _Found(story_id, LinkEvidence(reason="explicit_link", detail=previous))
        return self._by_text(wire, fp)

    def _by_text(self, wire: WireItem, fp: Fingerprint) -> _Found:
        item = wire.item
        cfg = self.config
        when = event_time(wire)
        # The window runs on arrival time: agency version times can be far off (embargoes, re-sends).
        arrived = wire.source.received_at.timestamp()
        packed = self.index.compact(fp)
        # Candidates are scored on their index entries; only the chosen story's state is loaded.
        weighed = probe(packed, self.index.weights(wire.shard))
        scored = [
            (score(weighed, entry.print, SKETCH_SIZE), entry)
            for entry in self.index.candidates(wire.shard, packed, arrived, cfg.candidates)
        ]
        if not scored:
            return _Found(None, LinkEvidence(reason="new_story"))
        best, entry = max(scored, key=lambda pair: pair[0].total)
        detail = (
            f"shingles={best.shingles} containment={best.containment} headline={best.headline} "
            f"same_place={best.same_place} names={best.names}"
        )

        def joined(reason: LinkReason, threshold: float, value: float | None = None) -> _Found:
            total = best.total if value is None else value
            return _Found(
                entry.story_id,
                LinkEvidence(
                    reason=reason, score=total, candidate=entry.story_id, threshold=threshold, detail=detail
                ),
            )

        # Another rendition of the same item shares its sentences: judged on the word-3-gram sketch
        # alone, since look-alike stories (same template, same people) share vocabulary but not text.
        if best.shingles >= cfg.duplicate_threshold and best.same_place is not False and best.names != 0.0:
            return joined("near_duplicate", cfg.duplicate_threshold, best.shingles)
        if is_withdrawal(item):
            quoted = containment(entry.print.headline, packed.terms)
            if quoted >= cfg.kill_quote_threshold:
                return joined("update_marker", cfg.kill_quote_threshold, quoted)
        if best.total >= cfg.join_threshold:
            if entry.orphan and entry.created > when.timestamp():
                return _Found(
                    None,
                    LinkEvidence(
                        reason="merge",
                        score=best.total,
                        candidate=entry.story_id,
                        threshold=cfg.join_threshold,
                        detail=detail,
                    ),
                    merge_orphan=entry.story_id,
                )
            if has_marker(item):
                return joined("update_marker", cfg.join_threshold)
        return _Found(
            None,
            LinkEvidence(
                reason="new_story",
                candidate=entry.story_id,
                candidate_score=best.total,
                threshold=cfg.join_threshold if has_marker(item) else cfg.duplicate_threshold,
                detail=detail,
            ),
        )


def _row(state: StoryState | StoryIndexView) -> Row | None:
    """What the index keeps of a story; None for a retired one (merged away: never a candidate)."""
    if state.retired_into is not None:
        return None
    return (
        state.story_id,
        state.shard,
        state.received.timestamp(),
        state.fingerprint,
        state.created.timestamp(),
        state.orphan,
    )


def _json_rows(raws: Iterable[bytes | None]) -> Iterator[Row | None]:
    for raw in raws:
        if raw:
            yield _row(StoryIndexView.model_validate_json(raw))
