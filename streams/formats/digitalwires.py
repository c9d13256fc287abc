"""dpa digitalwires JSON: the API format behind dpa's NewsML-G2 and IPTC 7901 converters.

One object is one item; the wireQ API wraps several in ``{"entries": [...]}``. Identity is the
``urn`` plus ``version``; the update signal is explicit (``signal`` and a ``dnltype:signal``
category), with the correction notes in ``ednotes`` by role. The dateline comes both as its own
field and, in newer items, as a ``<span class="dateline">`` opening the article HTML: it is taken
out of the copy and kept as ``Dateline``. The mapping onto ``UpdateType`` is in docs/formats.md.
"""

from __future__ import annotations

from typing import Any

from schemas.item import Dateline, Entity, ParsedItem
from streams.errors import InvalidItem, MissingContent
from streams.formats.base import build_item, entry_rejections, parse_iso, take_pubstatus
from streams.formats.htmltext import html_blocks
from streams.formats.jsonsafe import (
    JsonObject,
    dicts,
    get_int,
    get_list,
    get_str,
    get_urgency,
    load_object,
    sniff_kind,
    strings,
)
from streams.formats.markers import Markers, strip_prefixes, take_notes, take_signal
from streams.formats.textbody import byline_of, dateline_from_field, lead_headline, split_dateline

_ROLE_PREFIX = "dpaednoterole:"
# Ednote roles that say what changed, most concise first: the 7901 rendering uses the short one.
_UPDATE_NOTE_ROLES = ("correctionshort", "correction")
# Notes for the receiving editor. Contacts (dpacontacts) are deliberately not kept: personal data.
_EDNOTE_ROLES = ("embargo", "editorialnote")
_SUBJECT_TYPES = ("dnltype:dpasubject", "dnltype:desk")
_PLACE_TYPES = ("dnltype:geosubject", "dnltype:poi")


class DigitalwiresParser:
    """dpa digitalwires items, alone or in a wireQ ``entries`` list."""

    name = "digitalwires"

    def sniff(self, raw: bytes) -> bool:
        return sniff_kind(raw) == "digitalwires"

    def parse(self, raw: bytes) -> list[ParsedItem]:
        doc, charset = load_object(raw)
        if "entries" in doc and "urn" not in doc:
            entries = get_list(doc, "entries")
            items = []
            for index, entry in enumerate(entries):
                if not isinstance(entry, dict):
                    raise InvalidItem(f"entries[{index}] is not an object")
                with entry_rejections(f"entries[{index}]"):
                    items.append(self._item(entry, charset))
            return items
        return [self._item(doc, charset)]

    def _item(self, doc: JsonObject, charset: str) -> ParsedItem:
        urn = get_str(doc, "urn")
        if urn is None:
            raise InvalidItem("digitalwires item has no urn")
        categories = dicts(get_list(doc, "categories"))
        markers = Markers()
        status = get_str(doc, "pubstatus")
        status = status or next(iter(_category_names(categories, "dnltype:pubstatus", qcode=True)), None)
        pubstatus = take_pubstatus(status, markers)
        signals = strings([doc.get("signal"), *_category_names(categories, "dnltype:signal", qcode=True)])
        for signal in signals:
            take_signal(signal, markers)

        notes = _ednotes(doc)
        update_note = next((notes[r][0] for r in _UPDATE_NOTE_ROLES if notes.get(r)), None)
        ednote = "\n".join(n for r in _EDNOTE_ROLES for n in notes.get(r, [])) or None
        closing = "\n".join(notes.get("closingline", [])) or None

        paragraphs, dateline = _article(doc)
        header: dict[str, str] = {}
        headline = get_str(doc, "headline")
        if headline:
            headline = strip_prefixes(take_notes(headline, markers), markers)
        else:
            headline = lead_headline(paragraphs, header)
            if not headline and pubstatus != "canceled":
                raise MissingContent("digitalwires item has neither headline nor article text")

        services = _category_names(categories, "dnltype:wire")
        for key in ("entry_id", "updated", "format"):
            value = get_str(doc, key)
            if value:
                header[key] = value
        if services:
            header["services"] = ",".join(services)
        genre_name = (strings(get_list(doc, "genre_names")) or _category_names(categories, "dnltype:genre"))[
            :1
        ]
        genre = " ".join([*genre_name, *notes.get("genrenote", [])[:1]]) or None
        agency = get_str(doc, "creditline") or (dateline.agency if dateline else None)
        agency = agency or (_category_names(categories, "dnltype:provider") or ["dpa"])[0]
        return build_item(
            format=self.name,
            agency=agency,
            agency_family="dpa",  # one dpa wire, whoever wrote the item: linking is scoped per feed
            service=services[0] if services else None,
            item_id=urn,
            item_id_explicit=True,
            version=get_int(doc, "version"),
            first_created=parse_iso(get_str(doc, "firstcreated", "first_created")),
            version_created=parse_iso(get_str(doc, "version_created")),
            embargoed=parse_iso(get_str(doc, "embargoed")),
            pubstatus=pubstatus,
            urgency=get_urgency(doc),
            update_type=markers.update_type,
            update_note=update_note or markers.note,
            signals=tuple(markers.signals),
            update_seq=markers.seq,
            headline=headline or "",
            kicker=get_str(doc, "kicker"),
            byline=byline_of(get_str(doc, "byline")),
            dateline=dateline,
            paragraphs=tuple(paragraphs),
            ednote=ednote,
            closing=closing,
            genre=genre,
            language=get_str(doc, "language"),
            keywords=tuple(
                strings(get_list(doc, "keyword_names")) or _category_names(categories, "dnltype:keyword")
            ),
            subjects=_entities(categories, _SUBJECT_TYPES, get_list(doc, "dpasubject_names")),
            places=_entities(categories, _PLACE_TYPES, get_list(doc, "geosubject_names")),
            header=header,
            charset=charset,
        )


