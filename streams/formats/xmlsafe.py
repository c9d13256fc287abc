"""The one way wirefeed turns XML bytes into a tree, and namespace-blind helpers to read it.

Wire XML comes from outside, so every XML format goes through ``parse_xml``: it refuses any
DOCTYPE or entity declaration before libxml2 sees the bytes (billion laughs, external entities),
parses with entity resolution, DTD loading and network access off, and turns every parser
failure into a typed rejection. Agencies mislabel encodings, so when libxml2 trips over the
bytes the text is decoded the way ``charset.decode`` does for every other format and parsed again.

The lookup helpers ignore namespaces: agencies put the same G2 or NITF element in the default
namespace, behind a prefix or in none at all, and the meaning does not change. They use
ElementPath with the ``{*}`` wildcard, which lxml compiles once and caches, never per-call XPath.

Last, the fields NewsML-G2 and NewsML 1.2 read alike: XHTML/NITF body paragraphs (flattened by
``htmltext`` like the JSON formats' HTML), the body's notes, dateline and closing codes, agency
names, version numbers.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import cast

from lxml import etree

from schemas.item import Dateline
from streams.errors import InvalidItem, MalformedXml, UnsafeXml
from streams.formats.charset import clean, decode
from streams.formats.htmltext import html_blocks
from streams.formats.markers import Markers, is_note_line, take_notes
from streams.formats.textbody import dateline_from_field, split_closing, take_dateline, without_date

Element = etree._Element
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# One parser for the process: building one per message costs more than parsing a small item.
# lxml parsers are not thread safe, but faust runs agents on one asyncio thread and the CLI is
# single-threaded too; a threaded caller would need a threading.local around this object.
_PARSER = etree.XMLParser(
    resolve_entities=False,  # never expand entities, even if a declaration slipped through
    no_network=True,  # never fetch anything
    load_dtd=False,
    huge_tree=False,  # keep libxml2's depth and size limits
    remove_comments=True,
    remove_pis=True,
)

# libxml2 error codes that mean "the bytes do not match the encoding", worth a second decode.
_ENCODING_ERRORS = frozenset(
    {etree.ErrorTypes.ERR_UNSUPPORTED_ENCODING, etree.ErrorTypes.ERR_INVALID_ENCODING}
)
_DECLARED = re.compile(rb"""^(\s*<\?xml[^>]*?\bencoding\s*=\s*["'])([A-Za-z0-9._:-]+)(["'])""")
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_UTF32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
# Not body copy, beyond what htmltext drops anyway (NITF head, bylines): the XHTML <header>
# repeats headline, kicker and slugline; dpa's p.teaser is the standfirst (the G2 description)
# and div.INFOBOX a box of links. digitalwires sends all three apart from article_html.
_NOT_BODY_TAGS = frozenset({"header"})
_NOT_BODY_CLASSES = frozenset({"teaser", "infobox"})


@dataclass(frozen=True, slots=True)
class XmlDoc:
    root: Element
    charset: str


def xml_head(raw: bytes, size: int = 2048) -> str:
    """The first bytes as text for sniffers, or '' when they do not open with markup.

    Cheap and never fails; reads UTF-16/32 markup too. Requiring a leading ``<`` keeps a JSON or
    text message that merely quotes ``<newsItem`` from being taken for XML.
    """
    head = _ascii_compatible(raw[:size]).decode("latin-1")
    return head if head.lstrip("\xef\xbb\xbf \t\r\n").startswith("<") else ""


def check_prolog(raw: bytes) -> None:
    """Refuse a DOCTYPE or any ``<!`` declaration before the root element.

    Only the prolog is scanned, so ``<!ENTITY`` quoted inside a CDATA section of the body is not
    mistaken for a declaration. A prolog may hold only the XML declaration, processing
    instructions, comments and whitespace; anything else starting with ``<!`` is a DOCTYPE.
    """
    data = _ascii_compatible(raw)
    pos = 0
    while True:
        start = data.find(b"<", pos)
        if start < 0:
            return
        if data.startswith(b"<!--", start):
            close = data.find(b"-->", start + 4)
            if close < 0:
                return  # an unterminated comment: libxml2 reports it as malformed
            pos = close + 3
        elif data.startswith(b"<?", start):
            close = data.find(b"?>", start + 2)
            if close < 0:
                return
            pos = close + 2
        elif data.startswith(b"<!", start):
            raise UnsafeXml("DOCTYPE or entity declarations are not accepted")
        else:
            return  # the root element starts here: the prolog is over


def _ascii_compatible(raw: bytes) -> bytes:
    """UTF-16/32 input (with or without byte order mark) re-encoded so markup is plain ASCII."""
    head = raw[:4]
    if head.startswith(_UTF32_BOMS) or head in (b"<\x00\x00\x00", b"\x00\x00\x00<"):
        codec = "utf-32" if head.startswith(_UTF32_BOMS) else ("utf-32-le" if head[0] else "utf-32-be")
    elif head.startswith(_UTF16_BOMS):
        codec = "utf-16"
    elif len(head) >= 2 and (head[0] == 0) != (head[1] == 0):
        codec = "utf-16-be" if head[0] == 0 else "utf-16-le"
    else:
        return raw
    return raw.decode(codec, errors="replace").encode("utf-8")


def parse_xml(raw: bytes) -> XmlDoc:
    """Safe parse of one XML message: a tree and the charset it was read with, or a rejection."""
    check_prolog(raw)
    try:
        root = etree.fromstring(raw, _PARSER)
        charset = _charset_of(raw, root)
    except etree.XMLSyntaxError as exc:
        if getattr(exc, "code", None) not in _ENCODING_ERRORS:
            raise MalformedXml(f"not well-formed XML: {exc}") from exc
        root, charset = _reparse_decoded(raw)
    except (ValueError, LookupError) as exc:
        raise MalformedXml(f"not well-formed XML: {exc}") from exc
    # Belt and braces: the prolog scan should make this impossible (EBCDIC and friends aside).
    if getattr(root.getroottree().docinfo, "doctype", None):
        raise UnsafeXml("DOCTYPE declarations are not accepted")
    return XmlDoc(root=root, charset=charset)


def _charset_of(raw: bytes, root: Element) -> str:
    if raw.startswith(_UTF32_BOMS):
        return "utf-32"
    if raw.startswith(_UTF16_BOMS):
        return "utf-16"
    declared = root.getroottree().docinfo.encoding or "utf-8"
    try:
        return codecs.lookup(declared).name
    except LookupError:
        return declared.lower()


def _reparse_decoded(raw: bytes) -> tuple[Element, str]:
    """The declared encoding lied or is unknown: decode like every text format, parse as UTF-8."""
    match = _DECLARED.match(raw)
    declared = match.group(2).decode("ascii") if match else None
    text, charset = decode(raw, declared)
    data = text.encode("utf-8")
    if match:
        data = _DECLARED.sub(rb"\g<1>utf-8\g<3>", data, count=1)
    try:
        return etree.fromstring(data, _PARSER), charset
    except (etree.XMLSyntaxError, ValueError, LookupError) as exc:
        raise MalformedXml(f"not well-formed XML after decoding as {charset}: {exc}") from exc


# --- namespace-blind lookups -------------------------------------------------------------------


def local(element: Element) -> str:
    """Local name of an element ('' for entity references and other non-elements)."""
    tag = element.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def child(element: Element, name: str) -> Element | None:
    return element.find("{*}" + name)


def children(element: Element, name: str) -> list[Element]:
    return element.findall("{*}" + name)


def descendants(element: Element, name: str) -> Iterator[Element]:
    return element.iter("{*}" + name)


def raw_text(element: Element) -> str:
    """All text below an element as it stands, line breaks kept."""
    # lxml yields str for trees parsed from bytes; the stubs say str | bytes.
    return "".join(cast("Iterator[str]", element.itertext()))


def text_of(element: Element | None) -> str | None:
    """All text below an element, whitespace folded; None when there is none."""
    return None if element is None else clean(raw_text(element))


def child_text(element: Element, name: str) -> str | None:
    return text_of(child(element, name))


def attr(element: Element | None, name: str) -> str | None:
    """An attribute value, stripped; None when absent or blank."""
    if element is None:
        return None
    value = element.get(name)
    return (value.strip() or None) if value is not None else None


def child_texts(element: Element, names: Iterable[str], prefix: str = "") -> dict[str, str]:
    """The texts of the named children that have one, keyed ``prefix + name``."""
    return {prefix + name: text for name in names if (text := child_text(element, name))}


def body_paragraphs(container: Element) -> tuple[list[str], str | None]:
    """Body paragraphs below a container (XHTML or NITF), and the text of a dpa ``span.dateline``.

    The subtree is serialised and flattened by ``htmltext.html_blocks``, the very code that reads
    the JSON formats' HTML, so dpa's G2 and digitalwires renditions of an item give the same
    paragraphs: one per ``p``, heading, list item, table row and ``br`` line, inline markup flat.
    """
    markup = etree.tostring(container, encoding="unicode", with_tail=False)
    return html_blocks(markup, "dateline", skip_tags=_NOT_BODY_TAGS, skip_classes=_NOT_BODY_CLASSES)


# --- fields the XML formats share -------------------------------------------------------------

_KNOWN_AGENCIES = {"dpa": "dpa", "reuters": "Reuters", "ap": "AP", "associated press": "AP", "afp": "AFP"}


def finish_body(
    body: list[str], dateline_field: str | None, markers: Markers
) -> tuple[list[str], Dateline | None, str | None]:
    """Take update notes, the dateline and closing codes off the body paragraphs of an XML item.

    Returns (paragraphs, dateline, closing codes). A dateline field wins over the body lead, but
    the lead is taken off the first paragraph either way so the text does not repeat it.
    """
    while body and is_note_line(body[0]):
        take_notes(body[0], markers)  # Reuters' top note: (Adds comment from ministry, ...)
        body = body[1:]
    dateline = dateline_from_field(dateline_field)
    lead, body = take_dateline(body)
    if lead is not None:
        dateline = dateline or without_date(lead)
    body, closing = split_closing(body)
    return body, dateline, closing


def agency_name(name: str) -> str:
    """An agency as people write it, from a party name or a host (``nprov:REUTERS``, ``afp.com``)."""
    labels = name.lower().split(".")
    key = labels[-2] if len(labels) > 1 else labels[0]  # dpa.com → dpa, reuters.com → reuters
    return _KNOWN_AGENCIES.get(key, name)


def parse_version(value: str | None) -> int | None:
    if value is None:
        return None
    version = int_in(value, 1, None)
    if version is None:
        raise InvalidItem(f"version: {value[:40]!r} is not a positive integer")
    return version


def int_in(value: str | None, low: int, high: int | None) -> int | None:
    """An integer within bounds, or None: a bad urgency must not cost the whole item."""
    text = (value or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    number = int(text)
    return number if number >= low and (high is None or number <= high) else None
