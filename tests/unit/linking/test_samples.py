"""dpa's real digitalwires items and dpa's own NewsML-G2 rendition of each land in one story."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from streams.core import Origin
from streams.enrich import Enricher
from streams.formats.registry import default_parsers
from streams.pipeline import Pipeline
from tests.conftest import shared_dir


def test_digitalwires_and_g2_renditions_share_a_story() -> None:
    samples = shared_dir("samples")
    pairs = [
        (p, samples / "newsml-g2" / f"dpa-{p.stem}.xml")
        for p in sorted((samples / "digitalwires").glob("*.json"))
    ]
    assert pairs
    pipeline = Pipeline(default_parsers(), Enricher().enrich)
    t0 = datetime(2025, 3, 10, tzinfo=UTC)
    stories: dict[str, set[str]] = {}
    for number, (json_path, xml_path) in enumerate(pairs):
        for offset, path in enumerate((json_path, xml_path)):
            outcome = pipeline.process(
                path.read_bytes(), Origin(received_at=t0 + timedelta(minutes=2 * number + offset))
            )
            assert outcome.rejection is None, f"{path.name}: {outcome.rejection}"
            stories.setdefault(json_path.stem, set()).update(
                pipeline.linker.resolve(s) or s for s in outcome.story_ids
            )
    for name, ids in stories.items():
        assert len(ids) == 1, f"{name}: split over {ids}"
    assert len({next(iter(ids)) for ids in stories.values()}) == len(pairs), "different items merged"
