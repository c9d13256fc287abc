"""The candidate index is a function of the set of stories in it, not of the order they came in.

Hypothesis drives an index through upserts (arrival times out of order, re-upserts with a changed
fingerprint), merges (a story removed and its root, in the same shard, re-upserted no older than
it) and eviction, with postings capped at 2 stories, then rebuilds a second index from what a
state table would hold at that point, in a shuffled order: both must give the same candidates in the same order
and the same weights for every term; so must an index rebuilt from one shard's stories alone.
"""

from __future__ import annotations

import random
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.story import Fingerprint
from streams.linking.index import CandidateIndex, Row

WORDS = [f"w{n}" for n in range(6)]
WINDOW = 60.0

upsert = st.tuples(
    st.just("upsert"),
    st.integers(0, 19),
    st.integers(0, 100),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=4, unique=True),
)
merge = st.tuples(st.just("merge"), st.integers(0, 19), st.integers(0, 19), st.integers(0, 100))


def probes(index: CandidateIndex, at: float, shards: str = "ab") -> list[tuple[str, list[str], list[float]]]:
    out = []
    for words in ([w] for w in WORDS), [WORDS[:3], WORDS[2:], WORDS[::2]]:
        for terms in words:
            fingerprint = Fingerprint(terms=tuple(terms))
            for shard in shards:
                packed = index.compact(fingerprint)
                found = [e.story_id for e in index.candidates(shard, packed, at, limit=50)]
                out.append((shard, found, index.weights(shard).each(packed.terms)))
    return out


def rebuilt_from(table: dict[str, Row], order_seed: int) -> CandidateIndex:
    rows = list(table.values())
    random.Random(order_seed).shuffle(rows)
    rebuilt = CandidateIndex(WINDOW, probe_terms=16, posting_cap=2)
    rebuilt.rebuild(rows)
    return rebuilt


def assert_alike(running: CandidateIndex, table: dict[str, Row], order_seed: int) -> None:
    rebuilt = rebuilt_from(table, order_seed)
    assert len(rebuilt) == len(running)
    assert [s for s in table if s in running] == [s for s in table if s in rebuilt]
    newest = max((r[2] for r in table.values()), default=0.0)
    assert probes(rebuilt, newest) == probes(running, newest)
    # A worker that holds shard a alone (another rebalance) answers alike for it.
    alone = rebuilt_from({k: r for k, r in table.items() if r[1] == "a"}, order_seed)
    assert probes(alone, newest, "a") == probes(running, newest, "a")


@given(
    ops=st.lists(st.one_of(upsert, upsert, merge), max_size=60),
    checks=st.sets(st.integers(0, 59), max_size=4),
    order_seed=st.integers(0, 1000),
)
@settings(max_examples=300, deadline=None)
def test_rebuilt_index_answers_like_the_running_one(
    ops: list[tuple[Any, ...]], checks: set[int], order_seed: int
) -> None:
    running = CandidateIndex(WINDOW, probe_terms=16, posting_cap=2)
    table: dict[str, Row] = {}

    def put(story: int, when: float, words: tuple[str, ...] | None) -> None:
        story_id = f"s{story}"
        old = table.get(story_id)
        # As the linker does: a story's arrival time only grows; its shard is fixed.
        seen = max(when, old[2]) if old else when
        fingerprint = Fingerprint(terms=words) if words is not None else old[3] if old else Fingerprint()
        row = (story_id, "ab"[story % 2], seen, fingerprint, seen, False)
        table[story_id] = row
        running.upsert(*row)

    for position, op in enumerate(ops):
        if op[0] == "upsert":
            _, story, when, words = op
            put(int(story), float(when), tuple(words))
        else:
            _, orphan, other, when = op
            root = other - other % 2 + orphan % 2  # merges stay within a shard
            gone = table.pop(f"s{orphan}", None) if orphan != root else None
            if gone is None:
                continue
            running.remove(gone[0])
            put(int(root), max(float(when), gone[2]), None)
        if position in checks:
            # Probing refills the running index's postings: later checks see that too.
            assert_alike(running, table, order_seed)
    assert_alike(running, table, order_seed)
