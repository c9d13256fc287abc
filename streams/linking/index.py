"""The candidate index: which recent stories share terms with an item.

An inverted index from (shard, term) to the most recent story ids using that term, holding only
stories seen within the linking window. Two bounds keep the cost per message flat however many
stories are in the window: a posting keeps only its ``posting_cap`` most recent stories (a term
used by more recent stories than that does not tell stories apart, and updates follow their
story closely in time), and a lookup probes at most ``probe_terms`` postings. Entries hold a
compact copy of the fingerprint (term ids and the sketch as packed arrays), so a million stories
fit in memory; eviction by a heap keeps memory bounded by the window, not by history (evicted
stories stay in the state table; only their index entries go, and with them the term ids no other
entry uses: ``vocabulary.py``).

Everything a lookup or a score reads is a function of the *set* of indexed stories, never of the
order they came in: a worker rebuilds the index from its state table after every restart and
rebalance, and must then decide exactly as the worker that built it message by message would.
So a posting is the ``posting_cap`` largest (seen, story id) of the stories with the term (not the
last ones inserted), rarity weights are read from the current document frequencies when a
candidate is scored (not frozen when it was indexed), weight sums are exact (``math.fsum``: term
ids depend on history, and with them the order a sum runs in), and a story older than the window
is never indexed (a rebuild would evict it). Each shard keeps its own window clock (its newest
arrival): a worker's index then holds the same stories of a shard whichever other shards a
rebalance gave it.
"""

from __future__ import annotations

import gc
import heapq
from array import array
from bisect import bisect_left, insort
from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import attrgetter, itemgetter

from schemas.story import Fingerprint
from streams.linking.vocabulary import Vocabulary
from streams.linking.weights import Weights, WeightTables


@dataclass(slots=True)
class Compact:
    """A fingerprint packed for the index: term ids instead of strings, arrays instead of tuples.

    ``terms`` and ``headline`` hold distinct ids, so weight sums run over them without a set."""

    terms: array[int]
    headline: array[int]
    sketch: array[int]
    place: str | None
    names: tuple[str, ...]


@dataclass(slots=True)
class Entry:
    """An indexed story: enough to score it and to decide a merge without loading its state."""

    story_id: str
    shard: str
    seen: float
    print: Compact
    created: float
    orphan: bool


# What the index needs of a stored story: story id, shard, seen (received), fingerprint, created,
# orphan.
Row = tuple[str, str, float, Fingerprint, float, bool]


@dataclass(slots=True)
class _Shard:
    size: int = 0
    # Document frequency per term over the shard's stories in the window: rare terms (names,
    # numbers) weigh more than the vocabulary every story of a kind shares.
    df: dict[int, int] = field(default_factory=dict)
    # Per term: story id -> seen, ascending by (seen, story id). Either the cap largest of the
    # stories with the term, or, after a removal from a full posting, the largest few of them
    # (``_refill`` completes it when probed; the next story with the term usually does first).
    postings: dict[int, dict[str, float]] = field(default_factory=dict)
    # Every (seen, story id) indexed, ascending, for the refill's scan; keys of removed entries
    # stay until the list is compacted.
    order: list[tuple[float, str]] = field(default_factory=list)
    # (seen, story id) of every entry, for eviction; items of entries updated since are skipped.
    heap: list[tuple[float, str]] = field(default_factory=list)
    newest: float = 0.0  # latest arrival indexed: the window ends here


def _posting_insert(posting: dict[str, float], story_id: str, seen: float) -> None:
    """The rare out-of-order insert: re-sort the (at most cap + 1) members."""
    members = sorted([*posting.items(), (story_id, seen)], key=lambda member: (member[1], member[0]))
    posting.clear()
    posting.update(members)


