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
from streams.errors import WirefeedError

log = logging.getLogger("wirefeed.delivery")
_MAX_BACKOFF_SECONDS = 5.0


async def send_acked(
    wf: Any, topic: Any, key: bytes | None, value: bytes | None, headers: Any = None
) -> None:
    """Send and wait until the broker acknowledges; retry broker errors forever (never raise them)."""
    backoff = 0.1
    while True:
        try:
            future = await topic.send(key=key, value=value, headers=headers)
            await future
            return
        except (TimeoutError, KafkaError, ConnectionError) as exc:
            if wf.app.should_stop:
                raise
            wf.metrics.rejected.labels(reason="transient", stage="publish").inc()
            log.warning(
                "send to %s failed (%s: %s); retrying in %.1fs",
                topic.get_topic_name(),
                type(exc).__name__,
                exc,
                backoff,
            )
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, _MAX_BACKOFF_SECONDS)


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
    await send_acked(wf, wf.dlq_topic, message.key, raw, headers)
    wf.metrics.dead_letters.labels(reason=error.code).inc()
    log.info(
        "dead-lettered %s/%s/%s: %s %s",
        message.topic,
        message.partition,
        message.offset,
        error.code,
        error.message[:200],
    )
