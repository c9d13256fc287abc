"""IPTC 7901 (dpa framing): header fields, markers, body conventions, trailer time and identity."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.item import ParsedItem, UpdateType
from streams.errors import MissingContent, RejectedInput
from streams.formats.iptc7901 import Iptc7901Parser
from streams.formats.registry import default_parsers, detect, parse_message

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "formats" / "iptc7901"
BODY = [
    "",
    "Kassel (dpa) - Der Anlagenbauer Nordwerk will rund 1200 Stellen",
    "streichen. Das teilte das Unternehmen am Dienstag in Kassel mit.",
    "",
    "dpa kpe yyhe n1 lhb",
    "",
]


def frame(
    *text: str,
    header: str = "bdt0412 2 wi 37  dpa 1187",
    keywords: str = "Unternehmen/Industrie/Arbeitsmarkt/Hessen/",
    trailer: str = "141012 Okt 25",
    body: list[str] | None = None,
    encoding: str = "utf-8",
) -> bytes:
    lines = [f"\x01{header}", "", keywords, "\x02" + text[0], *text[1:], *(BODY if body is None else body)]
    return "\r\n".join([*lines, f"\x03{trailer}", "\x7f", "\x7f\x04"]).encode(encoding)


def parse(raw: bytes) -> ParsedItem:
    items = parse_message(raw, default_parsers())
    assert len(items) == 1
    assert items[0].format == "iptc7901"
    return items[0]


def test_header_line_fields_and_keywords() -> None:
    item = parse(frame("(Eil \x07\x07\x07\x07\x07)", "Nordwerk kündigt Abbau von 1200 Stellen an ="))
    assert item.header == {
        "service": "bdt",
        "sequence": "0412",
        "priority": "2",
        "desk": "wi",
        "word_count": "37",
        "agency": "dpa",
        "message_number": "1187",
        "trailer": "141012 Okt 25",
        "trailer_tz": "Europe/Berlin",
    }
    assert item.service == "bdt"
    assert (item.agency, item.agency_family, item.language) == ("dpa", "dpa", "de")
    assert item.keywords == ("Unternehmen", "Industrie", "Arbeitsmarkt", "Hessen")
    assert item.slugline == "Unternehmen/Industrie/Arbeitsmarkt/Hessen"
    assert item.headline == "Nordwerk kündigt Abbau von 1200 Stellen an"
    assert item.dateline is not None
    assert (item.dateline.place, item.dateline.agency) == ("Kassel", "dpa")
    assert item.paragraphs == (
        "Der Anlagenbauer Nordwerk will rund 1200 Stellen streichen. Das teilte das Unternehmen am "
        "Dienstag in Kassel mit.",
    )
    assert item.closing == "dpa kpe yyhe n1 lhb"


def test_header_with_selector_in_front_of_agency() -> None:
    item = parse(frame("Titel =", header="bkn014 4 pl 171 vvvvb KNA 170123-89-00065#2"))
    assert item.header["agency"] == "KNA"
    assert item.header["message_number"] == "170123-89-00065#2"
    assert item.header["extra"] == "vvvvb"
    assert item.agency_family == "kna"


@pytest.mark.parametrize(
    ("lines", "header", "urgency"),
    [
        (["(Eil \x07\x07\x07\x07\x07)", "Titel ="], "bdt0412 4 wi 37  dpa 1187", 2),
        (["(Blitz " + "\x07" * 10 + ")", "Titel ="], "bdt0412 4 wi 37  dpa 1187", 1),
        (["Titel \x07\x07\x07\x07\x07="], "bdt0412 4 wi 37  dpa 1187", 2),  # the bells alone count
        (["Titel ="], "bdt0412 4 wi 37  dpa 1187", 4),
        (["URGENT: \x07\x07\x07\x07\x07 Title ="], "eca0412 3 i 37  dpa 1187", 2),
        (["Titel ="], "bdt0412 0 wi 37  dpa 1187", None),
    ],
)
def test_urgency(lines: list[str], header: str, urgency: int | None) -> None:
    assert parse(frame(*lines, header=header)).urgency == urgency


@pytest.mark.parametrize(
    ("lines", "update_type", "note", "seq"),
    [
        (["Titel ="], UpdateType.NEW, None, None),
        (
            ["(Berichtigung: 1200 statt 1500 Stellen)", "Titel ="],
            UpdateType.CORRECTION,
            "1200 statt 1500 Stellen",
            None,
        ),
        (["(Wiederholung: ohne Änderung)", "Titel ="], UpdateType.RESEND, "ohne Änderung", None),
        (["(Aktualisierung: Reaktion ergänzt)", "Titel ="], UpdateType.DEVELOPMENT, "Reaktion ergänzt", None),
        (["(Zusammenfassung 0645)", "Titel ="], UpdateType.DEVELOPMENT, None, None),
        (["REFILE", "Title ="], UpdateType.RESEND, None, None),
        (["Correction", "Title ="], UpdateType.CORRECTION, None, None),
        (["1ST LEAD", "Title ="], UpdateType.DEVELOPMENT, None, 1),
        (["KILL KILL KILL", "The story is withdrawn. ="], UpdateType.WITHDRAWAL, None, None),
        (
            ["(Achtung) Die Meldung wird zurückgezogen.", "Titel ="],
            UpdateType.WITHDRAWAL,
            "Die Meldung wird zurückgezogen.",
            None,
        ),
    ],
)
def test_update_markers(lines: list[str], update_type: UpdateType, note: str | None, seq: int | None) -> None:
    item = parse(frame(*lines))
    assert item.update_type is update_type
    assert item.update_note == note
    assert item.update_seq == seq
    assert item.headline in {"Titel", "Title", "The story is withdrawn."}
    assert item.pubstatus == ("canceled" if update_type is UpdateType.WITHDRAWAL else "usable")


def test_wrapped_achtung_note_stops_at_the_sentence_end() -> None:
    item = parse(
        frame("(Achtung) Die Meldung «Nordwerk» (dpa 1209)", "wird zurückgezogen.", "Nordwerk =", "")
    )
    assert item.update_note == "Die Meldung «Nordwerk» (dpa 1209) wird zurückgezogen."
    assert item.headline == "Nordwerk"


def test_achtung_genre_alone_is_no_withdrawal() -> None:
    item = parse(frame("(Achtung)", "Termin verschoben ="))
    assert item.genre == "Achtung"
    assert item.update_type is UpdateType.NEW
    assert item.pubstatus == "usable"


def test_genre_byline_and_picture_note() -> None:
    item = parse(
        frame(
            "(Zusammenfassung 1430)", "Nordwerk streicht Stellen", "Von Karla Peters, dpa", "(Foto Archiv) ="
        )
    )
    assert item.genre == "Zusammenfassung 1430"
    assert item.byline == "Karla Peters"
    assert item.header["picture"] == "Foto Archiv"
    assert item.headline == "Nordwerk streicht Stellen"
    assert all("Foto" not in p for p in item.paragraphs)


def test_notizblock_keeps_only_the_public_part_out_of_the_body() -> None:
    item = ParsedItem.model_validate(parse((FIXTURES / "zusammenfassung.txt").read_bytes()).model_dump())
    assert item.header["notizblock"].startswith("## Redaktionelle Hinweise\n- Weitere Zusammenfassung")
    assert all("Notizblock" not in p and "Redaktionelle" not in p for p in item.paragraphs)
    dumped = str(item.model_dump())
    assert "nicht zur Veröffentlichung" not in dumped
    assert "+49 561" not in dumped
    assert item.closing == "dpa kpe yyhe z2 lhb"


def test_teaser_before_the_dateline_paragraph() -> None:
    body = ["", "Ein Kurztext vorab.", "", "Kassel (dpa) - Der eigentliche Text.", ""]
    item = parse(frame("Titel =", body=body))
    assert item.dateline is not None and item.dateline.place == "Kassel"
    assert item.paragraphs == ("Ein Kurztext vorab.", "Der eigentliche Text.")


@pytest.mark.parametrize(
    ("trailer", "expected"),
    [
        ("141012 Okt 25", datetime(2025, 10, 14, 8, 12, tzinfo=UTC)),  # CEST
        ("031745 Mär 25", datetime(2025, 3, 3, 16, 45, tzinfo=UTC)),  # CET
        ("031745 Mrz 25", datetime(2025, 3, 3, 16, 45, tzinfo=UTC)),
        ("241205 Dez 24", datetime(2024, 12, 24, 11, 5, tzinfo=UTC)),
        ("141210 GMT Oct 25", datetime(2025, 10, 14, 12, 10, tzinfo=UTC)),
        ("011200 Mai 2025", datetime(2025, 5, 1, 10, 0, tzinfo=UTC)),
        ("311012 Feb 25", None),  # no such day
        ("141012", None),  # no month, no year
        ("141012 Xyz 25", None),
    ],
)
def test_trailer_time(trailer: str, expected: datetime | None) -> None:
    item = parse(frame("Titel =", trailer=trailer))
    assert item.version_created == expected
    assert item.header["trailer"] == trailer
    if expected is not None:
        assert item.version_created is not None and item.version_created.tzinfo is not None


def test_trailer_without_etx_is_taken_from_the_last_line() -> None:
    raw = "\x01bdt0412 2 wi 37  dpa 1187\r\n\r\nA/B/\r\n\x02Titel =\r\n\r\nKassel (dpa) - Text.\r\n\r\n"
    raw += "141012 Okt 25\r\n"
    item = parse(raw.encode())
    assert item.version_created == datetime(2025, 10, 14, 8, 12, tzinfo=UTC)
    assert item.paragraphs == ("Text.",)


def test_language_by_service() -> None:
    assert parse(frame("Title =", header="eca0217 3 i 188  dpa 0533")).language == "en"
    assert parse(frame("Titel =", header="nsb0217 3 vm 88  lni 0533")).language is None
    regional = parse(frame("Titel =", header="nsb0217 3 vm 88  lni 0533"))
    assert (regional.agency, regional.agency_family) == ("lni", "dpa")


def test_same_bytes_same_id_and_resend_keeps_the_id() -> None:
    first = parse(frame("Titel ="))
    assert parse(frame("Titel =")).item_id == first.item_id
    assert first.item_id.startswith("urn:wirefeed:iptc7901:")
    assert not first.item_id_explicit
    # Re-sent under the same message number: new service sequence, later the same day, a note.
    resent = parse(
        frame(
            "(Wiederholung: erneut gesendet)",
            "Titel =",
            header="bdt0415 2 wi 37  dpa 1187",
            trailer="141105 Okt 25",
        )
    )
    assert resent.update_type is UpdateType.RESEND
    assert resent.item_id == first.item_id


def test_other_message_number_or_text_gives_another_id() -> None:
    first = parse(frame("Titel ="))
    assert parse(frame("Titel =", header="bdt0412 2 wi 37  dpa 1188")).item_id != first.item_id
    assert parse(frame("Anderer Titel =")).item_id != first.item_id


def test_cp1252_bytes_are_decoded_and_recorded() -> None:
    item = parse(frame("Bürgschaft für „Nordwerk“ =", trailer="031745 Mär 25", encoding="cp1252"))
    assert item.charset == "cp1252"
    assert item.headline == "Bürgschaft für „Nordwerk“"
    assert item.version_created == datetime(2025, 3, 3, 16, 45, tzinfo=UTC)


def test_several_frames_give_several_items() -> None:
    raw = frame("Erster Titel =") + b"\r\n" + frame("Zweiter Titel =", header="bdt0413 4 wi 37  dpa 1188")
    items = parse_message(raw, default_parsers())
    assert [item.headline for item in items] == ["Erster Titel", "Zweiter Titel"]


def test_missing_content_is_rejected() -> None:
    with pytest.raises(MissingContent):
        empty = b"\x01bdt0412 2 wi 37  dpa 1187\r\n\r\nA/B/\r\n\x02\r\n\x03141012 Okt 25\r\n\x04"
        parse_message(empty, default_parsers())
    with pytest.raises(MissingContent):
        Iptc7901Parser().parse(b"no frame here")


def test_sniff() -> None:
    parsers = default_parsers()
    assert detect(b"\r\n\x01bdt0412 2 wi 37  dpa 1187", parsers).name == "iptc7901"
    assert detect(b"\x16\x16\x01a0193\x1f-----", parsers).name == "anpa"
    assert not Iptc7901Parser().sniff(b"Kassel (dpa) - Text")


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.txt")), ids=lambda p: p.name)
def test_no_control_characters_in_any_text_field(path: Path) -> None:
    for item in parse_message(path.read_bytes(), default_parsers()):
        for value in _strings(item.model_dump(mode="json")):
            assert not any((ord(ch) < 0x20 and ch != "\n") or 0x7F <= ord(ch) <= 0x9F for ch in value), value


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
        "\x01",
        "\x02",
        "\x03",
        "\x04",
        "\x07",
        "\x7f",
        "\r\n",
        "\n\n",
        " =",
        "(",
        ")",
        "/",
        "bdt0412 2 wi 37  dpa 1187",
        "(Eil \x07\x07\x07\x07\x07)",
        "(Achtung) ",
        "(Berichtigung: x)",
        "KILL KILL KILL",
        "1ST LEAD",
        "REFILE",
        "Von A B, dpa",
        "(Foto x)",
        "Kassel (dpa) - ",
        "# Notizblock",
        "Die folgenden Informationen sind nicht zur Veröffentlichung bestimmt",
        "dpa kpe yyhe",
        "141012 Okt 25",
        "311099 Feb 25",
        "Text.",
        "ä",
        "\x00",
        "\ud7ff",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=600))
def test_any_bytes_after_soh_parse_or_reject(tail: bytes) -> None:
    _parse_or_reject(b"\x01" + tail)


@settings(max_examples=300, deadline=None)
@given(st.lists(_FRAGMENTS, max_size=40))
def test_any_fragment_soup_parses_or_rejects(parts: list[str]) -> None:
    _parse_or_reject(("\x01" + "".join(parts)).encode("utf-8"))


def _parse_or_reject(raw: bytes) -> None:
    try:
        items = parse_message(raw, default_parsers())
    except RejectedInput:
        return
    assert items and all(isinstance(item, ParsedItem) for item in items)


def test_frame_without_stx_finds_the_keyword_line() -> None:
    raw = "\x01bdt0412 2 wi 37  dpa 1187\r\nA/B/\r\nTitel =\r\n\r\nKassel (dpa) - Text.\r\n"
    raw += "\x03141012 Okt 25\r\n"
    item = parse(raw.encode())
    assert (item.keywords, item.headline, item.paragraphs) == (("A", "B"), "Titel", ("Text.",))
