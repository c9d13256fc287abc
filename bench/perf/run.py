"""One benchmark command for issue 7: ``python -m bench.perf.run [--quick]``.

On the local broker (started with ``deploy/kafka/broker.sh`` when none answers) it measures, in
one go: Kafka's own ceiling (ProducerPerformance / ConsumerPerformance, 1 KB and 10 KB records),
the Python ceiling (a plain aiokafka consume-and-produce loop, no parsing, same messages, same
partition count), wirefeed end to end with one and two worker processes, end-to-end latency at
steady input rates, worker memory and state size with 100,000 (and 1,000,000) stories, a py-spy
profile of a worker under load, and the per-stage benchmarks. It prints a table, writes
``.local/perf/<timestamp>.json`` and a chart, and regenerates ``docs/benchmarks.md`` (not with
``--quick``, which is the seconds-long variant the integration test runs, unless ``--docs``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.perf import phases, profiling, state
from bench.perf.kit import PARTITIONS, REPO, delete_topics, ensure_broker, log, machine
from bench.perf.report import render_docs, render_table, write_chart

BUDGET_S = 20 * 60


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="seconds-long smoke variant: tiny stream, no 1M")
    ap.add_argument("--out", type=Path, default=REPO / ".local/perf", help="where the JSON and chart go")
    ap.add_argument("--docs", type=Path, default=None, help="docs file to regenerate")
    ap.add_argument("--skip-1m", action="store_true", help="do not try the 1,000,000-story state run")
    ap.add_argument("--render", type=Path, default=None, help="only re-render table/docs from a saved JSON")
    args = ap.parse_args(argv)
    if args.render is not None:
        saved = json.loads(args.render.read_text())
        table = render_table(saved)
        print(table)
        if args.docs is not None:
            chart = Path(saved["chart"]) if saved.get("chart") else None
            render_docs(saved, table, args.docs, chart)
        return 0
    quick = args.quick
    docs = args.docs if args.docs is not None else (None if quick else REPO / "docs/benchmarks.md")

    started = time.time()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    run_id = f"{stamp.lower()}-{uuid.uuid4().hex[:6]}"
    args.out.mkdir(parents=True, exist_ok=True)
    work = REPO / ".local/perf/work"
    ensure_broker()
    result: dict[str, Any] = {"run_id": run_id, "quick": quick, "machine": machine(), "started": stamp}
    result["loadavg"] = {"start": list(os.getloadavg())}
    log(f"run {run_id} ({'quick' if quick else 'full'}), machine {result['machine']}")

    # Inputs: one generated stream (deterministic), its head for the throughput runs.
    n_tp = 120 if quick else 3000
    rates = [20, 50, 100] if quick else [100, 500, 1000]
    seconds = 1.5 if quick else 20.0
    if quick:
        phases.QUIET.update(warm=1.5, drain=3.0, latency=2.0)
    n_lat = int(sum(rates) * seconds)
    stream = phases.messages(max(60, (n_tp + n_lat) // 2 + 200), 7)
    throughput_msgs = stream[:n_tp]
    latency_recs = phases.records(stream[n_tp : n_tp + n_lat])
    warm = phases.records(
        phases.messages(12, 99, start=datetime(2025, 3, 1, 5, tzinfo=UTC) - timedelta(days=5))
    )
    tp_recs = phases.records(throughput_msgs)
    expected = phases.expected_events(throughput_msgs)
    result["inputs"] = {
        "generator": "bench.generator.generate(stories, max_versions=4, seed=7), key = feed (format)",
        "throughput_messages": n_tp,
        "throughput_mean_bytes": round(sum(len(r[1]) for r in tp_recs) / len(tp_recs)),
        "throughput_events_in_process": expected,
        "latency_messages": len(latency_recs),
        "partitions": PARTITIONS,
    }
    if len(latency_recs) < n_lat:
        raise SystemExit(f"generated stream too short: {len(latency_recs)} < {n_lat}")

    try:
        result["kafka"] = phases.kafka_ceiling(run_id, quick)
        result["python"] = phases.python_ceiling(run_id, tp_recs)
        result["wirefeed"] = {
            "one": phases.end_to_end(run_id, work, 1, tp_recs, warm, expected),
            "one_sharded": phases.end_to_end(run_id, work, 1, tp_recs, warm, expected, "sharded"),
            "two": phases.end_to_end(run_id, work, 2, tp_recs, warm, expected),
        }
        result["loadavg"]["after_throughput"] = list(os.getloadavg())
        result["latency"] = phases.latency(run_id, work, rates, seconds, latency_recs, warm)
        prof_recs = phases.records(stream[: (300 if quick else 2500)])
        result["profile"] = profiling.profile(
            run_id, work, prof_recs, warm, 2 if quick else 15, args.out / f"{stamp}-profile"
        )
        result["stages"] = profiling.stage_benches(quick)
        result["state"] = [state.state_size(run_id, work, 1000 if quick else 100_000, 10 if quick else 200)]
        if quick or args.skip_1m:
            result["state"].append({"stories": 1_000_000, "not_measured": "skipped (--quick / --skip-1m)"})
        else:
            left = BUDGET_S - (time.time() - started)
            # Seeding, restoring and the first link's index rebuild (a pass over the whole table)
            # all grow with the stories: 10 x the 100,000 run, 15 % margin, 30 s to stop and clean.
            small = result["state"][0]
            per_100k = small["seed_s"] + small["restore_to_ready_s"] + small["first_event_s"]
            need = per_100k * 10 * 1.15 + 30
            if need < left:
                result["state"].append(state.state_size(run_id, work, 1_000_000, 200))
            else:
                result["state"].append(
                    {
                        "stories": 1_000_000,
                        "not_measured": (
                            f"does not fit the 20-minute budget: the 100,000-story run took "
                            f"{per_100k:.0f}s to seed, restore and link, so 1,000,000 needs ~{need:.0f}s, "
                            f"{left:.0f}s were left"
                        ),
                    }
                )
    finally:
        asyncio.run(delete_topics(f"perf-{run_id}"))

    result["loadavg"]["end"] = list(os.getloadavg())
    result["elapsed_s"] = round(time.time() - started, 1)
    json_path = args.out / f"{stamp}.json"
    chart = write_chart(result, args.out / f"{stamp}.png")
    result["chart"] = str(chart) if chart else None
    json_path.write_text(json.dumps(result, indent=2))
    table = render_table(result)
    print(table)
    print(f"\nJSON: {json_path}\nchart: {chart or 'not written (matplotlib missing)'}")
    if docs is not None:
        render_docs(result, table, docs, chart)
        print(f"docs: {docs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
