"""The safe XML entry point: hostile declarations, broken bytes, lying encodings, and fuzzing."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.item import ParsedItem
from streams.errors import MalformedXml, RejectedInput, UnsafeXml
from streams.formats.newsml12 import NewsML12Parser
from streams.formats.newsml_g2 import NewsMLG2Parser
from streams.formats.xmlsafe import child, child_text, children, local, parse_xml, text_of, xml_head
from tests.conftest import shared_dir

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/"><x>&lol4;</x></newsItem>"""
FILE_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<newsItem><headline>&xxe;</headline></newsItem>"""
HTTP_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "http://attacker.example/evil.dtd">]>
<newsItem><headline>&xxe;</headline></newsItem>"""
DOCTYPE_ONLY = (
    b"""<?xml version="1.0"?><!DOCTYPE newsItem SYSTEM "http://attacker.example/g2.dtd"><newsItem/>"""
)
PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY % remote SYSTEM "http://attacker.example/x.dtd"> %remote;]>
<newsItem/>"""
AFTER_COMMENT_AND_PI = b"""<?xml version="1.0"?><!-- note --><?pi x?>
<!DOCTYPE foo [<!ENTITY a "b">]><newsItem>&a;</newsItem>"""
BARE_ENTITY = b"""<!ENTITY a "b"><newsItem/>"""

HOSTILE = {
    "billion_laughs": BILLION_LAUGHS,
    "file_entity": FILE_ENTITY,
    "http_entity": HTTP_ENTITY,
    "doctype_only": DOCTYPE_ONLY,
    "parameter_entity": PARAMETER_ENTITY,
    "after_comment_and_pi": AFTER_COMMENT_AND_PI,
    "bare_entity": BARE_ENTITY,
    "utf16_doctype": DOCTYPE_ONLY.decode().encode("utf-16"),
    "utf16le_no_bom_doctype": DOCTYPE_ONLY.decode().encode("utf-16-le"),
}

G2_ITEM = """<?xml version="1.0" encoding="{encoding}"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:x:1" version="1">
  <contentMeta><headline>Brücke in Mühlbach gesperrt</headline></contentMeta>
