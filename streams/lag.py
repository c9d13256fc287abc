"""Consumer lag per assigned input partition, measured by a Faust timer every few seconds.

Lag is ``highwater - position``: the highwater is the offset the next message written to the
partition will get (``app.consumer.highwater(tp)``, from the latest fetch response, or asked of
the broker when no fetch has answered yet); the position is the offset after the last message
the agents took (recorded by ``Metrics.consumed_from``), or, before this worker has taken one
from the partition, the consumer's fetch position (which starts at the committed offset).
Only the input topics the agents consume are measured (changelog partitions are recovery's).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from streams.metrics import Metrics

log = logging.getLogger("wirefeed.lag")

LAG_INTERVAL_SECONDS = 5.0
_CALL_TIMEOUT_SECONDS = 5.0


def partition_lag(highwater: int | None, position: int | None) -> int | None:
    """Messages behind, never negative; None when either offset is unknown."""
    if highwater is None or position is None or highwater < 0 or position < 0:
        return None
    return max(0, highwater - position)


async def measure(
    consumer: Any, tps: Iterable[Any], positions: Mapping[tuple[str, int], int]
) -> dict[Any, int]:
    """Lag of each partition whose offsets can be told now (others are left out)."""
    tps = list(tps)
    highwaters: dict[Any, int | None] = {}
    for tp in tps:
        try:
            highwaters[tp] = consumer.highwater(tp)
        except Exception:  # not (or no longer) assigned to the client
            highwaters[tp] = None
    missing = [tp for tp, value in highwaters.items() if value is None]
    if missing:
        try:
            answered = await asyncio.wait_for(consumer.highwaters(*missing), _CALL_TIMEOUT_SECONDS)
            highwaters.update({tp: answered.get(tp) for tp in missing})
        except Exception as exc:
            log.debug("highwaters of %s unavailable: %s", missing, exc)
    lags: dict[Any, int] = {}
    for tp in tps:
        position = positions.get((tp.topic, tp.partition))
        if position is None:
            try:
                position = await asyncio.wait_for(consumer.position(tp), _CALL_TIMEOUT_SECONDS)
            except Exception as exc:
                log.debug("position of %s unavailable: %s", tp, exc)
        lag = partition_lag(highwaters.get(tp), position)
        if lag is not None:
            lags[tp] = lag
    return lags


class ConsumerLag:
    """Keeps ``wirefeed_consumer_lag_messages`` current for the partitions assigned now."""

    def __init__(self, app: Any, metrics: Metrics, topics: Iterable[str]) -> None:
        self.app = app
        self.metrics = metrics
        self.topics = frozenset(topics)
        self._shown: set[tuple[str, int]] = set()

    def assigned(self) -> list[Any]:
        try:
            assignment = self.app.consumer.assignment()
        except Exception:  # consumer not started yet
            return []
        return sorted(tp for tp in assignment if tp.topic in self.topics)

    async def update(self) -> None:
        tps = self.assigned()
        lags = await measure(self.app.consumer, tps, self.metrics.positions)
        current = {(tp.topic, tp.partition) for tp in tps}
        for topic, partition in self._shown - current:
            self.forget(topic, partition)
        for tp, lag in lags.items():
            self.metrics.consumer_lag.labels(topic=tp.topic, partition=str(tp.partition)).set(lag)
            self._shown.add((tp.topic, tp.partition))

    def forget(self, topic: str, partition: int) -> None:
        """Drop a partition that is no longer ours: its series and its remembered position."""
        self.metrics.positions.pop((topic, partition), None)
        if (topic, partition) in self._shown:
            self._shown.discard((topic, partition))
            with contextlib.suppress(KeyError):
                self.metrics.consumer_lag.remove(topic, str(partition))

    def revoked(self, tps: Iterable[Any]) -> None:
        for tp in tps:
            if tp.topic in self.topics:
                self.forget(tp.topic, tp.partition)


def register_lag(wf: Any, interval: float = LAG_INTERVAL_SECONDS) -> ConsumerLag:
    """Install the lag timer and the revocation hook on the app; called from ``create_app``."""
    settings = wf.settings
    lag = ConsumerLag(wf.app, wf.metrics, (settings.topic_raw, settings.topic_items))

    @wf.app.on_partitions_revoked.connect
    async def _revoked(sender: Any, revoked: Any = None, **kwargs: Any) -> None:
        lag.revoked(revoked or ())

    @wf.app.timer(interval=interval, name="wirefeed.consumer_lag")
    async def _consumer_lag() -> None:
        try:
            await lag.update()
        except Exception as exc:  # a measurement must never stop the worker
            log.warning("consumer lag not measured: %s: %s", type(exc).__name__, exc)

    return lag
