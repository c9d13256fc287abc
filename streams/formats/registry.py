"""The explicit list of format parsers, in the order their sniffers are asked.

Registration is one dict built here, never an import side effect: what wirefeed understands is
visible in one place. Framed and marked-up formats come first; unframed text is the fallback.
"""

from __future__ import annotations

from collections.abc import Mapping

from schemas.item import ParsedItem
from streams.errors import EmptyMessage, InternalError, RejectedInput, TooLarge, UnknownFormat
from streams.formats.anpa import AnpaParser
from streams.formats.ap_json import ApJsonParser
from streams.formats.base import Parser
from streams.formats.digitalwires import DigitalwiresParser
from streams.formats.dpa_text import DpaTextParser
from streams.formats.iptc7901 import Iptc7901Parser
from streams.formats.newsml12 import NewsML12Parser
from streams.formats.newsml_g2 import NewsMLG2Parser
from streams.formats.ninjs import NinjsParser

DEFAULT_MAX_BYTES = 2 * 1024 * 1024


def default_parsers() -> dict[str, Parser]:
    parsers: list[Parser] = [
        AnpaParser(),
        Iptc7901Parser(),
        NewsMLG2Parser(),
        NewsML12Parser(),
        DigitalwiresParser(),
        ApJsonParser(),
        NinjsParser(),
        DpaTextParser(),
    ]
    return {parser.name: parser for parser in parsers}


def detect(raw: bytes, parsers: Mapping[str, Parser], hint: str | None = None) -> Parser:
    """The parser for these bytes: the producer's ``wire-format`` hint wins over sniffing."""
    if hint:
        try:
            return parsers[hint]
        except KeyError:
            raise UnknownFormat(f"wire-format {hint!r} is not one of {sorted(parsers)}") from None
    for parser in parsers.values():
        if parser.sniff(raw):
            return parser
    raise UnknownFormat("no parser recognises this message")


def parse_message(
    raw: bytes,
    parsers: Mapping[str, Parser],
    *,
    hint: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> list[ParsedItem]:
    """Bytes to items, or a typed rejection. Never lets another exception out."""
    if not raw.strip(b" \t\r\n\x00"):
        raise EmptyMessage("message is empty or blank")
    if len(raw) > max_bytes:
        raise TooLarge(f"message has {len(raw)} bytes, the limit is {max_bytes}")
    parser = detect(raw, parsers, hint)
    try:
        items = parser.parse(raw)
    except RejectedInput:
        raise
    except RecursionError as exc:
        raise InternalError(f"{parser.name}: input nested too deeply", stage="parse") from exc
    except Exception as exc:
        raise InternalError(f"{parser.name}: {type(exc).__name__}: {exc}", stage="parse") from exc
    if not items:
        raise EmptyMessage(f"{parser.name}: message holds no items")
    return items
