"""Building wire items for linking tests without the enrichment stage."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from schemas.enrichment import Enrichment
from schemas.item import ParsedItem
from schemas.wire import WireItem
from streams.core import Origin, ingest
from streams.formats.registry import default_parsers

T0 = datetime(2024, 6, 19, 6, 0, tzinfo=UTC)
PARSERS = default_parsers()


def german(item: ParsedItem) -> Enrichment:
    return Enrichment(language=item.language or "de", language_source="detected")


def wire(raw: bytes, minutes: int = 0, offset: int | None = None) -> WireItem:
    origin = Origin(
        received_at=T0 + timedelta(minutes=minutes),
        topic="wire.raw" if offset is not None else None,
        partition=0 if offset is not None else None,
        offset=offset,
    )
    [item] = ingest(raw, origin, PARSERS, german)
    return item
