"""The seed story end to end through a real broker and a real worker process."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import FEED, REPO
from tests.integration.conftest import (
    BOOTSTRAP,
    WorkerRun,
    consume,
    events_of,
    free_port,
    new_run,
    produce,
    running,
)

pytestmark = pytest.mark.integration

FEED_FILES = sorted(FEED.iterdir())
FIRST = (FEED / "01-putin-pjoengjang.txt").read_bytes()
SEED = (FEED / "04-putin-pjoengjang-update.txt").read_bytes()
NOTE = "Vertrag über strategische Partnerschaft unterzeichnet"


@pytest.fixture(scope="module", params=["sharded", "single"])
def worker(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WorkerRun]:
    """A worker in each topology: the same tests hold both to the same events and dead letters."""
    with running(new_run(tmp_path_factory, topology=request.param)) as run:
        yield run


def seed_story(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    story = next(e["story_id"] for e in events if e["item"]["headlines"][0]["value"].startswith("Putin zu"))
    return sorted((e for e in events if e["story_id"] == story), key=lambda e: e["story_version"])


def assert_seed_story(events: list[dict[str, Any]]) -> None:
    first, update = seed_story(events)
    assert first["story_id"] == update["story_id"]
    assert (first["story_version"], update["story_version"]) == (1, 2)
    assert first["update_type"] == "new"
    assert update["update_type"] == "development"
    assert update["update_note"] == NOTE
    assert update["item"]["located"] == "PJÖNGJANG"
    assert not any("/mau/DP/mis" in b["value"] for b in update["item"]["bodies"])


def test_feed_through_kafka_with_aiokafka(worker: WorkerRun) -> None:
    asyncio.run(produce(worker.settings, [p.read_bytes() for p in FEED_FILES], feed="dpa-afx"))
    events = events_of(asyncio.run(consume(worker.settings.topic_events, 5)))
    assert len(events) == 5
    assert_seed_story(events)
    assert len({e["story_id"] for e in events}) == 4
    current = asyncio.run(consume(worker.settings.topic_current, 5))
    assert {r.key.decode() for r in current} == {e["story_id"] for e in events}


def test_process_prints_the_same_events_as_kafka(worker: WorkerRun) -> None:
    kafka = events_of(asyncio.run(consume(worker.settings.topic_events, 5)))
    done = subprocess.run(
        [sys.executable, "-m", "streams.cli", "process", str(FEED)], cwd=REPO, capture_output=True, check=True
    )
    local = [json.loads(line) for line in done.stdout.splitlines()]

    def comparable(event: dict[str, Any]) -> dict[str, Any]:
        source = {
            k: v
            for k, v in event["source"].items()
            if k not in ("received_at", "topic", "partition", "offset", "feed")
        }
        return {**event, "source": source}

    assert sorted(map(json.dumps, map(comparable, kafka))) == sorted(map(json.dumps, map(comparable, local)))


def test_redelivered_message_adds_no_version(worker: WorkerRun) -> None:
    asyncio.run(produce(worker.settings, [SEED, FIRST], feed="dpa-afx"))
    # A marker message behind the copies tells us the worker has processed them.
    marker = b"Messe Hannover meldet Besucherrekord\n\nHANNOVER (dpa-AFX) - Die Messe meldet einen Rekord."
    asyncio.run(produce(worker.settings, [marker], feed="dpa-afx"))
    events = events_of(asyncio.run(consume(worker.settings.topic_events, 6)))
    assert len(events) == 6
    assert len(seed_story(events)) == 2


def test_garbage_and_empty_messages_land_in_the_dlq(worker: WorkerRun) -> None:
    garbage = bytes(range(256)) * 4
    good = b"Hafen Hamburg meldet mehr Umschlag\n\nHAMBURG (dpa-AFX) - Der Hamburger Hafen hat mehr Container umgeschlagen."
    asyncio.run(produce(worker.settings, [garbage, b"", good], feed="dpa-afx"))
    dead = asyncio.run(consume(worker.settings.topic_dlq, 2))
    assert sorted(r.value for r in dead) == sorted([garbage, b""])
    reasons = {r.value: dict(r.headers)["wirefeed-reason"].decode() for r in dead}
    assert reasons == {garbage: "bad_encoding", b"": "empty_message"}
    for record in dead:
        headers = dict(record.headers)
        assert headers["wirefeed-source-topic"].decode() == worker.settings.topic_raw
        assert headers["wirefeed-stage"].decode() == "parse"
        assert int(headers["wirefeed-source-offset"]) >= 0
    events = events_of(asyncio.run(consume(worker.settings.topic_events, 7)))
    assert any(e["item"]["headlines"][0]["value"] == "Hafen Hamburg meldet mehr Umschlag" for e in events)


def test_kcat_as_producer(tmp_path_factory: pytest.TempPathFactory) -> None:
    """A client written by others: kcat posts the first version and the seed update."""
    run = new_run(tmp_path_factory, "kcat")
    settings = run.settings
    run.start()
    try:
        run.wait_ready()
        for name in ("01-putin-pjoengjang.txt", "04-putin-pjoengjang-update.txt"):
            # With a file argument kcat sends the whole file as one message (stdin would split lines).
            subprocess.run(
                [
                    "kcat",
                    "-P",
                    "-b",
                    BOOTSTRAP,
                    "-t",
                    settings.topic_raw,
                    "-k",
                    "dpa-afx",
                    "-H",
                    "wire-feed=dpa-afx",
                    str(FEED / name),
                ],
                check=True,
                timeout=30,
            )
        events = events_of(asyncio.run(consume(settings.topic_events, 2)))
        assert len(events) == 2
        assert_seed_story(events)
    finally:
        run.stop()


def test_a_restart_in_the_other_topology_keeps_the_stories(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Both topologies put a story's state in the same table partition: a worker restarted with
    ``WIREFEED_TOPOLOGY=single`` links the update to the story the sharded worker started."""
    run = new_run(tmp_path_factory, "switch", topology="sharded")
    run.start()
    try:
        run.wait_ready()
        asyncio.run(produce(run.settings, [FIRST], feed="dpa-afx"))
        assert len(events_of(asyncio.run(consume(run.settings.topic_events, 1)))) == 1
        run.stop()
        run.procs.clear()
        run.start({"WIREFEED_TOPOLOGY": "single"})
        run.wait_ready()
        asyncio.run(produce(run.settings, [SEED], feed="dpa-afx"))
        events = events_of(asyncio.run(consume(run.settings.topic_events, 2)))
        assert len(events) == 2
        assert_seed_story(events)
    finally:
        run.stop()


def test_a_second_single_worker_is_reported(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Two workers in topology ``single`` split wire.raw between them: each would link against only
    its own stories, and each says so in its log."""
    run = new_run(tmp_path_factory, "two-single", topology="single")
    data = run.settings.data_dir
    try:
        run.start({"WIREFEED_DATA_DIR": str(data / "w1")})
        run.wait_ready()
        port = free_port()
        run.start({"WIREFEED_DATA_DIR": str(data / "w2"), "WIREFEED_WEB_PORT": str(port)})
        run.wait_ready(port)
        deadline = time.monotonic() + 60
        while "needs exactly one worker" not in run.log.read_text() and time.monotonic() < deadline:
            time.sleep(0.5)
        assert "needs exactly one worker" in run.log.read_text()
    finally:
        run.stop()
