"""Person names by rules: titles, first-name lists, East Asian name order, coreference.

Rules, tried at each capitalised token (tokens already claimed by organisations are skipped):

1. Title run + name: ``Präsident Wladimir Putin``, ``Machthaber Kim Jong Un``, ``Prime Minister
   Rishi Sunak``. German titles match by suffix (``Kremlchef``, ``Außenministerin``, ``Siemens-Chef``).
   A single name token after a title is a lone surname, resolved in pass 2.
2. East Asian order: a family name (Kim, Xi, Li, ...) followed by one or two given-name tokens made
   of romanised syllables (``Kim Jong Un``, ``Xi Jinping``, ``Lee Jae-myung``).
3. Known first name (gender-guesser's list plus data/people.toml) followed by 1-3 name tokens.

Pass 2 resolves lone tokens: a surname (or an East Asian family name) already seen in a full name
is another mention of that person, also in possessive form (``Putins``, ``Kims Vater``, ``Kim's``).
A lone token only becomes a new person after a title (``Kanzler Scholz``), with low confidence.
Ordinary capitalised German nouns never start a name: they are not first names, and the surname
check rejects stop nouns, noun suffixes, places and all-caps words.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources

from schemas.enrichment import Tag
from streams.enrich.text import Doc, load_toml, possessive_base, relevance

# Per-token classification bits, memoised in PersonFinder._flags.
TITLE, NAME, FIRST, FAMILY, SYLLABIC = 1, 2, 4, 8, 16
STARTS = TITLE | FIRST | FAMILY
CACHE_LIMIT = 200_000

_GERMAN_TITLE_ENDINGS = ("", "in", "innen", "s", "en", "n", "e", "er", "es", "ern")
_PINYIN_INITIALS = ["", *"b p m f d t n l g k h j q x zh ch sh r z c s y w".split()]
_PINYIN_FINALS = (
    "a o e i u v ai ei ao ou an en ang eng ong er ia ie iao iu ian in iang ing iong ua uo uai ui uan un "
    "uang ueng ue uan"
).split()


def first_name_frequencies() -> dict[str, int]:
    """First names from gender-guesser's nam_dict.txt with their highest frequency (1..13) in any country."""
    text = resources.files("gender_guesser").joinpath("data/nam_dict.txt").read_text(encoding="utf-8")
    names: dict[str, int] = {}
    for line in text.splitlines():
        if not line or line[0] in "#=":
            continue
        parts = line[:30].split()
        if len(parts) < 2 or (len(parts) > 2 and parts[2] == "+"):
            continue
        freq = max((int(ch, 16) for ch in line[30:-1] if ch in "0123456789ABCDEF"), default=0)
        for name in {parts[1].replace("+", "-"), parts[1].replace("+", " ")}:
            if freq > names.get(name, -1):
                names[name] = freq
    return names


def _possessive(doc: Doc, token: str) -> bool:
    if token.endswith(("'s", "’s")):
        return True
    return doc.lang == "de" and token.endswith("s") and token[:-1] in doc.token_set


@dataclass(slots=True)
class _Person:
    name: str
    confidence: float
    method: str
    east_asian: bool
    tokens: tuple[str, ...]
    evidence: str
    mentions: int = 1
    headline: bool = False


