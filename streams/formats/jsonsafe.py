"""The one way wirefeed reads JSON from the wire, and the helpers the JSON parsers share.

Wire JSON is untrusted: nesting deep enough to exhaust the stack, ``NaN`` no strict consumer
accepts, lone surrogates that break every later UTF-8 encode, a number where a list belongs.
``load_object`` turns each into a typed ``RejectedInput`` (or repairs it, for surrogates) and the
``get_*`` accessors return a safe default for any unexpected shape, so parsers never raise
``KeyError``, ``TypeError`` or ``AttributeError``. ninjs, digitalwires and AP all carry their body
as HTML/NITF inside a JSON string, so the linear-time HTML flattening lives here as well.
"""

from __future__ import annotations

import html
import json
import math
import re
from typing import Any, Literal

from schemas.item import Dateline, Entity, PubStatus
from streams.errors import MalformedJson, TooDeep
from streams.formats.charset import clean, decode

DEFAULT_MAX_DEPTH = 64

JsonObject = dict[str, Any]

# A JSON string (with escapes) or one bracket. Strings are matched whole so brackets inside them
# are not counted; the unrolled loop keeps the match linear even for megabyte strings.
_DEPTH_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|(?P<open>[\[{])|(?P<close>[\]}])', re.DOTALL)
# Decoded bytes can hold a surrogate only if the JSON wrote one as an escape: look before walking.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATES = re.compile(r"[\ud800-\udfff]")
_INT_TEXT = re.compile(r"\s*[+-]?\d{1,18}\s*")


def load_object(raw: bytes, *, max_depth: int = DEFAULT_MAX_DEPTH) -> tuple[JsonObject, str]:
    """Bytes to a JSON object and the charset used, or ``MalformedJson`` / ``TooDeep``.

    Lone surrogates (``"\\ud800"``) are removed from every string rather than rejected: one bad
    escape in a long article should not dead-letter the story, and wirefeed already drops them from
    text formats (``charset.strip_controls``). Paired surrogates are joined by ``json`` itself.
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    text, charset = decode(raw)
    check_depth(text, max_depth)
    try:
        value = json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float)
    except MalformedJson:
        raise
    except json.JSONDecodeError as exc:
        raise MalformedJson(f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from exc
    except (ValueError, RecursionError) as exc:
        # ValueError: an integer past Python's digit limit; RecursionError cannot happen below the
        # depth cap, but a typed rejection is cheaper than trusting that.
        raise MalformedJson(f"invalid JSON: {exc}") from exc
    if not isinstance(value, dict):
        raise MalformedJson(f"top level is {type(value).__name__}, expected an object")
    if _SURROGATE_ESCAPE.search(text):
        value = _drop_surrogates(value)
    return value, charset


def check_depth(text: str, max_depth: int = DEFAULT_MAX_DEPTH) -> None:
    """Reject nesting deeper than ``max_depth`` before ``json.loads`` can recurse into it."""
    depth = 0
    for match in _DEPTH_TOKEN.finditer(text):
        if match.lastgroup == "open":
            depth += 1
            if depth > max_depth:
                raise TooDeep(f"JSON nested deeper than {max_depth} levels")
        elif match.lastgroup == "close":
            depth -= 1


def _reject_constant(name: str) -> float:
    raise MalformedJson(f"non-standard JSON constant {name}")


def _finite_float(text: str) -> float:
    # 1e999 parses to inf, which is NaN's twin for every strict consumer downstream.
    value = float(text)
    if not math.isfinite(value):
        raise MalformedJson(f"number {text[:40]} is out of range")
    return value


def _drop_surrogates(value: Any) -> Any:
    # Recursion is bounded by the depth cap checked before loading.
    if isinstance(value, str):
        return _SURROGATES.sub("", value)
    if isinstance(value, list):
        return [_drop_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {_SURROGATES.sub("", k): _drop_surrogates(v) for k, v in value.items()}
    return value


# --- typed access to untrusted objects ------------------------------------------------------


def get_str(obj: object, *keys: str) -> str | None:
    """The first of ``keys`` holding a non-blank string, trimmed."""
    if isinstance(obj, dict):
        for key in keys:
            value = obj.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()
    return None


def get_int(obj: object, *keys: str) -> int | None:
    """An integer, also from a numeric string such as ninjs' ``"version": "2"``; never a bool."""
    if not isinstance(obj, dict):
        return None
    for key in keys:
        value = obj.get(key)
        if isinstance(value, bool):
            continue
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer() and math.isfinite(value):
            return int(value)
        # Bounded length: int() of thousands of digits is slow and past 4300 raises.
        if isinstance(value, str) and _INT_TEXT.fullmatch(value):
            return int(value)
    return None


