"""dpa digitalwires: signals, ednote roles, dateline handling and dpa's own example files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schemas.item import ParsedItem, UpdateType
from streams.errors import InvalidItem, MissingContent
from streams.formats.digitalwires import DigitalwiresParser
from streams.formats.registry import default_parsers, detect

PARSER = DigitalwiresParser()
BASE: dict[str, object] = {
    "entry_id": "e1",
    "urn": "urn:newsml:dpa.com:20090101:250312-930-100001",
    "version": 1,
    "headline": "Werft insolvent",
    "article_html": "<section class='main'><p>Text.</p></section>",
}


def _shared(kind: str) -> Path:
    repo = next((p for p in Path(__file__).resolve().parents if (p / "pyproject.toml").is_file()), None)
    folder = repo.parent / "shared" / "samples" / kind if repo else None
    if folder is None or not folder.is_dir():
        pytest.skip(f"../shared/samples/{kind} is absent")
    return folder


def _parse(**fields: object) -> ParsedItem:
    [item] = PARSER.parse(json.dumps({**BASE, **fields}).encode())
    return item


@pytest.mark.parametrize(
    ("fields", "kind"),
    [
        ({}, UpdateType.NEW),
        ({"signal": "sig:update"}, UpdateType.DEVELOPMENT),
        ({"signal": "sig:correction"}, UpdateType.CORRECTION),
        ({"signal": "sig:repeat"}, UpdateType.RESEND),
        (
            {"signal": None, "categories": [{"type": "dnltype:signal", "qcode": "sig:correction"}]},
            UpdateType.CORRECTION,
        ),
        ({"pubstatus": "canceled", "signal": "sig:update"}, UpdateType.WITHDRAWAL),
        (
            {"pubstatus": None, "categories": [{"type": "dnltype:pubstatus", "qcode": "stat:canceled"}]},
            UpdateType.WITHDRAWAL,
        ),
        ({"genre_names": ["Zusammenfassung"]}, UpdateType.NEW),
    ],
)
def test_signal_mapping(fields: dict[str, object], kind: UpdateType) -> None:
    assert _parse(**fields).update_type is kind


def test_ednote_roles() -> None:
    item = _parse(
        signal="sig:correction",
        ednotes=[
            {"role": "dpaednoterole:closingline", "ednote": "dpa tb yyhb z2 kpe"},
            {"role": "dpaednoterole:correction", "ednote": "Lange Fassung der Berichtigung."},
            {"role": "dpaednoterole:correctionshort", "ednote": "800, nicht 1800."},
            {"role": "dpaednoterole:editorialnote", "ednote": "Hinweis eins"},
            {"role": "dpaednoterole:editorialnote", "ednote": "Hinweis  zwei"},
            {"role": "dpaednoterole:genrenote", "ednote": "1430"},
            {"role": "dpaednoterole:dpacontacts", "ednote": "Tel. +49 555 0199"},
            {"role": "dpaednoterole:picture", "ednote": "Foto Archiv"},
        ],
        genre_names=["Zusammenfassung"],
    )
    assert item.closing == "dpa tb yyhb z2 kpe"
    assert item.update_note == "800, nicht 1800."
    assert item.ednote == "Hinweis eins\nHinweis zwei"
    assert item.genre == "Zusammenfassung 1430"
    assert "0199" not in item.model_dump_json()


def test_correction_note_falls_back_to_long_form() -> None:
    item = _parse(signal="sig:correction", ednotes=[{"role": "dpaednoterole:correction", "ednote": "Lang."}])
    assert item.update_note == "Lang."


def test_dateline_span_text_or_field() -> None:
    span = "<p><span class='dateline'>Kiel <span class='credit'>(dpa/lno)</span> - </span>Text eins.</p>"
    item = _parse(article_html=span, dateline=None)
    assert item.dateline is not None
    assert (item.dateline.place, item.dateline.agency, item.paragraphs) == (
        "Kiel",
        "dpa/lno",
        ("Text eins.",),
    )
    text = _parse(article_html="<p>Kiel (dpa) - Text zwei.</p>", dateline="Kiel (dpa) - ")
    assert text.paragraphs == ("Text zwei.",)
    assert text.dateline is not None and text.dateline.place == "Kiel"
    field_only = _parse(article_html="<p>Text drei.</p>", dateline="Kiel (dpa) - ")
    assert field_only.paragraphs == ("Text drei.",)
    assert field_only.dateline is not None and field_only.dateline.agency == "dpa"


def test_categories_to_entities_and_names_fallback() -> None:
    item = _parse(
        categories=[
            {"type": "dnltype:dpasubject", "name": "Schiffbau", "qcode": "medtop:20000284"},
            {"type": "dnltype:geosubject", "name": "Bremen", "qcode": "dpaarea:5"},
            {"type": "dnltype:wire", "name": "bdt", "qcode": "dpasrv:bdt"},
            {"type": "dnltype:keyword", "name": "Werft"},
            "not an object",
        ]
    )
    assert [(s.name, s.uri, s.scheme) for s in item.subjects] == [
        ("Schiffbau", "medtop:20000284", "dnltype:dpasubject")
    ]
    assert [(p.name, p.uri) for p in item.places] == [("Bremen", "dpaarea:5")]
    assert (item.service, item.keywords) == ("bdt", ("Werft",))
    bare = _parse(dpasubject_names=["Partei"], geosubject_names=["Berlin"])
    assert [s.name for s in bare.subjects] == ["Partei"]
    assert [p.name for p in bare.places] == ["Berlin"]


def test_entries_wrapper_and_its_errors() -> None:
    second = {**BASE, "urn": "urn:x:2", "entry_id": "e2"}
    items = PARSER.parse(json.dumps({"entries": [BASE, second]}).encode())
    assert [i.item_id for i in items] == [BASE["urn"], "urn:x:2"]
    assert PARSER.parse(b'{"entries": []}') == []
    with pytest.raises(InvalidItem, match=r"entries\[1\]"):
        PARSER.parse(json.dumps({"entries": [BASE, {"entry_id": "no urn"}]}).encode())
    with pytest.raises(InvalidItem, match=r"entries\[0\]"):
        PARSER.parse(b'{"entries": [7]}')


def test_canceled_without_text_is_an_item_others_are_not() -> None:
    item = _parse(pubstatus="canceled", headline=None, article_html=None)
    assert (item.headline, item.pubstatus) == ("", "canceled")
    with pytest.raises(MissingContent):
        _parse(headline=None, article_html=None)
    with pytest.raises(InvalidItem):
        _parse(urn=None)


# Per dpa example file: headline, version, update type, language, dateline place.
# The NewsML-G2 renditions in ../shared/samples/newsml-g2 carry the same items.
REAL = {
    "eil.json": ("Grünen-Spitze tritt nach Wahlniederlagen ab", 1, "new", "de", "Berlin"),
    "embargoed.json": (
        "Steinmeier: Russland zerstört kulturelles Erbe der Ukraine",
        1,
        "new",
        "de",
        "Berlin",
    ),
    "empty_paragraph.json": (
        'AMP.- O.Próximo.- Netanyahu acusa al TPI de actuar por "odio antisemita" hacia Israel al ordenar su '
        "arresto",
        1,
        "new",
        "es",
        "MADRID",
    ),
    "hoerfunk.json": ("dpa/audio-Programm für Mittwoch, 20. November 2024, 15 Uhr", 6, "new", "de", None),
    "spe_tab.json": ("Ergebnisse und Tabelle Fußball-Bundesliga, Männer", 33, "new", "de", None),
    "with_dateline.json": (
        "DeepSeek-Schock aus China: Zeichen für KI-Zeitenwende?",
        2,
        "development",
        "de",
        "New York",
    ),
    "with_infobox.json": ("Bild von Brandschäden stammt aus dem Jahr 2018", 10, "new", "de", None),
}


def test_every_real_sample_is_known() -> None:
    assert {p.name for p in _shared("digitalwires").glob("*.json")} == set(REAL)


@pytest.mark.parametrize("name", sorted(REAL))
def test_real_samples(name: str) -> None:
    raw = (_shared("digitalwires") / name).read_bytes()
    assert detect(raw, default_parsers()).name == "digitalwires"
    [item] = PARSER.parse(raw)
    headline, version, update_type, language, place = REAL[name]
    assert item.headline == headline
    assert item.version == version
    assert item.update_type == update_type
    assert item.language == language
    assert (item.dateline.place if item.dateline else None) == place
    assert item.agency_family == "dpa"
    assert item.item_id == json.loads(raw)["urn"]
    assert item.paragraphs
    assert not any("(dpa) -" in p for p in item.paragraphs[:1])


def test_real_with_dateline_details() -> None:
    [item] = PARSER.parse((_shared("digitalwires") / "with_dateline.json").read_bytes())
    assert item.signals == ("sig:update",)
    assert item.update_note == "Sendeziel für Digitalprodukte ergänzt."
    assert item.paragraphs[0].startswith("Ein Chatbot aus China schockt die Wall Street")
    assert (item.kicker, item.byline, item.genre) == (
        "Künstliche Intelligenz",
        "Andrej Sokolow",
        "Zusammenfassung",
    )
    assert item.closing == "dpa so yyon z2 a3 vni/dmo"
    assert "sokolow.andrej@dpa.com" not in item.model_dump_json()  # contacts are not kept


def test_real_embargo_europa_press_and_table() -> None:
    folder = _shared("digitalwires")
    [embargoed] = PARSER.parse((folder / "embargoed.json").read_bytes())
    assert embargoed.embargoed is not None and embargoed.embargoed.isoformat() == "2025-01-23T19:00:00+01:00"
    [europa] = PARSER.parse((folder / "empty_paragraph.json").read_bytes())
    assert europa.dateline is not None
    assert (europa.agency, europa.dateline.agency) == ("Europa Press", "Europa Press")
    assert europa.paragraphs[0].startswith("El primer ministro israelí")
    [table] = PARSER.parse((folder / "spe_tab.json").read_bytes())
    assert "FC Augsburg - Bor. Mönchengladbach 2:1 (1:0)" in table.paragraphs
    assert table.pubstatus == "usable"  # pubstatus null
