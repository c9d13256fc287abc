"""How alike an item and a story are, as one number with its parts kept for the evidence.

Three signals: the bottom-k sketch estimates the Jaccard similarity of word 3-grams (shared
sentences: the mark of a rewrite or a rendition of the same item), term containment (shared
vocabulary relative to the shorter text: an update adds paragraphs) and headline overlap.
A different dateline place is a strong hint of a different story (the Kyiv reaction to a
Pyongyang visit names the same people but is datelined KIEW).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

from streams.linking.index import Compact


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
    if not a or not b:
        return 0.0
    set_a, set_b = set(a), set(b)
    union_smallest = sorted(set_a | set_b)[:size]
    shared = sum(1 for h in union_smallest if h in set_a and h in set_b)
    return shared / len(union_smallest)


def containment(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """Share of the shorter sequence's distinct elements found in the longer one."""
    if not a or not b:
        return 0.0
    shorter, longer = (set(a), set(b)) if len(a) <= len(b) else (set(b), set(a))
    return len(shorter & longer) / len(shorter)


def weighted_containment(
    a: Sequence[int], mass_a: float, b: Sequence[int], mass_b: float, weight: Callable[[int], float]
) -> float:
    """Containment with every term weighted by rarity: the shared weight over the lighter side's
    (masses come precomputed, so only the shared terms are weighed here)."""
    lighter = min(mass_a, mass_b)
    if not a or not b or lighter <= 0:
        return 0.0
    shared = sum(map(weight, set(a).intersection(b)))
    return min(1.0, shared / lighter)


def score(item: Compact, story: Compact, sketch_size: int, weight: Callable[[int], float]) -> Score:
    """``item`` and ``story`` carry their masses (``CandidateIndex.weigh``)."""
    shingles = sketch_jaccard(item.sketch, story.sketch, sketch_size)
    contain = weighted_containment(item.terms, item.mass, story.terms, story.mass, weight)
    head = weighted_containment(
        item.headline, item.headline_mass, story.headline, story.headline_mass, weight
    )
    same_place = None if not item.place or not story.place else item.place == story.place
    names = containment(item.names, story.names) if item.names and story.names else None
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
