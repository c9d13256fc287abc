"""Organisations, companies and securities: legal forms, ISINs (checksum), WKNs and tickers."""

from __future__ import annotations

import pytest

from schemas.enrichment import Tag
from streams.enrich import Enricher
from streams.enrich.organisations import isin_check_digit_ok
from streams.enrich.text import load_toml
from tests.unit.enrich.conftest import make_item


def orgs(enricher: Enricher, text: str, *, language: str = "de") -> dict[str, Tag]:
    result = enricher.enrich(make_item("", [text], language=language))
    return {t.name: t for t in result.organisations}


@pytest.mark.parametrize(
    "code", ["DE0007236101", "US0378331005", "DE000BASF111", "NL0000235190", "DE000A1EWWW0"]
)
def test_isin_checksum_accepts_valid(code: str) -> None:
    assert isin_check_digit_ok(code)


@pytest.mark.parametrize(
    "code", ["DE0007236102", "US0378331006", "DE000BASF112", "DE00072361O1", "DE000723610"]
)
def test_isin_checksum_rejects_invalid(code: str) -> None:
    assert not isin_check_digit_ok(code)


def test_curated_isins_are_valid() -> None:
    for company in load_toml("organisations.toml")["company"]:
        assert isin_check_digit_ok(company["isin"]), company["name"]


def test_invalid_isin_is_not_tagged(enricher: Enricher) -> None:
    got = orgs(enricher, "Die Kennung DE0007236102 ist falsch, XX0007236101 auch.")
    assert got == {}


def test_isin_and_wkn_attach_to_the_company(enricher: Enricher) -> None:
    got = orgs(enricher, "Die Nordwerk SE (ISIN DE000NWK0013, WKN NWK001) hob die Prognose an.")
    tag = got["Nordwerk SE"]
    assert tag.uri == "isin:DE000NWK0013"
    assert tag.identifiers == {"isin": "DE000NWK0013", "wkn": "NWK001"}


def test_lone_isin_becomes_its_own_tag(enricher: Enricher) -> None:
    got = orgs(enricher, "Die Anleihe mit der Kennung DE000NWK0013 wird getilgt.")
    assert got["DE000NWK0013"].method == "isin-checksum"


@pytest.mark.parametrize(
    ("text", "name", "ticker", "exchange"),
    [
        ("Die Papiere der Siemens AG (Xetra: SIE) stiegen.", "Siemens AG", "SIE", "Xetra"),
        ("Shares of Apple Inc. (NASDAQ: AAPL) rose.", "Apple Inc.", "AAPL", "NASDAQ"),
        ("Evergreen Holdings Ltd (NYSE: EVG) fell.", "Evergreen Holdings Ltd", "EVG", "NYSE"),
    ],
)
def test_tickers(enricher: Enricher, text: str, name: str, ticker: str, exchange: str) -> None:
    tag = orgs(enricher, text, language="en")[name]
    assert tag.identifiers["ticker"] == ticker
    assert tag.identifiers["exchange"] == exchange


def test_cashtag(enricher: Enricher) -> None:
    got = orgs(enricher, "Traders bought $MSFT and $XYZQ.", language="en")
    assert got["Microsoft Corp."].identifiers["ticker"] == "MSFT"
    assert got["XYZQ"].identifiers == {"ticker": "XYZQ"}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Der Industriekonzern Nordwerk SE wächst.", "Nordwerk SE"),
        ("Die Rheinwerk GmbH & Co. KG ist verkauft.", "Rheinwerk GmbH & Co. KG"),
        ("Die Henkel AG & Co. KGaA berichtet.", "Henkel AG & Co. KGaA"),
        ("Aktien der Beispiel Software AG fielen.", "Beispiel Software AG"),
        ("Shares of Fabrikam Corp. fell.", "Fabrikam Corp."),
        ("Contoso N.V. reported.", "Contoso N.V."),
        ("Der Finanzinvestor Alpenblick Capital kauft zu.", "Alpenblick Capital"),
    ],
)
def test_legal_forms(enricher: Enricher, text: str, name: str) -> None:
    assert name in orgs(enricher, text)


def test_company_coreference(enricher: Enricher) -> None:
    got = orgs(enricher, "Die Nordwerk SE wächst. Nordwerk erhöht die Prognose, die Nordwerk-Aktie steigt.")
    assert set(got) == {"Nordwerk SE"}
    assert got["Nordwerk SE"].confidence > 0.9


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Die EU-Staaten und die Nato beraten.", "Europäische Union"),
        ("Die EU-Staaten und die Nato beraten.", "Nato"),
        ("Die Vereinten Nationen warnen.", "Vereinte Nationen"),
        ("Nach Angaben aus dem Weißen Haus ist das falsch.", "Weißes Haus"),
        ("Die Europäische Zentralbank (EZB) entscheidet.", "Europäische Zentralbank"),
    ],
)
def test_curated_organisations(enricher: Enricher, text: str, name: str) -> None:
    assert name in orgs(enricher, text)


def test_no_organisations_in_plain_text(enricher: Enricher) -> None:
    assert orgs(enricher, "Der Staatsbesuch dauerte zwei Tage. Die Gespräche waren gut.") == {}
