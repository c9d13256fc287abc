"""Metrics end to end: a real worker, a real Prometheus server scraping it every second.

Good and bad messages go through the broker; the counters Prometheus has scraped must match
what happened (items parsed, dead letters by reason, story events), the recording rules of
deploy/prometheus/alerts.yml must evaluate on the real series, and ``promtool check metrics``
must find nothing to complain about in the live exposition.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.integration.conftest import WorkerRun, consume, events_of, free_port, produce
from tests.ops.tools import PROMETHEUS_DIR, check_metrics, require

pytestmark = pytest.mark.integration

GOOD = [
    "Lufthansa hebt Prognose für das Gesamtjahr an\n\nFRANKFURT (dpa-AFX) - Die Lufthansa hat ihre "
    "Gewinnprognose für das laufende Jahr angehoben. Die Nachfrage nach Flugreisen bleibe hoch, teilte "
    "der Konzern am Donnerstag in Frankfurt mit. Die Aktie legte im frühen Handel deutlich zu.",
    "Bahn meldet Rekord bei den Fahrgastzahlen\n\nBERLIN (dpa-AFX) - Die Deutsche Bahn hat im ersten "
    "Halbjahr so viele Fahrgäste befördert wie nie zuvor. Vor allem im Regionalverkehr stiegen die "
    "Zahlen kräftig, sagte ein Sprecher des Unternehmens am Mittwoch in Berlin.",
    "Ifo-Geschäftsklima steigt überraschend deutlich\n\nMÜNCHEN (dpa-AFX) - Die Stimmung in den "
    "deutschen Chefetagen hat sich im Juli spürbar aufgehellt. Der Ifo-Index kletterte auf den höchsten "
    "Stand seit zwei Jahren, wie das Münchner Institut am Montag mitteilte. Ökonomen hatten mit einem "
    "Rückgang gerechnet.",
    "Siemens Energy gewinnt Großauftrag für Windpark in Schottland\n\nERLANGEN (dpa-AFX) - Siemens "
    "Energy soll Turbinen für einen neuen Windpark vor der schottischen Küste liefern. Der Auftrag hat "
    "nach Angaben des Konzerns einen Wert von mehr als einer Milliarde Euro, die Anlagen sollen ab 2027 "
    "Strom erzeugen.",
]
BAD = {b"": "empty_message", bytes(range(256)) * 4: "bad_encoding"}
N, M, K = len(GOOD), len(BAD), len(GOOD)  # every good text is a story of its own
DEADLINE = 90.0


@dataclass
class PrometheusRun:
    url: str
    proc: subprocess.Popen[bytes]
    log: Path

    def query(self, expr: str) -> list[dict[str, Any]]:
        url = f"{self.url}/api/v1/query?{urllib.parse.urlencode({'query': expr})}"
        with urllib.request.urlopen(url, timeout=5) as response:
            body = json.load(response)
        assert body["status"] == "success", body
        result: list[dict[str, Any]] = body["data"]["result"]
        return result

    def scalar(self, expr: str) -> float | None:
        result = self.query(expr)
        return float(result[0]["value"][1]) if result else None

    def by(self, label: str, expr: str) -> dict[str, float]:
        return {r["metric"].get(label, ""): float(r["value"][1]) for r in self.query(expr)}


def wait_for(what: str, check: Callable[[], Any], expected: Any, timeout: float = DEADLINE) -> None:
    deadline = time.monotonic() + timeout
    seen: Any = None
    while time.monotonic() < deadline:
        try:
            seen = check()
        except OSError as exc:
            seen = exc
        if seen == expected:
            return
        time.sleep(0.5)
    raise AssertionError(f"{what}: expected {expected!r}, last seen {seen!r} after {timeout}s")


@pytest.fixture(scope="module")
def prometheus(worker: WorkerRun, tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrometheusRun]:
    binary = require("prometheus")
    tmp = tmp_path_factory.mktemp("prometheus")
    port = free_port()
    config = tmp / "prometheus.yml"
    config.write_text(
        "global:\n"
        "  scrape_interval: 1s\n"
        "  scrape_timeout: 1s\n"
        "  evaluation_interval: 1s\n"
        "rule_files:\n"
        f"  - {json.dumps(str(PROMETHEUS_DIR / 'alerts.yml'))}\n"
        "scrape_configs:\n"
        "  - job_name: wirefeed\n"
        "    static_configs:\n"
        f"      - targets: ['127.0.0.1:{worker.settings.web_port}']\n"
    )
    log = tmp / "prometheus.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                binary,
                f"--config.file={config}",
                f"--storage.tsdb.path={tmp / 'data'}",
                f"--web.listen-address=127.0.0.1:{port}",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    run = PrometheusRun(url=f"http://127.0.0.1:{port}", proc=proc, log=log)
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise AssertionError(f"prometheus exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{run.url}/-/ready", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"prometheus not ready after 60s:\n{log.read_text()[-3000:]}")
            time.sleep(0.3)
        yield run
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def scrape(worker: WorkerRun) -> bytes:
    with urllib.request.urlopen(
        f"http://127.0.0.1:{worker.settings.web_port}/metrics", timeout=5
    ) as response:
        assert response.status == 200
        assert response.headers.get_content_type() == "text/plain"
        body: bytes = response.read()
        return body


def test_health_reports_ready(worker: WorkerRun) -> None:
    with urllib.request.urlopen(f"http://127.0.0.1:{worker.settings.web_port}/health", timeout=5) as response:
        detail = json.load(response)
    assert response.status == 200
    assert detail["ready"] is True and detail["recovered"] is True and detail["rebalancing"] is False
    assert detail["assigned_inputs"] == 2 * worker.settings.partitions


def test_counters_in_prometheus_match_the_traffic(worker: WorkerRun, prometheus: PrometheusRun) -> None:
    settings = worker.settings
    raw, items = settings.topic_raw, settings.topic_items

    # Before any traffic: the worker is up and the pre-initialised series are scraped at zero.
    wait_for("worker scraped", lambda: prometheus.scalar('up{job="wirefeed"}'), 1.0)
    wait_for(
        "dead-letter series at zero",
        lambda: prometheus.scalar("count(wirefeed_dead_letters_total == 0)"),
        float(len(prometheus.query("wirefeed_dead_letters_total"))),
    )
    assert prometheus.scalar("count(wirefeed_dead_letters_total)") >= 11  # every reason code
    wait_for(
        "lag series for every assigned input partition",
        lambda: prometheus.scalar("count(wirefeed_consumer_lag_messages)"),
        float(2 * settings.partitions),
    )

    asyncio.run(produce(settings, [text.encode() for text in GOOD] + list(BAD), feed="dpa-afx"))
    events = events_of(asyncio.run(consume(settings.topic_events, K)))
    assert len(events) == K
    dead = asyncio.run(consume(settings.topic_dlq, M))
    assert sorted(r.value for r in dead) == sorted(BAD)

    q = prometheus
    wait_for("items parsed", lambda: q.scalar("sum(wirefeed_items_parsed_total)"), float(N))
    wait_for("events published", lambda: q.scalar("sum(wirefeed_events_published_total)"), float(K))
    wait_for(
        "dead letters by reason",
        lambda: {
            r: v for r, v in q.by("reason", "sum by (reason) (wirefeed_dead_letters_total)").items() if v
        },
        {reason: 1.0 for reason in BAD.values()},
    )
    wait_for(
        "rejections by reason",
        lambda: {
            k: v
            for k, v in q.by(
                "reason", 'sum by (reason) (wirefeed_messages_rejected_total{stage="parse"})'
            ).items()
            if v
        },
        {reason: 1.0 for reason in BAD.values()},
    )
    wait_for(
        "raw messages consumed by format",
        lambda: {
            k: v for k, v in q.by("format", f'wirefeed_messages_consumed_total{{topic="{raw}"}}').items() if v
        },
        {"dpa_text": float(N), "unknown": float(M)},
    )
    wait_for(
        "items consumed",
        lambda: q.scalar(f'sum(wirefeed_messages_consumed_total{{topic="{items}"}})'),
        float(N),
    )
    wait_for(
        "link outcomes",
        lambda: {
            k: v for k, v in q.by("outcome", "sum by (outcome) (wirefeed_link_decisions_total)").items() if v
        },
        {"new_story": float(K)},
    )
    wait_for(
        "update types",
        lambda: {k: v for k, v in q.by("update_type", "wirefeed_update_types_total").items() if v},
        {"new": float(K)},
    )
    wait_for("latency observations", lambda: q.scalar("wirefeed_end_to_end_latency_seconds_count"), float(K))
    wait_for("ingest timings", lambda: q.scalar('wirefeed_stage_seconds_count{stage="ingest"}'), float(N))
    wait_for("stories in the window", lambda: q.scalar("wirefeed_linking_window_stories"), float(K))
    wait_for("stories in the table", lambda: q.scalar("wirefeed_state_stories"), float(K))
    wait_for("lag worked off", lambda: q.scalar("sum(wirefeed_consumer_lag_messages)"), 0.0)

    # The recording rules of deploy/prometheus/alerts.yml evaluate on the real series.
    wait_for(
        "recorded dead letters",
        lambda: q.scalar('wirefeed:dead_letters:increase15m{reason="bad_encoding"}') is not None,
        True,
    )
    assert q.scalar("wirefeed:messages_consumed:rate5m") is not None
    assert q.scalar("wirefeed:end_to_end_latency_seconds:p99_5m") is not None
    assert q.query('ALERTS{alertstate="firing"}') == []


def test_live_exposition_passes_promtool(worker: WorkerRun) -> None:
    assert check_metrics(scrape(worker)) == ""
