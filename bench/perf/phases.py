"""The measurements of ``python -m bench.perf.run``: each phase returns a JSON-able dict."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from aiokafka.partitioner import DefaultPartitioner

from bench.generator import Message, generate
from bench.perf.kit import (
    BOOTSTRAP,
    PARTITIONS,
    REPO,
    Record,
    Tracker,
    Worker,
    broker_pid,
    create_topics,
    du_bytes,
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
    run_id: str, work: Path, workers: int, recs: list[Record], warm: list[Record], expected: int
) -> dict[str, Any]:
    procs = [Worker.create(run_id, work, f"w{i + 1}") for i in range(workers)]
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
    run_id: str, work: Path, workers: int, recs: list[Record], warm: list[Record], expected: int
) -> dict[str, Any]:
    return asyncio.run(_end_to_end(f"{run_id}-e2e{workers}", work, workers, recs, warm, expected))


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


# ------------------------------------------------------------------------------------ state size


def _templates(stories: int) -> list[dict[str, Any]]:
    """Real story states: the in-process pipeline over a generated stream."""
    from streams.core import Origin
    from streams.enrich import Enricher
    from streams.formats.registry import default_parsers
    from streams.pipeline import Pipeline

    pipeline = Pipeline(default_parsers(), Enricher().enrich)
    for m in messages(stories, 11):
        origin = Origin(
            received_at=m.received_at, format_hint=None, feed=m.format, topic="t", partition=0, offset=0
        )
        pipeline.process(m.payload, origin)
    return [s.model_dump(mode="json") for s in pipeline.store.stories.values() if s.retired_into is None]


def _clone(template: dict[str, Any], number: int, when: datetime, rng: random.Random) -> dict[str, Any]:
    """A distinct story with a real story's shape and size: new ids, its own rare terms and sketch."""
    state = dict(template)
    story_id = f"st-perf{number:019x}"
    stamp = when.isoformat().replace("+00:00", "Z")
    ids = {old: f"urn:perf:{number}:{k}" for k, old in enumerate(template["item_ids"])}
    state.update(story_id=story_id, created=stamp, updated=stamp, received=stamp, content_time=stamp)
    state["item_ids"] = list(ids.values())
    state["item_versions"] = {ids.get(k, k): v for k, v in template["item_versions"].items()}
    state["versions"] = [
        {**v, "item_id": ids.get(v["item_id"], v["item_id"]), "event_time": stamp}
        for v in template["versions"]
    ]
    latest = dict(template["latest"])
    item = dict(latest["item"])
    item["item_id"] = ids.get(item["item_id"], f"urn:perf:{number}:latest")
    latest["item"] = item
    latest["source"] = {**latest["source"], "received_at": stamp}
    state["latest"] = latest
    fp = dict(template["fingerprint"])
    rare = [f"zq{number:x}", f"zr{rng.getrandbits(40):x}", f"zs{rng.getrandbits(40):x}"]
    fp["terms"] = [*fp["terms"][:-3], *rare]
    fp["headline_terms"] = [*fp["headline_terms"][:-1], rare[0]]
    fp["sketch"] = sorted(rng.getrandbits(32) for _ in fp["sketch"])
    fp["names"] = [*fp.get("names", [])[:-1], f"perf {number:x}"]
    state["fingerprint"] = fp
    return state


