"""The ``wirefeed`` command line without Kafka: process, parse, exit codes, JSONL input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import FEED, REPO


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "streams.cli", *args],
        check=False,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_process_prints_one_event_per_line_in_input_order(tmp_path: Path) -> None:
    bad = tmp_path / "00-empty.txt"
    bad.write_bytes(b"")
    done = run("process", str(bad), str(FEED))
    assert done.returncode == 0, done.stderr
    events = [json.loads(line) for line in done.stdout.splitlines()]
    assert [e["story_version"] for e in events] == [1, 1, 1, 2, 1]
    assert events[3]["update_type"] == "development"
    assert events[3]["story_id"] == events[0]["story_id"]
    [error] = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    assert error == {
        "input": str(bad),
        "code": "empty_message",
        "message": "message is empty or blank",
        "stage": "parse",
    }


def test_process_reads_jsonl_with_received_at_and_reports_bad_lines(tmp_path: Path) -> None:
    first = (FEED / "01-putin-pjoengjang.txt").read_text(encoding="utf-8")
    update = (FEED / "04-putin-pjoengjang-update.txt").read_text(encoding="utf-8")
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        json.dumps({"payload": first, "received_at": "2024-06-19T01:00:00Z"})
        + "\n"
        + "not json\n"
        + json.dumps({"payload": update, "received_at": "2024-06-19T08:00:00+00:00"})
        + "\n",
        encoding="utf-8",
    )
    done = run("process", str(feed))
    assert done.returncode == 0
    events = [json.loads(line) for line in done.stdout.splitlines()]
    assert [e["source"]["received_at"] for e in events] == ["2024-06-19T01:00:00Z", "2024-06-19T08:00:00Z"]
    assert events[1]["story_version"] == 2
    errors = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    assert [(e["input"], e["code"]) for e in errors] == [(f"{feed}:2", "bad_input_line")]


def test_process_ninjs_31_by_flag() -> None:
    done = run("process", "--ninjs-version", "3.1", str(FEED / "03-oelpreise.txt"))
    [event] = [json.loads(line) for line in done.stdout.splitlines()]
    assert event["ninjs_version"] == "3.1" and "pubStatus" in event["item"]


def test_usage_errors_exit_2() -> None:
    assert run("process", "/no/such/path").returncode == 2
    assert run("process").returncode == 2
    assert run("parse", "--format", "nosuchformat", str(FEED)).returncode == 2


def test_parse_prints_items_and_fails_on_a_rejection(tmp_path: Path) -> None:
    done = run("parse", str(FEED / "04-putin-pjoengjang-update.txt"))
    assert done.returncode == 0
    [item] = [json.loads(line) for line in done.stdout.splitlines()]
    assert item["update_note"] == "Vertrag über strategische Partnerschaft unterzeichnet"
    garbage = tmp_path / "garbage.bin"
    garbage.write_bytes(bytes(range(256)) * 4)
    done = run("parse", str(garbage))
    assert done.returncode == 1
    assert json.loads(done.stderr.splitlines()[-1])["code"] == "bad_encoding"


def test_format_flag_overrides_detection() -> None:
    done = run("parse", "--format", "ninjs", str(FEED / "03-oelpreise.txt"))
    assert done.returncode == 1
    assert json.loads(done.stderr.splitlines()[-1])["code"] == "malformed_json"
