# ruff: noqa: E501  (report lines are long f-strings by nature)
"""The perf run's outputs: the printed table, the chart and docs/benchmarks.md."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from bench.perf.kit import REPO

LATENCY_TARGETS = {100: 50.0, 500: 250.0}


def _verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("MET" if ok else "MISSED")


def targets(result: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(target, measured, verdict) rows."""
    rows = []
    py = result["python"]["pipelined"]["msgs_per_s"]
    one = result["wirefeed"]["one"]["msgs_per_s"]
    two = result["wirefeed"]["two"]["msgs_per_s"]
    rows.append(
        (
            "one worker >= 0.5 x Python ceiling",
            f"{one / py:.2f} x ({one:,.0f} / {py:,.0f} msg/s)",
            _verdict(one / py >= 0.5),
        )
    )
    for entry in result["latency"]:
        limit = LATENCY_TARGETS.get(entry["rate"])
        if limit is not None and entry["p99_ms"] is not None:
            rows.append(
                (
                    f"p99 <= {limit:.0f} ms at {entry['rate']} msg/s",
                    f"{entry['p99_ms']:,.1f} ms",
                    _verdict(entry["p99_ms"] <= limit),
                )
            )
    rows.append(
        (
            "two workers >= 1.5 x one worker",
            f"{two / one:.2f} x ({two:,.0f} / {one:,.0f} msg/s)",
            _verdict(two / one >= 1.5),
        )
    )
    big = next((s for s in result["state"] if s["stories"] == 1_000_000), None)
    if big and "rss_hwm_mib" in big:
        rows.append(
            (
                "worker RSS <= 1 GiB with 1,000,000 stories",
                f"{big['rss_hwm_mib']:,.0f} MiB",
                _verdict(big["rss_hwm_mib"] <= 1024),
            )
        )
    else:
        rows.append(("worker RSS <= 1 GiB with 1,000,000 stories", "not measured", "n/a"))
    return rows  # fmt: skip


def render_table(result: dict[str, Any]) -> str:
    m = result["machine"]
    lines = [
        f"wirefeed perf run {result['run_id']} ({'quick' if result['quick'] else 'full'}, {result['elapsed_s']:.0f}s)",
        f"machine: {m['cores']} cores ({m['cpu']}), {m['ram_gib']} GiB RAM, Python {m['python']}, Kafka {m['kafka']}, "
        f"commit {m['git_commit']}{' (dirty tree)' if m['git_dirty'] else ''}",
        "load average (1/5/15 min): "
        + "; ".join(f"{k} {v[0]:.2f}/{v[1]:.2f}/{v[2]:.2f}" for k, v in result["loadavg"].items()),
        "",
        f"{'measurement':<44} {'msgs/s':>10} {'MB/s':>8}  notes",
    ]
    for size, k in result["kafka"].items():
        lines.append(f"{'Kafka ProducerPerformance ' + size:<44} {k['produce_msgs_per_s']:>10,.0f} {k['produce_mb_per_s']:>8.1f}  "
                     f"acks=all, {k['records']:,} records, p99 {k['produce_latency_p99_ms']:.0f} ms")  # fmt: skip
        lines.append(f"{'Kafka ConsumerPerformance ' + size:<44} {k['consume_msgs_per_s']:>10,.0f} {k['consume_mb_per_s']:>8.1f}  "
                     f"fetch-only {k['consume_fetch_msgs_per_s']:,.0f} msg/s")  # fmt: skip
    inputs = result["inputs"]
    mb = inputs["throughput_mean_bytes"] / 1e6
    py = result["python"]
    lines.append(f"{'Python ceiling (aiokafka loop, pipelined)':<44} {py['pipelined']['msgs_per_s']:>10,.0f} "
                 f"{py['pipelined']['msgs_per_s'] * mb:>8.1f}  {inputs['throughput_messages']:,} msgs of ~{inputs['throughput_mean_bytes']:,} B, {inputs['partitions']} partitions")  # fmt: skip
    lines.append(f"{'Python loop, ack awaited per record':<44} {py['acked']['msgs_per_s']:>10,.0f} "
                 f"{py['acked']['msgs_per_s'] * mb:>8.1f}  as wirefeed's agents send")  # fmt: skip
    base = py["pipelined"]["msgs_per_s"]
    runs = (
        ("one", "wirefeed, 1 worker"),
        ("one_sharded", "wirefeed, 1 worker"),
        ("two", "wirefeed, 2 workers"),
    )
    for key, name in runs:
        w = result["wirefeed"].get(key)
        if w is None:
            continue
        label = f"{name}, {w['topology']}" if w.get("topology") else name
        lines.append(
            f"{label:<44} {w['msgs_per_s']:>10,.0f} {w['msgs_per_s'] * mb:>8.1f}  {w['msgs_per_s'] / base:.2f} x Python ceiling; "
            f"{w['events']:,} events ({w['events_expected_in_process']:,} in-process); worker CPU {w['worker_cpu_share']} cores, "
            f"broker {w['broker_cpu_s']}s CPU, machine busy {w['machine_cpu_busy']:.0%}; RSS {w['worker_rss_hwm_mib']} MiB"
        )
    lines += [
        "",
        f"{'latency, one worker':<28} {'offered':>8} {'achieved':>9} {'p50 ms':>8} {'p99 ms':>9} {'max ms':>9}  notes",
    ]
    for e in result["latency"]:
        lines.append(
            f"{str(e['rate']) + ' msg/s for ' + str(int(e['seconds'])) + ' s':<28} {e['offered_msgs_per_s']:>8,.0f} "
            f"{e['achieved_msgs_per_s']:>9,.0f} {e['p50_ms'] or 0:>8,.1f} {e['p99_ms'] or 0:>9,.1f} {e['max_ms'] or 0:>9,.1f}  "
            f"{e['with_event']:,}/{e['messages']:,} with an event, worker CPU {e['worker_cpu_share']} cores, load {e['loadavg']}"
        )
    lines += ["", f"{'state, one worker':<28} {'RSS peak MiB':>12} {'data dir MiB':>13}  notes"]
    for s in result["state"]:
        if "not_measured" in s:
            lines.append(
                f"{s['stories']:>10,} stories{'':<10} {'-':>12} {'-':>13}  not measured: {s['not_measured']}"
            )
        else:
            lines.append(
                f"{s['stories']:>10,} stories{'':<10} {s['rss_hwm_mib']:>12,.0f} {s['data_dir_mib']:>13,.0f}  "
                f"index {s['index_stories']}, {s['state_json_mean_bytes']:,} B/state, seeded {s['seed_s']}s, "
                f"restored+ready {s['restore_to_ready_s']}s, first event {s['first_event_s']}s, {s['probe_events']} probe events"
            )
    lines += ["", f"{'target':<46} {'measured':<36} verdict"]
    lines += [f"{t:<46} {v:<36} {ok}" for t, v, ok in targets(result)]
    prof = result.get("profile")
    if prof and "not_measured" in prof:
        lines += ["", f"profile: not measured: {prof['not_measured']}"]
    elif prof:
        lines += [
            "",
            f"profile (py-spy, {prof['samples']:,} samples over {prof['seconds']}s, worker under load): top self time",
        ]
        lines += [f"  {p['pct']:>5.1f} %  {p['function']}" for p in prof["self"][:10]]
        lines += ["  inclusive (wirefeed and library frames):"]
        lines += [f"  {p['pct']:>5.1f} %  {p['function']}" for p in prof["inclusive"][:12]]
    for name, stage in result.get("stages", {}).items():
        lines += [
            "",
            f"{name} ({stage['command']}, exit {stage['exit']}, {stage['seconds']}s):",
            stage["table"],
        ]
    return "\n".join(lines)


