"""enrich never raises, whatever the text, and stays pure (no service or environment imports)."""

from __future__ import annotations

import ast
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemas.enrichment import Enrichment
from streams.enrich import Enricher
from tests.unit.enrich.conftest import make_item

ENRICH = Path(__file__).resolve().parents[3] / "streams" / "enrich"
WORDS = st.sampled_from(
    [
        "Putin",
        "Kim",
        "Kims",
        "Jong",
        "Un",
        "AG",
        "SE",
        "GmbH",
        "&",
        "Co.",
        "KG",
        "Präsident",
        "DE0007236101",
        "WKN",
        "723610",
        "(",
        ")",
        "Xetra:",
        "$",
        "AAPL",
        "-",
        "Kim-Il-Sung-Platz",
        "Russlands",
        "nordkoreanischen",
        "U.S.",
        "Mr.",
        "von",
        "der",
        "Inc.",
        ".",
        ",",
        "¶",
        "Essen",
        "in",
        "'s",
        "’",
        "Nato-",
        "-Gipfel",
        "É",
        "ß",
    ]
)
TEXT = st.one_of(st.text(max_size=300), st.lists(WORDS, max_size=40).map(" ".join))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    headline=TEXT,
    paragraphs=st.lists(TEXT, max_size=4),
    dateline=st.one_of(st.none(), st.text(min_size=1, max_size=30).filter(str.strip)),
    language=st.one_of(st.none(), st.sampled_from(["de", "en-US", "x-unknown", ""])),
)
def test_enrich_never_raises(
    enricher: Enricher, headline: str, paragraphs: list[str], dateline: str | None, language: str | None
) -> None:
    result = enricher.enrich(make_item(headline, paragraphs, dateline=dateline, language=language or None))
    assert isinstance(result, Enrichment)
    for tag in (*result.people, *result.places, *result.organisations, *result.subjects):
        assert 0.0 <= tag.confidence <= 1.0
        assert tag.relevance is None or 0.0 <= tag.relevance <= 100.0


def test_large_message(enricher: Enricher) -> None:
    text = "Präsident Wladimir Putin traf Kim Jong Un in Pjöngjang. " * 5000
    result = enricher.enrich(make_item("Putin", [text]))
    assert {t.name for t in result.people} == {"Wladimir Putin", "Kim Jong Un"}


def test_core_is_pure() -> None:
    banned = {"faust", "aiokafka", "prometheus_client", "requests", "urllib", "httpx", "socket"}
    for path in ENRICH.rglob("*.py"):
        if path.name == "build.py":
            continue  # build-time generator, never imported at run time
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                mods = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                mods = {(node.module or "").split(".")[0]}
            else:
                mods = set()
            assert not mods & banned, f"{path.name} imports {mods & banned}"
            if isinstance(node, ast.Attribute) and node.attr in {"environ", "getenv"}:
                raise AssertionError(f"{path.name} reads the environment")
