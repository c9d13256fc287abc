"""Body conventions shared by every wire: paragraphs, datelines, bylines and closing codes.

dpa, dpa-AFX, IPTC 7901 and ANPA bodies are hard-wrapped lines with blank lines between
paragraphs, a dateline that opens the first paragraph (``PJÖNGJANG (dpa-AFX) - ``) and closing
codes that end the text (``/mau/DP/mis`` or a closing line ``dpa kpe yyhe z2 lhb``). The structured
formats send the same conventions in fields of their own (a dateline field, a byline field) or
inside their HTML, so they read them with the same grammar, here.
"""

from __future__ import annotations

import re

from schemas.item import Dateline
from streams.formats.charset import clean

_DATELINE = re.compile(
    r"^(?P<place>[A-ZÄÖÜÉ][^()\n]{0,80}?)\s*"
    r"\((?P<agency>dpa(?:-AFX)?(?:/[a-z]{2,5})?|AP|Reuters|AFP|APA|KNA|epd|sda|SDA|rtr)\)"
    r"\s*[-–—_]+\s*"
)
# /mau/DP/mis after the last sentence; the look-behind keeps URLs (x.de/a/b) out.
_TRAILING_CODES = re.compile(r"(?:(?<=[.!?\"“”')»«])|(?<=\s)|^)(?P<codes>(?:/[A-Za-z0-9]{1,8}){2,})\s*$")
# Initials can carry umlauts: ``dpa kre/su yysw a3 lön mda``.
_CLOSING_LINE = re.compile(r"^(?:dpa|dpa-AFX)(?: [a-zäöüß0-9]{1,6}(?:/[a-zäöüß0-9]{1,6})*){1,8}$")
# A dateline field: place, maybe a country in parentheses and a date, then the agency in
# parentheses: "MADRID, 21 Nov. 2024 (Europa Press) -", "KASSEL (Allemagne), 14 oct 2025 (AFP)".
_DATELINE_FIELD = re.compile(r"^(?P<head>[^\W\d_].{0,119}?)\s*(?:\((?P<agency>[^()]{1,40})\))?\s*[-–—_]*\s*$")
_PARENTHESES = re.compile(r"\s*\([^()]*\)")
# "MADRID, 21 Nov. 2024": the part after the last comma is a date when it holds a digit.
_TRAILING_DATE = re.compile(r",[^,]*\d[^,]*$")
_BYLINE = re.compile(r"^(?:Von|By)\s+(?P<name>[^=]+?),\s*(?:dpa|dpa-AFX|AP|AFP|Reuters)\s*=?\s*$")
_BLANKS = re.compile(r"\n\s*\n")
_WRAP = re.compile(r"\s*\n\s*")
_NOTIZBLOCK = re.compile(r"^#\s*Notizblock\b", re.MULTILINE)
_NONPUBLIC = re.compile(
    r"Die folgenden Informationen sind nicht zur Ver(?:ö|oe)ffentlichung bestimmt|"
    r"The following information is not (?:intended )?for publication"
)
_FIRST_SENTENCE = re.compile(r"^(.{20,200}?[.!?])(?:\s|$)")
# The `` =`` that ends the headline block of dpa text and IPTC 7901.
HEADLINE_END = re.compile(r"\s*=\s*$")


def paragraphs(text: str) -> list[str]:
    """Blank-line separated blocks, each unwrapped into one line."""
    out = []
    for block in _BLANKS.split(text):
        line = clean(_WRAP.sub(" ", block))
        if line:
            out.append(line)
    return out


def split_dateline(paragraph: str) -> tuple[Dateline | None, str]:
    match = _DATELINE.match(paragraph)
    if not match:
        return None, paragraph
    place = match.group("place").strip(" ,")
    dateline = Dateline(place=place, agency=match.group("agency"), raw=match.group(0).strip())
    return dateline, paragraph[match.end() :]


