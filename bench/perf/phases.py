"""The measurements of ``python -m bench.perf.run``: each phase returns a JSON-able dict."""

from __future__ import annotations

import asyncio
import hashlib
import os
import re
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.generator import Message, generate
from bench.perf.kit import (
    BOOTSTRAP,
    REPO,
    Record,
    Tracker,
    Worker,
    broker_pid,
    create_topics,
    log,
    machine_busy_seconds,
    proc_cpu_seconds,
    producer,
    send_bulk,
    vm_kib,
)

# Seconds without a new event after which a drain is taken as finished (the measured time always
# ends at the last event seen, so this only costs wall clock). ``run --quick`` lowers them.
QUIET = {"warm": 3.0, "drain": 8.0, "latency": 5.0}

# ------------------------------------------------------------------------------------ inputs


def messages(stories: int, seed: int, start: datetime | None = None) -> list[Message]:
    kwargs = {"start": start} if start else {}
    return generate(stories, 4, seed, **kwargs)


def records(msgs: list[Message], received_now: bool = False) -> list[Record]:
    out: list[Record] = []
    for m in msgs:
        received = datetime.now(UTC) if received_now else m.received_at
        headers = [("wire-feed", m.format.encode()), ("received-at", received.isoformat().encode())]
        out.append((m.format.encode(), m.payload, headers))
    return out


def expected_events(msgs: list[Message]) -> int:
    """Events the same stream gives in-process (same code, arrival order)."""
    from streams.core import Origin
    from streams.enrich import Enricher
    from streams.formats.registry import default_parsers
    from streams.pipeline import Pipeline

    pipeline = Pipeline(default_parsers(), Enricher().enrich)
    total = 0
    for m in msgs:
        origin = Origin(
            received_at=m.received_at, format_hint=None, feed=m.format, topic="t", partition=0, offset=0
        )
        total += len(pipeline.process(m.payload, origin).events)
    return total


def sha(payload: bytes) -> bytes:
    return hashlib.sha256(payload).hexdigest().encode()


# ------------------------------------------------------------------------------------ broker ceiling

_PRODUCER_LINE = re.compile(
    r"(\d+) records sent, ([\d.]+) records/sec \(([\d.]+) MB/sec\), ([\d.]+) ms avg latency, "
    r"([\d.]+) ms max latency, (\d+) ms 50th, (\d+) ms 95th, (\d+) ms 99th"
)


