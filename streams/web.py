"""Worker HTTP endpoints on the Faust web server: ``/metrics`` and ``/health``.

``/health`` answers 200 only when the worker has partitions assigned, is not rebalancing and its
tables have finished recovery; otherwise 503, so an orchestrator does not route work to it yet.
"""

from __future__ import annotations

import contextlib
from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest


def is_ready(wf: Any) -> tuple[bool, dict[str, Any]]:
    """Ready: partitions assigned, no rebalance under way, table recovery complete.

    The attributes are faust-streaming 0.15.3's: ``app.assignor.assigned_actives()`` (the active
    topic partitions of the last assignment, changelogs included), ``app.rebalancing`` (set from
    ``on_rebalance_start`` until ``on_rebalance_end``), ``app.tables.recovery.completed`` (an event
    set once the first recovery finished; faust never clears it) and ``recovery.in_recovery``
    (true while a later rebalance replays changelogs).
    """
    app = wf.app
    assigned = app.assignor.assigned_actives()
    inputs = {wf.settings.topic_raw, wf.settings.topic_items}
    recovery = app.tables.recovery
    recovered = bool(recovery.completed.is_set()) and not recovery.in_recovery
    rebalancing = bool(app.rebalancing)
    ready = bool(assigned) and not rebalancing and recovered
    return ready, {
        "ready": ready,
        "assigned": len(assigned),
        "assigned_inputs": sum(1 for tp in assigned if tp.topic in inputs),
        "rebalancing": rebalancing,
        "recovered": recovered,
    }


def register_views(wf: Any) -> None:
    app = wf.app

    @app.page("/metrics")
    async def metrics(web: Any, request: Any) -> Any:
        with contextlib.suppress(Exception):  # a store not open yet must not fail the scrape
            wf.metrics.table_stories.set(len(wf.store))
        body = generate_latest(wf.metrics.registry)
        return web.bytes(body, content_type=CONTENT_TYPE_LATEST.split(";")[0])

    @app.page("/health")
    async def health(web: Any, request: Any) -> Any:
        ready, detail = is_ready(wf)
        return web.json(detail, status=200 if ready else 503)
