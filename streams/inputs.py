"""Reading raw messages from the file system for ``process``, ``parse`` and ``produce``.

A path is a raw message file, a directory (its files in name order, recursively) or a ``.jsonl``
file whose lines are ``{"payload": "<raw text>", "received_at": "<ISO 8601, optional>"}``.
A bad line is an input error of its own, reported with its line number, not a crash.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from streams.formats.base import parse_iso


@dataclass(frozen=True, slots=True)
class InputMessage:
    name: str
    payload: bytes
    received_at: datetime | None = None
    extra: dict[str, Any] | None = None
    error: str | None = None


class UsageError(Exception):
    """A path that does not exist or cannot be read: the CLI exits 2."""


def check_paths(paths: list[str]) -> list[Path]:
    out = []
    for name in paths:
        path = Path(name)
        if not path.exists():
            raise UsageError(f"no such file or directory: {name}")
        out.append(path)
    return out


def iter_inputs(paths: list[Path]) -> Iterator[InputMessage]:
    for path in paths:
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
            for file in files:
                yield from _file(file)
        else:
            yield from _file(path)


def _file(path: Path) -> Iterator[InputMessage]:
    if path.suffix != ".jsonl":
        yield InputMessage(name=str(path), payload=path.read_bytes())
        return
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            name = f"{path}:{number}"
            try:
                record = json.loads(line)
                payload = record["payload"]
                if not isinstance(payload, str):
                    raise TypeError("payload must be a string")
            except (ValueError, KeyError, TypeError) as exc:
                yield InputMessage(name=name, payload=line, error=f"bad jsonl line: {exc}")
                continue
            extra = {k: v for k, v in record.items() if k not in ("payload", "received_at")}
            yield InputMessage(
                name=name,
                payload=payload.encode("utf-8", "surrogatepass"),
                received_at=parse_iso(record.get("received_at")),
                extra=extra or None,
            )
