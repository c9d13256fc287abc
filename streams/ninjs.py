"""Render a parsed, enriched item as an IPTC ninjs object (2.1, or 3.1 by setting).

The item holds only what ninjs has fields for; everything else (story identity, update type,
linking evidence, enrichment provenance) travels in the event envelope. Agency metadata and
machine-added tags both land in people/places/organisations/subjects; subjects say who made
them through ``creator``, the others through the envelope's ``enrichment`` block.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any, Literal
from urllib.parse import quote

from schemas.enrichment import Enrichment, Tag
from schemas.item import Entity, ParsedItem

NinjsVersion = Literal["2.1", "3.1"]
MACHINE_CREATOR = "machine:wirefeed"
AGENCY_CREATOR = "agency"
ISIN_SYMBOL_TYPE = "http://cv.iptc.org/newscodes/financialinstrumentsymboltype/isin"
TICKER_SYMBOL_TYPE = "http://cv.iptc.org/newscodes/financialinstrumentsymboltype/ticker"

_V31_KEYS = {
    "firstcreated": "firstCreated",
    "versioncreated": "versionCreated",
    "embargoed": "embargoedUntil",
    "pubstatus": "pubStatus",
    "ednote": "edNote",
    "contenttype": "contentType",
    "charcount": "charCount",
    "wordcount": "wordCount",
    "symboltype": "symbolType",
    "altids": "altIds",
}


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")


def item_uri(item: ParsedItem) -> str:
    """ninjs wants a URI: an agency id without a scheme (AP's bare itemid) becomes a URN."""
    if _SCHEME.match(item.item_id):
        return item.item_id
    return f"urn:{quote(item.agency_family, safe='')}:item:{quote(item.item_id, safe='')}"


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _entity(entity: Entity, rel: str | None = None) -> dict[str, Any]:
    uri, literal = entity.uri, entity.literal
    if uri is not None and not _SCHEME.match(uri):
        # An agency code that is no URI (AP's bare subject ids) is kept as the literal.
        uri, literal = None, literal or uri
    out: dict[str, Any] = {
        "name": entity.name,
        "rel": entity.rel or rel,
        "uri": uri,
        "literal": literal,
    }
    return {k: v for k, v in out.items() if v is not None}


def _tag(tag: Tag) -> dict[str, Any]:
    # Keys in ninjs order, only those with a value (name is always one): no None to filter out.
    out: dict[str, Any] = {"name": tag.name}
    if tag.rel is not None:
        out["rel"] = tag.rel
    if tag.uri is not None:
        out["uri"] = tag.uri
    else:
        out["literal"] = tag.literal or tag.name
    if tag.kind == "subject":
        out["creator"] = MACHINE_CREATOR if tag.creator == "machine" else AGENCY_CREATOR
        # ninjs scores are integers from 0 to 100; the envelope keeps the exact values.
        out["confidence"] = round(tag.confidence * 100)
        if tag.relevance is not None:
            out["relevance"] = round(tag.relevance)
    if tag.kind == "organisation":
        symbols = []
        if "isin" in tag.identifiers:
            symbols.append({"symboltype": ISIN_SYMBOL_TYPE, "symbol": tag.identifiers["isin"]})
        if "ticker" in tag.identifiers:
            ticker = {
                "ticker": tag.identifiers["ticker"],
                "symboltype": TICKER_SYMBOL_TYPE,
                "symbol": tag.identifiers["ticker"],
            }
            if "exchange" in tag.identifiers:
                ticker["exchange"] = tag.identifiers["exchange"]
            symbols.append(ticker)
        if symbols:
            out["symbols"] = symbols
    return out


def _merged(agency: Iterable[dict[str, Any]], machine: Iterable[Tag]) -> list[dict[str, Any]]:
    """Agency entries first; a machine tag naming the same thing (uri or name) is not repeated."""
    out = list(agency)
    seen = {(e.get("uri") or "").lower() for e in out} | {(e.get("name") or "").lower() for e in out}
    seen.discard("")
    for tag in machine:
        if tag.creator == "agency":
            continue
        keys = {(tag.uri or "").lower(), tag.name.lower()} - {""}
        if keys & seen:
            continue
        seen |= keys
        out.append(_tag(tag))
    return out


def render(item: ParsedItem, enrichment: Enrichment, version: NinjsVersion = "2.1") -> dict[str, Any]:
    subjects = [{**_entity(s), "creator": AGENCY_CREATOR} for s in item.subjects]
    subjects += [
        {"name": k, "rel": "keyword", "literal": k, "creator": AGENCY_CREATOR} for k in item.keywords
    ]
    body = "\n\n".join(item.paragraphs)
    headlines = [{"role": "main", "contenttype": "text/plain", "value": item.headline}]
    if item.kicker:
        headlines.append({"role": "kicker", "contenttype": "text/plain", "value": item.kicker})
    out: dict[str, Any] = {
        "uri": item_uri(item),
        "type": "text",
        "version": str(item.version) if item.version is not None else None,
        "firstcreated": _iso(item.first_created),
        "versioncreated": _iso(item.version_created),
        "embargoed": _iso(item.embargoed),
        "pubstatus": item.pubstatus,
        "urgency": item.urgency,
        "language": enrichment.language or item.language,
        "headlines": headlines,
        "bodies": (
            [
                {
                    "role": "main",
                    "contenttype": "text/plain",
                    "charcount": len(body),
                    "wordcount": len(body.split()),
                    "value": body,
                }
            ]
            if body
            else None
        ),
        "by": item.byline,
        "slugline": item.slugline,
        "located": item.dateline.place if item.dateline else None,
        "ednote": item.ednote,
        "genres": [{"name": item.genre}] if item.genre else None,
        "subjects": _merged(subjects, enrichment.subjects) or None,
        "people": _merged((_entity(p) for p in item.people), enrichment.people) or None,
        "places": _merged((_entity(p) for p in item.places), enrichment.places) or None,
        "organisations": _merged((_entity(o) for o in item.organisations), enrichment.organisations) or None,
    }
    out = {k: v for k, v in out.items() if v is not None}
    return _to_v31(out) if version == "3.1" else out


def _to_v31(value: Any) -> Any:
    if isinstance(value, dict):
        converted = {_V31_KEYS.get(k, k): _to_v31(v) for k, v in value.items()}
        # 3.1 symbols have no ticker field: the ticker is the symbol, typed by symbolType.
        converted.pop("ticker", None)
        return converted
    if isinstance(value, list):
        return [_to_v31(v) for v in value]
    return value
