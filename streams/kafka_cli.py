"""``wirefeed produce`` and ``wirefeed tail``: plain aiokafka clients at the edge."""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from streams.inputs import iter_inputs
from streams.kafka_conn import client_options
from streams.settings import Settings
from streams.topics import ensure_topics, partitions_of

_PROGRESS_FROM = 20


def produce(settings: Settings, paths: list[Path], fmt: str | None, feed: str, topic: str | None) -> int:
    return asyncio.run(_produce(settings, paths, fmt, feed, topic or settings.topic_raw))


async def _produce(settings: Settings, paths: list[Path], fmt: str | None, feed: str, topic: str) -> int:
    await ensure_topics(settings)
    messages = list(iter_inputs(paths))
    producer = AIOKafkaProducer(
        acks="all",
        enable_idempotence=True,
        max_request_size=settings.max_record_bytes,
        **client_options(settings),
    )
    await producer.start()
    try:
        for number, message in enumerate(messages, start=1):
            received = message.received_at or datetime.now(UTC)
            headers = [("received-at", received.isoformat().encode()), ("wire-feed", feed.encode())]
            if fmt:
                headers.append(("wire-format", fmt.encode()))
            # One key per feed: a feed's messages stay in order on one partition.
            await producer.send_and_wait(topic, message.payload, key=feed.encode(), headers=headers)
            if len(messages) >= _PROGRESS_FROM and (number % 50 == 0 or number == len(messages)):
                _progress(number, len(messages))
    finally:
        await producer.stop()
    print(json.dumps({"produced": len(messages), "topic": topic}), file=sys.stderr)
    return 0


def _progress(done: int, total: int) -> None:
    width = 30
    filled = int(width * done / total)
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def describe(event: dict[str, Any]) -> str:
    """One readable line per story event."""
    headline = next((h["value"] for h in event["item"].get("headlines", []) if h.get("role") == "main"), "")
    note = f"  ({event['update_note']})" if event.get("update_note") else ""
    link = event.get("link", {})
    score = f" score={link['score']}" if link.get("score") is not None else ""
    return (
        f"{event['story_id']}  v{event['story_version']:<2} {event['update_type']:<11} "
        f"[{link.get('reason', '?')}{score}]  {headline[:90]}{note}"
    )


def tail(
    settings: Settings,
    from_beginning: bool,
    limit: int | None,
    timeout: float | None,
    as_json: bool,
    topic: str | None,
) -> int:
    return asyncio.run(
        _tail(settings, from_beginning, limit, timeout, as_json, topic or settings.topic_events)
    )


async def _tail(
    settings: Settings,
    from_beginning: bool,
    limit: int | None,
    timeout: float | None,
    as_json: bool,
    topic: str,
) -> int:
    consumer = AIOKafkaConsumer(enable_auto_commit=False, **client_options(settings))
    await consumer.start()
    try:
        tps = [TopicPartition(topic, p) for p in await partitions_of(settings, topic)]
        consumer.assign(tps)
        if from_beginning:
            await consumer.seek_to_beginning(*tps)
        else:
            await consumer.seek_to_end(*tps)
        seen = 0
        while limit is None or seen < limit:
            batch = await consumer.getmany(timeout_ms=int((timeout or 3600) * 1000))
            if not batch:
                break
            for records in batch.values():
                for record in records:
                    if record.value is None:
                        continue
                    event = json.loads(record.value)
                    print(record.value.decode() if as_json else describe(event), flush=True)
                    seen += 1
    finally:
        await consumer.stop()
    return 0
