"""Every event item validates strictly against the official IPTC ninjs schemas (2.1, and 3.1 by
setting), with formats (uri, date-time) checked: for the bundled feed, every golden fixture of
every format and every real sample in ../shared/samples."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from streams.core import Origin
from streams.enrich import Enricher
from streams.formats.registry import default_parsers
from streams.ninjs import NinjsVersion
from streams.pipeline import Pipeline
from tests.conftest import FEED, REPO, SHARED

STANDARDS = SHARED / "standards" / "ninjs"
FIXTURES = REPO / "tests" / "fixtures" / "formats"
ENRICHER = Enricher()


def validator(version: NinjsVersion) -> jsonschema.protocols.Validator:
    path = STANDARDS / f"ninjs-schema_{version}.json"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    schema = json.loads(path.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def items_of(paths: list[Path], version: NinjsVersion) -> list[dict[str, Any]]:
    pipeline = Pipeline(default_parsers(), ENRICHER.enrich, ninjs_version=version)
    items = []
    for path in paths:
        outcome = pipeline.process(path.read_bytes(), Origin(received_at=datetime(2025, 3, 10, tzinfo=UTC)))
        assert outcome.rejection is None, f"{path}: {outcome.rejection}"
        items.extend(e.item for e in outcome.events)
    return items


def fixture_inputs() -> list[Path]:
    return sorted(p for p in FIXTURES.glob("*/*") if p.is_file() and not p.name.endswith(".expected.json"))


def sample_inputs() -> list[Path]:
    samples = SHARED / "samples"
    if not samples.is_dir():
        pytest.skip(f"{samples} is absent")
    return sorted(
        p for d in ("digitalwires", "newsml-g2", "ninjs") for p in (samples / d).glob("*") if p.is_file()
    )


@pytest.mark.parametrize("version", ["2.1", "3.1"])
@pytest.mark.parametrize("source", ["feed", "fixtures", "samples"])
def test_items_validate_strictly(version: NinjsVersion, source: str) -> None:
    check = validator(version)
    paths = {"feed": lambda: sorted(FEED.iterdir()), "fixtures": fixture_inputs, "samples": sample_inputs}[
        source
    ]()
    items = items_of(paths, version)
    assert items
    for item in items:
        errors = sorted(check.iter_errors(item), key=str)
        assert not errors, f"{item['uri']}: {errors[0].message} at {list(errors[0].absolute_path)}"


def test_the_31_item_uses_camel_case() -> None:
    [item] = items_of([FEED / "01-putin-pjoengjang.txt"], "3.1")[:1]
    assert "pubStatus" in item and "pubstatus" not in item
    assert all("contentType" in h for h in item["headlines"])


def test_machine_subjects_say_who_made_them() -> None:
    [item] = items_of([FEED / "04-putin-pjoengjang-update.txt"], "2.1")
    machine = [s for s in item["subjects"] if s.get("creator") == "machine:wirefeed"]
    assert machine and all(isinstance(s["confidence"], int) and 0 <= s["confidence"] <= 100 for s in machine)
    assert any(s["uri"] == "medtop:11000000" for s in machine)
