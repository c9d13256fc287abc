"""The candidate index: which recent stories share rare terms with an item.

An inverted index from (shard, term) to story ids, holding only stories updated within the
linking window. Lookups touch the item's rarest terms only, so the cost per message does not
grow with the number of stories; eviction by a heap keeps memory bounded by the window, not by
history (evicted stories stay in the state table; only their index entries go).
"""

from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass

from schemas.story import Fingerprint


@dataclass(slots=True)
class Entry:
    story_id: str
    shard: str
    seen: float
    fingerprint: Fingerprint


class CandidateIndex:
    def __init__(self, window_seconds: float, probe_terms: int = 16, max_posting: int = 20_000) -> None:
        self.window = window_seconds
        self.probe_terms = probe_terms
        self.max_posting = max_posting
        self._postings: dict[tuple[str, str], set[str]] = {}
        self._entries: dict[str, Entry] = {}
        self._heap: list[tuple[float, str]] = []
        self._newest = 0.0

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, story_id: object) -> bool:
        return story_id in self._entries

    def upsert(self, story_id: str, shard: str, seen: float, fingerprint: Fingerprint) -> None:
        self.remove(story_id)
        entry = Entry(story_id, shard, seen, fingerprint)
        self._entries[story_id] = entry
        for term in fingerprint.terms:
            self._postings.setdefault((shard, term), set()).add(story_id)
        heapq.heappush(self._heap, (seen, story_id))
        if seen > self._newest:
            self._newest = seen
            self.evict()

    def remove(self, story_id: str) -> None:
        entry = self._entries.pop(story_id, None)
        if entry is None:
            return
        for term in entry.fingerprint.terms:
            key = (entry.shard, term)
            posting = self._postings.get(key)
            if posting is not None:
                posting.discard(story_id)
                if not posting:
                    del self._postings[key]

    def evict(self) -> int:
        """Drop entries older than the window behind the newest event time seen."""
        horizon = self._newest - self.window
        evicted = 0
        while self._heap and self._heap[0][0] < horizon:
            seen, story_id = heapq.heappop(self._heap)
            entry = self._entries.get(story_id)
            # Heap items of an entry updated since are stale: skip them.
            if entry is not None and entry.seen == seen:
                self.remove(story_id)
                evicted += 1
        return evicted

    def candidates(self, shard: str, fingerprint: Fingerprint, seen: float, limit: int) -> list[Entry]:
        """Up to ``limit`` stories of the shard within the window sharing the most rare terms."""
        postings = []
        for term in fingerprint.terms:
            posting = self._postings.get((shard, term))
            if posting and len(posting) <= self.max_posting:
                postings.append(posting)
        postings.sort(key=len)
        hits: Counter[str] = Counter()
        for posting in postings[: self.probe_terms]:
            hits.update(posting)
        out = []
        for story_id, _ in hits.most_common(limit * 2):
            entry = self._entries[story_id]
            if abs(entry.seen - seen) <= self.window:
                out.append(entry)
            if len(out) >= limit:
                break
        return out
