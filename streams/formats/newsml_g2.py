"""IPTC NewsML-G2: a ``newsMessage`` with text ``newsItem``s, or one bare ``newsItem``.

G2 is the richest wire format: identity (``guid`` + ``version``), status and update signals are
explicit, so this parser trusts them over the text. Mapping choices (see FORMATS.md §2.2, §3.4):

- ``pubStatus stat:canceled`` → ``withdrawal``; ``stat:withheld`` only sets the pubstatus.
- ``sig:update`` → development, ``sig:correction`` → correction, ``sig:repeat`` (dpa's
  "Wiederholung"/refile) → resend. Reuters ``edStat:U`` (updated) → development, ``edStat:C``
  (corrected) → correction; ``edStat:N`` (new) and unknown codes change nothing. The edStat
  meanings are inferred from Reuters' usage, not from a published vocabulary. Every signal qcode
  is recorded in ``signals`` whatever it maps to (``markers.take_signal``, shared with the JSON
  formats).
- A higher ``version`` without any signal stays ``new``: dpa bumps versions for metadata-only
  changes (services, notes) and marks real updates with ``sig:update``; linking sees the version.
- Text markers count too: Reuters ``(UPDATE 1)`` in the slugline, ``UPDATE 1-`` headline
  prefixes, ``Eds:``/``(Adds ...)`` notes, all through the shared grammar in ``markers``.
- Body: the first ``inlineXML`` (XHTML or NITF) flattened by ``htmltext`` exactly as digitalwires'
  ``article_html`` is: a paragraph per ``p``, heading, list item, table row and ``br`` line. The
  XHTML ``<header>`` (headline, kicker, slugline again), dpa's ``p.teaser`` (the ``description``
  standfirst) and ``div.INFOBOX`` are skipped: digitalwires sends them apart from the article.
- dpa edNotes by role: ``closingline`` → closing, ``correction*`` → update note (the short one
  first), notepad and non-public contacts dropped, the rest → ednote.
- Agency: the creditline (who wrote it), else provider, copyright holder, infoSource or the guid
  host; the agency family follows the provider, i.e. the feed that linking is scoped by.
"""

from __future__ import annotations

import re

from schemas.item import Entity, ParsedItem, UpdateType
from streams.errors import MissingContent
from streams.formats.base import build_item, derived_id, parse_iso, pubstatus_of
from streams.formats.markers import (
    Markers,
    strip_prefixes,
    take_eds,
    take_notes,
    take_signal,
    take_slug_tags,
)
from streams.formats.textbody import agency_family, byline_of, paragraphs
from streams.formats.xmlsafe import (
    XML_LANG,
    Element,
    agency_name,
    attr,
    body_paragraphs,
    child,
    child_text,
    child_texts,
    children,
    descendants,
    finish_body,
    int_in,
    local,
    parse_version,
    parse_xml,
    raw_text,
    text_of,
    xml_head,
)

G2_NAMESPACE = "http://iptc.org/std/nar/2006-10-01/"
# dpa edNote roles: the closing line and the correction notes have fields of their own; the
# notepad repeats the other notes as XHTML and contacts are not for publication.
_CORRECTION_ROLES = ("correctionshort", "correction_consumerready", "correction")
_SKIPPED_ROLES = frozenset({"notepad", "contacts", "dpacontacts"})
_GUID_HOST = re.compile(r"^(?:urn:newsml:|tag:)(?P<host>[A-Za-z0-9.-]+)[,:]")


