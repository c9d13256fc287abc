"""The verifier: reads only committed data back (``read_committed``, from the beginning) and
accounts for every input. See docs/reliability.md for the rules; in short:

* every good input is parsed again with the production parser, giving for each of its items the
  triple (item_id, item_version, content_hash) the linker sees;
* an event is *explained* by the input at its ``source`` (topic, partition, offset, index) when its
  ``event_id`` recomputes from that input's triple (``merge.event_id``); anything else is phantom;
* an input item is accounted for when (a) its raw bytes are in the DLQ (wrong for good input:
  ``dlq_exact`` fails), (b) an event is explained by it, (c) an event carries the same triple (a
  duplicate copy: the linker drops it), or (d) the final story state in the ``stories`` table
  changelog records it as a late copy (``story_version`` 0, ``source_ref`` = this input);
  otherwise it is lost. A story version the state says was published but that has no event is
  lost too, and so is a gap in a story's version numbers;
* duplicate: two different event ids for one (story_id, story_version), or one input triple applied
  as more than one story version; the same event id read twice is a redelivery, counted apart;
* misplaced: each input's final story (merges followed) against the majority story of its label.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition

from schemas.story import StoryState
from streams.errors import WirefeedError
from streams.formats.registry import default_parsers, parse_message
from streams.linking.merge import content_hash, event_id

REQUIRED_DLQ_HEADERS = (
    "wirefeed-reason",
    "wirefeed-error",
    "wirefeed-stage",
    "wirefeed-source-topic",
    "wirefeed-source-partition",
    "wirefeed-source-offset",
    "wirefeed-raw-sha256",
)

Triple = tuple[str, int | None, str]


@dataclass
class Sent:
    """One input message as produced: where it landed and what it should become."""

    payload: bytes
    partition: int
    offset: int
    label: str | None  # story label for good input, None for poison
    reason: str | None  # expected DLQ reason for poison, None for good input
    wire_format: str | None = None
    received_at: datetime | None = None
    triples: list[Triple] = field(default_factory=list)


def prepare(sent: Sequence[Sent]) -> None:
    """Parse good input with the production parser (as ingest does); a good message the parser
    rejects becomes expected dead-letter input with that reason."""
    parsers = default_parsers()
    for message in sent:
        if message.reason is not None:
            continue
        try:
            items = parse_message(message.payload, parsers, hint=message.wire_format)
        except WirefeedError as exc:
            message.reason, message.label = exc.code, None
            continue
        message.triples = [(i.item_id, i.version, content_hash(i)) for i in items]


async def read_all(bootstrap: str, topic: str, timeout: float = 120.0) -> list[Any]:
    """Every committed record of ``topic`` from the beginning up to its current end."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        enable_auto_commit=False,
        isolation_level="read_committed",
        max_partition_fetch_bytes=16 * 1024 * 1024,
        fetch_max_bytes=64 * 1024 * 1024,
    )
    await consumer.start()
    records: list[Any] = []
    try:
        parts = consumer.partitions_for_topic(topic)
        if not parts:
            await consumer._client.force_metadata_update()
            parts = consumer.partitions_for_topic(topic) or set()
        tps = [TopicPartition(topic, p) for p in sorted(parts)]
        if not tps:
            return records
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        ends = await consumer.end_offsets(tps)
        todo = {tp for tp in tps if ends[tp] > 0}
        import time

        deadline = time.monotonic() + timeout
        while todo and time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=500)
            for part in batch.values():
                records.extend(part)
            for tp in list(todo):
                if await consumer.position(tp) >= ends[tp]:
                    todo.discard(tp)
        if todo:
            raise RuntimeError(f"{topic}: could not read to the end of {sorted(t.partition for t in todo)}")
    finally:
        await consumer.stop()
    return records


