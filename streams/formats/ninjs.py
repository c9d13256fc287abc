"""IPTC ninjs (News in JSON) 1.x, 2.x and 3.x, with the vendor extensions that carry updates.

The three branches differ in spelling, not in meaning: 1.x has ``headline``/``body_html``, 2.x
``headlines[]``/``bodies[]``, 3.x renames everything to camelCase (``versionCreated``, ``edNote``).
Each field is read under both spellings, so a producer mixing them is still understood.

ninjs itself has no update signal beyond ``pubstatus`` and ``ednote``; the signals wirefeed
needs come from vendor extensions: Superdesk's ``evolvedfrom`` and ``signal``, TT's ``replacing``
and ``signals`` (``updatetype`` UV/KORR/RÄ/AVPUB, ``retransmission``). The mapping onto
``UpdateType`` is the table in docs/formats.md.
"""

from __future__ import annotations

import re
import unicodedata

from schemas.item import Dateline, ParsedItem, UpdateType
from streams.errors import InvalidItem, MissingContent
from streams.formats.base import build_item, parse_iso, take_pubstatus
from streams.formats.htmltext import html_blocks, text_blocks
from streams.formats.jsonsafe import (
    JsonObject,
    dicts,
    entities,
    first_str,
    get_dict,
    get_int,
    get_list,
    get_str,
    get_urgency,
    load_object,
    sniff_kind,
    strings,
)
from streams.formats.markers import Markers, strip_prefixes, take_ednote, take_notes, take_signal
from streams.formats.textbody import (
    agency_family,
    byline_of,
    dateline_from_field,
    lead_headline,
    take_dateline,
)

# TT's signals.updatetype (ttninjs): story developed, spelling fixed, fact corrected, unpublished.
_TT_UPDATETYPE: dict[str, UpdateType] = {
    "UV": UpdateType.DEVELOPMENT,
    "KORR": UpdateType.MINOR,
    "RÄ": UpdateType.CORRECTION,
    "RA": UpdateType.CORRECTION,  # RÄ as ASCII-only producers write it
    "AVPUB": UpdateType.WITHDRAWAL,
}
_CAMEL_KEYS = ("versionCreated", "firstCreated", "pubStatus", "edNote", "altIds", "copyrightHolder")
_URI_HOST = re.compile(
    r"^(?:[a-z][a-z0-9+.-]*://(?P<web>[^/:?#@]+)|urn:newsml:(?P<urn>[^:]+)|tag:(?P<tag>[^,:]+))"
)
_MARKUP_EXCLUDED = ("xml",)  # TT's ttnitf body is a private XML dialect, not HTML


class NinjsParser:
    """ninjs objects of any branch; one object is one item."""

    name = "ninjs"

    def sniff(self, raw: bytes) -> bool:
        return sniff_kind(raw) == "ninjs"

    def parse(self, raw: bytes) -> list[ParsedItem]:
        doc, charset = load_object(raw)
        return [parse_ninjs(doc, charset, self.name)]