class NewsMLG2Parser:
    name = "newsml_g2"

    def sniff(self, raw: bytes) -> bool:
        head = xml_head(raw)
        return "<newsMessage" in head or "<newsItem" in head or G2_NAMESPACE in head

    def parse(self, raw: bytes) -> list[ParsedItem]:
        doc = parse_xml(raw)
        root = doc.root
        kind = local(root)
        header: dict[str, str] = {}
        if kind == "newsItem":
            candidates = [root]
        elif kind == "newsMessage":
            candidates = list(descendants(root, "newsItem"))
            envelope = child(root, "header")
            if envelope is not None:
                header = child_texts(envelope, ("sent", "transmitId", "priority"), "message_")
        else:
            raise MissingContent(f"<{kind or '?'}> is neither a NewsML-G2 newsMessage nor a newsItem")
        items = [item for el in candidates if (item := self._item(el, dict(header), doc.charset)) is not None]
        if not items:
            raise MissingContent("the message holds no text newsItem")
        return items

    def _item(self, el: Element, header: dict[str, str], charset: str) -> ParsedItem | None:
        # A missing block reads as empty: lookups below it then simply find nothing.
        meta = child(el, "itemMeta")
        meta = el if meta is None else meta
        content = child(el, "contentMeta")
        content = el if content is None else content
        item_class = attr(child(meta, "itemClass"), "qcode")
        if item_class and _suffix(item_class) != "text":
            return None  # pictures, video, graphics: not wire text
        markers = Markers()
        for signal in children(meta, "signal"):
            code = attr(signal, "qcode") or attr(signal, "literal")
            if code:
                take_signal(code, markers)
        status, _ = pubstatus_of(attr(child(meta, "pubStatus"), "qcode"))
        ednote, update_note, closing = _ednotes(meta, markers)
        headline, kicker = _headlines(content)
        headline = strip_prefixes(headline or child_text(meta, "title") or "", markers)
        slugline = child_text(content, "slugline")
        if slugline:
            slugline = take_slug_tags(slugline, markers) or None
        body, span_dateline = _body(el)
        body, dateline, trailing = finish_body(
            body, child_text(content, "dateline") or span_dateline, markers
        )
        update_type = UpdateType.WITHDRAWAL if status == "canceled" else markers.update_type
        if not headline and update_type is not UpdateType.WITHDRAWAL:
            raise MissingContent(f"newsItem {attr(el, 'guid') or '?'} has no headline")
        for alt in children(content, "altId"):
            value = text_of(alt)
            if value:
                header[f"altId:{attr(alt, 'type') or 'id'}"] = value
        services = [_code_name(s) for s in children(meta, "service")]
        if len(services) > 1:
            header["services"] = ",".join(s for s in services if s)
        guid = attr(el, "guid")
        # The provider is the feed and scopes linking; the creditline names who wrote the item
        # (dpa distributes Europa Press copy under its own provider code).
        feed = _provider(el, meta, content, guid)
        credit = child_text(content, "creditline")
        agency = agency_name(credit) if credit else feed
        location = child(content, "located")
        return build_item(
            format=self.name,
            agency=agency,
            agency_family=agency_family(feed or agency, "unknown"),
            service=services[0] if services else None,
            item_id=guid or derived_id(self.name, agency, headline, *body[:1]),
            item_id_explicit=guid is not None,
            version=parse_version(attr(el, "version")),
            first_created=parse_iso(child_text(meta, "firstCreated")),
            version_created=parse_iso(child_text(meta, "versionCreated")),
            embargoed=parse_iso(child_text(meta, "embargoed")),
            pubstatus=status,
            urgency=int_in(child_text(content, "urgency"), 1, 9),
            update_type=update_type,
            update_note=update_note or markers.note,
            signals=tuple(markers.signals),
            update_seq=markers.seq,
            previous_ids=_previous(meta),
            instance_of=_instance_of(meta, content),
            headline=headline,
            kicker=kicker,
            slugline=slugline,
            byline=byline_of(child_text(content, "by")),
            dateline=dateline,
            paragraphs=tuple(body),
            ednote=ednote,
            closing=closing or trailing,
            genre=_code_name(child(content, "genre")),
            language=attr(child(content, "language"), "tag") or attr(el, XML_LANG),
            keywords=tuple(dict.fromkeys(k for k in map(text_of, children(content, "keyword")) if k)),
            subjects=tuple(_entity(s) for s in children(content, "subject")),
            places=(_entity(location, rel="located"),) if location is not None else (),
            header=header,
            charset=charset,
        )


