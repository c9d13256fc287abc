"""The update-marker grammar of wire text, shared by every text-based format.

Agencies signal updates in the text itself: headline prefixes (``ROUNDUP 2:``, ``WDH/``,
``UPDATE 1-``, ``1ST LEAD``), notes in parentheses (``(neu: ...)``, ``(Berichtigung: ...)``,
``(Adds ...)``), editors' notes (``Eds: ...``) and kill lines. This module finds them and maps
them onto the one ``UpdateType``. All patterns are compiled once at import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from schemas.item import PubStatus, UpdateType

# Strongest first: when a message carries several markers, the strongest decides.
_RANK = {
    UpdateType.WITHDRAWAL: 5,
    UpdateType.CORRECTION: 4,
    UpdateType.RESEND: 3,
    UpdateType.DEVELOPMENT: 2,
    UpdateType.MINOR: 1,
    UpdateType.NEW: 0,
}

_PREFIX_TYPES: dict[str, UpdateType] = {
    "ROUNDUP": UpdateType.DEVELOPMENT,
    "WRAPUP": UpdateType.DEVELOPMENT,
    "UPDATE": UpdateType.DEVELOPMENT,
    "WDH": UpdateType.RESEND,
    "RPT": UpdateType.RESEND,
    "REFILE": UpdateType.RESEND,
    "KORREKTUR": UpdateType.CORRECTION,
    "CORRECTED": UpdateType.CORRECTION,
    "CORRECTION": UpdateType.CORRECTION,
    "LEAD": UpdateType.DEVELOPMENT,
    "WRITETHRU": UpdateType.DEVELOPMENT,
}
# Labels that carry no update meaning but are not headline text either.
_NEUTRAL_PREFIXES = frozenset(
    {
        "EILMELDUNG",
        "IM FOKUS",
        "AKTIE IM FOKUS",
        "ANALYSE-FLASH",
        "INTERVIEW",
        "PRESSESTIMME",
        "EXCLUSIVE",
        "FACTBOX",
        "BRIEF",
        "URGENT",
        "BULLETIN",
        "FLASH",
    }
)

_PREFIX = re.compile(
    r"^\s*(?P<tok>ROUNDUP(?: \d+)?|WRAPUP(?: \d+)?|UPDATE \d+|WDH|RPT|REFILE|KORREKTUR|CORRECTED|"
    r"EILMELDUNG|AKTIE IM FOKUS|IM FOKUS|ANALYSE-FLASH|INTERVIEW|PRESSESTIMME|EXCLUSIVE|FACTBOX|BRIEF|"
    r"URGENT|BULLETIN|FLASH)"
    r"(?:\s*/\s*|\s*:\s*|\s*-\s*(?=\S))"
)
_LEAD = re.compile(r"^\s*(?P<n>\d+)(?:ST|ND|RD|TH)\s+LEAD\b\s*[:\-]?\s*", re.IGNORECASE)
_WRITETHRU = re.compile(r"\b(?P<n>\d+)(?:st|nd|rd|th)\s*Ld-Writethru\b", re.IGNORECASE)
_NUMBER = re.compile(r"\d+")

_NOTE = re.compile(
    r"\(\s*(?P<label>neu|aktualisierung|berichtigung|korrektur|wiederholung|new|adds|updates|"
    r"corrects|refiles|recasts|changes|rewrites|writes through|removes)\b\s*:?\s*(?P<text>[^()]*?)\s*\)",
    re.IGNORECASE,
)
_NOTE_TYPES: dict[str, UpdateType] = {
    "neu": UpdateType.DEVELOPMENT,
    "new": UpdateType.DEVELOPMENT,
    "aktualisierung": UpdateType.DEVELOPMENT,
    "adds": UpdateType.DEVELOPMENT,
    "updates": UpdateType.DEVELOPMENT,
    "recasts": UpdateType.DEVELOPMENT,
    "rewrites": UpdateType.DEVELOPMENT,
    "writes through": UpdateType.DEVELOPMENT,
    "changes": UpdateType.MINOR,
    "removes": UpdateType.MINOR,
    "berichtigung": UpdateType.CORRECTION,
    "korrektur": UpdateType.CORRECTION,
    "corrects": UpdateType.CORRECTION,
    "wiederholung": UpdateType.RESEND,
    "refiles": UpdateType.RESEND,
}
# A resend whose note says what was fixed is a correction, not a plain retransmission.
_FIX_WORDS = re.compile(r"berichtigt|korrigiert|\bstatt\b|korrektur|\bcorrect|\bfix", re.IGNORECASE)
_MINOR_WORDS = re.compile(r"\bminor\b|tippfehler|\btypo\b|rechtschreib|spelling", re.IGNORECASE)
_EDS = re.compile(r"^\s*(?:Eds|EDITOR'S NOTE)\s*[:_]\s*(?P<text>.+)$", re.IGNORECASE)
_EDS_DEVELOP = re.compile(r"\b(?:updates?|adds?|new approach|writethru|recasts?)\b", re.IGNORECASE)
_KILL = re.compile(
    r"KILL\s+KILL\s+KILL|\*\*\*\s*ELIMINAR|\bzur(?:ü|ue)ckgezogen\b|\bwithdrawn\b|\bMANDATORY KILL\b",
    re.IGNORECASE,
)
_GENRE = re.compile(
    r"^\(\s*(?P<genre>Zusammenfassung|Vorschau|KORR-Bericht|Achtung(?: - Planungshinweis)?|Sperrfrist|"
    r"Überblick|Hintergrund|Interview|Fragen & Antworten|Tagesvorschau|Kurzmeldung|Korrespondentenbericht)"
    r"(?:\s+(?P<rest>[^)]*))?\)\s*$",
    re.IGNORECASE,
)
_URGENCY = re.compile(r"^\(\s*(?P<level>Eil|Blitz|Vorrang)\b[^)]*\)\s*$", re.IGNORECASE)


@dataclass
class Markers:
    """What the markers of one message say, gathered while its parser walks the text."""

    update_type: UpdateType = UpdateType.NEW
    note: str | None = None
    signals: list[str] = field(default_factory=list)
    seq: int | None = None
    genre: str | None = None
    urgency: int | None = None

    @property
    def pubstatus(self) -> PubStatus:
        """For the text wires, which say kill only in the text: a withdrawal cancels the item."""
        return "canceled" if self.update_type is UpdateType.WITHDRAWAL else "usable"

    def raise_to(self, kind: UpdateType, signal: str) -> None:
        self.signals.append(signal)
        if _RANK[kind] > _RANK[self.update_type]:
            self.update_type = kind

    def take_note(self, label: str, text: str) -> None:
        kind = _NOTE_TYPES[label.lower()]
        if kind is UpdateType.RESEND and _FIX_WORDS.search(text):
            kind = UpdateType.CORRECTION
        elif kind is UpdateType.DEVELOPMENT and _MINOR_WORDS.search(text):
            kind = UpdateType.MINOR
        self.raise_to(kind, f"note:{label.lower()}")
        if self.note is None:
            # English notes (Adds ..., Corrects ...) read as a sentence with their verb.
            self.note = text if label.lower() in _GERMAN_LABELS else f"{label} {text}".strip()


_GERMAN_LABELS = frozenset({"neu", "aktualisierung", "berichtigung", "korrektur", "wiederholung", "new"})


def strip_prefixes(headline: str, markers: Markers) -> str:
    """Remove update prefixes from the start of a headline, recording what they say."""
    text = headline
    while True:
        lead = _LEAD.match(text)
        if lead:
            markers.seq = int(lead.group("n"))
            markers.raise_to(UpdateType.DEVELOPMENT, f"prefix:{lead.group(0).strip(' :-').upper()}")
            text = text[lead.end() :]
            continue
        match = _PREFIX.match(text)
        if not match:
            return text.strip()
        token = match.group("tok")
        word = token.split(" ")[0]
        if token not in _NEUTRAL_PREFIXES and word in _PREFIX_TYPES:
            markers.raise_to(_PREFIX_TYPES[word], f"prefix:{token}")
            number = _NUMBER.search(token)
            if number:
                markers.seq = int(number.group(0))
        else:
            markers.signals.append(f"label:{token}")
        text = text[match.end() :]


def take_notes(text: str, markers: Markers) -> str:
    """Remove update notes in parentheses from a line, recording them; returns the rest."""

    def _take(match: re.Match[str]) -> str:
        markers.take_note(match.group("label"), match.group("text"))
        return ""

    return _NOTE.sub(_take, text).strip()


def is_note_line(line: str) -> bool:
    """A line that is nothing but one update note, like ``(neu: Reaktion Betriebsrat)``."""
    match = _NOTE.fullmatch(line.strip())
    return match is not None


def take_writethru(slug: str, markers: Markers) -> None:
    match = _WRITETHRU.search(slug)
    if match:
        markers.seq = int(match.group("n"))
        markers.raise_to(UpdateType.DEVELOPMENT, f"writethru:{match.group('n')}")


# Reuters sluglines carry the headline-prefix tokens in parentheses: ``GLOBAL-PRECIOUS/ (UPDATE 1)``.
_SLUG_TAG = re.compile(
    r"\(\s*(?P<tok>(?:UPDATE|WRAPUP|ROUNDUP) \d+|WRAPUP|ROUNDUP|WDH|RPT|REFILE|KORREKTUR|CORRECTED|"
    r"CORRECTION)\s*\)"
)


def take_slug_tags(slug: str, markers: Markers) -> str:
    """Record update tokens in parentheses (``(UPDATE 1)``, ``(REFILE)``); returns the bare slug.

    The bare slug stays the same across the versions of a story, which is what linking keys on.
    """

    def _take(match: re.Match[str]) -> str:
        token = match.group("tok")
        markers.raise_to(_PREFIX_TYPES[token.split(" ")[0]], f"slug:{token}")
        number = _NUMBER.search(token)
        if number:
            markers.seq = int(number.group(0))
        return " "

    return " ".join(_SLUG_TAG.sub(_take, slug).split())


def take_eds(line: str, markers: Markers) -> bool:
    """An AP editors' note: ``Eds: Updates with ...``. Returns True when the line was one."""
    match = _EDS.match(line)
    if not match:
        return False
    text = match.group("text").strip()
    if _MINOR_WORDS.search(text):
        markers.raise_to(UpdateType.MINOR, "eds")
    elif _FIX_WORDS.search(text):
        markers.raise_to(UpdateType.CORRECTION, "eds")
    elif _EDS_DEVELOP.search(text):
        markers.raise_to(UpdateType.DEVELOPMENT, "eds")
    if markers.note is None:
        markers.note = text
    return True


