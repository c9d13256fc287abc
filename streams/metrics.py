"""Prometheus metrics, registered on a registry the composition root passes in (never global).

Names follow Prometheus conventions: base units (``_seconds``), counters end in ``_total``,
labels take values from small fixed sets (reason codes, formats, outcomes, update types).
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
_STAGE_BUCKETS = (0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0)


class Metrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry
        self.consumed = Counter(
            "wirefeed_messages_consumed_total", "Messages read from a topic.", ["topic"], registry=registry
        )
        self.parsed = Counter(
            "wirefeed_items_parsed_total", "Items parsed, by format.", ["format"], registry=registry
        )
        self.rejected = Counter(
            "wirefeed_messages_rejected_total",
            "Messages rejected, by reason code.",
            ["reason", "stage"],
            registry=registry,
        )
        self.dead_letters = Counter(
            "wirefeed_dead_letters_total",
            "Messages written to the dead-letter topic.",
            ["reason"],
            registry=registry,
        )
        self.link_decisions = Counter(
            "wirefeed_link_decisions_total",
            "Linking decisions, by outcome and reason.",
            ["outcome", "reason"],
            registry=registry,
        )
        self.update_types = Counter(
            "wirefeed_update_types_total",
            "Published story versions, by update type.",
            ["update_type"],
            registry=registry,
        )
        self.events = Counter("wirefeed_events_published_total", "Story events published.", registry=registry)
        self.stage_seconds = Histogram(
            "wirefeed_stage_seconds",
            "Processing time per stage.",
            ["stage"],
            buckets=_STAGE_BUCKETS,
            registry=registry,
        )
        self.end_to_end = Histogram(
            "wirefeed_end_to_end_latency_seconds",
            "From received_at to the story event being acknowledged.",
            buckets=_LATENCY_BUCKETS,
            registry=registry,
        )
        self.window_stories = Gauge(
            "wirefeed_linking_window_stories", "Stories in the linking candidate index.", registry=registry
        )
        self.table_stories = Gauge(
            "wirefeed_state_stories", "Stories in this worker's state table.", registry=registry
        )
        self.consumer_lag = Gauge(
            "wirefeed_consumer_lag_messages",
            "Messages not yet consumed, per topic partition.",
            ["topic", "partition"],
            registry=registry,
        )