class PersonFinder:
    def __init__(
        self, *, non_name_tokens: Iterable[str] = (), stopwords: Mapping[str, Iterable[str]] | None = None
    ) -> None:
        cfg = load_toml("people.toml")
        stopwords = stopwords or {}
        every = {w for words in stopwords.values() for w in words}
        stop_caps = {w.capitalize() for w in every} | every
        self.non_names = frozenset(non_name_tokens)
        excluded = set(cfg["not_first_names"]) | stop_caps | self.non_names
        min_freq = int(cfg["min_first_name_frequency"])
        self.first_names = (
            frozenset(
                {n for n, f in first_name_frequencies().items() if f >= min_freq and " " not in n}
                | set(cfg["extra_first_names"])
            )
            - excluded
        )
        self.title_stems = frozenset(cfg["title_stems_de"])
        self.exact_titles = frozenset(t.rstrip(".") for t in (*cfg["titles_en"], *cfg["honorifics_de"]))
        self.lower_titles = frozenset(t for t in self.exact_titles if t[0].islower())
        self.glue = frozenset(cfg["title_glue_en"])
        self.particles = frozenset(cfg["particles"])
        self.ea_family = frozenset(cfg["east_asian_family"])
        self.syllables = frozenset(cfg["syllables"]) | {
            i + f for i in _PINYIN_INITIALS for f in _PINYIN_FINALS
        }
        self.not_surnames = frozenset(cfg["not_surnames"]) | stop_caps
        # East Asian given names are short syllables; only German/English function words rule them
        # out ("Kim Jong Il" must survive the Italian/French "il").
        self.ea_stop = frozenset(cfg["not_surnames"]) | {
            w.capitalize() for lang in ("de", "en") for w in stopwords.get(lang, ())
        }
        self.noun_suffixes = tuple(cfg["noun_suffixes"])
        self._flags: dict[str, int] = {}

    # ---- token classification (memoised) ------------------------------------------------------
    def flags(self, token: str) -> int:
        f = self._flags.get(token)
        if f is None:
            if len(self._flags) > CACHE_LIMIT:
                self._flags.clear()
            f = self._flags[token] = self._classify(token)
        return f

    def _classify(self, token: str) -> int:
        f = 0
        if self._is_title(token):
            f |= TITLE
        if self._name_like(token):
            f |= NAME
        if token in self.first_names or (
            "-" in token and all(p in self.first_names for p in token.split("-"))
        ):
            f |= FIRST
        if token in self.ea_family:
            f |= FAMILY
        if token not in self.ea_stop and token not in self.non_names and self._syllabic(token):
            f |= SYLLABIC
        return f

    def _is_title(self, token: str) -> bool:
        if token in self.exact_titles:
            return True
        if not token[0].isupper():
            return False
        low = token.lower()
        for end in _GERMAN_TITLE_ENDINGS:
            stem = low[: len(low) - len(end)] if end else low
            if end and not low.endswith(end):
                continue
            # the stem is the token's tail: Kremlchef, Außenministerin, Siemens-Chef
            for size in range(3, min(len(stem), 16) + 1):
                if stem[-size:] in self.title_stems:
                    return True
        return False

    def _name_like(self, token: str) -> bool:
        if not token[0].isupper() or len(token) < 2 or token.isupper():
            return False
        if not token.replace("-", "").replace("'", "").replace("’", "").isalpha():
            return False
        if token in self.not_surnames or token in self.non_names:
            return False
        low = token.lower()
        return not any(low.endswith(s) and len(low) > len(s) + 3 for s in self.noun_suffixes)

    def _syllabic(self, token: str) -> bool:
        """``Jong``, ``Jinping``, ``Jae-myung``: each hyphen part is 1-3 romanised syllables."""
        if not token[0].isupper() or len(token) > 12 or not token.replace("-", "").isalpha():
            return False
        return all(self._segments(part.lower(), 3) for part in token.split("-"))

    def _segments(self, s: str, budget: int) -> bool:
        if not s:
            return True
        if budget == 0:
            return False
        return any(
            s[:k] in self.syllables and self._segments(s[k:], budget - 1) for k in range(len(s), 0, -1)
        )

    def is_title(self, token: str) -> bool:
        return bool(self.flags(token) & TITLE)

    # ---- runs ------------------------------------------------------------------------------------
    def _name_run(self, doc: Doc, i: int, claimed: set[int], limit: int = 4) -> list[int]:
        """Indices of consecutive name tokens from ``i`` (particles and initials included).

        A possessive ends the name: ``Wladimir Putins Reise``, ``Vladimir Putin's visit``.
        """
        tokens = doc.tokens
        out: list[int] = []
        j, n = i, len(tokens)
        while j < n and len(out) < limit + 2 and j not in claimed:
            t = tokens[j]
            if out and t in self.particles:
                k = j
                while k < n and k - j < 3 and tokens[k] in self.particles:
                    k += 1
                if k < n and k not in claimed and self.flags(tokens[k]) & NAME:
                    out.extend(range(j, k))
                    j = k
                    continue
                break
            if out and len(t) == 1 and t.isupper() and j + 1 < n and tokens[j + 1] == ".":
                out.append(j)  # initial: George W. Bush
                j += 2
                continue
            f = self.flags(t)
            if not f & NAME:
                break
            if f & TITLE and j + 1 < n and self.flags(tokens[j + 1]) & NAME:
                break
            out.append(j)
            j += 1
            if len(out) > 1 and _possessive(doc, t):
                break
        while out and tokens[out[-1]] in self.particles:
            out.pop()
        return out

    def _east_asian(self, tokens: list[str], i: int, claimed: set[int]) -> list[int]:
        idx = [i]
        j = i + 1
        while j < len(tokens) and len(idx) < 3 and j not in claimed and self.flags(tokens[j]) & SYLLABIC:
            idx.append(j)
            j += 1
        return idx if len(idx) > 1 else []

    def _title_end(self, tokens: list[str], k: int) -> int:
        """First index after a title run starting before ``k`` (Prime Minister, Secretary of State, Dr.)."""
        n = len(tokens)
        while k < n:
            t = tokens[k]
            if (
                t in self.exact_titles
                or (t == "." and tokens[k - 1] in self.exact_titles)
                or (t in self.glue and k + 1 < n and tokens[k + 1] in self.exact_titles)
            ):
                k += 1
            else:
                break
        return k

    # ---- main ------------------------------------------------------------------------------------
    def find(self, doc: Doc, claimed: set[int]) -> list[Tag]:
        tokens = doc.tokens
        n = len(tokens)
        people: dict[str, _Person] = {}
        lone: list[int] = []  # single name tokens right after a title
        used: set[int] = set()

        def add(idx: list[int], confidence: float, method: str, east_asian: bool) -> None:
            parts = [tokens[k] for k in idx]
            last = parts[-1]
            if last.endswith(("'s", "’s")):
                parts[-1] = last[:-2]
            elif doc.lang == "de" and not east_asian:
                base = possessive_base(last)
                if base and base in doc.token_set:
                    parts[-1] = base  # "Wladimir Putins Besuch" when "Putin" also occurs
            name = " ".join(parts)
            person = people.get(name)
            if person is None:
                evidence = doc.span(idx[0], idx[-1] + 1)
                person = people[name] = _Person(name, confidence, method, east_asian, tuple(parts), evidence)
            else:
                person.mentions += 1
                person.confidence = max(person.confidence, confidence)
            person.headline = person.headline or idx[0] < doc.headline_len
            used.update(idx)

        starts = doc.caps
        if not self.lower_titles.isdisjoint(doc.lower_counts):
            starts = sorted({*starts, *(i for i, t in enumerate(tokens) if t in self.lower_titles)})
        flags = self._flags
        for i in starts:
            t = tokens[i]
            f = flags.get(t)
            if f is None:
                f = self.flags(t)
            if not f & STARTS or i in used or i in claimed:
                continue
            if f & TITLE:  # 1. title run + name
                k = self._title_end(tokens, i + 1)
                if k >= n or k in claimed:
                    continue
                if self.flags(tokens[k]) & FAMILY:
                    ea = self._east_asian(tokens, k, claimed)
                    if ea:
                        add(ea, 0.95, "title-rule", True)
                        continue
                run = self._name_run(doc, k, claimed)
                if len(run) >= 2:
                    add(run, 0.95 if self.flags(tokens[run[0]]) & FIRST else 0.8, "title-rule", False)
                elif len(run) == 1:
                    lone.append(run[0])
                    used.add(run[0])
                continue
            if f & FAMILY:  # 2. East Asian order: Kim Jong Un, Xi Jinping
                ea = self._east_asian(tokens, i, claimed)
                if ea:
                    add(ea, 0.9, "east-asian-name", True)
                    continue
            if f & FIRST:  # 3. known first name + surname(s)
                run = self._name_run(doc, i, claimed)
                if len(run) >= 2:
                    add(run, 0.85, "first-name-rule", False)
        # pass 2: lone surnames / family names (also possessive) of the people found
        keys: dict[str, str] = {}
        for name, person in people.items():
            for key in (name, person.tokens[0] if person.east_asian else person.tokens[-1]):
                for variant in (key, key + "s", key + "'s", key + "’s"):
                    keys.setdefault(variant, name)
        for i in lone:
            token = tokens[i]
            owner = keys.get(token)
            if owner is None:  # "Kanzler Scholz" with no full name in the text
                owner = token
                people[token] = _Person(token, 0.6, "title-rule", False, (token,), token, 0)
                for variant in (token, token + "s", token + "'s", token + "’s"):
                    keys.setdefault(variant, token)
            people[owner].mentions += 1
            people[owner].headline = people[owner].headline or i < doc.headline_len
        if keys:
            for i in doc.caps:
                owner = keys.get(tokens[i])
                if owner is not None and i not in used and i not in claimed:
                    people[owner].mentions += 1
                    people[owner].headline = people[owner].headline or i < doc.headline_len
                    used.add(i)
        claimed.update(used)
        rel = relevance({name: p.mentions + (1.0 if p.headline else 0.0) for name, p in people.items()})
        tags = [
            Tag(
                kind="person",
                name=p.name,
                rel="mentioned",
                literal=p.name,
                confidence=round(min(0.99, p.confidence + 0.02 * (p.mentions - 1)), 3),
                relevance=rel[name],
                method=p.method,
                evidence=p.evidence,
            )
            for name, p in people.items()
        ]
        tags.sort(key=lambda tag: (-(tag.relevance or 0.0), tag.name))
        return tags
