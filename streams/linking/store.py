"""Where story state lives, as seen by the linker.

The linker reads and writes through this small protocol; the in-process pipeline uses the dict
store below, the Faust worker an adapter over its RocksDB-backed tables. The item binding
(item id to story id) is durable: an agency id means the same story however old the story is,
while the candidate index only covers the linking window.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from schemas.story import StoryState


class StoryStore(Protocol):
    def get(self, story_id: str) -> StoryState | None: ...

    def put(self, state: StoryState) -> None: ...

    def story_for_item(self, item_id: str) -> str | None: ...

    def bind_item(self, item_id: str, story_id: str) -> None: ...

    def states(self) -> Iterator[StoryState]: ...


class MemoryStore:
    def __init__(self) -> None:
        self.stories: dict[str, StoryState] = {}
        self.items: dict[str, str] = {}

    def get(self, story_id: str) -> StoryState | None:
        return self.stories.get(story_id)

    def put(self, state: StoryState) -> None:
        self.stories[state.story_id] = state

    def story_for_item(self, item_id: str) -> str | None:
        return self.items.get(item_id)

    def bind_item(self, item_id: str, story_id: str) -> None:
        self.items[item_id] = story_id

    def states(self) -> Iterator[StoryState]:
        return iter(list(self.stories.values()))
