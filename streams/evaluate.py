"""``wirefeed eval-linking``: how well linking groups messages into their true stories.

Input: JSONL lines ``{"payload", "received_at", "story"}`` where ``story`` is the true label. The
label is never shown to the linker: each payload runs through the same in-process pipeline as
``wirefeed process``; afterwards every message's story is resolved through merges to its final
story id. Printed: message counts, pairwise precision/recall/F1 (over all pairs of messages) and
BCubed precision/recall/F1 (per message, averaged). Rejected messages are counted, not scored.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from streams.core import Origin
from streams.inputs import iter_inputs
from streams.pipeline import Pipeline
from streams.settings import Settings


@dataclass(frozen=True, slots=True)
class Scores:
    messages: int
    scored: int
    rejected: int
    true_stories: int
    predicted_stories: int
    pairwise_precision: float
    pairwise_recall: float
    pairwise_f1: float
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score_clusters(truth: Sequence[str], predicted: Sequence[str], rejected: int = 0) -> Scores:
    """Pairwise and BCubed scores of a predicted clustering against the true one (same order)."""
    n = len(truth)
    cells = Counter(zip(truth, predicted, strict=True))
    true_sizes = Counter(truth)
    pred_sizes = Counter(predicted)
    together = sum(_pairs(c) for c in cells.values())
    pred_pairs = sum(_pairs(c) for c in pred_sizes.values())
    true_pairs = sum(_pairs(c) for c in true_sizes.values())
    precision = together / pred_pairs if pred_pairs else 1.0
    recall = together / true_pairs if true_pairs else 1.0
    # BCubed: for each message, the share of its predicted cluster that is truly its story, and
    # the share of its true story found in its predicted cluster; averaged over messages.
    b_precision = sum(c * c / pred_sizes[p] for (_, p), c in cells.items()) / n if n else 1.0
    b_recall = sum(c * c / true_sizes[t] for (t, _), c in cells.items()) / n if n else 1.0
    return Scores(
        messages=n + rejected,
        scored=n,
        rejected=rejected,
        true_stories=len(true_sizes),
        predicted_stories=len(pred_sizes),
        pairwise_precision=precision,
        pairwise_recall=recall,
        pairwise_f1=_f1(precision, recall),
        bcubed_precision=b_precision,
        bcubed_recall=b_recall,
        bcubed_f1=_f1(b_precision, b_recall),
    )


def evaluate(pipeline: Pipeline, paths: list[Path]) -> Scores:
    truth: list[str] = []
    assigned: list[str] = []
    rejected = 0
    for message in iter_inputs(paths):
        label = (message.extra or {}).get("story")
        if message.error or label is None:
            rejected += 1
            continue
        outcome = pipeline.process(
            message.payload, Origin(received_at=message.received_at or datetime.now(UTC))
        )
        if outcome.rejection is not None or not outcome.story_ids:
            rejected += 1
            continue
        for story_id in outcome.story_ids:
            truth.append(str(label))
            assigned.append(story_id)
    final = [pipeline.linker.resolve(s) or s for s in assigned]
    return score_clusters(truth, final, rejected)


def run_eval(settings: Settings, paths: list[Path]) -> int:
    from streams.pipeline import pipeline_for

    scores = evaluate(pipeline_for(settings), paths)
    rows = [
        ("messages", scores.messages),
        ("scored", scores.scored),
        ("rejected", scores.rejected),
        ("true stories", scores.true_stories),
        ("predicted stories", scores.predicted_stories),
        ("pairwise precision", f"{scores.pairwise_precision:.4f}"),
        ("pairwise recall", f"{scores.pairwise_recall:.4f}"),
        ("pairwise F1", f"{scores.pairwise_f1:.4f}"),
        ("BCubed precision", f"{scores.bcubed_precision:.4f}"),
        ("BCubed recall", f"{scores.bcubed_recall:.4f}"),
        ("BCubed F1", f"{scores.bcubed_f1:.4f}"),
    ]
    for name, value in rows:
        print(f"{name:<20} {value}")
    print(json.dumps(_as_dict(scores)), file=sys.stderr)
    return 0


def _as_dict(scores: Scores) -> dict[str, float | int]:
    return {name: getattr(scores, name) for name in Scores.__slots__}
