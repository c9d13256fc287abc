"""Conformance: real agency samples parse, renditions of one story agree, bad inputs get their code.

The samples live in ``../shared/samples`` beside the checkout (read-only, not in the repo): every
file in its format folders must parse, and each dpa digitalwires file must read the same as the
NewsML-G2 rendition dpa's own converter made of it. The bad-input fixtures in
``tests/fixtures/bad`` (see its MANIFEST.tsv) need no samples and always run.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pytest

from schemas.item import ParsedItem
from streams.errors import RejectedInput
from streams.formats.registry import DEFAULT_MAX_BYTES, default_parsers, parse_message

SAMPLES = Path(__file__).resolve().parents[3].parent / "shared" / "samples"
BAD = Path(__file__).resolve().parents[2] / "fixtures" / "bad"
# Folders of samples/ that hold no messages.
NOT_MESSAGES = {"LICENSES"}


def sample_files() -> list[Path]:
    if not SAMPLES.is_dir():
        return []
    return sorted(
        p
        for p in SAMPLES.glob("*/*")
        if p.is_file() and p.parent.name not in NOT_MESSAGES and not p.name.startswith(".")
    )


def rendition_pairs() -> list[tuple[Path, Path]]:
    if not SAMPLES.is_dir():
        return []
    return [
        (dw, SAMPLES / "newsml-g2" / f"dpa-{dw.stem}.xml")
        for dw in sorted((SAMPLES / "digitalwires").glob("*.json"))
    ]


def need_samples() -> None:
    if not SAMPLES.is_dir():
        pytest.skip(f"{SAMPLES} is absent")


def first_item(path: Path) -> ParsedItem:
    return parse_message(path.read_bytes(), default_parsers())[0]


# --- the real samples ----------------------------------------------------------------------------


def test_samples_folder_has_messages() -> None:
    need_samples()
    files = sample_files()
    assert files, f"no sample messages in {SAMPLES}"
    assert {p.parent.name for p in files} >= {"digitalwires", "newsml-g2", "ninjs"}


@pytest.mark.parametrize(
    "path", sample_files(), ids=lambda p: f"{p.parent.name}/{p.name}" if isinstance(p, Path) else str(p)
)
def test_every_sample_parses(path: Path) -> None:
    items = parse_message(path.read_bytes(), default_parsers())
    assert len(items) >= 1
    assert all(item.headline for item in items if item.pubstatus != "canceled")


def test_every_digitalwires_sample_has_a_rendition() -> None:
    need_samples()
    pairs = rendition_pairs()
    assert pairs
    missing = [g2.name for _, g2 in pairs if not g2.is_file()]
    assert not missing, f"digitalwires samples without NewsML-G2 rendition: {missing}"


@pytest.mark.parametrize(
    "pair", rendition_pairs(), ids=lambda pair: pair[0].stem if isinstance(pair, tuple) else str(pair)
)
def test_digitalwires_and_its_newsml_g2_rendition_agree(pair: tuple[Path, Path]) -> None:
    dw_path, g2_path = pair
    if not g2_path.is_file():
        pytest.skip(f"{g2_path.name} is absent")
    dw, g2 = first_item(dw_path), first_item(g2_path)
    assert (dw.format, g2.format) == ("digitalwires", "newsml_g2")

    def view(item: ParsedItem) -> dict[str, object]:
        return {
            "headline": item.headline,
            "version": item.version,
            "update_type": item.update_type,
            "language": item.language,
            "dateline_place": item.dateline.place if item.dateline else None,
        }

    assert view(dw) == view(g2)


# --- bad inputs ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BadCase:
    name: str
    reason: str
    wire_format: str | None
    note: str

    def raw(self) -> bytes:
        return bad_input(self.name)


def too_large() -> bytes:
    """One byte over the default limit, readable text (so only the size is wrong)."""
    line = b"Eine Zeile Text, die sich wiederholt.\n"
    return (line * (DEFAULT_MAX_BYTES // len(line) + 1))[: DEFAULT_MAX_BYTES + 1]


def deep_json(depth: int = 100_000) -> bytes:
    return b'{"uri": "urn:x", "headline": "deep", "body": ' + b"[" * depth + b"]" * depth + b"}"


GENERATED = {"@too_large": too_large, "@deep_json": deep_json}


def bad_input(name: str) -> bytes:
    return GENERATED[name]() if name in GENERATED else (BAD / name).read_bytes()


def bad_cases() -> list[BadCase]:
    with (BAD / "MANIFEST.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [BadCase(r["file"], r["reason"], r["wire_format"] or None, r["note"]) for r in rows]


def test_manifest_lists_every_bad_fixture() -> None:
    listed = {case.name for case in bad_cases()}
    on_disk = {p.name for p in BAD.iterdir() if p.name not in ("MANIFEST.tsv", "README.md")}
    assert listed - set(GENERATED) == on_disk
    assert set(GENERATED) <= listed


def test_bad_fixtures_are_what_they_say() -> None:
    assert (BAD / "empty.txt").read_bytes() == b""
    assert (BAD / "binary_garbage.bin").read_bytes() == bytes(range(256)) * 4
    assert len(too_large()) == DEFAULT_MAX_BYTES + 1


@pytest.mark.parametrize("case", bad_cases(), ids=lambda c: c.name if isinstance(c, BadCase) else str(c))
def test_bad_input_gets_its_reason_code(case: BadCase) -> None:
    parsers = default_parsers()
    if case.reason == "ok":
        items = parse_message(case.raw(), parsers, hint=case.wire_format)
        assert items
        return
    with pytest.raises(RejectedInput) as caught:
        parse_message(case.raw(), parsers, hint=case.wire_format)
    assert caught.value.code == case.reason, caught.value.message


def test_lone_surrogates_are_removed() -> None:
    (item,) = parse_message((BAD / "lone_surrogate.json").read_bytes(), default_parsers())
    assert item.headline == "Werft meldet Rekordauftrag"
    assert item.paragraphs == ("Die Werft hat einen Auftrag erhalten. Das teilte sie am Montag mit.",)
    for text in (item.headline, *item.paragraphs):
        text.encode("utf-8")  # a surrogate left in would make this raise


def test_unknown_format_text_parses_without_its_header() -> None:
    # The fixture is rejected only for its header: sniffed, it is a good dpa text.
    (item,) = parse_message((BAD / "unknown_format.txt").read_bytes(), default_parsers())
    assert item.format == "dpa_text"
