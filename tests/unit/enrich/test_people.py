"""People: title rules, first names, name orders, coreference; ordinary nouns are not people."""

from __future__ import annotations

import pytest

from schemas.enrichment import Tag
from streams.enrich import Enricher
from tests.unit.enrich.conftest import make_item


def people(enricher: Enricher, text: str, *, headline: str = "", language: str = "de") -> dict[str, Tag]:
    result = enricher.enrich(make_item(headline, [text], language=language))
    return {t.name: t for t in result.people}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Russlands Präsident Wladimir Putin reiste ab.", "Wladimir Putin"),
        ("Außenministerin Annalena Baerbock sagte das.", "Annalena Baerbock"),
        ("Siemens-Chef Roland Busch ist zufrieden.", "Roland Busch"),
        ("Bundeskanzler Olaf Scholz widersprach.", "Olaf Scholz"),
        ("Prime Minister Rishi Sunak said so.", "Rishi Sunak"),
        ("Secretary of State Antony Blinken said so.", "Antony Blinken"),
        ("North Korean leader Kim Jong Un smiled.", "Kim Jong Un"),
        ("Präsidentin Ursula von der Leyen kam.", "Ursula von der Leyen"),
        ("Dr. Anna Berger leitet das Projekt.", "Anna Berger"),
    ],
)
def test_titles_before_names(enricher: Enricher, text: str, name: str) -> None:
    got = people(enricher, text, language="en" if text.isascii() and "Minister" in text else "de")
    assert name in got, got


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Kim Jong Un empfing ihn.", "Kim Jong Un"),
        ("Chinas Staatschef Xi Jinping schwieg.", "Xi Jinping"),
        ("Der Oppositionsführer Lee Jae-myung protestierte.", "Lee Jae-myung"),
        ("Damals empfing ihn Kim Jong Il.", "Kim Jong Il"),
    ],
)
def test_east_asian_names(enricher: Enricher, text: str, name: str) -> None:
    assert name in people(enricher, text)


def test_lone_surname_and_possessive_attach_to_the_full_name(enricher: Enricher) -> None:
    text = (
        "Präsident Wladimir Putin traf Machthaber Kim Jong Un. Putin dankte seinem Gastgeber Kim. "
        "Es ist Putins erster Besuch. Damals empfing ihn Kims Vater, Kim Jong Il."
    )
    got = people(enricher, text)
    assert set(got) == {"Wladimir Putin", "Kim Jong Un", "Kim Jong Il"}
    assert got["Wladimir Putin"].relevance == 100.0


def test_surname_before_full_name(enricher: Enricher) -> None:
    got = people(enricher, "Präsident Wladimir Putin reist nach Pjöngjang.", headline="Putin in Nordkorea")
    assert set(got) == {"Wladimir Putin"}


def test_genitive_of_the_full_name(enricher: Enricher) -> None:
    got = people(enricher, "Kremlchef Wladimir Putins Reise beginnt. Putin fliegt am Dienstag.")
    assert set(got) == {"Wladimir Putin"}


def test_english_possessive(enricher: Enricher) -> None:
    got = people(enricher, "President Vladimir Putin's visit began. Putin's plane landed.", language="en")
    assert set(got) == {"Vladimir Putin"}


def test_first_name_rule(enricher: Enricher) -> None:
    got = people(enricher, "Das sagte Markus Albrecht am Montag.")
    assert got["Markus Albrecht"].method == "first-name-rule"


def test_title_with_a_lone_unknown_surname(enricher: Enricher) -> None:
    got = people(enricher, "Kanzler Scholz widersprach.")
    assert got["Scholz"].confidence < 0.8


@pytest.mark.parametrize(
    "text",
    [
        "Der Staatsbesuch dauerte zwei Tage.",
        "Der Machthaber und der Kremlchef führten Gespräche über einen Vertrag.",
        "Putin wurde auf dem Kim-Il-Sung-Platz begrüßt.",
        "Das meldeten russische Staatsmedien am Mittwoch aus der Hauptstadt.",
        "Im August stieg der Umsatz. Mai Juni Juli.",
        "Die Analysten der Deutschen Bank erwarten mehr.",
    ],
)
def test_not_people(enricher: Enricher, text: str) -> None:
    assert people(enricher, text) == {}


def test_company_names_are_not_people(enricher: Enricher) -> None:
    assert people(enricher, "Die Hugo Boss AG legte Zahlen vor. Hugo Boss verdiente mehr.") == {}
