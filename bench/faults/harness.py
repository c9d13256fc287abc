"""One fault run: fresh topics and consumer group on a broker the harness owns, worker processes
(``python -m streams.cli worker``), a labelled stream plus the poison set, the scenario's faults,
a wait until everything is consumed, and the verifier (``verify.py``) on the committed output.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from random import Random
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from bench.faults.brokers import REPO, Cluster, ScriptBroker
from bench.faults.poison import poison_set
from bench.faults.verify import Sent, prepare, read_all, verify
from bench.generator import generate
from bench.netutil import free_port

KEY = b"faults"  # one raw partition: a total input order, so linking is the same in every run
PRODUCER_MAX_BYTES = 8 * 1024 * 1024


@dataclass
class Sizes:
    stories: int = 2000
    max_versions: int = 10
    poison: int = 500
    seed: int = 8
    too_large: int = 1
    feed_seconds: float = 90.0
    owned: int = 100_000  # scenario 6: stories seeded into the owner's tables


@dataclass
class Fault:
    kind: str
    at_progress: float
    injected: float = 0.0
    restored: float = 0.0
    recovered: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "at_progress": round(self.at_progress, 3),
            "down_s": round(self.restored - self.injected, 1),
            "recovery_s": round(self.recovered - self.injected, 1) if self.recovered else None,
            "resume_after_restore_s": round(self.recovered - self.restored, 1) if self.recovered else None,
        }


def build_input(sizes: Sizes) -> list[Sent]:
    """The generated labelled stream with the poison set spread through it at random places."""
    messages = generate(sizes.stories, sizes.max_versions, sizes.seed)
    poison = poison_set(sizes.poison, sizes.seed, sizes.too_large) if sizes.poison else []
    rng = Random(sizes.seed)
    slots = sorted(rng.randrange(len(messages) + 1) for _ in poison)
    out: list[Sent] = []
    p = 0
    for i, message in enumerate(messages):
        while p < len(poison) and slots[p] == i:
            out.append(Sent(poison[p].payload, -1, -1, None, poison[p].reason, poison[p].wire_format))
            p += 1
        out.append(Sent(message.payload, -1, -1, message.story, None, received_at=message.received_at))
    for rest in poison[p:]:
        out.append(Sent(rest.payload, -1, -1, None, rest.reason, rest.wire_format))
    return out


class Probe:
    """Lag and end offsets, tolerant of a broker that is away (answers None then)."""

    def __init__(self, bootstrap: str) -> None:
        self.bootstrap = bootstrap
        self.admin: AIOKafkaAdminClient | None = None
        self.consumer: AIOKafkaConsumer | None = None

    async def _open(self) -> None:
        if self.admin is None:
            self.admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap, request_timeout_ms=5000)
            await self.admin.start()
            self.consumer = AIOKafkaConsumer(
                bootstrap_servers=self.bootstrap, enable_auto_commit=False, request_timeout_ms=5000
            )
            await self.consumer.start()

    async def close(self) -> None:
        for client in (self.admin, self.consumer):
            if client is not None:
                with contextlib.suppress(Exception):
                    closing = client.close() if client is self.admin else client.stop()  # type: ignore[union-attr]
                    await asyncio.wait_for(closing, 10)
        self.admin = self.consumer = None

    async def ends(self, topic: str, partitions: int) -> dict[int, int] | None:
        try:
            await asyncio.wait_for(self._open(), 10)
            tps = [TopicPartition(topic, p) for p in range(partitions)]
            ends = await asyncio.wait_for(self.consumer.end_offsets(tps), 8)  # type: ignore[union-attr]
            return {tp.partition: off for tp, off in ends.items()}
        except Exception:
            await self.close()
            return None

    async def committed(self, group: str) -> dict[tuple[str, int], int] | None:
        try:
            await asyncio.wait_for(self._open(), 10)
            offsets = await asyncio.wait_for(self.admin.list_consumer_group_offsets(group), 8)  # type: ignore[union-attr]
            return {(tp.topic, tp.partition): meta.offset for tp, meta in offsets.items()}
        except Exception:
            await self.close()
            return None


@dataclass
class Run:
    """Topics, group, workers and input of one scenario run."""

    name: str
    broker: ScriptBroker | Cluster
    workdir: Path
    sizes: Sizes
    replication: int = 1
    partitions: int = 3
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex[:10])
    workers: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    ports: dict[str, int] = field(default_factory=dict)
    crashes: list[str] = field(default_factory=list)
    down: set[str] = field(default_factory=set)
    # Worker name -> WIREFEED_GROUP_INSTANCE_ID (static membership), for the workers that have one.
    instance_ids: dict[str, str] = field(default_factory=dict)
    sent: list[Sent] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    feed_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    feed_done: bool = False
    notes: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.dir = self.workdir / f"{self.name}-{self.run_id}"
        self.dir.mkdir(parents=True, exist_ok=True)
        prefix = f"faults-{self.run_id}"
        self.app_id = f"wirefeed-{prefix}"
        self.topics = {
            k: f"{prefix}.{v}"
            for k, v in (
                ("RAW", "wire.raw"),
                ("ITEMS", "wire.items"),
                ("DLQ", "wire.dlq"),
                ("EVENTS", "stories.events"),
                ("CURRENT", "stories.current"),
            )
        }
        self.probe = Probe(self.broker.bootstrap)

    # ---- workers
    def env(self, name: str) -> dict[str, str]:
        broker = ";".join(f"kafka://{b}" for b in self.broker.bootstrap.split(","))
        env = {
            **os.environ,
            "PYTHONPATH": str(REPO),
            "WIREFEED_BROKER": broker,
            "WIREFEED_APP_ID": self.app_id,
            "WIREFEED_PARTITIONS": str(self.partitions),
            "WIREFEED_REPLICATION": str(self.replication),
            "WIREFEED_DATA_DIR": str(self.dir / f"state-{name}"),
            "WIREFEED_WEB_PORT": str(self.ports.setdefault(name, free_port())),
            "WIREFEED_LOG_LEVEL": os.environ.get("WIREFEED_FAULTS_LOG_LEVEL", "warning"),
        }
        # A SIGKILLed member's partitions are blocked for one session timeout: the workers run with
        # wirefeed's own settings (defaults 10 s / 1 s), or WIREFEED_FAULTS_SESSION_TIMEOUT.
        timeout = os.environ.get("WIREFEED_FAULTS_SESSION_TIMEOUT")
        if timeout:
            env["WIREFEED_SESSION_TIMEOUT"] = timeout
            env["WIREFEED_HEARTBEAT_INTERVAL"] = f"{min(1.0, float(timeout) / 3):g}"
        env.update({f"WIREFEED_TOPIC_{k}": v for k, v in self.topics.items()})
        if name in self.instance_ids:
            env["WIREFEED_GROUP_INSTANCE_ID"] = self.instance_ids[name]
        return env

    def start_worker(self, name: str = "w1") -> None:
        self.down.discard(name)
        log = (self.dir / f"{name}.log").open("ab")
        self.workers[name] = subprocess.Popen(
            [sys.executable, "-m", "streams.cli", "worker"],
            env=self.env(name),
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=REPO,
        )

    def signal_worker(self, name: str, sig: int) -> None:
        self.down.add(name)
        proc = self.workers[name]
        if proc.poll() is None:
            proc.send_signal(sig)
            try:
                proc.wait(timeout=45)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    async def wait_ready(self, name: str = "w1", timeout: float = 120.0) -> None:
        url = f"http://127.0.0.1:{self.ports[name]}/health"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            proc = self.workers[name]
            if proc.poll() is not None:
                raise RuntimeError(f"worker {name} exited with {proc.returncode}; see {self.dir}/{name}.log")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            await asyncio.sleep(0.5)
        raise RuntimeError(f"worker {name} not ready after {timeout}s")

    def check_workers(self) -> None:
        """A worker that died on its own is a finding: record it and start it again."""
        for name, proc in list(self.workers.items()):
            if proc.poll() is not None and name not in self.down:
                self.crashes.append(f"{name} exited {proc.returncode} at {time.strftime('%X')}")
                self.start_worker(name)

    def stop_all(self) -> None:
        for name in list(self.workers):
            self.signal_worker(name, signal.SIGTERM)

    # ---- input
    async def produce(self) -> None:
        """Feed the input over about ``sizes.feed_seconds`` in acknowledged chunks, so faults hit a
        stream in motion. ``pause_feed`` holds the feeder while a fault takes the broker away:
        every record's partition and offset must be known exactly, so no send may be left in doubt."""
        producer = AIOKafkaProducer(
            bootstrap_servers=self.broker.bootstrap,
            acks="all",
            enable_idempotence=True,
            max_request_size=PRODUCER_MAX_BYTES,
            linger_ms=20,
            request_timeout_ms=120_000,
        )
        await producer.start()
        chunks = max(1, int(self.sizes.feed_seconds / 0.5))
        size = max(1, -(-len(self.sent) // chunks))
        try:
            for first in range(0, len(self.sent), size):
                async with self.feed_lock:
                    chunk = self.sent[first : first + size]
                    futures = []
                    for message in chunk:
                        headers = [("wire-feed", b"faults")]
                        if message.received_at is not None:
                            headers.append(("received-at", message.received_at.isoformat().encode()))
                        if message.wire_format:
                            headers.append(("wire-format", message.wire_format.encode()))
                        raw = self.topics["RAW"]
                        futures.append(await producer.send(raw, message.payload, key=KEY, headers=headers))
                    for message, future in zip(chunk, futures, strict=True):
                        meta = await future
                        message.partition, message.offset = meta.partition, meta.offset
                await asyncio.sleep(0.5)
        finally:
            await producer.stop()
        self.feed_done = True

    @contextlib.asynccontextmanager
    async def pause_feed(self) -> AsyncIterator[None]:
        async with self.feed_lock:
            yield

    # ---- progress
    async def progress(self) -> float | None:
        committed = await self.probe.committed(self.app_id)
        if committed is None:
            return None
        done = sum(v for (t, _), v in committed.items() if t == self.topics["RAW"] and v > 0)
        return done / max(1, len(self.sent))

    async def lag(self) -> int | None:
        committed = await self.probe.committed(self.app_id)
        if committed is None:
            return None
        total = 0
        for key in ("RAW", "ITEMS"):
            ends = await self.probe.ends(self.topics[key], self.partitions)
            if ends is None:
                return None
            for p, end in ends.items():
                total += max(0, end - max(0, committed.get((self.topics[key], p), 0)))
        return total

    async def events_end(self) -> int | None:
        ends = await self.probe.ends(self.topics["EVENTS"], self.partitions)
        return None if ends is None else sum(ends.values())

    async def until_progress(self, fraction: float, timeout: float = 900.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.check_workers()
            value = await self.progress()
            if value is not None and value >= fraction:
                return
            await asyncio.sleep(0.3)

    async def until_resumed(self, fault: Fault, baseline: int | None = None, timeout: float = 300.0) -> None:
        """Recovered: a new event after the fault (``baseline``: the events topic's end offset read
        once the fault was in place), or, once the whole input is fed, nothing left to do."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.check_workers()
            end = await self.events_end()
            if end is not None and baseline is None:
                baseline = end
            elif end is not None and baseline is not None and end > baseline:
                break
            if end is not None and self.feed_done and await self.lag() == 0 and await self.healthy():
                break
            await asyncio.sleep(0.25)
        fault.recovered = time.monotonic()

    async def healthy(self) -> bool:
        def probe(name: str) -> bool:
            try:
                url = f"http://127.0.0.1:{self.ports[name]}/health"
                with urllib.request.urlopen(url, timeout=2) as response:
                    return bool(response.status == 200)
            except OSError:
                return False

        names = [n for n in self.workers if n not in self.down]
        return all([await asyncio.to_thread(probe, n) for n in names])

    async def drain(self, quiet: float = 5.0, stall: float = 120.0, timeout: float = 1800.0) -> float:
        """Wait until lag is 0 on raw and items and no event arrived for ``quiet`` seconds. A group
        that stops making progress with lag left (no committed offset moves for ``stall`` seconds
        while every worker is healthy) is recorded as stalled and the verifier runs anyway: what
        it never processed shows up as lost."""
        started = time.monotonic()
        last_end, last_change = None, time.monotonic()
        last_committed, last_progress = None, time.monotonic()
        while time.monotonic() - started < timeout:
            self.check_workers()
            end = await self.events_end()
            if end != last_end:
                last_end, last_change = end, time.monotonic()
            lag = await self.lag() if end is not None else None
            if lag == 0 and time.monotonic() - last_change >= quiet:
                return time.monotonic() - started
            committed = await self.probe.committed(self.app_id)
            if committed is not None and committed != last_committed:
                last_committed, last_progress = committed, time.monotonic()
            if lag and time.monotonic() - last_progress >= stall and await self.healthy():
                self.notes["stalled"] = {
                    "lag": lag,
                    "committed": {f"{t}/{p}": o for (t, p), o in sorted((committed or {}).items())},
                }
                return time.monotonic() - started
            await asyncio.sleep(1.0)
        raise RuntimeError(f"{self.name}: input not consumed after {timeout}s")

    # ---- the whole run
    async def execute(
        self,
        scenario: Callable[[Run], Awaitable[None]],
        workers: int = 1,
        pre: Callable[[Run], Awaitable[None]] | None = None,
    ) -> dict[str, Any]:
        started = time.monotonic()
        self.sent = build_input(self.sizes)
        prepare(self.sent)
        try:
            if pre is not None:
                await pre(self)
                self.notes["seeded_s"] = round(time.monotonic() - started, 1)
            for i in range(workers):
                self.start_worker(f"w{i + 1}")
            t_ready = time.monotonic()
            for i in range(workers):
                await self.wait_ready(f"w{i + 1}", timeout=900.0)
            self.notes["first_ready_s"] = round(time.monotonic() - t_ready, 1)
            t_feed = time.monotonic()
            feeder = asyncio.create_task(self.produce())
            try:
                await scenario(self)
            finally:
                await feeder
            await self.drain()
            processing = time.monotonic() - t_feed
        finally:
            self.stop_all()
            await self.probe.close()
        bootstrap = self.broker.bootstrap
        events = await read_all(bootstrap, self.topics["EVENTS"])
        dead = await read_all(bootstrap, self.topics["DLQ"])
        changelog = await read_all(bootstrap, f"{self.app_id}-stories-changelog")
        report = verify(self.sent, self.topics["RAW"], events, dead, changelog)
        result = report.as_dict()
        recoveries = [f.recovered - f.injected for f in self.faults if f.recovered]
        result.update(
            scenario=self.name,
            run_id=self.run_id,
            sizes=self.sizes.__dict__,
            messages=len(self.sent),
            processing_s=round(processing, 1),
            wall_s=round(time.monotonic() - started, 1),
            recovery_s=round(max(recoveries), 1) if recoveries else None,
            faults=[f.as_dict() for f in self.faults],
            worker_crashes=self.crashes,
            notes=self.notes,
            workdir=str(self.dir),
        )
        return result