def _body(el: Element) -> tuple[list[str], str | None]:
    content_set = child(el, "contentSet")
    if content_set is None:
        return [], None
    inline = child(content_set, "inlineXML")
    if inline is not None:
        return body_paragraphs(inline)
    data = child(content_set, "inlineData")
    return (paragraphs(raw_text(data)) if data is not None else []), None


def _headlines(content: Element) -> tuple[str | None, str | None]:
    """Main headline (lowest rank, no special role) and kicker (dpa ``rank="3"`` or role kicker)."""
    main: tuple[int, str] | None = None
    kicker = None
    for element in children(content, "headline"):
        text = text_of(element)
        if not text:
            continue
        role = (attr(element, "role") or "").lower()
        rank = int_in(attr(element, "rank"), 1, 1_000_000) or 1
        if rank == 3 or "kicker" in role:
            kicker = kicker or text
        elif "sub" not in role and (main is None or rank < main[0]):
            main = (rank, text)
    return (main[1] if main else None), kicker


def _ednotes(meta: Element, markers: Markers) -> tuple[str | None, str | None, str | None]:
    """(editorial notes, correction note, closing line) from the edNotes."""
    notes: list[str] = []
    corrections: dict[str, str] = {}
    closing = None
    for element in children(meta, "edNote"):
        role = _suffix(attr(element, "role") or "").lower()
        if role in _SKIPPED_ROLES or "nonpublic" in (attr(element, "pubconstraint") or ""):
            continue
        text = text_of(element)
        if not text:
            continue
        if role == "closingline":
            closing = closing or text
        elif role.startswith("correction"):
            corrections.setdefault(role, text)
        else:
            notes.append(text)
            if not take_eds(text, markers):
                take_notes(text, markers)
    fallback = next(iter(corrections.values()), None)
    note = next((corrections[r] for r in _CORRECTION_ROLES if r in corrections), fallback)
    return ("\n".join(notes) or None), note, closing


def _provider(el: Element, meta: Element, content: Element, guid: str | None) -> str | None:
    rights = child(el, "rightsInfo")
    for party in (
        child(meta, "provider"),
        child(rights, "copyrightHolder") if rights is not None else None,
        child(content, "infoSource"),
    ):
        name = _code_name(party)
        if name:
            return agency_name(name)
    host = _GUID_HOST.match(guid or "")
    return agency_name(host.group("host")) if host else None


def _previous(meta: Element) -> tuple[str, ...]:
    ids = []
    for link in children(meta, "link"):
        if _suffix(attr(link, "rel") or "") == "previousVersion":
            target = attr(link, "residref") or attr(link, "href")
            if target:
                ids.append(target)
    return tuple(ids)


def _instance_of(meta: Element, content: Element) -> str | None:
    element = child(meta, "instanceOf")
    element = child(content, "instanceOf") if element is None else element
    return attr(element, "qcode") or attr(element, "literal") or text_of(element)


def _entity(element: Element, rel: str | None = None) -> Entity:
    return Entity(
        name=child_text(element, "name"),
        uri=attr(element, "qcode") or attr(element, "uri"),
        literal=attr(element, "literal"),
        rel=rel or attr(element, "rel"),
        scheme=attr(element, "type"),
    )


def _code_name(element: Element | None) -> str | None:
    """``<x qcode="p:code"><name>Name</name></x>``: the name, else the literal, else the code."""
    if element is None:
        return None
    code = attr(element, "qcode")
    return child_text(element, "name") or attr(element, "literal") or (_suffix(code) if code else None)


def _suffix(qcode: str) -> str:
    return qcode.rpartition(":")[2]
