"""Subjects: IPTC Media Topics from the shipped rule set, with parents and provenance."""

from __future__ import annotations

from schemas.item import Entity
from streams.enrich import Enricher
from streams.enrich.subjects import SubjectClassifier, trie_pattern
from streams.enrich.text import load_toml
from tests.unit.enrich.conftest import make_item

TOP_LEVEL = {
    "medtop:01000000",
    "medtop:02000000",
    "medtop:03000000",
    "medtop:04000000",
    "medtop:05000000",
    "medtop:06000000",
    "medtop:07000000",
    "medtop:08000000",
    "medtop:09000000",
    "medtop:10000000",
    "medtop:11000000",
    "medtop:12000000",
    "medtop:13000000",
    "medtop:14000000",
    "medtop:15000000",
    "medtop:16000000",
    "medtop:17000000",
}


def test_topic_table_is_consistent() -> None:
    topics = load_toml("subjects.toml")["topics"]
    assert set(topics) >= TOP_LEVEL
    for uri, topic in topics.items():
        assert uri.startswith("medtop:") and len(uri) == len("medtop:") + 8
        parent = topic.get("parent")
        assert (parent is None) == (uri in TOP_LEVEL)
        seen = {uri}
        while parent is not None:  # every chain ends at a top-level topic, no cycles
            assert parent in topics and parent not in seen
            seen.add(parent)
            parent = topics[parent].get("parent")
    assert topics["medtop:20000638"]["name"] == "international relations"
    assert topics["medtop:20000638"]["parent"] == "medtop:11000000"


def test_every_rule_targets_a_known_topic() -> None:
    SubjectClassifier()  # raises on an unknown topic


def test_parents_come_with_children(enricher: Enricher) -> None:
    result = enricher.enrich(
        make_item("Erdbeben erschüttert Japan", ["Ein schweres Erdbeben traf die Küste."])
    )
    got = {t.uri for t in result.subjects}
    assert {"medtop:20000153", "medtop:20000151", "medtop:20000148", "medtop:03000000"} <= got


def test_sport(enricher: Enricher) -> None:
    text = "Der FC Bayern gewann das Spitzenspiel der Fußball-Bundesliga. Der Trainer lobte die Mannschaft."
    result = enricher.enrich(make_item("Bayern gewinnt", [text]))
    got = {t.uri for t in result.subjects}
    assert "medtop:15000000" in got
    assert "medtop:04000000" not in got


def test_agency_subjects_are_kept_and_not_repeated(enricher: Enricher) -> None:
    agency = (
        Entity(name="Politik", uri="medtop:11000000", rel="about", scheme="medtop"),
        Entity(literal="Nordkorea-Reise"),
    )
    result = enricher.enrich(
        make_item(
            "Putin in Nordkorea", ["Der Staatsbesuch und die Gespräche über den Vertrag."], subjects=agency
        )
    )
    by_creator = [(t.creator, t.uri) for t in result.subjects]
    assert by_creator[:2] == [("agency", "medtop:11000000"), ("agency", None)]
    assert result.subjects[0].name == "Politik"
    assert result.subjects[1].name == "Nordkorea-Reise"
    assert ("machine", "medtop:11000000") not in by_creator
    assert ("machine", "medtop:20000638") in by_creator


def test_no_subjects_for_noise(enricher: Enricher) -> None:
    assert enricher.enrich(make_item("Hallo", ["Ja, nein, vielleicht."])).subjects == ()


def test_trie_pattern_prefers_the_longest_stem() -> None:
    import re

    rx = re.compile(trie_pattern(["staat", "staatsbesuch", "besuch"]))
    assert rx.findall("staatsbesuch") == ["staatsbesuch"]
    assert rx.findall("besuchsstaat") == ["besuch", "staat"]