def write_chart(result: dict[str, Any], path: Path) -> Path | None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    lat = [e for e in result["latency"] if e["p50_ms"] is not None]
    rates = [e["rate"] for e in lat]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    left.plot(rates, rates, "k:", label="offered")
    left.plot(rates, [e["achieved_msgs_per_s"] for e in lat], "o-", label="achieved, 1 worker")
    left.axhline(result["wirefeed"]["one"]["msgs_per_s"], color="C1", ls="--", label="1 worker, bulk input")
    left.axhline(result["wirefeed"]["two"]["msgs_per_s"], color="C2", ls="--", label="2 workers, bulk input")
    left.set(xlabel="input rate (msg/s)", ylabel="throughput (msg/s)", title="Throughput")
    left.legend(fontsize=8)
    for key, style in (("p50_ms", "o-"), ("p99_ms", "s-"), ("max_ms", "^:")):
        right.plot(rates, [e[key] for e in lat], style, label=key.removesuffix("_ms"))
    for rate, limit in LATENCY_TARGETS.items():
        right.plot([rate], [limit], "rx", markersize=10)
    right.set(
        xlabel="input rate (msg/s)",
        ylabel="end-to-end latency (ms)",
        title="Latency (x = p99 target)",
        yscale="log",
    )
    right.legend(fontsize=8)
    fig.suptitle(
        f"wirefeed {result['machine']['git_commit']} on {result['machine']['cores']} cores, run {result['run_id']}",
        fontsize=9,
    )
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def render_docs(result: dict[str, Any], table: str, docs: Path, chart: Path | None) -> None:
    m = result["machine"]
    chart_md = ""
    if chart is not None:
        target = docs.with_suffix(".png")
        shutil.copyfile(chart, target)
        chart_md = f"![throughput and latency against input rate]({target.name})\n"
    prof = result.get("profile") or {}
    if "not_measured" in prof:
        prof = {"samples": 0, "seconds": 0, "collapsed_stacks": prof["not_measured"]}
    notes_path = REPO / "bench/perf/NOTES.md"
    notes = notes_path.read_text() if notes_path.exists() else ""
    text = f"""# Benchmarks

Generated by `python -m bench.perf.run` (issue 7); do not edit by hand — the command rewrites
this file and `benchmarks.png`. Raw numbers: `.local/perf/{result['started']}.json`.

## Machine

| | |
|---|---|
| cores | {m['cores']} ({m['cpu']}) |
| RAM | {m['ram_gib']} GiB |
| Python | {m['python']} |
| Kafka | {m['kafka']} (single KRaft node, `deploy/kafka/broker.sh`, {m['java']}) |
| git commit | {m['git_commit']}{' (with uncommitted changes)' if m['git_dirty'] else ''} |
| load average | {', '.join(f"{k}: {v[0]:.2f} / {v[1]:.2f} / {v[2]:.2f}" for k, v in result['loadavg'].items())} |
| run | {result['run_id']}, {result['elapsed_s']:.0f} s |

Broker, workers and the measuring process share the same cores (and other engineers' test runs
may have been running: see the load average).

## Results

```
{table}
```

{chart_md}
## Profile

py-spy samples of one worker under bulk load ({prof.get('samples', 0):,} samples,
{prof.get('seconds', 0)} s, collapsed stacks in `{prof.get('collapsed_stacks', '-')}`).

| self % | function (file:function) |
|---:|---|
""" + "".join(f"| {p['pct']} | `{p['function']}` |\n" for p in prof.get("self", [])) + """
| inclusive % | function (file:function) |
|---:|---|
""" + "".join(f"| {p['pct']} | `{p['function']}` |\n" for p in prof.get("inclusive", [])) + "\n" + notes  # fmt: skip
    docs.write_text(text)
