"""Parse throughput per wire format on one core: messages per second through ``parse_message``.

    .venv/bin/python bench/bench_parse.py [--seconds 2] [--formats dpa_text,ninjs] [--check]

Inputs are the golden fixtures of tests/fixtures/formats, scaled to realistic sizes by repeating
body paragraphs in place (a ~3 KB German dpa text, a ~10 KB NewsML-G2 item, ...). Each input is
checked to parse into the expected format with more paragraphs than the fixture before it is
timed. Every call goes the production way: default parsers, sniffing, no format hint.

Prints one row per format: bytes, msgs/s, µs/msg and the target where issue 3 sets one
(≥5,000/s dpa text and ninjs, ≥2,000/s for a 10 KB NewsML-G2 item). ``--check`` exits 1 when a
target is missed; without it the exit code only reports errors (so tiny smoke runs never fail on
timing noise).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from streams.formats.registry import default_parsers, parse_message  # noqa: E402

FIXTURES = REPO / "tests" / "fixtures" / "formats"


@dataclass(frozen=True)
class Case:
    label: str
    fmt: str
    fixture: str
    target_bytes: int
    target_rate: int | None = None
    sample: str | None = None  # a real message under ../shared/samples, used as it is


CASES = (
    Case("dpa text (German, ~3 KB)", "dpa_text", "02-roundup-note.txt", 3_000, 5_000),
    Case("IPTC 7901", "iptc7901", "zusammenfassung.txt", 3_000),
    Case("ANPA 1312", "anpa", "writethru_eds.txt", 3_000),
    Case("NewsML-G2 dpa item (real)", "newsml_g2", "", 0, 2_000, "newsml-g2/dpa-with_dateline.xml"),
    # Worst case: the fixture's one-line paragraph repeated, 110 short paragraphs in 10 KB.
    Case("NewsML-G2 stress (~10 KB)", "newsml_g2", "dpa_newsitem.xml", 10_000),
    Case("NewsML 1.2", "newsml12", "afp_first.xml", 6_000),
    Case("ninjs", "ninjs", "1x_first.json", 3_000, 5_000),
    Case("digitalwires", "digitalwires", "v2_update.json", 5_000),
    Case("AP JSON", "ap_json", "item.json", 5_000),
)


def _expected(path: Path) -> list[dict[str, object]]:
    items: list[dict[str, object]] = json.loads(
        path.with_name(path.name.rsplit(".", 1)[0] + ".expected.json").read_text("utf-8")
    )
    return items


def _find(text: str, paragraph: str, path: Path, end: int | None = None) -> int:
    """Where a paragraph starts in the message text: the last place its first words stand (the
    body comes after teasers and titles that may repeat them)."""
    probe = paragraph[:16]
    if path.suffix == ".json":
        probe = json.dumps(probe, ensure_ascii=False)[1:-1]
    at = text.rfind(probe, 0, len(text) if end is None else end)
    if at < 0:
        raise ValueError(f"{path.name}: paragraph {paragraph[:40]!r} not found verbatim")
    return at


def scaled(case: Case) -> bytes:
    """The fixture with its first body paragraph (and what separates it from the next) repeated
    until the message reaches ``target_bytes``."""
    path = FIXTURES / case.fmt / case.fixture
    raw = path.read_bytes()
    expected = _expected(path)[0]
    charset = str(expected["charset"])
    paragraphs = expected["paragraphs"]
    assert isinstance(paragraphs, list) and len(paragraphs) >= 2, f"{path.name}: needs two paragraphs"
    text = raw.decode(charset)
    second = _find(text, str(paragraphs[1]), path)
    first = _find(text, str(paragraphs[0]), path, second)
    segment = text[first:second]
    seg_bytes = len(segment.encode(charset))
    copies = max(0, -(-(case.target_bytes - len(raw)) // seg_bytes))
    return (text[:second] + segment * copies + text[second:]).encode(charset)


SAMPLES = REPO.parent / "shared" / "samples"


def prepare(case: Case) -> bytes:
    if case.sample:
        raw = (SAMPLES / case.sample).read_bytes()
        if parse_message(raw, default_parsers())[0].format != case.fmt:
            raise AssertionError(f"{case.sample}: not parsed as {case.fmt}")
        return raw
    raw = scaled(case)
    parsers = default_parsers()
    items = parse_message(raw, parsers)
    fixture_items = _expected(FIXTURES / case.fmt / case.fixture)
    base = fixture_items[0]["paragraphs"]
    assert isinstance(base, list)
    if items[0].format != case.fmt:
        raise AssertionError(f"{case.fixture}: parsed as {items[0].format}, expected {case.fmt}")
    if len(raw) > len((FIXTURES / case.fmt / case.fixture).read_bytes()) and len(items[0].paragraphs) <= len(
        base
    ):
        raise AssertionError(f"{case.fixture}: scaling added no paragraphs")
    return raw


def measure(raw: bytes, seconds: float) -> tuple[int, float]:
    """(messages, elapsed) for back-to-back parses during about ``seconds``."""
    parsers = default_parsers()
    parse_message(raw, parsers)  # warm-up: imports, regex compilation, lxml parser
    count = 0
    started = time.perf_counter()
    deadline = started + seconds
    now = started
    while now < deadline:
        for _ in range(10):
            parse_message(raw, parsers)
        count += 10
        now = time.perf_counter()
    return count, now - started


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--seconds", type=float, default=2.0, help="timed seconds per format (default 2)")
    ap.add_argument("--formats", default="", help="comma-separated format names (default: all)")
    ap.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = ap.parse_args(argv)

    wanted = {f for f in args.formats.split(",") if f}
    unknown = wanted - {c.fmt for c in CASES}
    if unknown:
        ap.error(f"unknown formats: {sorted(unknown)}")
    cases = [
        c
        for c in CASES
        if (not wanted or c.fmt in wanted) and (not c.sample or (SAMPLES / c.sample).exists())
    ]

    print(f"parse_message, default parsers, sniffed; one core; {args.seconds:g} s per format")
    header = f"{'format':<26} {'parser':<13} {'bytes':>7} {'msgs/s':>9} {'µs/msg':>8}  target"
    print(header)
    print("-" * len(header))
    missed = []
    for case in cases:
        raw = prepare(case)
        count, elapsed = measure(raw, args.seconds)
        rate = count / elapsed
        target = ""
        if case.target_rate:
            ok = rate >= case.target_rate
            target = f"≥{case.target_rate:,}/s {'ok' if ok else 'MISSED'}"
            if not ok:
                missed.append(case.fmt)
        print(f"{case.label:<26} {case.fmt:<13} {len(raw):>7,} {rate:>9,.0f} {1e6 / rate:>8.1f}  {target}")
    print(f"targets missed: {', '.join(missed) if missed else 'none'}")
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
