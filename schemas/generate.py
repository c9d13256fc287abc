"""Generate the JSON Schema files of every topic payload from the pydantic models.

Run ``python -m schemas.generate`` after changing a model; ``tests/schemas/test_drift.py`` fails
while the committed files differ from what the models generate.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from schemas.events import StoryCurrent, StoryEvent
from schemas.item import ParsedItem
from schemas.story import StoryState
from schemas.wire import DeadLetterHeaders, RawHeaders, WireItem

OUT = Path(__file__).resolve().parent / "json"

MODELS: dict[str, tuple[type[BaseModel], str]] = {
    "wire.raw.headers": (RawHeaders, "Kafka headers a producer may set on wire.raw (value: raw bytes)."),
    "wire.dlq.headers": (DeadLetterHeaders, "Kafka headers on wire.dlq (value: the raw input bytes)."),
    "wire.items": (WireItem, "Value of wire.items: one parsed and enriched item, keyed by linking shard."),
    "stories.events": (StoryEvent, "Value of stories.events: one story version, keyed by story_id."),
    "stories.current": (StoryCurrent, "Value of stories.current (compacted; tombstone when withdrawn)."),
    "state.story": (StoryState, "Story state in the worker's table (RocksDB and its changelog)."),
    "item": (ParsedItem, "The parsed item every format parser produces."),
}


def schema_for(name: str) -> dict[str, Any]:
    model, description = MODELS[name]
    schema = model.model_json_schema(by_alias=True, mode="serialization")
    schema["$id"] = f"https://wirefeed.invalid/schemas/{name}.schema.json"
    schema["description"] = description
    return schema


def render(name: str) -> str:
    return json.dumps(schema_for(name), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def main() -> int:
    OUT.mkdir(exist_ok=True)
    for name in MODELS:
        (OUT / f"{name}.schema.json").write_text(render(name), encoding="utf-8")
        print(f"wrote {OUT / f'{name}.schema.json'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
