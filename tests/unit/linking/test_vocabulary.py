"""The index's vocabulary holds the terms of the entries in it and nothing else.

A worker runs for months: terms of stories that left the window (evicted, updated, merged away, or
dropped while rebuilding) must leave the vocabulary with them, so it follows the window, not the
history. Term ids are never handed out twice, so an id of a term that went cannot be mistaken for
a later term, neither one registered for a story nor one a probing item does not know.
"""

from __future__ import annotations

import random
from collections import Counter
from functools import cache

from bench.generator import generate
from schemas.story import Fingerprint
from schemas.wire import WireItem
from streams.core import Origin, ingest
from streams.enrich import Enricher
from streams.formats.registry import default_parsers
from streams.linking.index import CandidateIndex, Row
from streams.linking.linker import Linker, LinkerConfig
from streams.linking.store import MemoryStore

SHORT = LinkerConfig(window_hours=1.0, posting_cap=4)


@cache
def stream() -> tuple[WireItem, ...]:
    """About ten hours of generated wire copy (25 stories an hour, versions, renditions, delays)."""
    parsers, enrich = default_parsers(), Enricher().enrich
    out: list[WireItem] = []
    for message in generate(stories=240, max_versions=4, seed=11, shuffle_rate=0.05):
        out.extend(ingest(message.payload, Origin(received_at=message.received_at), parsers, enrich))
    return tuple(out)


def uses(index: CandidateIndex, prints: dict[str, Fingerprint]) -> Counter[str]:
    """How many times the entries in the index use each term (in their terms, in their headline)."""
    counts: Counter[str] = Counter()
    for story_id, fingerprint in prints.items():
        if story_id in index:
            counts.update(set(fingerprint.terms))
            counts.update(set(fingerprint.headline_terms))
    return counts


def assert_holds_exactly(index: CandidateIndex, prints: dict[str, Fingerprint]) -> None:
    counts = uses(index, prints)
    vocabulary = index._vocabulary
    assert set(vocabulary) == set(counts)
    assert len(vocabulary) == len(counts)
    assert all(vocabulary.references(term) == count for term, count in counts.items())
    # Every id an entry holds is a live one, and every live id is held.
    held = {i for e in index._entries.values() for i in (*e.print.terms, *e.print.headline)}
    assert held == set(vocabulary._terms) == set(vocabulary._refs) == set(vocabulary._ids.values())


def stored_prints(linker: Linker) -> dict[str, Fingerprint]:
    store = linker.store
    assert isinstance(store, MemoryStore)
    return {k: s.fingerprint for k, s in store.stories.items()}