def is_kill(text: str) -> bool:
    return _KILL.search(text) is not None


# A line that is nothing but a label: dpa's English service (``REFILE``, ``Correction``, ``Update``,
# ``KILL KILL KILL``), AP's ANPA header lines and version fields (``^URGENT<``, ``APNewsAlert``,
# ``Kill``). Whole lines only: inside a headline these words are ordinary text.
_LABEL_LINE = re.compile(
    r"^\s*(?P<label>KILL(?:\s+KILL)*|MANDATORY\s+KILL|\*+\s*ELIMINAR(?:\s*-\s*ELIMINAR)*\s*\**|"
    r"WITHDRAWAL|REFILE|CORRECTION|CORRECTED|UPDATE|URGENT|BULLETIN|FLASH|APNewsAlert|ADVISORY)\s*:?\s*$",
    re.IGNORECASE,
)
_LABEL_TYPES: dict[str, UpdateType] = {
    "KILL": UpdateType.WITHDRAWAL,
    "MANDATORY": UpdateType.WITHDRAWAL,
    "ELIMINAR": UpdateType.WITHDRAWAL,
    "WITHDRAWAL": UpdateType.WITHDRAWAL,
    "REFILE": UpdateType.RESEND,
    "CORRECTION": UpdateType.CORRECTION,
    "CORRECTED": UpdateType.CORRECTION,
    "UPDATE": UpdateType.DEVELOPMENT,
}
# dpa's German withdrawal line: ``(Achtung) <why>``. ``(Achtung)`` alone is the genre line instead.
_ACHTUNG = re.compile(r"^\s*\(\s*Achtung\s*\)\s*(?P<text>\S.*?)\s*$", re.IGNORECASE | re.DOTALL)


