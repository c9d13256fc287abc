"""dpa and dpa-AFX plain text: the unframed wire copy the product was designed from.

Layout: optional header lines (``date 2024-06``, ``(Eil)``, ``(Zusammenfassung 1730)``), the
headline (with update prefixes and possibly a ``(Neu: ...)`` note), an optional note line and
byline, a blank line, then paragraphs. The first paragraph opens with the dateline, the last one
ends with closing codes.
"""

from __future__ import annotations

import re

from schemas.item import ParsedItem, UpdateType
from streams.errors import MissingContent, UndecodableText
from streams.formats.base import build_item, content_hash, derived_id
from streams.formats.charset import clean, decode, is_plausible_text, strip_controls
from streams.formats.markers import Markers, is_kill, is_note_line, strip_prefixes, take_genre, take_notes
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

_DATE_META = re.compile(r"^\s*date\s+(?P<date>\d{4}-\d{2}(?:-\d{2})?)\b\s*", re.IGNORECASE)
_FRAMED = (b"\x01", b"\x16", b"<", b"{", b"[")


class DpaTextParser:
    """Unframed dpa / dpa-AFX text. The fallback for any text no other parser claims."""

    name = "dpa_text"

    def sniff(self, raw: bytes) -> bool:
        head = raw.lstrip(b" \t\r\n\xef\xbb\xbf")[:1]
        return bool(head) and not head.startswith(_FRAMED)

    def parse(self, raw: bytes) -> list[ParsedItem]:
        text, charset = decode(raw)
        if not is_plausible_text(text, charset):
            raise UndecodableText(f"not readable text (decoded as {charset})", stage="parse")
        text = strip_controls(text).lstrip("\ufeff")
        blocks = paragraphs(text)
        if not blocks:
            raise MissingContent("no text", stage="parse")
        raw_lines = [clean(line) for line in text.strip().split("\n\n", 1)[0].split("\n")]
        header_lines = [line for line in raw_lines if line]
        body = blocks[1:]
        markers = Markers()
        header: dict[str, str] = {}
        headline_parts: list[str] = []
        byline = None
        for index, header_line in enumerate(header_lines):
            line = header_line
            if index == 0:
                date = _DATE_META.match(line)
                if date:
                    header["date"] = date.group("date")
                    line = line[date.end() :]
            dateline, _ = split_dateline(line)
            if dateline is not None:
                # No blank line between header and body: the body starts here.
                body = [" ".join(header_lines[index:]), *body]
                break
            if take_genre(line, markers) or not line:
                continue
            name = split_byline(line)
            if name:
                byline = name
                continue
            rest = take_notes(line, markers)
            if rest:
                headline_parts.append(rest)
        while body and (is_note_line(body[0]) or take_genre(body[0], markers)):
            take_notes(body[0], markers)
            body = body[1:]
        headline = HEADLINE_END.sub("", " ".join(headline_parts))
        headline = strip_prefixes(headline, markers)
        # The closing line ends the whole text, after any Notizblock.
        body, closing = split_closing(body)
        body, notiz = drop_notizblock(body)
        dateline, body = take_dateline(body)
        headline = headline or lead_headline(body, header)  # the seed has no headline of its own
        if not headline:
            raise MissingContent("neither headline nor body text", stage="parse")
        if is_kill(" ".join(header_lines)):
            markers.raise_to(UpdateType.WITHDRAWAL, "kill")
        if notiz:
            header["notizblock"] = public_part("\n".join(notiz))
        agency = dateline.agency if dateline else None
        item_id = derived_id(self.name, agency, header.get("date"), content_hash(headline, body))
        return [
            build_item(
                format=self.name,
                agency=agency,
                agency_family=agency_family(agency, "dpa"),
                item_id=item_id,
                item_id_explicit=False,
                pubstatus=markers.pubstatus,
                urgency=markers.urgency,
                update_type=markers.update_type,
                update_note=markers.note,
                signals=tuple(markers.signals),
                update_seq=markers.seq,
                headline=headline,
                byline=byline,
                dateline=dateline,
                paragraphs=tuple(body),
                closing=closing,
                genre=markers.genre,
                header=header,
                charset=charset,
            )
        ]