def parse_ninjs(doc: JsonObject, charset: str, fmt: str = "ninjs") -> ParsedItem:
    """One ninjs object to an item; also used for ninjs embedded in other envelopes."""
    uri = get_str(doc, "uri")
    if uri is None:
        raise InvalidItem("ninjs object has no uri")
    markers = Markers()
    pubstatus = take_pubstatus(get_str(doc, "pubstatus", "pubStatus"), markers)
    _take_extensions(doc, markers)

    named_agency = _named_agency(doc)
    paragraphs, dateline = _body(doc, named_agency)
    headline = get_str(doc, "headline") or _main_headline(doc) or get_str(doc, "title")
    header: dict[str, str] = {"ninjs": _branch(doc)}
    if headline:
        headline = strip_prefixes(take_notes(headline, markers), markers)
        if paragraphs and paragraphs[0] == headline:
            paragraphs = paragraphs[1:]  # TT's HTML body repeats the headline as <h1>
    if not headline:
        headline = lead_headline(paragraphs, header)
    if not headline and pubstatus != "canceled":
        raise MissingContent("ninjs object has neither headline nor body text")
    if dateline is None:
        dateline = dateline_from_field(get_str(doc, "located"))

    ednote = get_str(doc, "ednote", "edNote")
    if ednote:
        take_ednote(ednote, markers)
    previous = _previous_ids(doc)
    if previous and markers.update_type is UpdateType.NEW:
        # A link to an earlier item without an explicit signal: Superdesk's "update" action.
        markers.raise_to(UpdateType.DEVELOPMENT, "evolvedfrom" if "evolvedfrom" in doc else "replacing")
    for key in ("type", "profile"):
        value = get_str(doc, key)
        if value:
            header[key] = value

    agency = named_agency or (dateline.agency if dateline else None) or _uri_agency(uri)
    return build_item(
        format=fmt,
        agency=agency,
        agency_family=agency_family(agency, "unknown"),
        item_id=uri,
        item_id_explicit=True,
        version=get_int(doc, "version"),
        first_created=parse_iso(get_str(doc, "firstcreated", "firstCreated")),
        version_created=parse_iso(get_str(doc, "versioncreated", "versionCreated")),
        embargoed=parse_iso(get_str(doc, "embargoed", "embargoedUntil", "embargoeduntil")),
        pubstatus=pubstatus,
        urgency=get_urgency(doc),
        update_type=markers.update_type,
        # A kill's note is the withdrawal notice itself.
        update_note=markers.note or (ednote if pubstatus == "canceled" else None),
        signals=tuple(markers.signals),
        update_seq=markers.seq,
        previous_ids=previous,
        headline=headline or "",
        slugline=get_str(doc, "slugline"),
        byline=byline_of(get_str(doc, "by")),
        dateline=dateline,
        paragraphs=tuple(paragraphs),
        ednote=ednote,
        genre=markers.genre or first_str(get_list(doc, "genres", "genre"), "name", "literal"),
        language=get_str(doc, "language"),
        keywords=tuple(strings(get_list(doc, "keywords"))),
        subjects=entities(get_list(doc, "subjects", "subject")),
        people=entities(get_list(doc, "people", "person")),
        places=entities(get_list(doc, "places", "place")),
        organisations=entities(get_list(doc, "organisations", "organisation", "organizations")),
        header=header,
        charset=charset,
    )


def _branch(doc: JsonObject) -> str:
    """Which ninjs branch the object is written in: "3" (camelCase), "2" (arrays) or "1"."""
    if any(key in doc for key in _CAMEL_KEYS):
        return "3"
    if "headlines" in doc or "bodies" in doc:
        return "2"
    return "1"


def _take_extensions(doc: JsonObject, markers: Markers) -> None:
    """Superdesk ``signal`` and TT/AP ``signals``: explicit update signals, strongest wins."""
    for value in get_list(doc, "signal"):
        code = value if isinstance(value, str) else get_str(value, "qcode", "code", "uri", "name")
        if code:
            take_signal(code.strip(), markers)
    signals = doc.get("signals")
    if isinstance(signals, dict):
        kind = get_str(signals, "updatetype", "updateType")
        if kind:
            key = unicodedata.normalize("NFC", kind).upper()
            if key in _TT_UPDATETYPE:
                markers.raise_to(_TT_UPDATETYPE[key], f"updatetype:{kind}")
            else:
                markers.signals.append(f"updatetype:{kind}")
        retransmission = signals.get("retransmission")
        if retransmission is True or str(retransmission).lower() == "true":
            markers.raise_to(UpdateType.RESEND, "retransmission")
    else:
        for code in strings(get_list(doc, "signals")):
            take_signal(code, markers)


