"""The consumer fixes in streams/consumer.py, on stand-ins for faust's consumer state.

The real paths run under fire in the fault harness (scenario 6 restores 100,000 stories while
records arrive); here each rule is pinned down on its own: records of a partition paused between
fetch and hand-out are sought back, never dropped; a commit never jumps a record; a skipped
record is sought back once it has stayed skipped, and only then.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from types import SimpleNamespace
from typing import Any, NamedTuple

from streams.consumer import ResumingConsumer, StuckCommitWatchdog


class TP(NamedTuple):
    topic: str
    partition: int


RAW0, RAW1, ITEMS0 = TP("wire.raw", 0), TP("wire.raw", 1), TP("wire.items", 0)


class RoundRobin:
    @staticmethod
    def iterate(records: dict[Any, list[Any]]) -> Any:
        iterators = {tp: iter(rs) for tp, rs in records.items()}
        while iterators:
            for tp in list(iterators):
                record = next(iterators[tp], None)
                if record is None:
                    del iterators[tp]
                else:
                    yield tp, record


class FakeConsumer:
    """What ``ResumingConsumer.getmany`` and the watchdog read of faust's consumer."""

    def __init__(self, records: dict[Any, list[int]], active: set[Any], assigned: set[Any]) -> None:
        self.records = {tp: [SimpleNamespace(offset=o) for o in offsets] for tp, offsets in records.items()}
        self.active = active
        self.assigned = assigned
        self.sought: list[tuple[Any, int]] = []
        self.rewinds: list[tuple[str, str]] = []
        self.flow_active = True
        self.should_stop = False
        self.scheduler = RoundRobin()
        self._buffered_partitions: set[Any] = set()
        self.app = SimpleNamespace(
            consumer_generation_id=1,
            monitor=SimpleNamespace(track_tp_end_offset=lambda tp, hw: None),
            rebalancing=False,
            should_stop=False,
            tables=SimpleNamespace(
                recovery=SimpleNamespace(in_recovery=False, completed=SimpleNamespace(is_set=lambda: True))
            ),
            consumer=self,
        )
        self._read_offset: dict[Any, int | None] = defaultdict(lambda: None)
        self._committed_offset: dict[Any, int | None] = defaultdict(lambda: None)
        self._acked_index: dict[Any, set[int]] = defaultdict(set)
        self._acked: dict[Any, list[int]] = defaultdict(list)
        self._unacked_messages: list[Any] = []
        self.earliest = 0
        self.pause_after: tuple[Any, int] | None = None

    async def _wait_next_records(self, timeout: float) -> tuple[Any, Any]:
        return self.records, self.active

    def _to_message(self, tp: Any, record: Any) -> Any:
        if self.pause_after and (tp, record.offset) == self.pause_after:
            # The partition is paused (table recovery) while its batch is being handed out.
            self.active.discard(tp)
        return SimpleNamespace(tp=tp, offset=record.offset)

    def highwater(self, tp: Any) -> int:
        return 1000

    def assignment(self) -> set[Any]:
        return self.assigned

    async def seek(self, tp: Any, offset: int) -> None:
        self.sought.append((tp, offset))
        self._read_offset[tp] = offset

    async def earliest_offsets(self, *tps: Any) -> dict[Any, int]:
        return {tp: self.earliest for tp in tps}

    def on_rewind(self, topic: str, cause: str) -> None:
        self.rewinds.append((topic, cause))

    async def _seek_back(self, tp: Any, offset: int, cause: str) -> None:
        await ResumingConsumer._seek_back(self, tp, offset, cause)  # type: ignore[arg-type]


def handed_out(consumer: FakeConsumer) -> list[tuple[Any, int]]:
    async def collect() -> list[tuple[Any, int]]:
        return [(tp, m.offset) async for tp, m in ResumingConsumer.getmany(consumer, 1.0)]  # type: ignore[arg-type]

    return asyncio.run(collect())


def test_records_of_an_inactive_partition_are_sought_back_not_dropped() -> None:
    consumer = FakeConsumer({RAW0: [5, 6], RAW1: [7, 8]}, active={RAW0}, assigned={RAW0, RAW1})
    assert handed_out(consumer) == [(RAW0, 5), (RAW0, 6)]
    assert consumer.sought == [(RAW1, 7)]
    assert consumer.rewinds == [("wire.raw", "held_back")]


