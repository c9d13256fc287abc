"""TableStore's held writes: a batch reads its own decisions, and nothing reaches the tables (nor
their changelogs) before ``flush``, which writes each value under the event that made it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

from faust.streams import current_event

from bench.generator import generate
from streams.core import Origin, ingest
from streams.enrich import Enricher
from streams.formats.registry import default_parsers
from streams.linking.linker import Linker
from streams.table_store import TableStore


class RecordingTable(dict[bytes, bytes]):
    """A table stand-in that notes which event was current at each write (Faust takes the
    changelog partition from it)."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[tuple[bytes, Any]] = []

    def __setitem__(self, key: bytes, value: bytes) -> None:
        self.writes.append((key, current_event()))
        super().__setitem__(key, value)


class Event:
    """What Faust's event offers the tables: its message (and a weak reference to it)."""

    def __init__(self, message: Any) -> None:
        self.message = message


def wires(count: int) -> list[Any]:
    parsers, enrich = default_parsers(), Enricher().enrich
    out = []
    for message in generate(stories=count, max_versions=3, seed=11):
        out += ingest(message.payload, Origin(received_at=message.received_at), parsers, enrich)
    return out


def test_held_writes_are_read_back_and_flushed_under_their_own_event() -> None:
    stories, items = RecordingTable(), RecordingTable()
    store = TableStore(stories, items)
    linker = Linker(store)
    batch = wires(6)[:12]
    events = [Event(SimpleNamespace(partition=n % 3, topic="wire.items")) for n in range(12)]
    store.begin()
    owner: dict[str, Any] = {}
    for wire, event in zip(batch, events, strict=True):
        result = linker.decide(wire)
        store.event = event
        linker.commit(result)
        owner[result.state.story_id] = event
        assert store.get(result.state.story_id) == result.state
        assert store.story_for_item(wire.item.item_id) == result.state.story_id
    assert not stories and not items
    store.flush()
    assert {key.decode() for key in stories} == set(owner)
    # Each story written once, under the event of the last message that changed it.
    assert sorted(k.decode() for k, _ in stories.writes) == sorted(owner)
    for key, event in stories.writes:
        assert event is owner[key.decode()]
    assert current_event() is None


def test_discarded_writes_never_reach_the_tables() -> None:
    stories, items = RecordingTable(), RecordingTable()
    store = TableStore(stories, items)
    linker = Linker(store)
    store.begin()
    wire = wires(1)[0]
    result = linker.decide(wire)
    linker.commit(result)
    store.discard()
    assert not stories and not items
    assert store.get(result.state.story_id) is None
    # Without ``begin`` writes go straight through.
    linker.commit(result)
    assert store.get(result.state.story_id) == result.state
    assert stories and items
    assert datetime.now(UTC) > result.state.received


def test_single_topology_writes_a_shard_where_wire_items_would_route_it(tmp_path: Any) -> None:
    from aiokafka.partitioner import DefaultPartitioner

    from streams.app import create_app
    from streams.settings import load_settings

    async def build() -> tuple[set[str], dict[str, int]]:
        wf = create_app(load_settings(data_dir=tmp_path, topology="single", partitions=6))
        shards = ("dpa:de", "dpa:en", "ap:en", "reuters:en", "afp:fr")
        return set(wf.app.agents), {s: wf.shard_event(s).message.partition for s in shards}

    agents, partitions = asyncio.run(build())
    assert {name.rsplit(".", 1)[-1] for name in agents} == {"ingest_link"}
    every = list(range(6))
    expected = {s: DefaultPartitioner()(s.encode(), every, every) for s in partitions}
    assert partitions == expected
    assert len(set(partitions.values())) > 1
