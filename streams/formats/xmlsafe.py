"""The one way wirefeed turns XML bytes into a tree, and namespace-blind helpers to read it.

Wire XML comes from outside, so every XML format goes through ``parse_xml``: it refuses any
DOCTYPE or entity declaration before libxml2 sees the bytes (billion laughs, external entities),
parses with entity resolution, DTD loading and network access off, and turns every parser
failure into a typed rejection. Agencies mislabel encodings, so when libxml2 trips over the
bytes the text is decoded the way ``charset.decode`` does for every other format and parsed again.

The lookup helpers ignore namespaces: agencies put the same G2 or NITF element in the default
namespace, behind a prefix or in none at all, and the meaning does not change. They use
ElementPath with the ``{*}`` wildcard, which lxml compiles once and caches, never per-call XPath.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from streams.errors import MalformedXml, UnsafeXml
from streams.formats.charset import clean, decode

Element = etree._Element

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
_ENCODING_ERRORS = frozenset({etree.ErrorTypes.ERR_UNSUPPORTED_ENCODING, etree.ErrorTypes.ERR_INVALID_ENCODING})
_DECLARED = re.compile(rb"""^(\s*<\?xml[^>]*?\bencoding\s*=\s*["'])([A-Za-z0-9._:-]+)(["'])""")
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_UTF32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)


@dataclass(frozen=True, slots=True)
class XmlDoc:
    root: Element
    charset: str


def head_text(raw: bytes, size: int = 2048) -> str:
    """The first bytes as text for sniffers: cheap, never fails, knows UTF-16/32 byte order marks."""
    head = raw[:size]
    if head.startswith(_UTF32_BOMS):
        return head.decode("utf-32", errors="ignore")
    if head.startswith(_UTF16_BOMS):
        return head.decode("utf-16", errors="ignore")
    # ASCII-compatible encodings keep markup readable byte for byte.
    return head.decode("latin-1")


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
        if exc.code not in _ENCODING_ERRORS:
            raise MalformedXml(f"not well-formed XML: {exc}") from exc
        root, charset = _reparse_decoded(raw)
    except (ValueError, LookupError) as exc:
        raise MalformedXml(f"not well-formed XML: {exc}") from exc
    # Belt and braces: the prolog scan should make this impossible (EBCDIC and friends aside).
    if root.getroottree().docinfo.doctype:
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


def text_of(element: Element | None) -> str | None:
    """All text below an element, whitespace folded; None when there is none."""
    if element is None:
        return None
    return clean("".join(element.itertext()))


def child_text(element: Element, name: str) -> str | None:
    return text_of(child(element, name))


def attr(element: Element | None, name: str) -> str | None:
    """An attribute value, stripped; None when absent or blank."""
    if element is None:
        return None
    value = element.get(name)
    return value.strip() or None if value is not None else None


def paragraph_text(p: Element) -> str | None:
    """A paragraph with its inline markup flattened; ``<br/>`` becomes a space, not nothing."""
    for br in p.iter("{*}br"):
        br.tail = " " + (br.tail or "")
    return text_of(p)


def drop_keep_tail(element: Element) -> None:
    """Remove an element from its parent but keep the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail or ""
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)
