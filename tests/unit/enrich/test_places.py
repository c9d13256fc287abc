"""Places: countries by German and English names and adjectives, cities mapped to their country,
the dateline place as ``located``."""

from __future__ import annotations

import pytest

from schemas.enrichment import Tag
from streams.enrich import Enricher
from tests.unit.enrich.conftest import make_item


def places(
    enricher: Enricher, text: str, *, dateline: str | None = None, language: str = "de"
) -> dict[str, Tag]:
    result = enricher.enrich(make_item("", [text], dateline=dateline, language=language))
    return {t.name: t for t in result.places}


def test_countries_carry_iso_codes(enricher: Enricher) -> None:
    got = places(enricher, "Die USA werfen Nordkorea vor, Russland Waffen zu liefern.")
    assert got["Nordkorea"].uri == "iso3166-1a2:KP"
    assert got["Nordkorea"].identifiers == {"country": "KP"}
    assert got["USA"].uri == "iso3166-1a2:US"
    assert got["Russland"].uri == "iso3166-1a2:RU"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Die Beziehungen Russlands und Nordkoreas sind eng.", "KP"),
        ("Das Zentrum Pjöngjangs wurde geschmückt.", "KP"),
        ("Moskaus Krieg dauert an.", "RU"),
        ("Die Regierung der Vereinigten Staaten reagierte.", "US"),
        ("Er lebt in den Niederlanden.", "NL"),
    ],
)
def test_genitive_and_inflected_forms(enricher: Enricher, text: str, code: str) -> None:
    got = places(enricher, text)
    assert code in {t.identifiers.get("country") for t in got.values()}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Die nordkoreanischen Raketen wurden geliefert.", "Nordkorea"),
        ("Ein russischer Sprecher äußerte sich.", "Russland"),
        ("Die ukrainische Armee meldete Erfolge.", "Ukraine"),
        ("Die russisch-ukrainischen Gespräche scheiterten.", "Ukraine"),
        ("Die US-amerikanischen Truppen bleiben.", "USA"),
        ("Russische Truppen rückten vor.", "Russland"),
    ],
)
def test_german_adjectives(enricher: Enricher, text: str, name: str) -> None:
    got = places(enricher, text)
    assert name in got
    assert got[name].method.startswith("gazetteer")


def test_deutsch_adjective_is_not_a_place(enricher: Enricher) -> None:
    got = places(
        enricher, "Die deutsche Wirtschaft wächst, sagte ein Sprecher der deutschen Regierung auf Deutsch."
    )
    assert "Deutschland" not in got


@pytest.mark.parametrize(
    ("text", "name", "code"),
    [
        ("Talks were held in Moscow and Pyongyang.", "Moscow", "RU"),
        ("Russia's army advanced, North Korean troops were seen.", "North Korea", "KP"),
        ("Russia's army advanced.", "Russia", "RU"),
        ("He flew to Kyiv.", "Kyiv", "UA"),
    ],
)
def test_english_forms(enricher: Enricher, text: str, name: str, code: str) -> None:
    got = places(enricher, text, language="en")
    assert got[name].identifiers["country"] == code


@pytest.mark.parametrize(
    ("text", "city", "code"),
    [
        ("Das Treffen fand in Moskau statt.", "Moskau", "RU"),
        ("Kim reiste nach Wladiwostok.", "Wladiwostok", "RU"),
        ("Der Angriff auf Kiew begann.", "Kiew", "UA"),
        ("Die Börse in Frankfurt schloss fester.", "Frankfurt", "DE"),
        ("In Berlin regnete es.", "Berlin", "DE"),
    ],
)
def test_cities_map_to_their_country(enricher: Enricher, text: str, city: str, code: str) -> None:
    tag = places(enricher, text)[city]
    assert tag.identifiers["country"] == code
    assert tag.uri is not None and tag.uri.startswith("geonames:")


def test_dateline_is_located_and_nicely_cased(enricher: Enricher) -> None:
    got = places(enricher, "Gespräche in Nordkorea.", dateline="PJÖNGJANG")
    assert got["Pjöngjang"].rel == "located"
    assert got["Pjöngjang"].evidence == "PJÖNGJANG"
    assert got["Nordkorea"].rel == "mentioned"


def test_double_dateline_and_unknown_place(enricher: Enricher) -> None:
    got = places(enricher, "Die Fusion ist beschlossen.", dateline="DUISBURG/FRANKFURT")
    assert {n for n, t in got.items() if t.rel == "located"} == {"Duisburg", "Frankfurt"}
    unknown = places(enricher, "Die Fusion ist beschlossen.", dateline="KLEINHAUSEN AM SEE")
    assert unknown["Kleinhausen Am See"].uri is None
    assert unknown["Kleinhausen Am See"].rel == "located"


def test_ambiguous_city_names_need_a_preposition(enricher: Enricher) -> None:
    assert "Essen" not in places(enricher, "Das Essen war kalt.")
    assert "Essen" in places(enricher, "Der Konzern mit Sitz in Essen wächst.")
    assert "Essen" in places(enricher, "Die Nachricht kam am Morgen.", dateline="ESSEN")


def test_compound_mentions(enricher: Enricher) -> None:
    got = places(enricher, "US-Präsident Joe Biden kritisierte den Nordkorea-Besuch.")
    assert {"USA", "Nordkorea"} <= set(got)


@pytest.mark.parametrize(
    "text",
    [
        "Der Staatsbesuch dauerte zwei Tage in der Hauptstadt.",
        "Putin wurde auf dem Kim-Il-Sung-Platz begrüßt.",
        "Nach Angaben aus dem Weißen Haus ist das falsch.",
        "Der Kremlchef und der Machthaber trafen sich.",
    ],
)
def test_ordinary_nouns_are_not_places(enricher: Enricher, text: str) -> None:
    assert places(enricher, text) == {}


def test_person_names_win_over_places(enricher: Enricher) -> None:
    got = places(enricher, "Paris Hilton visited the fair.", language="en")
    assert "Paris" not in got
