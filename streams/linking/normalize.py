"""Text normalisation for linking: one pass from wire text to comparable terms.

Case and umlaut folding (``Pjöngjang`` and ``PJOENGJANG`` meet), light German and English
stemming (``Gesprächen`` and ``Gespräche``), a compound head for long German words
(``Staatsbesuch`` also counts as ``besuch``), numbers without separators (``1.200`` = ``1200``)
and a bottom-k sketch of word 3-grams for cheap near-duplicate estimates. The sketch uses crc32,
not ``hash()``: it is stored in story state and must mean the same after a restart.
"""

from __future__ import annotations

import heapq
import re
import sys
import zlib
from collections.abc import Iterable
from functools import lru_cache

from schemas.enrichment import Enrichment
from schemas.item import ParsedItem
from schemas.story import Fingerprint

SKETCH_SIZE = 64
MAX_TERMS = 96

_FOLD = str.maketrans(
    {
        "ä": "ae",
        "ö": "oe",
        "ü": "ue",
        "ß": "ss",
        "é": "e",
        "è": "e",
        "ê": "e",
        "á": "a",
        "à": "a",
        "â": "a",
        "ó": "o",
        "ò": "o",
        "ô": "o",
        "í": "i",
        "ì": "i",
        "ú": "u",
        "ù": "u",
        "ç": "c",
        "ñ": "n",
        "ø": "o",
        "å": "a",
        "ł": "l",
        "š": "s",
        "č": "c",
        "ž": "z",
        "ć": "c",
    }
)
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+")
_NUMBER_SEP = re.compile(r"[.,]")
_SUFFIXES = ("ungen", "ung", "ern", "en", "er", "es", "em", "e", "s", "ing", "ed", "ly")

STOPWORDS = frozenset(
    [
        "der",
        "die",
        "das",
        "den",
        "dem",
        "des",
        "ein",
        "eine",
        "einer",
        "eines",
        "einem",
        "einen",
        "und",
        "oder",
        "aber",
        "auch",
        "als",
        "am",
        "an",
        "auf",
        "aus",
        "bei",
        "bis",
        "durch",
        "fuer",
        "gegen",
        "hat",
        "haben",
        "hatte",
        "hatten",
        "ist",
        "sind",
        "war",
        "waren",
        "wird",
        "werden",
        "wurde",
        "wurden",
        "sei",
        "seien",
        "im",
        "in",
        "mit",
        "nach",
        "nicht",
        "noch",
        "nun",
        "nur",
        "ob",
        "ohne",
        "sich",
        "sie",
        "er",
        "es",
        "wir",
        "ihr",
        "ihre",
        "ihren",
        "ihrem",
        "ihres",
        "sein",
        "seine",
        "seinen",
        "seinem",
        "seiner",
        "so",
        "um",
        "unter",
        "vom",
        "von",
        "vor",
        "wie",
        "zu",
        "zum",
        "zur",
        "ueber",
        "dass",
        "da",
        "dies",
        "diese",
        "dieser",
        "diesem",
        "diesen",
        "man",
        "mehr",
        "sagte",
        "sagt",
        "soll",
        "sollen",
        "kann",
        "koennen",
        "muss",
        "mal",
        "schon",
        "sowie",
        "wegen",
        "zwischen",
        "beim",
        "laut",
        "rund",
        "etwa",
        "the",
        "a",
        "an",
        "and",
        "or",
        "but",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "he",
        "she",
        "they",
        "we",
        "you",
        "his",
        "her",
        "their",
        "our",
        "not",
        "no",
        "said",
        "says",
        "will",
        "would",
        "could",
        "should",
        "than",
        "then",
        "there",
        "which",
        "who",
        "whom",
        "what",
        "when",
        "where",
        "while",
        "after",
        "before",
        "over",
        "into",
        "about",
        "also",
        "more",
        "most",
        "dpa",
        "afx",
        "ap",
        "reuters",
        "afp",
        "montag",
        "dienstag",
        "mittwoch",
        "donnerstag",
        "freitag",
        "samstag",
        "sonntag",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "uhr",
        "jahr",
        "jahren",
        "prozent",
        "percent",
    ]
)


def fold(text: str) -> str:
    return text.lower().translate(_FOLD)


def stem(token: str) -> str:
    for suffix in _SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= 4:
            return token[: -len(suffix)]
    return token


@lru_cache(maxsize=262_144)
def _analyse(word: str) -> tuple[str, ...]:
    """The terms one lower-cased word contributes; cached, since wire vocabulary repeats endlessly.
    Folding per word (not per text) keeps ``str.translate`` off the hot path."""
    token = word.translate(_FOLD)
    if token[0].isdigit():
        return ("#" + _NUMBER_SEP.sub("", token),)
    if len(token) < 3 or token in STOPWORDS:
        return ()
    if len(token) >= 11:
        # Compound head: German puts the meaning at the end (Staatsbesuch -> besuch).
        return (stem(token), "~" + stem(token[-6:]))
    return (stem(token),)


def terms(text: str) -> list[str]:
    """Stemmed content terms in text order; numbers as ``#1200``."""
    out: list[str] = []
    for word in _TOKEN.findall(text.lower()):
        out.extend(_analyse(word))
    return out


def sketch(sequence: list[str], size: int = SKETCH_SIZE) -> tuple[int, ...]:
    """Bottom-k of crc32 word 3-gram hashes: sorted ascending, at most ``size`` values."""
    words = [t for t in sequence if not t.startswith("~")]
    if len(words) < 3:
        grams: Iterable[str] = words
    else:
        grams = (f"{words[i]} {words[i + 1]} {words[i + 2]}" for i in range(len(words) - 2))
    hashes = {zlib.crc32(g.encode("utf-8")) for g in grams}
    return tuple(heapq.nsmallest(size, hashes))


def fingerprint(item: ParsedItem, enrichment: Enrichment | None = None) -> Fingerprint:
    headline = terms(item.headline)
    body: list[str] = []
    for paragraph in item.paragraphs:
        body.extend(terms(paragraph))
    # Wire copy puts the essence up front: headline and lead first, capped, interned to share memory.
    chosen: dict[str, None] = {}
    for term in (*headline, *body):
        if len(chosen) >= MAX_TERMS:
            break
        chosen.setdefault(sys.intern(term), None)
    place = fold(item.dateline.place) if item.dateline else None
    named = [e.name for e in (*item.people, *item.organisations) if e.name]
    if enrichment is not None:
        named.extend(t.name for t in (*enrichment.people, *enrichment.organisations))
    # The last word of a name: "Hollerer" in one version is "Lukas Hollerer" in the next.
    names = {words[-1] for name in named if (words := fold(name).split())}
    return Fingerprint(
        terms=tuple(chosen),
        headline_terms=tuple(dict.fromkeys(headline)),
        sketch=sketch(body or headline),
        place=place,
        names=tuple(sorted(names)),
    )
