"""The committed JSON Schema files are exactly what the pydantic models generate."""

from __future__ import annotations

import pytest

from schemas.generate import MODELS, OUT, render


@pytest.mark.parametrize("name", sorted(MODELS))
def test_schema_file_matches_model(name: str) -> None:
    path = OUT / f"{name}.schema.json"
    assert path.exists(), f"missing {path}: run python -m schemas.generate"
    assert path.read_text(encoding="utf-8") == render(name), f"{path} drifted: run python -m schemas.generate"


def test_no_stale_schema_files() -> None:
    names = {p.name.removesuffix(".schema.json") for p in OUT.glob("*.schema.json")}
    assert names == set(MODELS)
