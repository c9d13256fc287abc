"""Helpers every parser shares: pubstatus, urgency, rejections of multi-item messages."""

from __future__ import annotations

import pytest

from schemas.item import UpdateType
from streams.errors import MissingContent
from streams.formats.base import entry_rejections, pubstatus_of, take_pubstatus, valid_urgency
from streams.formats.markers import Markers


def test_pubstatus_values() -> None:
    assert pubstatus_of("stat:canceled") == ("canceled", None)
    assert pubstatus_of("Cancelled") == ("canceled", None)
    assert pubstatus_of("Withheld") == ("withheld", None)
    assert pubstatus_of("Embargoed") == ("usable", "Embargoed")
    assert pubstatus_of(None) == ("usable", None)


def test_take_pubstatus_records_kill_and_odd_values() -> None:
    markers = Markers()
    assert take_pubstatus("stat:canceled", markers) == "canceled"
    assert (markers.update_type, markers.signals) == (UpdateType.WITHDRAWAL, ["pubstatus:canceled"])
    markers = Markers()
    assert take_pubstatus("replaced", markers) == "usable"
    assert (markers.update_type, markers.signals) == (UpdateType.NEW, ["pubstatus:replaced"])


@pytest.mark.parametrize(("value", "expected"), [(None, None), (0, None), (1, 1), (9, 9), (10, None)])
def test_valid_urgency(value: int | None, expected: int | None) -> None:
    assert valid_urgency(value) == expected


def test_entry_rejections_name_the_entry_and_keep_the_type() -> None:
    with (
        pytest.raises(MissingContent, match=r"^entries\[2\]: no headline$") as caught,
        entry_rejections("entries[2]"),
    ):
        raise MissingContent("no headline", stage="validate")
    assert caught.value.stage == "validate"
