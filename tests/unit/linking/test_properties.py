"""Property tests for the merge: reordering or repeating a chain's messages changes nothing.

Whatever the arrival order, with or without redelivered copies, every chain ends in one story
with the same id (the story of its earliest item), the same items, the same current content and
the same withdrawn flag; unrelated stories stay apart.
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.wire import WireItem
from streams.linking.linker import Linker
from streams.linking.merge import content_hash
from streams.linking.store import MemoryStore
from tests.conftest import FEED, REPO
from tests.unit.linking.helpers import T0, wire

DW = REPO / "tests" / "fixtures" / "formats" / "digitalwires"

# (label, wire item): two text chains (no ids: linked by markers and text), one explicit-id chain
# ending in a kill, and an unrelated story with the same people as the first chain.
MESSAGES: list[tuple[str, WireItem]] = [
    ("visit", wire((FEED / "01-putin-pjoengjang.txt").read_bytes(), minutes=0)),
    ("visit", wire((FEED / "04-putin-pjoengjang-update.txt").read_bytes(), minutes=90)),
    ("kyiv", wire((FEED / "02-kiew-kritik.txt").read_bytes(), minutes=30)),
    ("oil", wire((FEED / "03-oelpreise.txt").read_bytes(), minutes=40)),
    *(
        ("yard", wire((DW / f"{name}.json").read_bytes()))
        for name in ("v1_first", "v2_update", "v3_correction", "v4_canceled")
    ),
]


def final_state(order: list[int]) -> dict[str, tuple[str, frozenset[str], str, bool]]:
    linker = Linker(MemoryStore())
    story_of: dict[str, str] = {}
    for index in order:
        label, item = MESSAGES[index]
        result = linker.decide(item)
        linker.commit(result)
        story_of[item.item.item_id] = result.state.story_id
    out = {}
    for label in {label for label, _ in MESSAGES}:
        ids = {linker.resolve(story_of[w.item.item_id]) for lbl, w in MESSAGES if lbl == label}
        assert len(ids) == 1, f"chain {label} split over {ids}"
        state = linker.store.get(ids.pop() or "")
        assert state is not None and state.retired_into is None
        out[label] = (
            state.story_id,
            frozenset(state.item_ids),
            content_hash(state.latest.item),
            state.withdrawn,
        )
    return out


IN_ORDER = final_state(
    sorted(
        range(len(MESSAGES)),
        key=lambda i: (MESSAGES[i][1].item.version_created or T0 + timedelta(minutes=0), i),
    )
)


def test_chains_in_order() -> None:
    assert len({story for story, *_ in IN_ORDER.values()}) == 4
    assert IN_ORDER["yard"][3] is True
    assert IN_ORDER["visit"][3] is False


@settings(max_examples=80, deadline=None)
@given(st.permutations(range(len(MESSAGES))), st.lists(st.integers(0, len(MESSAGES) - 1), max_size=6))
def test_reordering_and_repeating_changes_nothing(order: list[int], repeats: list[int]) -> None:
    arrival = list(order)
    for position, index in enumerate(repeats):
        arrival.insert((position * 3) % (len(arrival) + 1), index)
    assert final_state(arrival) == IN_ORDER
