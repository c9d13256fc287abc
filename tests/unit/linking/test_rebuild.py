"""A linker rebuilt from stored state (a restart, a rebalance) at any point of a stream decides
exactly like the one that ran on: same outcome, same story, same evidence (scores, candidate) and
byte-identical events for every later message. Checked on generated streams (with delayed
messages, so orphans and merges occur) in arrival order and with arrival times out of order (a
shard's messages need not come in ``received_at`` order), with the 72 h window and a 1 h one and
with postings capped at 4 stories, so that eviction, late stories older than the window, out of
order posting inserts and postings refilled after removals all take part.
"""

from __future__ import annotations

import random
from datetime import timedelta
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.generator import generate
from schemas.events import StoryEvent
from schemas.wire import WireItem
from streams.core import Origin, build_events, ingest
from streams.enrich import Enricher
from streams.formats.registry import default_parsers
from streams.linking.linker import Linker, LinkerConfig, LinkResult
from streams.linking.store import MemoryStore

Record = tuple[str, str, object, list[StoryEvent]]
SHUFFLE = 0.3


@cache
def stream(stories: int, seed: int, jitter_minutes: int) -> tuple[WireItem, ...]:
    """Generated wire items in arrival order; with ``jitter_minutes`` each arrival time moves by up
    to that much either way while the processing order stays."""
    parsers, enrich = default_parsers(), Enricher().enrich
    rng = random.Random(seed)
    out: list[WireItem] = []
    for message in generate(stories=stories, max_versions=6, seed=seed, shuffle_rate=SHUFFLE):
        shift = (
            timedelta(minutes=rng.randint(-jitter_minutes, jitter_minutes)) if jitter_minutes else timedelta()
        )
        out.extend(ingest(message.payload, Origin(received_at=message.received_at + shift), parsers, enrich))
    return tuple(out)


def record(result: LinkResult) -> Record:
    return (result.outcome, result.state.story_id, result.evidence, build_events(result))


@cache
def reference(stories: int, seed: int, jitter_minutes: int, config: LinkerConfig) -> tuple[Record, ...]:
    linker = Linker(MemoryStore(), config)
    out = []
    for wire in stream(stories, seed, jitter_minutes):
        result = linker.decide(wire)
        linker.commit(result)
        out.append(record(result))
    return tuple(out)


def run_with_rebuilds(
    stories: int,
    seed: int,
    jitter_minutes: int,
    config: LinkerConfig,
    points: set[int],
    from_json: bool = False,
) -> list[Record]:
    """Every record of the stream, with the index rebuilt from the stored states before each point
    (from copies of the stored JSON when ``from_json``, as the worker's tables hold them)."""
    store = MemoryStore()
    linker = Linker(store, config)
    out = []
    for position, wire in enumerate(stream(stories, seed, jitter_minutes)):
        if position in points:
            if from_json:
                linker.rebuild_from_json(s.model_dump_json().encode() for s in store.stories.values())
            else:
                linker.rebuild()
        result = linker.decide(wire)
        linker.commit(result)
        out.append(record(result))
    return out


def assert_same(expected: tuple[Record, ...], got: list[Record]) -> None:
    for position, (want, have) in enumerate(zip(expected, got, strict=True)):
        assert want == have, f"message {position} differs after a rebuild"


WIDE, NARROW = LinkerConfig(), LinkerConfig(window_hours=1.0, posting_cap=4)
CAPPED = LinkerConfig(posting_cap=4)


@pytest.mark.parametrize(
    ("jitter_minutes", "config"),
    [(0, WIDE), (0, CAPPED), (0, NARROW), (150, WIDE), (150, NARROW)],
    ids=["ordered", "ordered-cap-4", "ordered-1h-cap-4", "received-out-of-order", "out-of-order-1h-cap-4"],
)
def test_rebuilds_at_several_points_change_nothing(jitter_minutes: int, config: LinkerConfig) -> None:
    expected = reference(200, 5, jitter_minutes, config)
    n = len(expected)
    points = {n // 7, n // 3, n // 2 + 1, 3 * n // 4, n - 3}
    assert_same(expected, run_with_rebuilds(200, 5, jitter_minutes, config, points))


def test_rebuild_from_stored_json_changes_nothing() -> None:
    expected = reference(200, 5, 150, NARROW)
    n = len(expected)
    assert_same(expected, run_with_rebuilds(200, 5, 150, NARROW, {n // 4, n // 2, n - 10}, from_json=True))


def test_rebuild_counts_the_window_stories_and_skips_retired_ones() -> None:
    running = Linker(MemoryStore(), CAPPED)
    outcomes = []
    for wire in stream(200, 5, 0):
        result = running.decide(wire)
        running.commit(result)
        outcomes.append(result.outcome)
    store = running.store
    assert isinstance(store, MemoryStore)
    assert "merge" in outcomes and any(s.retired_into for s in store.stories.values())
    rebuilt = Linker(store, CAPPED)
    assert rebuilt.rebuild() == len(running.index) < len(store.stories)
    assert all((story_id in rebuilt.index) == (story_id in running.index) for story_id in store.stories)
    raws = [s.model_dump_json().encode() for s in store.stories.values()]
    assert rebuilt.rebuild_from_json([*raws, None, b""]) == len(running.index)


@given(
    points=st.sets(st.integers(min_value=1, max_value=10_000), min_size=1, max_size=3),
    jitter=st.booleans(),
    narrow=st.booleans(),
)
@settings(max_examples=20, deadline=None)
def test_rebuilt_anywhere_property(points: set[int], jitter: bool, narrow: bool) -> None:
    jitter_minutes, config = 120 if jitter else 0, NARROW if narrow else CAPPED
    expected = reference(60, 9, jitter_minutes, config)
    at = {p % len(expected) for p in points}
    assert_same(expected, run_with_rebuilds(60, 9, jitter_minutes, config, at))


@pytest.mark.parametrize("config", [WIDE, NARROW], ids=["72h", "1h-cap-4"])
def test_a_worker_given_some_shards_decides_like_the_one_that_had_them_all(config: LinkerConfig) -> None:
    """A rebalance moves shards between workers: the index of a shard must not depend on which
    other shards the worker holds (their arrivals must not move its window)."""
    wires = stream(200, 5, 150)
    expected = reference(200, 5, 150, config)
    half = len(wires) // 2
    before = Linker(MemoryStore(), config)
    for wire in wires[:half]:
        before.commit(before.decide(wire))
    stored = before.store
    assert isinstance(stored, MemoryStore)
    shards = sorted({w.shard for w in wires})
    assert len(shards) >= 2
    kept = set(shards[::2])
    moved = MemoryStore()
    moved.stories = {k: s for k, s in stored.stories.items() if s.shard in kept}
    moved.items = {i: k for i, k in stored.items.items() if k in moved.stories}
    after = Linker(moved, config)
    after.rebuild()
    checked = 0
    for position in range(half, len(wires)):
        if wires[position].shard in kept:
            result = after.decide(wires[position])
            after.commit(result)
            assert record(result) == expected[position], f"message {position} differs"
            checked += 1
    assert checked > len(wires) // 10