def test_a_partition_paused_mid_batch_keeps_the_rest_of_its_records_for_later() -> None:
    consumer = FakeConsumer({RAW0: [5, 6, 7], RAW1: [1, 2]}, active={RAW0, RAW1}, assigned={RAW0, RAW1})
    consumer.pause_after = (RAW0, 5)
    assert handed_out(consumer) == [(RAW0, 5), (RAW1, 1), (RAW1, 2)]
    assert consumer.sought == [(RAW0, 6)]


def test_a_revoked_partition_is_left_to_its_next_owner() -> None:
    consumer = FakeConsumer({RAW0: [5], RAW1: [7]}, active={RAW0}, assigned={RAW0})
    assert handed_out(consumer) == [(RAW0, 5)]
    assert consumer.sought == []


def test_a_rebalance_stops_the_hand_out_without_seeking() -> None:
    consumer = FakeConsumer({RAW0: [5, 6]}, active={RAW0}, assigned={RAW0})

    def to_message(tp: Any, record: Any) -> Any:
        consumer.app.consumer_generation_id = 2
        return SimpleNamespace(tp=tp, offset=record.offset)

    consumer._to_message = to_message  # type: ignore[method-assign]
    assert handed_out(consumer) == [(RAW0, 5)]
    assert consumer.sought == []


def test_a_commit_never_jumps_the_record_at_the_committed_offset() -> None:
    # faust would commit 33 for acked [32] over a committed 31 (the next offset to read):
    # record 31 would never be processed. The guard answers before faust's own computation.
    for acked in ([32], [40, 41]):
        state = SimpleNamespace(_acked={RAW0: acked}, _committed_offset={RAW0: 31})
        assert ResumingConsumer._new_offset(state, RAW0) is None  # type: ignore[arg-type]


def stuck(
    consumer: FakeConsumer, tp: Any, committed: int, read: int, acked: frozenset[int] = frozenset()
) -> None:
    consumer._committed_offset[tp] = committed
    consumer._read_offset[tp] = read
    consumer._acked_index[tp] = set(acked)


def test_the_watchdog_seeks_a_skipped_record_back_after_it_stayed_skipped() -> None:
    consumer = FakeConsumer({}, active={RAW0, ITEMS0}, assigned={RAW0, ITEMS0})
    watchdog = StuckCommitWatchdog(consumer.app, ["wire.raw", "wire.items"], stuck_after=10)
    stuck(consumer, RAW0, committed=2591, read=2700, acked=frozenset({2649, 2650}))
    assert asyncio.run(watchdog.check(now=100.0)) == []
    assert asyncio.run(watchdog.check(now=105.0)) == []
    assert asyncio.run(watchdog.check(now=111.0)) == [RAW0]
    assert consumer.sought == [(RAW0, 2591)]
    assert consumer.rewinds == [("wire.raw", "skipped_record")]


def test_the_watchdog_leaves_records_in_flight_acked_or_moving_alone() -> None:
    consumer = FakeConsumer({}, active={RAW0, RAW1, ITEMS0}, assigned={RAW0, RAW1, ITEMS0})
    watchdog = StuckCommitWatchdog(consumer.app, ["wire.raw", "wire.items"], stuck_after=10)
    stuck(consumer, RAW0, committed=10, read=20)
    consumer._unacked_messages.append(SimpleNamespace(tp=RAW0, offset=10))  # slow, not skipped
    stuck(consumer, RAW1, committed=10, read=20, acked=frozenset({10, 11}))  # acked, commit pending
    stuck(consumer, ITEMS0, committed=21, read=20)  # at rest: committed one past the last read
    for now in (100.0, 120.0, 140.0):
        assert asyncio.run(watchdog.check(now=now)) == []
    assert consumer.sought == []


def test_the_watchdog_restarts_its_clock_when_the_commit_moves() -> None:
    consumer = FakeConsumer({}, active={RAW0}, assigned={RAW0})
    watchdog = StuckCommitWatchdog(consumer.app, ["wire.raw"], stuck_after=10)
    stuck(consumer, RAW0, committed=10, read=20)
    asyncio.run(watchdog.check(now=100.0))
    stuck(consumer, RAW0, committed=15, read=30)
    assert asyncio.run(watchdog.check(now=111.0)) == []
    assert asyncio.run(watchdog.check(now=122.0)) == [RAW0]


