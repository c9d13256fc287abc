"""Pure enrichment core: language, people, places, organisations/securities and IPTC subjects.

``Enricher()`` loads everything once (gazetteer, name lists, rules, the lingua detector);
``Enricher.enrich(item)`` is the per-message hot path: one tokenisation shared by all stages,
dict lookups per token, no regex compilation, no network, no environment access, no state that
grows with the number of stories (only bounded per-token memo caches).

Stage order matters: organisations claim their tokens first (``Hugo Boss AG`` is no person,
``Weißen Haus`` no place), then people (``Paris Hilton`` is no place, a lone ``Kim`` after
``Kim Jong Un`` is the same person), then places on what is left. Agency tags from the item are
kept as they came (creator ``agency``); a machine tag that repeats one of them is dropped.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from typing import Literal

from schemas.enrichment import Enrichment, Tag, TagKind
from schemas.item import Entity, ParsedItem
from streams.enrich.language import DEFAULT_LANGUAGES, LanguageDetector, normalise_tag
from streams.enrich.organisations import OrganisationFinder
from streams.enrich.people import PersonFinder
from streams.enrich.places import PlaceFinder
from streams.enrich.subjects import SubjectClassifier
from streams.enrich.text import Doc, load_toml

__all__ = ["STAGES", "Enricher"]

LanguageSource = Literal["agency", "detected", "unknown"]
STAGES = ("tokenize", "language", "organisations", "people", "places", "subjects", "assemble")


class Enricher:
    def __init__(self, *, languages: Iterable[str] = DEFAULT_LANGUAGES, use_lingua: bool = True) -> None:
        self.language = LanguageDetector(languages, use_lingua=use_lingua)
        by_lang: dict[str, list[str]] = load_toml("language.toml")["stopwords"]
        stopwords = {w for words in by_lang.values() for w in words}
        self.places = PlaceFinder()
        self.organisations = OrganisationFinder(country_codes=self.places.countries, stopwords=stopwords)
        self.people = PersonFinder(non_name_tokens=self.places.country_tokens, stopwords=by_lang)
        self.subjects = SubjectClassifier()

    def enrich(self, item: ParsedItem) -> Enrichment:
        return self._run(item, None)

    def profile(self, item: ParsedItem) -> tuple[Enrichment, dict[str, float]]:
        """``enrich`` plus seconds spent per stage (for bench/bench_enrich.py)."""
        timings: dict[str, float] = {}
        return self._run(item, timings), timings

    def _run(self, item: ParsedItem, timings: dict[str, float] | None) -> Enrichment:
        clock: Callable[[], float] = time.perf_counter if timings is not None else _zero
        marks = [clock()]
        doc = Doc.build(item.headline, item.paragraphs)
        marks.append(clock())
        source: LanguageSource
        if item.language:
            language: str | None = item.language
            source = "agency"
            confidence: float | None = None
        else:
            sample = item.headline + " " + " ".join(item.paragraphs)[:400]
            found = self.language.detect(doc.lower_counts, sample)
            language, confidence = found.language, found.confidence
            source = "detected" if language else "unknown"
        doc.lang = normalise_tag(language) if language else "en"
        marks.append(clock())
        claimed: set[int] = set()
        organisations = self.organisations.find(doc, claimed)
        marks.append(clock())
        people = self.people.find(doc, claimed)
        marks.append(clock())
        places = self.places.find(doc, claimed, item.dateline)
        marks.append(clock())
        agency_subjects = _agency(item.subjects, "subject")
        subjects = self.subjects.classify(doc, frozenset(t.uri for t in agency_subjects if t.uri))
        marks.append(clock())
        result = Enrichment(
            language=language,
            language_source=source,
            language_confidence=confidence,
            people=_merge(_agency(item.people, "person"), people),
            places=_merge(_agency(item.places, "place"), places),
            organisations=_merge(_agency(item.organisations, "organisation"), organisations),
            subjects=(*agency_subjects, *subjects),
        )
        marks.append(clock())
        if timings is not None:
            for stage, start, end in zip(STAGES, marks[:-1], marks[1:], strict=True):
                timings[stage] = timings.get(stage, 0.0) + end - start
        return result


def _zero() -> float:
    return 0.0


def _agency(entities: Sequence[Entity], kind: TagKind) -> list[Tag]:
    """The agency's own tags, kept as they came (creator ``agency``)."""
    tags: list[Tag] = []
    for entity in entities:
        name = entity.name or entity.literal or entity.uri
        if name:
            tags.append(
                Tag(
                    kind=kind,
                    name=name,
                    rel=entity.rel,
                    uri=entity.uri,
                    literal=entity.literal,
                    creator="agency",
                    method="agency",
                )
            )
    return tags


def _merge(agency: list[Tag], machine: list[Tag]) -> tuple[Tag, ...]:
    """Agency tags first; machine tags that repeat one (same uri or same name) are dropped."""
    if not agency:
        return tuple(machine)
    uris = {t.uri for t in agency if t.uri}
    names = {t.name.casefold() for t in agency}
    kept = [t for t in machine if not (t.uri and t.uri in uris) and t.name.casefold() not in names]
    return (*agency, *kept)
