"""IPTC NewsML 1.2 as AFP sends it: a ``NewsML`` envelope holding one or more ``NewsItem``s.

Identity lives in ``Identification/NewsIdentifier``: the item id is the ``PublicIdentifier``
without its trailing ``:<RevisionId>[N|U|A]`` (so every revision shares it) and the version is the
``RevisionId``. Update semantics, as mapped here:

- ``Status`` ``Canceled`` → ``withdrawal``; ``Withheld`` only sets the pubstatus.
- ``RevisionId Update="U"``: the item carries ``Update`` elements that patch parts of the
  previous revision, i.e. the content changed → development.
- ``Update="A"``: only the management data (status, urgency...) was replaced, the text is the
  previous revision's → minor. Such an item may come without NewsLines; it is still kept.
- ``Update="N"`` (a full item): revision 1 is new; a later revision with no other signal is a
  development, since AFP re-sends the whole story for every lead.
- Headline prefixes and slug tags (``UPDATE 1-``, ``1st LEAD``, ``(CORRECTED)``) go through the
  shared marker grammar and win over the revision rule when they say more.

The text sits in ``ContentItem/DataContent``, usually as NITF, flattened by ``htmltext`` into a
paragraph per block element (``p``, ``hl2``, list item, table row) like every other markup body.
Encoding is often iso-8859-1, declared in the XML prolog, which ``xmlsafe`` honours.
"""

from __future__ import annotations

from schemas.item import Entity, ParsedItem, UpdateType
from streams.errors import MissingContent
from streams.formats.base import build_item, derived_id, parse_iso, pubstatus_of
from streams.formats.markers import Markers, strip_prefixes, take_slug_tags
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

_UPDATE_TYPES = {"U": UpdateType.DEVELOPMENT, "A": UpdateType.MINOR}
_PLACE_PROPERTIES = ("City", "CountryArea", "Country")


class NewsML12Parser:
    name = "newsml12"

    def sniff(self, raw: bytes) -> bool:
        return "<NewsML" in xml_head(raw)

    def parse(self, raw: bytes) -> list[ParsedItem]:
        doc = parse_xml(raw)
        root = doc.root
        if local(root) != "NewsML":
            raise MissingContent(f"<{local(root) or '?'}> is not a NewsML 1.2 document")
        header: dict[str, str] = {}
        service = None
        envelope = child(root, "NewsEnvelope")
        if envelope is not None:
            header = child_texts(envelope, ("TransmissionId", "DateAndTime"), "message_")
            priority = _formal(envelope, "Priority")
            if priority:
                header["message_Priority"] = priority
            service = _formal(envelope, "NewsService")
        items = [
            self._item(el, root, dict(header), service, doc.charset) for el in children(root, "NewsItem")
        ]
        if not items:
            raise MissingContent("the NewsML document holds no NewsItem")
        return items

    def _item(
        self, el: Element, root: Element, header: dict[str, str], service: str | None, charset: str
    ) -> ParsedItem:
        ident = child(el, "Identification")
        news_id = child(ident, "NewsIdentifier") if ident is not None else None
        news_id = el if news_id is None else news_id  # missing block: lookups find nothing
        management = child(el, "NewsManagement")
        management = el if management is None else management
        revision_el = child(news_id, "RevisionId")
        revision = parse_version(text_of(revision_el))
        update = (attr(revision_el, "Update") or "N").upper()
        item_id, explicit = _item_id(news_id, revision)
        # NewsLines and metadata may sit in nested NewsComponents or, for Update="U", in Updates.
        lines = next(descendants(el, "NewsLines"), el)
        described = next(descendants(el, "DescriptiveMetadata"), el)
        markers = Markers()
        status, _ = pubstatus_of(_formal(management, "Status"))
        for instruction in descendants(management, "Instruction"):
            name = attr(instruction, "FormalName")
            if name:
                markers.signals.append(f"Instruction:{name}")
        headline = strip_prefixes(child_text(lines, "HeadLine") or "", markers)
        slugline = child_text(lines, "SlugLine") or (
            child_text(ident, "NameLabel") if ident is not None else None
        )
        if slugline:
            slugline = take_slug_tags(slugline, markers) or None
        if update in _UPDATE_TYPES:
            markers.raise_to(_UPDATE_TYPES[update], f"Update:{update}")
        elif markers.update_type is UpdateType.NEW and revision is not None and revision > 1:
            markers.raise_to(UpdateType.DEVELOPMENT, f"RevisionId:{revision}")
        update_type = UpdateType.WITHDRAWAL if status == "canceled" else markers.update_type
        if not headline and update_type not in (UpdateType.WITHDRAWAL, UpdateType.MINOR):
            raise MissingContent(f"NewsItem {item_id or '?'} has no HeadLine")
        body, dateline, closing = finish_body(_body(el), child_text(lines, "DateLine"), markers)
        item_type = _formal(management, "NewsItemType")
        if item_type:
            header["news_item_type"] = item_type
        provider = next(descendants(el, "Provider"), None)
        party = (_formal(provider, "Party") if provider is not None else None) or child_text(
            news_id, "ProviderId"
        )
        agency = agency_name(party) if party else None
        return build_item(
            format=self.name,
            agency=agency,
            agency_family=agency_family(agency, "unknown"),
            service=service,
            item_id=item_id or derived_id(self.name, agency, headline, *body[:1]),
            item_id_explicit=explicit,
            version=revision,
            first_created=parse_iso(child_text(management, "FirstCreated")),
            version_created=parse_iso(child_text(management, "ThisRevisionCreated")),
            pubstatus=status,
            urgency=int_in(_formal(management, "Urgency"), 1, 9),
            update_type=update_type,
            update_note=markers.note,
            signals=tuple(markers.signals),
            update_seq=markers.seq,
            headline=headline,
            slugline=slugline,
            byline=byline_of(child_text(lines, "ByLine")),
            dateline=dateline,
            paragraphs=tuple(body),
            closing=closing,
            genre=_formal(described, "Genre"),
            language=attr(el, XML_LANG) or _formal(described, "Language") or attr(root, XML_LANG),
            keywords=_keywords(lines, described),
            subjects=_subjects(described),
            places=tuple(filter(None, map(_place, children(described, "Location")))),
            header=header,
            charset=charset,
        )


