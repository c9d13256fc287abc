"""Getting results out: sends that wait for the broker's acknowledgement, and dead letters.

A Faust agent that raises has its message acknowledged anyway, so nothing here may raise on
broker trouble: sends retry with backoff until they are acknowledged or the worker stops. Bad
input never retries: it goes to ``wire.dlq`` with its raw bytes and the error's stable code.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from typing import Any

from aiokafka.errors import KafkaError

from schemas.wire import DeadLetterHeaders
from streams.errors import PublishFailed, WirefeedError

log = logging.getLogger("wirefeed.delivery")
_MAX_BACKOFF_SECONDS = 5.0
_TRUNCATE_TO = 64 * 1024


def _retriable(exc: BaseException) -> bool:
    """Broker and network trouble is worth retrying; a refused record or a bug is not."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, KafkaError):
            return bool(cause.retriable)
        if isinstance(cause, (TimeoutError, ConnectionError)):
            return True
        cause = cause.__cause__
    return False


def _refused(topic: Any, exc: BaseException) -> PublishFailed:
    """A record the broker refuses for good, as the error the caller dead-letters."""
    return PublishFailed(f"{topic.get_topic_name()}: {type(exc).__name__}: {exc}", stage="publish")


async def send_acked(
    wf: Any, topic: Any, key: bytes | None, value: bytes | None, headers: Any = None
) -> None:
    """Send and wait until the broker acknowledges. Broker trouble is retried with backoff until it
    passes (never raised: a raising agent would ack its message unseen); a record the broker
    refuses for good raises ``PublishFailed`` for the caller to dead-letter."""
    backoff = 0.1
    while True:
        try:
            future = await topic.send(key=key, value=value, headers=headers)
            await future
            return
        except Exception as exc:
            if not _retriable(exc):
                raise _refused(topic, exc) from exc
            if wf.app.should_stop:
                raise
            wf.metrics.send_retries.labels(topic=topic.get_topic_name()).inc()
            log.warning(
                "send to %s failed (%s: %s); retrying in %.1fs",
                topic.get_topic_name(),
                type(exc).__name__,
                exc,
                backoff,
            )
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, _MAX_BACKOFF_SECONDS)


Record = tuple[Any, bytes | None, bytes | None]
"""(topic, key, value) of one record to send."""


def oversize(wf: Any, records: list[Record]) -> PublishFailed | None:
    """The error for the first record the broker would refuse for its size, if any."""
    limit = wf.settings.max_record_bytes
    for topic, key, value in records:
        size = len(key or b"") + len(value or b"")
        if size > limit:
            return PublishFailed(
                f"{topic.get_topic_name()}: record of {size} bytes over {limit}", stage="publish"
            )
    return None


async def send_all(wf: Any, records: list[Record]) -> None:
    """Send a message's records together and wait once for all their acknowledgements: one round
    trip per message instead of one per record. A record that failed is re-sent on its own (with
    ``send_acked``'s retries); a record the broker can never take raises ``PublishFailed`` before
    anything is sent, so a message is dead-lettered whole rather than half published."""
    refused = oversize(wf, records)
    if refused is not None:
        raise refused
    pending: list[tuple[Record, Any]] = []
    for record in records:
        topic, key, value = record
        try:
            pending.append((record, await topic.send(key=key, value=value)))
        except Exception:
            pending.append((record, None))
    for record, future in pending:
        if future is not None:
            try:
                await future
                continue
            except Exception as exc:
                if not _retriable(exc):
                    raise _refused(record[0], exc) from exc
        await send_acked(wf, *record)


def dead_letter_headers(raw: bytes, error: WirefeedError, message: Any) -> list[tuple[str, bytes]]:
    headers = DeadLetterHeaders(
        reason=error.code,
        error=error.message[:2000],
        stage=error.stage,
        source_topic=message.topic,
        source_partition=message.partition,
        source_offset=message.offset,
        raw_sha256=hashlib.sha256(raw).hexdigest(),
    )
    return [(k, str(v).encode("utf-8")) for k, v in headers.model_dump(by_alias=True).items()]


async def dead_letter(wf: Any, raw: bytes, error: WirefeedError, message: Any) -> None:
    wf.metrics.rejected.labels(reason=error.code, stage=error.stage).inc()
    headers = dead_letter_headers(raw, error, message)
    try:
        await send_acked(wf, wf.dlq_topic, message.key, raw, headers)
    except PublishFailed:
        # Even the dead-letter topic refuses the bytes: keep the head, the size and the hash.
        headers.append(("wirefeed-truncated-from", str(len(raw)).encode()))
        await send_acked(wf, wf.dlq_topic, message.key, raw[:_TRUNCATE_TO], headers)
    wf.metrics.dead_letters.labels(reason=error.code).inc()
    log.info(
        "dead-lettered %s/%s/%s: %s %s",
        message.topic,
        message.partition,
        message.offset,
        error.code,
        error.message[:200],
    )