def _previous_ids(doc: JsonObject) -> tuple[str, ...]:
    out: list[str] = []
    for value in [*get_list(doc, "evolvedfrom", "evolvedFrom"), *get_list(doc, "replacing")]:
        uri = value if isinstance(value, str) else get_str(value, "uri", "guid")
        if uri and uri.strip() and uri.strip() not in out:
            out.append(uri.strip())
    return tuple(out)


def _main_headline(doc: JsonObject) -> str | None:
    headlines = dicts(get_list(doc, "headlines"))
    return first_str(sorted(headlines, key=lambda h: get_str(h, "role") not in (None, "main")), "value")


def _body(doc: JsonObject, agency: str | None) -> tuple[list[str], Dateline | None]:
    """Paragraphs of the richest body (HTML before plain text) and a dateline found in it."""
    candidates: list[tuple[str, str | None]] = []
    for key, kind in (("body_html", "text/html"), ("body_text", "text/plain")):
        value = get_str(doc, key)
        if value:
            candidates.append((value, kind))
    for body in dicts(get_list(doc, "bodies")):
        value = body.get("value")
        if isinstance(value, str) and value.strip():
            candidates.append((value, get_str(body, "contenttype", "contentType")))
    markup = [c for c in candidates if _is_markup(*c) and not _excluded(c[1])]
    plain = [c for c in candidates if not _is_markup(*c) and not _excluded(c[1])]
    captured: str | None = None
    if markup:
        paragraphs, captured = html_blocks(markup[0][0], "dateline")
    elif plain:
        paragraphs = text_blocks(plain[0][0])
    else:
        return [], None
    if captured:
        return paragraphs, dateline_from_field(captured)
    dateline, rest = take_dateline(paragraphs)
    if dateline is None and paragraphs and agency:
        dateline, first = _credited_dateline(paragraphs[0], agency)
        rest = [first, *paragraphs[1:]] if first else paragraphs[1:]
    return rest, dateline


def _is_markup(value: str, content_type: str | None) -> bool:
    kind = (content_type or "").lower()
    return "html" in kind or (not kind and value.lstrip().startswith("<"))


def _excluded(content_type: str | None) -> bool:
    return any(part in (content_type or "").lower() for part in _MARKUP_EXCLUDED)


def _credited_dateline(paragraph: str, agency: str) -> tuple[Dateline | None, str]:
    """``OSLO (NTB) - ...`` for an agency the shared dateline grammar does not list.

    The agency is known from the metadata, so a plain search for ``(NTB)`` near the start,
    followed by a dash, is safe without a pattern compiled per message.
    """
    credit = f"({agency})"
    index = paragraph.find(credit, 1, 100)
    place = paragraph[:index].strip(" ,")
    rest = paragraph[index + len(credit) :].lstrip()
    # A place is a few words without brackets ("OSLO", "St. Louis, Mo."), never a sentence.
    plausible = place and "(" not in place and ")" not in place and len(place.split()) <= 6
    if index < 0 or not plausible or rest[:1] not in ("-", "–", "—", "_"):
        return None, paragraph
    body = rest.lstrip("-–—_ ")
    return Dateline(place=place, agency=agency, raw=paragraph[: len(paragraph) - len(body)].strip()), body


def _named_agency(doc: JsonObject) -> str | None:
    """The agency the metadata names: rights holder, info source, source/provider."""
    return (
        get_str(doc, "copyrightholder", "copyrightHolder")
        or first_str(get_list(doc, "infosources", "infoSources"), "name")
        or get_str(doc, "source", "provider")
        or get_str(get_dict(doc, "provider"), "name")
    )


def _uri_agency(uri: str) -> str | None:
    # urn:newsml:dpa.com:... → dpa; http://tt.se/... → tt; tag:ap.org,2011:... → ap
    match = _URI_HOST.match(uri.lower())
    if not match:
        return None
    host = match.group("web") or match.group("urn") or match.group("tag") or ""
    labels = [label for label in host.removeprefix("www.").split(".") if label]
    if not labels:
        return None
    return labels[-2] if len(labels) >= 2 else labels[0]
