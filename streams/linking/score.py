"""How alike an item and a story are, as one number with its parts kept for the evidence.

Three signals: the bottom-k sketch estimates the Jaccard similarity of word 3-grams (shared
sentences: the mark of a rewrite or a rendition of the same item), term containment (shared
vocabulary relative to the shorter text: an update adds paragraphs) and headline overlap.
A different dateline place is a strong hint of a different story (the Kyiv reaction to a
Pyongyang visit names the same people but is datelined KIEW).

Term weights come from the index as it stands (``CandidateIndex.weights``) for both sides, and
their sums are exact (``math.fsum``), so a score does not depend on when the story was indexed
or on the order of term ids: a rebuilt index scores like the one built message by message.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from itertools import compress
from math import fsum

from streams.linking.index import Compact
from streams.linking.weights import Weights


@dataclass(frozen=True, slots=True)
class Score:
    total: float
    shingles: float
    containment: float
    headline: float
    same_place: bool | None
    names: float | None


def sketch_jaccard(a: Sequence[int], b: Sequence[int], size: int) -> float:
    """Bottom-k estimate: among the k smallest hashes of the union, the share found in both."""
    return _bottom_k(frozenset(a), b, size)


def _bottom_k(set_a: frozenset[int], b: Sequence[int], size: int) -> float:
    """``sketch_jaccard`` with the item's side as a set, made once per item (``Probe``).

    Most candidates share no 3-gram at all: that is 0.0 without sorting the union. Otherwise the
    hashes in both that are among the k smallest of the union are those up to its k-th smallest."""
    if not set_a or not b:
        return 0.0
    both = set_a.intersection(b)
    if not both:
        return 0.0
    union_smallest = sorted(set_a.union(b))[:size]
    last = union_smallest[-1]
    return sum(1 for h in both if h <= last) / len(union_smallest)


def containment(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """Share of the shorter sequence's distinct elements found in the longer one."""
    if not a or not b:
        return 0.0
    shorter, longer = (set(a), set(b)) if len(a) <= len(b) else (set(b), set(a))
    return len(shorter & longer) / len(shorter)


@dataclass(frozen=True, slots=True)
class Probe:
    """The item being linked, weighed once for all its candidates."""

    print: Compact
    weights: Weights
    sketch: frozenset[int]
    terms: frozenset[int]
    headline: frozenset[int]
    mass: float
    headline_mass: float


def probe(packed: Compact, weights: Weights) -> Probe:
    mass, headline_mass = fsum(weights.each(packed.terms)), fsum(weights.each(packed.headline))
    return Probe(
        packed,
        weights,
        frozenset(packed.sketch),
        frozenset(packed.terms),
        frozenset(packed.headline),
        mass,
        headline_mass,
    )


def weighted_containment(item: frozenset[int], mass: float, story: Sequence[int], weights: Weights) -> float:
    """Containment with every term weighted by rarity: the shared weight over the lighter side's.

    ``story`` holds distinct term ids; the item side comes as a set with its mass precomputed."""
    if not item or not story:
        return 0.0
    each = weights.each(story)
    lighter = min(mass, fsum(each))
    if lighter <= 0:
        return 0.0
    shared = fsum(compress(each, map(item.__contains__, story)))
    return min(1.0, shared / lighter)


def score(item: Probe, story: Compact, sketch_size: int) -> Score:
    packed = item.print
    shingles = _bottom_k(item.sketch, story.sketch, sketch_size)
    contain = weighted_containment(item.terms, item.mass, story.terms, item.weights)
    head = weighted_containment(item.headline, item.headline_mass, story.headline, item.weights)
    same_place = None if not packed.place or not story.place else packed.place == story.place
    names = containment(packed.names, story.names) if packed.names and story.names else None
    total = 0.45 * shingles + 0.35 * contain + 0.20 * head
    if same_place is True:
        total += 0.10
    elif same_place is False:
        total -= 0.20
    # The same kind of story about other people or companies is another story.
    if names == 0.0:
        total -= 0.25
    elif names is not None:
        total += 0.10 * names
    names_out = None if names is None else round(names, 4)
    return Score(
        round(total, 4), round(shingles, 4), round(contain, 4), round(head, 4), same_place, names_out
    )
