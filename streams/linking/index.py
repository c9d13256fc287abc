"""The candidate index: which recent stories share terms with an item.

An inverted index from (shard, term) to the most recent story ids using that term, holding only
stories seen within the linking window. Two bounds keep the cost per message flat however many
stories are in the window: a posting keeps only its ``posting_cap`` most recent stories (a term
used by more recent stories than that does not tell stories apart, and updates follow their
story closely in time), and a lookup probes at most ``probe_terms`` postings. Entries hold a
compact copy of the fingerprint (term ids and the sketch as packed arrays), so a million stories
fit in memory; eviction by a heap keeps memory bounded by the window, not by history (evicted
stories stay in the state table; only their index entries go).
"""

from __future__ import annotations

import heapq
import math
from array import array
from collections.abc import Callable
from dataclasses import dataclass

from schemas.story import Fingerprint


@dataclass(slots=True)
class Compact:
    """A fingerprint packed for the index: term ids instead of strings, arrays instead of tuples."""

    terms: array[int]
    headline: array[int]
    sketch: array[int]
    place: str | None
    names: tuple[str, ...]
    # Rarity-weighted mass of the distinct terms and headline terms: computed once (for a story,
    # with the weights at the time it was indexed), so a comparison only weighs shared terms.
    mass: float = 0.0
    headline_mass: float = 0.0


@dataclass(slots=True)
class Entry:
    """An indexed story: enough to score it and to decide a merge without loading its state."""

    story_id: str
    shard: str
    seen: float
    print: Compact
    created: float
    orphan: bool


class CandidateIndex:
    def __init__(self, window_seconds: float, probe_terms: int = 16, posting_cap: int = 32) -> None:
        self.window = window_seconds
        self.probe_terms = probe_terms
        self.posting_cap = posting_cap
        self._vocabulary: dict[str, int] = {}
        self._postings: dict[tuple[str, int], dict[str, None]] = {}
        # Document frequency per (shard, term) over the stories in the window, and stories per shard:
        # rare terms (names, numbers) weigh more than the vocabulary every story of a kind shares.
        self._df: dict[tuple[str, int], int] = {}
        self._shard_size: dict[str, int] = {}
        self._entries: dict[str, Entry] = {}
        self._heap: list[tuple[float, str]] = []
        self._newest = 0.0

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, story_id: object) -> bool:
        return story_id in self._entries

    def _ids(self, terms: tuple[str, ...], add: bool) -> array[int]:
        vocabulary = self._vocabulary
        out = array("I")
        unseen = len(vocabulary)
        for term in terms:
            term_id = vocabulary.get(term)
            if term_id is None:
                if add:
                    term_id = vocabulary[term] = len(vocabulary)
                else:
                    # A term no story has: an id past the vocabulary, so it counts but never matches.
                    term_id, unseen = unseen, unseen + 1
            out.append(term_id)
        return out

    def compact(self, fingerprint: Fingerprint, add: bool = False) -> Compact:
        """Pack a fingerprint; ``add`` registers unknown terms (for stories, not for probing items)."""
        return Compact(
            terms=self._ids(fingerprint.terms, add),
            headline=self._ids(fingerprint.headline_terms, add),
            sketch=array("I", fingerprint.sketch),
            place=fingerprint.place,
            names=fingerprint.names,
        )

    def upsert(
        self, story_id: str, shard: str, seen: float, fingerprint: Fingerprint, created: float, orphan: bool
    ) -> None:
        self.remove(story_id)
        packed = self.compact(fingerprint, add=True)
        self._entries[story_id] = Entry(story_id, shard, seen, packed, created, orphan)
        self._shard_size[shard] = self._shard_size.get(shard, 0) + 1
        df = self._df
        for term_id in set(packed.terms):
            df[(shard, term_id)] = df.get((shard, term_id), 0) + 1
        self.weigh(packed, self.weigher(shard))
        cap = self.posting_cap
        for term_id in packed.terms:
            posting = self._postings.setdefault((shard, term_id), {})
            posting[story_id] = None
            if len(posting) > cap:
                del posting[next(iter(posting))]
        heapq.heappush(self._heap, (seen, story_id))
        if seen > self._newest:
            self._newest = seen
            self.evict()

    def remove(self, story_id: str) -> None:
        entry = self._entries.pop(story_id, None)
        if entry is None:
            return
        self._shard_size[entry.shard] -= 1
        df = self._df
        for term_id in set(entry.print.terms):
            key = (entry.shard, term_id)
            remaining = df.get(key, 1) - 1
            if remaining > 0:
                df[key] = remaining
            else:
                df.pop(key, None)
        for term_id in entry.print.terms:
            key = (entry.shard, term_id)
            posting = self._postings.get(key)
            if posting is not None:
                posting.pop(story_id, None)
                if not posting:
                    del self._postings[key]

    def evict(self) -> int:
        """Drop entries older than the window behind the newest arrival time seen."""
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

    @staticmethod
    def weigh(packed: Compact, weight: Callable[[int], float]) -> Compact:
        """Set the weighted masses of a packed fingerprint (in place) and return it."""
        packed.mass = sum(map(weight, set(packed.terms)))
        packed.headline_mass = sum(map(weight, set(packed.headline)))
        return packed

    def weigher(self, shard: str) -> Callable[[int], float]:
        """Inverse document frequency of a term among the shard's window stories (cached per call)."""
        stories = self._shard_size.get(shard, 0)
        df = self._df
        cache: dict[int, float] = {}

        def weight(term_id: int) -> float:
            value = cache.get(term_id)
            if value is None:
                value = cache[term_id] = math.log(1.0 + (stories + 1) / (1 + df.get((shard, term_id), 0)))
            return value

        return weight

    def candidates(self, shard: str, item: Compact, seen: float, limit: int) -> list[Entry]:
        """Up to ``limit`` stories of the shard within the window sharing the most probed terms."""
        postings = [p for t in item.terms if (p := self._postings.get((shard, t)))]
        postings.sort(key=len)
        # A shared rare term is stronger evidence than a shared common one: each probed posting
        # adds 1 / its size to the stories in it.
        hits: dict[str, float] = {}
        for posting in postings[: self.probe_terms]:
            share = 1.0 / len(posting)
            for story_id in posting:
                hits[story_id] = hits.get(story_id, 0.0) + share
        out = []
        for story_id in heapq.nlargest(limit * 2, hits, key=hits.__getitem__):
            entry = self._entries[story_id]
            if abs(entry.seen - seen) <= self.window:
                out.append(entry)
                if len(out) >= limit:
                    break
        return out
