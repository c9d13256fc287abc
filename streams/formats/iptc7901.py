"""IPTC 7901 as dpa frames its German and English services.

A message is SOH + a header line (``bdt0412 2 wi 37  dpa 1187``: service, service sequence,
priority, desk, word count, agency, agency message number), the keyword line
(``Unternehmen/Industrie/Hessen/``), STX + the text, ETX + a trailer time (``141012 Okt 25``),
DEL padding and EOT. The text opens with a header block that ends with `` =``. dpa's own
converter (dpa-digitalwires-to-iptc7901) renders it in a fixed order: priority line
``(Eil <BEL×5>)``, correction or withdrawal line, genre line, headline, byline, picture note.
Paragraphs follow, the first with the dateline, then the Notizblock and the closing line.

7901 sends no item id, so one is derived (never random, unlike Superdesk): agency, service,
agency message number, trailer date and a content hash. A message re-sent under its number (new
service sequence, later trailer time the same day, a ``(Wiederholung: ...)`` line) keeps its id;
chaining the versions of a story is the linker's job.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from schemas.item import ParsedItem, UpdateType
from streams.errors import MissingContent
from streams.formats.base import build_item, content_hash, derived_id
from streams.formats.charset import ETX, STX, clean, split_frames, strip_controls
from streams.formats.markers import (
    Markers,
    is_kill,
    is_note_line,
    strip_prefixes,
    take_genre,
    take_label_line,
    take_notes,
)
from streams.formats.textbody import (
    HEADLINE_END,
    agency_family,
    drop_notizblock,
    lead_headline,
    paragraphs,
    public_part,
    split_byline,
    split_closing,
    split_dateline,
    take_dateline,
)

BEL = "\x07"

_HEADER = re.compile(
    r"^\s*(?P<service>[A-Za-z]{1,4})(?P<sequence>\d{3,5})\s+(?P<priority>\d)\s+(?P<desk>[A-Za-z]{1,4})"
    r"(?:\s+(?P<word_count>\d{1,6}))?(?:\s+(?P<rest>\S.*?))?\s*$"
)
_HEADER_END = re.compile(r"[\n\x02\x03]")
# The trailer is dpa's version_created in local time (eil.json: 10:37+02:00 -> "251037 Sep 24"),
# German month names on the German services; the English one writes "141210 GMT Oct 25".
_TRAILER = re.compile(
    r"^\s*(?P<day>\d{2})(?P<hour>\d{2})(?P<minute>\d{2})(?:\s+(?P<tz>GMT|UTC|MESZ|MEZ|CEST|CET))?"
    r"(?:\s+(?P<month>[A-Za-zÄä]{3,5})\.?\s+(?P<year>\d{4}|\d{2}))?(?!\S)",
    re.IGNORECASE,
)
_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "mär": 3, "mrz": 3, "mae": 3, "apr": 4, "mai": 5, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "okt": 10, "oct": 10, "nov": 11, "dez": 12, "dec": 12,
}  # fmt: skip
_CET, _CEST = timezone(timedelta(hours=1)), timezone(timedelta(hours=2))
_ZONES: dict[str, tzinfo] = {"GMT": UTC, "UTC": UTC, "MEZ": _CET, "CET": _CET, "MESZ": _CEST, "CEST": _CEST}
try:
    _LOCAL: tzinfo = ZoneInfo("Europe/Berlin")
except ZoneInfoNotFoundError:  # no tz database: UTC, and header["trailer_tz"] says so
    _LOCAL = UTC
_PICTURE = re.compile(r"^\(\s*(?P<note>Fotos?\b[^()]*?)\s*\)$")
_ACHTUNG_OPEN = re.compile(r"^\(\s*Achtung\s*\)\s*\S")
_SENTENCE_END = re.compile(r"[.!?][»«\"“”')]*$")
_BLANKS = re.compile(r"\n\s*\n")
_NOTIZ_HEAD = re.compile(r"^\s*#\s*Notizblock\b[^\n]*\n?")
# dpa's regional services send under their own mnemonic (lhe, lni, dpa-spe): still the dpa family.
_DPA_AGENCY = re.compile(r"^(?:dpa(?:-[a-z]+)?|l[a-z]{2})$", re.IGNORECASE)
# dpa English renders urgency 1/2 as "FLASH: " / "URGENT: " before the headline.
_LABEL_URGENCY = {"LABEL:FLASH": 1, "LABEL:URGENT": 2}


class Iptc7901Parser:
    """dpa IPTC 7901 (German ``b..`` and English ``e..`` services); one item per SOH frame."""

    name = "iptc7901"

    def sniff(self, raw: bytes) -> bool:
        # SOH first; ANPA starts SYN SYN SOH and is claimed by its own parser.
        return raw.lstrip(b" \t\r\n")[:1] == b"\x01"

    def parse(self, raw: bytes) -> list[ParsedItem]:
        frames, charset = split_frames(raw)
        return [self._parse_frame(frame, charset) for frame in frames]

    def _parse_frame(self, frame: str, charset: str) -> ParsedItem:
        cut = _HEADER_END.search(frame)
        head_end = cut.start() if cut else len(frame)
        stx = frame.find(STX, head_end)
        body_start = stx + 1 if stx >= 0 else head_end
        etx = frame.find(ETX, body_start)
        pre = frame[head_end:stx] if stx >= 0 else ""
        body = frame[body_start:etx] if etx >= 0 else frame[body_start:]
        if stx < 0:
            # Unframed text: the keyword line, if any, is the first line ending in "/".
            first, _, rest = body.lstrip("\n").partition("\n")
            if first.strip().endswith("/"):
                pre, body = first, rest
        header = _header_fields(clean(frame[:head_end]) or "")
        keyword_line = clean(pre.replace("\n", ""))
        trailer = clean(frame[etx + 1 :].lstrip().split("\n", 1)[0]) if etx >= 0 else None

        markers = Markers()
        block, rest_lines = _header_block(body.split("\n"))
        headline, byline = _read_header_block(block, markers, header)
        pairs = [
            (raw_block, para)
            for raw_block in _BLANKS.split("\n".join(rest_lines))
            for para in paragraphs(raw_block)
        ]
        if trailer is None and pairs and _TRAILER.fullmatch(pairs[-1][1]):
            trailer = pairs.pop()[1]  # no ETX: the trailer is the last line of the text
        paras = [para for _, para in pairs]
        body_paras, notiz = drop_notizblock(paras)
        closing = None
        if notiz:
            notiz, closing = split_closing(notiz)
            public = _notizblock(
                [raw_block for raw_block, _ in pairs[len(body_paras) : len(body_paras) + len(notiz)]]
            )
            if public:
                header["notizblock"] = public
        if closing is None:
            body_paras, closing = split_closing(body_paras)
        # dpa puts an optional teaser before the dateline paragraph: look at the first two.
        dateline, body_paras = take_dateline(body_paras, look=2)
        headline = headline or lead_headline(body_paras, header)
        if not headline:
            raise MissingContent("neither headline nor body text", stage="parse")
        # "(Achtung)" alone is an advisory genre; with withdrawal words in the header it is a kill.
        if (markers.genre or "").lower() == "achtung" and is_kill(" ".join(block)):
            markers.raise_to(UpdateType.WITHDRAWAL, "kill")

        version_created = _trailer_time(trailer, header)
        urgency = _urgency(markers, frame.count(BEL), header.get("priority"))
        service = header.get("service")
        agency = header.get("agency") or (dateline.agency if dateline else None) or "dpa"
        family = "dpa" if _DPA_AGENCY.match(agency) else agency_family(agency, "dpa")
        keywords = tuple(k.strip() for k in (keyword_line or "").split("/") if k.strip())
        day = version_created.strftime("%Y-%m-%d") if version_created else (trailer or "")[:2]
        content = content_hash(headline, body_paras)
        item_id = derived_id(self.name, agency, service, header.get("message_number"), day, content)
        return build_item(
            format=self.name,
            agency=agency,
            agency_family=family,
            service=service,
            item_id=item_id,
            item_id_explicit=False,
            version_created=version_created,
            pubstatus=markers.pubstatus,
            urgency=urgency,
            update_type=markers.update_type,
            update_note=markers.note,
            signals=tuple(dict.fromkeys(markers.signals)),
            update_seq=markers.seq,
            headline=headline,
            slugline=(keyword_line or "").rstrip("/ ") or None,
            byline=byline,
            dateline=dateline,
            paragraphs=tuple(body_paras),
            closing=closing,
            genre=markers.genre,
            language={"b": "de", "e": "en"}.get(service[:1].lower()) if service else None,
            keywords=keywords,
            header=header,
            charset=charset,
        )


def _header_fields(line: str) -> dict[str, str]:
    match = _HEADER.match(line)
    if not match:
        return {"raw": line} if line else {}
    fields = {k: v for k, v in match.groupdict().items() if v and k != "rest"}
    tokens = (match.group("rest") or "").split()
    # "dpa 1187", or with a selector in front: "vvvvb KNA 170123-89-00065#2".
    if len(tokens) >= 2:
        fields["agency"], fields["message_number"] = tokens[-2], tokens[-1]
        if len(tokens) > 2:
            fields["extra"] = " ".join(tokens[:-2])
    elif tokens:
        fields["message_number" if tokens[0][0].isdigit() else "agency"] = tokens[0]
    return fields


def _header_block(lines: list[str]) -> tuple[list[str], list[str]]:
    """Lines up to the one ending in `` =``; a blank line or a dateline ends a block without one."""
    block: list[str] = []
    for index, line in enumerate(lines):
        cleaned = clean(line)
        if cleaned is None:
            if block:
                return block, lines[index:]
            continue
        if split_dateline(cleaned)[0] is not None:
            return block, lines[index:]
        block.append(cleaned)
        if HEADLINE_END.search(cleaned):
            return block, lines[index + 1 :]
    return block, []


def _join_wrapped(block: list[str]) -> list[str]:
    """Rejoin notes dpa wrapped at 69 characters: an open parenthesis continues, and so does an
    ``(Achtung) ...`` note until its sentence ends. The `` =`` line is never swallowed."""
    out: list[str] = []
    for index, line in enumerate(block):
        last = index == len(block) - 1 and HEADLINE_END.search(line) is not None
        if out and not last:
            prev = out[-1]
            open_paren = prev.startswith("(") and prev.count("(") > prev.count(")")
            if open_paren or (_ACHTUNG_OPEN.match(prev) and not _SENTENCE_END.search(prev)):
                out[-1] = f"{prev} {line}"
                continue
        out.append(line)
    return out


def _read_header_block(block: list[str], markers: Markers, header: dict[str, str]) -> tuple[str, str | None]:
    headline_parts: list[str] = []
    byline = None
    for raw_line in _join_wrapped(block):
        line = HEADLINE_END.sub("", raw_line).strip()
        if not line:
            continue
        if not headline_parts and (take_label_line(line, markers) or take_genre(line, markers)):
            continue
        if not headline_parts and is_note_line(line):
            take_notes(line, markers)
            continue
        name = split_byline(line)
        if name:
            byline = name
            continue
        picture = _PICTURE.match(line)
        if picture:
            header["picture"] = picture.group("note")  # an editors' note, not text
            continue
        if byline is not None:
            header["header_extra"] = f"{header.get('header_extra', '')} {line}".strip()
            continue
        rest = take_notes(line, markers)
        if rest:
            headline_parts.append(rest)
    return strip_prefixes(" ".join(headline_parts), markers), byline


def _notizblock(blocks: list[str]) -> str | None:
    """The public part of the Notizblock, its line structure kept (it is a markdown-like list)."""
    text = "\n\n".join(
        "\n".join(line.rstrip() for line in strip_controls(b).strip("\n").split("\n")) for b in blocks
    )
    text = public_part(_NOTIZ_HEAD.sub("", text, count=1))
    return text.rstrip(" *\n").strip("\n") or None


def _trailer_time(trailer: str | None, header: dict[str, str]) -> datetime | None:
    if not trailer:
        return None
    header["trailer"] = trailer
    match = _TRAILER.match(trailer)
    if not match or not match.group("month"):
        return None  # "DDHHMM" alone names no month: keep the raw trailer only
    month = _MONTHS.get(match.group("month")[:3].lower())
    if month is None:
        return None
    year = int(match.group("year"))
    zone = _ZONES[match.group("tz").upper()] if match.group("tz") else _LOCAL
    header["trailer_tz"] = str(zone)
    day, hour, minute = (int(match.group(key)) for key in ("day", "hour", "minute"))
    try:
        return datetime(year + 2000 if year < 100 else year, month, day, hour, minute, tzinfo=zone)
    except ValueError:
        return None


def _urgency(markers: Markers, bells: int, priority: str | None) -> int | None:
    """The most urgent of the text markers, the BEL count and the header priority digit."""
    if bells:
        markers.signals.append(f"bel:{bells}")
    found = [markers.urgency, 1 if bells >= 10 else 2 if bells >= 5 else None]
    found += [_LABEL_URGENCY.get(signal.upper()) for signal in markers.signals]
    if priority and priority != "0":
        found.append(int(priority))
    values = [value for value in found if value is not None]
    return min(values) if values else None
