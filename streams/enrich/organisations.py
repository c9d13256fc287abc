"""Organisations, companies and their securities (dpa-AFX style financial copy).

- Well-known organisations and listed companies from ``data/organisations.toml`` through a phrase
  index (``EU``, ``Vereinten Nationen``, ``Weißen Haus``, ``Siemens AG``), also as the first part of
  a hyphenated compound (``EU-Staaten``, ``Nato-Gipfel``, ``Siemens-Aktie``).
- Companies by legal form: ``Nordwerk SE``, ``Deutsche Bank AG``, ``Henkel AG & Co. KGaA``,
  ``Apple Inc.``. The name is the run of capitalised tokens before the legal form, cut at
  descriptions (``Industriekonzern``) and function words. Later bare mentions (``Nordwerk``,
  ``Nordwerks``, ``Nordwerk-Aktie``) count for the same company.
- Identifiers: ISINs (12-character tokens; shape, country prefix and check digit validated,
  invalid ones are dropped), WKNs after ``WKN``, tickers after an exchange (``Xetra: SIE``,
  ``NYSE: AAPL``) and cashtags (``$AAPL``). The regexes only run when the message has the
  trigger word (``WKN``, an exchange name, ``$``). Each attaches to the nearest company mentioned
  before it; an ISIN, WKN or ticker of a curated company attaches to that company wherever it is.
  Unattached ones become their own tag.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from schemas.enrichment import Tag
from streams.enrich.text import Doc, PhraseIndex, genitive_forms, load_toml, match_bucket, relevance

WKN_RX = re.compile(r"\b(?:WKN|Wertpapierkennnummer)\s*:?\s*([A-HJ-NP-Z0-9]{6})\b")
EXCHANGES = (
    "Xetra",
    "XETRA",
    "NYSE",
    "Nyse",
    "Nasdaq",
    "NASDAQ",
    "LSE",
    "SIX",
    "TSX",
    "ASX",
    "HKEX",
    "Euronext",
    "Tradegate",
    "ETR",
    "FWB",
)
EXCHANGE_WORDS = frozenset(e.lower() for e in EXCHANGES)
TICKER_RX = re.compile(r"\b(" + "|".join(EXCHANGES) + r")\s*:\s*([A-Z][A-Z0-9]{0,5}(?:\.[A-Z]{1,2})?)\b")
CASHTAG_RX = re.compile(r"(?<![\w$])\$([A-Z]{1,5})\b")
ISIN_SPECIAL_PREFIXES = frozenset({"XS", "EU", "XA", "XB", "XC", "XD", "XF", "QS", "QT"})
ATTACH_DISTANCE = 160


def isin_check_digit_ok(code: str) -> bool:
    """ISO 6166: letters become 10..35, then the Luhn check over the digit string."""
    if len(code) != 12 or not code.isalnum() or not code[-1].isdigit():
        return False
    digits = "".join(str(int(ch, 36)) for ch in code[:11].upper())
    total = 0
    for pos, ch in enumerate(reversed(digits)):
        d = int(ch)
        if pos % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return (10 - total % 10) % 10 == int(code[11])


class OrgInfo(NamedTuple):
    key: str
    de: str
    en: str
    identifiers: tuple[tuple[str, str], ...]
    company: bool
    base: str


@dataclass(slots=True)
class _Acc:
    info: OrgInfo
    score: float
    confidence: float
    method: str
    evidence: str
    identifiers: dict[str, str] = field(default_factory=dict)


AddFn = Callable[[OrgInfo, float, str, str, int], _Acc]


class OrganisationFinder:
    def __init__(self, *, country_codes: Iterable[str] = (), stopwords: Iterable[str] = ()) -> None:
        cfg = load_toml("organisations.toml")
        self.isin_prefixes = frozenset(country_codes) | ISIN_SPECIAL_PREFIXES
        self.stop = frozenset(w.lower() for w in stopwords)
        self.legal = PhraseIndex()
        for form in cfg["legal_forms"]:
            self.legal.add(form, form)
        self.name_suffixes = frozenset(cfg["name_suffixes"])
        self.descriptors = tuple(cfg["descriptor_suffixes"])
        self.index = PhraseIndex()
        self.compound: dict[str, OrgInfo] = {}
        self.by_id: dict[tuple[str, str], OrgInfo] = {}
        self.by_base: dict[str, OrgInfo] = {}
        for org in cfg["org"]:
            info = OrgInfo(f"org:{org['en']}", org["de"], org["en"], (), False, org["de"])
            for form in org["forms"]:
                for variant in genitive_forms(form) if form[-1:].islower() else (form,):
                    self.index.add(variant, (info, 0.9))
                if " " not in form and "-" not in form:
                    self.compound.setdefault(form, info)
        for comp in cfg["company"]:
            ids = tuple((k, str(comp[k])) for k in ("isin", "wkn", "ticker") if comp.get(k))
            base = str(comp["base"])
            info = OrgInfo(f"company:{base.casefold()}", comp["name"], comp["name"], ids, True, base)
            self.index.add(comp["name"], (info, 0.95))
            self.by_base[base.casefold()] = info
            for key, value in ids:
                self.by_id[(key, value)] = info
            if comp.get("bare", False):
                for form in (base, *comp.get("aliases", [])):
                    for variant in genitive_forms(form):
                        self.index.add(variant, (info, 0.8))
                    self.compound.setdefault(form, info)

    def _name_before(self, doc: Doc, i: int, claimed: set[int]) -> int:
        """Start index of the company name ending right before the legal form at ``i``."""
        tokens = doc.tokens
        j = i - 1
        start = i
        while j >= 0 and i - j <= 4 and j not in claimed:
            t = tokens[j]
            low = t.lower()
            if t == "&" and start < i and j > 0 and tokens[j - 1][0].isupper():
                start = j
            elif t[0].isupper() or t[0].isdigit():
                if low in self.stop or (start < i and low.endswith(self.descriptors)):
                    break
                start = j
            elif start == i and t.isalpha() and low not in self.stop and len(t) > 2:
                start = j  # lower-case brand right before the legal form: "adidas AG"
                break
            else:
                break
            j -= 1
        while start < i and (
            tokens[start].lower() in self.stop or tokens[start].lower().endswith(self.descriptors)
        ):
            start += 1
        return start

    def find(self, doc: Doc, claimed: set[int]) -> list[Tag]:
        tokens = doc.tokens
        acc: dict[str, _Acc] = {}

        def add(info: OrgInfo, confidence: float, method: str, evidence: str, i: int) -> _Acc:
            hit = acc.get(info.key)
            score = 2.0 if 0 <= i < doc.headline_len else 1.0
            if hit is None:
                hit = acc[info.key] = _Acc(info, score, confidence, method, evidence, dict(info.identifiers))
            else:
                hit.score += score
                hit.confidence = max(hit.confidence, confidence)
            return hit

        # 1. curated organisations and companies; legal forms and name suffixes noted for step 2
        first = self.index.first
        legal_first = self.legal.first
        suffixes = self.name_suffixes
        legal_at: list[int] = []
        next_free = 0
        for i in doc.caps:
            token = tokens[i]
            if token in legal_first or token in suffixes:
                legal_at.append(i)
            bucket = first.get(token)
            if bucket is None:
                if "-" in token and i not in claimed:
                    info = self.compound.get(token.split("-", 1)[0])
                    if info is not None:
                        add(info, 0.75, "curated-compound", token, i)
                        claimed.add(i)
                continue
            if i < next_free or i in claimed:
                continue
            found = match_bucket(bucket, tokens, i)
            if found is not None:
                n, (info, confidence) = found
                add(info, confidence, "curated", doc.span(i, i + n), i)
                claimed.update(range(i, i + n))
                next_free = i + n
        if "plc" in doc.lower_counts:
            legal_at = sorted({*legal_at, *(i for i, t in enumerate(tokens) if t == "plc")})
        # 2. companies by legal form or name suffix, then their later bare mentions
        bases: dict[str, tuple[tuple[str, ...], OrgInfo]] = {}
        for i in legal_at:
            if i == 0 or i in claimed:
                continue
            token = tokens[i]
            if token in suffixes:
                if i + 1 < len(tokens) and tokens[i + 1] in legal_first:
                    continue  # "Evergreen Holdings Ltd": the legal form takes the whole name
                legal_len, method = 1, "name-suffix"
            else:
                found = self.legal.match(tokens, i)
                if found is None:
                    continue
                legal_len, method = found[0], "legal-form"
            start = self._name_before(doc, i, claimed)
            if start == i:
                continue
            end = i + legal_len
            base = doc.span(start, end if method == "name-suffix" else i)
            info = self.by_base.get(base.casefold()) or OrgInfo(
                f"company:{base.casefold()}", doc.span(start, end), doc.span(start, end), (), True, base
            )
            add(info, 0.9, method, doc.span(start, end), start)
            claimed.update(range(start, end))
            bases.setdefault(tokens[start], (tuple(tokens[start:i]), info))
        if bases:
            for i in doc.caps:
                if i in claimed:
                    continue
                t = tokens[i]
                head = t.split("-", 1)[0] if "-" in t else t
                entry = bases.get(head) or bases.get(head[:-1] if head.endswith("s") else "")
                if entry is None:
                    continue
                parts, info = entry
                if len(parts) == 1 or tuple(tokens[i : i + len(parts)]) == parts:
                    add(info, 0.85, "legal-form-coreference", t, i)
                    claimed.update(range(i, i + len(parts)))
        # 3. identifiers
        self._identifiers(doc, acc, add)
        rel = relevance({key: a.score for key, a in acc.items()})
        tags = []
        for key, a in acc.items():
            isin = a.identifiers.get("isin")
            tags.append(
                Tag(
                    kind="organisation",
                    name=a.info.de if doc.lang == "de" else a.info.en,
                    rel="mentioned",
                    uri=f"isin:{isin}" if isin else None,
                    confidence=round(min(0.99, a.confidence + 0.02 * (round(a.score) - 1)), 3),
                    relevance=rel[key],
                    method=a.method,
                    evidence=a.evidence,
                    identifiers=a.identifiers,
                )
            )
        tags.sort(key=lambda t: (-(t.relevance or 0.0), t.name))
        return tags

    def _identifiers(self, doc: Doc, acc: dict[str, _Acc], add: AddFn) -> None:
        text, tokens, lower = doc.text, doc.tokens, doc.lower_counts
        found: list[tuple[int, str, str, str]] = []  # (position, kind, value, exchange)
        for i in doc.caps:
            code = tokens[i]
            shaped = len(code) == 12 and code[:2] in self.isin_prefixes and code.isalnum() and code.isupper()
            if shaped and isin_check_digit_ok(code):
                found.append((text.find(code), "isin", code, ""))
        if "wkn" in lower or "wertpapierkennnummer" in lower:
            found.extend((m.start(), "wkn", m.group(1), "") for m in WKN_RX.finditer(text))
        if ":" in lower and not EXCHANGE_WORDS.isdisjoint(lower):
            found.extend((m.start(), "ticker", m.group(2), m.group(1)) for m in TICKER_RX.finditer(text))
        if "$" in lower:
            found.extend((m.start(), "ticker", m.group(1), "") for m in CASHTAG_RX.finditer(text))
        for pos, kind, value, exchange in found:
            target = self._attach(text, pos, acc, kind, value)
            if target is None:
                info = self.by_id.get((kind, value))
                if info is not None:
                    target = add(info, 0.9, "curated-identifier", value, -1)
                else:
                    own = OrgInfo(f"{kind}:{value}", value, value, (), True, value)
                    method = "isin-checksum" if kind == "isin" else kind
                    target = add(own, 0.7 if kind == "isin" else 0.5, method, value, -1)
            target.identifiers.setdefault(kind, value)
            if exchange:
                target.identifiers.setdefault("exchange", exchange)

    def _attach(self, text: str, pos: int, acc: dict[str, _Acc], kind: str, value: str) -> _Acc | None:
        curated = self.by_id.get((kind, value))
        if curated is not None and curated.key in acc:
            return acc[curated.key]
        best, best_pos = None, -1
        for a in acc.values():
            if not a.info.company:
                continue
            at = text.rfind(a.info.base, max(0, pos - ATTACH_DISTANCE), pos)
            if at > best_pos and a.identifiers.get(kind, value) == value:
                best, best_pos = a, at
        return best
