"""Shared per-message text view: one tokenisation reused by every stage, plus small helpers.

Tokens are whitespace-separated words with punctuation split off (``Pjöngjangs,`` → ``Pjöngjangs``,
``,``). Hyphens and apostrophes stay inside words, so ``Kim-Il-Sung-Platz``, ``US-Präsident`` and
``Kim's`` stay whole; dotted abbreviations come apart (``U.S.`` → ``U . S .``), and the phrase
tables are tokenised the same way, so they still match. Splitting with ``str.replace`` and
``str.split`` costs about a third of a regex tokeniser on 3 KB texts. Paragraph breaks become a
``¶`` token, so sentence logic sees them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"

PUNCTUATION = '.,;:!?()[]{}"„“”«»‚‘/–—…¶•$%+*=<>|&'
_SPACED = tuple((ch, f" {ch} ") for ch in PUNCTUATION)
PARAGRAPH = " ¶ "


def tokenize(text: str) -> list[str]:
    for ch, spaced in _SPACED:
        if ch in text:
            text = text.replace(ch, spaced)
    return text.split()


@dataclass(slots=True)
class Doc:
    """One message's text, tokenised once. ``lang`` is the primary language subtag used by rules."""

    text: str
    tokens: list[str]
    headline_len: int
    lang: str = "de"
    caps: list[int] = field(default_factory=list)
    _lower: dict[str, int] | None = None
    _token_set: frozenset[str] | None = None

    @classmethod
    def build(cls, headline: str, paragraphs: Sequence[str]) -> Doc:
        head = tokenize(headline)
        body = PARAGRAPH.join(paragraphs)
        tokens = tokenize(headline + PARAGRAPH + body) if head else tokenize(body)
        caps = [i for i, t in enumerate(tokens) if t[0].isupper()]
        return cls(text=headline + PARAGRAPH + body, tokens=tokens, headline_len=len(head), caps=caps)

    @property
    def lower_counts(self) -> dict[str, int]:
        """Lower-cased token counts, computed once per message."""
        if self._lower is None:
            self._lower = Counter(map(str.lower, self.tokens))
        return self._lower

    @property
    def token_set(self) -> frozenset[str]:
        if self._token_set is None:
            self._token_set = frozenset(self.tokens)
        return self._token_set

    def span(self, start: int, end: int) -> str:
        """Tokens ``start:end`` joined back into text (no space before punctuation)."""
        out = ""
        prev = ""
        for token in self.tokens[start:end]:
            glued = (
                prev == "." and len(token) == 1 and token.isupper() and len(out) >= 2 and out[-2].isupper()
            )
            if out and (token[0].isalnum() or token in "&(") and not out.endswith(("-", "(")) and not glued:
                out += " "
            out += token
            prev = token
        return out


def load_toml(name: str) -> dict[str, Any]:
    import tomllib

    return tomllib.loads((DATA / name).read_text(encoding="utf-8"))


def load_json(name: str) -> dict[str, Any]:
    import json

    data: dict[str, Any] = json.loads((DATA / name).read_text(encoding="utf-8"))
    return data


class PhraseIndex:
    """Longest-match lookup of token sequences, keyed by their first token.

    ``add("Vereinigte Staaten", value)`` indexes the token tuple; ``match(tokens, i)`` returns the
    longest phrase starting at ``i`` as ``(length, value)``. Construction cost only; a lookup is one
    dict access plus a slice compare per candidate.
    """

    __slots__ = ("_first",)

    def __init__(self) -> None:
        self._first: dict[str, list[tuple[tuple[str, ...], Any]]] = {}

    def add(self, phrase: str | Sequence[str], value: Any, *, replace: bool = False) -> None:
        parts = tuple(tokenize(phrase)) if isinstance(phrase, str) else tuple(phrase)
        if not parts:
            return
        bucket = self._first.setdefault(parts[0], [])
        rest = parts[1:]
        for k, (existing, _) in enumerate(bucket):
            if existing == rest:
                if replace:
                    bucket[k] = (rest, value)
                return
        bucket.append((rest, value))
        bucket.sort(key=lambda entry: -len(entry[0]))

    @property
    def first(self) -> dict[str, list[tuple[tuple[str, ...], Any]]]:
        """First token → candidates ``(rest, value)``, longest first (for inlined hot loops)."""
        return self._first

    def match(self, tokens: Sequence[str], i: int) -> tuple[int, Any] | None:
        bucket = self._first.get(tokens[i])
        return None if bucket is None else match_bucket(bucket, tokens, i)


def match_bucket(
    bucket: list[tuple[tuple[str, ...], Any]], tokens: Sequence[str], i: int
) -> tuple[int, Any] | None:
    """Longest candidate of ``bucket`` (from ``PhraseIndex.first``) that matches at ``i``."""
    for rest, value in bucket:
        n = len(rest)
        if not n:
            return 1, value
        if tuple(tokens[i + 1 : i + 1 + n]) == rest:
            return n + 1, value
    return None


def genitive_forms(form: str) -> Iterable[str]:
    """``Russland`` → ``Russlands``, ``Russland's``, ``Russland’s`` (the last word inflected)."""
    yield form
    if not form[-1:].isalpha():
        return
    if form[-1] not in "sxzß":
        yield form + "s"
    yield form + "'s"
    yield form + "’s"


def possessive_base(token: str) -> str | None:
    """``Kims``/``Kim's``/``Kim’s`` → ``Kim``; None when the token has no possessive ending."""
    if token.endswith(("'s", "’s")):
        return token[:-2]
    if len(token) > 3 and token.endswith("s") and not token.endswith("ss"):
        return token[:-1]
    return None


def relevance(scores: Mapping[str, float]) -> dict[str, float]:
    """Scores scaled so that the best one is 100."""
    best = max(scores.values(), default=0.0)
    if best <= 0:
        return {key: 0.0 for key in scores}
    return {key: round(min(100.0, 100.0 * value / best), 1) for key, value in scores.items()}
