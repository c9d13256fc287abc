"""What changed between two versions of a story, paragraph by paragraph."""

from __future__ import annotations

from difflib import SequenceMatcher

from schemas.events import Changes


def changes(old_headline: str, old: tuple[str, ...], new_headline: str, new: tuple[str, ...]) -> Changes:
    if old == new:  # a rendition or a headline-only update (a fifth of them): nothing to match
        return Changes(
            headline_changed=old_headline != new_headline,
            paragraphs_added=0,
            paragraphs_removed=0,
            paragraphs_changed=0,
            added=(),
            changed=(),
        )
    matcher = SequenceMatcher(a=old, b=new, autojunk=False)
    added: list[int] = []
    changed: list[int] = []
    removed = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "insert":
            added.extend(range(j1, j2))
        elif tag == "delete":
            removed += i2 - i1
        elif tag == "replace":
            # Pair edited paragraphs one to one; the surplus on either side is added or removed.
            pairs = min(i2 - i1, j2 - j1)
            changed.extend(range(j1, j1 + pairs))
            added.extend(range(j1 + pairs, j2))
            removed += (i2 - i1) - pairs
    return Changes(
        headline_changed=old_headline != new_headline,
        paragraphs_added=len(added),
        paragraphs_removed=removed,
        paragraphs_changed=len(changed),
        added=tuple(added),
        changed=tuple(changed),
    )
