"""The small contract every format parser fulfils, and the helpers all of them share.

A parser is a stateless object with a ``name``, a cheap ``sniff`` over the first bytes and a
``parse`` that returns the items in the message (usually one; a NewsML-G2 newsMessage or an AP
feed envelope can hold several). Parsers raise only ``RejectedInput`` subclasses; anything else
escaping a parser is a bug that the core turns into ``internal_error``. What every format needs
alike (ids, item construction, timestamps, pubstatus, urgency) lives here so that a field means
the same whichever format it came in.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Protocol

from pydantic import ValidationError

from schemas.item import ParsedItem, PubStatus, UpdateType
from streams.errors import InvalidItem, RejectedInput
from streams.formats.charset import clean, strip_controls
from streams.formats.markers import Markers


class Parser(Protocol):
    name: str

    def sniff(self, raw: bytes) -> bool:
        """Cheap look at the first bytes: could this be my format?"""
        ...

    def parse(self, raw: bytes) -> list[ParsedItem]:
        """Every item in the message, or a ``RejectedInput``."""
        ...


def derived_id(fmt: str, *parts: str | None) -> str:
    """A deterministic item id for formats that send none: same input, same id, never random."""
    digest = hashlib.sha1("\x1f".join(p or "" for p in parts).encode("utf-8")).hexdigest()[:24]
    return f"urn:wirefeed:{fmt}:{digest}"


def content_hash(headline: str, paragraphs: Iterable[str]) -> str:
    """The text of an item as one of the ``derived_id`` parts: a changed text is another item."""
    return hashlib.sha1("\n".join([headline, *paragraphs]).encode("utf-8")).hexdigest()


# Text fields every parser's output is cleaned in, whatever the format delivered: one place, so
# no format can let a control character or a run of whitespace through.
_ONE_LINE = ("headline", "kicker", "slugline", "byline", "update_note", "genre")


def build_item(**fields: object) -> ParsedItem:
    """Construct a ParsedItem with clean text fields, turning a validation failure into a typed
    rejection."""
    for key in _ONE_LINE:
        value = fields.get(key)
        if isinstance(value, str):
            fields[key] = clean(value) or ("" if key == "headline" else None)
    ednote = fields.get("ednote")
    if isinstance(ednote, str):
        fields["ednote"] = strip_controls(ednote).strip() or None
    paragraphs = fields.get("paragraphs")
    if isinstance(paragraphs, (list, tuple)):
        fields["paragraphs"] = tuple(
            p for p in (clean(x) if isinstance(x, str) else x for x in paragraphs) if p
        )
    try:
        return ParsedItem.model_validate(fields)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InvalidItem(f"{where}: {first['msg']}") from exc


@contextmanager
def entry_rejections(where: str) -> Iterator[None]:
    """Name the entry of a multi-item message in its rejection (``entries[2]: ...``).

    One message, one verdict: a bad entry sends the whole page to the dead-letter topic, and the
    message says which entry it was. The error type and stage stay those of the entry's rejection.
    """
    try:
        yield
    except RejectedInput as exc:
        raise type(exc)(f"{where}: {exc.message}", stage=exc.stage) from exc


def parse_iso(value: object) -> datetime | None:
    """ISO 8601 timestamps as agencies write them; None for anything unreadable."""
    if not isinstance(value, str) or not value:
        return None
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def valid_urgency(value: int | None) -> int | None:
    """An IPTC urgency (1 most urgent, 9 least), or None: a bad urgency must not cost the item."""
    return value if value is not None and 1 <= value <= 9 else None


_PUBSTATUS: dict[str, PubStatus] = {"usable": "usable", "withheld": "withheld", "canceled": "canceled"}


def pubstatus_of(value: str | None) -> tuple[PubStatus, str | None]:
    """(pubstatus, the raw value if it is none of the IPTC three) from ``usable``, ``stat:canceled``...

    Every format spells it its own way: G2 ``stat:canceled``, NewsML 1.2 ``Canceled``, AP
    ``Cancelled``. Other values (AP ``Embargoed``, TT ``replaced``) describe a usable item; the
    parser decides whether to keep them as a signal.
    """
    if not value:
        return "usable", None
    key = value.rsplit(":", 1)[-1].strip().lower().replace("cancelled", "canceled")
    if key in _PUBSTATUS:
        return _PUBSTATUS[key], None
    return "usable", value


def take_pubstatus(value: str | None, markers: Markers) -> PubStatus:
    """A JSON format's pubstatus: canceled is a withdrawal, an unknown value a ``pubstatus:`` signal."""
    pubstatus, odd = pubstatus_of(value)
    if odd:
        markers.signals.append(f"pubstatus:{odd}")
    if pubstatus == "canceled":
        markers.raise_to(UpdateType.WITHDRAWAL, "pubstatus:canceled")
    return pubstatus
