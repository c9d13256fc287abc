"""The candidate index's term ids: only the terms its entries use, each counted.

A module of its own: a small structure with its own invariant, apart from postings and windows,
and ``index.py`` would grow past ~420 lines with it inline. A worker runs for months and wire
copy brings new terms every hour (names, numbers, typos: millions of strings), while the index
only ever holds the stories of its window; a term id lives as long as an entry uses it. Every
registered term has a reference count (one per entry per use, in its terms or its headline): the
index takes the references when an entry goes in and lets go of them when it leaves (eviction,
update, merge, pruned during a rebuild), and the term goes at zero.

Ids come from a counter and are never handed out twice: an id of a term that went stays unused,
so nothing can mistake it for a term registered later. Ids depend on history (a rebuilt index
numbers its terms otherwise); nothing the index decides depends on their values. They are 32-bit
(the packed arrays): 4 billion registrations, decades at wire rates, and a restarted worker counts
from 0 again.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator
from itertools import chain


class Vocabulary:
    __slots__ = ("_ids", "_next", "_refs", "_terms")

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}
        self._terms: dict[int, str] = {}  # id -> term: finds the term to drop when its count hits 0
        self._refs: dict[int, int] = {}
        self._next = 0

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, term: object) -> bool:
        return term in self._ids

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def references(self, term: str) -> int:
        term_id = self._ids.get(term)
        return 0 if term_id is None else self._refs.get(term_id, 0)

    def ids(self, terms: tuple[str, ...], add: bool, unseen: dict[str, int]) -> array[int]:
        """The ids of the distinct terms, in order. ``add`` registers unknown terms (the caller
        takes references on them right away, see ``acquire``); otherwise an unknown term gets an
        id from ``unseen``, past every id ever registered, so it counts but matches nothing."""
        vocabulary = self._ids
        distinct = dict.fromkeys(terms)
        ids = list(map(vocabulary.get, distinct))
        if None in ids:
            for position, term in enumerate(distinct):
                if ids[position] is None:
                    if add:
                        term_id = ids[position] = vocabulary[term] = self._next
                        self._terms[term_id] = term
                        self._next = term_id + 1
                    else:
                        ids[position] = unseen.setdefault(term, self._next + len(unseen))
        return array("I", ids)  # type: ignore[arg-type]

    def acquire(self, terms: Iterable[int], headline: Iterable[int]) -> None:
        refs = self._refs
        get = refs.get
        for term_id in chain(terms, headline):
            refs[term_id] = get(term_id, 0) + 1

    def release(self, terms: Iterable[int], headline: Iterable[int]) -> None:
        refs = self._refs
        for term_id in chain(terms, headline):
            count = refs[term_id] - 1
            if count:
                refs[term_id] = count
            else:
                del refs[term_id]
                del self._ids[self._terms.pop(term_id)]
