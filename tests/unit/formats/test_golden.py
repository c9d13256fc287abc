"""Golden tests: every fixture under tests/fixtures/formats/<parser>/ parses to its expected JSON.

Each input ``<case>.<ext>`` sits next to ``<case>.expected.json`` (the list of parsed items,
compared whole). The folder name is the parser that must detect the input. To regenerate after a
deliberate change: ``WIREFEED_REGEN_GOLDEN=1 pytest tests/unit/formats/test_golden.py`` and
review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from streams.formats.registry import default_parsers, detect, parse_message

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "formats"
CASES = sorted(p for p in FIXTURES.glob("*/*") if p.is_file() and not p.name.endswith(".expected.json"))


@pytest.mark.parametrize("path", CASES, ids=[f"{p.parent.name}/{p.name}" for p in CASES])
def test_golden(path: Path) -> None:
    parsers = default_parsers()
    raw = path.read_bytes()
    assert detect(raw, parsers).name == path.parent.name
    got = [item.model_dump(mode="json") for item in parse_message(raw, parsers)]
    expected_path = path.with_name(path.name.rsplit(".", 1)[0] + ".expected.json")
    if os.environ.get("WIREFEED_REGEN_GOLDEN"):
        expected_path.write_text(json.dumps(got, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert got == json.loads(expected_path.read_text(encoding="utf-8"))


def test_every_parser_has_golden_fixtures() -> None:
    covered = {p.parent.name for p in CASES}
    assert set(default_parsers()) <= covered
