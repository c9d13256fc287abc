"""The perf harness (``python -m bench.perf.run``) in its seconds-long ``--quick`` form, so it cannot rot.

It runs against the real broker like the other integration tests and checks that the JSON report
has every section with positive numbers; the numbers themselves are not judged here.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.conftest import broker_up

pytestmark = [pytest.mark.integration, pytest.mark.timeout(240)]

REPO = Path(__file__).resolve().parents[2]


def _positive(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0


def test_quick_perf_run_reports_every_section(tmp_path: Path) -> None:
    if not broker_up():
        pytest.fail("no Kafka broker: run the tests with scripts/test.sh")
    done = subprocess.run(
        [sys.executable, "-m", "bench.perf.run", "--quick", "--out", str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=220,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    reports = list(tmp_path.glob("*.json"))
    assert len(reports) == 1
    report = json.loads(reports[0].read_text())

    assert report["machine"]["cores"] >= 1 and report["machine"]["kafka"] != "unknown"
    for size in ("1KB", "10KB"):
        kafka = report["kafka"][size]
        for key in ("produce_msgs_per_s", "produce_mb_per_s", "consume_msgs_per_s", "consume_mb_per_s"):
            assert _positive(kafka[key]), (size, key, kafka)
    for mode in ("pipelined", "acked"):
        assert report["python"][mode]["complete"] and _positive(report["python"][mode]["msgs_per_s"])
    for key in ("one", "two"):
        run = report["wirefeed"][key]
        assert _positive(run["msgs_per_s"]) and _positive(run["events"]), run
        assert all(_positive(mib) for mib in run["worker_rss_hwm_mib"]), run
    assert len(report["wirefeed"]["two"]["worker_cpu_s"]) == 2
    assert len(report["latency"]) == 3
    for entry in report["latency"]:
        for key in ("rate", "achieved_msgs_per_s", "p50_ms", "p99_ms", "max_ms", "with_event"):
            assert _positive(entry[key]), (key, entry)
        assert entry["p50_ms"] <= entry["p99_ms"] <= entry["max_ms"]
    measured = [s for s in report["state"] if "not_measured" not in s]
    assert measured, report["state"]
    for state in measured:
        for key in ("stories", "rss_hwm_mib", "data_dir_mib", "index_stories", "probe_events"):
            assert _positive(state[key]), (key, state)
        assert state["index_stories"] >= state["stories"]
    assert any(s["stories"] == 1_000_000 for s in report["state"])
    profile = report["profile"]
    if shutil.which("py-spy") or Path(sys.executable).with_name("py-spy").exists():
        assert _positive(profile["samples"]) and profile["self"] and profile["inclusive"]
    else:  # the `bench` extra is not installed: the harness says so instead of failing
        assert profile["not_measured"]
    for name in ("bench_parse", "bench_enrich", "bench_linking"):
        assert report["stages"][name]["exit"] == 0 and report["stages"][name]["table"], name
    assert "MISSED" in done.stdout or "MET" in done.stdout  # the targets table was printed
    if importlib.util.find_spec("matplotlib") is not None:
        assert report["chart"] and Path(report["chart"]).stat().st_size > 0
