"""Worker memory and state size with a big story table (``state_size``), and a way to run it alone.

The story tables' changelog topics are seeded in bulk with real-shaped story states (feeding
1,000,000 stories through a worker would take hours), a worker with an empty data dir restores
them into RocksDB, and a few probe messages are linked against them::

    .venv/bin/python -m bench.perf.state --stories 100000 [--probes 200] [--json FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import sys
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaProducer
from aiokafka.partitioner import DefaultPartitioner

from bench.perf.kit import (
    BOOTSTRAP,
    PARTITIONS,
    REPO,
    Tracker,
    Worker,
    create_topics,
    delete_topics,
    du_bytes,
    ensure_broker,
    log,
    producer,
    send_bulk,
    vm_kib,
)
from bench.perf.phases import QUIET, messages, records

# Story arrival rate of the seeded history. 500 new stories an hour (12,000 a day) is a busy
# multi-agency intake: several agencies, each with several language services and its regional,
# sports and business wires, as the four shards of the generator (dpa:de, dpa:en, ap:en,
# reuters:en). At this rate 100,000 stories are 200 h of wire history and 1,000,000 are 2,000 h
# (83 days), and the linker's 72 h window holds 36,000 of them; the older ones live only in
# RocksDB, as in a newsroom's table of a million stories.
STORIES_PER_HOUR = 500
# What the seeding producer batches per partition request (the states are ~6.9 KB of JSON each).
SEED_BATCH_BYTES = 1024 * 1024


def templates(stories: int) -> list[dict[str, Any]]:
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


class Clone:
    """A real story's state as a format string: each clone is a distinct story with the same shape
    and size (new story and item ids, its own rare terms, name and sketch), and the JSON is
    formatted, not re-encoded (5x faster than building and dumping a dict per story)."""

    def __init__(self, template: dict[str, Any]) -> None:
        self.shard: str = template["shard"]
        self.items = len(template["item_ids"])
        ids = {old: f"urn:perf:@N@:{k}" for k, old in enumerate(template["item_ids"])}
        state = dict(template)
        state.update(story_id="@SID@", created="@T@", updated="@T@", received="@T@", content_time="@T@")
        state["item_ids"] = list(ids.values())
        state["item_versions"] = {ids.get(k, k): v for k, v in template["item_versions"].items()}
        state["versions"] = [
            {**v, "item_id": ids.get(v["item_id"], v["item_id"]), "event_time": "@T@"}
            for v in template["versions"]
        ]
        latest = dict(template["latest"])
        item_id = ids.get(latest["item"]["item_id"], "urn:perf:@N@:latest")
        latest["item"] = {**latest["item"], "item_id": item_id}
        latest["source"] = {**latest["source"], "received_at": "@T@"}
        state["latest"] = latest
        fp = dict(template["fingerprint"])
        self.sketch = len(fp["sketch"])
        fp["terms"] = [*fp["terms"][:-3], "zq@X@", "zr@R1@", "zs@R2@"]
        fp["headline_terms"] = [*fp["headline_terms"][:-1], "zq@X@"]
        fp["sketch"] = "@SKETCH@"
        fp["names"] = [*fp.get("names", [])[:-1], "perf @X@"]
        state["fingerprint"] = fp
        text = json.dumps(state, ensure_ascii=False, separators=(",", ":")).replace("%", "%%")
        text = text.replace('"@SKETCH@"', "[%(sketch)s]")
        for token in ("SID", "T", "N", "X", "R1", "R2"):
            text = text.replace(f"@{token}@", f"%({token})s")
        self.format = text

    def render(self, number: int, stamp: str, rng_bits: Any) -> tuple[bytes, bytes, list[bytes]]:
        """(story id, state JSON, item ids) of clone ``number`` arriving at ``stamp``."""
        story_id = "st-" + hashlib.sha256(b"perf|%d" % number).hexdigest()[:24]
        values = {
            "SID": story_id,
            "T": stamp,
            "N": number,
            "X": f"{number:x}",
            "R1": f"{rng_bits(40):x}",
            "R2": f"{rng_bits(40):x}",
            "sketch": ",".join(map(str, sorted([rng_bits(32) for _ in range(self.sketch)]))),
        }
        items = [f"urn:perf:{number}:{k}".encode() for k in range(self.items)]
        return story_id.encode(), (self.format % values).encode(), items


def seed_producer() -> AIOKafkaProducer:
    return AIOKafkaProducer(
        bootstrap_servers=BOOTSTRAP,
        acks="all",
        max_batch_size=SEED_BATCH_BYTES,
        max_request_size=8 * 1024 * 1024,
    )


async def seed(app_id: str, count: int, clones: list[Clone], now: datetime) -> dict[str, Any]:
    """Write ``count`` story states (and their item bindings) into the tables' changelogs, in
    arrival order at ``STORIES_PER_HOUR``, the newest a minute before ``now``. Batches are built
    by hand (``create_batch``/``send_batch``): a per-record ``send`` costs more than the JSON."""
    import random

    stories_topic, items_topic = f"{app_id}-stories-changelog", f"{app_id}-items-changelog"
    await create_topics([stories_topic, items_topic], compact=True)
    partitioner = DefaultPartitioner()
    parts = list(range(PARTITIONS))
    partition_of = {c.shard: partitioner(c.shard.encode(), parts, parts) for c in clones}
    rng_bits = random.Random(5).getrandbits
    prod = seed_producer()
    await prod.start()
    open_batches: dict[tuple[str, int], Any] = {}
    pending: list[asyncio.Future[Any]] = []
    totals = {"state_bytes": 0, "story_records": 0, "item_records": 0}

    async def append(topic: str, partition: int, key: bytes, value: bytes) -> None:
        batch = open_batches.get((topic, partition))
        if batch is None:
            batch = open_batches[(topic, partition)] = prod.create_batch()
        if batch.append(key=key, value=value, timestamp=None) is None:
            pending.append(await prod.send_batch(batch, topic, partition=partition))
            batch = open_batches[(topic, partition)] = prod.create_batch()
            batch.append(key=key, value=value, timestamp=None)
            if len(pending) >= 64:
                await asyncio.gather(*pending)
                pending.clear()

    first = now - timedelta(hours=(count - 1) / STORIES_PER_HOUR, minutes=1)
    try:
        for number in range(count):
            clone = clones[number % len(clones)]
            when = first + timedelta(hours=number / STORIES_PER_HOUR)
            stamp = when.isoformat().replace("+00:00", "Z")
            key, value, items = clone.render(number, stamp, rng_bits)
            partition = partition_of[clone.shard]
            totals["state_bytes"] += len(value)
            await append(stories_topic, partition, key, value)
            for item in items:
                await append(items_topic, partition, item, key)
            totals["story_records"] += 1
            totals["item_records"] += len(items)
        for (topic, partition), batch in open_batches.items():
            if batch.record_count():
                pending.append(await prod.send_batch(batch, topic, partition=partition))
        await asyncio.gather(*pending)
    finally:
        await prod.stop()
    return {**totals, "shards": dict(Counter(c.shard for c in clones))}


async def _state_size(run_id: str, work: Path, count: int, probes: int) -> dict[str, Any]:
    started = time.time()
    clones = [Clone(t) for t in templates(300)]
    now = datetime.now(UTC).replace(microsecond=0)
    worker = Worker.create(run_id, work, "w1")
    window_h = float(worker.env.get("WIREFEED_LINK_WINDOW_HOURS", 72))
    seeded = await seed(worker.env["WIREFEED_APP_ID"], count, clones, now)
    seed_s = time.time() - started
    log(f"state {count}: seeded in {seed_s:.1f}s ({seeded['state_bytes'] / count:.0f} B/state)")
    worker.start()
    tracker: Tracker | None = None
    try:
        restore_s = await worker.wait_ready(timeout=1200)
        ready_hwm, ready_rss = vm_kib(worker.pid, "VmHWM"), vm_kib(worker.pid, "VmRSS")
        log(f"state {count}: ready after {restore_s:.1f}s, RSS {ready_rss / 1024:.0f} MiB")
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
            "arrival_stories_per_h": STORIES_PER_HOUR,
            "history_h": round(count / STORIES_PER_HOUR, 1),
            "window_h": window_h,
            "table_stories": count,
            "seeded_in_window": min(count, int(window_h * STORIES_PER_HOUR)),
            "changelog_records": seeded["story_records"] + seeded["item_records"],
            "seed_s": round(seed_s, 1),
            "state_json_mean_bytes": round(seeded["state_bytes"] / count),
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--stories", type=int, default=100_000)
    ap.add_argument("--probes", type=int, default=200)
    ap.add_argument("--json", type=Path, default=None, help="also write the result here")
    args = ap.parse_args(argv)
    ensure_broker()
    run_id = f"{datetime.now(UTC).strftime('%Y%m%dt%H%M%Sz')}-{uuid.uuid4().hex[:6]}"
    started = time.time()
    try:
        result = state_size(run_id, REPO / ".local/perf/work", args.stories, args.probes)
    finally:
        asyncio.run(delete_topics(f"perf-{run_id}"))
    result["elapsed_s"] = round(time.time() - started, 1)
    text = json.dumps(result, indent=2)
    print(text)
    if args.json is not None:
        args.json.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
