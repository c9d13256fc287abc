"""Rarity weights of a shard's terms: inverse document frequency as the index stands now.

A module of its own, apart from postings and windows (``index.py`` would grow past ~400 lines).
A weight is a function of two numbers only, the shard's size and the term's document frequency,
so the table from counts to weights is filled once per shard size and kept for the next
messages: while a shard's size stays the same, or comes back to a recent value (in a steady
window it moves by a few stories up and down), its weights are dict lookups in C, not a
``math.log`` behind a Python ``__missing__`` for each of the ~50 distinct counts a message reads.
The tables of only a few recent sizes are kept (``WeightTables``), so memory stays bounded.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import repeat


class _ByCount(dict[int, float]):
    """Inverse document frequency by document frequency, for one shard size; filled on first use
    (a shard has far fewer distinct counts than terms, and it keeps the lookups in C)."""

    __slots__ = ("stories",)

    def __init__(self, stories: int) -> None:
        super().__init__()
        self.stories = stories

    def __missing__(self, count: int) -> float:
        value = self[count] = math.log(1.0 + (self.stories + 1) / (1 + count))
        return value


class Weights:
    """Rarity weights of a shard's terms as the index stands now (for one message)."""

    __slots__ = ("_by_count", "_df")

    def __init__(self, df: dict[int, int], stories: int | _ByCount) -> None:
        self._df = df
        self._by_count = stories if isinstance(stories, _ByCount) else _ByCount(stories)

    def __call__(self, term_id: int) -> float:
        return self._by_count[self._df.get(term_id, 0)]

    def each(self, term_ids: Sequence[int]) -> list[float]:
        return list(map(self._by_count.__getitem__, map(self._df.get, term_ids, repeat(0))))


class WeightTables:
    """The count-to-weight tables of the last ``limit`` shard sizes (any shard: a table depends on
    the size alone), least recently used dropped first."""

    __slots__ = ("_tables", "limit")

    def __init__(self, limit: int = 16) -> None:
        self._tables: dict[int, _ByCount] = {}
        self.limit = limit

    def weights(self, df: dict[int, int], stories: int) -> Weights:
        tables = self._tables
        table = tables.pop(stories, None)
        if table is None:
            table = _ByCount(stories)
            if len(tables) >= self.limit:
                del tables[next(iter(tables))]
        tables[stories] = table  # (re)inserted last: the most recently used
        return Weights(df, table)
