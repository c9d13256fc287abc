"""Countries and cities from the generated gazetteer (``data/places.json``, see ``data/build.py``).

Matching is token based and case sensitive for names: a phrase index keyed by the first token
gives the longest match (``Vereinigten Arabischen Emiraten`` before ``Vereinigten``). Genitive
and possessive forms (``Russlands``, ``Pjöngjangs``, ``Russia's``) are indexed at construction, so
the hot path is one dict lookup per capitalised token. German country adjectives are lower case
(``nordkoreanischen``): their stems are expanded with the adjective endings at construction and
looked up over the message's distinct lower-case tokens (hyphenated compounds part by part).
English adjectives/demonyms (``North Korean``, ``Russians``) and German city adjectives
(``Moskauer``, ``Frankfurter``) go through the phrase index with lower confidence.

The dateline place (often upper case: ``PJÖNGJANG``) is looked up case-insensitively, including
the smaller dateline-only cities, and gets rel ``located``; every other place is ``mentioned``.
City names that are also ordinary words or common first names (``Essen``, ``Halle``, ``Sofia``)
count in body text only right after a locative preposition. Countries win over cities sharing a
name. Output names follow the text's language (``Nordkorea`` / ``North Korea``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from schemas.enrichment import Tag
from schemas.item import Dateline
from streams.enrich.text import Doc, PhraseIndex, genitive_forms, load_json, match_bucket, relevance

ADJECTIVE_ENDINGS_DE = ("", "e", "en", "em", "er", "es")
LOCATIVE = frozenset(
    {"in", "aus", "nach", "bei", "von", "vor", "über", "im", "nahe", "from", "to", "near", "at", "outside"}
)
DATELINE_SPLIT = ("/", ",", ";")


class Place(NamedTuple):
    uri: str
    country: str
    de: str
    en: str
    geonames: str | None


class Form(NamedTuple):
    place: Place
    confidence: float
    method: str
    ambiguous: bool


@dataclass(slots=True)
class _Acc:
    place: Place
    score: float
    confidence: float
    method: str
    evidence: str
    located: bool = False


AddFn = Callable[[Place, float, float, str, str], None]


class PlaceFinder:
    def __init__(self) -> None:
        data = load_json("places.json")
        self.countries: dict[str, Place] = {
            code: Place(f"iso3166-1a2:{code}", code, de, en, None)
            for code, (de, en) in data["countries"].items()
        }
        self.cities: dict[str, Place] = {
            gid: Place(f"geonames:{gid}", cc, de, en, gid)
            for gid, (en, de, cc, _pop, _tier) in data["cities"].items()
        }
        body_city = {gid for gid, row in data["cities"].items() if row[4] == 1}
        ambiguous = set(data["ambiguous_cities"])
        self.index = PhraseIndex()
        self.compound: dict[str, Place] = {}
        self.dateline: dict[str, Place] = {}
        taken: set[str] = set()
        for form, code in data["country_forms"].items():
            place = self.countries[code]
            for variant in genitive_forms(form):
                if variant not in taken:
                    self.index.add(variant, Form(place, 0.95, "gazetteer", False))
                    taken.add(variant)
            self.compound.setdefault(form, place)
            self.dateline.setdefault(form.casefold(), place)
        for form, gid in data["city_forms"].items():
            place = self.cities[gid]
            self.dateline.setdefault(form.casefold(), place)
            if gid not in body_city:
                continue
            amb = form in ambiguous
            for variant in genitive_forms(form):
                if variant not in taken:
                    self.index.add(variant, Form(place, 0.9, "gazetteer", amb))
                    taken.add(variant)
            if not amb:
                self.compound.setdefault(form, place)
        for form, code in data["adjectives_en"].items():
            for variant in (form, form + "s"):
                if variant not in taken:
                    self.index.add(variant, Form(self.countries[code], 0.75, "gazetteer-adjective", False))
                    taken.add(variant)
        for form, gid in data["city_adjectives"].items():
            if form not in taken:
                self.index.add(form, Form(self.cities[gid], 0.7, "gazetteer-adjective", False))
                taken.add(form)
        self.adjectives_de: dict[str, Place] = {
            stem + end: self.countries[code]
            for stem, code in data["adjectives_de"].items()
            for end in ADJECTIVE_ENDINGS_DE
        }
        for form in data["blocked_forms"]:  # "South America" is not the USA
            self.index.add(form, None, replace=True)
        # One-token country forms (and their genitives): never a person's first name or surname.
        self.country_tokens = frozenset(
            v for form in data["country_forms"] if " " not in form for v in genitive_forms(form)
        )

    def name(self, place: Place, lang: str) -> str:
        return place.de if lang == "de" else place.en

    def find(self, doc: Doc, claimed: set[int], dateline: Dateline | None = None) -> list[Tag]:
        acc: dict[str, _Acc] = {}

        def add(place: Place, score: float, confidence: float, method: str, evidence: str) -> None:
            hit = acc.get(place.uri)
            if hit is None:
                acc[place.uri] = _Acc(place, score, confidence, method, evidence)
            else:
                hit.score += score
                hit.confidence = max(hit.confidence, confidence)

        if dateline is not None:
            self._dateline(dateline, acc)
        tokens = doc.tokens
        first = self.index.first
        next_free = 0
        for i in doc.caps:
            token = tokens[i]
            bucket = first.get(token)
            if bucket is None:
                if "-" in token and i not in claimed:
                    self._compound(token, add)
                continue
            if i < next_free or i in claimed:
                continue
            found = match_bucket(bucket, tokens, i)
            if found is None:
                continue
            n, form = found
            if form is None:
                next_free = i + n
                continue
            if form.ambiguous and not (i > 0 and tokens[i - 1].lower() in LOCATIVE):
                continue
            if n > 1 and any(k in claimed for k in range(i + 1, i + n)):
                continue
            bonus = 1.0 if i < doc.headline_len else 0.0
            add(form.place, 1.0 + bonus, form.confidence, form.method, doc.span(i, i + n) if n > 1 else token)
            next_free = i + n
        lower = doc.lower_counts
        adjectives = self.adjectives_de
        for word in lower.keys() & adjectives.keys():
            add(adjectives[word], 0.5 * lower[word], 0.7, "gazetteer-adjective", word)
        for word in [w for w in lower if "-" in w and w[0].islower()]:
            for part in word.split("-"):
                place = adjectives.get(part)
                if place is not None:
                    add(place, 0.5 * lower[word], 0.65, "gazetteer-adjective", word)
        rel = relevance({uri: a.score for uri, a in acc.items()})
        tags: list[Tag] = []
        for uri, a in acc.items():
            place = a.place
            identifiers = {"country": place.country}
            if place.geonames:
                identifiers["geonames"] = place.geonames
            hits = max(1, round(a.score))
            tags.append(
                Tag(
                    kind="place",
                    name=self.name(place, doc.lang),
                    rel="located" if a.located else "mentioned",
                    uri=uri if not uri.startswith("dateline:") else None,
                    confidence=round(min(0.99, a.confidence + 0.02 * (hits - 1)), 3),
                    relevance=rel[uri],
                    method=a.method,
                    evidence=a.evidence,
                    identifiers=identifiers if place.country else {},
                )
            )
        tags.sort(key=lambda t: (t.rel != "located", -(t.relevance or 0.0), t.name))
        return tags

    def _compound(self, token: str, add: AddFn) -> None:
        """``US-Präsident``, ``Nordkorea-Besuch``, ``Ost-Ukraine``: a place as a compound part."""
        parts = token.split("-")
        for part in (parts[0], parts[-1]):
            place = self.compound.get(part)
            if place is not None:
                add(place, 0.5, 0.75, "gazetteer-compound", token)
                return

    def _dateline(self, dateline: Dateline, acc: dict[str, _Acc]) -> None:
        raw = dateline.place
        for sep in DATELINE_SPLIT[1:]:
            raw = raw.replace(sep, DATELINE_SPLIT[0])
        for part in raw.split(DATELINE_SPLIT[0]):
            text = " ".join(part.split())
            if not text:
                continue
            place = self.dateline.get(text.casefold())
            if place is None:
                nice = text.title() if text.isupper() else text
                place = Place(f"dateline:{nice}", "", nice, nice, None)
                confidence, method = 0.5, "dateline"
            else:
                confidence, method = 0.95, "dateline-gazetteer"
            hit = acc.get(place.uri)
            if hit is None:
                hit = acc[place.uri] = _Acc(place, 3.0, confidence, method, text)
            hit.located = True