def take_dateline(paras: list[str], look: int = 1) -> tuple[Dateline | None, list[str]]:
    """The dateline opening one of the first ``look`` paragraphs, and the paragraphs without it.

    dpa puts an optional teaser before the dateline paragraph, hence ``look``. A paragraph that
    was nothing but the dateline disappears.
    """
    for index, para in enumerate(paras[:look]):
        dateline, rest = split_dateline(para)
        if dateline is not None:
            rest = rest.strip()
            return dateline, [*paras[:index], *([rest] if rest else []), *paras[index + 1 :]]
    return None, paras


def dateline_from_field(text: str | None) -> Dateline | None:
    """A dateline sent as its own field or element (``Berlin (dpa) -``, ``MADRID, 21 Nov. 2024
    (Europa Press) -``, ``KASSEL (Allemagne), 14 oct 2025 (AFP)``, ``Kassel``).

    Unlike the body lead, the field is known to be a dateline, so any agency in parentheses is
    accepted, and a bare place too. The body grammar (``split_dateline``) is tried first, so a
    field that runs on into text keeps only its dateline. The place loses a trailing date and a
    country in parentheses (``KASSEL (Allemagne)`` → ``KASSEL``); ``raw`` keeps the field as sent.
    """
    raw = clean(text)
    if raw is None:
        return None
    found, _ = split_dateline(raw)
    if found is not None:
        return without_date(found)
    match = _DATELINE_FIELD.match(raw)
    if match is None:
        return None
    agency = match.group("agency")
    place = _PARENTHESES.sub("", match.group("head")).strip(" ,") or match.group("head")
    return without_date(Dateline(place=place, agency=agency.strip() if agency else None, raw=raw))


def without_date(dateline: Dateline) -> Dateline:
    """``LONDON, Oct 14`` → ``LONDON``: the part after the last comma goes when it holds a digit."""
    place = _TRAILING_DATE.sub("", dateline.place).strip(" ,") or dateline.place
    return dateline if place == dateline.place else dateline.model_copy(update={"place": place})


def split_closing(paras: list[str]) -> tuple[list[str], str | None]:
    """Take closing codes off the end of the text; returns (paragraphs, codes or None)."""
    if not paras:
        return paras, None
    last = paras[-1]
    if _CLOSING_LINE.match(last):
        return paras[:-1], last
    match = _TRAILING_CODES.search(last)
    if match:
        rest = last[: match.start()].rstrip()
        kept = [*paras[:-1], rest] if rest else paras[:-1]
        return kept, match.group("codes")
    return paras, None


def split_byline(line: str) -> str | None:
    """The name in a byline line (``Von Andrej Sokolow, dpa =``), or None when it is none."""
    match = _BYLINE.match(line.strip())
    return match.group("name").strip() if match else None


def byline_of(field: str | None) -> str | None:
    """A byline field: the name when it reads ``Von NAME, dpa``, else the field as sent."""
    return (split_byline(field) or field) if field else None


def public_part(text: str) -> str:
    """Cut the non-public part of a dpa Notizblock (contacts for editors only)."""
    match = _NONPUBLIC.search(text)
    return text[: match.start()] if match else text


def lead_sentence(paragraph: str) -> str:
    """The first sentence of a paragraph (up to 200 characters)."""
    match = _FIRST_SENTENCE.match(paragraph)
    return match.group(1) if match else paragraph[:200]


def lead_headline(paras: list[str], header: dict[str, str]) -> str:
    """A headline stand-in for items sent without one (alerts, kills): the lead sentence of the
    text, marked ``header["headline_source"] = "lead"``. Empty when there is no text either."""
    if not paras:
        return ""
    header["headline_source"] = "lead"
    return lead_sentence(paras[0])


def drop_notizblock(paras: list[str]) -> tuple[list[str], list[str]]:
    """Split body paragraphs from the Notizblock that follows them."""
    for index, para in enumerate(paras):
        if _NOTIZBLOCK.match(para):
            return paras[:index], paras[index:]
    return paras, []


def agency_family(agency: str | None, default: str) -> str:
    if not agency:
        return default
    lowered = agency.lower()
    if lowered.startswith("dpa"):
        return "dpa"
    if lowered in {"ap", "associated press"}:
        return "ap"
    if lowered in {"reuters", "rtr"}:
        return "reuters"
    return lowered
