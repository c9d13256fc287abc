"""Fault matrix: ``python -m bench.faults.run --scenario NAME`` (or ``--all``, ``--short``).

Starts its own broker (deploy/kafka/broker.sh on other ports with its own state dir, so the
suite's broker on 9092 is never touched; a three-node cluster for ``cluster-kill``), runs each
scenario on fresh topics with worker processes, verifies the committed output, prints a table
and writes the results to ``.local/faults/<timestamp>.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.faults.brokers import REPO, Cluster, ScriptBroker
from bench.faults.harness import Run, Sizes, free_port
from bench.faults.scenarios import SCENARIOS, Scenario

OUT = REPO / ".local" / "faults"
SHORT = Sizes(stories=150, max_versions=5, poison=40, seed=8, too_large=1, feed_seconds=30.0)
SHORT_SCENARIOS = ("baseline", "worker-kill", "broker-kill")
COLUMNS = (
    "scenario",
    "messages",
    "lost",
    "duplicate",
    "phantom",
    "misplaced",
    "dlq_exact",
    "redelivered_events",
    "redelivered_dead_letters",
    "recovery_s",
    "processing_s",
)


def targets_met(result: dict[str, Any], baseline_misplaced: int | None) -> bool:
    if "error" in result:
        return False
    ok = result["lost"] == 0 and result["duplicate"] == 0 and result["phantom"] == 0 and result["dlq_exact"]
    if baseline_misplaced is not None:
        ok = ok and result["misplaced"] == baseline_misplaced
    return bool(ok and not result.get("worker_crashes") and not result.get("notes", {}).get("stalled"))


def table(results: Sequence[dict[str, Any]]) -> str:
    rows = [[*COLUMNS, "ok"]]
    base = next((r.get("misplaced") for r in results if r["scenario"] == "baseline"), None)
    for r in results:
        rows.append([str(r.get(c, "")) for c in COLUMNS] + [str(targets_met(r, base))])
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.rjust(w) for cell, w in zip(row, widths, strict=True)) for row in rows)


async def run_scenarios(
    names: Sequence[str], sizes: Sizes, workdir: Path, log: Any = sys.stderr, keep_going: bool = False
) -> list[dict[str, Any]]:
    """Run the scenarios in order on fresh topics; one single-node broker for all but
    ``cluster-kill`` (its own three-node cluster). Brokers are stopped and wiped at the end."""
    workdir.mkdir(parents=True, exist_ok=True)
    results: list[dict[str, Any]] = []
    single: ScriptBroker | None = None
    try:
        for name in names:
            scenario: Scenario = SCENARIOS[name]
            print(f"[faults] {name}: {sizes}", file=log, flush=True)
            try:
                if scenario.cluster:
                    ports = [free_port() for _ in range(3)]
                    cluster = Cluster(workdir / "cluster", ports, [free_port() for _ in range(3)])
                    try:
                        await asyncio.to_thread(cluster.start)
                        run = Run(name, cluster, workdir, sizes, replication=3)
                        results.append(await run.execute(scenario.body, scenario.workers, scenario.pre))
                    finally:
                        await asyncio.to_thread(cluster.destroy)
                else:
                    if single is None:
                        single = ScriptBroker(workdir / "kafka", free_port(), free_port())
                        await asyncio.to_thread(single.start)
                    run = Run(name, single, workdir, sizes)
                    results.append(await run.execute(scenario.body, scenario.workers, scenario.pre))
            except Exception as exc:
                if not keep_going:
                    raise
                results.append({"scenario": name, "error": f"{type(exc).__name__}: {exc}"})
                print(f"[faults] {name}: FAILED {type(exc).__name__}: {exc}", file=log, flush=True)
                continue
            r = results[-1]
            print(
                f"[faults] {name}: lost={r['lost']} duplicate={r['duplicate']} phantom={r['phantom']} "
                f"misplaced={r['misplaced']} dlq_exact={r['dlq_exact']} recovery_s={r['recovery_s']}",
                file=log,
                flush=True,
            )
    finally:
        if single is not None:
            await asyncio.to_thread(single.destroy)
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", action="append", choices=sorted(SCENARIOS), default=[])
    parser.add_argument("--all", action="store_true", help="every scenario")
    parser.add_argument(
        "--short", action="store_true", help="the CI variant: small stream, scenarios 1, 3, 4"
    )
    parser.add_argument("--stories", type=int)
    parser.add_argument("--max-versions", type=int)
    parser.add_argument("--poison", type=int)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--owned", type=int, help="scenario 6: stories the killed worker owns (100,000)")
    parser.add_argument("--feed-seconds", type=float, help="spread the input over this many seconds")
    args = parser.parse_args(argv)
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)  # a broker away on purpose is no news
    sizes = Sizes(**SHORT.__dict__) if args.short else Sizes()
    sizes.seed = args.seed
    for key in ("stories", "max_versions", "poison", "owned", "feed_seconds"):
        if getattr(args, key) is not None:
            setattr(sizes, key, getattr(args, key))
    names = list(args.scenario)
    if args.all:
        names = [s.name for s in sorted(SCENARIOS.values(), key=lambda s: s.number)]
    elif args.short and not names:
        names = list(SHORT_SCENARIOS)
    if not names:
        parser.error("give --scenario NAME, --all or --short")
    if "baseline" in names:
        names.remove("baseline")
        names.insert(0, "baseline")
    stamp = time.strftime("%Y%m%dT%H%M%S")
    results = asyncio.run(run_scenarios(names, sizes, OUT / f"run-{stamp}", keep_going=True))
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{stamp}.json"
    path.write_text(json.dumps({"sizes": sizes.__dict__, "results": results}, indent=2, default=str))
    print(table(results))
    print(f"results: {path}")
    base = next((r.get("misplaced") for r in results if r["scenario"] == "baseline"), None)
    return 0 if all(targets_met(r, base) for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