def _ednotes(doc: JsonObject) -> dict[str, list[str]]:
    """Ednote texts by role without the ``dpaednoterole:`` prefix, in the order sent."""
    notes: dict[str, list[str]] = {}
    for note in dicts(get_list(doc, "ednotes")):
        role = (get_str(note, "role") or "").removeprefix(_ROLE_PREFIX)
        text = get_str(note, "ednote")
        if role and text:
            notes.setdefault(role, []).append(" ".join(text.split()))
    return notes


def _article(doc: JsonObject) -> tuple[list[str], Dateline | None]:
    """Paragraphs of ``article_html`` without the dateline, and the dateline.

    The ``dateline`` field is authoritative; the copy may repeat it as a span (cut out by
    ``html_blocks``) or as plain leading text (``Berlin (dpa) - ``), which is cut here.
    """
    dateline = dateline_from_field(get_str(doc, "dateline"))
    article = get_str(doc, "article_html")
    if not article:
        return [], dateline
    paragraphs, captured = html_blocks(article, "dateline")
    if captured:
        return paragraphs, dateline or dateline_from_field(captured)
    if paragraphs:
        first = paragraphs[0]
        if dateline is not None and dateline.raw and first.startswith(dateline.raw):
            first = first[len(dateline.raw) :].strip()
        else:
            found, first = split_dateline(first)
            dateline = dateline or found
        paragraphs = ([first] if first else []) + paragraphs[1:]
    return paragraphs, dateline


def _category_names(categories: list[JsonObject], kind: str, *, qcode: bool = False) -> list[str]:
    key = ("qcode", "name") if qcode else ("name", "qcode")
    return strings([get_str(c, *key) for c in categories if get_str(c, "type") == kind])


def _entities(categories: list[JsonObject], kinds: tuple[str, ...], names: list[Any]) -> tuple[Entity, ...]:
    """Typed categories as entities (uri = qcode, scheme = category type); bare names otherwise."""
    out: list[Entity] = []
    for category in categories:
        kind = get_str(category, "type")
        name = get_str(category, "name")
        if kind in kinds and name:
            entity = Entity(name=name, uri=get_str(category, "qcode"), scheme=kind)
            if entity not in out:
                out.append(entity)
    if not out:
        out = [Entity(name=name) for name in strings(names)]
    return tuple(out)
