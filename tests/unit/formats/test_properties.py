"""Properties of ``parse_message`` over inputs nobody wrote on purpose (hypothesis).

Whatever the bytes, ``parse_message`` with the default parsers returns a list of ``ParsedItem`` or
raises a ``RejectedInput`` (``InternalError``, its report of a parser bug, fails these tests),
within a second, and no text field of a parsed item holds a control character. Inputs: any
bytes, bytes behind each format's typical first bytes, and the golden fixture inputs with bytes
flipped, inserted, deleted or cut off. Examples are derandomized so CI is repeatable; the
``bench/fuzz_parsers.py`` run explores far more inputs with a seed of its choice.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemas.item import ParsedItem
from streams.errors import RejectedInput
from streams.formats.registry import default_parsers, parse_message

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "formats"
INPUTS = sorted(p for p in FIXTURES.glob("*/*") if p.is_file() and not p.name.endswith(".expected.json"))
PARSERS = default_parsers()

PREFIXES = (
    b"\x16\x16\x01",
    b"\x01",
    b"<?xml version='1.0'?><newsItem",
    b"<NewsML",
    b'{"uri":',
    b'{"urn":"x","article_html":',
    b'{"data":{"item":',
)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
TEXT_FIELDS = ("headline", "byline", "update_note", "slugline", "ednote")
CONTROL_CHARS = [chr(c) for c in (*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F)]
JSON_FORMATS = {"ninjs", "digitalwires", "ap_json"}
TIME_LIMIT = 1.0

FUZZ = settings(
    max_examples=150,
    deadline=None,  # timed by hand below: one limit, measured the same way everywhere
    derandomize=True,
    database=None,  # derandomized: the same examples every run, nothing to replay
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def control_fields(item: ParsedItem) -> dict[str, str]:
    """The text fields of an item that hold a control character, by name."""
    found = {name: value for name in TEXT_FIELDS if CONTROL.search(value := getattr(item, name) or "")}
    found.update({f"paragraphs[{i}]": p for i, p in enumerate(item.paragraphs) if CONTROL.search(p)})
    return found


def check(raw: bytes, hint: str | None = None) -> list[ParsedItem]:
    """Parse under the contract: items or a typed rejection, in time, text free of controls."""
    started = time.perf_counter()
    try:
        items = parse_message(raw, PARSERS, hint=hint)
    except RejectedInput:
        items = []
    elapsed = time.perf_counter() - started
    assert elapsed < TIME_LIMIT, f"{elapsed:.2f}s for {len(raw)} bytes"
    assert isinstance(items, list)
    for item in items:
        assert isinstance(item, ParsedItem)
        assert not control_fields(item), f"{item.format}: control characters in {control_fields(item)}"
    return items


# --- any bytes -----------------------------------------------------------------------------------


@FUZZ
@given(st.binary(max_size=4096))
def test_any_bytes(raw: bytes) -> None:
    check(raw)


@FUZZ
@given(st.sampled_from(PREFIXES), st.binary(max_size=2048))
def test_bytes_behind_a_format_prefix(prefix: bytes, tail: bytes) -> None:
    check(prefix + tail)


@FUZZ
@given(
    st.sampled_from(PREFIXES),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=1024),
)
def test_text_behind_a_format_prefix(prefix: bytes, tail: str) -> None:
    # Text gets past the charset checks that stop most random bytes.
    check(prefix + tail.encode("utf-8"))


@FUZZ
@given(st.sampled_from(sorted(PARSERS)), st.binary(max_size=2048))
def test_any_bytes_forced_on_each_parser(hint: str, raw: bytes) -> None:
    check(raw, hint=hint)


# --- mutated real inputs -------------------------------------------------------------------------


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(INPUTS)).read_bytes())
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(("flip", "insert", "delete", "truncate")))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "flip" and data:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif op == "delete":
            del data[at : at + draw(st.integers(1, 64))]
        elif op == "truncate":
            del data[at:]
    return bytes(data)


def test_fixture_inputs_exist() -> None:
    assert len(INPUTS) >= 40
    assert {p.parent.name for p in INPUTS} == set(PARSERS)


@pytest.mark.parametrize("path", INPUTS, ids=[f"{p.parent.name}/{p.name}" for p in INPUTS])
def test_unmutated_fixture_satisfies_the_contract(path: Path) -> None:
    assert check(path.read_bytes())


@settings(FUZZ, max_examples=400)
@given(mutated())
def test_mutated_fixture(raw: bytes) -> None:
    check(raw)


@settings(FUZZ, max_examples=100)
@given(mutated(), st.sampled_from(sorted(PARSERS)))
def test_mutated_fixture_forced_on_each_parser(raw: bytes, hint: str) -> None:
    check(raw, hint=hint)


# --- control characters in the text an agency sent -----------------------------------------------


# Per format: how to write a string into the message so the parser reads it back as that string.
def _json_escape(text: str) -> str:
    return json.dumps(text)[1:-1]


def _xml_escape(text: str) -> str:
    # XML 1.0 cannot carry other C0 controls at all, not even as references; CR must be a reference.
    legal = "".join(c for c in text if c in "\t\n\r" or not CONTROL.match(c))
    return legal.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _expected(path: Path) -> list[dict[str, object]]:
    expected_path = path.with_name(path.name.rsplit(".", 1)[0] + ".expected.json")
    items: list[dict[str, object]] = json.loads(expected_path.read_text("utf-8"))
    return items


def _charset(path: Path) -> str:
    """The charset the golden item records for this input (cp1252, latin-1 or UTF-8)."""
    return str(_expected(path)[0]["charset"])


def _injection_points(path: Path) -> list[tuple[int, str]]:
    """Where the fixture's headline, byline, slugline, ednote and first paragraph start in its text."""
    raw_text = path.read_bytes().decode(_charset(path))
    points = []
    for item in _expected(path):
        for name in (*TEXT_FIELDS, "paragraphs"):
            value = item.get(name)
            value = value[0] if name == "paragraphs" and isinstance(value, list) and value else value
            if not isinstance(value, str) or len(value) < 8:
                continue
            # A stretch of the value as written in the message, so the injection lands inside it.
            probe = value[:6]
            if path.suffix == ".json":
                probe = _json_escape(probe)
            at = raw_text.find(probe)
            if at >= 0:
                points.append((at + len(probe) // 2, name))
    return points


def _inject(path: Path, text: str) -> bytes:
    """The fixture with ``text`` written into each of its text fields, in the fixture's charset."""
    charset = _charset(path)
    raw_text = path.read_bytes().decode(charset)
    if path.suffix == ".xml":
        escaped, errors = _xml_escape(text), "xmlcharrefreplace"
    elif path.suffix == ".json":
        escaped, errors = _json_escape(text), "strict"
    else:
        escaped, errors = text, "replace"
    for at, _ in sorted(set(_injection_points(path)), reverse=True):
        raw_text = raw_text[:at] + escaped + raw_text[at:]
    return raw_text.encode(charset, errors)


# A string with at least one control character, between ordinary words.
CONTROLLED = st.builds(
    lambda before, control, after: f"{before}{control}{after}",
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=8),
    st.text(alphabet=st.sampled_from(CONTROL_CHARS), min_size=1, max_size=4),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=8),
)


@pytest.mark.parametrize(
    "path",
    [p for p in INPUTS if _injection_points(p)],
    ids=lambda p: f"{p.parent.name}/{p.name}" if isinstance(p, Path) else str(p),
)
@settings(FUZZ, max_examples=25)
@given(text=CONTROLLED)
def test_control_characters_never_reach_text_fields(path: Path, text: str) -> None:
    check(_inject(path, text))


def test_injection_reaches_every_format() -> None:
    assert {p.parent.name for p in INPUTS if _injection_points(p)} == set(PARSERS)