def get_dict(obj: object, *keys: str) -> JsonObject:
    """The first of ``keys`` holding an object, else an empty one."""
    if isinstance(obj, dict):
        for key in keys:
            value = obj.get(key)
            if isinstance(value, dict):
                return value
    return {}


def get_list(obj: object, *keys: str) -> list[Any]:
    """The first of ``keys`` holding a list; a lone object or string counts as a list of one."""
    if isinstance(obj, dict):
        for key in keys:
            value = obj.get(key)
            if isinstance(value, list):
                return value
            if isinstance(value, dict | str):
                return [value]
    return []


def dicts(values: list[Any]) -> list[JsonObject]:
    return [v for v in values if isinstance(v, dict)]


def strings(values: list[Any]) -> list[str]:
    """Non-blank strings of a list, trimmed, in order, without exact repeats."""
    out: list[str] = []
    for value in values:
        if isinstance(value, str) and value.strip() and value.strip() not in out:
            out.append(value.strip())
    return out


# --- HTML and text bodies inside JSON strings -----------------------------------------------

_TOKEN = re.compile(r"<!--|<(?P<end>/?)(?P<tag>[A-Za-z][A-Za-z0-9.:-]*)(?P<attrs>[^<>]*)>|<[!?][^<>]*>")
_CLASS = re.compile(r"""\bclass\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'>]+))""", re.I)
# Elements that end a paragraph; inline ones (a, span, strong, em) just flatten into the text.
_BLOCK = frozenset(
    {"p", "div", "section", "article", "header", "footer", "blockquote", "pre", "br", "dt", "dd"}
    | {"h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "tr", "table", "tbody", "thead"}
    | {"hl1", "hl2", "block", "body", "html", "nitf", "body.content"}  # NITF
)
# Elements whose text is not body copy: page head, scripts, picture furniture, NITF's head block.
_SKIP = frozenset(
    {"head", "title", "script", "style", "figure", "figcaption", "aside", "media", "iframe", "object"}
    | {"template", "body.head", "body.end"}
)
# TT's html5 body repeats vignette and source in <div class="dat">: metadata, not copy.
_SKIP_CLASSES = frozenset({"dat", "byline"})
_CELLS = frozenset({"td", "th"})
_VOID = frozenset({"br", "img", "hr", "meta", "link", "input", "wbr", "col", "source"})
_BLANK_LINES = re.compile(r"\n\s*\n")


def html_blocks(fragment: str, capture_class: str | None = None) -> tuple[list[str], str | None]:
    """Paragraph texts of an HTML/NITF fragment, and the text of the first ``capture_class`` element.

    Inline markup is flattened, entities are unescaped, whitespace is folded and empty blocks are
    dropped. ``capture_class`` (dpa's ``dateline``) is cut out of the copy and returned apart.
    """
    blocks: list[str] = []
    current: list[str] = []
    captured: list[str] = []
    capture_depth = 0  # > 0 while inside the captured element
    captured_done = False
    skip_depth = 0  # > 0 while inside an element whose text is dropped
    stack: list[tuple[str, str]] = []  # (tag, role) of open elements: role is "", "skip" or "capture"
    open_count: dict[str, int] = {}  # how often each tag is on the stack: O(1) stray-close check

    def flush() -> None:
        line = clean(html.unescape("".join(current)))
        current.clear()
        if line:
            blocks.append(line)

    pos = 0
    while True:
        match = _TOKEN.search(fragment, pos)
        chunk = fragment[pos : match.start() if match else len(fragment)]
        if chunk and not skip_depth:
            (captured if capture_depth else current).append(chunk)
        if match is None:
            break
        pos = match.end()
        if match.group(0) == "<!--":
            end = fragment.find("-->", pos)
            if end < 0:
                break
            pos = end + 3
            continue
        tag = (match.group("tag") or "").lower()
        if not tag:
            continue  # <!DOCTYPE>, <?xml?>
        closing = bool(match.group("end"))
        self_closing = match.group("attrs").rstrip().endswith("/") or tag in _VOID
        if closing:
            # Pop to the matching open tag; a stray close tag is ignored.
            if open_count.get(tag):
                while stack:
                    open_tag, role = stack.pop()
                    open_count[open_tag] -= 1
                    skip_depth -= role == "skip"
                    capture_depth -= role == "capture"
                    if open_tag == tag:
                        break
            if tag in _BLOCK and not skip_depth and not capture_depth:
                flush()
            continue
        if tag in _BLOCK and not skip_depth and not capture_depth:
            flush()
        if tag in _CELLS and not skip_depth:
            (captured if capture_depth else current).append(" ")
        if self_closing:
            continue
        classes = set(_classes(match.group("attrs")))
        role = ""
        if tag in _SKIP or classes & _SKIP_CLASSES:
            role = "skip"
            skip_depth += 1
        elif capture_class and not captured_done and capture_class in classes and not capture_depth:
            role = "capture"
            capture_depth += 1
            captured_done = True
        stack.append((tag, role))
        open_count[tag] = open_count.get(tag, 0) + 1
    flush()
    dateline = clean(html.unescape("".join(captured))) if captured else None
    return blocks, dateline


def _classes(attrs: str) -> list[str]:
    match = _CLASS.search(attrs)
    if not match:
        return []
    return (match.group("dq") or match.group("sq") or match.group("bare") or "").lower().split()


def text_blocks(text: str) -> list[str]:
    """Paragraphs of a plain-text body: blank-line blocks when it has any, else single lines."""
    parts = _BLANK_LINES.split(text) if _BLANK_LINES.search(text) else text.split("\n")
    return [line for line in (clean(part) for part in parts) if line]


# --- fields the three JSON formats share --------------------------------------------------

JsonKind = Literal["digitalwires", "ap_json", "ninjs"]
SNIFF_BYTES = 4096
_DW_MARKS = (b'"article_html"', b'"entry_id"', b'"version_created"')
_AP_ALTIDS = re.compile(rb'"altids"\s*:\s*\{[^{}]*"itemid"')
_AP_DATA = re.compile(rb'"data"\s*:\s*\{')
_AP_ITEM = re.compile(rb'"items?"\s*:')


def sniff_kind(raw: bytes) -> JsonKind | None:
    """Which JSON format the first 4 KB look like. One answer, so the three sniffers never overlap:
    digitalwires has ``urn`` plus a field of its own, AP an ``altids`` object with ``itemid`` or a
    ``data`` envelope; anything else with a ``uri`` is ninjs.
    """
    head = raw[:SNIFF_BYTES].lstrip(b" \t\r\n\xef\xbb\xbf")
    if not head.startswith(b"{"):
        return None
    if b'"urn"' in head and any(mark in head for mark in _DW_MARKS):
        return "digitalwires"
    if _AP_ALTIDS.search(head) or (_AP_DATA.search(head) and _AP_ITEM.search(head)):
        return "ap_json"
    if b'"uri"' in head:
        return "ninjs"
    return None


_PUBSTATUS: dict[str, PubStatus] = {"usable": "usable", "withheld": "withheld", "canceled": "canceled"}


def pubstatus_of(value: str | None) -> tuple[PubStatus, str | None]:
    """(pubstatus, the raw value if it is none of the IPTC three) from ``usable``, ``stat:canceled``...

    Other values (AP ``Embargoed``, TT ``replaced``) describe a usable item; the parser keeps them
    as a signal.
    """
    if not value:
        return "usable", None
    key = value.rsplit(":", 1)[-1].strip().lower().replace("cancelled", "canceled")
    if key in _PUBSTATUS:
        return _PUBSTATUS[key], None
    return "usable", value


def entities(values: list[Any]) -> tuple[Entity, ...]:
    """ninjs/AP entity objects (name, uri or code, literal, rel, scheme) as ``Entity``."""
    out: list[Entity] = []
    for obj in dicts(values):
        entity = Entity(
            name=get_str(obj, "name"),
            uri=get_str(obj, "uri", "qcode", "code"),
            literal=get_str(obj, "literal"),
            rel=get_str(obj, "rel"),
            scheme=get_str(obj, "scheme", "type"),
        )
        if (entity.name or entity.uri or entity.literal) and entity not in out:
            out.append(entity)
    return tuple(out)


_DATELINE_FIELD = re.compile(r"^(?P<place>[^()]{1,100}?)\s*\((?P<agency>[^()]{1,40})\)\s*[-–—_]*$")
# "MADRID, 21 Nov. 2024": the part after the last comma is a date when it holds a digit.
_PLACE_DATE = re.compile(r",[^,]*\d[^,]*$")


def dateline_from_field(text: str | None) -> Dateline | None:
    """A dateline sent as its own field or element: ``Berlin (dpa) - ``, ``MADRID, 21 Nov. 2024 (...)``.

    Unlike ``textbody.split_dateline`` this knows the text *is* a dateline, so it accepts any
    agency in the parentheses; a date after the place is dropped (a date is not a place).
    """
    raw = clean(text)
    if not raw:
        return None
    match = _DATELINE_FIELD.match(raw)
    if not match:
        place = raw.rstrip(" -–—_")
        return Dateline(place=place, raw=raw) if place else None
    place = match.group("place").strip(" ,")
    place = _PLACE_DATE.sub("", place).strip(" ,") or place
    return Dateline(place=place, agency=match.group("agency").strip(), raw=raw)
