"""Prometheus metrics, registered on a registry the composition root passes in (never global).

Names follow Prometheus conventions: base units (``_seconds``), counters end in ``_total``,
labels take values from small fixed sets (topics, formats, reason codes, stages, outcomes,
update types, partitions). Every label combination known up front is created at start with
zero, so ``rate()`` and the alert rules work before the first message (deploy/README.md lists
every metric).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import datetime
from typing import Any, get_args

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from schemas.events import LinkReason, StoryEvent
from schemas.item import UpdateType
from streams.errors import REASON_CODES
from streams.linking.linker import LinkResult, Outcome

UNKNOWN = "unknown"
"""The format label before a message is parsed (or when its format cannot be told)."""

STAGES: tuple[str, ...] = ("ingest", "link")
# Why an input partition was sought back (streams/consumer.py).
REWIND_CAUSES: tuple[str, ...] = ("held_back", "skipped_record", "deleted_by_retention")
"""Values of the ``stage`` label of ``wirefeed_stage_seconds``."""

KNOWN_REJECTIONS: tuple[tuple[str, str], ...] = (
    *((code, "parse") for code in REASON_CODES),
    ("invalid_item", "link"),
    ("internal_error", "ingest"),
    ("internal_error", "enrich"),
    ("internal_error", "link"),
    ("publish_failed", "publish"),
)
"""(reason, stage) pairs the code can produce; created at zero."""

OUTCOMES: tuple[str, ...] = get_args(Outcome)
LINK_REASONS: tuple[str, ...] = get_args(LinkReason)
UPDATE_TYPES: tuple[str, ...] = tuple(t.value for t in UpdateType)

LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0)
STAGE_BUCKETS = (0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 5.0)


class Metrics:
    """All of a worker's metrics on one registry.

    ``topics`` are the input topics the agents consume and ``formats`` the parser names: with
    them every known label combination is created at zero.
    """

    def __init__(
        self,
        registry: CollectorRegistry,
        *,
        topics: Iterable[str] = (),
        formats: Iterable[str] = (),
    ) -> None:
        self.registry = registry
        self.formats = frozenset(formats)
        self.positions: dict[tuple[str, int], int] = {}
        """Per (topic, partition): the offset after the last message the agents took (for lag)."""
        self.consumed = Counter(
            "wirefeed_messages_consumed_total",
            "Messages read from an input topic, by topic and wire format.",
            ["topic", "format"],
            registry=registry,
        )
        self.parsed = Counter(
            "wirefeed_items_parsed_total",
            "Items parsed and enriched, by format.",
            ["format"],
            registry=registry,
        )
        self.rejected = Counter(
            "wirefeed_messages_rejected_total",
            "Messages rejected, by reason code and stage.",
            ["reason", "stage"],
            registry=registry,
        )
        self.send_retries = Counter(
            "wirefeed_send_retries_total",
            "Broker sends that failed with a retriable error and are being retried (nothing is lost).",
            ["topic"],
            registry=registry,
        )
        self.dead_letters = Counter(
            "wirefeed_dead_letters_total",
            "Messages written to the dead-letter topic, by reason code.",
            ["reason"],
            registry=registry,
        )
        self.link_decisions = Counter(
            "wirefeed_link_decisions_total",
            "Linking decisions, by outcome and the evidence's reason.",
            ["outcome", "reason"],
            registry=registry,
        )
        self.update_types = Counter(
            "wirefeed_update_types_total",
            "Published story versions, by update type.",
            ["update_type"],
            registry=registry,
        )
        self.events = Counter(
            "wirefeed_events_published_total",
            "Story events published (acknowledged by the broker).",
            registry=registry,
        )
        self.stage_seconds = Histogram(
            "wirefeed_stage_seconds",
            "Processing time of one message per stage (ingest: parse and enrich; link).",
            ["stage"],
            buckets=STAGE_BUCKETS,
            registry=registry,
        )
        self.end_to_end = Histogram(
            "wirefeed_end_to_end_latency_seconds",
            "From the message's received_at to its story event being acknowledged.",
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.window_stories = Gauge(
            "wirefeed_linking_window_stories",
            "Stories in the linking candidate index (the linking window).",
            registry=registry,
        )
        self.table_stories = Gauge(
            "wirefeed_state_stories",
            "Stories in this worker's state table.",
            registry=registry,
        )
        self.consumer_lag = Gauge(
            "wirefeed_consumer_lag_messages",
            "Messages not yet processed, per assigned input topic partition (highwater - position).",
            ["topic", "partition"],
            registry=registry,
        )
        self.consumer_rewinds = Counter(
            "wirefeed_consumer_rewinds_total",
            "Input partitions sought back so that records the consumer skipped are read again.",
            ["topic", "cause"],
            registry=registry,
        )
        self._preinitialise(tuple(topics))

    def linked(
        self, result: LinkResult, events: list[StoryEvent], received_at: datetime, seconds: float
    ) -> None:
        """Record one link decision and the events it published."""
        self.link_decisions.labels(outcome=result.outcome, reason=result.evidence.reason).inc()
        for event in events:
            self.events.inc()
            self.update_types.labels(update_type=event.update_type.value).inc()
        if events:
            self.end_to_end.observe(max(0.0, time.time() - received_at.timestamp()))
        self.stage_seconds.labels(stage="link").observe(seconds)

    def _preinitialise(self, topics: tuple[str, ...]) -> None:
        for topic in topics:
            for fmt in (*sorted(self.formats), UNKNOWN):
                self.consumed.labels(topic=topic, format=fmt)
        for fmt in sorted(self.formats):
            self.parsed.labels(format=fmt)
        for reason, stage in KNOWN_REJECTIONS:
            self.rejected.labels(reason=reason, stage=stage)
        for reason in REASON_CODES:
            self.dead_letters.labels(reason=reason)
        for outcome in OUTCOMES:
            for link_reason in LINK_REASONS:
                self.link_decisions.labels(outcome=outcome, reason=link_reason)
        for update_type in UPDATE_TYPES:
            self.update_types.labels(update_type=update_type)
        for stage in STAGES:
            self.stage_seconds.labels(stage=stage)
        for topic in topics:
            for cause in REWIND_CAUSES:
                self.consumer_rewinds.labels(topic=topic, cause=cause)

    def format_label(self, fmt: str | None) -> str:
        """A format as label value: a known parser name, anything else is ``unknown``."""
        return fmt if fmt in self.formats else UNKNOWN

    def consumed_from(self, message: Any, fmt: str | None) -> None:
        """Count a consumed message and remember its partition's position for the lag gauge."""
        self.consumed.labels(topic=message.topic, format=self.format_label(fmt)).inc()
        if message.offset is not None:
            self.positions[(message.topic, message.partition)] = message.offset + 1
