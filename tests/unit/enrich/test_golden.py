"""Golden tests: whole messages give exactly these people, places, organisations and subjects.

The seed is /work/shared/examples/seed-dpa-afx.txt (copied into tests/fixtures/enrich/); the
dpa-AFX financial messages and the English ones were written for these tests. Each case also
lists strings that must NOT appear as a tag name of the given kind.
"""

from __future__ import annotations

from typing import Any

import pytest

from schemas.enrichment import Enrichment
from streams.enrich import Enricher
from tests.unit.enrich.conftest import load_item

POLITICS = "medtop:11000000"
INTERNATIONAL_RELATIONS = "medtop:20000638"

CASES: dict[str, dict[str, Any]] = {
    "seed-dpa-afx.txt": {
        "language": ("de", "detected"),
        "people": {"Wladimir Putin", "Kim Jong Un", "Kim Jong Il"},
        "places": {
            ("Pjöngjang", "geonames:1871859", "located", "KP"),
            ("Nordkorea", "iso3166-1a2:KP", "mentioned", "KP"),
            ("Russland", "iso3166-1a2:RU", "mentioned", "RU"),
            ("Moskau", "geonames:524901", "mentioned", "RU"),
            ("Wladiwostok", "geonames:2013348", "mentioned", "RU"),
            ("Ukraine", "iso3166-1a2:UA", "mentioned", "UA"),
            ("USA", "iso3166-1a2:US", "mentioned", "US"),
        },
        "organisations": {("Weißes Haus", None, ())},
        "subjects": {
            POLITICS,
            INTERNATIONAL_RELATIONS,
            "medtop:20000639",  # diplomacy
            "medtop:20000641",  # treaty
            "medtop:16000000",  # conflict, war and peace
            "medtop:20000056",  # armed conflict
            "medtop:20000062",  # war
        },
        "not": {
            "people": {
                "Kim",
                "Kims",
                "Putin",
                "Putins",
                "Kim-Il-Sung-Platz",
                "Machthaber",
                "Kremlchef",
                "Gastgeber",
            },
            "places": {
                "Staatsbesuch",
                "Machthaber",
                "Kremlchef",
                "Hauptstadt",
                "Weißen Haus",
                "Weißes Haus",
                "Kim-Il-Sung-Platz",
                "PJÖNGJANG",
                "Deutschland",
            },
            "organisations": {"Staatsbesuch", "Kremlchef", "Gespräche", "Vertrag"},
        },
    },
    "afx-nordwerk-prognose.txt": {
        "language": ("de", "detected"),
        "people": {"Markus Albrecht", "Claudia Brenner"},
        "places": {
            ("Duisburg", "geonames:2934691", "located", "DE"),
            ("China", "iso3166-1a2:CN", "mentioned", "CN"),
            ("USA", "iso3166-1a2:US", "mentioned", "US"),
        },
        "organisations": {
            ("Nordwerk SE", "isin:DE000NWK0013", (("isin", "DE000NWK0013"), ("wkn", "NWK001"))),
            (
                "Siemens AG",
                "isin:DE0007236101",
                (("exchange", "Xetra"), ("isin", "DE0007236101"), ("ticker", "SIE"), ("wkn", "723610")),
            ),
        },
        "subjects": {
            "medtop:04000000",  # economy, business and finance
            "medtop:20000170",  # business information
            "medtop:20000171",  # business finance
            "medtop:20000178",  # earnings
            "medtop:20000179",  # earnings forecast
            "medtop:20000385",  # market and exchange
            "medtop:20000396",  # stocks
        },
        "not": {
            "people": {"Nordwerk", "Vorstandschef", "Finanzchefin", "Analysten", "Ebit", "Dax", "MDax"},
            "places": {"Nordwerk", "Xetra-Handel", "Börse", "Duisburg (dpa-AFX)"},
            "organisations": {
                "Nordwerk",
                "Industriekonzern Nordwerk SE",
                "Der Industriekonzern Nordwerk SE",
                "Konkurrenten Siemens AG",
                "Nordwerk-Aktie",
            },
        },
    },
    "afx-deutsche-bank-verkauf.txt": {
        "language": ("de", "detected"),
        "people": {"James von Moltke"},
        "places": {("Frankfurt", "geonames:2925533", "located", "DE")},
        "organisations": {
            (
                "Deutsche Bank AG",
                "isin:DE0005140008",
                (("isin", "DE0005140008"), ("ticker", "DBK"), ("wkn", "514000")),
            ),
            ("Rheinwerk GmbH & Co. KG", "isin:DE000RHW0AB2", (("isin", "DE000RHW0AB2"),)),
            ("Alpenblick Capital", None, ()),
            ("Europäische Zentralbank", None, ()),
        },
        "subjects": {
            "medtop:04000000",
            "medtop:20000170",  # business information
            "medtop:20000192",  # strategy and marketing
            "medtop:20000204",  # merger or acquisition
            "medtop:20000344",  # economy
            "medtop:20000346",  # macro economics
            "medtop:20000350",  # central bank
            "medtop:20000385",
            "medtop:20000396",
        },
        "not": {
            "people": {"Alpenblick", "Finanzvorstand", "Finanzinvestor", "Deutsche Bank", "Rheinwerk"},
            "places": {"Rheinwerk", "Deutschland"},
            "organisations": {"DE0005140009", "Die Deutsche Bank AG", "Finanzinvestor Alpenblick Capital"},
        },
    },
    "en-putin-kim-pact.json": {
        "language": ("en", "agency"),
        "people": {"Vladimir Putin", "Kim Jong Un", "Antony Blinken"},
        "places": {
            ("Pyongyang", "geonames:1871859", "located", "KP"),
            ("North Korea", "iso3166-1a2:KP", "mentioned", "KP"),
            ("Russia", "iso3166-1a2:RU", "mentioned", "RU"),
            ("Moscow", "geonames:524901", "mentioned", "RU"),
            ("Brussels", "geonames:2800866", "mentioned", "BE"),
            ("Ukraine", "iso3166-1a2:UA", "mentioned", "UA"),
            ("United States", "iso3166-1a2:US", "mentioned", "US"),
        },
        "organisations": {("Kremlin", None, ()), ("NATO", None, ())},
        "subjects": {
            POLITICS,
            INTERNATIONAL_RELATIONS,
            "medtop:20000639",
            "medtop:20000641",
            "medtop:16000000",
            "medtop:20000056",
        },
        "not": {
            "people": {"Kim", "Kim's", "Putin's", "Secretary", "West"},
            "places": {"West", "Kremlin"},
            "organisations": {"U.S. Secretary"},
        },
    },
    "en-apple-results.json": {
        "language": ("en", "detected"),
        "people": {"Tim Cook"},
        "places": {
            ("Cupertino", None, "located", None),
            ("China", "iso3166-1a2:CN", "mentioned", "CN"),
            ("India", "iso3166-1a2:IN", "mentioned", "IN"),
            ("Brussels", "geonames:2800866", "mentioned", "BE"),
        },
        "organisations": {
            (
                "Apple Inc.",
                "isin:US0378331005",
                (("exchange", "NASDAQ"), ("isin", "US0378331005"), ("ticker", "AAPL"), ("wkn", "865985")),
            ),
            (
                "Microsoft Corp.",
                "isin:US5949181045",
                (("isin", "US5949181045"), ("ticker", "MSFT"), ("wkn", "870747")),
            ),
            ("European Commission", None, ()),
            ("Morgan Stanley", None, ()),
        },
        "subjects": {
            "medtop:04000000",
            "medtop:20000170",
            "medtop:20000171",
            "medtop:20000177",  # dividend announcement
            "medtop:20000178",
            "medtop:20000179",
            "medtop:20000385",
            "medtop:20000396",
        },
        "not": {
            "people": {"Tim", "Cook", "Chief Executive Officer", "Morgan Stanley", "App Store"},
            "places": {"Apple", "App Store"},
            "organisations": {"iPhone", "AAPL", "MSFT"},
        },
    },
}


