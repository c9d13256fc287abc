"""Linking quality on the hand-written labelled streams (German and English chains with traps):
pairwise precision at least 0.99 and recall at least 0.95, printed and asserted. The labels are
never shown to the linker; the same ``wirefeed eval-linking`` code computes the scores."""

from __future__ import annotations

from pathlib import Path

import pytest

from streams.enrich import Enricher
from streams.evaluate import Scores, evaluate, score_clusters
from streams.formats.registry import default_parsers
from streams.pipeline import Pipeline
from tests.conftest import REPO

STREAMS = sorted((REPO / "tests" / "fixtures" / "linking").glob("*.jsonl"))
ENRICHER = Enricher()


@pytest.mark.parametrize("path", STREAMS, ids=[p.name for p in STREAMS])
def test_labelled_stream_quality(path: Path) -> None:
    scores = evaluate(Pipeline(default_parsers(), ENRICHER.enrich), [path])
    print(f"\n{path.name}: {scores}")
    assert scores.rejected == 0
    assert scores.pairwise_precision >= 0.99
    assert scores.pairwise_recall >= 0.95


def test_streams_exist() -> None:
    assert {p.name for p in STREAMS} >= {"eval-de.jsonl", "eval-en.jsonl"}


def test_scores_against_known_clusterings() -> None:
    perfect = score_clusters(list("aabbc"), list("xxyyz"))
    assert (perfect.pairwise_precision, perfect.pairwise_recall, perfect.bcubed_f1) == (1.0, 1.0, 1.0)
    lumped: Scores = score_clusters(list("aabbc"), list("xxxxx"))
    assert lumped.pairwise_precision == pytest.approx(2 / 10)
    assert lumped.pairwise_recall == 1.0
    assert lumped.bcubed_precision == pytest.approx((2 * 2 / 5 + 2 * 2 / 5 + 1 / 5) / 5)
    split = score_clusters(list("aaaa"), list("wxyz"))
    assert (split.pairwise_recall, split.bcubed_recall) == (0.0, 0.25)
