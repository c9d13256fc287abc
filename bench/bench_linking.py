"""Linking throughput and memory with 10,000 / 100,000 / 1,000,000 stories in the window.

Fills the linker's state and candidate index with N short synthetic stories (each with its own
rare names and numbers, over a shared everyday vocabulary), then times ``decide`` + ``commit`` for
probe messages: ROUNDUP updates of random existing stories and brand-new stories, ~3 KB each.
Prints messages/s, microseconds per message, the ratio to the smallest size, how many updates
found their story, and the peak RSS. Before the probes the index is rebuilt from the stored JSON
states, as a worker does after a restart or a rebalance, timed twice: decoding whole states
(``StoryState``) and decoding only what the index needs (``Linker.rebuild_from_json``). Usage:
``python -m bench.bench_linking [--sizes 10000,...] [--no-rebuild]``.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import resource
import sys
import time
from datetime import UTC, datetime, timedelta

from schemas.enrichment import Enrichment
from schemas.item import ParsedItem, UpdateType
from schemas.story import StoryState
from schemas.wire import SourceInfo, WireItem
from streams.linking.linker import Linker
from streams.linking.merge import content_hash, new_story
from streams.linking.normalize import fingerprint
from streams.table_store import TableStore

T0 = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
WINDOW_SECONDS = 60 * 3600
_RECENT = 5000  # probes update one of the most recent stories, as real updates do
SYLLABLES = "ka lo mi ra te su no vi da be ru ga fe lin tor berg wald hau sen dorf mann stein feld".split()
FIRST = "Anna Bernd Clara Dieter Eva Frank Greta Hans Ines Jonas Karin Lukas Marta Nils Olga Paul".split()
CITIES = "BERLIN HAMBURG MÜNCHEN KÖLN FRANKFURT STUTTGART DÜSSELDORF LEIPZIG DRESDEN HANNOVER".split()
VERBS = "meldet plant streicht erwartet kündigt bestätigt verschiebt prüft erhöht senkt".split()
NOUNS = "Umsatz Gewinn Stellen Auftrag Werk Preise Prognose Dividende Investition Standort".split()
FILLER = (
    "Das Unternehmen teilte am Morgen mit, die Entwicklung liege im Rahmen der Erwartungen. "
    "Analysten verwiesen auf die schwache Nachfrage in Europa und die hohen Energiekosten. "
    "Die Aktie legte im frühen Handel leicht zu, nachdem sie in der Vorwoche nachgegeben hatte. "
)


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize()


def _story_text(rng: random.Random, long: bool) -> tuple[str, str, str]:
    company, person, city = _name(rng), f"{rng.choice(FIRST)} {_name(rng)}", rng.choice(CITIES)
    number = rng.randint(100, 99_999)
    headline = f"{company} {rng.choice(VERBS)} {rng.choice(NOUNS)} - {number} betroffen"
    lead = (
        f"Der Konzern {company} {rng.choice(VERBS)} {rng.choice(NOUNS)} in {city.title()}. "
        f"Vorstandschef {person} nannte die Zahl von {number} am Dienstag."
    )
    body = [lead] + ([FILLER] * 8 if long else [])
    return headline, city, "\n\n".join(body)


def _wire(item_text: tuple[str, str, str], key: str, when: datetime) -> WireItem:
    headline, city, body = item_text
    paragraphs = tuple(body.split("\n\n"))

    item = ParsedItem(
        format="dpa_text",
        agency="dpa-AFX",
        agency_family="dpa",
        item_id=f"urn:bench:{key}",
        item_id_explicit=False,
        headline=headline,
        paragraphs=paragraphs,
        dateline={"place": city, "agency": "dpa-AFX"},  # type: ignore[arg-type]
    )
    source = SourceInfo(format="dpa_text", raw_sha256=key, received_at=when)
    return WireItem(shard="dpa:de", item=item, enrichment=Enrichment(language="de"), source=source)


def fill(linker: Linker, size: int, rng: random.Random) -> list[WireItem]:
    stories = []
    for number in range(size):
        when = T0 + timedelta(seconds=WINDOW_SECONDS * number / size)
        wire = _wire(_story_text(rng, long=False), f"fill-{number}", when)
        state, _ = new_story(wire, fingerprint(wire.item, wire.enrichment), content_hash(wire.item))
        linker.store.put(state)
        linker.store.bind_item(wire.item.item_id, state.story_id)
        linker._index(state)
        if number >= size - _RECENT:
            stories.append(wire)
    return stories


def probes(stories: list[WireItem], count: int, rng: random.Random) -> list[tuple[WireItem, str | None]]:
    end = T0 + timedelta(seconds=WINDOW_SECONDS)
    out: list[tuple[WireItem, str | None]] = []
    for number in range(count):
        when = end + timedelta(seconds=number)
        if number % 2 == 0:
            target = rng.choice(stories)
            item = target.item
            paragraphs = (*item.paragraphs, FILLER * 2, "Der Betriebsrat kündigte Widerstand an.")
            update = item.model_copy(
                update={
                    "item_id": f"urn:bench:probe-{number}",
                    "headline": item.headline,
                    "paragraphs": paragraphs,
                    "update_type": UpdateType.DEVELOPMENT,
                    "update_note": "Reaktion Betriebsrat",
                }
            )
            wire = target.model_copy(
                update={"item": update, "source": target.source.model_copy(update={"received_at": when})}
            )
            out.append((wire, target.item.item_id))
        else:
            out.append((_wire(_story_text(rng, long=True), f"probe-{number}", when), None))
    return out


def rebuild_times(linker: Linker, raws: list[bytes]) -> tuple[float, float]:
    """Seconds to rebuild the index from the stored JSON: whole states, then the slim view."""
    before = len(linker.index)
    started = time.perf_counter()
    linker.rebuild(StoryState.model_validate_json(raw) for raw in raws)
    whole = time.perf_counter() - started
    started = time.perf_counter()
    linker.rebuild_from_json(raws)
    slim = time.perf_counter() - started
    assert len(linker.index) == before, "a rebuild must restore the whole window"
    return whole, slim


def run(size: int, count: int, seed: int, rebuild: bool = True) -> dict[str, float]:
    rng = random.Random(seed)
    # The worker's store over plain dicts: states as JSON bytes, decoded on every read, as in RocksDB.
    store = TableStore({}, {})
    linker = Linker(store)
    started = time.perf_counter()
    stories = fill(linker, size, rng)
    filled = time.perf_counter() - started
    whole, slim = rebuild_times(linker, list(store.stories.values())) if rebuild else (0.0, 0.0)
    # As the worker does after rebuilding its index: the long-lived index leaves the GC's scans.
    gc.freeze()
    batch = probes(stories, count, rng)
    found = 0
    cpu_started = time.process_time()
    started = time.perf_counter()
    for wire, target in batch:
        result = linker.decide(wire)
        linker.commit(result)
        if target is not None and result.outcome == "new_version":
            found += 1
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    return {
        "stories": size,
        "fill_s": filled,
        "rebuild_s": whole,
        "json_rebuild_s": slim,
        "msgs_per_s": count / elapsed,
        "us_per_msg": elapsed / count * 1e6,
        "cpu_us_per_msg": cpu / count * 1e6,
        "updates_linked": found / (count // 2 + count % 2 or 1),
        "index": len(linker.index),
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--probes", type=int, default=4000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-rebuild", action="store_true", help="skip the timed index rebuilds")
    args = parser.parse_args(argv)
    header = (
        "stories", "fill s", "rebuild s", "json rb s", "msgs/s", "us/msg", "cpu us/msg", "ratio", "linked",
        "peak RSS MiB",
    )  # fmt: skip
    widths = (10, 8, 9, 9, 9, 8, 11, 6, 7, 13)
    print(
        f"load average before: {os.getloadavg()[0]:.2f} "
        "(wall figures need a quiet machine; CPU time is steadier)"
    )
    print(" ".join(f"{h:>{w}}" for h, w in zip(header, widths, strict=True)))
    base = None
    for size in (int(s) for s in args.sizes.split(",")):
        row = run(size, args.probes, args.seed, rebuild=not args.no_rebuild)
        base = base or row["us_per_msg"]
        print(
            f"{size:>10} {row['fill_s']:>8.1f} {row['rebuild_s']:>9.2f} {row['json_rebuild_s']:>9.2f} "
            f"{row['msgs_per_s']:>9.0f} {row['us_per_msg']:>8.0f} "
            f"{row['cpu_us_per_msg']:>11.0f} "
            f"{row['us_per_msg'] / base:>6.2f} {row['updates_linked']:>7.3f} {row['peak_rss_mib']:>13.0f}",
            flush=True,
        )
    print(
        "targets: >= 2000 msgs/s at 100,000 stories; us/msg at 1,000,000 <= 1.5 x at 10,000", file=sys.stderr
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
