"""The small contract every format parser fulfils, and helpers they share.

A parser is a stateless object with a ``name``, a cheap ``sniff`` over the first bytes and a
``parse`` that returns the items in the message (usually one; a NewsML-G2 newsMessage or an AP
feed envelope can hold several). Parsers raise only ``RejectedInput`` subclasses; anything else
escaping a parser is a bug that the core turns into ``internal_error``.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Protocol

from pydantic import ValidationError

from schemas.item import ParsedItem
from streams.errors import InvalidItem


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


def build_item(**fields: object) -> ParsedItem:
    """Construct a ParsedItem, turning a validation failure into a typed rejection."""
    try:
        return ParsedItem.model_validate(fields)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InvalidItem(f"{where}: {first['msg']}") from exc


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
