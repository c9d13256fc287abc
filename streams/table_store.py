"""The linker's ``StoryStore`` over two Faust tables (RocksDB locally, changelogged to Kafka).

Values are the pydantic models as JSON bytes. Table writes land in the changelog partition of
the message being processed; since ``wire.items`` is keyed by linking shard, a shard's stories
and item bindings live in one partition and move together on a rebalance.

Updates cluster on recent stories, so the last few thousand decoded states are kept: a read of a
story just written skips the JSON decode. The cache only mirrors this worker's own writes and is
cleared on every rebalance, when the tables may change under it.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

from schemas.story import StoryState


class TableStore:
    def __init__(self, stories: Any, items: Any, cache_size: int = 4096) -> None:
        self.stories = stories
        self.items = items
        self.cache_size = cache_size
        self._cache: OrderedDict[str, StoryState] = OrderedDict()

    def get(self, story_id: str) -> StoryState | None:
        state = self._cache.get(story_id)
        if state is not None:
            self._cache.move_to_end(story_id)
            return state
        raw = self.stories.get(story_id.encode())
        return StoryState.model_validate_json(raw) if raw else None

    def put(self, state: StoryState) -> None:
        self.stories[state.story_id.encode()] = state.model_dump_json().encode()
        self._cache[state.story_id] = state
        self._cache.move_to_end(state.story_id)
        if len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)

    def clear_cache(self) -> None:
        self._cache.clear()

    def story_for_item(self, item_id: str) -> str | None:
        raw = self.items.get(item_id.encode())
        return raw.decode() if raw else None

    def bind_item(self, item_id: str, story_id: str) -> None:
        self.items[item_id.encode()] = story_id.encode()

    def states(self) -> Iterator[StoryState]:
        for _, raw in self.stories.items():
            if raw:
                yield StoryState.model_validate_json(raw)

    def __len__(self) -> int:
        return len(self.stories)
