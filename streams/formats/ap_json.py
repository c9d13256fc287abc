"""AP Media API JSON: one item (``{"data": {"item": ...}}`` or bare) or a feed page of several.

Identity is ``altids.itemid``: AP keeps it for every version and writethru of a story, and
``version`` counts them (0 is the first). ``uri`` points at one delivery, so it is only the
fallback. Update signals are spread over ``pubstatus`` (canceled = kill), ``editorialtypes``
(Correction, Kill, Withhold, ...), the ``ednote`` ("Eds: Updates with ...") read with the shared
marker grammar, and the slug's ``1st Ld-Writethru``. The mapping is the table in docs/formats.md.
"""

from __future__ import annotations

import re

from schemas.item import Dateline, ParsedItem, PubStatus, UpdateType
from streams.errors import InvalidItem, MissingContent
from streams.formats.base import build_item, entry_rejections, parse_iso, take_pubstatus
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
from streams.formats.markers import Markers, strip_prefixes, take_ednote, take_notes, take_writethru
from streams.formats.textbody import dateline_from_field, lead_headline, take_dateline

# editorialtypes → update type; a withhold also sets pubstatus withheld. Others are kept as signals.
_EDITORIAL_TYPES: dict[str, UpdateType] = {
    "kill": UpdateType.WITHDRAWAL,
    "elimination": UpdateType.WITHDRAWAL,
    "withhold": UpdateType.WITHDRAWAL,
    "disregard": UpdateType.WITHDRAWAL,
    "correction": UpdateType.CORRECTION,
    "clarification": UpdateType.CORRECTION,
    "writethru": UpdateType.DEVELOPMENT,
    "lead": UpdateType.DEVELOPMENT,
}
# https://api.ap.org/media/v/content/<itemid>?qt=...: derivedfrom names the item by its uri.
_CONTENT_URI = re.compile(r"/content/(?P<id>[A-Za-z0-9_-]+)(?:[?#]|$)")
_BY_PREFIX = re.compile(r"^\s*by\s+", re.IGNORECASE)


class ApJsonParser:
    """AP Media API item metadata and feed/search pages."""

    name = "ap_json"

    def sniff(self, raw: bytes) -> bool:
        return sniff_kind(raw) == "ap_json"

    def parse(self, raw: bytes) -> list[ParsedItem]:
        doc, charset = load_object(raw)
        data = get_dict(doc, "data")
        if "items" in data:
            items = []
            for index, entry in enumerate(get_list(data, "items")):
                # Feed pages wrap each item as {"meta": ..., "item": {...}}; search pages may not.
                item = get_dict(entry, "item") or (entry if isinstance(entry, dict) else {})
                if not item:
                    raise InvalidItem(f"data.items[{index}] holds no item object")
                with entry_rejections(f"data.items[{index}]"):
                    items.append(self._item(item, charset))
            return items
        item = get_dict(data, "item") or get_dict(doc, "item") or doc
        return [self._item(item, charset)]

    def _item(self, doc: JsonObject, charset: str) -> ParsedItem:
        altids = get_dict(doc, "altids")
        uri = get_str(doc, "uri")
        item_id = get_str(altids, "itemid") or (_content_id(uri) if uri else None) or uri
        if item_id is None:
            raise InvalidItem("AP item has neither altids.itemid nor uri")
        markers = Markers()
        status = get_str(doc, "pubstatus")  # "Embargoed" is kept as the signal pubstatus:embargoed
        pubstatus = take_pubstatus(status.lower() if status else None, markers)
        pubstatus = _take_editorial_types(doc, markers, pubstatus)
        markers.signals.extend(f"signal:{s}" for s in strings(get_list(doc, "signals")))
        slug = get_str(doc, "title", "slugline")
        if slug:
            take_writethru(slug, markers)
        ednote = get_str(doc, "ednote")
        if ednote:
            take_writethru(ednote, markers)
            take_ednote(ednote, markers)

        paragraphs, dateline = _body(doc)
        header: dict[str, str] = {}
        headline = get_str(doc, "headline", "headline_extended")
        if headline:
            headline = strip_prefixes(take_notes(headline, markers), markers)
        else:
            headline = lead_headline(paragraphs, header)
            if not headline and pubstatus != "canceled":
                raise MissingContent("AP item has neither headline nor body text")
        for key in ("headline_extended", "editorialpriority", "profile", "type"):
            value = get_str(doc, key)
            if value:
                header[key] = value
        etag = get_str(altids, "etag")
        if etag:
            header["etag"] = etag

        # AP redistributes member and partner copy; infosource names who wrote it.
        agency = first_str(get_list(doc, "infosource", "infosources"), "name") or "AP"
        return build_item(
            format=self.name,
            agency=agency,
            agency_family="ap",  # one AP feed, whoever wrote the item: linking is scoped per feed
            item_id=item_id,
            item_id_explicit=True,
            version=get_int(doc, "version"),
            first_created=parse_iso(get_str(doc, "firstcreated")),
            version_created=parse_iso(get_str(doc, "versioncreated")),
            embargoed=parse_iso(get_str(doc, "embargoed")),
            pubstatus=pubstatus,
            urgency=get_urgency(doc),
            update_type=markers.update_type,
            update_note=markers.note,
            signals=tuple(markers.signals),
            update_seq=markers.seq,
            previous_ids=_derived_from(doc),
            instance_of=get_str(doc, "fixture") or get_str(get_dict(doc, "fixture"), "code", "name"),
            headline=headline or "",
            slugline=slug,
            byline=_bylines(doc),
            dateline=dateline or _located(doc),
            paragraphs=tuple(paragraphs),
            ednote=ednote,
            language=get_str(doc, "language"),
            keywords=tuple(strings(get_list(doc, "keywords"))),
            subjects=entities(get_list(doc, "subject", "subjects")),
            people=entities(get_list(doc, "person", "people")),
            places=entities(get_list(doc, "place", "places")),
            organisations=entities(get_list(doc, "organization", "organisation", "organisations")),
            header=header,
            charset=charset,
        )


