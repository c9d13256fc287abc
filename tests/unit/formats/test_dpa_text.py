"""The dpa / dpa-AFX plain-text parser on the seed message and the update grammar."""

from __future__ import annotations

import pytest

from schemas.item import UpdateType
from streams.errors import EmptyMessage, RejectedInput
from streams.formats.dpa_text import DpaTextParser
from streams.formats.registry import default_parsers, detect, parse_message

PARSER = DpaTextParser()


def test_seed_every_field(seed_bytes: bytes) -> None:
    assert detect(seed_bytes, default_parsers()).name == "dpa_text"
    [item] = PARSER.parse(seed_bytes)
    assert item.format == "dpa_text"
    assert item.agency == "dpa-AFX"
    assert item.agency_family == "dpa"
    assert item.item_id.startswith("urn:wirefeed:dpa_text:")
    assert item.item_id_explicit is False
    assert item.version is None
    assert item.update_type is UpdateType.DEVELOPMENT
    assert item.update_note == "Vertrag über strategische Partnerschaft unterzeichnet"
    assert item.signals == ("note:neu",)
    assert item.header == {"date": "2024-06", "headline_source": "lead"}
    # The seed's own first line is only date metadata and the note: the lead sentence stands in.
    assert item.headline == (
        "Russlands Präsident Wladimir Putin hat bei seinem Staatsbesuch in Nordkorea mit Machthaber "
        "Kim Jong Un einen neuen Vertrag über eine allumfassende strategische Partnerschaft unterzeichnet."
    )
    assert "date" not in item.headline and "Neu" not in item.headline
    assert item.dateline is not None
    assert (item.dateline.place, item.dateline.agency) == ("PJÖNGJANG", "dpa-AFX")
    assert item.closing == "/mau/DP/mis"
    assert len(item.paragraphs) == 6
    assert item.paragraphs[0].startswith("Russlands Präsident Wladimir Putin hat")
    assert item.paragraphs[-1].endswith("Beide Länder haben eine solche Kooperation bestritten.")
    assert not any("/mau/DP/mis" in p for p in item.paragraphs)
    assert item.pubstatus == "usable"
    assert item.charset == "utf-8"


def test_same_bytes_same_id(seed_bytes: bytes) -> None:
    assert PARSER.parse(seed_bytes)[0].item_id == PARSER.parse(seed_bytes)[0].item_id
    other = seed_bytes.replace("zweistündigen".encode(), "dreistündigen".encode())
    assert PARSER.parse(other)[0].item_id != PARSER.parse(seed_bytes)[0].item_id


@pytest.mark.parametrize(
    ("text", "headline", "kind", "note", "seq"),
    [
        (
            "ROUNDUP: Nordwerk streicht Stellen\n\nKASSEL (dpa-AFX) - Text./kpm/jsr",
            "Nordwerk streicht Stellen",
            UpdateType.DEVELOPMENT,
            None,
            None,
        ),
        (
            "ROUNDUP 2: Nordwerk streicht Stellen (neu: Reaktion Betriebsrat)\n\nKASSEL (dpa-AFX) - Text.",
            "Nordwerk streicht Stellen",
            UpdateType.DEVELOPMENT,
            "Reaktion Betriebsrat",
            2,
        ),
        (
            "WDH/ROUNDUP: Nordwerk streicht Stellen\n\n(Wiederholung: Im zweiten Absatz wurde der Vorname "
            "berichtigt.)\n\nKASSEL (dpa-AFX) - Text.",
            "Nordwerk streicht Stellen",
            UpdateType.CORRECTION,
            "Im zweiten Absatz wurde der Vorname berichtigt.",
            None,
        ),
        (
            "WDH: Nordwerk streicht Stellen\n\n(Wiederholung: technischer Fehler)\n\nKASSEL (dpa-AFX) - Text.",
            "Nordwerk streicht Stellen",
            UpdateType.RESEND,
            "technischer Fehler",
            None,
        ),
        (
            "KORREKTUR: Nordwerk streicht Stellen\n\nKASSEL (dpa-AFX) - Text.",
            "Nordwerk streicht Stellen",
            UpdateType.CORRECTION,
            None,
            None,
        ),
        (
            "Nordwerk streicht Stellen\n(neu: Kurse aktualisiert)\n\nKASSEL (dpa-AFX) - Text.",
            "Nordwerk streicht Stellen",
            UpdateType.DEVELOPMENT,
            "Kurse aktualisiert",
            None,
        ),
        (
            "Nordwerk streicht Stellen\n\nKASSEL (dpa-AFX) - Text.",
            "Nordwerk streicht Stellen",
            UpdateType.NEW,
            None,
            None,
        ),
    ],
)
def test_update_markers(
    text: str, headline: str, kind: UpdateType, note: str | None, seq: int | None
) -> None:
    [item] = PARSER.parse(text.encode())
    assert (item.headline, item.update_type, item.update_note, item.update_seq) == (headline, kind, note, seq)