def take_label_line(line: str, markers: Markers) -> bool:
    """Record a whole-line label or an ``(Achtung) ...`` withdrawal; True when the line was one.

    URGENT, BULLETIN, FLASH, APNewsAlert and ADVISORY carry no update meaning and are kept as
    ``label:`` signals: what urgency they stand for differs by agency, so parsers decide.
    """
    achtung = _ACHTUNG.match(line)
    if achtung:
        markers.raise_to(UpdateType.WITHDRAWAL, "label:Achtung")
        if markers.note is None:
            markers.note = " ".join(achtung.group("text").split())
        return True
    match = _LABEL_LINE.match(line)
    if not match:
        return False
    label = " ".join(match.group("label").split())
    kind = _LABEL_TYPES.get(label.strip("* ").split(" ")[0].upper())
    if kind is None:
        markers.signals.append(f"label:{label}")
    else:
        markers.raise_to(kind, f"label:{label}")
    return True


def take_genre(line: str, markers: Markers) -> bool:
    """``(Zusammenfassung 0645)``, ``(Vorschau)``, ``(Eil)``: record and report whether it was one."""
    stripped = line.strip()
    urgency = _URGENCY.match(stripped)
    if urgency:
        level = urgency.group("level").lower()
        markers.urgency = {"blitz": 1, "eil": 2, "vorrang": 3}[level]
        markers.signals.append(f"urgency:{level}")
        return True
    genre = _GENRE.match(stripped)
    if not genre:
        return False
    name = genre.group("genre")
    markers.genre = f"{name} {genre.group('rest') or ''}".strip()
    if name.lower() == "zusammenfassung":
        markers.raise_to(UpdateType.DEVELOPMENT, f"genre:{markers.genre}")
    else:
        markers.signals.append(f"genre:{markers.genre}")
    return True


