"""Shared test paths and helpers. ``../shared`` sits beside the checkout (read-only material)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED = SHARED / "examples" / "seed-dpa-afx.txt"
FEED = REPO / "examples" / "feed"


@pytest.fixture
def seed_bytes() -> bytes:
    # The seed is also bundled in the demo feed, so tests never depend on ../shared for it.
    return (FEED / "04-putin-pjoengjang-update.txt").read_bytes()


def shared_dir(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.is_dir():
        pytest.skip(f"{path} is absent")
    return path
