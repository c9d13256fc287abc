"""Scenario 6's load: a worker that owns 100,000 stories, made fast.

Linking 100,000 generated stories through a worker would take far longer than the fault itself,
so the stories are written straight into the ``stories`` and ``items`` table changelogs (the
state a worker that had linked them would hold) before any worker starts: one small story per
record (a short item copied from a real parsed and enriched message, its own item id, headline,
and random vocabulary so it never attracts real input), spread over the real input's linking
shards, each on the changelog partition its shard's ``wire.items`` partition maps to. Their
versions carry no event id: they were never published by this run, and the verifier must not
look for their events. The first worker restores them from the changelog; it is then killed and
a successor with an empty state directory restores them again and resumes.
"""

from __future__ import annotations

import contextlib
from datetime import timedelta
from random import Random
from typing import TYPE_CHECKING

from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError
from aiokafka.partitioner import murmur2

from schemas.item import UpdateType
from schemas.story import Fingerprint, StoryState, VersionRecord
from streams.core import Origin, ingest
from streams.enrich import Enricher
from streams.formats.registry import default_parsers
from streams.linking.merge import story_id_for
from streams.settings import load_settings
from streams.topics import topic_specs

if TYPE_CHECKING:
    from bench.faults.harness import Run


def partition_for(key: bytes, partitions: int) -> int:
    return (murmur2(key) & 0x7FFFFFFF) % partitions


async def seed_stories(run: Run, count: int) -> None:
    settings = load_settings(
        broker=";".join(f"kafka://{b}" for b in run.broker.bootstrap.split(",")),
        partitions=run.partitions,
        replication=run.replication,
        **{f"topic_{k.lower()}": v for k, v in run.topics.items()},
    )
    changelogs = [f"{run.app_id}-stories-changelog", f"{run.app_id}-items-changelog"]
    admin = AIOKafkaAdminClient(bootstrap_servers=run.broker.bootstrap)
    await admin.start()
    try:
        specs = topic_specs(settings) + [
            NewTopic(name, run.partitions, run.replication, topic_configs={"cleanup.policy": "compact"})
            for name in changelogs
        ]
        with contextlib.suppress(TopicAlreadyExistsError):
            await admin.create_topics(specs)
    finally:
        await admin.close()

    parsers, enricher = default_parsers(), Enricher()
    good = [m for m in run.sent if m.reason is None]
    templates = {}
    for message in good[:200]:
        origin = Origin(received_at=message.received_at)  # type: ignore[arg-type]
        for wire in ingest(message.payload, origin, parsers, enricher.enrich):
            templates.setdefault(wire.shard, wire)
    shards = sorted(templates)
    rng = Random(run.sizes.seed)
    start = min(m.received_at for m in good if m.received_at) - timedelta(hours=1)  # type: ignore[type-var]
    producer = AIOKafkaProducer(bootstrap_servers=run.broker.bootstrap, acks="all", linger_ms=50)
    await producer.start()
    try:
        for i in range(count):
            shard = shards[i % len(shards)]
            template = templates[shard]
            item_id = f"urn:faults:seed:{run.run_id}:{i}"
            words = [f"zq{rng.randrange(10**9):x}" for _ in range(8)]
            item = template.item.model_copy(
                update={
                    "item_id": item_id,
                    "version": 1,
                    "headline": " ".join(words[:4]),
                    "paragraphs": (" ".join(words),),
                    "previous_ids": (),
                }
            )
            when = start - timedelta(seconds=i % 3600)
            wire = template.model_copy(update={"item": item})
            story_id = story_id_for(shard, item_id)
            state = StoryState(
                story_id=story_id,
                shard=shard,
                created=when,
                updated=when,
                received=when,
                story_version=1,
                content_time=when,
                latest=wire,
                item_ids=[item_id],
                item_versions={item_id: 1},
                versions=[
                    VersionRecord(
                        story_version=1,
                        item_id=item_id,
                        item_version=1,
                        content_hash="seed",
                        update_type=UpdateType.NEW,
                        event_time=when,
                    )
                ],
                fingerprint=Fingerprint(
                    terms=tuple(words),
                    headline_terms=tuple(words[:4]),
                    sketch=tuple(sorted(rng.randrange(2**32) for _ in range(64))),
                ),
            )
            partition = partition_for(shard.encode(), run.partitions)
            await producer.send(
                changelogs[0], state.model_dump_json().encode(), key=story_id.encode(), partition=partition
            )
            await producer.send(changelogs[1], story_id.encode(), key=item_id.encode(), partition=partition)
        await producer.flush()
    finally:
        await producer.stop()
