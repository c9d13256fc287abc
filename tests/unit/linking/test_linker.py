"""Story linking, first version: updates join, look-alikes stay apart, redeliveries add nothing."""

from __future__ import annotations

from pathlib import Path

from schemas.item import UpdateType
from streams.core import build_events
from streams.linking.linker import Linker, LinkResult
from streams.linking.store import MemoryStore
from tests.conftest import FEED
from tests.unit.linking.helpers import wire

FIRST = (FEED / "01-putin-pjoengjang.txt").read_bytes()
KYIV = (FEED / "02-kiew-kritik.txt").read_bytes()
OIL = (FEED / "03-oelpreise.txt").read_bytes()
SEED = (FEED / "04-putin-pjoengjang-update.txt").read_bytes()

KYIV_ROUNDUP = """ROUNDUP: Kiew kritisiert Putins Besuch in Nordkorea scharf

KIEW (dpa-AFX) - Die ukrainische Regierung hat den Besuch von Kremlchef Wladimir Putin bei Machthaber Kim Jong Un
in Pjöngjang verurteilt. Russland suche in Nordkorea Waffen für seinen Angriffskrieg, sagte Außenminister Dmytro
Kuleba am Mittwoch in Kiew.

Die USA werfen Nordkorea vor, Russland mit Munition zu beliefern./fko/DP/mis
""".encode()


def link(linker: Linker, raw: bytes, minutes: int = 0, offset: int | None = None) -> LinkResult:
    result = linker.decide(wire(raw, minutes, offset))
    linker.commit(result)
    return result


def test_seed_joins_its_first_version() -> None:
    linker = Linker(MemoryStore())
    first = link(linker, FIRST)
    update = link(linker, SEED, minutes=90)
    assert first.outcome == "new_story"
    assert update.outcome == "new_version"
    assert update.state.story_id == first.state.story_id
    [applied] = update.applied
    assert applied.version.story_version == 2
    assert applied.update_type is UpdateType.DEVELOPMENT
    assert update.evidence.reason == "update_marker"
    assert update.evidence.score is not None and update.evidence.score >= linker.config.join_threshold
    assert applied.changes is not None and applied.changes.paragraphs_added >= 1


def test_kyiv_reaction_and_unrelated_story_stay_apart() -> None:
    linker = Linker(MemoryStore())
    first = link(linker, FIRST)
    kyiv = link(linker, KYIV, minutes=30)
    oil = link(linker, OIL, minutes=40)
    roundup = link(linker, KYIV_ROUNDUP, minutes=60)
    update = link(linker, SEED, minutes=90)
    ids = {first.state.story_id, kyiv.state.story_id, oil.state.story_id}
    assert len(ids) == 3
    assert [r.outcome for r in (kyiv, oil)] == ["new_story"] * 2
    # The Kyiv roundup names the same people as the visit story but updates the Kyiv story.
    assert roundup.state.story_id == kyiv.state.story_id
    assert update.state.story_id == first.state.story_id


def test_redelivered_message_adds_no_version() -> None:
    linker = Linker(MemoryStore())
    link(linker, FIRST, offset=1)
    first_update = link(linker, SEED, minutes=90, offset=2)
    again = link(linker, SEED, minutes=90, offset=2)
    copy = link(linker, SEED, minutes=95, offset=3)
    assert first_update.outcome == "new_version"
    assert again.outcome == "duplicate" and copy.outcome == "duplicate"
    assert again.state.story_version == 2
    assert len(again.state.versions) == 2


def test_replayed_decision_gives_the_identical_event() -> None:
    """A crash between sending the event and committing the state replays to the same event."""
    linker = Linker(MemoryStore())
    link(linker, FIRST)
    item = wire(SEED, minutes=90, offset=7)
    before = linker.decide(item)
    replay = linker.decide(item)
    assert build_events(before) == build_events(replay)
    assert len(build_events(before)) == 1


def test_withdrawal_tombstones_and_late_copies_stay_dead(tmp_path: Path) -> None:
    linker = Linker(MemoryStore())
    first = link(linker, FIRST)
    kill = FIRST.replace(b"Putin zu Staatsbesuch", b"(Achtung) Meldung zurueckgezogen: Putin zu Staatsbesuch")
    withdrawn = link(linker, kill, minutes=10)
    assert withdrawn.state.story_id == first.state.story_id
    assert withdrawn.applied[0].update_type is UpdateType.WITHDRAWAL and withdrawn.state.withdrawn
    late = link(linker, SEED, minutes=20)
    assert late.outcome == "stale"
    assert late.state.withdrawn and late.state.story_version == 2


def test_update_before_original_merges_into_the_original() -> None:
    linker = Linker(MemoryStore())
    update = link(linker, SEED, minutes=90)
    assert update.outcome == "new_story" and update.state.orphan
    first = link(linker, FIRST, minutes=0)
    assert first.outcome == "merge"
    assert first.evidence.reason == "merge" and first.evidence.candidate == update.state.story_id
    root = first.state
    original, merged = build_events(first)
    assert (original.story_version, original.event_type, original.update_type.value) == (1, "version", "new")
    assert (merged.story_version, merged.event_type) == (2, "merge")
    assert merged.retired_story_ids == (update.state.story_id,)
    assert merged.update_type is UpdateType.DEVELOPMENT
    # The newer content (the update) stays current; ids are stable from then on.
    assert root.headline == update.state.headline
    assert linker.resolve(update.state.story_id) == root.story_id
    again = link(linker, SEED, minutes=90)
    assert again.outcome == "duplicate" and again.state.story_id == root.story_id


def test_same_order_independent_story_id() -> None:
    forward, backward = Linker(MemoryStore()), Linker(MemoryStore())
    a = link(forward, FIRST, 0)
    link(forward, SEED, 90)
    link(backward, SEED, 90)
    b = link(backward, FIRST, 0)
    assert a.state.story_id == b.state.story_id
    assert forward.store.get(a.state.story_id).latest == backward.store.get(b.state.story_id).latest  # type: ignore[union-attr]
