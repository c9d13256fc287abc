"""NewsML-G2: signal mapping, structure edge cases, and dpa's real G2 renditions of digitalwires items."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from schemas.item import ParsedItem, UpdateType
from streams.errors import InvalidItem, MissingContent
from streams.formats.newsml_g2 import NewsMLG2Parser
from streams.formats.registry import default_parsers, detect, parse_message
from streams.formats.textbody import dateline_from_field
from tests.conftest import shared_dir

PARSER = NewsMLG2Parser()
NS = "http://iptc.org/std/nar/2006-10-01/"


def g2(
    item_meta: str = "", content_meta: str = "<headline>Nordwerk streicht Stellen</headline>", **kw: str
) -> bytes:
    attrs = {"guid": "urn:newsml:example-agency.de:20251014:nordwerk", "version": "1", **kw}
    attributes = " ".join(f'{k}="{v}"' for k, v in attrs.items())
    return (
        f'<newsItem xmlns="{NS}" {attributes}><itemMeta><itemClass qcode="ninat:text"/>'
        f'<provider literal="example-agency"/>{item_meta}</itemMeta>'
        f"<contentMeta>{content_meta}</contentMeta></newsItem>"
    ).encode()


def one(raw: bytes) -> ParsedItem:
    [item] = PARSER.parse(raw)
    return item


# --- sniffing and registration ------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        g2(),
        b'<?xml version="1.0"?>\n<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"/>',
        b'<nar:newsItem xmlns:nar="http://iptc.org/std/nar/2006-10-01/" guid="x"/>',
    ],
)
def test_sniff_recognises_g2(raw: bytes) -> None:
    assert PARSER.sniff(raw)
    assert detect(raw, default_parsers()).name == "newsml_g2"


@pytest.mark.parametrize(
    "raw",
    [
        b'<NewsML Version="1.2"><NewsItem/></NewsML>',
        b'{"uri": "x", "body_html": "<newsItem xmlns=\\"http://iptc.org/std/nar/2006-10-01/\\">"}',
        b"Kassel (dpa) - Text",
    ],
)
def test_sniff_rejects_other_formats(raw: bytes) -> None:
    assert not PARSER.sniff(raw)


# --- update signals and status ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("signals", "expected"),
    [
        ('<signal qcode="sig:update"/>', UpdateType.DEVELOPMENT),
        ('<signal qcode="sig:correction"/>', UpdateType.CORRECTION),
        ('<signal qcode="sig:repeat"/>', UpdateType.RESEND),
        ('<signal qcode="edStat:U"/>', UpdateType.DEVELOPMENT),
        ('<signal qcode="edStat:C"/>', UpdateType.CORRECTION),
        ('<signal qcode="edStat:N"/>', UpdateType.NEW),
        ('<signal qcode="sig:cwarn"/>', UpdateType.NEW),
        ('<signal qcode="sig:update"/><signal qcode="sig:correction"/>', UpdateType.CORRECTION),
    ],
)
def test_signals_map_to_update_type_and_are_all_recorded(signals: str, expected: UpdateType) -> None:
    item = one(g2(signals, version="2"))
    assert item.update_type is expected
    assert list(item.signals) == [s.split('"')[1] for s in signals.split("/>") if s]


def test_higher_version_without_signal_stays_new() -> None:
    assert one(g2(version="7")).update_type is UpdateType.NEW


def test_canceled_is_a_withdrawal_even_without_headline() -> None:
    item = one(g2('<pubStatus qcode="stat:canceled"/><signal qcode="sig:update"/>', content_meta=""))
    assert (item.pubstatus, item.update_type, item.headline) == ("canceled", UpdateType.WITHDRAWAL, "")


def test_withheld_only_sets_the_status() -> None:
    item = one(g2('<pubStatus qcode="stat:withheld"/>'))
    assert (item.pubstatus, item.update_type) == ("withheld", UpdateType.NEW)


def test_correction_note_prefers_the_short_one() -> None:
    meta = (
        '<edNote role="dpaednoterole:correction">Lang: In einer früheren Version ...</edNote>'
        '<edNote role="dpaednoterole:correctionshort">Kurz: 1200 statt 1500.</edNote>'
        '<edNote role="dpaednoterole:editorialnote">Bilder folgen.</edNote>'
        '<signal qcode="sig:correction"/>'
    )
    item = one(g2(meta, version="3"))
    assert (item.update_note, item.ednote) == ("Kurz: 1200 statt 1500.", "Bilder folgen.")


def test_eds_note_in_ednote_reads_as_development() -> None:
    item = one(g2("<edNote>Eds: Updates with union reaction.</edNote>"))
    assert (item.update_type, item.update_note) == (UpdateType.DEVELOPMENT, "Updates with union reaction.")


def test_headline_prefix_and_slug_tag_are_taken_off() -> None:
    content = "<slugline>GLOBAL-GOLD/ (UPDATE 2)</slugline><headline>UPDATE 2-GOLD-Gold steadies</headline>"
    item = one(g2('<signal qcode="edStat:U"/>', content))
    assert (item.headline, item.slugline, item.update_seq) == ("GOLD-Gold steadies", "GLOBAL-GOLD/", 2)
    assert item.signals == ("edStat:U", "prefix:UPDATE 2", "slug:UPDATE 2")


def test_previous_version_instance_of_and_agency_from_guid() -> None:
    raw = (
        f'<newsItem xmlns="{NS}" guid="tag:reuters.com,0000:newsml_X1" version="5"><itemMeta>'
        '<instanceOf qcode="NI:GOL/"/>'
        '<link rel="irel:previousVersion" href="tag:reuters.com,0000:newsml_X0"/>'
        '<link rel="irel:seeAlso" residref="urn:other"/></itemMeta>'
        "<contentMeta><headline>Gold</headline></contentMeta></newsItem>"
    ).encode()
    item = one(raw)
    assert item.previous_ids == ("tag:reuters.com,0000:newsml_X0",)
    assert item.instance_of == "NI:GOL/"
    assert (item.agency, item.agency_family) == ("Reuters", "reuters")


# --- structure ----------------------------------------------------------------------------------


def test_headline_rank_and_roles() -> None:
    content = (
        '<headline rank="2">Unterzeile</headline><headline role="dpahlrole:kicker">Dach</headline>'
        '<headline rank="1">Hauptzeile</headline><headline role="subhead">Sub</headline>'
    )
    item = one(g2(content_meta=content))
    assert (item.headline, item.kicker) == ("Hauptzeile", "Dach")


def test_message_without_text_items_is_missing_content() -> None:
    raw = (
        f'<newsMessage xmlns="{NS}"><itemSet><newsItem guid="p" version="1"><itemMeta>'
        '<itemClass qcode="ninat:picture"/></itemMeta></newsItem>'
        '<packageItem guid="k"/></itemSet></newsMessage>'
    ).encode()
    with pytest.raises(MissingContent):
        PARSER.parse(raw)


def test_other_root_is_missing_content() -> None:
    with pytest.raises(MissingContent):
        PARSER.parse(f'<packageItem xmlns="{NS}" guid="k"/>'.encode())


def test_usable_item_without_headline_is_missing_content() -> None:
    with pytest.raises(MissingContent):
        PARSER.parse(g2(content_meta="<urgency>3</urgency>"))


def test_bad_version_is_invalid_but_bad_urgency_is_dropped() -> None:
    with pytest.raises(InvalidItem):
        PARSER.parse(g2(version="v2"))
    assert one(g2(content_meta="<urgency>12</urgency><headline>H</headline>")).urgency is None


def test_body_is_flattened_like_digitalwires_html_and_skips_non_body() -> None:
    content_set = (
        '<contentSet><inlineXML><html xmlns="http://www.w3.org/1999/xhtml"><body>'
        "<header><h1>H</h1><p>header text</p></header>"
        '<p class="teaser">Standfirst</p><p><span class="dateline">Kassel <span>(dpa)</span> - </span>Eins '
        "<b>fett</b>.</p><p>  </p><h2>Zwischen</h2><p>Zwei<br/>Drei</p><table><tr><td>Zelle</td>"
        '<td>zwei</td></tr></table><div class="INFOBOX"><h2>Links</h2><p>Link</p></div>'
        "</body></html></inlineXML></contentSet>"
    )
    raw = g2().replace(b"</newsItem>", content_set.encode() + b"</newsItem>")
    item = one(raw)
    assert item.paragraphs == ("Eins fett.", "Zwischen", "Zwei", "Drei", "Zelle zwei")
    assert item.dateline is not None and (item.dateline.place, item.dateline.agency) == ("Kassel", "dpa")


def test_prefixed_xhtml_body() -> None:
    content_set = (
        '<contentSet><inlineXML><h:html xmlns:h="http://www.w3.org/1999/xhtml"><h:body>'
        "<h:p>Eins.</h:p><h:p>Zwei.</h:p></h:body></h:html></inlineXML></contentSet>"
    )
    item = one(g2().replace(b"</newsItem>", content_set.encode() + b"</newsItem>"))
    assert item.paragraphs == ("Eins.", "Zwei.")


# --- dpa's real G2 renditions of the digitalwires samples -------------------------------------

# file: (headline, version, update_type, language, dateline place, kicker, urgency)
REAL = {
    "eil": ("Grünen-Spitze tritt nach Wahlniederlagen ab", 1, UpdateType.NEW, "de", "Berlin", None, 2),
    "embargoed": (
        "Steinmeier: Russland zerstört kulturelles Erbe der Ukraine",
        1,
        UpdateType.NEW,
        "de",
        "Berlin",
        "Ausstellung",
        4,
    ),
    "empty_paragraph": (
        'AMP.- O.Próximo.- Netanyahu acusa al TPI de actuar por "odio antisemita" hacia Israel '
        "al ordenar su arresto",
        1,
        UpdateType.NEW,
        "es",
        "MADRID",
        None,
        4,
    ),
    "hoerfunk": (
        "dpa/audio-Programm für Mittwoch, 20. November 2024, 15 Uhr",
        6,
        UpdateType.NEW,
        "de",
        None,
        None,
        3,
    ),
    "spe_tab": ("Ergebnisse und Tabelle Fußball-Bundesliga, Männer", 33, UpdateType.NEW, "de", None, None, 3),
    "with_dateline": (
        "DeepSeek-Schock aus China: Zeichen für KI-Zeitenwende?",
        2,
        UpdateType.DEVELOPMENT,
        "de",
        "New York",
        "Künstliche Intelligenz",
        3,
    ),
    "with_infobox": (
        "Bild von Brandschäden stammt aus dem Jahr 2018",
        10,
        UpdateType.NEW,
        "de",
        None,
        "Behauptungen ohne Grundlage",
        3,
    ),
}


@pytest.fixture(scope="module")
def samples() -> Path:
    return shared_dir("samples")


@pytest.mark.parametrize("name", sorted(REAL))
def test_real_dpa_g2_sample(samples: Path, name: str) -> None:
    raw = (samples / "newsml-g2" / f"dpa-{name}.xml").read_bytes()
    [item] = parse_message(raw, default_parsers())
    headline, version, update_type, language, place, kicker, urgency = REAL[name]
    assert item.format == "newsml_g2"
    assert (item.headline, item.version, item.update_type, item.language) == (
        headline,
        version,
        update_type,
        language,
    )
    assert (item.dateline.place if item.dateline else None) == place
    assert (item.kicker, item.urgency, item.agency_family) == (kicker, urgency, "dpa")
    assert item.paragraphs and all(item.paragraphs)
    if item.dateline is not None:  # the dateline span is not repeated in the text
        assert not item.paragraphs[0].startswith(item.dateline.place)


@pytest.mark.parametrize("name", sorted(REAL))
def test_real_g2_and_digitalwires_give_the_same_text(samples: Path, name: str) -> None:
    """Both renditions are flattened by htmltext: same paragraphs, dateline and headline."""
    [json_item] = parse_message((samples / "digitalwires" / f"{name}.json").read_bytes(), default_parsers())
    g2_item = one((samples / "newsml-g2" / f"dpa-{name}.xml").read_bytes())
    assert g2_item.paragraphs == json_item.paragraphs
    assert (g2_item.headline, g2_item.dateline, g2_item.closing) == (
        json_item.headline,
        json_item.dateline,
        json_item.closing,
    )


@pytest.mark.parametrize("name", sorted(REAL))
def test_real_g2_agrees_with_its_digitalwires_source(samples: Path, name: str) -> None:
    """Read the JSON directly, so this holds whatever the digitalwires parser does."""
    source = json.loads((samples / "digitalwires" / f"{name}.json").read_text(encoding="utf-8"))
    item = one((samples / "newsml-g2" / f"dpa-{name}.xml").read_bytes())
    assert item.item_id == source["urn"]
    assert (item.headline, item.version, item.language) == (
        source["headline"],
        source["version"],
        source["language"],
    )
    assert (item.kicker, item.urgency) == (source["kicker"], source["urgency"])
    assert item.pubstatus == (source["pubstatus"] or "usable")
    expected_type = {"sig:update": UpdateType.DEVELOPMENT, None: UpdateType.NEW}[source["signal"]]
    assert item.update_type is expected_type
    json_dateline = dateline_from_field(source["dateline"])
    assert (item.dateline.place if item.dateline else None) == (
        json_dateline.place if json_dateline else None
    )
    assert item.version_created == datetime.fromisoformat(source["version_created"])
    embargo = source["embargoed"]
    assert item.embargoed == (datetime.fromisoformat(embargo) if embargo else None)


def test_real_sample_details(samples: Path) -> None:
    item = one((samples / "newsml-g2" / "dpa-with_dateline.xml").read_bytes())
    assert item.update_note == "Sendeziel für Digitalprodukte ergänzt."
    assert (item.byline, item.closing, item.genre) == (
        "Andrej Sokolow",
        "dpa so yyon z2 a3 vni/dmo",
        "Zusammenfassung",
    )
    assert item.signals == ("sig:update",)
    assert "Autor/in" not in (item.ednote or "")  # non-public contacts stay out
    embargoed = one((samples / "newsml-g2" / "dpa-embargoed.xml").read_bytes())
    assert embargoed.embargoed == datetime(2025, 1, 23, 18, 0, tzinfo=UTC)
    spanish = one((samples / "newsml-g2" / "dpa-empty_paragraph.xml").read_bytes())
    assert (spanish.agency, spanish.agency_family) == ("Europa Press", "dpa")
    assert spanish.paragraphs[0].startswith("El primer ministro israelí")
