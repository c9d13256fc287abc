"""The safe JSON entry point and the promise of the three JSON parsers: items or RejectedInput."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemas.item import ParsedItem
from streams.errors import MalformedJson, RejectedInput, TooDeep
from streams.formats.ap_json import ApJsonParser
from streams.formats.digitalwires import DigitalwiresParser
from streams.formats.jsonsafe import (
    get_dict,
    get_int,
    get_list,
    get_str,
    load_object,
    sniff_kind,
)
from streams.formats.ninjs import NinjsParser

PARSERS = (NinjsParser(), DigitalwiresParser(), ApJsonParser())


def _shared_samples(kind: str) -> list[Path]:
    """Real samples in ../shared beside the repository; an empty list when that is absent."""
    repo = next((p for p in Path(__file__).resolve().parents if (p / "pyproject.toml").is_file()), None)
    folder = repo.parent / "shared" / "samples" / kind if repo else None
    return sorted(folder.glob("*.json")) if folder and folder.is_dir() else []


SAMPLES = [p.read_bytes() for p in _shared_samples("digitalwires") + _shared_samples("ninjs")]


def _items_or_rejected(raw: bytes) -> None:
    """Every JSON parser, on any bytes, returns items or raises RejectedInput, within a second."""
    for parser in PARSERS:
        started = time.perf_counter()
        try:
            items = parser.parse(raw)
        except RejectedInput:
            pass
        else:
            assert all(isinstance(item, ParsedItem) for item in items)
            for item in items:
                json.dumps(item.model_dump(mode="json"), ensure_ascii=False).encode("utf-8")
        assert time.perf_counter() - started < 1.0, parser.name


# --- load_object ---------------------------------------------------------------------------


@pytest.mark.parametrize("constant", [b"NaN", b"Infinity", b"-Infinity", b"1e999", b"-1e400"])
def test_non_finite_numbers_are_malformed(constant: bytes) -> None:
    with pytest.raises(MalformedJson):
        load_object(b'{"uri": "x", "v": ' + constant + b"}")


def test_deep_nesting_is_rejected_before_parsing_and_fast() -> None:
    raw = b'{"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    started = time.perf_counter()
    with pytest.raises(TooDeep):
        load_object(raw)
    assert time.perf_counter() - started < 0.5
    with pytest.raises(TooDeep):
        load_object(b'{"a": ' + b'{"b": ' * 100_000)


def test_depth_cap_counts_only_structure() -> None:
    within = b'{"a": ' + b"[" * 63 + b"]" * 63 + b"}"
    assert load_object(within)[0]["a"]
    brackets_in_string = json.dumps({"a": "[" * 1000 + '\\"{'}).encode()
    assert load_object(brackets_in_string)[0]["a"].startswith("[[[")
    with pytest.raises(TooDeep):
        load_object(b'{"a": ' + b"[" * 64 + b"]" * 64 + b"}")


def test_lone_surrogates_are_removed_pairs_kept() -> None:
    doc, _ = load_object(b'{"h": "a\\ud800b", "k\\udfff": ["\\udc00"], "emoji": "\\ud83d\\ude00"}')
    assert doc == {"h": "ab", "k": [""], "emoji": "\U0001f600"}
    json.dumps(doc, ensure_ascii=False).encode("utf-8")


@pytest.mark.parametrize("raw", [b"[]", b'["uri"]', b"42", b'"text"', b"null", b"true"])
def test_non_object_top_level_is_malformed(raw: bytes) -> None:
    with pytest.raises(MalformedJson, match="top level"):
        load_object(raw)


@pytest.mark.parametrize("raw", [b'{"uri": "x", "headline": "Nordw', b'{"uri": ', b"{", b"", b"\xff\xfe{"])
def test_truncated_or_broken_json_is_malformed(raw: bytes) -> None:
    with pytest.raises(MalformedJson) as caught:
        load_object(raw)
    assert caught.value.__cause__ is not None


def test_huge_integer_is_malformed_not_value_error() -> None:
    with pytest.raises(MalformedJson):
        load_object(b'{"version": ' + b"9" * 5000 + b"}")


def test_cp1252_bytes_decode_and_record_charset() -> None:
    raw = '{"uri": "u", "headline": "Müller zahlt 5 € – „ok“"}'.encode("cp1252")
    doc, charset = load_object(raw)
    assert charset == "cp1252"
    assert doc["headline"] == "Müller zahlt 5 € – „ok“"


def test_utf8_bom_is_accepted() -> None:
    doc, charset = load_object(b'\xef\xbb\xbf{"uri": "u"}')
    assert (doc, charset) == ({"uri": "u"}, "utf-8")


# --- typed access --------------------------------------------------------------------------


def test_accessors_never_raise_on_odd_shapes() -> None:
    doc = {"s": "  x ", "n": 3, "b": True, "l": [1, "a"], "d": {"k": 1}, "ns": "7", "big": "9" * 40}
    assert get_str(doc, "missing", "n", "s") == "x"
    assert get_str("not a dict", "s") is None
    assert get_int(doc, "b", "n") == 3
    assert get_int(doc, "ns") == 7
    assert get_int(doc, "big") is None
    assert get_list(doc, "l") == [1, "a"]
    assert get_list(doc, "d") == [{"k": 1}]
    assert get_list(doc, "n") == []
    assert get_dict(doc, "l", "d") == {"k": 1}
    assert get_dict(None, "d") == {}


# --- sniffing ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        (b'{"entry_id": "e", "urn": "urn:x", "version": 1}', "digitalwires"),
        (b'{"entries": [{"urn": "urn:x", "article_html": ""}]}', "digitalwires"),
        (b'{"uri": "https://api.ap.org/x", "altids": {"itemid": "abc"}}', "ap_json"),
        (b'{"params": {"q": 1}, "data": {"items": []}}', "ap_json"),
        (b'{"uri": "urn:x", "altids": [{"role": "itemid", "value": "v"}]}', "ninjs"),
        (b'  \n{"uri": "urn:x"}', "ninjs"),
        (b'{"urn": "urn:x"}', None),
        (b'[{"uri": "urn:x"}]', None),
        (b"<xml/>", None),
    ],
)
def test_sniff_kind_is_unambiguous(raw: bytes, kind: str | None) -> None:
    assert sniff_kind(raw) == kind
    assert [p.name for p in PARSERS if p.sniff(raw)] == ([kind] if kind else [])


# --- the promise: any bytes → items or RejectedInput ----------------------------------------


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_random_bytes(raw: bytes) -> None:
    _items_or_rejected(raw)
    _items_or_rejected(b"{" + raw)


_JSONISH = st.sampled_from(
    [
        b"{",
        b"}",
        b"[",
        b"]",
        b'"',
        b"\\",
        b",",
        b":",
        b"null",
        b"NaN",
        b"1e999",
        b"\\ud800",
        b"<p>",
        b"</span>",
        b'<span class="dateline">',
        b"\xff",
        b"\x00",
        b"-",
        b"0",
        b'"uri"',
        b'"urn"',
        b"{}",
    ]
)


@pytest.mark.skipif(not SAMPLES, reason="../shared/samples is absent")
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_real_samples(data: st.DataObject) -> None:
    raw = bytearray(data.draw(st.sampled_from(SAMPLES)))
    for _ in range(data.draw(st.integers(1, 8))):
        at = data.draw(st.integers(0, len(raw)))
        action = data.draw(st.sampled_from(["insert", "delete", "flip", "truncate"]))
        if action == "insert":
            raw[at:at] = data.draw(_JSONISH)
        elif action == "delete":
            del raw[at : at + data.draw(st.integers(1, 50))]
        elif action == "flip" and at < len(raw):
            raw[at] = data.draw(st.integers(0, 255))
        elif action == "truncate":
            del raw[at:]
    _items_or_rejected(bytes(raw))


@pytest.mark.skipif(not SAMPLES, reason="../shared/samples is absent")
def test_samples_with_every_value_replaced_by_odd_types() -> None:
    odd: list[object] = [None, 0, -1, True, 1.5, "", "x" * 10, [], {}, [None], {"a": [1]}, "<p>"]
    for raw in SAMPLES:
        doc = json.loads(raw)
        for key in doc:
            for value in odd:
                _items_or_rejected(json.dumps({**doc, key: value}).encode())
