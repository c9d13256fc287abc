"""Throughput of the enrichment core on ~3 KB German dpa-AFX texts built from the seed message.

    .venv/bin/python bench/bench_enrich.py [--messages 2000] [--cold] [--no-lingua]

Messages are generated from the seed's sentences (shuffled, with varied numbers, days and a few
inserted names), parsed once with the dpa text parser, then enriched on one core. Prints
messages/s and the per-stage split. ``--cold`` clears the per-token memo caches before every
message (worst case: every word seen for the first time).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from schemas.item import ParsedItem  # noqa: E402
from streams.enrich import STAGES, Enricher  # noqa: E402
from streams.formats.dpa_text import DpaTextParser  # noqa: E402

SEED = Path("/work/shared/examples/seed-dpa-afx.txt")
FALLBACK_SEED = ROOT / "tests" / "fixtures" / "enrich" / "seed-dpa-afx.txt"
DATELINES = ["PJÖNGJANG", "MOSKAU", "BERLIN", "FRANKFURT", "WLADIWOSTOK", "KIEW", "WASHINGTON"]
DAYS = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag"]
EXTRA = [
    "Außenministerin Annalena Baerbock kritisierte das Abkommen in Berlin.",
    "Die Nato-Staaten beraten am Donnerstag in Brüssel über die Lage.",
    "Die Aktie der Siemens AG (ISIN DE0007236101) gab im Xetra-Handel leicht nach.",
    "US-Präsident Joe Biden äußerte sich besorgt über die Zusammenarbeit.",
    "Südkoreas Präsident Yoon Suk Yeol berief den Nationalen Sicherheitsrat ein.",
    "Chinas Staatschef Xi Jinping äußerte sich zunächst nicht.",
]


def seed_text() -> str:
    path = SEED if SEED.exists() else FALLBACK_SEED
    return path.read_text(encoding="utf-8")


def make_messages(count: int, target_chars: int = 3000, seed: int = 7) -> list[ParsedItem]:
    rng = random.Random(seed)
    item = DpaTextParser().parse(seed_text().encode("utf-8"))[0]
    sentences = [s for p in item.paragraphs for s in re.split(r"(?<=[.!?])\s+", p) if s]
    parser = DpaTextParser()
    out: list[ParsedItem] = []
    for n in range(count):
        paragraphs: list[str] = []
        size = 0
        while size < target_chars:
            chosen = rng.sample(sentences, k=min(3, len(sentences)))
            if rng.random() < 0.5:
                chosen.append(rng.choice(EXTRA))
            para = " ".join(chosen)
            para = re.sub(r"\b\d+\b", lambda _m: str(rng.randint(2, 99)), para)
            para = para.replace("Mittwoch", rng.choice(DAYS))
            paragraphs.append(para)
            size += len(para) + 2
        headline = rng.choice(sentences)[:120].rstrip(".") + f" ({n})"
        body = f"{rng.choice(DATELINES)} (dpa-AFX) - " + "\n\n".join(paragraphs) + "/abc/DP/xyz"
        raw = f"date 2024-06\n{headline}\n\n{body}\n"
        out.append(parser.parse(raw.encode("utf-8"))[0])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--messages", type=int, default=2000)
    ap.add_argument("--cold", action="store_true", help="clear per-token caches before every message")
    ap.add_argument("--no-lingua", action="store_true", help="stopword-profile language detection only")
    args = ap.parse_args()

    t0 = time.perf_counter()
    enricher = Enricher(use_lingua=not args.no_lingua)
    build = time.perf_counter() - t0
    items = make_messages(args.messages)
    avg_chars = sum(len(i.headline) + sum(len(p) for p in i.paragraphs) for i in items) / len(items)
    for item in items[:50]:  # warm-up
        enricher.enrich(item)

    timings: dict[str, float] = {}
    start = time.perf_counter()
    for item in items:
        if args.cold:
            enricher.subjects.clear_cache()
        _, t = enricher.profile(item)
        for stage, seconds in t.items():
            timings[stage] = timings.get(stage, 0.0) + seconds
    total = time.perf_counter() - start

    plain_start = time.perf_counter()
    for item in items:
        if args.cold:
            enricher.subjects.clear_cache()
        enricher.enrich(item)
    plain = time.perf_counter() - plain_start

    n = len(items)
    print(f"construction: {build:.2f} s (lingua {'off' if args.no_lingua else 'on'})")
    print(f"messages: {n}, average text {avg_chars:.0f} chars, caches {'cold' if args.cold else 'warm'}")
    print(f"enrich():  {n / plain:,.0f} messages/s  ({plain / n * 1e6:.0f} µs/message)")
    print(f"profile(): {n / total:,.0f} messages/s  (with per-stage clocks)")
    staged = sum(timings.values())
    for stage in STAGES:
        seconds = timings.get(stage, 0.0)
        print(f"  {stage:<14}{seconds / n * 1e6:8.1f} µs/message  {100 * seconds / staged:5.1f} %")
    if not args.no_lingua:  # short texts skip the stopword profile and go to lingua
        short = [item.model_copy(update={"paragraphs": ()}) for item in items[:500]]
        start = time.perf_counter()
        for item in short:
            enricher.enrich(item)
        elapsed = time.perf_counter() - start
        print(f"headline-only messages (lingua path): {len(short) / elapsed:,.0f} messages/s")


if __name__ == "__main__":
    main()
