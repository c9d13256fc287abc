"""Text normalisation for linking: one pass from wire text to comparable terms.

Case and umlaut folding (``Pjöngjang`` and ``PJOENGJANG`` meet), light German and English
stemming (``Gesprächen`` and ``Gespräche``), a compound head for long German words
(``Staatsbesuch`` also counts as ``besuch``), numbers without separators (``1.200`` = ``1200``)
and a bottom-k sketch of word 3-grams for cheap near-duplicate estimates. The sketch uses crc32,
not ``hash()``: it is stored in story state and must mean the same after a restart.
"""

from __future__ import annotations

import re
import sys
import zlib
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import chain, islice

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
    Folding per word (not per text) keeps ``str.translate`` off the hot path. The terms are
    interned here, once per distinct word, so the fingerprints that keep them share memory."""
    token = word.translate(_FOLD)
    if token[0].isdigit():
        return (sys.intern("#" + _NUMBER_SEP.sub("", token)),)
    if len(token) < 3 or token in STOPWORDS:
        return ()
    if len(token) >= 11:
        # Compound head: German puts the meaning at the end (Staatsbesuch -> besuch).
        return (sys.intern(stem(token)), sys.intern("~" + stem(token[-6:])))
    return (sys.intern(stem(token)),)


def terms(text: str) -> list[str]:
    """Stemmed content terms in text order; numbers as ``#1200``."""
    return list(chain.from_iterable(map(_analyse, _TOKEN.findall(text.lower()))))


@lru_cache(maxsize=8192)
def _paragraph_terms(paragraph: str) -> tuple[str, ...]:
    """``terms`` of one paragraph, cached: an update repeats most paragraphs of the version
    before it, and another rendition of an item all of them (about half the paragraphs of a
    realistic stream come again), so most of a body is tokenised once. Bounded like ``_analyse``."""
    return tuple(terms(paragraph))


def sketch(sequence: Sequence[str], size: int = SKETCH_SIZE) -> tuple[int, ...]:
    """Bottom-k of crc32 word 3-gram hashes: sorted ascending, at most ``size`` values."""
    words = [t for t in sequence if not t.startswith("~")]
    if len(words) < 3:
        grams: Iterable[str] = words
    else:
        # The same "a b c" strings as an f-string per index, built and hashed in C (the shorter
        # slices end the zip: one gram per start but the last two words).
        grams = map(" ".join, zip(words, words[1:], words[2:], strict=False))
    hashes = set(map(zlib.crc32, map(str.encode, grams)))
    # The whole sort of a few hundred ints beats heapq.nsmallest; same ascending prefix.
    return tuple(sorted(hashes)[:size])


def fingerprint(item: ParsedItem, enrichment: Enrichment | None = None) -> Fingerprint:
    headline = _paragraph_terms(item.headline)
    body = list(chain.from_iterable(map(_paragraph_terms, item.paragraphs)))
    # Wire copy puts the essence up front: headline and lead first, capped (the terms come
    # interned from ``_analyse``, to share memory).
    chosen = tuple(islice(dict.fromkeys(chain(headline, body)), MAX_TERMS))
    place = fold(item.dateline.place) if item.dateline else None
    named = [e.name for e in (*item.people, *item.organisations) if e.name]
    if enrichment is not None:
        named.extend(t.name for t in (*enrichment.people, *enrichment.organisations))
    # The last word of a name: "Hollerer" in one version is "Lukas Hollerer" in the next.
    names = {words[-1] for name in named if (words := fold(name).split())}
    return Fingerprint(
        terms=chosen,
        headline_terms=tuple(dict.fromkeys(headline)),
        sketch=sketch(body or headline),
        place=place,
        names=tuple(sorted(names)),
    )