def kafka_ceiling(run_id: str, quick: bool) -> dict[str, Any]:
    classpath = subprocess.run(
        ["bash", str(REPO / "deploy/kafka/broker.sh"), "classpath"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    java = ["java", "-Xmx512m", "-cp", classpath]
    out: dict[str, Any] = {}
    for size, count in ((1024, 10_000 if quick else 300_000), (10_240, 1_000 if quick else 30_000)):
        topic = f"perf-{run_id}-kafka-{size}"
        asyncio.run(create_topics([topic]))
        produced = subprocess.run(
            [*java, "org.apache.kafka.tools.ProducerPerformance", "--topic", topic,
             "--num-records", str(count), "--record-size", str(size), "--throughput", "-1",
             "--producer-props", f"bootstrap.servers={BOOTSTRAP}", "acks=all", "linger.ms=5",
             "batch.size=262144", "max.request.size=8388608"],
            check=False, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        match = None
        for line in produced.stdout.splitlines():
            match = _PRODUCER_LINE.search(line) or match
        if not match:
            raise RuntimeError(f"ProducerPerformance: {produced.stdout[-2000:]} {produced.stderr[-2000:]}")
        consumed = subprocess.run(
            [*java, "org.apache.kafka.tools.ConsumerPerformance", "--bootstrap-server", BOOTSTRAP,
             "--topic", topic, "--messages", str(count), "--timeout", "60000",
             "--group", f"perf-{run_id}-cp-{size}"],
            check=False, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        lines = [ln for ln in consumed.stdout.splitlines() if ln.strip()]
        header = next((ln for ln in lines if ln.startswith("start.time")), None)
        if header is None:
            raise RuntimeError(f"ConsumerPerformance: {consumed.stdout[-2000:]} {consumed.stderr[-2000:]}")
        values = lines[lines.index(header) + 1]
        stats = dict(
            zip([h.strip() for h in header.split(",")], [v.strip() for v in values.split(",")], strict=False)
        )
        out[f"{size // 1024}KB"] = {
            "records": count,
            "record_bytes": size,
            "produce_msgs_per_s": float(match.group(2)),
            "produce_mb_per_s": float(match.group(3)),
            "produce_latency_avg_ms": float(match.group(4)),
            "produce_latency_p99_ms": float(match.group(8)),
            "consume_msgs_per_s": float(stats["nMsg.sec"]),
            "consume_mb_per_s": float(stats["MB.sec"]),
            "consume_fetch_msgs_per_s": float(stats.get("fetch.nMsg.sec", stats["nMsg.sec"])),
        }
        log(f"kafka {size} B: {out[f'{size // 1024}KB']}")
    return out


# ------------------------------------------------------------------------------------ python ceiling


async def _python_loop(run_id: str, recs: list[Record], acked: bool) -> dict[str, Any]:
    mode = "acked" if acked else "pipelined"
    source, target = f"perf-{run_id}-py-{mode}-in", f"perf-{run_id}-py-{mode}-out"
    await create_topics([source, target])
    tracker = Tracker(target)
    await tracker.start()
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.perf.pyloop", "--bootstrap", BOOTSTRAP, "--source", source,
        "--target", target, "--group", f"perf-{run_id}-py-{mode}", *(["--acked"] if acked else []),
        cwd=REPO, stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        line = await asyncio.wait_for(proc.stdout.readline(), 60)
        if b"ready" not in line:
            raise RuntimeError("python loop did not start")
        cpu0 = proc_cpu_seconds(proc.pid)
        prod = producer()
        await prod.start()
        started = time.time()
        try:
            await send_bulk(prod, source, recs)
        finally:
            await prod.stop()
        done = await tracker.wait(len(recs), quiet=15, timeout=600, since=started)
        elapsed = tracker.last_at - started
        return {
            "mode": mode,
            "messages": len(recs),
            "moved": tracker.count,
            "complete": done,
            "seconds": round(elapsed, 3),
            "msgs_per_s": round(len(recs) / elapsed, 1),
            "loop_cpu_s": round(proc_cpu_seconds(proc.pid) - cpu0, 2),
        }
    finally:
        proc.terminate()
        await proc.wait()
        await tracker.stop()


def python_ceiling(run_id: str, recs: list[Record]) -> dict[str, Any]:
    out = {"pipelined": asyncio.run(_python_loop(run_id, recs, acked=False))}
    log(f"python ceiling: {out['pipelined']}")
    out["acked"] = asyncio.run(_python_loop(run_id, recs, acked=True))
    log(f"python acked loop: {out['acked']}")
    return out


# ------------------------------------------------------------------------------------ wirefeed


async def _warm_up(tracker: Tracker, warm: list[Record], topic: str) -> None:
    """A few messages through the worker(s) first: assignment settled, index built, code warm."""
    prod = producer()
    await prod.start()
    try:
        since = time.time()
        await send_bulk(prod, topic, warm)
    finally:
        await prod.stop()
    deadline = time.time() + 120
    while not tracker.count and time.time() < deadline:
        await asyncio.sleep(0.1)
    await tracker.wait(10**9, quiet=QUIET["warm"], timeout=120, since=since)


async def _end_to_end(
    run_id: str,
    work: Path,
    workers: int,
    recs: list[Record],
    warm: list[Record],
    expected: int,
    topology: str,
) -> dict[str, Any]:
    procs = [Worker.create(run_id, work, f"w{i + 1}", topology) for i in range(workers)]
    for w in procs:
        w.start()
    tracker: Tracker | None = None
    try:
        ready_s = [await w.wait_ready() for w in procs]
        topic_raw = procs[0].env["WIREFEED_TOPIC_RAW"]
        tracker = Tracker(procs[0].env["WIREFEED_TOPIC_EVENTS"])
        await tracker.start()
        await _warm_up(tracker, warm, topic_raw)
        await asyncio.sleep(1)
        base = tracker.count
        bpid = broker_pid()
        cpu0 = [proc_cpu_seconds(w.pid) for w in procs]
        broker0 = proc_cpu_seconds(bpid) if bpid else 0.0
        busy0, total0 = machine_busy_seconds()
        prod = producer()
        await prod.start()
        started = time.time()
        try:
            await send_bulk(prod, topic_raw, recs)
        finally:
            await prod.stop()
        produced_s = time.time() - started
        done = await tracker.wait(base + expected, quiet=QUIET["drain"], timeout=900, since=started)
        elapsed = tracker.last_at - started
        busy1, total1 = machine_busy_seconds()
        cpu = [round(proc_cpu_seconds(w.pid) - c, 2) for w, c in zip(procs, cpu0, strict=True)]
        result = {
            "workers": workers,
            "topology": topology,
            "messages": len(recs),
            "events": tracker.count - base,
            "events_expected_in_process": expected,
            "complete": done,
            "ready_s": [round(r, 1) for r in ready_s],
            "produce_s": round(produced_s, 2),
            "seconds": round(elapsed, 2),
            "msgs_per_s": round(len(recs) / elapsed, 1),
            "worker_cpu_s": cpu,
            "worker_cpu_share": [round(c / elapsed, 2) for c in cpu],
            "broker_cpu_s": round(proc_cpu_seconds(bpid) - broker0, 2) if bpid else None,
            "machine_cpu_busy": round((busy1 - busy0) / (total1 - total0), 2),
            "worker_rss_hwm_mib": [round(vm_kib(w.pid, "VmHWM") / 1024, 1) for w in procs],
        }
        log(f"wirefeed x{workers}: {result}")
        return result
    finally:
        if tracker:
            await tracker.stop()
        for w in procs:
            w.stop()
            w.cleanup()


def end_to_end(
    run_id: str,
    work: Path,
    workers: int,
    recs: list[Record],
    warm: list[Record],
    expected: int,
    topology: str | None = None,
) -> dict[str, Any]:
    """Bulk throughput; one worker runs the ``single`` topology unless told otherwise (more than
    one can only run ``sharded``)."""
    topology = topology or ("single" if workers == 1 else "sharded")
    name = f"{run_id}-e2e{workers}{topology[:2]}"
    return asyncio.run(_end_to_end(name, work, workers, recs, warm, expected, topology))


# ------------------------------------------------------------------------------------ latency


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def _latency(
    run_id: str, work: Path, rates: list[int], seconds: float, stream: list[Record], warm: list[Record]
) -> list[dict[str, Any]]:
    worker = Worker.create(run_id, work, "w1")
    worker.start()
    tracker: Tracker | None = None
    results = []
    try:
        await worker.wait_ready()
        topic_raw = worker.env["WIREFEED_TOPIC_RAW"]
        tracker = Tracker(worker.env["WIREFEED_TOPIC_EVENTS"])
        await tracker.start()
        await _warm_up(tracker, warm, topic_raw)
        prod = producer()
        await prod.start()
        position = 0
        try:
            for rate in rates:
                count = int(rate * seconds)
                batch = stream[position : position + count]
                position += count
                produced: dict[bytes, float] = {}
                futures = []
                cpu0 = proc_cpu_seconds(worker.pid)
                started = time.time()
                for i, (key, value, headers) in enumerate(batch):
                    delay = started + i / rate - time.time()
                    if delay > 0.001:
                        await asyncio.sleep(delay)
                    produced.setdefault(sha(value), time.time())
                    futures.append(await prod.send(topic_raw, value, key=key, headers=headers))
                    if len(futures) >= 200:
                        await asyncio.gather(*futures)
                        futures = []
                await asyncio.gather(*futures)
                ended = time.time()
                await tracker.wait(10**9, quiet=QUIET["latency"], timeout=300, since=ended)
                lat = [(tracker.seen[h] - t) * 1000 for h, t in produced.items() if h in tracker.seen]
                slow = sorted(
                    ((round(t - started, 2), round((tracker.seen[h] - t) * 1000)) for h, t in produced.items()
                     if h in tracker.seen and tracker.seen[h] - t > 0.25),
                )  # fmt: skip
                last = max((tracker.seen[h] for h in produced if h in tracker.seen), default=ended)
                result = {
                    "rate": rate,
                    "seconds": seconds,
                    "messages": len(batch),
                    "with_event": len(lat),
                    "offered_msgs_per_s": round(len(batch) / (ended - started), 1),
                    "achieved_msgs_per_s": round(len(batch) / (last - started), 1),
                    "p50_ms": round(_percentile(lat, 0.50), 1) if lat else None,
                    "p99_ms": round(_percentile(lat, 0.99), 1) if lat else None,
                    "max_ms": round(max(lat), 1) if lat else None,
                    "worker_cpu_share": round((proc_cpu_seconds(worker.pid) - cpu0) / (last - started), 2),
                    "over_250ms": len(slow),
                    "slow_at_s_ms": slow[:: max(1, len(slow) // 40)][:40],
                    "loadavg": round(os.getloadavg()[0], 2),
                }
                log(f"latency: {result}")
                results.append(result)
        finally:
            await prod.stop()
        return results
    finally:
        if tracker:
            await tracker.stop()
        worker.stop()
        worker.cleanup()


def latency(
    run_id: str, work: Path, rates: list[int], seconds: float, stream: list[Record], warm: list[Record]
) -> list[dict[str, Any]]:
    return asyncio.run(_latency(f"{run_id}-lat", work, rates, seconds, stream, warm))