@pytest.mark.parametrize(
    ("line", "place", "agency"),
    [
        ("Berlin (dpa) - Die Regierung", "Berlin", "dpa"),
        ("Kiel (dpa/lno) - Der Landtag", "Kiel", "dpa/lno"),
        ("DUISBURG/FRANKFURT (dpa-AFX) - Thyssenkrupp", "DUISBURG/FRANKFURT", "dpa-AFX"),
    ],
)
def test_datelines(line: str, place: str, agency: str) -> None:
    [item] = PARSER.parse(f"Schlagzeile\n\n{line} tut etwas.".encode())
    assert item.dateline is not None
    assert (item.dateline.place, item.dateline.agency) == (place, agency)
    assert not item.paragraphs[0].startswith(place)


def test_closing_line_and_genre() -> None:
    text = (
        "(Zusammenfassung 1730)\nNordwerk-Stellenabbau: Land bietet Gespräche an\nVon Karla Peters, dpa =\n\n"
        "Kassel (dpa/lhe) - Nach der Ankündigung hat sich die Landesregierung eingeschaltet.\n\n"
        "dpa kpe yyhe z2 lhb"
    )
    [item] = PARSER.parse(text.encode())
    assert item.headline == "Nordwerk-Stellenabbau: Land bietet Gespräche an"
    assert item.byline == "Karla Peters"
    assert item.genre == "Zusammenfassung 1730"
    assert item.update_type is UpdateType.DEVELOPMENT
    assert item.closing == "dpa kpe yyhe z2 lhb"
    assert item.paragraphs == ("Nach der Ankündigung hat sich die Landesregierung eingeschaltet.",)


def test_urls_are_not_closing_codes() -> None:
    [item] = PARSER.parse(b"Schlagzeile\n\nBerlin (dpa) - Mehr unter www.example.de/a/b")
    assert item.closing is None
    assert item.paragraphs[-1].endswith("www.example.de/a/b")


def test_cp1252_and_control_characters() -> None:
    raw = "Ölpreise steigen\x07\n\nSINGAPUR (dpa-AFX) - Die Ölpreise\x7f sind gestiegen.".encode("cp1252")
    [item] = PARSER.parse(raw)
    assert item.charset == "cp1252"
    assert item.headline == "Ölpreise steigen"
    assert item.paragraphs == ("Die Ölpreise sind gestiegen.",)


@pytest.mark.parametrize("raw", [b"", b"   \n\n  ", b"\x00\x00"])
def test_empty_is_rejected(raw: bytes) -> None:
    with pytest.raises(EmptyMessage):
        parse_message(raw, default_parsers())


def test_only_controls_is_a_typed_rejection() -> None:
    with pytest.raises(RejectedInput):
        parse_message(b"\x07\x07\x7f", default_parsers())
