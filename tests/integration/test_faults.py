"""Proof under fire, short variant: baseline, three worker SIGKILLs and three broker SIGKILLs on
a small labelled stream (150 stories, up to 5 versions, ~40 poison messages).

The harness (bench/faults) runs every scenario on a broker of its own (deploy/kafka/broker.sh on
free ports with its own state dir under the test's tmp dir), never on the suite's broker on
9092, so killing it does not disturb other tests; it is stopped and its data removed at the end.
Workers are real ``python -m streams.cli worker`` processes. The verifier reads the committed
output back; see docs/reliability.md for how it counts.
"""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import pytest

from bench.faults.run import SHORT, SHORT_SCENARIOS, run_scenarios, table

pytestmark = pytest.mark.integration


def test_short_fault_matrix_meets_the_targets(tmp_path: Path) -> None:
    started = time.monotonic()
    results = asyncio.run(run_scenarios(SHORT_SCENARIOS, SHORT, tmp_path / "faults"))
    elapsed = time.monotonic() - started
    print(table(results))
    print(f"short fault matrix took {elapsed:.0f}s")
    (tmp_path / "results.json").write_text(json.dumps(results, indent=2, default=str))
    assert [r["scenario"] for r in results] == list(SHORT_SCENARIOS)
    baseline = results[0]
    assert baseline["inputs"] > 300 and baseline["poison"] >= 40
    assert baseline["distinct_events"] > 0
    for r in results:
        summary = {k: r[k] for k in ("lost", "duplicate", "phantom", "misplaced", "dlq_exact")}
        detail = {k: v for k, v in r["detail"].items() if v}
        assert r["lost"] == 0, (r["scenario"], summary, detail)
        assert r["duplicate"] == 0, (r["scenario"], summary, detail)
        assert r["phantom"] == 0, (r["scenario"], summary, detail)
        assert r["dlq_exact"], (r["scenario"], summary, detail)
        assert r["misplaced"] == baseline["misplaced"], (r["scenario"], summary, detail)
        assert not r["worker_crashes"], (r["scenario"], r["worker_crashes"])
        assert r["detail"]["out_of_order"] == 0, (r["scenario"], detail)
        assert not r["notes"].get("stalled"), (r["scenario"], r["notes"])
    for r in results[1:]:
        assert len(r["faults"]) == 3, r["faults"]
        assert all(f["recovery_s"] is not None for f in r["faults"]), r["faults"]