class CandidateIndex:
    def __init__(self, window_seconds: float, probe_terms: int = 16, posting_cap: int = 32) -> None:
        self.window = window_seconds
        self.probe_terms = probe_terms
        self.posting_cap = posting_cap
        self._vocabulary = Vocabulary()
        self._shards: dict[str, _Shard] = {}
        self._entries: dict[str, Entry] = {}
        self._weight_tables = WeightTables()

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, story_id: object) -> bool:
        return story_id in self._entries

    def compact(self, fingerprint: Fingerprint, add: bool = False) -> Compact:
        """Pack a fingerprint; ``add`` registers unknown terms (for stories about to be indexed, not
        for probing items: a registered term lives only as long as an entry holds it)."""
        unseen: dict[str, int] = {}
        ids = self._vocabulary.ids
        return Compact(
            terms=ids(fingerprint.terms, add, unseen),
            headline=ids(fingerprint.headline_terms, add, unseen),
            sketch=array("I", fingerprint.sketch),
            place=fingerprint.place,
            names=fingerprint.names,
        )

    def upsert(
        self, story_id: str, shard: str, seen: float, fingerprint: Fingerprint, created: float, orphan: bool
    ) -> None:
        self.remove(story_id)
        part = self._shards.get(shard)
        if part is not None and seen < part.newest - self.window:
            return
        self._insert(Entry(story_id, shard, seen, self.compact(fingerprint, add=True), created, orphan))

    def rebuild(self, rows: Iterable[Row]) -> int:
        """Fill an empty index from stored stories, in any order: the result is the index a worker
        that indexed them one by one would hold. Packed entries are kept, never the states; they
        go in by (seen, story id), so every posting only ever appends."""
        if self._entries:
            raise ValueError("rebuild fills an empty index")
        # Hundreds of thousands of long-lived objects built in one go, none in a cycle: the cyclic
        # GC would scan them over and over while they pile up (a third of the rebuild time).
        collecting = gc.isenabled()
        gc.disable()
        try:
            return self._load(rows)
        finally:
            if collecting:
                gc.enable()

    def _load(self, rows: Iterable[Row]) -> int:
        window, vocabulary = self.window, self._vocabulary
        newest: dict[str, float] = {}
        entries: list[Entry] = []

        def in_window(entries: list[Entry]) -> list[Entry]:
            kept = [e for e in entries if e.seen >= newest[e.shard] - window]
            if len(kept) < len(entries):
                # The entries that fall out let go of their terms (most registered for them alone).
                for e in entries:
                    if e.seen < newest[e.shard] - window:
                        vocabulary.release(e.print.terms, e.print.headline)
            return kept

        prune_at = 4096
        for story_id, shard, seen, fingerprint, created, orphan in rows:
            latest = newest.get(shard, seen)
            if seen < latest - window:
                continue
            packed = self.compact(fingerprint, add=True)
            # Pending entries hold their terms like indexed ones: a pruned one's terms go at once.
            vocabulary.acquire(packed.terms, packed.headline)
            entries.append(Entry(story_id, shard, seen, packed, created, orphan))
            newest[shard] = max(latest, seen)
            if len(entries) >= prune_at:
                entries = in_window(entries)
                prune_at = max(prune_at, 2 * len(entries))
        entries = in_window(entries)
        entries.sort(key=attrgetter("seen", "story_id"))
        cap = self.posting_cap
        for entry in entries:
            story_id, seen = entry.story_id, entry.seen
            if story_id in self._entries:  # a story twice in the rows: the later arrival stands
                self.remove(story_id)  # (its terms were acquired above, with the others')
            part = self._shards.get(entry.shard)
            if part is None:
                part = self._shards[entry.shard] = _Shard()
            self._entries[story_id] = entry
            part.size += 1
            part.order.append((seen, story_id))
            part.newest = seen
            df, postings = part.df, part.postings
            for term_id in entry.print.terms:
                df[term_id] = df.get(term_id, 0) + 1
                posting = postings.get(term_id)
                if posting is None:
                    postings[term_id] = {story_id: seen}
                else:
                    posting[story_id] = seen
                    if len(posting) > cap:
                        del posting[next(iter(posting))]
        for part in self._shards.values():
            part.heap = list(part.order)  # ascending: a valid heap
        return len(self._entries)

    def _insert(self, entry: Entry) -> None:
        story_id, seen = entry.story_id, entry.seen
        part = self._shards.get(entry.shard)
        if part is None:
            part = self._shards[entry.shard] = _Shard()
        self._entries[story_id] = entry
        self._vocabulary.acquire(entry.print.terms, entry.print.headline)
        part.size += 1
        key = (seen, story_id)
        order = part.order
        if not order or key >= order[-1]:
            order.append(key)
        else:
            insort(order, key)
        if len(order) > 2 * part.size + 1024:
            self._compact_order(entry.shard, part)
        df, postings, cap = part.df, part.postings, self.posting_cap
        # The usual case: the shard's newest arrival ranks last in every posting, no need to look.
        newest = seen > part.newest
        for term_id in entry.print.terms:
            count = df.get(term_id, 0)
            df[term_id] = count + 1
            posting = postings.get(term_id)
            if posting is None:
                # No posting although other stories have the term: they were removed from it and
                # it was never refilled; this story may not be among the largest, so it waits too.
                if count == 0:
                    postings[term_id] = {story_id: seen}
                continue
            if newest:
                posting[story_id] = seen
            else:
                last_id, last_seen = next(reversed(posting.items()))
                if seen > last_seen or (seen == last_seen and story_id > last_id):
                    posting[story_id] = seen
                else:
                    first_id = next(iter(posting))
                    # Below the smallest member, it belongs in only if the posting holds every
                    # story with the term and has room.
                    if key > (posting[first_id], first_id) or len(posting) == count < cap:
                        _posting_insert(posting, story_id, seen)
                    else:
                        continue
            if len(posting) > cap:
                del posting[next(iter(posting))]
        heapq.heappush(part.heap, key)
        if seen > part.newest:
            part.newest = seen
            self._evict(part)

    def remove(self, story_id: str) -> None:
        entry = self._entries.pop(story_id, None)
        if entry is None:
            return
        part = self._shards[entry.shard]
        part.size -= 1
        df, postings = part.df, part.postings
        self._vocabulary.release(entry.print.terms, entry.print.headline)
        for term_id in entry.print.terms:
            remaining = df[term_id] - 1
            if remaining:
                df[term_id] = remaining
            else:
                del df[term_id]
            posting = postings.get(term_id)
            if posting is not None and posting.pop(story_id, None) is not None and not posting:
                del postings[term_id]

    def evict(self) -> int:
        """Drop the entries older than the window behind their shard's newest arrival."""
        return sum(self._evict(part) for part in self._shards.values())

    def _evict(self, part: _Shard) -> int:
        horizon, heap = part.newest - self.window, part.heap
        evicted = 0
        while heap and heap[0][0] < horizon:
            seen, story_id = heapq.heappop(heap)
            entry = self._entries.get(story_id)
            # Heap items of an entry updated since are stale: skip them.
            if entry is not None and entry.seen == seen:
                self.remove(story_id)
                evicted += 1
        return evicted

    def _live(self, shard: str, key: tuple[float, str]) -> bool:
        entry = self._entries.get(key[1])
        return entry is not None and entry.seen == key[0] and entry.shard == shard

    def _compact_order(self, shard: str, part: _Shard) -> None:
        kept: list[tuple[float, str]] = []
        for key in part.order:
            if (not kept or kept[-1] != key) and self._live(shard, key):
                kept.append(key)
        part.order = kept

    def _refill(self, shard: str, part: _Shard, term_id: int, size: int) -> dict[str, float]:
        """Complete a posting that lost members to removals: the stories with the term that are
        missing all rank below its smallest member (it is always a top run), so scan down from
        there. Rare: only a full posting can lose members that it cannot get back by itself."""
        posting = part.postings.get(term_id, {})
        order = part.order
        if posting:
            first_id = next(iter(posting))
            position = bisect_left(order, (posting[first_id], first_id))
        else:
            position = len(order)
        needed = size - len(posting)
        found: list[tuple[str, float]] = []
        previous: tuple[float, str] | None = None
        while needed > 0 and position > 0:
            position -= 1
            key = order[position]
            if key == previous:
                continue
            previous = key
            if self._live(shard, key) and term_id in self._entries[key[1]].print.terms:
                found.append((key[1], key[0]))
                needed -= 1
        refilled = dict(reversed(found))
        refilled.update(posting)
        part.postings[term_id] = refilled
        return refilled

    def weights(self, shard: str) -> Weights:
        """Rarity weights of the shard's terms now: read again for every message."""
        part = self._shards.get(shard)
        return self._weight_tables.weights(part.df, part.size) if part is not None else Weights({}, 0)

    def candidates(self, shard: str, item: Compact, seen: float, limit: int) -> list[Entry]:
        """Up to ``limit`` stories of the shard within the window sharing the most probed terms.

        Postings are probed rarest first; ties keep the item's term order, never the term ids."""
        part = self._shards.get(shard)
        if part is None:
            return []
        df, cap, postings = part.df, self.posting_cap, part.postings
        # The size of each posting to probe: min(count, cap), without a call per term.
        sized = [(c if c < cap else cap, term_id) for term_id in item.terms if (c := df.get(term_id))]
        sized.sort(key=itemgetter(0))
        # A shared rare term is stronger evidence than a shared common one: each probed posting
        # adds 1 / its size to the stories in it.
        hits: dict[str, float] = {}
        for size, term_id in sized[: self.probe_terms]:
            posting = postings.get(term_id)
            if posting is None or len(posting) < size:
                posting = self._refill(shard, part, term_id, size)
            share = 1.0 / size
            for story_id in posting:
                hits[story_id] = hits.get(story_id, 0.0) + share
        out = []
        # hits is filled in an order fixed by the item and the postings' (seen, id) order, so
        # ties come out alike however the index was built.
        for story_id in heapq.nlargest(limit * 2, hits, key=hits.__getitem__):
            entry = self._entries[story_id]
            if abs(entry.seen - seen) <= self.window:
                out.append(entry)
                if len(out) >= limit:
                    break
        return out