async def _seed(app_id: str, count: int, templates: list[dict[str, Any]], now: datetime) -> dict[str, Any]:
    stories_topic, items_topic = f"{app_id}-stories-changelog", f"{app_id}-items-changelog"
    await create_topics([stories_topic, items_topic], compact=True)
    partitioner = DefaultPartitioner()
    parts = list(range(PARTITIONS))
    shard_partition = {}
    rng = random.Random(5)
    prod = producer()
    await prod.start()
    span = 60 * 3600
    state_bytes = 0
    try:
        futures = []
        for number in range(count):
            template = templates[number % len(templates)]
            when = now - timedelta(seconds=span * (1 - number / count) + 60)
            state = _clone(template, number, when, rng)
            shard = state["shard"]
            if shard not in shard_partition:
                shard_partition[shard] = partitioner(shard.encode(), parts, parts)
            partition = shard_partition[shard]
            value = json.dumps(state, ensure_ascii=False, separators=(",", ":")).encode()
            state_bytes += len(value)
            key = state["story_id"].encode()
            futures.append(await prod.send(stories_topic, value, key=key, partition=partition))
            for item_id in state["item_ids"]:
                futures.append(await prod.send(items_topic, key, key=item_id.encode(), partition=partition))
            if len(futures) >= 4000:
                await asyncio.gather(*futures)
                futures = []
        await asyncio.gather(*futures)
    finally:
        await prod.stop()
    return {"state_json_bytes": state_bytes, "shards": dict(Counter(t["shard"] for t in templates))}


