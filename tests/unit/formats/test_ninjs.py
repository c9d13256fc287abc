"""ninjs 1.x/2.x/3.x: field mapping, vendor update extensions and the IPTC example files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schemas.item import ParsedItem, UpdateType
from streams.errors import InvalidItem, MissingContent
from streams.formats.ninjs import NinjsParser
from streams.formats.registry import default_parsers, detect

PARSER = NinjsParser()


def _shared(kind: str) -> Path:
    repo = next((p for p in Path(__file__).resolve().parents if (p / "pyproject.toml").is_file()), None)
    folder = repo.parent / "shared" / "samples" / kind if repo else None
    if folder is None or not folder.is_dir():
        pytest.skip(f"../shared/samples/{kind} is absent")
    return folder


def _parse(doc: dict[str, object]) -> ParsedItem:
    [item] = PARSER.parse(json.dumps(doc).encode())
    return item


def test_camel_and_lower_case_give_the_same_item() -> None:
    lower = {
        "uri": "urn:x:1",
        "version": "3",
        "versioncreated": "2025-03-12T10:00:00Z",
        "pubstatus": "usable",
        "ednote": "Berichtigung: 800 statt 1800.",
        "headlines": [{"value": "Werft insolvent"}],
    }
    camel = {
        "uri": "urn:x:1",
        "version": "3",
        "versionCreated": "2025-03-12T10:00:00Z",
        "pubStatus": "usable",
        "edNote": "Berichtigung: 800 statt 1800.",
        "headlines": [{"value": "Werft insolvent"}],
    }
    a, b = PARSER.parse(json.dumps(lower).encode())[0], PARSER.parse(json.dumps(camel).encode())[0]
    assert a.model_dump(exclude={"header"}) == b.model_dump(exclude={"header"})
    assert (a.header["ninjs"], b.header["ninjs"]) == ("2", "3")
    assert a.update_type is UpdateType.CORRECTION
    assert a.update_note == "800 statt 1800."
    assert a.version == 3


@pytest.mark.parametrize(
    ("extension", "kind", "signal"),
    [
        ({"signals": {"updatetype": "UV"}}, UpdateType.DEVELOPMENT, "updatetype:UV"),
        ({"signals": {"updatetype": "KORR"}}, UpdateType.MINOR, "updatetype:KORR"),
        ({"signals": {"updatetype": "RÄ"}}, UpdateType.CORRECTION, "updatetype:RÄ"),
        ({"signals": {"updatetype": "rä"}}, UpdateType.CORRECTION, "updatetype:rä"),
        ({"signals": {"updatetype": "AVPUB"}}, UpdateType.WITHDRAWAL, "updatetype:AVPUB"),
        ({"signals": {"retransmission": True}}, UpdateType.RESEND, "retransmission"),
        ({"signal": [{"code": "sig:correction"}]}, UpdateType.CORRECTION, "sig:correction"),
        ({"signal": "sig:update"}, UpdateType.DEVELOPMENT, "sig:update"),
        ({"signal": ["sig:repeat"]}, UpdateType.RESEND, "sig:repeat"),
        ({"evolvedfrom": "urn:x:0"}, UpdateType.DEVELOPMENT, "evolvedfrom"),
        ({"replacing": ["urn:x:0"]}, UpdateType.DEVELOPMENT, "replacing"),
        ({"replacing": ["urn:x:0"], "signals": {"updatetype": "KORR"}}, UpdateType.MINOR, "updatetype:KORR"),
        (
            {"pubstatus": "canceled", "signals": {"updatetype": "UV"}},
            UpdateType.WITHDRAWAL,
            "pubstatus:canceled",
        ),
        (
            {"headlines": [{"value": "ROUNDUP 2: Werft insolvent"}]},
            UpdateType.DEVELOPMENT,
            "prefix:ROUNDUP 2",
        ),
        ({"ednote": "Eds: Updates with union reaction."}, UpdateType.DEVELOPMENT, "eds"),
    ],
)
def test_update_signals(extension: dict[str, object], kind: UpdateType, signal: str) -> None:
    doc = {"uri": "urn:x:1", "headlines": [{"value": "Werft insolvent"}], **extension}
    item = _parse(doc)
    assert item.update_type is kind
    assert signal in item.signals
    assert item.headline == "Werft insolvent"


def test_previous_ids_from_evolvedfrom_and_replacing() -> None:
    item = _parse({"uri": "u", "headline": "h", "evolvedfrom": "a", "replacing": ["b", "a", {"uri": "c"}]})
    assert item.previous_ids == ("a", "b", "c")


def test_canceled_without_headline_is_an_item_others_are_not() -> None:
    item = _parse({"uri": "u", "pubStatus": "canceled", "edNote": "Meldung zurückgezogen."})
    assert item.headline == ""
    assert item.update_note == "Meldung zurückgezogen."
    with pytest.raises(MissingContent):
        _parse({"uri": "u", "pubstatus": "usable"})
    with pytest.raises(InvalidItem):
        _parse({"headline": "no uri"})


def test_body_html_preferred_dateline_and_entities() -> None:
    doc = {
        "uri": "urn:newsml:example.com:1",
        "headline": "Fähre fährt wieder",
        "body_text": "ignored plain text",
        "body_html": "<p>Cuxhaven (dpa) - Die F&auml;hre <b>f&auml;hrt</b>.</p><p>Zweiter Absatz.</p>",
        "subject": [{"name": "Schifffahrt", "code": "medtop:1", "scheme": "medtop"}],
        "person": [{"name": "Ole Marten"}],
        "urgency": 12,
        "by": "Von Tilda Brenner, dpa",
    }
    item = _parse(doc)
    assert item.paragraphs == ("Die Fähre fährt.", "Zweiter Absatz.")
    assert (item.dateline.place, item.dateline.agency) == ("Cuxhaven", "dpa")
    assert item.subjects[0].uri == "medtop:1"
    assert item.people[0].name == "Ole Marten"
    assert item.urgency is None
    assert item.byline == "Tilda Brenner"
    assert item.agency == "dpa"  # the dateline's credit outranks the uri's domain
    assert _parse({"uri": "urn:newsml:example.com:2", "headline": "h"}).agency == "example"
    assert _parse({"uri": "tag:ap.org,2011:abc", "headline": "h"}).agency_family == "ap"


# Per IPTC example file: headline, version, language, dateline place, update type.
REAL = {
    "2.1-dpa_text.json": (
        "Faktencheck Derby-Elfmeter: Hat Schiedsrichter Zwayer recht?",
        2,
        "de",
        None,
        "new",
    ),
    "3.0-dpa_text.json": (
        "Faktencheck Derby-Elfmeter: Hat Schiedsrichter Zwayer recht?",
        2,
        "de",
        None,
        "new",
    ),
    "2.1-ninjsExSimpleText_2.json": (
        "Captain of wrecked cruise ship on trial in Italy",
        None,
        None,
        "GROSSETO, Italy",
        "new",
    ),
    "2.1-ntb_text.json": ("Google har kjøpt giganttomt i Skien", 6, "nb-NO", None, "new"),
    "2.1-tt_text_image_2.json": ("Militärövning i jätteformat hålls 2023", 1, "sv", None, "new"),
}


def test_every_real_sample_is_known() -> None:
    folder = _shared("ninjs")
    assert {p.name for p in folder.glob("*.json")} == set(REAL)


@pytest.mark.parametrize("name", sorted(REAL))
def test_real_samples(name: str) -> None:
    raw = (_shared("ninjs") / name).read_bytes()
    assert detect(raw, default_parsers()).name == "ninjs"
    [item] = PARSER.parse(raw)
    headline, version, language, place, update_type = REAL[name]
    assert item.headline == headline
    assert item.version == version
    assert item.language == language
    assert (item.dateline.place if item.dateline else None) == place
    assert item.update_type == update_type
    assert item.item_id_explicit
    assert item.paragraphs or name == "2.1-ntb_text.json"  # NTB sends only a description
    assert not any(p == headline for p in item.paragraphs)


def test_real_dpa_2_and_3_agree() -> None:
    folder = _shared("ninjs")
    [v2] = PARSER.parse((folder / "2.1-dpa_text.json").read_bytes())
    [v3] = PARSER.parse((folder / "3.0-dpa_text.json").read_bytes())
    assert v2.model_dump(exclude={"header"}) == v3.model_dump(exclude={"header"})
    assert (v2.agency, v2.agency_family, v2.byline) == ("dpa", "dpa", "Christian Hollmann")


def test_real_tt_sample_drops_repeated_headline_and_dat_block() -> None:
    [item] = PARSER.parse((_shared("ninjs") / "2.1-tt_text_image_2.json").read_bytes())
    assert item.paragraphs[0].startswith("Pandemin satte stopp")
    assert not any("Försvar" in p and "TT" in p and len(p) < 20 for p in item.paragraphs)
    assert not any("Karl Melander" in p for p in item.paragraphs)  # picture byline in <figure>
    assert (item.agency, item.genre, item.slugline) == ("TT", "Inrikes", "militärövning")
