"""Shared fixtures: one Enricher per test session (construction loads lingua, ~1-2 s)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schemas.enrichment import Enrichment
from schemas.item import Dateline, ParsedItem
from streams.enrich import Enricher
from streams.formats.dpa_text import DpaTextParser

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "enrich"


@pytest.fixture(scope="session")
def enricher() -> Enricher:
    return Enricher()


def load_item(name: str) -> ParsedItem:
    """``*.txt`` fixtures are raw dpa text (parsed like production); ``*.json`` are item fields."""
    path = FIXTURES / name
    if path.suffix == ".txt":
        return DpaTextParser().parse(path.read_bytes())[0]
    data = json.loads(path.read_text(encoding="utf-8"))
    return make_item(
        data["headline"], data["paragraphs"], dateline=data.get("dateline"), language=data.get("language")
    )


def make_item(
    headline: str,
    paragraphs: list[str] | tuple[str, ...] = (),
    *,
    dateline: str | None = None,
    language: str | None = None,
    **fields: object,
) -> ParsedItem:
    return ParsedItem.model_validate(
        {
            "format": "test",
            "agency_family": "test",
            "item_id": "test-1",
            "item_id_explicit": True,
            "headline": headline,
            "paragraphs": tuple(paragraphs),
            "dateline": Dateline(place=dateline) if dateline else None,
            "language": language,
            **fields,
        }
    )


def names(result: Enrichment, kind: str) -> set[str]:
    return {t.name for t in getattr(result, kind)}


def uris(result: Enrichment, kind: str) -> set[str | None]:
    return {t.uri for t in getattr(result, kind)}
