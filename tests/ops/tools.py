"""Helpers for the operations checks: the Prometheus binaries and a YAML loader.

``promtool``/``prometheus`` come from the Debian package ``prometheus`` (scripts/setup.sh). When
one is missing the test fails under CI (``CI=true``) and is skipped elsewhere.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO

PROMETHEUS_DIR = REPO / "deploy" / "prometheus"
GRAFANA_DIR = REPO / "deploy" / "grafana"
OPS_TESTS = REPO / "tests" / "ops"


def on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def require(binary: str) -> str:
    """The path of a binary of the Debian package ``prometheus``; fail on CI, skip elsewhere."""
    path = shutil.which(binary)
    if path:
        return path
    message = f"{binary} not found: install the Debian package prometheus (bash scripts/setup.sh)"
    if on_ci():
        pytest.fail(message)
    pytest.skip(message)


def promtool(*args: str, stdin: bytes | None = None, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [require("promtool"), *args],
        input=stdin.decode() if stdin is not None else None,
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        check=False,
    )


def check_metrics(exposition: bytes) -> str:
    """``promtool check metrics`` on a text exposition: its complaints, empty when clean."""
    done = promtool("check", "metrics", stdin=exposition)
    problems = (done.stdout + done.stderr).strip()
    if done.returncode != 0 and not problems:
        problems = f"promtool check metrics exited with {done.returncode}"
    return problems


def load_yaml(path: Path) -> Any:
    """Parse YAML with PyYAML if the venv has it, else with the system python3's (python3-yaml)."""
    try:
        import yaml
    except ImportError:
        pass
    else:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    system = shutil.which("python3", path="/usr/bin:/bin")
    if system:
        code = (
            "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1], encoding='utf-8'))))"
        )
        done = subprocess.run([system, "-c", code, str(path)], capture_output=True, text=True, check=False)
        if done.returncode == 0:
            return json.loads(done.stdout)
        if "No module named 'yaml'" not in done.stderr:
            raise AssertionError(f"{path} is not valid YAML:\n{done.stderr}")
    pytest.skip("no YAML parser: pip install pyyaml, or apt-get install python3-yaml")