def _take_editorial_types(doc: JsonObject, markers: Markers, pubstatus: PubStatus) -> PubStatus:
    for kind in strings(get_list(doc, "editorialtypes")):
        mapped = _EDITORIAL_TYPES.get(kind.lower())
        if mapped is None:
            markers.signals.append(f"editorialtype:{kind}")
            continue
        markers.raise_to(mapped, f"editorialtype:{kind}")
        if kind.lower() == "withhold" and pubstatus == "usable":
            pubstatus = "withheld"
    return pubstatus


def _content_id(uri: str) -> str | None:
    match = _CONTENT_URI.search(uri)
    return match.group("id") if match else None


def _derived_from(doc: JsonObject) -> tuple[str, ...]:
    """``derivedfrom`` as item ids: an AP content uri is reduced to the itemid it names."""
    out: list[str] = []
    for value in get_list(doc, "derivedfrom"):
        ref = value if isinstance(value, str) else get_str(value, "uri", "itemid")
        ref = ref.strip() if ref else None
        if ref:
            ref = _content_id(ref) or ref
            if ref not in out:
                out.append(ref)
    return tuple(out)


def _body(doc: JsonObject) -> tuple[list[str], Dateline | None]:
    """The story text when the JSON carries it (``body_nitf``, ``body_html`` or ``text``)."""
    markup = get_str(doc, "body_nitf", "body_html")
    if markup:
        paragraphs, _ = html_blocks(markup)
    else:
        text = get_str(doc, "text", "body_text")
        paragraphs = text_blocks(text) if text else []
    # "KASSEL, Germany (AP) _ German engineering..." opens AP copy.
    dateline, paragraphs = take_dateline(paragraphs)
    return paragraphs, dateline


def _located(doc: JsonObject) -> Dateline | None:
    """``located`` is the dateline text ("KASSEL, Germany"); ``datelinelocation`` its structure."""
    located = get_str(doc, "located")
    if located:
        dateline = dateline_from_field(located)
        if dateline is not None:
            return Dateline(place=dateline.place, agency=dateline.agency or "AP", raw=located)
    city = get_str(get_dict(doc, "datelinelocation"), "city")
    return Dateline(place=city, agency="AP") if city else None


def _bylines(doc: JsonObject) -> str | None:
    names = []
    for byline in dicts(get_list(doc, "bylines")):
        by = get_str(byline, "by")
        if by:
            names.append(_BY_PREFIX.sub("", by).strip())
    return ", ".join(n for n in names if n) or None
