"""A Faust consumer that never skips a fetched record of a partition it still owns.

faust-streaming's ``Consumer.getmany`` hands out a fetched batch partition by partition and
silently drops the records of a partition that is not *active* when its turn comes (paused for
table recovery between the fetch and the hand-out), without seeking back. The fetch position has
moved past them, so the running worker never sees them: its committed offset sticks at the first
one (the fault harness's scenario 6 caught a successor skipping 58 raw messages this way), and a
single dropped record can even be committed over (faust accepts a commit whose first acked offset
is one past the committed one). Worse, after a rebalance faust's streams acknowledge messages of
the old generation without processing them, and until table recovery ends the committed offset
is unknown, so those acknowledgements alone can be committed, past records nobody processed. And
the drain loop drops records below a partition's "read offset", which a handoff that straddles a
rebalance can move past records the rebalance's seek is about to bring again.

``ResumingConsumer`` hands out batches the same way, but when it holds back a partition's records
it seeks that partition back to the first of them, so they are fetched again once the partition
is active; it refuses commits over a hole; it ignores acknowledgements of messages fetched in an
earlier generation (the rebalance's seek to the committed offset brings them again); and it lets
every record it hands out through the read-offset filter (a record seen before is processed
again, which the idempotent merge absorbs, instead of one never seen being dropped).

``StuckCommitWatchdog`` is the second line: any other path that loses records in the consumer
shows as a committed offset that stays behind the last offset handed out while nothing of the
partition is in flight. After a few commit intervals like that it seeks the partition back to
its committed offset; the idempotent merge absorbs the records that are handed out again.

The consumer thread also pauses, in the Kafka client, every partition faust is not draining.
faust pauses and resumes partitions only in its own bookkeeping, so the client goes on fetching
all of them, the worker's own table changelogs included (after a start that needed no recovery,
faust never even marks those paused). Their records are never drained, and aiokafka sends no
fetch to a broker while a partition of it holds fresh undrained records: each time that happened
every partition of the broker waited 100 ms (aiokafka's prefetch backoff). That was the p99
latency at 100 msg/s, and the stall of the first messages after a start.

All of this reaches into faust's consumer internals (pinned faust-streaming version); they are kept to
this module, away from the agents and the core.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Callable, Iterable
from typing import Any

from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread
from faust.transport.drivers.aiokafka import Consumer as AIOKafkaConsumer
from faust.types.tuples import ack_lock

log = logging.getLogger("wirefeed.consumer")

RewindHook = Callable[[str, str], None]
"""Called with (topic, cause) whenever a partition is sought back."""


def _no_hook(topic: str, cause: str) -> None:
    return None


def mirror_active(client: Any, active: Any) -> None:
    """Pause in the Kafka client the assigned partitions faust is not draining; resume the ones it
    is. faust's and aiokafka's partition tuples compare equal."""
    assigned = client.assignment()
    paused = client.paused()
    stop = [tp for tp in assigned if tp not in active and tp not in paused]
    go = [tp for tp in paused if tp in active]
    if stop:
        client.pause(*stop)
    if go:
        client.resume(*go)


class _ConsumerThread(AIOKafkaConsumerThread):  # type: ignore[misc]
    fetch_wait_ms: int = 25

    async def _fetch_records(
        self,
        consumer: Any,
        active_partitions: Any,
        timeout: float | None = None,
        max_records: int | None = None,
    ) -> Any:
        # In the consumer thread, whose event loop aiokafka's pause and resume must run on.
        if active_partitions is not None:
            mirror_active(consumer, active_partitions)
        return await super()._fetch_records(
            consumer, active_partitions, timeout=timeout, max_records=max_records
        )

    def _create_worker_consumer(self, transport: Any) -> Any:
        consumer = super()._create_worker_consumer(transport)
        # Faust fixes the broker's fetch long poll at 1.5 s. aiokafka leaves a partition whose
        # records are still being handed out out of the next fetch, which then waits out the long
        # poll on the other partitions: each such cycle stalls a busy partition for up to 1.5 s
        # (half of a table restore's time, and a latency spike in the stream).
        consumer._fetch_max_wait_ms = self.fetch_wait_ms
        return consumer


class ResumingConsumer(AIOKafkaConsumer):  # type: ignore[misc]
    on_rewind: RewindHook = staticmethod(_no_hook)
    thread_class: type[_ConsumerThread] = _ConsumerThread

    def _new_consumer_thread(self) -> Any:
        return self.thread_class(self, loop=self.loop, beacon=self.beacon)

    async def _add_gap(self, tp: Any, offset_from: int, offset_to: int) -> None:
        # faust fills offset gaps as if acknowledged, for compacted or transactional sources
        # whose offsets may not exist. wirefeed's sources are neither: a gap means records were
        # skipped, and filling it would commit over them. The watchdog deals with the gap.
        return None

    def ack(self, message: Any) -> bool:
        # A message fetched before a rebalance and acknowledged after it (faust's streams even
        # acknowledge such messages unprocessed, as "skipped") must not count towards the new
        # generation's commits: until the table recovery ends, the committed offset is unknown
        # and those acknowledgements alone would be committed, past records never processed.
        # The rebalance seeks back to the committed offset, so such messages come again.
        generation = getattr(message, "generation_id", None)
        if generation is not None and generation != self.app.consumer_generation_id:
            with ack_lock:
                message.acked = True
                self._unacked_messages.discard(message)
            return False
        acked: bool = super().ack(message)
        return acked

    def _new_offset(self, tp: Any) -> int | None:
        # ``_committed_offset`` is the next offset to read, but faust's own check lets a commit
        # through when the first acknowledged offset is one past it, skipping that record.
        acked = self._acked[tp]
        committed = self._committed_offset[tp]
        if acked and committed is not None and min(acked) > committed:
            return None
        offset: int | None = super()._new_offset(tp)
        return offset

    async def getmany(self, timeout: float) -> AsyncIterator[tuple[Any, Any]]:
        records, active = await self._wait_next_records(timeout)
        generation = self.app.consumer_generation_id
        if records is None or self.should_stop:
            return
        if not self.flow_active:
            # As faust does: a batch fetched while the flow stopped is dropped whole and every
            # partition goes back to its committed offset.
            try:
                await self.perform_seek()
            except Exception as exc:
                log.warning("seek to committed offsets failed: %s", exc)
            return
        held: set[Any] = set()
        to_message = self._to_message
        read_offset = self._read_offset
        for tp, record in self.scheduler.iterate(records):
            if not self.flow_active or self.app.consumer_generation_id != generation:
                # A rebalance began: when it ends, faust seeks every partition to its committed
                # offset, which brings back the rest of this batch.
                return
            if tp in held:
                continue
            if active is None or tp in active or tp in self._buffered_partitions:
                self.app.monitor.track_tp_end_offset(tp, self.highwater(tp))
                # The drain loop drops a record below the partition's read offset as already seen.
                # But a handoff that was waiting when a rebalance began finishes after the seek
                # to the committed offset and moves the read offset past records not yet read
                # again: they would be dropped unseen. Every record goes through; one seen before
                # is processed again, which the idempotent merge absorbs.
                read_offset[tp] = None
                yield tp, to_message(tp, record)
                continue
            held.add(tp)
            await self._seek_back(tp, record.offset, "held_back")

    async def _seek_back(self, tp: Any, offset: int, cause: str) -> None:
        if tp not in self.assignment():
            return  # revoked: its next owner starts from the committed offset
        log.warning(
            "%s[%s]: records from offset %s held back; seeking back (%s)",
            tp.topic,
            tp.partition,
            offset,
            cause,
        )
        await self.seek(tp, offset)
        self.on_rewind(tp.topic, cause)


def resuming_consumer(on_rewind: RewindHook, fetch_wait_ms: int = 25) -> type[ResumingConsumer]:
    """The consumer class for one app: its rewinds reported through ``on_rewind``, the broker's
    fetch long poll at ``fetch_wait_ms``."""
    thread = type("ConsumerThread", (_ConsumerThread,), {"fetch_wait_ms": fetch_wait_ms})
    return type(
        "ResumingConsumer",
        (ResumingConsumer,),
        {"on_rewind": staticmethod(on_rewind), "thread_class": thread},
    )


class StuckCommitWatchdog:
    """Seeks a source partition back to its committed offset when the record at that offset was
    skipped: later records were handed out, but that one is neither in flight nor acknowledged,
    so the commit can never move. Seen on two checks ``stuck_after`` seconds apart before acting."""

    def __init__(self, app: Any, topics: Iterable[str], stuck_after: float) -> None:
        self.app = app
        self.topics = frozenset(topics)
        self.stuck_after = stuck_after
        self._since: dict[Any, tuple[int, float]] = {}

    def holes(self, consumer: Any) -> dict[Any, tuple[int, int]]:
        """Partitions whose committed offset (the next to read) is a skipped record: (committed,
        last offset handed out) per partition."""
        in_flight = {(message.tp, message.offset) for message in list(consumer._unacked_messages)}
        out = {}
        for tp in consumer.assignment():
            if tp.topic not in self.topics:
                continue
            read = consumer._read_offset.get(tp)
            committed = consumer._committed_offset.get(tp)
            if read is None or committed is None or committed >= read:
                continue
            if (tp, committed) in in_flight or committed in consumer._acked_index[tp]:
                continue
            out[tp] = (committed, read)
        return out

    async def check(self, now: float | None = None) -> list[Any]:
        """One round; returns the partitions sought back."""
        app = self.app
        recovery = app.tables.recovery
        if app.rebalancing or recovery.in_recovery or not recovery.completed.is_set() or app.should_stop:
            self._since.clear()
            return []
        consumer = app.consumer
        if not consumer.flow_active:
            return []
        now = time.monotonic() if now is None else now
        holes = self.holes(consumer)
        for tp in list(self._since):
            if tp not in holes:
                del self._since[tp]
        rewound = []
        for tp, (committed, read) in holes.items():
            first = self._since.get(tp)
            if first is None or first[0] != committed:
                self._since[tp] = (committed, now)
                continue
            if now - first[1] >= self.stuck_after:
                del self._since[tp]
                await self._unstick(consumer, tp, committed, read)
                rewound.append(tp)
        return rewound

    async def _unstick(self, consumer: Any, tp: Any, committed: int, read: int) -> None:
        earliest = (await consumer.earliest_offsets(tp)).get(tp)
        if earliest is not None and earliest > committed:
            # Retention deleted the records from the committed offset on before they were read:
            # they cannot be fetched again, so the commit may move past them.
            log.error(
                "%s[%s]: records %s..%s deleted by retention before they were processed",
                tp.topic,
                tp.partition,
                committed,
                earliest - 1,
            )
            consumer._committed_offset[tp] = earliest
            consumer.on_rewind(tp.topic, "deleted_by_retention")
            return
        log.warning(
            "%s[%s]: record %s skipped (%s handed out since); seeking back to it",
            tp.topic,
            tp.partition,
            committed,
            read,
        )
        await consumer.seek(tp, committed)
        consumer.on_rewind(tp.topic, "skipped_record")


def register_watchdog(
    app: Any, topics: Iterable[str], interval: float, stuck_after: float
) -> StuckCommitWatchdog:
    """Install the watchdog's timer on the app; called from ``create_app``."""
    watchdog = StuckCommitWatchdog(app, topics, stuck_after)

    @app.timer(interval=interval, name="wirefeed.stuck_commit_watchdog")
    async def _watch() -> None:
        try:
            await watchdog.check()
        except Exception as exc:  # a check must never stop the worker
            log.warning("stuck-commit check failed: %s: %s", type(exc).__name__, exc)

    return watchdog
