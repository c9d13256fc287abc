"""Body conventions shared by the text wires: paragraphs, datelines and closing codes.

dpa, dpa-AFX, IPTC 7901 and ANPA bodies are hard-wrapped lines with blank lines between
paragraphs, a dateline that opens the first paragraph (``PJÖNGJANG (dpa-AFX) - ``) and closing
codes that end the text (``/mau/DP/mis`` or a closing line ``dpa kpe yyhe z2 lhb``).
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
_BYLINE = re.compile(r"^(?:Von|By)\s+(?P<name>[^=]+?),\s*(?:dpa|dpa-AFX|AP|AFP|Reuters)\s*=?\s*$")
_BLANKS = re.compile(r"\n\s*\n")
_WRAP = re.compile(r"\s*\n\s*")
_NOTIZBLOCK = re.compile(r"^#\s*Notizblock\b", re.MULTILINE)
_NONPUBLIC = re.compile(
    r"Die folgenden Informationen sind nicht zur Ver(?:ö|oe)ffentlichung bestimmt|"
    r"The following information is not (?:intended )?for publication"
)
_FIRST_SENTENCE = re.compile(r"^(.{20,200}?[.!?])(?:\s|$)")


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
    match = _BYLINE.match(line.strip())
    return match.group("name").strip() if match else None


def public_part(text: str) -> str:
    """Cut the non-public part of a dpa Notizblock (contacts for editors only)."""
    match = _NONPUBLIC.search(text)
    return text[: match.start()] if match else text


def lead_sentence(paragraph: str) -> str:
    """A headline stand-in for items sent without one (alerts, kills): the lead sentence."""
    match = _FIRST_SENTENCE.match(paragraph)
    return match.group(1) if match else paragraph[:200]


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