@dataclass
class Report:
    lost: int = 0
    duplicate: int = 0
    phantom: int = 0
    misplaced: int = 0
    dlq_exact: bool = False
    redelivered_events: int = 0
    redelivered_dead_letters: int = 0
    events: int = 0
    distinct_events: int = 0
    inputs: int = 0
    poison: int = 0
    detail: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def verify(
    sent: Sequence[Sent],
    raw_topic: str,
    events: Iterable[Any],
    dead: Iterable[Any],
    changelog: Iterable[Any],
) -> Report:
    report = Report()
    by_offset = {(m.partition, m.offset): m for m in sent}
    good = [m for m in sent if m.reason is None]
    report.inputs, report.poison = len(good), len(sent) - len(good)
    examples: dict[str, list[Any]] = defaultdict(list)

    def example(kind: str, what: Any) -> None:
        if len(examples[kind]) < 5:
            examples[kind].append(what)

    # ---- events: redeliveries, phantoms, duplicates
    seen_ids: Counter[str] = Counter()
    distinct: dict[str, dict[str, Any]] = {}
    differing = 0
    out_of_order = 0
    last_version: dict[str, int] = {}
    for record in events:
        if record.value is None:
            continue
        event = json.loads(record.value)
        seen_ids[event["event_id"]] += 1
        if event["event_id"] not in distinct:
            # Ordering per story: first copies of a story's events come in version order.
            if event["story_version"] < last_version.get(event["story_id"], 0):
                out_of_order += 1
                example("out_of_order", {"story": event["story_id"], "version": event["story_version"]})
            last_version[event["story_id"]] = event["story_version"]
        first = distinct.setdefault(event["event_id"], event)
        if first != event:
            # A redelivery must repeat the event exactly; a different event under a known id is
            # something no input explains.
            report.phantom += 1
            differing += 1
            example("phantom", {"event_id": event["event_id"], "redelivered_but_different": True})
    report.events = sum(seen_ids.values())
    report.distinct_events = len(distinct)
    report.redelivered_events = report.events - report.distinct_events

    explained_by: dict[tuple[int, int, int], list[dict[str, Any]]] = defaultdict(list)
    by_triple: dict[Triple, list[dict[str, Any]]] = defaultdict(list)
    retired_into: dict[str, str] = {}
    per_version: dict[tuple[str, int], set[str]] = defaultdict(set)
    for event in distinct.values():
        src = event["source"]
        per_version[(event["story_id"], event["story_version"])].add(event["event_id"])
        for old in event.get("retired_story_ids") or ():
            retired_into[old] = event["story_id"]
        message = (
            by_offset.get((src.get("partition"), src.get("offset")))
            if src.get("topic") == raw_topic
            else None
        )
        index = src.get("index_in_message", 0)
        triple = message.triples[index] if message is not None and index < len(message.triples) else None
        if (
            triple is None
            or (event["item_id"], event["item_version"]) != triple[:2]
            or event["event_id"]
            != event_id(event["story_id"], event["story_version"], triple[0], triple[1], triple[2])
        ):
            report.phantom += 1
            example("phantom", {"event_id": event["event_id"], "story": event["story_id"], "source": src})
            continue
        explained_by[(message.partition, message.offset, index)].append(event)  # type: ignore[union-attr]
        by_triple[triple].append(event)

    dup_versions = sum(len(ids) - 1 for ids in per_version.values() if len(ids) > 1)
    applied: dict[Triple, set[tuple[str, int]]] = defaultdict(set)
    for triple, evs in by_triple.items():
        for event in evs:
            if event["event_type"] == "version":
                applied[triple].add((event["story_id"], event["story_version"]))
    dup_applied = sum(len(v) - 1 for v in applied.values() if len(v) > 1)
    report.duplicate = dup_versions + dup_applied
    for key, ids in per_version.items():
        if len(ids) > 1:
            example("duplicate", {"story_version": key, "event_ids": sorted(ids)})
    for triple, v in applied.items():
        if len(v) > 1:
            example("duplicate", {"triple": triple, "applied_as": sorted(v)})

    # ---- final story state (changelog, last value per key): late copies and published versions
    states: dict[str, StoryState | None] = {}
    for record in changelog:
        key = record.key.decode() if isinstance(record.key, bytes) else str(record.key)
        states[key] = StoryState.model_validate_json(record.value) if record.value else None
    late_refs: dict[str, str] = {}
    missing_events: set[tuple[str, int]] = set()
    for story_id, state in states.items():
        if state is None:
            continue
        for v in state.versions:
            if v.story_version == 0 and v.merged_from is None and v.source_ref:
                late_refs[v.source_ref] = story_id
            elif v.story_version > 0 and v.event_id and v.event_id not in distinct:
                missing_events.add((story_id, v.story_version))
                example("state_without_event", {"story": story_id, "version": v.story_version})
    gaps: set[tuple[str, int]] = set()
    stories: dict[str, set[int]] = defaultdict(set)
    for sid, number in per_version:
        stories[sid].add(number)
    for sid, numbers in stories.items():
        for number in range(1, max(numbers) + 1):
            if number not in numbers:
                gaps.add((sid, number))
                example("version_gap", {"story": sid, "version": number})

    # ---- dead letters
    dlq_by_source: dict[tuple[int, int], list[Any]] = defaultdict(list)
    unexpected = 0
    for record in dead:
        headers = {k: v.decode("utf-8", "replace") for k, v in record.headers or ()}
        if (
            any(h not in headers for h in REQUIRED_DLQ_HEADERS)
            or headers["wirefeed-source-topic"] != raw_topic
        ):
            unexpected += 1
            example("dlq_unexpected", {"headers": headers})
            continue
        src = (int(headers["wirefeed-source-partition"]), int(headers["wirefeed-source-offset"]))
        dlq_by_source[src].append((record.value or b"", headers["wirefeed-reason"]))
    dlq_missing = dlq_wrong = 0
    good_dead: set[tuple[int, int]] = set()
    for message in sent:
        copies = dlq_by_source.pop((message.partition, message.offset), [])
        if message.reason is None:
            if copies:
                good_dead.add((message.partition, message.offset))
                unexpected += len(copies)
                example(
                    "dlq_unexpected",
                    {"good_input": (message.partition, message.offset), "reason": copies[0][1]},
                )
            continue
        if not copies:
            dlq_missing += 1
            example("dlq_missing", {"source": (message.partition, message.offset), "reason": message.reason})
            continue
        report.redelivered_dead_letters += len(copies) - 1
        if any(value != message.payload or reason != message.reason for value, reason in copies):
            dlq_wrong += 1
            example(
                "dlq_wrong", {"source": (message.partition, message.offset), "got": [r for _, r in copies]}
            )
    unexpected += sum(len(c) for c in dlq_by_source.values())
    report.dlq_exact = dlq_missing == 0 and dlq_wrong == 0 and unexpected == 0

    # ---- accounting and placement
    unaccounted = 0
    placed: dict[str, list[str]] = defaultdict(list)

    def final(story_id: str) -> str:
        for _ in range(32):
            if story_id not in retired_into:
                break
            story_id = retired_into[story_id]
        return story_id

    for message in good:
        story: str | None = None
        ok = True
        for index, triple in enumerate(message.triples):
            own = [
                e
                for e in explained_by.get((message.partition, message.offset, index), ())
                if e["event_type"] == "version"
            ]
            same = by_triple.get(triple, [])
            ref = f"{raw_topic}/{message.partition}/{message.offset}/{index}"
            if own:
                story = story or own[0]["story_id"]
            elif same:
                story = story or same[0]["story_id"]
            elif ref in late_refs:
                story = story or late_refs[ref]
            elif explained_by.get((message.partition, message.offset, index)):
                story = story or explained_by[(message.partition, message.offset, index)][0]["story_id"]
            elif (message.partition, message.offset) in good_dead:
                pass
            else:
                ok = False
                example(
                    "lost",
                    {
                        "source": (message.partition, message.offset, index),
                        "label": message.label,
                        "item": triple[:2],
                    },
                )
        if not ok:
            unaccounted += 1
        if story is not None and message.label is not None:
            placed[message.label].append(final(story))
    for stories_of_label in placed.values():
        counts = Counter(stories_of_label)
        report.misplaced += len(stories_of_label) - counts.most_common(1)[0][1]

    report.lost = unaccounted + len(missing_events | gaps)
    report.detail = {
        "unaccounted_inputs": unaccounted,
        "state_without_event": len(missing_events),
        "version_gaps": len(gaps),
        "duplicate_versions": dup_versions,
        "duplicate_applications": dup_applied,
        "dlq_missing": dlq_missing,
        "dlq_wrong": dlq_wrong,
        "dlq_unexpected": unexpected,
        "late_copies": len(late_refs),
        "redelivered_but_different": differing,
        "out_of_order": out_of_order,
        "stories": len(stories),
        "labels": len(placed),
        "examples": dict(examples),
    }
    return report
