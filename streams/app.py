"""The composition root: ``create_app(settings, registry)`` wires everything a worker needs.

Faust app, topics, tables, metrics (on the registry passed in), parsers, enricher and linker are
built here and nowhere else; agents and web views receive them through the ``Wirefeed`` object.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import faust
from aiokafka.partitioner import murmur2
from prometheus_client import CollectorRegistry

from streams.enrich import Enricher
from streams.formats.base import Parser
from streams.formats.registry import default_parsers
from streams.kafka_conn import ssl_context
from streams.linking.linker import Linker
from streams.metrics import Metrics
from streams.settings import Settings
from streams.table_store import PartitionEvent, TableStore


@dataclass
class Wirefeed:
    settings: Settings
    app: faust.App
    metrics: Metrics
    raw_topic: Any
    items_topic: Any
    dlq_topic: Any
    events_topic: Any
    current_topic: Any
    stories: Any
    item_index: Any
    parsers: dict[str, Parser]
    enricher: Enricher
    linker: Linker
    store: TableStore
    index_stale: bool = True
    state: dict[str, Any] = field(default_factory=dict)
    _shard_events: dict[str, PartitionEvent] = field(default_factory=dict)

    def shard_event(self, shard: str) -> PartitionEvent:
        """Where a shard's story state is written when no ``wire.items`` record routed it there
        (topology ``single``): the partition Kafka's default partitioner gives the shard as key."""
        event = self._shard_events.get(shard)
        if event is None:
            partition = (murmur2(shard.encode()) & 0x7FFFFFFF) % self.settings.partitions
            # Named after wire.items, whose routing it stands for: Faust compares the partition
            # count of a write's source topic with the changelog's, and wire.raw may predate the
            # settings with another count.
            event = self._shard_events[shard] = PartitionEvent(self.settings.topic_items, partition)
        return event


log = logging.getLogger("wirefeed.app")

# A skipped record is sought back after two checks this far apart: well beyond a commit interval.
WATCHDOG_INTERVAL_SECONDS = 5.0
WATCHDOG_STUCK_SECONDS = 10.0


def _credentials(settings: Settings) -> Any:
    context = ssl_context(settings)
    if settings.security_protocol.startswith("SASL"):
        password = settings.sasl_password.get_secret_value() if settings.sasl_password else ""
        return faust.SASLCredentials(
            username=settings.sasl_username,
            password=password,
            ssl_context=context,
            mechanism=settings.sasl_mechanism,
        )
    if context is not None:
        return faust.SSLCredentials(context)
    return None


def _faust_logging(settings: Settings) -> dict[str, Any]:
    """Faust's and mode's loggers at the worker's level (merged into the worker's logging setup)."""
    level = settings.log_level.upper()
    return {"merge": True, "loggers": {name: {"level": level} for name in ("faust", "mode")}}


def create_app(settings: Settings, registry: CollectorRegistry | None = None) -> Wirefeed:
    from streams.agents import register_agents
    from streams.consumer import register_watchdog, resuming_consumer
    from streams.lag import register_lag
    from streams.web import register_views

    app = faust.App(
        settings.app_id,
        broker=settings.broker,
        broker_credentials=_credentials(settings),
        store=settings.store,
        datadir=str(settings.data_dir),
        topic_partitions=settings.partitions,
        topic_replication_factor=settings.replication,
        processing_guarantee="at_least_once",
        key_serializer="raw",
        value_serializer="raw",
        consumer_auto_offset_reset="earliest",
        producer_acks=-1,
        producer_max_request_size=settings.max_record_bytes,
        consumer_max_fetch_size=settings.consumer_fetch_bytes,
        web_enabled=True,
        web_port=settings.web_port,
        web_bind=settings.web_host,
        web_host=settings.web_host,
        autodiscover=False,
        stream_wait_empty=False,
        # A SIGKILLed member's partitions stay blocked until its session times out.
        broker_session_timeout=settings.session_timeout,
        broker_heartbeat_interval=settings.heartbeat_interval,
        table_standby_replicas=settings.standby_replicas,
        consumer_group_instance_id=settings.group_instance_id,
        # Faust's worker sets the root logger to DEBUG for its start-up spinner, so every debug call
        # builds a record; recovery logs two per changelog record (a tenth of a restore's CPU).
        logging_config=_faust_logging(settings),
    )

    def topic(name: str, **extra: Any) -> Any:
        return app.topic(name, key_type=bytes, value_type=bytes, partitions=settings.partitions, **extra)

    # One RocksDB per table partition, each with its own block cache and write buffers: Faust's
    # defaults (2 GiB of cache, 3 x 64 MiB buffers, per database) let a worker's memory grow with
    # the state it reads, which is what must stay on disk.
    rocksdb = {
        "block_cache_size": settings.rocksdb_block_cache_mb * 1024 * 1024,
        "write_buffer_size": settings.rocksdb_write_buffer_mb * 1024 * 1024,
        "max_write_buffer_number": 2,
    }

    def table(name: str) -> Any:
        # Faust keeps (and mutates) the options mapping it is given: one copy per table.
        return app.Table(
            name,
            default=None,
            partitions=settings.partitions,
            key_type=bytes,
            value_type=bytes,
            options=dict(rocksdb),
        )

    stories = table("stories")
    item_index = table("items")
    store = TableStore(stories, item_index)
    linker_config = settings.linker_config()
    parsers = default_parsers()
    wirefeed = Wirefeed(
        settings=settings,
        app=app,
        metrics=Metrics(
            registry if registry is not None else CollectorRegistry(),
            topics=(settings.topic_raw, settings.topic_items),
            formats=parsers,
        ),
        raw_topic=topic(settings.topic_raw),
        items_topic=topic(settings.topic_items),
        dlq_topic=topic(settings.topic_dlq),
        events_topic=topic(settings.topic_events),
        current_topic=topic(settings.topic_current),
        stories=stories,
        item_index=item_index,
        parsers=parsers,
        enricher=Enricher(),
        linker=Linker(store, linker_config),
        store=store,
    )

    @app.on_partitions_assigned.connect
    async def _assigned(sender: Any, assigned: Any = None, **kwargs: Any) -> None:
        # Another worker's stories may have moved here: rebuild the index before the next link.
        wirefeed.index_stale = True
        store.clear_cache()
        if settings.topology == "single":
            raw = {tp.partition for tp in app.consumer.assignment() if tp.topic == settings.topic_raw}
            # The topic's own count (it may predate the settings), from the consumer's metadata.
            total = app.consumer.topic_partitions(settings.topic_raw) or settings.partitions
            if len(raw) < total:
                log.error(
                    "topology 'single' needs exactly one worker, but this one was assigned %d of %d "
                    "%s partitions: stories arriving on the other partitions are linked elsewhere, "
                    "against other state. Run one worker or WIREFEED_TOPOLOGY=sharded.",
                    len(raw),
                    total,
                    settings.topic_raw,
                )

    inputs = (settings.topic_raw, settings.topic_items)
    # Before the consumer exists (it is created on start): faust's would skip records (consumer.py).
    app.transport.Consumer = resuming_consumer(
        lambda topic, cause: wirefeed.metrics.consumer_rewinds.labels(topic=topic, cause=cause).inc(),
        fetch_wait_ms=settings.consumer_fetch_wait_ms,
    )
    register_watchdog(app, inputs, interval=WATCHDOG_INTERVAL_SECONDS, stuck_after=WATCHDOG_STUCK_SECONDS)
    register_agents(wirefeed)
    register_lag(wirefeed)
    register_views(wirefeed)
    return wirefeed