# Structured formats (ninjs, AP, digitalwires) write their notes without parentheses:
# ``Berichtigung: betroffen sind 1200 ...``, ``Zusammenfassung 1430 - neu: Reaktion Betriebsrat``.
_BARE_NOTE = re.compile(
    r"(?:^|(?<=[\s.;]))(?P<label>neu|aktualisierung|berichtigung|korrektur|wiederholung)\s*:\s*"
    r"(?P<text>[^()]+?)\s*$",
    re.IGNORECASE,
)
_BARE_GENRE = re.compile(r"^\s*Zusammenfassung(?:\s+\d{4})?\b", re.IGNORECASE)


def take_ednote(note: str, markers: Markers) -> None:
    """An editors' note field (ninjs ``ednote``, AP ``ednote``): the grammar of notes in wire text.

    A leading ``Zusammenfassung HHMM`` reads as the genre line it renders to in text; ``(neu: ...)``
    and the bare ``Berichtigung: ...`` form as update notes; anything else as an AP ``Eds:`` note
    (Updates/Adds → development, Corrects → correction, minor/spelling → minor). Kill words are
    not read here: structured formats say kill through pubstatus, and a new item's note often
    mentions the withdrawn one it replaces.
    """
    text = " ".join(note.split())
    if not text:
        return
    genre = _BARE_GENRE.match(text)
    if genre:
        take_genre(f"({genre.group(0).strip()})", markers)
    if take_eds(text, markers):
        return
    rest = take_notes(text, markers)
    bare = _BARE_NOTE.search(rest)
    if bare:
        markers.take_note(bare.group("label"), bare.group("text"))
    elif rest == text:
        kind = _eds_kind(text)
        if kind is not None:
            markers.raise_to(kind, "ednote")
            if markers.note is None:
                markers.note = text


def _eds_kind(text: str) -> UpdateType | None:
    # The same word classes take_eds applies after an ``Eds:`` label.
    if _MINOR_WORDS.search(text):
        return UpdateType.MINOR
    if _FIX_WORDS.search(text):
        return UpdateType.CORRECTION
    if _EDS_DEVELOP.search(text):
        return UpdateType.DEVELOPMENT
    return None


# IPTC signal qcodes as G2 ``signal``, dpa digitalwires ``signal`` and Superdesk ninjs ``signal``
# send them; ``sig:repeat`` is dpa's (rendered "Wiederholung"). Matched on the code after the colon.
_SIGNAL_TYPES: dict[str, UpdateType] = {
    "update": UpdateType.DEVELOPMENT,
    "correction": UpdateType.CORRECTION,
    "repeat": UpdateType.RESEND,
}
# Reuters' G2 editorial status, matched whole (a bare letter means nothing): U updated, C corrected;
# N (new) and other codes change nothing. Inferred from Reuters' usage, not a published vocabulary.
_QCODE_TYPES: dict[str, UpdateType] = {"edstat:u": UpdateType.DEVELOPMENT, "edstat:c": UpdateType.CORRECTION}


def take_signal(code: str, markers: Markers) -> None:
    """Record one signal qcode; codes without update meaning (``sig:atomic``) are kept as sent."""
    lowered = code.strip().lower()
    kind = _QCODE_TYPES.get(lowered) or _SIGNAL_TYPES.get(lowered.rsplit(":", 1)[-1].strip())
    if kind is None:
        markers.signals.append(code)
    else:
        markers.raise_to(kind, code)
