"""Language of a message: the agency's declaration wins, otherwise detection.

Detection has two tiers, both loaded once at construction:

1. A stopword profile (``data/language.toml``): distinctive function words per language are counted
   over the whole text. A 3 KB news text has well over a hundred hits, so when there are at least
   ``MIN_HITS`` and one language holds ``MIN_SHARE`` of them the answer is certain and costs a few
   dozen dict lookups.
2. lingua (``lingua-language-detector``, models inside the wheel) restricted to a few languages,
   for short or mixed texts (headline-only alerts, flashes). It sees the headline plus the first
   ``SAMPLE_CHARS`` characters of the body, which keeps it near 100-250 µs.

lingua with all models preloaded for the seven default languages takes about 2 s to build and
~200 MB of memory; pass ``use_lingua=False`` to run on the stopword profile alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple

from lingua import IsoCode639_1, LanguageDetectorBuilder
from lingua import LanguageDetector as LinguaDetector

from streams.enrich.text import load_toml

DEFAULT_LANGUAGES: tuple[str, ...] = ("de", "en", "fr", "es", "it", "nl", "pt")
MIN_HITS = 8
MIN_SHARE = 0.75
SAMPLE_CHARS = 400


class Detected(NamedTuple):
    language: str | None
    confidence: float | None
    method: str


def normalise_tag(tag: str) -> str:
    """Primary subtag of a BCP 47 tag, lower case: ``de-DE`` → ``de``."""
    return tag.replace("_", "-").split("-", 1)[0].strip().lower()


class StopwordProfile:
    """Counts distinctive function words; a word listed for two languages votes for neither."""

    def __init__(self, stopwords: Mapping[str, Iterable[str]]) -> None:
        owner: dict[str, str] = {}
        shared: set[str] = set()
        for lang, words in stopwords.items():
            for word in set(words):
                if word in owner and owner[word] != lang:
                    shared.add(word)
                owner[word] = lang
        self.word_lang: dict[str, str] = {w: lang for w, lang in owner.items() if w not in shared}
        self.languages = tuple(stopwords)

    def scores(self, lower_counts: Mapping[str, int]) -> dict[str, int]:
        word_lang = self.word_lang
        hits: dict[str, int] = {}
        for word in lower_counts.keys() & word_lang.keys():
            lang = word_lang[word]
            hits[lang] = hits.get(lang, 0) + lower_counts[word]
        return hits

    def detect(self, lower_counts: Mapping[str, int]) -> Detected | None:
        hits = self.scores(lower_counts)
        total = sum(hits.values())
        if total < MIN_HITS:
            return None
        lang, best = max(hits.items(), key=lambda kv: kv[1])
        share = best / total
        if share < MIN_SHARE:
            return None
        return Detected(lang, round(min(0.99, share), 3), "stopwords")


class LanguageDetector:
    def __init__(self, languages: Iterable[str] = DEFAULT_LANGUAGES, *, use_lingua: bool = True) -> None:
        langs = tuple(dict.fromkeys(normalise_tag(code) for code in languages))
        table = load_toml("language.toml")["stopwords"]
        self.profile = StopwordProfile({lang: table[lang] for lang in langs if lang in table})
        self._lingua = _build_lingua(langs) if use_lingua else None

    def detect(self, lower_counts: Mapping[str, int], sample: str) -> Detected:
        found = self.profile.detect(lower_counts)
        if found is not None:
            return found
        if self._lingua is not None and sample.strip():
            values = self._lingua.compute_language_confidence_values(sample[: SAMPLE_CHARS + 200])
            if values and values[0].value > 0.0:
                top = values[0]
                return Detected(top.language.iso_code_639_1.name.lower(), round(top.value, 3), "lingua")
        hits = self.profile.scores(lower_counts)
        if hits:
            lang, best = max(hits.items(), key=lambda kv: kv[1])
            return Detected(lang, round(0.5 * best / sum(hits.values()), 3), "stopwords-weak")
        return Detected(None, None, "none")


def _build_lingua(languages: Iterable[str]) -> LinguaDetector:
    codes = [IsoCode639_1.from_str(code) for code in languages]
    if len(codes) < 2:
        raise ValueError("lingua needs at least two known languages")
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).with_preloaded_language_models().build()
