"""The linker's ``StoryStore`` over two Faust tables (RocksDB locally, changelogged to Kafka).

Values are the pydantic models as JSON bytes. Table writes land in the changelog partition of
the message being processed; since ``wire.items`` is keyed by linking shard, a shard's stories
and item bindings live in one partition and move together on a rebalance.

Updates cluster on recent stories, so the last few thousand decoded states are kept: a read of a
story just written skips the JSON decode. The cache only mirrors this worker's own writes and is
cleared on every rebalance, when the tables may change under it.

A batch of messages is linked before its events are sent (one acknowledged round trip per batch),
but state may only be written once they are acknowledged. Between ``begin`` and ``flush`` writes
are held here, visible to the batch's later reads, and ``flush`` writes them to the tables, each
under the Faust event of the message that made it: Faust picks the changelog partition (and the
RocksDB partition) from the current event, and a batch spans partitions. ``discard`` drops them.
"""

from __future__ import annotations

import weakref
from collections import OrderedDict
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

from faust.streams import _current_event

from schemas.story import StoryState


class TableStore:
    def __init__(self, stories: Any, items: Any, cache_size: int = 4096) -> None:
        self.stories = stories
        self.items = items
        self.cache_size = cache_size
        self._cache: OrderedDict[str, StoryState] = OrderedDict()
        self._held: dict[str, tuple[StoryState, Any]] | None = None
        self._held_items: dict[str, tuple[str, Any]] = {}
        self.event: Any = None
        """The Faust event whose writes are being held (set by the agent per message)."""

    def begin(self) -> None:
        """Hold writes until ``flush`` or ``discard``."""
        self._held = {}
        self._held_items = {}

    def flush(self) -> None:
        held, items = self._held or {}, self._held_items
        self._held, self._held_items = None, {}
        for state, event in held.values():
            with _as_current(event):
                self.put(state)
        for item_id, (story_id, event) in items.items():
            with _as_current(event):
                self.bind_item(item_id, story_id)

    def discard(self) -> None:
        self._held, self._held_items = None, {}

    def get(self, story_id: str) -> StoryState | None:
        if self._held is not None and story_id in self._held:
            return self._held[story_id][0]
        state = self._cache.get(story_id)
        if state is not None:
            self._cache.move_to_end(story_id)
            return state
        raw = self.stories.get(story_id.encode())
        return StoryState.model_validate_json(raw) if raw else None

    def put(self, state: StoryState) -> None:
        if self._held is not None:
            self._held[state.story_id] = (state, self.event)
            return
        self.stories[state.story_id.encode()] = state.model_dump_json().encode()
        self._cache[state.story_id] = state
        self._cache.move_to_end(state.story_id)
        if len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)

    def clear_cache(self) -> None:
        self._cache.clear()

    def story_for_item(self, item_id: str) -> str | None:
        held = self._held_items.get(item_id)
        if held is not None:
            return held[0]
        raw = self.items.get(item_id.encode())
        return raw.decode() if raw else None

    def bind_item(self, item_id: str, story_id: str) -> None:
        if self._held is not None:
            self._held_items[item_id] = (story_id, self.event)
            return
        self.items[item_id.encode()] = story_id.encode()

    def raw_states(self) -> Iterator[bytes]:
        """The stored JSON of every state, undecoded (for ``Linker.rebuild_from_json``)."""
        for _, raw in self.stories.items():
            if raw:
                yield raw

    def states(self) -> Iterator[StoryState]:
        for _, raw in self.stories.items():
            if raw:
                yield StoryState.model_validate_json(raw)

    def __len__(self) -> int:
        return len(self.stories)


class PartitionEvent:
    """Stands in for a Faust event when a write's partition is not that of the message being
    processed: Faust reads only ``message.topic`` and ``message.partition`` of the current event
    to choose the changelog partition and the RocksDB database of a table write."""

    __slots__ = ("__weakref__", "message")

    def __init__(self, topic: str, partition: int) -> None:
        self.message = SimpleNamespace(topic=topic, partition=partition)


class _as_current:
    """Faust's current event for the duration of a table write (None: leave it as it is)."""

    def __init__(self, event: Any) -> None:
        self.event = event
        self.token: Any = None

    def __enter__(self) -> None:
        if self.event is not None:
            self.token = _current_event.set(weakref.ref(self.event))

    def __exit__(self, *exc: object) -> None:
        if self.token is not None:
            _current_event.reset(self.token)
