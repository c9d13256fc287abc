"""The Faust agents: thin adapters from Kafka records to the core and back.

``ingest`` (stateless, any partition of ``wire.raw``): decode headers, parse and enrich, forward
each item to ``wire.items`` keyed by its linking shard. ``link`` (stateful, per shard): decide the
story, publish the event and the compacted current state, and only then write the story state.
Every failure is handled here, never raised: a raised exception would ack the message unseen.

With ``WIREFEED_TOPOLOGY=single`` one agent (``ingest_link``) does both steps for each raw
message, without the ``wire.items`` hop: no item is serialised, produced, fetched and decoded
again. Story state is still written to the table partition of the item's shard, as ``wire.items``
would have routed it, so the state is laid out the same way in both topologies.

Both take what has arrived in batches (up to ``batch_max`` messages, waiting at most
``batch_wait_ms`` for more) and send a batch's records together, waiting for their
acknowledgements once: the cost of a round trip and of a produce request is shared by the batch.
Messages are acknowledged to Faust by hand, after their batch is through (``noack_take``; Faust's
``take_events`` would acknowledge a batch even when the agent is cancelled halfway through it).
"""

from __future__ import annotations

import gc
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from schemas.events import StoryCurrent, StoryEvent
from schemas.wire import RawHeaders, WireItem
from streams.core import Origin, build_events, current_records, ingest
from streams.delivery import Record, dead_letter, oversize, send_all
from streams.errors import InternalError, InvalidItem, PublishFailed, WirefeedError
from streams.linking.linker import LinkResult


def _raw_headers(message: Any) -> RawHeaders:
    values: dict[str, str] = {}
    for key, value in message.headers or ():
        if key in ("wire-format", "wire-feed", "received-at") and value:
            values[key] = value.decode("utf-8", "replace")
    try:
        return RawHeaders.model_validate(values)
    except ValidationError:
        # An unreadable received-at must not cost the message: fall back to the arrival time.
        values.pop("received-at", None)
        return RawHeaders.model_validate(values)


async def ingest_one(
    wf: Any, message: Any, forward: bool = True
) -> tuple[list[WireItem], list[Record]] | None:
    """Parse and enrich one raw message: its items and (``forward``) their ``wire.items`` records,
    or None when dead-lettered."""
    raw: bytes = message.value or b""
    started = time.perf_counter()
    fmt: str | None = None
    try:
        headers = _raw_headers(message)
        fmt = headers.wire_format
        origin = Origin(
            received_at=headers.received_at or datetime.fromtimestamp(message.timestamp or time.time(), UTC),
            format_hint=headers.wire_format,
            feed=headers.wire_feed,
            topic=message.topic,
            partition=message.partition,
            offset=message.offset,
        )
        wires = ingest(raw, origin, wf.parsers, wf.enricher.enrich, wf.settings.max_message_bytes)
    except WirefeedError as exc:
        wf.metrics.consumed_from(message, fmt)
        await dead_letter(wf, raw, exc, message)
        return None
    except Exception as exc:
        wf.metrics.consumed_from(message, fmt)
        await dead_letter(wf, raw, InternalError(f"{type(exc).__name__}: {exc}", stage="ingest"), message)
        return None
    wf.metrics.consumed_from(message, wires[0].item.format if wires else fmt)
    wf.metrics.stage_seconds.labels(stage="ingest").observe(time.perf_counter() - started)
    if not forward:
        return wires, []
    records: list[Record] = [(wf.items_topic, w.shard.encode(), w.model_dump_json().encode()) for w in wires]
    refused = oversize(wf, records)
    if refused is not None:
        await dead_letter(wf, raw, refused, message)
        return None
    return wires, records


async def handle_raw_batch(wf: Any, events: list[Any]) -> None:
    """Parse and enrich a batch of ``wire.raw`` records and forward their items."""
    done = []
    for event in events:
        message = event.message
        out = await ingest_one(wf, message)
        if out is not None:
            done.append((message, *out))
    try:
        await send_all(wf, [record for _, _, records in done for record in records])
    except PublishFailed:
        # A record refused for good (not for its size, checked above): find it one message at a time.
        for message, wires, records in list(done):
            try:
                await send_all(wf, records)
            except PublishFailed as exc:
                await dead_letter(wf, message.value or b"", exc, message)
                done.remove((message, wires, records))
    for _, wires, _ in done:
        for wire in wires:
            wf.metrics.parsed.labels(format=wire.item.format).inc()


@dataclass
class _Linked:
    message: Any
    wire: WireItem
    result: LinkResult
    events: list[StoryEvent]
    records: list[Record]
    started: float


async def link_one(wf: Any, event: Any) -> _Linked | None:
    """Decide one item against the store (the batch's earlier decisions included) and hold its
    state; None when dead-lettered."""
    message = event.message
    started = time.perf_counter()
    try:
        wire = WireItem.model_validate_json(message.value or b"")
    except ValidationError as exc:
        wf.metrics.consumed_from(message, None)
        await dead_letter(wf, message.value or b"", InvalidItem(str(exc)[:500], stage="link"), message)
        return None
    wf.metrics.consumed_from(message, wire.item.format)
    return await link_wire(wf, event, wire, event, started)


