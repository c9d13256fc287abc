"""Every kind of bad input lands in the dead-letter topic, byte for byte, and the worker goes on.

The bad inputs are the fixtures in tests/fixtures/bad (MANIFEST.tsv: file, reason, wire-format
header), produced to the raw topic of a worker of our own (fresh topics) behind one partition
key, so they arrive in order; a good message follows them. Each bad message must come back from
the DLQ topic with its exact raw bytes and its ``wirefeed-reason`` header, and the good message's
story event must arrive.

The broker's default ``message.max.bytes`` (1048588; deploy/kafka/server.properties does not set
it) is smaller than the 2 MiB + 1 bytes too-large case. The topics are not created here: the
worker creates them (``streams.topics.ensure_topics``) and must give them a topic-level
``max.message.bytes`` that fits a message over the input cap, and its producer a matching request
size, or the too-large message can never reach the DLQ whole.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from aiokafka import AIOKafkaProducer

from tests.integration.conftest import BOOTSTRAP, WorkerRun, consume, events_of, new_run, running
from tests.unit.formats.test_conformance import bad_cases, too_large

pytestmark = pytest.mark.integration

KEY = b"dlq-kinds"
PRODUCER_MAX_BYTES = 8 * 1024 * 1024
CASES = [case for case in bad_cases() if case.reason != "ok" and case.name != "@too_large"]
SURROGATE = next(case for case in bad_cases() if case.name == "lone_surrogate.json")


def good_text(tag: str) -> bytes:
    return (
        f"Hafen {tag} meldet Rekordumschlag\n\n"
        f"HAMBURG (dpa-AFX) - Der Hafen {tag} hat im dritten Quartal so viele Container wie nie "
        "umgeschlagen, wie die Betreibergesellschaft am Montag mitteilte."
    ).encode()


async def produce(topic: str, messages: list[tuple[bytes, str | None]]) -> None:
    """Send in order under one key; ``wire-format`` header when given (conftest's helper sends none)."""
    producer = AIOKafkaProducer(
        bootstrap_servers=BOOTSTRAP, acks="all", max_request_size=PRODUCER_MAX_BYTES, enable_idempotence=True
    )
    await producer.start()
    try:
        for value, wire_format in messages:
            headers = [("wire-feed", b"it-dlq")]
            if wire_format:
                headers.append(("wire-format", wire_format.encode()))
            await producer.send_and_wait(topic, value, key=KEY, headers=headers)
    finally:
        await producer.stop()


@pytest.fixture(scope="module", params=["sharded", "single"])
def dlq_worker(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[WorkerRun]:
    with running(new_run(tmp_path_factory, "dlq", topology=request.param)) as run:
        yield run


def reasons_by_value(records: list[Any]) -> dict[bytes, str]:
    return {r.value or b"": dict(r.headers)["wirefeed-reason"].decode() for r in records}


def dead_letters(run: WorkerRun, count: int) -> list[Any]:
    return list(asyncio.run(consume(run.settings.topic_dlq, count, timeout=90)))


def headlines(run: WorkerRun, count: int) -> set[str]:
    events = events_of(asyncio.run(consume(run.settings.topic_events, count, timeout=90)))
    return {e["item"]["headlines"][0]["value"] for e in events}


def test_cases_cover_every_kind() -> None:
    assert {c.reason for c in CASES} >= {
        "empty_message",
        "bad_encoding",
        "unsafe_xml",
        "malformed_xml",
        "malformed_json",
        "too_deep",
        "unknown_format",
    }
    assert len({c.raw() for c in CASES}) == len(CASES), "DLQ records are matched by their bytes"


def test_every_bad_kind_is_dead_lettered_and_the_worker_goes_on(dlq_worker: WorkerRun) -> None:
    settings = dlq_worker.settings
    good = good_text("Kiel")
    messages: list[tuple[bytes, str | None]] = [(case.raw(), case.wire_format) for case in CASES]
    messages += [(SURROGATE.raw(), None), (good, None)]
    asyncio.run(produce(settings.topic_raw, messages))

    dead = dead_letters(dlq_worker, len(CASES))
    expected = {case.raw(): case.reason for case in CASES}
    assert len(dead) == len(CASES), f"DLQ holds {len(dead)} of {len(CASES)}; log:\n{tail(dlq_worker)}"
    got = reasons_by_value(dead)
    wrong = {
        case.name: (case.reason, got.get(case.raw(), "missing"))
        for case in CASES
        if got.get(case.raw()) != case.reason
    }
    assert not wrong, f"(expected, got) reason per fixture: {wrong}"
    assert got == expected
    for record in dead:
        headers = {k: v.decode() for k, v in record.headers}
        assert record.key == KEY
        assert headers["wirefeed-source-topic"] == settings.topic_raw
        assert headers["wirefeed-stage"] == "parse"
        assert int(headers["wirefeed-source-offset"]) >= 0

    seen = headlines(dlq_worker, 2)
    assert "Hafen Kiel meldet Rekordumschlag" in seen
    assert "Werft meldet Rekordauftrag" in seen  # the lone surrogates were removed, not dead-lettered


def test_too_large_message_is_dead_lettered_and_the_worker_goes_on(dlq_worker: WorkerRun) -> None:
    settings = dlq_worker.settings
    big = too_large()
    assert len(big) == 2 * 1024 * 1024 + 1
    good = good_text("Rostock")
    asyncio.run(produce(settings.topic_raw, [(big, None), (good, None)]))

    dead = dead_letters(dlq_worker, len(CASES) + 1)
    large = [r for r in dead if r.value is not None and len(r.value) == len(big)]
    assert large, f"the too-large message never reached the DLQ; log:\n{tail(dlq_worker)}"
    assert large[0].value == big
    assert dict(large[0].headers)["wirefeed-reason"].decode() == "too_large"
    assert "Hafen Rostock meldet Rekordumschlag" in headlines(dlq_worker, 3)


def tail(run: WorkerRun, size: int = 4000) -> str:
    return run.log.read_text(errors="replace")[-size:]
