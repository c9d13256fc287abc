"""The poison set: bad inputs of every rejection kind, each with the reason the DLQ must carry.

Built from ``tests/fixtures/bad`` (MANIFEST.tsv) plus deterministic variants (random garbage,
other truncation points, other nesting depths, ...) so every poison message has distinct bytes.
Every candidate is checked with the production parser (``parse_message``): a variant that is
not rejected with its intended reason is dropped, so the expected reason is always the real one.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from random import Random

from streams.errors import WirefeedError
from streams.formats.registry import DEFAULT_MAX_BYTES, default_parsers, parse_message

BAD = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "bad"


@dataclass(frozen=True, slots=True)
class Poison:
    payload: bytes
    reason: str
    wire_format: str | None
    origin: str  # fixture name or variant family


def too_large(extra: int = 0) -> bytes:
    line = b"Eine Zeile Text, die sich wiederholt.\n"
    return (line * (DEFAULT_MAX_BYTES // len(line) + 2))[: DEFAULT_MAX_BYTES + 1 + extra]


def deep_json(depth: int = 100_000) -> bytes:
    return b'{"uri": "urn:x", "headline": "deep", "body": ' + b"[" * depth + b"]" * depth + b"}"


def manifest() -> list[tuple[str, str, str | None]]:
    with (BAD / "MANIFEST.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [(r["file"], r["reason"], r["wire_format"] or None) for r in rows]


def rejection(payload: bytes, wire_format: str | None, parsers: dict[str, object] | None = None) -> str:
    """The reason code the production parser gives (``ok`` when the input parses)."""
    try:
        parse_message(payload, parsers or default_parsers(), hint=wire_format)  # type: ignore[arg-type]
    except WirefeedError as exc:
        return exc.code
    return "ok"


def _variants(rng: Random, heavy: bool) -> Iterator[tuple[bytes, str, str | None, str]]:
    """Endless round-robin over the variant families: (payload, intended reason, header, family)."""
    fixtures = {name: (BAD / name).read_bytes() for name, reason, _ in manifest() if not name.startswith("@")}
    dpa_good = (BAD / "unknown_format.txt").read_bytes()
    truncated_src = fixtures["truncated.xml"]
    families: list[Callable[[int], tuple[bytes, str, str | None, str]]] = [
        lambda n: (b" \t\r\n" * (n % 7) + b"\n" * (n // 7 + 1), "empty_message", None, "blank"),
        lambda n: (
            bytes(rng.sample(range(256), 256)) * 4 + n.to_bytes(4, "big"),
            "bad_encoding",
            None,
            "garbage",
        ),
        lambda n: (fixtures["billion_laughs.xml"] + f"<!-- {n} -->\n".encode(), "unsafe_xml", None, "laughs"),
        lambda n: (
            fixtures["external_entity.xml"] + f"<!-- {n} -->\n".encode(),
            "unsafe_xml",
            None,
            "entity",
        ),
        lambda n: (fixtures["doctype_only.xml"] + f"<!-- {n} -->\n".encode(), "unsafe_xml", None, "doctype"),
        lambda n: (truncated_src[: max(300, len(truncated_src) - 7 * (n + 1))], "malformed_xml", None, "cut"),
        lambda n: (
            fixtures["malformed.json"].replace(b"malformed", f"malformed-{n}".encode()),
            "malformed_json",
            None,
            "json",
        ),
        lambda n: (
            fixtures["nan.json"].replace(b":nan", f":nan-{n}".encode()),
            "malformed_json",
            None,
            "nan",
        ),
        lambda n: (dpa_good + f"\n{n}\n".encode(), "unknown_format", "nosuchformat", "header"),
        lambda n: (
            json.dumps({"uri": f"urn:faults:empty:{n}", "version": 1}).encode(),
            "missing_content",
            None,
            "nocontent",
        ),
    ]
    if heavy:
        families.append(lambda n: (deep_json(100_000 + n), "too_deep", None, "deep"))
    n = 0
    while True:
        for family in families:
            yield family(n)
        n += 1


def poison_set(count: int, seed: int = 8, too_large_copies: int = 1) -> list[Poison]:
    """``count`` bad messages (at least the fixtures), distinct bytes, every rejection kind."""
    parsers = default_parsers()
    rng = Random(seed)
    out: list[Poison] = []
    seen: set[bytes] = set()

    def add(payload: bytes, reason: str, wire_format: str | None, origin: str) -> None:
        if payload in seen or reason == "ok":
            return
        if rejection(payload, wire_format, parsers) != reason:  # type: ignore[arg-type]
            return
        seen.add(payload)
        out.append(Poison(payload, reason, wire_format, origin))

    for name, reason, wire_format in manifest():
        if name == "@too_large":
            for extra in range(too_large_copies):
                add(too_large(extra), reason, wire_format, name)
        elif name == "@deep_json":
            add(deep_json(), reason, wire_format, name)
        else:
            add((BAD / name).read_bytes(), reason, wire_format, name)
    # Deeply nested JSON is slow to build and to reject: one in ten rounds at most.
    heavy_budget = max(1, count // 50)
    variants = _variants(rng, heavy=False)
    heavy = _variants(rng, heavy=True)
    attempts = 0
    while len(out) < count and attempts < count * 20:
        attempts += 1
        if heavy_budget and attempts % 25 == 0:
            for payload, reason, wire_format, origin in heavy:
                if origin == "deep":
                    add(payload, reason, wire_format, origin)
                    heavy_budget -= 1
                    break
            continue
        add(*next(variants))
    return out


if __name__ == "__main__":
    from collections import Counter

    ps = poison_set(500)
    print(len(ps), Counter(p.reason for p in ps))
