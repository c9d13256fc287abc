"""What wirefeed infers about an item, kept apart from what the agency sent.

Every tag carries its provenance (``creator``: ``agency`` or ``machine``), a confidence and the
method that found it, so consumers can tell agency metadata from inferred metadata. The ninjs
item carries the tags as plain people/places/organisations/subjects; this block travels in the
event envelope beside it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

TagKind = Literal["person", "place", "organisation", "subject"]


class Tag(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: TagKind
    name: str
    rel: str | None = Field(default=None, description="mentioned, located (dateline place), about, ...")
    uri: str | None = Field(
        default=None, description="Stable identifier (medtop:..., iso3166-1a2:KP, isin:...)."
    )
    literal: str | None = None
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)
    relevance: float | None = Field(default=None, ge=0.0, le=100.0)
    creator: Literal["agency", "machine"] = "machine"
    method: str = Field(default="", description="How it was found: gazetteer, title-rule, isin-checksum, ...")
    evidence: str | None = Field(default=None, description="The text that was matched.")
    identifiers: dict[str, str] = Field(default_factory=dict, description="country, isin, wkn, ticker, ...")


class Enrichment(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    language: str | None = None
    language_source: Literal["agency", "detected", "unknown"] = "unknown"
    language_confidence: float | None = Field(default=None, ge=0.0, le=1.0)
    people: tuple[Tag, ...] = ()
    places: tuple[Tag, ...] = ()
    organisations: tuple[Tag, ...] = ()
    subjects: tuple[Tag, ...] = ()
