"""Bytes to text the way agency feeds need it.

Agency text arrives as UTF-8, cp1252 or latin-1 and is peppered with transmission control
characters. Strict UTF-8 is tried first, then a declared charset, then cp1252 and finally
latin-1 (which never fails), and the charset used is recorded on the item. The framed formats
(IPTC 7901, ANPA) delimit their messages with some of those control characters, so their
framing is read here too, before the controls are dropped.
"""

from __future__ import annotations

import codecs
import re

from streams.errors import MissingContent

# Framing of IPTC 7901 and ANPA 1312: start of header, start of text, end of text.
SOH, STX, ETX = "\x01", "\x02", "\x03"

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_KEEP_FRAMING = re.compile(r"[\x00\x05\x06\x08\x0e-\x10\x15\x17-\x1b\x1c-\x1e\x7f-\x9f]")
_NOT_WHITESPACE_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_SPACES = re.compile(r"[ \t\u00a0]+")
_SURROGATES = re.compile(r"[\ud800-\udfff]")


def decode(raw: bytes, declared: str | None = None) -> tuple[str, str]:
    """Return (text, charset). Control characters are kept: framing parsers need them."""
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            name = codecs.lookup(declared).name
            return raw.decode(name), name
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "latin-1"


def strip_controls(text: str) -> str:
    """Remove control characters (SOH, STX, ETX, BEL, DEL, C1) but keep newlines and tabs as space."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _SURROGATES.sub("", _CONTROL.sub("", text))


def clean(text: str | None) -> str | None:
    """A single-line field: controls removed, whitespace folded, None when empty."""
    if text is None:
        return None
    if text.isprintable() and "  " not in text:
        # The common case, checked in C: nothing to remove or fold.
        return text.strip() or None
    if _NOT_WHITESPACE_CONTROL.search(text) is None:
        # Only whitespace to fold (markup indentation, line breaks): str.split does it in C.
        return " ".join(text.split()) or None
    folded = _SPACES.sub(" ", strip_controls(text).replace("\n", " ")).strip()
    return folded or None


def clean_framed(text: str) -> str:
    """Text of a framed format: drops stray controls but keeps the framing ones (SOH, STX, ETX...)."""
    return _CONTROL_KEEP_FRAMING.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def split_frames(raw: bytes) -> tuple[list[str], str]:
    """The SOH frames of a framed message (a capture can hold several), and the charset used.

    Framing controls are kept for the frame parser; a message without a non-blank frame is
    ``MissingContent``. Every frame must parse: one dead letter for a bad stream.
    """
    text, charset = decode(raw)
    frames = [frame for frame in clean_framed(text).split(SOH)[1:] if clean(frame)]
    if not frames:
        raise MissingContent("no SOH-framed message", stage="parse")
    return frames, charset


_BINARY = re.compile(r"[\x00-\x06\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")
_LETTER = re.compile(r"[^\W\d_]")
_NON_SPACE = re.compile(r"\S")
# A word: three Latin letters with a vowel among them, or a run of Greek, Cyrillic, Hebrew,
# Arabic or CJK letters. Decoded binary rarely forms two of these.
_WORD = re.compile(
    r"(?=[A-Za-zÀ-ÖØ-öø-ÿ]*[AEIOUYaeiouyÄÖÜäöüÉÈÁÀÓÒÍÌÚéèáàóòíìú])[A-Za-zÀ-ÖØ-öø-ÿ]{3,}"
    r"|[\u0370-\u052f\u0590-\u06ff\u3040-\u9fff]{2,}"
)
_SAMPLE = 4096


def is_plausible_text(text: str, charset: str = "latin-1") -> bool:
    """False for binary garbage that a permissive charset (latin-1) decoded without complaint:
    many control characters, or hardly any letters among the visible characters. Valid UTF-8
    without control characters is text; it only has to hold two words."""
    sample = text[:_SAMPLE]
    if charset == "utf-8" and _BINARY.search(sample) is None:
        words = _WORD.finditer(sample)
        return next(words, None) is not None and next(words, None) is not None
    visible = len(_NON_SPACE.findall(sample))
    if visible == 0:
        return False
    if len(_BINARY.findall(sample)) > 0.05 * len(sample):
        return False
    if len(_LETTER.findall(sample)) < 0.4 * visible:
        return False
    words = _WORD.finditer(sample)
    return next(words, None) is not None and next(words, None) is not None
