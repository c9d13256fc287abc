"""Integration fixtures: the real Kafka broker (started by scripts/test.sh) and real workers.

Each worker fixture gets its own topics, consumer group and state directory (a random run id),
so tests never see each other's messages. Workers run as separate processes of ``wirefeed
worker``, exactly as in production.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from bench import netutil
from bench.netutil import free_port
from streams.settings import Settings, load_settings
from streams.topics import partitions_of

BOOTSTRAP = os.environ.get("WIREFEED_TEST_BOOTSTRAP", "127.0.0.1:9092")


def broker_up() -> bool:
    return netutil.broker_up(BOOTSTRAP)


@dataclass
class WorkerRun:
    settings: Settings
    env: dict[str, str]
    log: Path
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def start(self, extra_env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        env = {**self.env, **(extra_env or {})}
        handle = self.log.open("ab")
        proc = subprocess.Popen(
            [sys.executable, "-m", "streams.cli", "worker"], env=env, stdout=handle, stderr=subprocess.STDOUT
        )
        self.procs.append(proc)
        return proc

    def wait_ready(self, port: int | None = None, timeout: float = 90.0) -> None:
        url = f"http://127.0.0.1:{port or self.settings.web_port}/health"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for proc in self.procs:
                if proc.poll() is not None:
                    raise AssertionError(
                        f"worker exited with {proc.returncode}; log:\n{self.log.read_text()[-4000:]}"
                    )
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.5)
        raise AssertionError(f"worker not ready after {timeout}s; log:\n{self.log.read_text()[-4000:]}")

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def run_env(tmp: Path, run_id: str) -> dict[str, str]:
    return {
        "WIREFEED_BROKER": f"kafka://{BOOTSTRAP}",
        "WIREFEED_APP_ID": f"wirefeed-it-{run_id}",
        "WIREFEED_TOPIC_RAW": f"it-{run_id}.wire.raw",
        "WIREFEED_TOPIC_ITEMS": f"it-{run_id}.wire.items",
        "WIREFEED_TOPIC_DLQ": f"it-{run_id}.wire.dlq",
        "WIREFEED_TOPIC_EVENTS": f"it-{run_id}.stories.events",
        "WIREFEED_TOPIC_CURRENT": f"it-{run_id}.stories.current",
        "WIREFEED_PARTITIONS": "3",
        "WIREFEED_DATA_DIR": str(tmp / "state"),
        "WIREFEED_WEB_PORT": str(free_port()),
        "WIREFEED_LOG_LEVEL": "info",
    }


def new_run(
    tmp_path_factory: pytest.TempPathFactory, name: str = "worker", topology: str = "sharded"
) -> WorkerRun:
    """A fresh set of topics, consumer group, state directory and web port (not started yet)."""
    if not broker_up():
        pytest.fail(f"no Kafka broker on {BOOTSTRAP}: run the tests with scripts/test.sh")
    run_id = uuid.uuid4().hex[:10]
    tmp = tmp_path_factory.mktemp(f"{name}-{run_id}")
    variables = {**run_env(tmp, run_id), "WIREFEED_TOPOLOGY": topology}
    settings = load_settings(**{k.removeprefix("WIREFEED_").lower(): v for k, v in variables.items()})
    return WorkerRun(settings=settings, env={**os.environ, **variables}, log=tmp / "worker.log")


@contextlib.contextmanager
def running(run: WorkerRun) -> Iterator[WorkerRun]:
    """The run's worker started and ready for the block, stopped after it."""
    run.start()
    try:
        run.wait_ready()
        yield run
    finally:
        run.stop()


@pytest.fixture(scope="module")
def worker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WorkerRun]:
    with running(new_run(tmp_path_factory)) as run:
        yield run


async def produce(settings: Settings, payloads: list[bytes], feed: str = "it") -> None:
    producer = AIOKafkaProducer(bootstrap_servers=BOOTSTRAP, acks="all")
    await producer.start()
    try:
        for payload in payloads:
            await producer.send_and_wait(
                settings.topic_raw, payload, key=feed.encode(), headers=[("wire-feed", feed.encode())]
            )
    finally:
        await producer.stop()


async def consume(topic: str, count: int, timeout: float = 60.0) -> list[Any]:
    """Read from the beginning of every partition until ``count`` records or the timeout."""
    consumer = AIOKafkaConsumer(bootstrap_servers=BOOTSTRAP, enable_auto_commit=False)
    await consumer.start()
    records: list[Any] = []
    try:
        deadline = time.monotonic() + timeout
        settings = load_settings(broker=f"kafka://{BOOTSTRAP}")
        tps = [TopicPartition(topic, p) for p in await partitions_of(settings, topic, timeout)]
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        while len(records) < count and time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=500)
            for part in batch.values():
                records.extend(part)
    finally:
        await consumer.stop()
    return records


def events_of(records: list[Any]) -> list[dict[str, Any]]:
    return [json.loads(r.value) for r in records if r.value is not None]
