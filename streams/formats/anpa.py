"""ANPA 1312 as AP sends it: the fixed envelope AP used before its JSON and NewsML-G2 feeds.

``SYN SYN SOH a0193 US -----`` (service letter, message number, selector codes), then
``u i DC3 DC1 BC-EU--Germany-Nordwerk 1stLd-Writethru   10-14 0142`` (priority, category, text
or tabular format, slug, version field, story date, word count), STX, header lines that start
with ``^`` and end with ``<`` (slug again, labels such as ``URGENT``, the headline, ``Eds:``
notes, ``By NAME=`` centred bylines), tab-indented paragraphs, and ETX + ``AP-WF-10-14-25
1012GMT``. Update signals live in the version field (``1st Ld-Writethru``, ``APNewsAlert``),
label lines and ``Eds:`` notes; all go through the shared marker grammar.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from schemas.item import ParsedItem
from streams.errors import MissingContent
from streams.formats.base import build_item, content_hash, derived_id
from streams.formats.charset import ETX, STX, clean, split_frames
from streams.formats.markers import Markers, take_eds, take_label_line, take_writethru
from streams.formats.textbody import lead_headline, take_dateline

_ENVELOPE = re.compile(r"^\s*(?P<service>[A-Za-z])?(?P<message_number>\d{3,5})\x1f?(?P<selector>[^\n]*)")
_CATEGORY_LINE = re.compile(
    r"^\s*(?P<priority>[A-Za-z])\s+(?P<category>[A-Za-z])\s*(?P<format>\x13\x11|\x14\x12)?\s*(?P<rest>[^\n]*)"
)
_ENVELOPE_SLUG = re.compile(
    r"^(?P<slug>\S+)(?:\s+(?P<version>\S.*?))??\s+(?P<date>\d{1,2}-\d{1,2})(?:\s+(?P<words>\d{1,5}))?\s*$"
)
# BC-EU--Germany-Nordwerk: cycle (AM, PM, BC = both), desk, then the story's keyword slug.
_SLUG_PARTS = re.compile(r"^(?P<cycle>[A-Za-z]{2})-(?P<desk>[A-Za-z0-9]+)--(?P<keyword>\S.*)$")
_BYLINE = re.compile(r"^By\s+(?P<name>\S.*)$")
_PHOTO = re.compile(r"^AP (?:Photos?|Video)\b")
_TRAILER = re.compile(
    r"(?P<source>[A-Za-z]+)-(?P<desk>[A-Za-z]+)-(?P<month>\d{1,2})-(?P<day>\d{1,2})-(?P<year>\d{2,4})"
    r"\s+(?P<hour>\d{2})(?P<minute>\d{2})\s*(?:GMT|UTC)?"
)
_RULE = re.compile(r"^[_\s]*$")  # "___" separates sections in AP copy; not a paragraph
_SPACES = re.compile(r"\s+")
# AP's editorial priority letters (Canadian Press' mapping): f flash, b bulletin, u urgent,
# r routine, d deferred, w/a weekday/weekend advance, s (unknown, treated as routine).
_URGENCY = {"f": 1, "b": 2, "u": 3, "r": 5, "s": 5, "d": 6, "w": 7, "a": 7}
_TABULAR = "\x14\x12"  # DC4 DC2; DC3 DC1 is running text


class AnpaParser:
    """AP ANPA 1312; one item per SOH frame (a capture can hold several)."""

    name = "anpa"

    def sniff(self, raw: bytes) -> bool:
        head = raw.lstrip(b" \t\r\n")[:8]
        return head.startswith(b"\x16") and head.lstrip(b"\x16")[:1] == b"\x01"

    def parse(self, raw: bytes) -> list[ParsedItem]:
        frames, charset = split_frames(raw)
        return [self._parse_frame(frame, charset) for frame in frames]

    def _parse_frame(self, frame: str, charset: str) -> ParsedItem:
        stx = frame.find(STX)
        envelope = frame[:stx] if stx >= 0 else frame
        first, _, rest = envelope.partition("\n")
        second = rest.partition("\n")[0]
        header = _envelope_fields(first, second)
        body_start = stx + 1 if stx >= 0 else min(len(frame), len(first) + len(second) + 2)
        etx = frame.find(ETX, body_start)
        region = frame[body_start:etx] if etx >= 0 else frame[body_start:]
        trailer = clean(frame[etx + 1 :].split("\n", 1)[0].rstrip(" <\r")) if etx >= 0 else None

        markers = Markers()
        header_lines, paras = _split_lines(region)
        headline, byline, ednote = _read_header_lines(header_lines, markers, header)
        if trailer is None and paras and _TRAILER.fullmatch(paras[-1]):
            trailer = paras.pop()  # no ETX: the trailer is the last line of the text
        version = header.get("version")
        if version:
            take_writethru(version, markers)
            take_label_line(version, markers)  # APNewsAlert, Kill, Correction in the version field
        dateline, paras = take_dateline(paras)
        headline = headline or lead_headline(paras, header)  # alerts often come without one
        if not headline:
            raise MissingContent("neither headline nor body text", stage="parse")

        version_created = None
        if trailer:
            header["trailer"] = trailer
            version_created = _trailer_time(trailer)
        priority = header.get("priority", "").lower()
        # AP sends one story several times under different category headers (AP's ANPA migration
        # guide): each copy has its own message number, selector, category and often priority and
        # transmission minute. None of them go into the id, so the copies share one id; nor do the
        # slug's cycle and desk (BC-EU--). The story date is the slug line's (same in every copy)
        # with the trailer's year.
        slug = header.get("slug")
        parts = _SLUG_PARTS.match(slug or "")
        story_key = parts.group("keyword") if parts else slug
        item_id = derived_id(
            self.name,
            "AP",
            _SPACES.sub("", story_key or "").lower(),
            _SPACES.sub("", version or "").lower(),
            _story_date(header.get("slug_date"), version_created),
            content_hash(headline, paras),
        )
        return build_item(
            format=self.name,
            agency=dateline.agency if dateline and dateline.agency else "AP",
            agency_family="ap",
            service=header.get("service"),
            item_id=item_id,
            item_id_explicit=False,
            version_created=version_created,
            pubstatus=markers.pubstatus,
            urgency=_URGENCY.get(priority),
            update_type=markers.update_type,
            update_note=markers.note,
            signals=tuple(dict.fromkeys(markers.signals)),  # a label can repeat in the version field
            update_seq=markers.seq,
            headline=headline,
            slugline=slug,
            byline=byline,
            dateline=dateline,
            paragraphs=tuple(paras),
            ednote=ednote,
            language="en",
            header=header,
            charset=charset,
        )


def _envelope_fields(first: str, second: str) -> dict[str, str]:
    header: dict[str, str] = {}
    envelope = _ENVELOPE.match(first.lstrip("\x16"))
    if envelope:
        header.update({k: v for k, v in envelope.groupdict().items() if v and k != "selector"})
        selector = clean(envelope.group("selector"))
        if selector:
            header["selector"] = selector
    category = _CATEGORY_LINE.match(second)
    if not category:
        return header
    header["priority"], header["category"] = category.group("priority"), category.group("category")
    if category.group("format"):
        header["format"] = "tabular" if category.group("format") == _TABULAR else "text"
    slug_line = _ENVELOPE_SLUG.match(clean(category.group("rest")) or "")
    if slug_line:
        header["slug"] = slug_line.group("slug")
        header["slug_date"] = slug_line.group("date")
        if slug_line.group("version"):
            header["version"] = slug_line.group("version")
        if slug_line.group("words"):
            header["word_count"] = slug_line.group("words")
    _slug_parts(header)
    return header


def _slug_parts(header: dict[str, str]) -> None:
    parts = _SLUG_PARTS.match(header.get("slug", ""))
    if parts:
        header["cycle"], header["desk"] = parts.group("cycle"), parts.group("desk")


def _split_lines(region: str) -> tuple[list[str], list[str]]:
    """``^`` header lines (``<`` quad and ``=`` centring kept for the reader) and paragraphs:
    each tab-indented line opens one; an unindented line continues the one before."""
    header_lines: list[str] = []
    paras: list[str] = []
    for raw_line in region.split("\n"):
        line = clean(raw_line)
        if line is None:
            continue
        if line.startswith("^") and not paras:
            header_lines.append(line[1:].rstrip(" <").strip())
            continue
        line = line.lstrip("^").rstrip(" <").strip()
        if not line or _RULE.match(line):
            continue
        if raw_line.startswith(("\t", " ")) or not paras:
            paras.append(line)
        else:
            paras[-1] = f"{paras[-1]} {line}"
    return header_lines, paras


def _read_header_lines(
    lines: list[str], markers: Markers, header: dict[str, str]
) -> tuple[str, str | None, str | None]:
    headline = ""
    byline: str | None = None
    notes: list[str] = []
    for raw_line in lines:
        centred = raw_line.endswith("=")
        line = raw_line.rstrip("= ").strip()
        if not line:
            continue
        if "slug_line" not in header and _SLUG_PARTS.match(line):
            _take_slug_line(line, header)
            continue
        if take_label_line(line, markers):
            continue
        if take_eds(line, markers):
            notes.append(line.split(":", 1)[1].strip() if ":" in line else line)
            continue
        by = _BYLINE.match(line)
        if by and centred:
            byline = by.group("name")
        elif centred and byline is not None:
            header["byline_title"] = line  # "Associated Press", "AP Sports Writer"
        elif _PHOTO.match(line):
            header["photos"] = line
        elif not headline:
            headline = line
        else:
            header["header_extra"] = f"{header.get('header_extra', '')} {line}".strip()
    return headline, byline, " ".join(notes) or None


def _take_slug_line(line: str, header: dict[str, str]) -> None:
    """``BC-EU--Germany-Nordwerk, 1st Ld-Writethru,0498``: the slug as written, version, words.
    The envelope slug stays the slugline (it is in every message, even tabular ones)."""
    header["slug_line"] = line
    fields = [field.strip() for field in line.split(",")]
    header.setdefault("slug", fields[0])
    if len(fields) > 1 and fields[-1].isdigit():
        header.setdefault("word_count", fields.pop())
    if len(fields) > 1:
        header["version"] = ", ".join(fields[1:])  # preferred over the envelope's "1stLd-Writethru"
    _slug_parts(header)


def _trailer_time(trailer: str) -> datetime | None:
    match = _TRAILER.search(trailer)
    if not match:
        return None
    year = int(match.group("year"))
    month, day, hour, minute = (int(match.group(key)) for key in ("month", "day", "hour", "minute"))
    try:
        # AP writes GMT; a trailer without the suffix is read as GMT as well.
        return datetime(year + 2000 if year < 100 else year, month, day, hour, minute, tzinfo=UTC)
    except ValueError:
        return None


def _story_date(slug_date: str | None, version_created: datetime | None) -> str:
    if slug_date and version_created:
        return f"{version_created.year}-{slug_date}"
    return slug_date or (version_created.strftime("%m-%d") if version_created else "")
