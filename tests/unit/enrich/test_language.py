"""Language detection: the agency's declaration wins; German, English, French, Spanish and Italian
texts and short headlines are told apart offline."""

from __future__ import annotations

import pytest

from streams.enrich import Enricher
from streams.enrich.language import LanguageDetector, StopwordProfile, normalise_tag
from streams.enrich.text import Doc
from tests.unit.enrich.conftest import make_item

GERMAN = (
    "Die Bundesregierung hat am Mittwoch ein neues Gesetz beschlossen, das die Förderung von "
    "Wärmepumpen deutlich ausweitet. Nach Angaben des Ministeriums sollen Haushalte bereits ab "
    "dem kommenden Jahr profitieren, wie ein Sprecher in Berlin sagte."
)
ENGLISH = (
    "The government approved a new law on Wednesday that expands support for heat pumps. "
    "According to the ministry, households will benefit from next year, a spokesman said in Berlin."
)
FRENCH = (
    "Le gouvernement a adopté mercredi une nouvelle loi qui étend le soutien aux pompes à chaleur. "
    "Selon le ministère, les ménages pourront en profiter dès l'année prochaine, a déclaré un porte-parole."
)


def test_agency_language_wins(enricher: Enricher) -> None:
    result = enricher.enrich(make_item("Putin in Pjöngjang", [GERMAN], language="en-GB"))
    assert (result.language, result.language_source, result.language_confidence) == ("en-GB", "agency", None)


@pytest.mark.parametrize(("text", "lang"), [(GERMAN, "de"), (ENGLISH, "en"), (FRENCH, "fr")])
def test_long_texts_use_the_stopword_profile(enricher: Enricher, text: str, lang: str) -> None:
    doc = Doc.build("", [text])
    found = enricher.language.detect(doc.lower_counts, text)
    assert (found.language, found.method) == (lang, "stopwords")
    assert found.confidence is not None and found.confidence >= 0.75


@pytest.mark.parametrize(
    ("headline", "lang"),
    [
        ("Putin in Nordkorea eingetroffen", "de"),
        ("Putin arrives in North Korea", "en"),
        ("Aktien Frankfurt Schluss: Dax legt zu", "de"),
        ("Poutine arrive en Corée du Nord", "fr"),
        ("Poetin arriveert in Noord-Korea", "nl"),
    ],
)
def test_short_headlines_go_to_lingua(enricher: Enricher, headline: str, lang: str) -> None:
    result = enricher.enrich(make_item(headline))
    assert (result.language, result.language_source) == (lang, "detected")
    assert result.language_confidence is not None and 0 < result.language_confidence <= 1


def test_empty_text_is_unknown(enricher: Enricher) -> None:
    result = enricher.enrich(make_item("", []))
    assert (result.language, result.language_source, result.language_confidence) == (None, "unknown", None)


def test_stopword_profile_without_lingua() -> None:
    detector = LanguageDetector(use_lingua=False)
    long_doc = Doc.build("", [GERMAN])
    assert detector.detect(long_doc.lower_counts, GERMAN).language == "de"
    short = Doc.build("Die Lage", [])
    weak = detector.detect(short.lower_counts, "Die Lage")
    assert weak.method in {"stopwords-weak", "none"}


def test_shared_words_do_not_vote() -> None:
    profile = StopwordProfile({"de": ["die", "und", "in"], "en": ["the", "and", "in"]})
    assert "in" not in profile.word_lang
    assert profile.scores({"in": 5, "und": 2, "the": 1}) == {"de": 2, "en": 1}


def test_normalise_tag() -> None:
    assert normalise_tag("de-DE") == "de"
    assert normalise_tag("EN_us") == "en"
