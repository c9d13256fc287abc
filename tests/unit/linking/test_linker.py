"""Story linking, first version: updates join, look-alikes stay apart, redeliveries add nothing."""

from __future__ import annotations

from pathlib import Path

from schemas.item import UpdateType
from streams.core import build_event
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
    assert update.version.story_version == 2
    assert update.update_type is UpdateType.DEVELOPMENT
    assert update.evidence.reason == "update_marker"
    assert update.evidence.score is not None and update.evidence.score >= linker.config.join_threshold
    assert update.changes is not None and update.changes.paragraphs_added >= 1


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
    assert build_event(item, before) == build_event(item, replay)


def test_withdrawal_tombstones_and_late_copies_stay_dead(tmp_path: Path) -> None:
    linker = Linker(MemoryStore())
    first = link(linker, FIRST)
    kill = FIRST.replace(b"Putin zu Staatsbesuch", b"(Achtung) Meldung zurueckgezogen: Putin zu Staatsbesuch")
    withdrawn = link(linker, kill, minutes=10)
    assert withdrawn.state.story_id == first.state.story_id
    assert withdrawn.update_type is UpdateType.WITHDRAWAL and withdrawn.state.withdrawn
    late = link(linker, SEED, minutes=20)
    assert late.outcome == "stale"
    assert late.state.withdrawn and late.state.story_version == 2