async def _state_size(run_id: str, work: Path, count: int, probes: int) -> dict[str, Any]:
    started = time.time()
    templates = _templates(300)
    now = datetime.now(UTC).replace(microsecond=0)
    worker = Worker.create(run_id, work, "w1")
    seeded = await _seed(worker.env["WIREFEED_APP_ID"], count, templates, now)
    seed_s = time.time() - started
    log(f"state {count}: seeded in {seed_s:.0f}s ({seeded['state_json_bytes'] / count:.0f} B/state)")
    worker.start()
    tracker: Tracker | None = None
    try:
        restore_s = await worker.wait_ready(timeout=900)
        ready_hwm, ready_rss = vm_kib(worker.pid, "VmHWM"), vm_kib(worker.pid, "VmRSS")
        tracker = Tracker(worker.env["WIREFEED_TOPIC_EVENTS"])
        await tracker.start()
        stream = records(messages(max(probes // 2, 10), 23)[:probes], received_now=True)
        prod = producer()
        await prod.start()
        t0 = time.time()
        try:
            await send_bulk(prod, worker.env["WIREFEED_TOPIC_RAW"], stream)
        finally:
            await prod.stop()
        while not tracker.count and time.time() - t0 < 600:
            await asyncio.sleep(0.1)
        first_event_s = time.time() - t0
        await tracker.wait(10**9, quiet=QUIET["drain"], timeout=600, since=t0)
        window = await asyncio.to_thread(worker.metric, "wirefeed_linking_window_stories")
        hwm = vm_kib(worker.pid, "VmHWM")
        rss = vm_kib(worker.pid, "VmRSS")
        disk = du_bytes(worker.data_dir)
        result = {
            "stories": count,
            "method": "changelog seeded with real-shaped story states, restored by the worker",
            "seed_s": round(seed_s, 1),
            "state_json_mean_bytes": round(seeded["state_json_bytes"] / count),
            "restore_to_ready_s": round(restore_s, 1),
            "probe_messages": len(stream),
            "probe_events": tracker.count,
            "first_event_s": round(first_event_s, 1),
            "index_stories": window,
            "rss_at_ready_mib": round(ready_rss / 1024, 1),
            "rss_hwm_at_ready_mib": round(ready_hwm / 1024, 1),
            "rss_hwm_mib": round(hwm / 1024, 1),
            "rss_now_mib": round(rss / 1024, 1),
            "data_dir_mib": round(disk / 1024 / 1024, 1),
        }
        log(f"state: {result}")
        return result
    finally:
        if tracker:
            await tracker.stop()
        worker.stop()
        worker.cleanup()


def state_size(run_id: str, work: Path, count: int, probes: int) -> dict[str, Any]:
    return asyncio.run(_state_size(f"{run_id}-st{count}", work, count, probes))


# ------------------------------------------------------------------------------------ profile


def _summarise(raw: Path, top: int = 15) -> dict[str, Any]:
    """Self and inclusive shares per function from py-spy's collapsed stacks."""
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [_short(f) for f in stack.split(";")]
        total += count
        own[frames[-1]] += count
        for frame in set(frames):
            inclusive[frame] += count
    share = lambda c: round(100 * c / total, 1) if total else 0.0  # noqa: E731
    return {
        "samples": total,
        "self": [{"function": f, "pct": share(c)} for f, c in own.most_common(top)],
        "inclusive": [
            {"function": f, "pct": share(c)}
            for f, c in inclusive.most_common(top * 3)
            if "site-packages/faust" not in f and "asyncio" not in f and "<module>" not in f
        ][:top],
    }


def _short(frame: str) -> str:
    """``func (path/to/file.py:12)`` → ``file path relative to the repo or site-packages:func``."""
    match = re.match(r"(.*) \((.*?):\d+\)$", frame)
    if not match:
        return frame
    func, path = match.groups()
    for marker in ("site-packages/", str(REPO) + "/", "lib/python3.11/"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{path}:{func}"


async def _profile(
    run_id: str, work: Path, recs: list[Record], warm: list[Record], seconds: float, out: Path
) -> dict[str, Any]:
    pyspy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(pyspy).exists():
        return {"not_measured": "py-spy is not installed (pip install -e '.[bench]')"}
    worker = Worker.create(run_id, work, "w1")
    worker.start()
    tracker: Tracker | None = None
    try:
        await worker.wait_ready()
        tracker = Tracker(worker.env["WIREFEED_TOPIC_EVENTS"])
        await tracker.start()
        await _warm_up(tracker, warm, worker.env["WIREFEED_TOPIC_RAW"])
        raw = out.with_suffix(".collapsed.txt")
        spy = await asyncio.create_subprocess_exec(
            pyspy, "record", "--pid", str(worker.pid), "--duration", str(int(seconds)), "--rate", "200",
            "--nonblocking", "--format", "raw", "--output", str(raw),
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        prod = producer()
        await prod.start()
        try:
            await send_bulk(prod, worker.env["WIREFEED_TOPIC_RAW"], recs)
        finally:
            await prod.stop()
        _, err = await spy.communicate()
        if not raw.exists():
            raise RuntimeError(f"py-spy failed: {err.decode()[-1000:]}")
        summary = _summarise(raw)
        summary["collapsed_stacks"] = str(raw.relative_to(REPO) if raw.is_relative_to(REPO) else raw)
        summary["seconds"] = seconds
        summary["events_during"] = tracker.count
        return summary
    finally:
        if tracker:
            await tracker.stop()
        worker.stop()
        worker.cleanup()


def profile(
    run_id: str, work: Path, recs: list[Record], warm: list[Record], seconds: float, out: Path
) -> dict[str, Any]:
    return asyncio.run(_profile(f"{run_id}-prof", work, recs, warm, seconds, out))


# ------------------------------------------------------------------------------------ stage benches


def stage_benches(quick: bool) -> dict[str, Any]:
    commands = {
        "bench_parse": ["bench/bench_parse.py", "--seconds", "0.2" if quick else "1"],
        "bench_enrich": ["bench/bench_enrich.py", "--messages", "100" if quick else "1000"],
        "bench_linking": [
            "-m", "bench.bench_linking", "--sizes", "2000" if quick else "10000,100000",
            "--probes", "100" if quick else "1000",
        ],
    }  # fmt: skip
    out: dict[str, Any] = {}
    for name, args in commands.items():
        started = time.time()
        done = subprocess.run(
            [sys.executable, *args], check=False, cwd=REPO, capture_output=True, text=True, timeout=600
        )
        out[name] = {
            "command": " ".join(["python", *args]),
            "exit": done.returncode,
            "seconds": round(time.time() - started, 1),
            "table": done.stdout.rstrip(),
        }
        log(f"{name}: exit {done.returncode} in {out[name]['seconds']}s")
    return out
