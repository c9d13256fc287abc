"""The one typed model every format parser produces.

A ``ParsedItem`` is what an agency said, normalised: identity (item id and version), update
signals mapped onto one ``UpdateType``, text (headline, paragraphs) and the agency's own metadata.
It holds nothing inferred by wirefeed itself: enrichment and story linking add their results
elsewhere, so agency metadata and machine metadata never mix.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class UpdateType(StrEnum):
    """How a version relates to the one before it (normalised across agencies)."""

    NEW = "new"
    DEVELOPMENT = "development"
    MINOR = "minor"
    CORRECTION = "correction"
    RESEND = "resend"
    WITHDRAWAL = "withdrawal"


PubStatus = Literal["usable", "withheld", "canceled"]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Dateline(Frozen):
    """``PJÖNGJANG (dpa-AFX) - `` → place ``PJÖNGJANG``, agency ``dpa-AFX``."""

    place: str
    agency: str | None = None
    raw: str | None = None


class Entity(Frozen):
    """A person, place, organisation or subject as the agency tagged it."""

    name: str | None = None
    uri: str | None = None
    literal: str | None = None
    rel: str | None = None
    scheme: str | None = None


class ParsedItem(Frozen):
    """One wire item as an agency sent it, whatever the format."""

    format: str = Field(description="Name of the parser that produced this item.")
    agency: str | None = Field(default=None, description="Sending agency as written (dpa, dpa-AFX, AP, ...).")
    agency_family: str = Field(description="Agency family used to scope linking (dpa for dpa and dpa-AFX).")
    service: str | None = None
    item_id: str = Field(description="Agency id stable across versions, or a deterministic one.")
    item_id_explicit: bool = Field(description="True when the agency sent the id; False when derived.")
    version: int | None = Field(default=None, description="Agency version number, when it sends one.")
    first_created: datetime | None = None
    version_created: datetime | None = None
    embargoed: datetime | None = None
    pubstatus: PubStatus = "usable"
    urgency: int | None = Field(default=None, ge=1, le=9)
    update_type: UpdateType = Field(
        default=UpdateType.NEW, description="The agency's update signal mapped onto one type; NEW when none."
    )
    update_note: str | None = Field(default=None, description="The agency's note on what changed.")
    signals: tuple[str, ...] = Field(default=(), description="Raw update signals and markers as sent.")
    update_seq: int | None = Field(default=None, description="ROUNDUP n, UPDATE n, n-th Ld-Writethru.")
    previous_ids: tuple[str, ...] = Field(default=(), description="Item ids this item explicitly updates.")
    instance_of: str | None = Field(default=None, description="Running-story code (Reuters instanceOf).")
    headline: str
    kicker: str | None = None
    slugline: str | None = None
    byline: str | None = None
    dateline: Dateline | None = None
    paragraphs: tuple[str, ...] = ()
    ednote: str | None = None
    closing: str | None = Field(default=None, description="Closing codes (/mau/DP/mis, dpa kpe yyhe z2 lhb).")
    genre: str | None = None
    language: str | None = Field(default=None, description="Language the agency declared (BCP 47).")
    keywords: tuple[str, ...] = ()
    subjects: tuple[Entity, ...] = ()
    people: tuple[Entity, ...] = ()
    places: tuple[Entity, ...] = ()
    organisations: tuple[Entity, ...] = ()
    header: dict[str, str] = Field(default_factory=dict, description="Format header fields as sent.")
    charset: str = Field(default="utf-8", description="Character set the bytes were decoded with.")
