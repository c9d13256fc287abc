"""Topic creation at the edge: wirefeed's topics exist, with the configured partitions, before
any worker subscribes (faust creates only its internal topics; an auto-created topic would get
the broker's defaults and a worker would wait minutes for its metadata to refresh)."""

from __future__ import annotations

import asyncio
import contextlib

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from streams.kafka_conn import client_options
from streams.settings import Settings


def topic_specs(settings: Settings) -> list[NewTopic]:
    n, r = settings.partitions, settings.replication
    sized = {"max.message.bytes": str(settings.max_record_bytes)}
    return [
        NewTopic(settings.topic_raw, n, r, topic_configs=sized),
        NewTopic(settings.topic_items, n, r, topic_configs=sized),
        NewTopic(settings.topic_dlq, n, r, topic_configs=sized),
        NewTopic(settings.topic_events, n, r, topic_configs=sized),
        NewTopic(settings.topic_current, n, r, topic_configs={**sized, "cleanup.policy": "compact"}),
    ]


async def ensure_topics(settings: Settings) -> list[str]:
    """Create missing topics; returns the names created. Existing topics are left as they are."""
    admin = AIOKafkaAdminClient(**client_options(settings))
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        wanted = [t for t in topic_specs(settings) if t.name not in existing]
        if wanted:
            # Another worker may create them at the same moment.
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics(wanted)
        return [t.name for t in wanted]
    finally:
        await admin.close()


async def partitions_of(settings: Settings, topic: str, timeout: float = 30.0) -> list[int]:
    """The partition ids of a topic, waiting up to ``timeout`` seconds for it to exist."""
    admin = AIOKafkaAdminClient(**client_options(settings))
    await admin.start()
    try:
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            described = await admin.describe_topics([topic])
            partitions = sorted(p["partition"] for d in described for p in d.get("partitions", ()))
            if partitions or asyncio.get_running_loop().time() > deadline:
                return partitions
            await asyncio.sleep(0.2)
    finally:
        await admin.close()