def test_records_deleted_by_retention_let_the_commit_move_on() -> None:
    consumer = FakeConsumer({}, active={RAW0}, assigned={RAW0})
    consumer.earliest = 500
    watchdog = StuckCommitWatchdog(consumer.app, ["wire.raw"], stuck_after=0)
    stuck(consumer, RAW0, committed=10, read=600)
    asyncio.run(watchdog.check(now=1.0))
    assert asyncio.run(watchdog.check(now=2.0)) == [RAW0]
    assert consumer.sought == []
    assert consumer._committed_offset[RAW0] == 500
    assert consumer.rewinds == [("wire.raw", "deleted_by_retention")]


def test_the_watchdog_waits_while_the_tables_recover() -> None:
    consumer = FakeConsumer({}, active={RAW0}, assigned={RAW0})
    consumer.app.tables.recovery.in_recovery = True
    watchdog = StuckCommitWatchdog(consumer.app, ["wire.raw"], stuck_after=0)
    stuck(consumer, RAW0, committed=10, read=20)
    for now in (1.0, 2.0):
        assert asyncio.run(watchdog.check(now=now)) == []


def test_acknowledgements_from_an_earlier_generation_do_not_count() -> None:
    # After a rebalance faust's streams acknowledge the old generation's queued messages without
    # processing them; counted, they could be committed before the committed offset is known.
    consumer = FakeConsumer({}, active={RAW0}, assigned={RAW0})
    consumer.app.consumer_generation_id = 3
    stale = SimpleNamespace(tp=RAW0, offset=12, generation_id=2, acked=False)
    consumer._unacked_messages.append(stale)
    consumer._unacked_messages = set_like(consumer._unacked_messages)
    assert ResumingConsumer.ack(consumer, stale) is False  # type: ignore[arg-type]
    assert stale.acked
    assert not consumer._acked[RAW0] and 12 not in consumer._acked_index[RAW0]
    assert stale not in consumer._unacked_messages


class set_like(list[Any]):
    def discard(self, item: Any) -> None:
        if item in self:
            self.remove(item)


def test_the_worker_consumer_long_polls_as_configured(tmp_path: Any) -> None:
    from streams.app import create_app
    from streams.settings import load_settings

    async def build() -> int:
        wf = create_app(load_settings(data_dir=tmp_path, consumer_fetch_wait_ms=250))
        client = wf.app.consumer._thread._create_worker_consumer(wf.app.transport)
        try:
            return int(client._fetch_max_wait_ms)
        finally:
            await client.stop()

    assert asyncio.run(build()) == 250


def test_every_record_handed_out_passes_the_read_offset_filter() -> None:
    # A handoff that straddled a rebalance left the read offset at 1210; the seek to the committed
    # offset brings 836 onwards again, and faust's drain loop would drop them as already seen.
    consumer = FakeConsumer({RAW0: [836, 837]}, active={RAW0}, assigned={RAW0})
    consumer._read_offset[RAW0] = 1210

    async def collect() -> list[Any]:
        seen = []
        async for tp, message in ResumingConsumer.getmany(consumer, 1.0):  # type: ignore[arg-type]
            seen.append((message.offset, consumer._read_offset[tp]))
            consumer._read_offset[tp] = message.offset  # what the drain loop does after delivery
        return seen

    assert asyncio.run(collect()) == [(836, None), (837, None)]


class FakeClient:
    """aiokafka's consumer as ``mirror_active`` sees it: assignment, paused set, pause/resume."""

    def __init__(self, assigned: set[Any], paused: set[Any]) -> None:
        self._assigned, self._paused = assigned, set(paused)

    def assignment(self) -> set[Any]:
        return set(self._assigned)

    def paused(self) -> set[Any]:
        return set(self._paused)

    def pause(self, *tps: Any) -> None:
        self._paused.update(tps)

    def resume(self, *tps: Any) -> None:
        self._paused.difference_update(tps)


def test_the_client_fetches_only_what_faust_drains() -> None:
    from aiokafka import TopicPartition
    from faust.types import TP

    from streams.consumer import mirror_active

    raw = [TopicPartition("wire.raw", p) for p in range(2)]
    changelog = [TopicPartition("wirefeed-stories-changelog", p) for p in range(2)]
    client = FakeClient(set(raw + changelog), paused={raw[1]})
    # faust drains both raw partitions (its own tuple type) and neither changelog partition.
    mirror_active(client, {TP("wire.raw", 0), TP("wire.raw", 1)})
    assert client.paused() == set(changelog)
    # Recovery: faust drains a changelog partition again; the client resumes it.
    mirror_active(client, {TP("wire.raw", 0), TP("wire.raw", 1), TP("wirefeed-stories-changelog", 1)})
    assert client.paused() == {changelog[0]}
