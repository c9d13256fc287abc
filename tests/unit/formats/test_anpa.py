"""ANPA 1312 (AP): envelope fields, urgency letters, update signals, dateline, trailer and identity."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.item import ParsedItem, UpdateType
from streams.errors import MissingContent, RejectedInput
from streams.formats.anpa import AnpaParser
from streams.formats.registry import default_parsers, detect, parse_message

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "formats" / "anpa"
BODY = [
    "\t   KASSEL, Germany (AP) _ German engineering company Nordwerk said Tuesday it will cut"
    " about 1,200 jobs.",
    "\t   The company gave no timetable for the cuts.",
]


def message(
    *header_lines: str,
    envelope: str = "a0193\x1f-----",
    category: str = "u i",
    slug: str = "BC-EU--Germany-Nordwerk      10-14 0142",
    body: list[str] | None = None,
    trailer: str = "AP-WF-10-14-25 1012GMT",
) -> bytes:
    lines = [
        f"\x16\x16\x01{envelope}",
        f"{category}\x13\x11 {slug}",
        "\x02" + (header_lines[0] if header_lines else ""),
        *header_lines[1:],
        *(BODY if body is None else body),
        f"\t   \x03{trailer}<",
        "\x0c",
        "\x04",
    ]
    return "\r\n".join(lines).encode("utf-8")


def parse(raw: bytes) -> ParsedItem:
    items = parse_message(raw, default_parsers())
    assert len(items) == 1
    assert items[0].format == "anpa"
    return items[0]


def test_envelope_and_slug_fields() -> None:
    item = parse(
        message("^BC-EU--Germany-Nordwerk,0142<", "^URGENT<", "^German firm Nordwerk to cut 1,200 jobs<")
    )
    assert item.header == {
        "service": "a",
        "message_number": "0193",
        "selector": "-----",
        "priority": "u",
        "category": "i",
        "format": "text",
        "slug": "BC-EU--Germany-Nordwerk",
        "slug_date": "10-14",
        "word_count": "0142",
        "cycle": "BC",
        "desk": "EU",
        "slug_line": "BC-EU--Germany-Nordwerk,0142",
        "trailer": "AP-WF-10-14-25 1012GMT",
    }
    assert item.slugline == "BC-EU--Germany-Nordwerk"
    assert item.headline == "German firm Nordwerk to cut 1,200 jobs"
    assert item.signals == ("label:URGENT",)
    assert (item.agency, item.agency_family, item.language) == ("AP", "ap", "en")
    assert item.version_created == datetime(2025, 10, 14, 10, 12, tzinfo=UTC)


def test_dateline_with_underscore_dash() -> None:
    item = parse(message("^Headline<"))
    assert item.dateline is not None
    assert (item.dateline.place, item.dateline.agency) == ("KASSEL, Germany", "AP")
    assert item.paragraphs[0].startswith("German engineering company Nordwerk said Tuesday")
    assert item.paragraphs[1] == "The company gave no timetable for the cuts."


@pytest.mark.parametrize(
    ("letter", "urgency"),
    [("f", 1), ("b", 2), ("u", 3), ("r", 5), ("s", 5), ("d", 6), ("w", 7), ("a", 7), ("x", None)],
)
def test_priority_letters(letter: str, urgency: int | None) -> None:
    item = parse(message("^Headline<", category=f"{letter} i"))
    assert item.urgency == urgency
    assert item.header["priority"] == letter


def test_writethru_with_eds_note_and_byline() -> None:
    item = parse((FIXTURES / "writethru_eds.txt").read_bytes())
    assert item.update_type is UpdateType.DEVELOPMENT
    assert item.update_seq == 1
    assert item.header["version"] == "1st Ld-Writethru"
    assert item.update_note == item.ednote == "Updates with union reaction, share price. Adds byline."
    assert item.byline == "MARTIN KELLER"
    assert item.header["byline_title"] == "Associated Press"
    assert "___" not in item.paragraphs


def test_envelope_version_field_alone_counts() -> None:
    item = parse(message("^Headline<", slug="BC-EU--Germany-Nordwerk 2ndLd-Writethru   10-14 0502"))
    assert item.header["version"] == "2ndLd-Writethru"
    assert (item.update_type, item.update_seq) == (UpdateType.DEVELOPMENT, 2)


def test_eds_correction_outranks_the_writethru() -> None:
    item = parse(
        message(
            "^BC-EU--Germany-Nordwerk, 2nd Ld-Writethru,0502<",
            "^Nordwerk to cut 1,200 jobs<",
            "^Eds: CORRECTS number of jobs in 2nd paragraph.<",
        )
    )
    assert item.update_type is UpdateType.CORRECTION
    assert item.update_seq == 2


def test_spelling_fix_is_minor_and_the_writethru_decides() -> None:
    # The shared grammar reads spelling fixes as minor (TT's KORR); minor ranks below development.
    item = parse(
        message(
            "^BC-EU--Germany-Nordwerk, 2nd Ld-Writethru,0502<",
            "^Nordwerk to cut 1,200 jobs<",
            "^Eds: CORRECTS spelling of union leader's name in 4th paragraph.<",
        )
    )
    assert item.update_type is UpdateType.DEVELOPMENT
    assert item.signals == ("eds", "writethru:2")


def test_apnewsalert_without_headline_uses_the_lead() -> None:
    item = parse((FIXTURES / "apnewsalert.txt").read_bytes())
    assert "label:APNewsAlert" in item.signals
    assert item.update_type is UpdateType.NEW
    assert item.urgency == 2
    assert item.headline == "German engineering company Nordwerk says it will cut about 1,200 jobs."
    assert item.header["headline_source"] == "lead"


@pytest.mark.parametrize(
    ("lines", "slug"),
    [
        (("^Kill<", "^Headline<"), "BC-EU--Germany-Nordwerk      10-14 0058"),
        (("^KILL<", "^Headline<"), "BC-EU--Germany-Nordwerk      10-14 0058"),
        (("^Headline<",), "BC-EU--Germany-Nordwerk Kill   10-14 0058"),
    ],
)
def test_kill(lines: tuple[str, ...], slug: str) -> None:
    item = parse(message(*lines, slug=slug))
    assert item.update_type is UpdateType.WITHDRAWAL
    assert item.pubstatus == "canceled"


def test_kill_fixture_signals_are_not_repeated() -> None:
    item = parse((FIXTURES / "kill.txt").read_bytes())
    assert item.signals.count("label:Kill") == 1
    assert item.ednote is not None
    assert item.ednote.startswith("Nordwerk says the job cut figures it released were wrong.")


def test_tabular_item() -> None:
    item = parse((FIXTURES / "tabular.txt").read_bytes())
    assert item.header["format"] == "tabular"
    assert item.headline == "Bundesliga Table"
    assert item.paragraphs == (";P;W;D;L;Pts", "Kassel United;7;5;1;1;16")


def test_trailer_variants() -> None:
    assert parse(message("^H<", trailer="AP-WF-02-20-16 0337GMT")).version_created == datetime(
        2016, 2, 20, 3, 37, tzinfo=UTC
    )
    bad = parse(message("^H<", trailer="AP-WF-13-45-16 0337GMT"))
    assert bad.version_created is None
    assert bad.header["trailer"] == "AP-WF-13-45-16 0337GMT"


def test_same_bytes_same_id() -> None:
    raw = message("^Headline<")
    first = parse(raw)
    assert parse(raw).item_id == first.item_id
    assert first.item_id.startswith("urn:wirefeed:anpa:")
    assert not first.item_id_explicit


def test_same_story_under_two_category_headers_has_one_id() -> None:
    lines = ("^BC-EU--Germany-Nordwerk,0142<", "^URGENT<", "^Nordwerk to cut 1,200 jobs<")
    international = parse(message(*lines, envelope="a0193\x1f-----", category="u i"))
    financial = parse(
        message(*lines, envelope="f0208\x1fbizz", category="r f", trailer="AP-WF-10-14-25 1013GMT")
    )
    assert international.header["category"] != financial.header["category"]
    assert international.item_id == financial.item_id


def test_other_story_version_or_text_gives_another_id() -> None:
    base = parse(message("^Headline<"))
    assert parse(message("^Other headline<")).item_id != base.item_id
    writethru = message("^Headline<", slug="BC-EU--Germany-Nordwerk 1stLd-Writethru   10-14 0142")
    assert parse(writethru).item_id != base.item_id
    other_slug = message("^Headline<", slug="BC-EU--Germany-Sudwerk      10-14 0142")
    assert parse(other_slug).item_id != base.item_id


def test_several_messages_give_several_items() -> None:
    raw = message("^First<") + message("^Second<", envelope="a0194\x1f-----")
    assert [item.headline for item in parse_message(raw, default_parsers())] == ["First", "Second"]


def test_missing_content_is_rejected() -> None:
    with pytest.raises(MissingContent):
        parse_message(message(body=[]), default_parsers())
    with pytest.raises(MissingContent):
        AnpaParser().parse(b"\x16\x16")


def test_sniff() -> None:
    parsers = default_parsers()
    assert detect(b" \r\n\x16\x16\x01a0193\x1f-----", parsers).name == "anpa"
    assert AnpaParser().sniff(b"\x16\x01a0193")
    assert not AnpaParser().sniff(b"\x01bdt0412 2 wi 37  dpa 1187")


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.txt")), ids=lambda p: p.name)
def test_no_control_characters_in_any_text_field(path: Path) -> None:
    for item in parse_message(path.read_bytes(), default_parsers()):
        for value in _strings(item.model_dump(mode="json")):
            assert not any(ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F for ch in value), value


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


_FRAGMENTS = st.sampled_from(
    [
        "\x16",
        "\x01",
        "\x02",
        "\x03",
        "\x04",
        "\x0c",
        "\x1f",
        "\x13\x11",
        "\x14\x12",
        "\t   ",
        "\r\n",
        "^",
        "<",
        "=",
        "a0193",
        "u i",
        "BC-EU--Germany-Nordwerk",
        " 1stLd-Writethru ",
        ",",
        " 10-14 0142",
        "^Kill<",
        "^URGENT<",
        "^Eds: Updates with x.<",
        "^By A B=",
        "KASSEL, Germany (AP) _ ",
        "AP-WF-10-14-25 1012GMT",
        "AP-WF-99-99-99 9999",
        "APNewsAlert",
        "Text.",
        "\x00",
        "é",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600))
def test_any_bytes_after_syn_syn_soh_parse_or_reject(tail: bytes) -> None:
    _parse_or_reject(b"\x16\x16\x01" + tail)


@settings(max_examples=300, deadline=None)
@given(st.lists(_FRAGMENTS, max_size=40))
def test_any_fragment_soup_parses_or_rejects(parts: list[str]) -> None:
    _parse_or_reject(("\x16\x16\x01" + "".join(parts)).encode("utf-8"))


def _parse_or_reject(raw: bytes) -> None:
    try:
        items = parse_message(raw, default_parsers())
    except RejectedInput:
        return
    assert items and all(isinstance(item, ParsedItem) for item in items)


def test_message_without_stx_and_etx() -> None:
    raw = (
        b"\x16\x16\x01a0193\x1f-----\r\nu i\x13\x11 BC-EU--Germany-Nordwerk      10-14 0142\r\n"
        b"^Headline here<\r\n\t   KASSEL, Germany (AP) _ Text of the story.\r\n"
        b"\t   AP-WF-10-14-25 1012GMT<\r\n"
    )
    item = parse(raw)
    assert (item.headline, item.paragraphs) == ("Headline here", ("Text of the story.",))
    assert item.version_created == datetime(2025, 10, 14, 10, 12, tzinfo=UTC)
