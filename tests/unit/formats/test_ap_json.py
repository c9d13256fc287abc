"""AP Media API JSON: envelopes, identity across versions, editorial types and ednotes."""

from __future__ import annotations

import json

import pytest

from schemas.item import ParsedItem, UpdateType
from streams.errors import InvalidItem, MissingContent
from streams.formats.ap_json import ApJsonParser
from streams.formats.registry import default_parsers, detect

PARSER = ApJsonParser()
ITEM: dict[str, object] = {
    "uri": "https://api.ap.org/media/v/content/abc123?qt=q1&et=0",
    "altids": {"itemid": "abc123", "etag": "abc123_0"},
    "version": 2,
    "pubstatus": "usable",
    "headline": "Shipyard files for insolvency",
}


def _parse(**fields: object) -> ParsedItem:
    [item] = PARSER.parse(json.dumps({**ITEM, **fields}).encode())
    return item


def test_three_envelopes_give_the_same_item() -> None:
    bare = PARSER.parse(json.dumps(ITEM).encode())
    wrapped = PARSER.parse(
        json.dumps({"api_version": "2", "params": {"q": 1}, "data": {"item": ITEM}}).encode()
    )
    feed = PARSER.parse(json.dumps({"data": {"items": [{"meta": {}, "item": ITEM}]}}).encode())
    assert bare == wrapped == feed
    assert bare[0].item_id == "abc123"
    assert bare[0].header["etag"] == "abc123_0"
    for envelope in ({"data": {"item": ITEM}}, ITEM, {"data": {"items": [{"item": ITEM}]}}):
        assert detect(json.dumps(envelope).encode(), default_parsers()).name == "ap_json"


def test_itemid_is_stable_across_versions_and_uri_is_fallback() -> None:
    v0 = _parse(version=0, uri="https://api.ap.org/media/v/content/abc123?qt=a")
    v3 = _parse(version=3, uri="https://api.ap.org/media/v/content/abc123?qt=b&et=3")
    assert (v0.item_id, v3.item_id, v0.version, v3.version) == ("abc123", "abc123", 0, 3)
    no_altids = _parse(altids=None, uri="https://api.ap.org/media/v/content/def456?qt=c")
    assert no_altids.item_id == "def456"
    with pytest.raises(InvalidItem):
        _parse(altids=None, uri=None)


@pytest.mark.parametrize(
    ("fields", "kind", "pubstatus"),
    [
        ({}, UpdateType.NEW, "usable"),
        ({"pubstatus": "canceled"}, UpdateType.WITHDRAWAL, "canceled"),
        ({"pubstatus": "Withheld"}, UpdateType.NEW, "withheld"),
        ({"pubstatus": "Embargoed"}, UpdateType.NEW, "usable"),
        ({"editorialtypes": ["Kill"]}, UpdateType.WITHDRAWAL, "usable"),
        ({"editorialtypes": ["Withhold"]}, UpdateType.WITHDRAWAL, "withheld"),
        ({"editorialtypes": ["Correction"]}, UpdateType.CORRECTION, "usable"),
        ({"editorialtypes": ["Writethru"]}, UpdateType.DEVELOPMENT, "usable"),
        ({"editorialtypes": ["Advisory"]}, UpdateType.NEW, "usable"),
        ({"ednote": "Eds: Updates with union reaction."}, UpdateType.DEVELOPMENT, "usable"),
        ({"ednote": "Eds: Corrects day of week in 2nd paragraph."}, UpdateType.CORRECTION, "usable"),
        ({"ednote": "Eds: CORRECTS spelling of name."}, UpdateType.MINOR, "usable"),
        ({"title": "Germany-Shipyard, 2nd Ld-Writethru"}, UpdateType.DEVELOPMENT, "usable"),
        ({"headline": "REFILE-Shipyard files for insolvency"}, UpdateType.RESEND, "usable"),
        ({"signals": ["newscontent"]}, UpdateType.NEW, "usable"),
    ],
)
def test_update_mapping(fields: dict[str, object], kind: UpdateType, pubstatus: str) -> None:
    item = _parse(**fields)
    assert item.update_type is kind
    assert item.pubstatus == pubstatus
    assert item.headline == "Shipyard files for insolvency"


def test_writethru_seq_note_and_bylines() -> None:
    item = _parse(
        ednote="Eds: 1st Ld-Writethru. Updates with union reaction.",
        bylines=[{"by": "By HANNAH VOSS"}, {"by": "MARTIN KELLNER"}, {"title": "no by"}],
    )
    assert (item.update_seq, item.update_type) == (1, UpdateType.DEVELOPMENT)
    assert item.update_note == "1st Ld-Writethru. Updates with union reaction."
    assert item.byline == "HANNAH VOSS, MARTIN KELLNER"


def test_derivedfrom_becomes_previous_itemid() -> None:
    item = _parse(derivedfrom="https://api.ap.org/media/v/content/old999?qt=x")
    assert item.previous_ids == ("old999",)
    assert _parse(derivedfrom=["urn:other:1", "urn:other:1"]).previous_ids == ("urn:other:1",)


def test_body_nitf_and_dateline() -> None:
    nitf = (
        "<nitf><head><title>t</title></head><body><body.head><hedline><hl1>Head</hl1></hedline></body.head>"
        "<body.content><block><p>KASSEL, Germany (AP) _ First &amp; foremost.</p><p>Second.</p></block>"
        "</body.content></body></nitf>"
    )
    item = _parse(body_nitf=nitf, located="KASSEL, Germany")
    assert item.paragraphs == ("First & foremost.", "Second.")
    assert item.dateline is not None
    assert (item.dateline.place, item.dateline.agency) == ("KASSEL, Germany", "AP")
    located = _parse(located="OSLO, Norway")
    assert located.dateline is not None and located.dateline.place == "OSLO, Norway"
    city = _parse(datelinelocation={"city": "Bergen"})
    assert city.dateline is not None and city.dateline.place == "Bergen"


def test_feed_errors_name_the_entry() -> None:
    ok = {"item": ITEM}
    with pytest.raises(InvalidItem, match=r"data\.items\[1\]"):
        PARSER.parse(json.dumps({"data": {"items": [ok, 5]}}).encode())
    with pytest.raises(MissingContent, match=r"data\.items\[0\]"):
        PARSER.parse(json.dumps({"data": {"items": [{"item": {**ITEM, "headline": None}}]}}).encode())
    assert PARSER.parse(b'{"data": {"items": []}}') == []


def test_canceled_without_text_is_an_item() -> None:
    item = _parse(pubstatus="canceled", headline=None)
    assert (item.headline, item.update_type) == ("", UpdateType.WITHDRAWAL)


def test_member_copy_keeps_ap_family() -> None:
    item = _parse(infosource=[{"name": "Example Member Daily"}])
    assert (item.agency, item.agency_family) == ("Example Member Daily", "ap")
