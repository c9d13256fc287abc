"""Table restore time alone: ``python -m bench.faults.restore --owned 100000``.

Scenario 6 without the stream: a broker of its own (``deploy/kafka/broker.sh`` on free ports, or
``--bootstrap`` of one already running), the ``stories`` and ``items`` changelogs seeded with
``--owned`` stories (``seed.py``), then ``--workers`` worker processes one after another, each
with an EMPTY state dir, timed from start until ``/health`` answers 200 (tables restored). Each
worker is stopped with SIGTERM before the next starts, so every one restores everything.
``--env KEY=VALUE`` (repeatable) passes settings to the workers; ``--profile`` records a py-spy
flame graph of each worker's start-up into its state dir.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.faults.brokers import REPO, ScriptBroker
from bench.faults.harness import Run, Sizes, build_input, free_port
from bench.faults.seed import seed_stories
from bench.faults.verify import prepare


def cpu_s(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mib(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


async def restore_once(run: Run, name: str, extra_env: dict[str, str], profile: bool) -> dict[str, Any]:
    state = run.dir / f"state-{name}"
    shutil.rmtree(state, ignore_errors=True)
    started = time.monotonic()
    run.start_worker(name)
    proc = run.workers[name]
    spy = None
    if profile:
        state.mkdir(parents=True, exist_ok=True)
        spy = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "py-spy"),
                "record",
                "--pid",
                str(proc.pid),
                "--idle",
                "--threads",
                "--nonblocking",
                "--rate",
                "50",
                "--format",
                "raw",
                "--output",
                str(run.dir / f"{name}.folded"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    try:
        await run.wait_ready(name, timeout=900.0)
        ready = time.monotonic() - started
        peak = rss_mib(proc.pid)
        cpu = cpu_s(proc.pid)
    finally:
        if spy is not None:
            spy.send_signal(signal.SIGINT)
            spy.wait(timeout=60)
        run.signal_worker(name, signal.SIGTERM)
    return {
        "worker": name,
        "ready_s": round(ready, 1),
        "cpu_s": cpu,
        "peak_rss_mib": round(peak or 0),
        "env": extra_env,
    }


async def main_async(args: argparse.Namespace) -> list[dict[str, Any]]:
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="wirefeed-restore-"))
    broker: Any
    own = args.bootstrap is None
    if own:
        broker = ScriptBroker(workdir / "kafka", free_port(), free_port())
        await asyncio.to_thread(broker.start)
    else:

        class External:
            bootstrap = args.bootstrap

        broker = External()
    results: list[dict[str, Any]] = []
    try:
        sizes = Sizes(stories=args.stories, poison=0, owned=args.owned)
        run = Run("restore", broker, workdir, sizes, **({"run_id": args.run_id} if args.run_id else {}))
        run.sent = build_input(run.sizes)
        prepare(run.sent)
        if not args.run_id:
            t = time.monotonic()
            await seed_stories(run, args.owned)
            print(f"[restore] seeded {args.owned:,} stories in {time.monotonic() - t:.1f}s", file=sys.stderr)
        print(f"[restore] run id {run.run_id}, workdir {workdir}", file=sys.stderr)
        extra = dict(kv.split("=", 1) for kv in args.env)
        os.environ.update(extra)
        for i in range(args.workers):
            result = await restore_once(run, f"r{i + 1}", extra, args.profile)
            print(json.dumps(result), flush=True)
            results.append(result)
    finally:
        if own:
            await asyncio.to_thread(broker.destroy)
            shutil.rmtree(workdir, ignore_errors=True)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--owned", type=int, default=100_000, help="stories seeded into the changelogs")
    parser.add_argument("--stories", type=int, default=200, help="generated stream the seeds copy from")
    parser.add_argument("--workers", type=int, default=1, help="restores, one after another")
    parser.add_argument("--env", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--bootstrap", help="an existing broker (not 127.0.0.1:9092, the suite's)")
    parser.add_argument("--workdir", help="kept only with --bootstrap")
    parser.add_argument("--run-id", help="with --bootstrap: restore the changelogs an earlier run seeded")
    parser.add_argument("--profile", action="store_true", help="py-spy flame graph per worker")
    args = parser.parse_args(argv)
    if args.bootstrap and args.bootstrap.endswith(":9092"):
        parser.error("never the suite's broker on 9092")
    if args.run_id and not (args.bootstrap and args.workdir):
        parser.error("--run-id needs --bootstrap and --workdir")
    asyncio.run(main_async(args))
    return 0


if __name__ == "__main__":
    os.chdir(REPO)
    sys.exit(main())
