"""The operations files: Prometheus config and rules (promtool), alert unit tests, the Grafana
dashboard and provisioning, docker-compose.yml and the worker image, all checked offline."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from prometheus_client import CollectorRegistry

from streams.metrics import Metrics
from tests.conftest import REPO
from tests.ops.tools import GRAFANA_DIR, OPS_TESTS, PROMETHEUS_DIR, load_yaml, promtool

ALERTS = PROMETHEUS_DIR / "alerts.yml"
DASHBOARD = GRAFANA_DIR / "dashboards" / "wirefeed.json"
REQUIRED_ALERTS = {
    "WirefeedWorkerDown",
    "WirefeedDeadLetters",
    "WirefeedInternalErrors",
    "WirefeedConsumerLagGrowing",
    "WirefeedNoInput",
    "WirefeedEndToEndLatencyHigh",
}
_METRIC = re.compile(r"\bwirefeed_[a-z0-9_]+")


def exposed_names() -> set[str]:
    """Names a worker exposes: families (counters with _total) and their samples (_bucket...)."""
    registry = CollectorRegistry()
    Metrics(registry, topics=("wire.raw",), formats=("dpa_text",))
    names = set()
    for family in registry.collect():
        names.add(family.name + "_total" if family.type == "counter" else family.name)
        names |= {sample.name for sample in family.samples}
    return names


def referenced(text: str) -> set[str]:
    return set(_METRIC.findall(text))


def alert_rules() -> list[dict[str, Any]]:
    groups = load_yaml(ALERTS)["groups"]
    return [rule for group in groups for rule in group["rules"] if "alert" in rule]


def dashboard_exprs() -> list[str]:
    board = json.loads(DASHBOARD.read_text())
    return [t["expr"] for p in board["panels"] for t in p.get("targets", ())]


@pytest.mark.parametrize("name", ["prometheus.yml", "prometheus-compose.yml"])
def test_promtool_check_config(name: str) -> None:
    done = promtool("check", "config", str(PROMETHEUS_DIR / name))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "SUCCESS" in done.stdout


def test_promtool_check_rules() -> None:
    done = promtool("check", "rules", str(ALERTS))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "SUCCESS" in done.stdout


def test_promtool_test_rules() -> None:
    """tests/ops/alerts_test.yml: input series and the alerts they must (not) raise."""
    done = promtool("test", "rules", "alerts_test.yml", cwd=OPS_TESTS)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "SUCCESS" in done.stdout


def test_every_alert_is_documented_and_unit_tested() -> None:
    tested = set(re.findall(r"alertname: (\S+)", (OPS_TESTS / "alerts_test.yml").read_text()))
    rules = alert_rules()
    names = {rule["alert"] for rule in rules}
    assert names >= REQUIRED_ALERTS
    assert names <= tested, f"alerts without a promtool unit test: {names - tested}"
    readme = (REPO / "deploy" / "README.md").read_text()
    for rule in rules:
        annotations = rule.get("annotations", {})
        assert annotations.get("summary"), rule["alert"]
        assert "Check first" in annotations.get("description", ""), rule["alert"]
        assert rule.get("labels", {}).get("severity") in ("warning", "critical"), rule["alert"]
        assert rule["alert"] in readme, f"{rule['alert']} is not described in deploy/README.md"


def test_rules_and_dashboard_use_only_exposed_metrics() -> None:
    exposed = exposed_names()
    used = referenced(ALERTS.read_text()) | referenced(DASHBOARD.read_text())
    missing = {name for name in used if name not in exposed}
    assert not missing, f"not exposed by streams.metrics: {missing}"


def test_dashboard_covers_the_issue(tmp_path: Path) -> None:
    board = json.loads(DASHBOARD.read_text())
    panels = board["panels"]
    ids = [p["id"] for p in panels]
    assert len(ids) == len(set(ids))
    for panel in panels:
        assert {"x", "y", "w", "h"} <= set(panel["gridPos"])
    used = referenced(DASHBOARD.read_text())
    for name in (
        "wirefeed_messages_consumed_total",
        "wirefeed_events_published_total",
        "wirefeed_end_to_end_latency_seconds_bucket",
        "wirefeed_consumer_lag_messages",
        "wirefeed_dead_letters_total",
        "wirefeed_link_decisions_total",
        "wirefeed_update_types_total",
    ):
        assert name in used, name
    assert board["uid"] == "wirefeed-overview"


def test_dashboard_queries_are_valid_promql(tmp_path: Path) -> None:
    """Every panel query parses: promtool checks them as recording rules (variables filled in)."""
    lines = ["groups:", "  - name: dashboard", "    rules:"]
    for number, expr in enumerate(dashboard_exprs()):
        concrete = expr.replace("$__rate_interval", "1m").replace("$instance", ".*")
        lines += [f"      - record: dashboard:query{number}", f"        expr: {json.dumps(concrete)}"]
    rules = tmp_path / "dashboard_rules.yml"
    rules.write_text("\n".join(lines) + "\n")
    done = promtool("check", "rules", str(rules))
    assert done.returncode == 0, done.stdout + done.stderr


def test_grafana_provisioning() -> None:
    datasources = load_yaml(GRAFANA_DIR / "provisioning" / "datasources" / "prometheus.yml")
    (source,) = datasources["datasources"]
    assert source["type"] == "prometheus"
    assert source["url"] == "http://prometheus:9090"
    providers = load_yaml(GRAFANA_DIR / "provisioning" / "dashboards" / "wirefeed.yml")
    (provider,) = providers["providers"]
    assert provider["type"] == "file"
    assert provider["options"]["path"] == "/etc/grafana/dashboards"


def test_docker_compose() -> None:
    compose = load_yaml(REPO / "docker-compose.yml")
    services = compose["services"]
    assert set(services) >= {"kafka", "worker", "prometheus", "grafana"}
    kafka_version = re.search(
        r"<kafka.version>([^<]+)</kafka.version>", (REPO / "deploy/kafka/pom.xml").read_text()
    )
    assert kafka_version is not None
    assert services["kafka"]["image"] == f"apache/kafka:{kafka_version.group(1)}"
    worker = services["worker"]
    assert worker["build"]["dockerfile"] == "deploy/worker/Dockerfile"
    assert worker["environment"]["WIREFEED_BROKER"] == "kafka://kafka:9092"
    assert worker["environment"]["WIREFEED_WEB_HOST"] == "0.0.0.0"
    for service in services.values():
        for volume in service.get("volumes", ()):
            source = volume.split(":", 1)[0]
            if source.startswith("./"):
                assert (REPO / source).exists(), volume
    config = next(a for a in services["prometheus"]["command"] if a.startswith("--config.file="))
    assert (PROMETHEUS_DIR / Path(config.split("=", 1)[1]).name).is_file()
    dockerfile = (REPO / "deploy" / "worker" / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim$", dockerfile, re.MULTILINE)
    assert 'CMD ["wirefeed", "worker"]' in dockerfile
