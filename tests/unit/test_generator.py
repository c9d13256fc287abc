"""The benchmark stream generator: deterministic, parseable, consistently labelled."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

import pytest

from bench.generator import DEFAULT_START, KINDS, Message, generate, main
from streams.formats.registry import default_parsers, detect, parse_message

PARSERS = default_parsers()
ID_FORMATS = ("newsml_g2", "ninjs", "digitalwires")


@pytest.fixture(scope="module")
def stream() -> list[Message]:
    return generate(120, 6, 11, rendition_rate=0.3, kill_rate=0.1)


def test_same_seed_same_bytes() -> None:
    first = generate(60, 5, 42, shuffle_rate=0.1)
    second = generate(60, 5, 42, shuffle_rate=0.1)
    assert first == second
    assert b"".join(m.payload for m in first) == b"".join(m.payload for m in second)
    other = generate(60, 5, 43, shuffle_rate=0.1)
    assert [m.payload for m in other] != [m.payload for m in first]


def test_every_message_parses_as_its_format(stream: list[Message]) -> None:
    for message in stream:
        assert detect(message.payload, PARSERS).name == message.format, message.payload[:200]
        assert parse_message(message.payload, PARSERS), message.payload[:200]


def test_labels_and_kinds_are_consistent(stream: list[Message]) -> None:
    assert {m.kind for m in stream} <= set(KINDS)
    assert [m.received_at for m in stream] == sorted(m.received_at for m in stream)
    by_story: dict[str, list[Message]] = defaultdict(list)
    for message in stream:
        by_story[message.story].append(message)
    assert len(by_story) == 120
    for story, messages in by_story.items():
        own = sorted((m for m in messages if m.kind != "rendition"), key=lambda m: m.version_index)
        assert [m.version_index for m in own] == list(range(len(own))), story
        assert own[0].kind == "new"
        assert all(m.kind != "new" for m in own[1:])
        assert len({m.format for m in own}) == 1, "a story's own versions come from one feed"
        if any(m.kind == "withdrawal" for m in own):
            assert own[-1].kind == "withdrawal" and sum(m.kind == "withdrawal" for m in own) == 1
        renditions = [m for m in messages if m.kind == "rendition"]
        assert all(m.version_index < len(own) for m in renditions)
        span = max(m.received_at for m in own) - min(m.received_at for m in own)
        assert span <= timedelta(hours=72), story
        assert all(m.received_at >= DEFAULT_START for m in messages)


def test_id_formats_keep_the_id_and_raise_the_version(stream: list[Message]) -> None:
    seen: dict[str, tuple[str, int]] = {}
    checked = 0
    for message in sorted(stream, key=lambda m: (m.story, m.version_index)):
        if message.format not in ID_FORMATS or message.kind == "rendition":
            continue
        [item] = parse_message(message.payload, PARSERS)
        assert item.item_id_explicit and item.version is not None
        if message.story in seen:
            item_id, version = seen[message.story]
            assert item.item_id == item_id
            assert item.version > version
            checked += 1
        seen[message.story] = (item.item_id, item.version)
    assert checked > 10


def test_renditions_share_the_item_id_with_their_original() -> None:
    messages = generate(80, 4, 5, formats=("digitalwires", "newsml_g2", "iptc7901"), rendition_rate=1.0)
    ids: dict[tuple[str, int], set[str]] = defaultdict(set)
    for message in messages:
        if message.format in ("digitalwires", "newsml_g2"):
            [item] = parse_message(message.payload, PARSERS)
            ids[message.story, message.version_index].add(item.item_id)
    assert any(m.kind == "rendition" and m.format == "iptc7901" for m in messages)
    assert all(len(found) == 1 for found in ids.values())


def test_rendition_rate_controls_renditions() -> None:
    assert any(m.kind == "rendition" for m in generate(60, 4, 2, rendition_rate=0.5))
    assert not any(m.kind == "rendition" for m in generate(60, 4, 2, rendition_rate=0.0))


def test_shuffle_rate_delivers_some_versions_out_of_order() -> None:
    def late(messages: list[Message]) -> int:
        highest: dict[str, int] = {}
        count = 0
        for message in messages:
            if message.kind == "rendition":
                continue
            if message.version_index < highest.get(message.story, -1):
                count += 1
            highest[message.story] = max(highest.get(message.story, -1), message.version_index)
        return count

    assert late(generate(200, 6, 3, shuffle_rate=0.0)) == 0
    assert late(generate(200, 6, 3, shuffle_rate=0.3)) > 0


def test_formats_and_languages_are_honoured() -> None:
    messages = generate(30, 3, 1, formats=("anpa",), languages=("de", "en"), rendition_rate=0.0)
    assert {m.format for m in messages} == {"anpa"}
    messages = generate(30, 3, 1, formats=("dpa_text", "ninjs"), languages=("de",))
    assert {m.format for m in messages} <= {"dpa_text", "ninjs"}
    for message in messages:
        [item] = parse_message(message.payload, PARSERS)
        assert item.language in (None, "de")
    with pytest.raises(ValueError):
        generate(5, 2, 1, formats=("dpa_text",), languages=("en",))
    with pytest.raises(ValueError):
        generate(5, 2, 1, formats=("newsml12",))


def test_cli_writes_json_lines(tmp_path: Path) -> None:
    out = tmp_path / "stream.jsonl"
    assert main(["--stories", "15", "--max-versions", "4", "--seed", "8", "--out", str(out)]) == 0
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert lines and {"payload", "received_at", "story", "format", "kind"} <= set(lines[0])
    expected = generate(15, 4, 8)
    assert [line["payload"].encode("utf-8") for line in lines] == [m.payload for m in expected]
    assert [line["received_at"] for line in lines] == [m.received_at.isoformat() for m in expected]


def test_cli_check_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--stories", "40", "--seed", "4", "--check"]) == 0
    assert "rejected or misdetected: 0" in capsys.readouterr().out


LINKING_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "linking"


@pytest.mark.parametrize("name", ["eval-de.jsonl", "eval-en.jsonl"])
def test_hand_written_eval_streams_parse(name: str) -> None:
    """The hand-written linking fixtures: in arrival order, labelled, every payload accepted."""
    lines = [json.loads(line) for line in (LINKING_FIXTURES / name).read_text(encoding="utf-8").splitlines()]
    assert 40 <= len(lines) <= 60
    assert [line["received_at"] for line in lines] == sorted(line["received_at"] for line in lines)
    for line in lines:
        assert set(line) == {"payload", "received_at", "story"}
        assert parse_message(line["payload"].encode("utf-8"), PARSERS)