@pytest.fixture(scope="module")
def results(enricher: Enricher) -> dict[str, Enrichment]:
    return {name: enricher.enrich(load_item(name)) for name in CASES}


@pytest.mark.parametrize("case", sorted(CASES))
def test_language(case: str, results: dict[str, Enrichment]) -> None:
    got = results[case]
    assert (got.language, got.language_source) == CASES[case]["language"]


@pytest.mark.parametrize("case", sorted(CASES))
def test_people(case: str, results: dict[str, Enrichment]) -> None:
    got = results[case]
    assert {t.name for t in got.people} == CASES[case]["people"]
    assert all(t.kind == "person" and t.creator == "machine" and t.literal == t.name for t in got.people)


@pytest.mark.parametrize("case", sorted(CASES))
def test_places(case: str, results: dict[str, Enrichment]) -> None:
    got = {(t.name, t.uri, t.rel, t.identifiers.get("country")) for t in results[case].places}
    assert got == CASES[case]["places"]


@pytest.mark.parametrize("case", sorted(CASES))
def test_organisations(case: str, results: dict[str, Enrichment]) -> None:
    got = {(t.name, t.uri, tuple(sorted(t.identifiers.items()))) for t in results[case].organisations}
    assert got == CASES[case]["organisations"]


@pytest.mark.parametrize("case", sorted(CASES))
def test_subjects(case: str, results: dict[str, Enrichment]) -> None:
    got = results[case].subjects
    assert {t.uri for t in got} == CASES[case]["subjects"]
    assert all(t.creator == "machine" and t.relevance is not None and 0 < t.confidence <= 1 for t in got)


@pytest.mark.parametrize("case", sorted(CASES))
def test_must_not_tag(case: str, results: dict[str, Enrichment]) -> None:
    got = results[case]
    for kind, banned in CASES[case]["not"].items():
        tagged = {t.name for t in getattr(got, kind)}
        assert not tagged & banned, f"{kind}: {sorted(tagged & banned)}"


def test_seed_scores_are_sensible(results: dict[str, Enrichment]) -> None:
    seed = results["seed-dpa-afx.txt"]
    people = {t.name: t for t in seed.people}
    # Putin and Kim Jong Un are the protagonists: the lone "Putin"/"Kim" and "Kims" mentions count for them
    assert people["Wladimir Putin"].relevance == 100.0
    assert people["Kim Jong Un"].relevance is not None and people["Kim Jong Un"].relevance > 50
    assert people["Kim Jong Il"].relevance is not None and people["Kim Jong Il"].relevance < 50
    located = [t for t in seed.places if t.rel == "located"]
    assert [t.name for t in located] == ["Pjöngjang"] and located[0].evidence == "PJÖNGJANG"
    assert {t.uri: t.name for t in seed.subjects}[INTERNATIONAL_RELATIONS] == "international relations"