def test_a_stream_through_a_short_window_leaves_only_the_window_s_terms() -> None:
    linker = Linker(MemoryStore(), SHORT)
    ever: set[str] = set()
    sizes = []
    for position, wire in enumerate(stream()):
        result = linker.decide(wire)
        linker.commit(result)
        ever.update(result.state.fingerprint.terms, result.state.fingerprint.headline_terms)
        sizes.append(len(linker.index._vocabulary))
        if position % 25 == 0:
            assert_holds_exactly(linker.index, stored_prints(linker))
    assert_holds_exactly(linker.index, stored_prints(linker))
    store = linker.store
    assert isinstance(store, MemoryStore)
    assert len(linker.index) < len(store.stories) // 3  # most stories left the window
    # The same kind of copy keeps flowing: the vocabulary follows the window, it does not pile up
    # with the history (which ends up twice the largest window's terms here).
    first, second = sizes[: len(sizes) // 2], sizes[len(sizes) // 2 :]
    assert max(second) <= 1.5 * max(first)
    assert len(ever) > 1.6 * max(sizes)


def test_a_steady_stream_keeps_the_vocabulary_size_steady() -> None:
    """Every story brings two terms of its own and a few shared ones, one story a second through
    a 50 s window: the vocabulary stays the window's size however long the stream runs."""
    index = CandidateIndex(50.0, posting_cap=4)
    prints: dict[str, Fingerprint] = {}
    sizes = []
    for number in range(2000):
        words = (f"name{number}", f"#{number}", *(f"w{(number + k) % 7}" for k in range(3)))
        prints[f"s{number}"] = fingerprint = Fingerprint(terms=words, headline_terms=(f"name{number}", "w0"))
        index.upsert(f"s{number}", "a", float(number), fingerprint, float(number), False)
        if number % 10 == 3:  # an update of a recent story, with a new number in it
            story = number - 5
            words = (f"name{story}", f"#{story}x", "w1")
            prints[f"s{story}"] = fingerprint = Fingerprint(terms=words)
            index.upsert(f"s{story}", "a", float(number), fingerprint, float(story), False)
        sizes.append(len(index._vocabulary))
    assert_holds_exactly(index, prints)
    assert 51 <= len(index) <= 56  # the last 51 arrivals and the stories updated among them
    # Two terms of its own per story, seven shared.
    assert max(sizes[100:]) <= 2 * 56 + 7
    assert max(sizes[1000:]) == max(sizes[100:1000])


def test_ids_of_terms_that_went_are_never_handed_out_again() -> None:
    index = CandidateIndex(100.0)
    index.upsert("s1", "a", 1.0, Fingerprint(terms=("alpha",)), 1.0, False)
    index.upsert("s2", "a", 2.0, Fingerprint(terms=("gamma",)), 2.0, False)
    index.remove("s1")
    assert "alpha" not in index._vocabulary and len(index._vocabulary) == 1
    [gamma] = index.compact(Fingerprint(terms=("gamma",))).terms
    # A term no story has, probed: its id matches nothing indexed (numbered by the vocabulary's
    # size, it would be gamma's).
    unknown = index.compact(Fingerprint(terms=("delta", "gamma")))
    assert unknown.terms[0] != gamma
    assert index.candidates("a", index.compact(Fingerprint(terms=("delta",))), 3.0, 5) == []
    # A term registered for a new story gets a fresh id too.
    index.upsert("s3", "a", 3.0, Fingerprint(terms=("epsilon",)), 3.0, False)
    [epsilon] = index.compact(Fingerprint(terms=("epsilon",))).terms
    assert epsilon not in (gamma, 0)
    assert [
        e.story_id for e in index.candidates("a", index.compact(Fingerprint(terms=("epsilon",))), 3.0, 5)
    ] == ["s3"]
    assert [
        e.story_id for e in index.candidates("a", index.compact(Fingerprint(terms=("gamma",))), 3.0, 5)
    ] == ["s2"]


def test_a_rebuild_keeps_no_terms_of_the_rows_it_dropped() -> None:
    """Rows older than the window (most of a long table), in the table's order and shuffled, with
    a story twice: enough of them that pending entries are pruned while loading, too."""
    window = 100.0
    table: list[Row] = []
    prints: dict[str, Fingerprint] = {}
    for number in range(6000):
        fingerprint = Fingerprint(
            terms=(f"name{number}", f"w{number % 5}"), headline_terms=(f"head{number}", f"w{number % 3}")
        )
        prints[f"s{number}"] = fingerprint
        table.append((f"s{number}", "ab"[number % 2], float(number), fingerprint, float(number), False))
    # The same story stored again (a rebalance moved it): the later arrival stands, alone.
    again = Fingerprint(terms=("name5990", "renamed"))
    table.append(("s5990", "a", 5999.5, again, 5990.0, False))
    for order_seed in (None, 1, 2):
        rows = list(table)
        if order_seed is not None:
            random.Random(order_seed).shuffle(rows)
        index = CandidateIndex(window, posting_cap=4)
        kept = index.rebuild(rows)
        assert kept == 101
        assert_holds_exactly(index, {**prints, "s5990": again})
        assert "head5990" not in index._vocabulary and "head5000" not in index._vocabulary


def test_a_rebuilt_linker_holds_the_running_linker_s_vocabulary() -> None:
    running = Linker(MemoryStore(), SHORT)
    for wire in stream():
        running.commit(running.decide(wire))
    store = running.store
    assert isinstance(store, MemoryStore)
    states = list(store.stories.values())
    for order_seed in (None, 3):
        if order_seed is not None:
            random.Random(order_seed).shuffle(states)
        rebuilt = Linker(store, SHORT)
        assert rebuilt.rebuild(states) == len(running.index)
        assert set(rebuilt.index._vocabulary) == set(running.index._vocabulary)
        assert_holds_exactly(rebuilt.index, stored_prints(running))
