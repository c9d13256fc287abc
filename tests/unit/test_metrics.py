"""Metrics on a fresh registry: names, labels, pre-initialised series, promtool lint; the lag
measurement and the readiness rule with stand-ins for Faust's objects."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import prometheus_client
import pytest
from prometheus_client import CollectorRegistry, generate_latest

from streams.errors import REASON_CODES
from streams.lag import ConsumerLag, measure, partition_lag
from streams.metrics import KNOWN_REJECTIONS, LINK_REASONS, OUTCOMES, UNKNOWN, UPDATE_TYPES, Metrics
from streams.web import is_ready
from tests.ops.tools import check_metrics

FORMATS = ("dpa_text", "newsml_g2")
TOPICS = ("wire.raw", "wire.items")

# name (as exposed, counters with _total) -> (type, label names): the table in deploy/README.md.
DOCUMENTED = {
    "wirefeed_messages_consumed_total": ("counter", ("format", "topic")),
    "wirefeed_items_parsed_total": ("counter", ("format",)),
    "wirefeed_messages_rejected_total": ("counter", ("reason", "stage")),
    "wirefeed_send_retries_total": ("counter", ("topic",)),
    "wirefeed_dead_letters_total": ("counter", ("reason",)),
    "wirefeed_link_decisions_total": ("counter", ("outcome", "reason")),
    "wirefeed_update_types_total": ("counter", ("update_type",)),
    "wirefeed_events_published_total": ("counter", ()),
    "wirefeed_stage_seconds": ("histogram", ("stage",)),
    "wirefeed_end_to_end_latency_seconds": ("histogram", ()),
    "wirefeed_linking_window_stories": ("gauge", ()),
    "wirefeed_state_stories": ("gauge", ()),
    "wirefeed_consumer_lag_messages": ("gauge", ("partition", "topic")),
    "wirefeed_consumer_rewinds_total": ("counter", ("cause", "topic")),
}


def fresh() -> tuple[CollectorRegistry, Metrics]:
    registry = CollectorRegistry()
    return registry, Metrics(registry, topics=TOPICS, formats=FORMATS)


def families(registry: CollectorRegistry) -> dict[str, tuple[str, tuple[str, ...]]]:
    found = {}
    for family in registry.collect():
        name = family.name + "_total" if family.type == "counter" else family.name
        labels: set[str] = set()
        for sample in family.samples:
            labels |= set(sample.labels) - {"le"}
        found[name] = (family.type, tuple(sorted(labels)))
    return found


def message(topic: str = "wire.raw", partition: int = 0, offset: int = 41) -> Any:
    return SimpleNamespace(topic=topic, partition=partition, offset=offset)


def test_names_types_and_labels_as_documented() -> None:
    registry, metrics = fresh()
    # Observe once so that label-less and lag series show their labels too.
    metrics.consumer_lag.labels(topic="wire.raw", partition="0").set(3)
    metrics.send_retries.labels(topic="wire.items").inc(0)
    assert families(registry) == DOCUMENTED


def test_conventions() -> None:
    registry, _ = fresh()
    for family in registry.collect():
        if family.type == "histogram":
            assert family.name.endswith("_seconds"), family.name
        assert family.name.startswith("wirefeed_")
        assert family.documentation


def test_never_the_global_registry() -> None:
    fresh()
    fresh()  # a second set of metrics does not clash: nothing is registered globally
    global_names = {f.name for f in prometheus_client.REGISTRY.collect()}
    assert not any(name.startswith("wirefeed") for name in global_names)


def test_known_label_combinations_start_at_zero() -> None:
    registry, _ = fresh()
    value = registry.get_sample_value
    for reason in REASON_CODES:
        assert value("wirefeed_dead_letters_total", {"reason": reason}) == 0
    for reason, stage in KNOWN_REJECTIONS:
        assert value("wirefeed_messages_rejected_total", {"reason": reason, "stage": stage}) == 0
    for topic in TOPICS:
        for fmt in (*FORMATS, UNKNOWN):
            assert value("wirefeed_messages_consumed_total", {"topic": topic, "format": fmt}) == 0
    for fmt in FORMATS:
        assert value("wirefeed_items_parsed_total", {"format": fmt}) == 0
    assert {"new_story", "new_version", "duplicate", "stale"} <= set(OUTCOMES)
    for outcome in OUTCOMES:
        for reason in LINK_REASONS:
            assert value("wirefeed_link_decisions_total", {"outcome": outcome, "reason": reason}) == 0
    for update_type in UPDATE_TYPES:
        assert value("wirefeed_update_types_total", {"update_type": update_type}) == 0
    assert value("wirefeed_events_published_total") == 0
    for stage in ("ingest", "link"):
        assert value("wirefeed_stage_seconds_count", {"stage": stage}) == 0
    assert value("wirefeed_end_to_end_latency_seconds_count") == 0


def test_consumed_from_counts_by_known_format_and_remembers_the_position() -> None:
    registry, metrics = fresh()
    metrics.consumed_from(message(offset=41), "dpa_text")
    metrics.consumed_from(message(offset=42), "made-up-by-a-producer")
    metrics.consumed_from(message(topic="wire.items", partition=2, offset=7), None)
    value = registry.get_sample_value
    assert value("wirefeed_messages_consumed_total", {"topic": "wire.raw", "format": "dpa_text"}) == 1
    assert value("wirefeed_messages_consumed_total", {"topic": "wire.raw", "format": UNKNOWN}) == 1
    assert value("wirefeed_messages_consumed_total", {"topic": "wire.items", "format": UNKNOWN}) == 1
    assert metrics.positions == {("wire.raw", 0): 43, ("wire.items", 2): 8}


def test_promtool_check_metrics_is_clean() -> None:
    registry, metrics = fresh()
    metrics.consumed_from(message(), "dpa_text")
    metrics.dead_letters.labels(reason="bad_encoding").inc()
    metrics.stage_seconds.labels(stage="ingest").observe(0.002)
    metrics.end_to_end.observe(1.5)
    metrics.consumer_lag.labels(topic="wire.raw", partition="0").set(5)
    assert check_metrics(generate_latest(registry)) == ""


# ------------------------------------------------------------------------------ consumer lag


class FakeConsumer:
    def __init__(
        self, highwater: dict[Any, int | None], broker: dict[Any, int], position: dict[Any, int]
    ) -> None:
        self._highwater, self._broker, self._position = highwater, broker, position
        self.assigned = set(highwater)

    def assignment(self) -> set[Any]:
        return self.assigned

    def highwater(self, tp: Any) -> int | None:
        if tp not in self.assigned:
            raise AssertionError("Partition is not assigned")
        return self._highwater[tp]

    async def highwaters(self, *tps: Any) -> dict[Any, int]:
        return {tp: self._broker[tp] for tp in tps}

    async def position(self, tp: Any) -> int:
        return self._position[tp]


def tp(topic: str, partition: int) -> Any:
    from faust.types import TP

    return TP(topic, partition)


def test_partition_lag() -> None:
    assert partition_lag(100, 90) == 10
    assert partition_lag(100, 120) == 0
    assert partition_lag(None, 3) is None
    assert partition_lag(5, None) is None
    assert partition_lag(-1, 0) is None


def test_measure_prefers_processed_positions_and_fills_gaps() -> None:
    raw0, raw1, items0 = tp("wire.raw", 0), tp("wire.raw", 1), tp("wire.items", 0)
    consumer = FakeConsumer(
        highwater={raw0: 50, raw1: None, items0: 9},
        broker={raw1: 30},
        position={raw0: 50, raw1: 10, items0: 4},
    )
    lags = asyncio.run(measure(consumer, [raw0, raw1, items0], {("wire.raw", 0): 20}))
    # raw0: processed position (fetch position is ahead); raw1: broker highwater, fetch position.
    assert lags == {raw0: 30, raw1: 20, items0: 5}


def test_consumer_lag_gauge_follows_the_assignment() -> None:
    registry, metrics = fresh()
    raw0, raw1, changelog = tp("wire.raw", 0), tp("wire.raw", 1), tp("wirefeed-stories-changelog", 0)
    consumer = FakeConsumer(
        highwater={raw0: 10, raw1: 7, changelog: 1000},
        broker={},
        position={raw0: 4, raw1: 7, changelog: 0},
    )
    lag = ConsumerLag(SimpleNamespace(consumer=consumer), metrics, TOPICS)
    asyncio.run(lag.update())
    value = registry.get_sample_value
    assert value("wirefeed_consumer_lag_messages", {"topic": "wire.raw", "partition": "0"}) == 6
    assert value("wirefeed_consumer_lag_messages", {"topic": "wire.raw", "partition": "1"}) == 0
    assert value("wirefeed_consumer_lag_messages", {"topic": changelog.topic, "partition": "0"}) is None
    consumer.assigned = {raw0}
    asyncio.run(lag.update())
    assert value("wirefeed_consumer_lag_messages", {"topic": "wire.raw", "partition": "1"}) is None
    metrics.consumed_from(message(partition=0, offset=9), "dpa_text")
    lag.revoked([raw0])
    assert metrics.positions == {}
    assert value("wirefeed_consumer_lag_messages", {"topic": "wire.raw", "partition": "0"}) is None


def test_consumer_lag_before_the_consumer_started() -> None:
    class NotStarted:
        def assignment(self) -> set[Any]:
            raise RuntimeError("Consumer thread not yet started")

    _, metrics = fresh()
    lag = ConsumerLag(SimpleNamespace(consumer=NotStarted()), metrics, TOPICS)
    assert lag.assigned() == []
    asyncio.run(lag.update())


# ------------------------------------------------------------------------------ readiness


class Flag:
    def __init__(self, value: bool) -> None:
        self.value = value

    def is_set(self) -> bool:
        return self.value


def fake_wf(assigned: set[Any], rebalancing: bool, completed: bool, in_recovery: bool) -> Any:
    recovery = SimpleNamespace(completed=Flag(completed), in_recovery=in_recovery)
    app = SimpleNamespace(
        assignor=SimpleNamespace(assigned_actives=lambda: assigned),
        rebalancing=rebalancing,
        tables=SimpleNamespace(recovery=recovery),
    )
    settings = SimpleNamespace(topic_raw="wire.raw", topic_items="wire.items")
    return SimpleNamespace(app=app, settings=settings)


@pytest.mark.parametrize(
    ("assigned", "rebalancing", "completed", "in_recovery", "ready"),
    [
        ({tp("wire.raw", 0)}, False, True, False, True),
        (set(), False, True, False, False),
        ({tp("wire.raw", 0)}, True, True, False, False),
        ({tp("wire.raw", 0)}, False, False, False, False),
        ({tp("wire.raw", 0)}, False, True, True, False),
    ],
)
def test_is_ready(
    assigned: set[Any], rebalancing: bool, completed: bool, in_recovery: bool, ready: bool
) -> None:
    ok, detail = is_ready(fake_wf(assigned, rebalancing, completed, in_recovery))
    assert ok is ready
    assert detail["ready"] is ready


def test_is_ready_uses_attributes_faust_has() -> None:
    """Against a real (not started) faust-streaming app: the attributes exist, it is not ready."""
    from streams.app import create_app
    from streams.settings import load_settings

    registry = CollectorRegistry()
    wf = create_app(load_settings(store="memory://"), registry)
    recovery = wf.app.tables.recovery
    assert hasattr(recovery, "completed") and hasattr(recovery.completed, "is_set")
    assert hasattr(recovery, "in_recovery")
    assert isinstance(wf.app.rebalancing, bool)
    assert wf.app.assignor.assigned_actives() == set()
    assert is_ready(wf) == (
        False,
        {"ready": False, "assigned": 0, "assigned_inputs": 0, "rebalancing": False, "recovered": False},
    )
    # create_app put the metrics on the registry it was given, with formats from the parsers.
    assert (
        registry.get_sample_value(
            "wirefeed_messages_consumed_total", {"topic": wf.settings.topic_raw, "format": "dpa_text"}
        )
        == 0
    )
