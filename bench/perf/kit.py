"""Building blocks of the perf harness: machine facts, topics, bulk produce, event tracking, workers."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from bench import netutil
from bench.netutil import free_port

REPO = Path(__file__).resolve().parents[2]
BOOTSTRAP = os.environ.get("WIREFEED_TEST_BOOTSTRAP", "127.0.0.1:9092")
PARTITIONS = 6
RAW_SHA = re.compile(rb'"raw_sha256":"([0-9a-f]{64})"')


def log(text: str) -> None:
    print(
        f"[perf {time.strftime('%H:%M:%S')} load {os.getloadavg()[0]:.2f}] {text}",
        file=sys.stderr,
        flush=True,
    )


def broker_up() -> bool:
    return netutil.broker_up(BOOTSTRAP)


def ensure_broker() -> None:
    if broker_up():
        return
    log("no broker answering: starting deploy/kafka/broker.sh")
    subprocess.run(["bash", str(REPO / "deploy/kafka/broker.sh"), "start"], check=True)


def machine() -> dict[str, Any]:
    mem_kib = 0
    with open("/proc/meminfo") as fh:
        for line in fh:
            if line.startswith("MemTotal:"):
                mem_kib = int(line.split()[1])
    cpu = ""
    with open("/proc/cpuinfo") as fh:
        for line in fh:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    lib = REPO / ".local/kafka/lib"
    kafka = sorted(
        p.name.removeprefix("kafka-clients-").removesuffix(".jar") for p in lib.glob("kafka-clients-*.jar")
    )
    git = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, check=False
    )
    dirty = subprocess.run(
        ["git", "status", "--porcelain"], cwd=REPO, capture_output=True, text=True, check=False
    )
    java = subprocess.run(["java", "-version"], capture_output=True, text=True, check=False)
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "ram_gib": round(mem_kib / 1024 / 1024, 1),
        "python": sys.version.split()[0],
        "kafka": kafka[0] if kafka else "unknown",
        "java": (java.stderr.splitlines() or ["?"])[0],
        "git_commit": git.stdout.strip(),
        "git_dirty": bool(dirty.stdout.strip()),
        "loadavg_start": list(os.getloadavg()),
    }


def proc_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process (and its waited-for children)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def machine_busy_seconds() -> tuple[float, float]:
    """(busy CPU seconds over all cores, total CPU seconds) since boot, from /proc/stat."""
    parts = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = parts[3] + parts[4]
    ticks = os.sysconf("SC_CLK_TCK")
    return (sum(parts) - idle) / ticks, sum(parts) / ticks


def vm_kib(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def du_bytes(path: Path) -> int:
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            with contextlib.suppress(OSError):
                total += os.lstat(os.path.join(root, name)).st_blocks * 512
    return total


def broker_pid() -> int | None:
    pid_file = REPO / ".local/kafka/kafka.pid"
    try:
        return int(pid_file.read_text().strip())
    except (OSError, ValueError):
        return None


# ------------------------------------------------------------------------------------ topics


async def create_topics(names: list[str], partitions: int = PARTITIONS, compact: bool = False) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=BOOTSTRAP)
    await admin.start()
    try:
        config = {"max.message.bytes": str(8 * 1024 * 1024)}
        if compact:
            config["cleanup.policy"] = "compact"
        await admin.create_topics([NewTopic(n, partitions, 1, topic_configs=config) for n in names])
    finally:
        await admin.close()


async def delete_topics(prefix: str) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=BOOTSTRAP)
    await admin.start()
    try:
        names = [n for n in await admin.list_topics() if n.startswith(prefix)]
        if names:
            await admin.delete_topics(names)
    finally:
        await admin.close()


async def wait_topic(consumer: AIOKafkaConsumer, topic: str, timeout: float = 60.0) -> list[TopicPartition]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        parts = consumer.partitions_for_topic(topic)
        if parts:
            return [TopicPartition(topic, p) for p in sorted(parts)]
        await consumer._client.force_metadata_update()
        await asyncio.sleep(0.2)
    raise RuntimeError(f"topic {topic} did not appear within {timeout}s")


def producer() -> AIOKafkaProducer:
    return AIOKafkaProducer(
        bootstrap_servers=BOOTSTRAP,
        acks="all",
        linger_ms=2,
        max_batch_size=512 * 1024,
        max_request_size=8 * 1024 * 1024,
    )


Record = tuple[bytes | None, bytes, list[tuple[str, bytes]]]


async def send_bulk(prod: AIOKafkaProducer, topic: str, records: list[Record], chunk: int = 2000) -> None:
    """Pipelined sends: the acks of one chunk are awaited together."""
    for start in range(0, len(records), chunk):
        futures = [
            await prod.send(topic, value, key=key, headers=headers)
            for key, value, headers in records[start : start + chunk]
        ]
        await asyncio.gather(*futures)


# ------------------------------------------------------------------------------------ tracking


@dataclass
class Tracker:
    """Reads a topic from the beginning and notes when each record became readable."""

    topic: str
    count: int = 0
    first_at: float = 0.0
    last_at: float = 0.0
    seen: dict[bytes, float] = field(default_factory=dict)
    _task: asyncio.Task[None] | None = None
    _consumer: AIOKafkaConsumer | None = None

    async def start(self) -> None:
        self._consumer = AIOKafkaConsumer(
            bootstrap_servers=BOOTSTRAP,
            enable_auto_commit=False,
            fetch_max_wait_ms=5,
            max_partition_fetch_bytes=8 * 1024 * 1024,
        )
        await self._consumer.start()
        tps = await wait_topic(self._consumer, self.topic)
        self._consumer.assign(tps)
        await self._consumer.seek_to_beginning(*tps)
        self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        assert self._consumer is not None
        while True:
            batch = await self._consumer.getmany(timeout_ms=50, max_records=2000)
            now = time.time()
            for records in batch.values():
                for record in records:
                    self.count += 1
                    if not self.first_at:
                        self.first_at = now
                    self.last_at = now
                    match = RAW_SHA.search(record.value or b"")
                    if match and match.group(1) not in self.seen:
                        self.seen[match.group(1)] = now

    async def wait(self, expected: int, quiet: float, timeout: float, since: float | None = None) -> bool:
        """Until ``expected`` records, or nothing new for ``quiet`` s (after ``since``), or timeout."""
        deadline = time.time() + timeout
        since = since or time.time()
        while time.time() < deadline:
            if self.count >= expected:
                return True
            if time.time() - max(self.last_at, since) > quiet:
                return False
            await asyncio.sleep(0.02)
        return False

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        if self._consumer:
            await self._consumer.stop()


# ------------------------------------------------------------------------------------ workers


def topic_env(run_id: str, data_dir: Path) -> dict[str, str]:
    return {
        "WIREFEED_BROKER": f"kafka://{BOOTSTRAP}",
        "WIREFEED_APP_ID": f"perf-{run_id}",
        "WIREFEED_TOPIC_RAW": f"perf-{run_id}.wire.raw",
        "WIREFEED_TOPIC_ITEMS": f"perf-{run_id}.wire.items",
        "WIREFEED_TOPIC_DLQ": f"perf-{run_id}.wire.dlq",
        "WIREFEED_TOPIC_EVENTS": f"perf-{run_id}.stories.events",
        "WIREFEED_TOPIC_CURRENT": f"perf-{run_id}.stories.current",
        "WIREFEED_PARTITIONS": str(PARTITIONS),
        "WIREFEED_DATA_DIR": str(data_dir),
        "WIREFEED_LOG_LEVEL": "warning",
    }


@dataclass
class Worker:
    env: dict[str, str]
    data_dir: Path
    log_path: Path
    port: int
    proc: subprocess.Popen[bytes] | None = None
    hwm_kib: int = 0

    @classmethod
    def create(cls, run_id: str, work: Path, name: str, topology: str = "single") -> Worker:
        """A worker of the run; ``topology`` ``single`` (one worker, no ``wire.items`` hop) or
        ``sharded`` (any number of workers)."""
        data_dir = work / run_id / name
        data_dir.mkdir(parents=True, exist_ok=True)
        port = free_port()
        env = {
            **os.environ,
            **topic_env(run_id, data_dir),
            "WIREFEED_WEB_PORT": str(port),
            "WIREFEED_TOPOLOGY": topology,
        }
        return cls(env=env, data_dir=data_dir, log_path=work / run_id / f"{name}.log", port=port)

    def start(self) -> None:
        handle = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streams.cli", "worker"],
            env=self.env,
            cwd=REPO,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def ready(self) -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=2) as response:
                return bool(response.status == 200)
        except OSError:
            return False

    async def wait_ready(self, timeout: float = 120.0) -> float:
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"worker exited {self.proc.returncode}: {self.log_path.read_text()[-3000:]}"
                )
            if await asyncio.to_thread(self.ready):
                return time.monotonic() - started
            await asyncio.sleep(0.3)
        raise RuntimeError(f"worker not ready after {timeout}s: {self.log_path.read_text()[-3000:]}")

    def metric(self, name: str) -> float | None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/metrics", timeout=5) as response:
                text = response.read().decode()
        except OSError:
            return None
        for line in text.splitlines():
            if line.startswith(name + " ") or line.startswith(name + "{"):
                return float(line.rsplit(" ", 1)[1])
        return None

    def stop(self) -> None:
        if self.proc is None:
            return
        self.hwm_kib = max(self.hwm_kib, vm_kib(self.pid, "VmHWM"))
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def cleanup(self) -> None:
        shutil.rmtree(self.data_dir, ignore_errors=True)
