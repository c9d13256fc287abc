"""The Faust agents: thin adapters from Kafka records to the core and back.

``ingest`` (stateless, any partition of ``wire.raw``): decode headers, parse and enrich, forward
each item to ``wire.items`` keyed by its linking shard. ``link`` (stateful, per shard): decide the
story, publish the event and the compacted current state, and only then write the story state.
Every failure is handled here, never raised: a raised exception would ack the message unseen.
"""

from __future__ import annotations

import gc
import time
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from schemas.events import StoryCurrent, StoryEvent
from schemas.wire import RawHeaders, WireItem
from streams.core import Origin, build_events, current_records, ingest
from streams.delivery import dead_letter, send_all
from streams.errors import InternalError, InvalidItem, PublishFailed, WirefeedError


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


async def handle_raw(wf: Any, message: Any) -> None:
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
        return
    except Exception as exc:
        wf.metrics.consumed_from(message, fmt)
        await dead_letter(wf, raw, InternalError(f"{type(exc).__name__}: {exc}", stage="ingest"), message)
        return
    wf.metrics.consumed_from(message, wires[0].item.format if wires else fmt)
    wf.metrics.stage_seconds.labels(stage="ingest").observe(time.perf_counter() - started)
    try:
        await send_all(wf, [(wf.items_topic, w.shard.encode(), w.model_dump_json().encode()) for w in wires])
    except PublishFailed as exc:
        await dead_letter(wf, raw, exc, message)
        return
    for wire in wires:
        wf.metrics.parsed.labels(format=wire.item.format).inc()


async def handle_item(wf: Any, message: Any) -> None:
    started = time.perf_counter()
    try:
        wire = WireItem.model_validate_json(message.value or b"")
    except ValidationError as exc:
        wf.metrics.consumed_from(message, None)
        await dead_letter(wf, message.value or b"", InvalidItem(str(exc)[:500], stage="link"), message)
        return
    wf.metrics.consumed_from(message, wire.item.format)
    try:
        if wf.index_stale:
            wf.index_stale = False
            wf.linker.rebuild(wf.store.states())
            # The index is long-lived: keep the cyclic GC from re-scanning it on every collection.
            gc.freeze()
        result = wf.linker.decide(wire)
        events = build_events(result, wf.settings.ninjs_version)
        currents = current_records(result, events)
    except Exception as exc:
        await dead_letter(
            wf, message.value, InternalError(f"{type(exc).__name__}: {exc}", stage="link"), message
        )
        return
    try:
        await publish(wf, events, currents)
    except PublishFailed as exc:
        await dead_letter(wf, message.value or b"", exc, message)
        return
    # State only after the events are acknowledged: a crash in between replays to the same events.
    wf.linker.commit(result)
    wf.metrics.linked(result, events, wire.source.received_at, time.perf_counter() - started)
    wf.metrics.window_stories.set(len(wf.linker.index))


async def publish(wf: Any, events: list[StoryEvent], currents: list[tuple[str, StoryCurrent | None]]) -> None:
    records = [(wf.events_topic, e.story_id.encode(), e.model_dump_json().encode()) for e in events]
    records += [
        (wf.current_topic, story_id.encode(), current.model_dump_json().encode() if current else None)
        for story_id, current in currents
    ]
    await send_all(wf, records)


def register_agents(wf: Any) -> None:
    # concurrency=1: with more, faust may commit offsets past messages still being processed.
    @wf.app.agent(wf.raw_topic, name="ingest", concurrency=1)
    async def ingest_agent(stream: Any) -> None:
        async for event in stream.events():
            await handle_raw(wf, event.message)

    @wf.app.agent(wf.items_topic, name="link", concurrency=1)
    async def link_agent(stream: Any) -> None:
        async for event in stream.events():
            await handle_item(wf, event.message)