async def link_wire(wf: Any, event: Any, wire: WireItem, writes_under: Any, started: float) -> _Linked | None:
    """Decide one decoded item; its state is held under ``writes_under`` (the Faust event whose
    partition the table writes go to). None when dead-lettered with the event's message."""
    message = event.message
    try:
        result = wf.linker.decide(wire)
        events = build_events(result, wf.settings.ninjs_version)
        records = publish_records(wf, events, current_records(result, events))
    except Exception as exc:
        await dead_letter(
            wf, message.value, InternalError(f"{type(exc).__name__}: {exc}", stage="link"), message
        )
        return None
    refused = oversize(wf, records)
    if refused is not None:
        await dead_letter(wf, message.value or b"", refused, message)
        return None
    wf.store.event = writes_under
    wf.linker.commit(result)
    return _Linked(message, wire, result, events, records, started)


async def _link_items(wf: Any, events: list[Any]) -> list[_Linked]:
    linked = []
    for event in events:
        one = await link_one(wf, event)
        if one is not None:
            linked.append(one)
    return linked


async def _ingest_and_link(wf: Any, events: list[Any]) -> list[_Linked]:
    linked = []
    for event in events:
        out = await ingest_one(wf, event.message, forward=False)
        # The link stage's clock starts after ingest, which ``ingest_one`` timed on its own.
        started = time.perf_counter()
        for wire in out[0] if out is not None else ():
            one = await link_wire(wf, event, wire, wf.shard_event(wire.shard), started)
            if one is not None:
                linked.append(one)
    return linked


async def handle_item_batch(wf: Any, events: list[Any]) -> None:
    """Link a batch of ``wire.items`` records."""
    await _linked_batch(wf, events, _link_items, handle_item_batch)


async def handle_raw_inline(wf: Any, events: list[Any]) -> None:
    """Parse, enrich and link a batch of ``wire.raw`` records in one step (topology ``single``)."""
    await _linked_batch(wf, events, _ingest_and_link, handle_raw_inline)


async def _linked_batch(wf: Any, events: list[Any], link: Any, one_by_one: Any) -> None:
    if wf.index_stale:
        # Only between batches: a rebuild reads the tables, which do not hold a batch's writes yet.
        wf.index_stale = False
        wf.linker.rebuild_from_json(wf.store.raw_states())
        # The index is long-lived: keep the cyclic GC from re-scanning it on every collection.
        gc.freeze()
    wf.store.begin()
    linked: list[_Linked] | None = None
    try:
        linked = await link(wf, events)
        await send_all(wf, [record for one in linked for record in one.records])
    except PublishFailed as exc:
        # Refused for good (not for its size, checked above): forget the batch's decisions and
        # take its messages one at a time, so that only the refused one is dead-lettered. Those
        # dead-lettered while the batch was linked are settled and not taken again (unless the
        # refusal came from the dead-letter topic itself, before the batch was linked).
        wf.store.discard()
        wf.index_stale = True
        if len(events) > 1:
            retry = None if linked is None else {id(one.message) for one in linked}
            for event in events:
                if retry is None or id(event.message) in retry:
                    await one_by_one(wf, [event])
        else:
            await dead_letter(wf, events[0].message.value or b"", exc, events[0].message)
        return
    except BaseException:
        wf.store.discard()
        wf.index_stale = True
        raise
    # State only after the events are acknowledged: a crash in between replays to the same events.
    wf.store.flush()
    inline = wf.settings.topology == "single"
    for one in linked or ():
        if inline:
            wf.metrics.parsed.labels(format=one.wire.item.format).inc()
        wf.metrics.linked(
            one.result, one.events, one.wire.source.received_at, time.perf_counter() - one.started
        )
    wf.metrics.window_stories.set(len(wf.linker.index))


def publish_records(
    wf: Any, events: list[StoryEvent], currents: list[tuple[str, StoryCurrent | None]]
) -> list[Record]:
    records: list[Record] = [
        (wf.events_topic, e.story_id.encode(), e.model_dump_json().encode()) for e in events
    ]
    records += [
        (wf.current_topic, story_id.encode(), current.model_dump_json().encode() if current else None)
        for story_id, current in currents
    ]
    return records


def register_agents(wf: Any) -> None:
    batch_max = wf.settings.batch_max
    batch_wait = wf.settings.batch_wait_ms / 1000

    def batch_agent(topic: Any, name: str, handle: Any) -> None:
        # concurrency=1: with more, faust may commit offsets past messages still being processed.
        @wf.app.agent(topic, name=name, concurrency=1)
        async def agent(stream: Any) -> None:
            async for events in stream.noack_take(batch_max, within=batch_wait):
                await handle(wf, list(events))
                for event in events:
                    await stream.ack(event)

    if wf.settings.topology == "single":
        batch_agent(wf.raw_topic, "ingest_link", handle_raw_inline)
    else:
        batch_agent(wf.raw_topic, "ingest", handle_raw_batch)
        batch_agent(wf.items_topic, "link", handle_item_batch)
