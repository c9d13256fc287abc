"""The py-spy profile of a worker under load and the per-stage benchmarks of ``bench.perf.run``."""

from __future__ import annotations

import asyncio
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench.perf.kit import REPO, Record, Tracker, Worker, log, producer, send_bulk
from bench.perf.phases import _warm_up

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