def _item_id(news_id: Element, revision: int | None) -> tuple[str | None, bool]:
    """PublicIdentifier minus ``:<revision>[NUA]``; else built from the identifier parts."""
    public = child_text(news_id, "PublicIdentifier")
    if public:
        stem, _, last = public.rpartition(":")
        if stem and revision is not None and last.rstrip("NUA") == str(revision):
            return stem, True
        return public, True
    provider, date, item = (child_text(news_id, f) for f in ("ProviderId", "DateId", "NewsItemId"))
    if provider and item:
        return f"urn:newsml:{provider}:{date or ''}:{item}", True
    return None, False


def _body(el: Element) -> list[str]:
    """Paragraphs of the first text ContentItem that has any (photo captions come later)."""
    for content in descendants(el, "ContentItem"):
        media = _formal(content, "MediaType")
        data = child(content, "DataContent")
        if data is None or (media is not None and media.lower() != "text"):
            continue
        # NITF or XHTML, else plain text without markup.
        found = body_paragraphs(data)[0] if len(data) else paragraphs(raw_text(data))
        if found:
            return found
    return []


def _subjects(described: Element) -> tuple[Entity, ...]:
    """``SubjectCode`` children (Subject, SubjectMatter, SubjectDetail) with their IPTC code."""
    return tuple(
        Entity(uri=code, scheme=attr(subject, "Scheme") or local(subject))
        for codes in children(described, "SubjectCode")
        for subject in codes
        if (code := attr(subject, "FormalName"))
    )


def _keywords(lines: Element, described: Element) -> tuple[str, ...]:
    words = [text_of(k) for k in children(lines, "KeywordLine")]
    words += [attr(p, "Value") for p in children(described, "Property") if attr(p, "FormalName") == "Keyword"]
    return tuple(dict.fromkeys(w for w in words if w))


def _place(location: Element) -> Entity | None:
    values = {attr(p, "FormalName"): attr(p, "Value") for p in children(location, "Property")}
    name = next((values[k] for k in _PLACE_PROPERTIES if values.get(k)), None)
    return Entity(name=name, rel=attr(location, "HowPresent")) if name else None


def _formal(parent: Element, name: str) -> str | None:
    """``<Status FormalName="Usable"/>``: NewsML 1 keeps most values in a FormalName attribute."""
    return attr(child(parent, name), "FormalName")
