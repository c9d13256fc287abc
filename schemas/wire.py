"""Payloads of the input side: raw-message headers, dead letters and parsed items in flight.

``wire.raw`` carries the agency's bytes untouched; what a producer may add travels in Kafka
headers (``RawHeaders``). ``wire.dlq`` carries the same bytes back with ``DeadLetterHeaders``.
``wire.items`` carries a ``WireItem``: one parsed and enriched item on its way to linking.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from schemas.enrichment import Enrichment
from schemas.item import ParsedItem


class SourceInfo(BaseModel):
    """Where an item came from: enough to trace any event back to the exact input bytes."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    agency: str | None = None
    format: str
    feed: str | None = Field(default=None, description="The producer's wire-feed header.")
    raw_sha256: str
    received_at: datetime
    topic: str | None = None
    partition: int | None = None
    offset: int | None = None
    index_in_message: int = Field(default=0, description="Position of the item in a multi-item message.")


class RawHeaders(BaseModel):
    """Optional Kafka headers on ``wire.raw``."""

    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)

    wire_format: str | None = Field(default=None, alias="wire-format")
    wire_feed: str | None = Field(default=None, alias="wire-feed")
    received_at: datetime | None = Field(default=None, alias="received-at")


class DeadLetterHeaders(BaseModel):
    """Kafka headers on ``wire.dlq``; the message value is the raw input, byte for byte."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    reason: str = Field(alias="wirefeed-reason", description="Stable reason code (streams.errors).")
    error: str = Field(alias="wirefeed-error", description="Human-readable error message.")
    stage: str = Field(alias="wirefeed-stage", description="parse, enrich, link or publish.")
    source_topic: str = Field(alias="wirefeed-source-topic")
    source_partition: int = Field(alias="wirefeed-source-partition")
    source_offset: int = Field(alias="wirefeed-source-offset")
    raw_sha256: str = Field(alias="wirefeed-raw-sha256")


class WireItem(BaseModel):
    """One parsed, enriched item on ``wire.items``, keyed by its linking shard."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    shard: str = Field(description="Linking shard: agency family and language.")
    item: ParsedItem
    enrichment: Enrichment
    source: SourceInfo