</newsItem>"""


@pytest.mark.parametrize("raw", HOSTILE.values(), ids=HOSTILE.keys())
def test_declarations_are_refused_before_parsing(raw: bytes) -> None:
    with pytest.raises(UnsafeXml):
        parse_xml(raw)
    with pytest.raises(UnsafeXml):
        NewsMLG2Parser().parse(raw)


def test_entity_text_inside_cdata_is_only_text() -> None:
    raw = b"<newsItem><headline><![CDATA[<!ENTITY x 'y'> and <!DOCTYPE>]]></headline></newsItem>"
    root = parse_xml(raw).root
    assert child_text(root, "headline") == "<!ENTITY x 'y'> and <!DOCTYPE>"


@pytest.mark.parametrize(
    "raw",
    [
        G2_ITEM.format(encoding="UTF-8").encode()[:120],  # truncated
        b"<newsItem><headline>a</newsItem>",  # mismatched tag
        b"<newsItem>&undefined;</newsItem>",  # undefined entity: no DTD may define it
        b"<a>" * 300 + b"</a>" * 300,  # deeper than libxml2's limit without huge_tree
        b"",
        b"\x00\x01\x02",
    ],
    ids=["truncated", "mismatched", "undefined_entity", "too_deep", "empty", "binary"],
)
def test_broken_xml_is_malformed(raw: bytes) -> None:
    with pytest.raises(MalformedXml) as info:
        parse_xml(raw)
    assert info.value.__cause__ is not None  # raised from the lxml error, context kept


def test_declared_encoding_is_honoured() -> None:
    doc = parse_xml(G2_ITEM.format(encoding="ISO-8859-1").encode("latin-1"))
    assert doc.charset == "iso8859-1"
    assert child_text(doc.root, "contentMeta") == "Brücke in Mühlbach gesperrt"


def test_mislabelled_bytes_fall_back_through_charset_decode() -> None:
    # Declared UTF-8, sent as latin-1: libxml2 refuses, the charset fallback reads it as cp1252.
    doc = parse_xml(G2_ITEM.format(encoding="UTF-8").encode("latin-1"))
    assert doc.charset == "cp1252"
    assert child_text(doc.root, "contentMeta") == "Brücke in Mühlbach gesperrt"


def test_unknown_declared_encoding_falls_back() -> None:
    doc = parse_xml(G2_ITEM.format(encoding="x-wire-7bit").encode("utf-8"))
    assert doc.charset == "utf-8"
    assert "Mühlbach" in (child_text(doc.root, "contentMeta") or "")


def test_utf16_with_bom_parses() -> None:
    raw = G2_ITEM.format(encoding="UTF-16").encode("utf-16")
    doc = parse_xml(raw)
    assert doc.charset == "utf-16"
    assert local(doc.root) == "newsItem"
    assert "<newsItem" in xml_head(raw)


def test_lookups_ignore_namespaces() -> None:
    raw = b"""<r xmlns:nar="http://iptc.org/std/nar/2006-10-01/">
      <nar:headline>one</nar:headline><headline>two</headline>
      <x xmlns="urn:other"><headline>three</headline></x></r>"""
    root = parse_xml(raw).root
    assert [text_of(h) for h in children(root, "headline")] == ["one", "two"]
    other = child(root, "x")
    assert other is not None and child_text(other, "headline") == "three"
    assert local(other) == "x"


def test_comments_and_processing_instructions_are_dropped() -> None:
    root = parse_xml(b"<a><!-- c --><?pi d?><b>t</b></a>").root
    assert [local(e) for e in root] == ["b"]


# --- property tests: any bytes give items or a typed rejection, quickly ------------------------

PARSERS = (NewsMLG2Parser(), NewsML12Parser())


def _parse_all(raw: bytes) -> None:
    for parser in PARSERS:
        started = time.perf_counter()
        try:
            items = parser.parse(raw)
        except RejectedInput:
            pass
        else:
            assert items and all(isinstance(item, ParsedItem) for item in items)
        assert time.perf_counter() - started < 1.0


@settings(max_examples=300, deadline=1000)
@given(st.binary(max_size=4096))
def test_random_bytes_never_escape(raw: bytes) -> None:
    _parse_all(raw)


@settings(max_examples=200, deadline=1000)
@given(st.text(alphabet=st.sampled_from(list("<>/?!-=\"' &;abxN[]CDAT\n:")), max_size=300))
def test_markup_soup_never_escapes(text: str) -> None:
    _parse_all(("<newsItem>" + text).encode("utf-8"))


@pytest.fixture(scope="module")
def g2_samples() -> list[bytes]:
    return [path.read_bytes() for path in sorted(shared_dir("samples", "newsml-g2").glob("*.xml"))]


_EDITS = st.lists(
    st.tuples(
        st.sampled_from(["flip", "cut", "insert", "delete"]),
        st.floats(0, 1),
        st.binary(min_size=1, max_size=8),
    ),
    min_size=1,
    max_size=6,
)


def _mutate(raw: bytes, edits: list[tuple[str, float, bytes]]) -> bytes:
    data = bytearray(raw)
    for kind, where, payload in edits:
        pos = int(where * max(len(data) - 1, 0))
        if kind == "flip" and data:
            data[pos] ^= payload[0] or 0xFF
        elif kind == "cut":
            del data[pos:]
        elif kind == "insert":
            data[pos:pos] = payload
        elif data:
            del data[pos : pos + len(payload) * 16]
    return bytes(data)


@settings(max_examples=300, deadline=1000)
@given(index=st.integers(min_value=0, max_value=1000), edits=_EDITS)
def test_mutated_real_samples_never_escape(
    g2_samples: list[bytes], index: int, edits: list[tuple[str, float, bytes]]
) -> None:
    _parse_all(_mutate(g2_samples[index % len(g2_samples)], edits))
