"""The one way wirefeed reads JSON from the wire, and the helpers the JSON parsers share.

Wire JSON is untrusted: nesting deep enough to exhaust the stack, ``NaN`` no strict consumer
accepts, lone surrogates that break every later UTF-8 encode, a number where a list belongs.
``load_object`` turns each into a typed ``RejectedInput`` (or repairs it, for surrogates) and the
``get_*`` accessors return a safe default for any unexpected shape, so parsers never raise
``KeyError``, ``TypeError`` or ``AttributeError``. The bodies inside those JSON strings are HTML
or NITF and are flattened by ``htmltext``, which the XML formats share.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, Literal

from schemas.item import Entity
from streams.errors import MalformedJson, TooDeep
from streams.formats.base import valid_urgency
from streams.formats.charset import decode

DEFAULT_MAX_DEPTH = 64

JsonObject = dict[str, Any]

# A JSON string (with escapes) or one bracket. Strings are matched whole so brackets inside them
# are not counted; the unrolled loop keeps the match linear even for megabyte strings.
_DEPTH_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|(?P<open>[\[{])|(?P<close>[\]}])', re.DOTALL)
# Decoded strings can hold a surrogate or a control character only if the JSON wrote one as an
# escape (strict json rejects raw controls in strings): look for the escape before walking.
_UNWANTED_ESCAPE = re.compile(r"\\u(?:[dD][89a-fA-F]|00[01]|007[fF]|00[89])|[\x7f-\x9f]")
_UNWANTED = re.compile(r"[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_INT_TEXT = re.compile(r"\s*[+-]?\d{1,18}\s*")


def load_object(raw: bytes, *, max_depth: int = DEFAULT_MAX_DEPTH) -> tuple[JsonObject, str]:
    """Bytes to a JSON object and the charset used, or ``MalformedJson`` / ``TooDeep``.

    Lone surrogates (``"\\ud800"``) and escaped control characters are removed from every string
    rather than rejected: one bad
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
    if _UNWANTED_ESCAPE.search(text):
        value = _scrub(value)
    return value, charset


def check_depth(text: str, max_depth: int = DEFAULT_MAX_DEPTH) -> None:
    """Reject nesting deeper than ``max_depth`` before ``json.loads`` can recurse into it."""
    if text.count("{") + text.count("[") <= max_depth:
        # No deeper than the brackets it has at all (those inside strings included): wire
        # objects have a dozen or two, so the walk below is only for the rare bracket-heavy one.
        return
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


def _scrub(value: Any) -> Any:
    """Lone surrogates and control characters (but newline, tab, CR) out of every string."""
    # Recursion is bounded by the depth cap checked before loading.
    if isinstance(value, str):
        return _UNWANTED.sub("", value)
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    if isinstance(value, dict):
        return {_UNWANTED.sub("", k): _scrub(v) for k, v in value.items()}
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


def get_urgency(obj: object) -> int | None:
    """``urgency`` when it is one of the IPTC levels 1 to 9."""
    return valid_urgency(get_int(obj, "urgency"))


def dicts(values: list[Any]) -> list[JsonObject]:
    return [v for v in values if isinstance(v, dict)]


def first_str(values: list[Any], *keys: str) -> str | None:
    """The first non-blank string under ``keys`` among a list of objects (infosources, genres)."""
    for obj in dicts(values):
        value = get_str(obj, *keys)
        if value:
            return value
    return None


def strings(values: list[Any]) -> list[str]:
    """Non-blank strings of a list, trimmed, in order, without exact repeats."""
    out: list[str] = []
    for value in values:
        if isinstance(value, str) and value.strip() and value.strip() not in out:
            out.append(value.strip())
    return out


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
