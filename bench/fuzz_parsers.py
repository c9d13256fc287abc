"""Fuzz every wire-format parser through ``parse_message``: nothing but typed rejections may escape.

Feeds ``--count`` inputs (default 100,000) built by a seeded RNG: mutations (bit flips, inserted,
deleted and duplicated bytes, truncation, splices, hostile tokens) of every fixture input under
tests/fixtures/formats and of the real samples in ../shared/samples when present, plus random
bytes and random bytes behind each format's typical first bytes. About one input in ten also
carries a random ``wire-format`` hint, so each parser meets inputs that are not its own.

Prints the number of unexpected exceptions (anything that is not a ``RejectedInput``, including
``InternalError``, which is how ``parse_message`` reports a parser bug) with the first few
tracebacks, items and rejections by code, parsed text fields holding control characters, and the
slowest input. Exits 1 when there was an unexpected exception.

usage: .venv/bin/python bench/fuzz_parsers.py [--count N] [--seed S] [--samples DIR] [--show K]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from schemas.item import ParsedItem  # noqa: E402
from streams.errors import RejectedInput  # noqa: E402
from streams.formats.registry import default_parsers, parse_message  # noqa: E402

FIXTURES = REPO / "tests" / "fixtures" / "formats"
SAMPLES = REPO.parent / "shared" / "samples"

# The first bytes each format is sniffed by.
PREFIXES: tuple[bytes, ...] = (
    b"\x16\x16\x01",
    b"\x01",
    b"<?xml version='1.0'?><newsItem",
    b"<NewsML",
    b'{"uri":',
    b'{"urn":"x","article_html":',
    b'{"data":{"item":',
)

# Hostile or structure-bearing tokens spliced into inputs.
TOKENS: tuple[bytes, ...] = (
    b"\x00",
    b"\x01",
    b"\x02",
    b"\x03",
    b"\x04",
    b"\x07",
    b"\x16",
    b"\x1f",
    b"\x7f",
    b"\r",
    b"\r\n",
    b"\n\n",
    b"\t",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\xc3",
    b"\xe2\x80",
    b"\x80",
    b"\\ud800",
    b"\\udfff",
    b"\\u0000",
    b"\\u0007",
    b"\\u001f",
    b"\\\\",
    b'"',
    b"NaN",
    b"Infinity",
    b"1e999",
    b"-0",
    b"99999999999999999999999999",
    b"null",
    b"true",
    b"[]",
    b"{}",
    b"[" * 80,
    b"{" * 80,
    b"<",
    b">",
    b"&",
    b"&#0;",
    b"&#7;",
    b"&#x1F;",
    b"&amp;",
    b"&nbsp;",
    b"<![CDATA[",
    b"]]>",
    b"<!--",
    b"-->",
    b"<?pi x?>",
    b"<!DOCTYPE x>",
    b'<!ENTITY e SYSTEM "file:///etc/passwd">',
    b"<p>",
    b"</p>",
    b"<br/>",
    b'xmlns="http://iptc.org/std/nar/2006-10-01/"',
    b' version="0"',
    b' version="-1"',
    b' version="99999999999999999999"',
    b' urgency="0"',
    b' urgency="10"',
    b"2025-13-45T99:99:99Z",
    b"0000-00-00",
    b" (dpa) - ",
    b" (dpa-AFX) - ",
    b"ROUNDUP: ",
    b"(neu: ",
    b"Eil",
    b"BERICHTIGUNG",
    b"/mau/DP/mis",
    b"=\r\n",
    b"\xe4\xf6\xfc",
    b"\xc3\xa4\xc3\xb6\xc3\xbc",
)

# The control characters no text field of a parsed item may hold (tab and line feed are allowed).
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
TEXT_FIELDS = ("headline", "byline", "update_note", "slugline", "ednote")


def corpus_files(samples: Path | None) -> list[Path]:
    files = sorted(p for p in FIXTURES.glob("*/*") if p.is_file() and not p.name.endswith(".expected.json"))
    if samples is not None and samples.is_dir():
        files += sorted(
            p
            for p in samples.glob("*/*")
            if p.is_file() and p.parent.name != "LICENSES" and p.suffix in (".json", ".xml", ".txt")
        )
    return files


def control_fields(item: ParsedItem) -> dict[str, str]:
    """The text fields of an item that hold a control character, by name."""
    bad = {name: value for name in TEXT_FIELDS if CONTROL.search(value := getattr(item, name) or "")}
    bad.update({f"paragraphs[{i}]": p for i, p in enumerate(item.paragraphs) if CONTROL.search(p)})
    return bad


class Mutator:
    """Seeded input generator: ``next()`` returns (kind, hint, raw)."""

    def __init__(self, rng: random.Random, corpus: list[bytes]) -> None:
        self.rng = rng
        self.corpus = corpus
        self.hints = sorted(default_parsers())
        self.ops: list[Callable[[bytearray], None]] = [
            self.flip,
            self.flip,
            self.set_byte,
            self.insert_random,
            self.insert_token,
            self.insert_token,
            self.delete,
            self.duplicate,
            self.truncate,
            self.splice,
        ]

    def pos(self, data: bytearray) -> int:
        return self.rng.randrange(len(data) + 1)

    def flip(self, data: bytearray) -> None:
        if data:
            i = self.rng.randrange(len(data))
            data[i] ^= 1 << self.rng.randrange(8)

    def set_byte(self, data: bytearray) -> None:
        if data:
            data[self.rng.randrange(len(data))] = self.rng.randrange(256)

    def insert_random(self, data: bytearray) -> None:
        i = self.pos(data)
        data[i:i] = self.rng.randbytes(self.rng.randint(1, 16))

    def insert_token(self, data: bytearray) -> None:
        i = self.pos(data)
        data[i:i] = self.rng.choice(TOKENS)

    def delete(self, data: bytearray) -> None:
        if data:
            i = self.rng.randrange(len(data))
            del data[i : i + self.rng.randint(1, 64)]

    def duplicate(self, data: bytearray) -> None:
        if data:
            i = self.rng.randrange(len(data))
            chunk = data[i : i + self.rng.randint(1, 256)]
            j = self.pos(data)
            data[j:j] = chunk * self.rng.randint(1, 8)

    def truncate(self, data: bytearray) -> None:
        del data[self.pos(data) :]

    def splice(self, data: bytearray) -> None:
        other = self.rng.choice(self.corpus)
        if other:
            i = self.rng.randrange(len(other))
            j = self.pos(data)
            data[j:j] = other[i : i + self.rng.randint(1, 512)]

    def mutate(self) -> bytes:
        data = bytearray(self.rng.choice(self.corpus))
        for _ in range(self.rng.choice((1, 1, 1, 2, 2, 3, 5, 8))):
            self.rng.choice(self.ops)(data)
        return bytes(data)

    def next(self) -> tuple[str, str | None, bytes]:
        roll = self.rng.random()
        if roll < 0.70:
            kind, raw = "mutated", self.mutate()
        elif roll < 0.85:
            kind, raw = "random", self.rng.randbytes(self.rng.choice((1, 8, 64, 512, 4096)))
        else:
            tail = self.rng.randbytes(self.rng.randint(0, 1024))
            if self.rng.random() < 0.5:
                # A printable tail gets further than raw noise (past the charset check).
                tail = bytes(b % 95 + 32 if b % 7 else 10 for b in tail)
            kind, raw = "prefixed", self.rng.choice(PREFIXES) + tail
        hint = self.rng.choice(self.hints) if self.rng.random() < 0.10 else None
        return kind, hint, raw


@dataclass
class Report:
    inputs: int = 0
    items: int = 0
    rejections: Counter[str] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)
    unexpected: list[tuple[str, str | None, bytes, str]] = field(default_factory=list)
    control: list[tuple[str, str, dict[str, str], bytes]] = field(default_factory=list)
    slowest: tuple[float, int, str, str | None, bytes] = (0.0, 0, "", None, b"")


def run(count: int, seed: int, samples: Path | None) -> tuple[Report, int]:
    parsers = default_parsers()
    files = corpus_files(samples)
    corpus = [p.read_bytes() for p in files]
    mutator = Mutator(random.Random(seed), corpus)
    report = Report()
    for _ in range(count):
        kind, hint, raw = mutator.next()
        report.inputs += 1
        report.kinds[kind] += 1
        started = time.perf_counter()
        try:
            items = parse_message(raw, parsers, hint=hint)
        except RejectedInput as exc:
            report.rejections[exc.code] += 1
        except Exception as exc:
            report.unexpected.append((kind, hint, raw, "".join(traceback.format_exception(exc))))
        else:
            report.items += len(items)
            for item in items:
                bad = control_fields(item)
                if bad:
                    report.control.append((kind, item.format, bad, raw))
        elapsed = time.perf_counter() - started
        if elapsed > report.slowest[0]:
            report.slowest = (elapsed, len(raw), kind, hint, raw)
    return report, len(files)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--count", type=int, default=100_000, help="number of inputs (default 100000)")
    ap.add_argument("--seed", type=int, default=0, help="RNG seed (default 0)")
    ap.add_argument("--samples", type=Path, default=SAMPLES, help="real samples folder, used when present")
    ap.add_argument("--show", type=int, default=3, help="unexpected exceptions to print in full")
    args = ap.parse_args(argv)

    started = time.perf_counter()
    report, nfiles = run(args.count, args.seed, args.samples)
    wall = time.perf_counter() - started

    kinds = ", ".join(f"{k} {n}" for k, n in sorted(report.kinds.items()))
    print(f"inputs: {report.inputs} (seed {args.seed}; {nfiles} corpus files; {kinds})")
    print(f"unexpected exceptions: {len(report.unexpected)}")
    for kind, hint, raw, trace in report.unexpected[: args.show]:
        print(f"--- {kind} input, hint={hint}, {len(raw)} bytes: {raw[:200]!r}")
        print(trace.rstrip())
    print(f"items: {report.items}")
    print(f"rejections: {sum(report.rejections.values())}")
    for code, n in sorted(report.rejections.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {code}: {n}")
    print(f"items with control characters in text fields: {len(report.control)}")
    for kind, fmt, fields, raw in report.control[: args.show]:
        shown = ", ".join(f"{name}={value[:80]!r}" for name, value in fields.items())
        print(f"--- {fmt} ({kind} input, {len(raw)} bytes): {shown}")
    seconds, size, kind, hint, _ = report.slowest
    print(f"slowest input: {seconds * 1000:.2f} ms, {size} bytes ({kind}, hint={hint})")
    print(f"wall time: {wall:.1f} s ({report.inputs / wall:,.0f} inputs/s)")
    return 1 if report.unexpected else 0


if __name__ == "__main__":
    sys.exit(main())
