"""Body conventions every format shares: dateline fields and leads, bylines."""

from __future__ import annotations

import pytest

from streams.formats.textbody import byline_of, dateline_from_field, take_dateline


@pytest.mark.parametrize(
    ("field", "place", "agency", "raw"),
    [
        ("Berlin (dpa) - ", "Berlin", "dpa", "Berlin (dpa) -"),
        ("MADRID, 21 Nov. 2024 (Europa Press) -", "MADRID", "Europa Press", None),
        ("LONDON, Oct 14 (Reuters) -", "LONDON", "Reuters", None),
        ("KASSEL (Allemagne), 14 oct 2025 (AFP)", "KASSEL", "AFP", None),
        ("Kassel", "Kassel", None, "Kassel"),
        ("Berlin (dpa) - Die Regierung", "Berlin", "dpa", "Berlin (dpa) -"),  # runs on: body grammar
    ],
)
def test_dateline_from_field(field: str, place: str, agency: str | None, raw: str | None) -> None:
    dateline = dateline_from_field(field)
    assert dateline is not None and (dateline.place, dateline.agency) == (place, agency)
    assert dateline.raw == (raw or field.strip())


@pytest.mark.parametrize("field", [None, "", "   ", "1234"])
def test_no_dateline_in_field(field: str | None) -> None:
    assert dateline_from_field(field) is None


def test_take_dateline_looks_past_a_teaser_when_asked() -> None:
    paras = ["Ein Teaser.", "Berlin (dpa) - Der Text.", "Mehr."]
    assert take_dateline(paras) == (None, paras)
    dateline, rest = take_dateline(paras, look=2)
    assert dateline is not None and dateline.place == "Berlin"
    assert rest == ["Ein Teaser.", "Der Text.", "Mehr."]
    only, rest = take_dateline(["Berlin (dpa) -", "Text."])
    assert only is not None and rest == ["Text."]


def test_byline_of() -> None:
    assert byline_of("Von Andrej Sokolow, dpa") == "Andrej Sokolow"
    assert byline_of("Karla Peters") == "Karla Peters"
    assert byline_of(None) is None
