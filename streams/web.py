"""Worker HTTP endpoints on the Faust web server: ``/metrics`` and ``/health``.

``/health`` answers 200 only when the worker has partitions assigned, is not rebalancing and its
tables have finished recovery; otherwise 503, so an orchestrator does not route work to it yet.
"""

from __future__ import annotations

from typing import Any

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest


def is_ready(wf: Any) -> tuple[bool, dict[str, Any]]:
    app = wf.app
    assigned = sorted(f"{tp.topic}/{tp.partition}" for tp in app.assignor.assigned_actives())
    recovery = app.tables.recovery
    recovered = bool(recovery.completed.is_set()) if hasattr(recovery, "completed") else True
    ready = bool(assigned) and not app.rebalancing and recovered
    return ready, {
        "ready": ready,
        "assigned": len(assigned),
        "rebalancing": bool(app.rebalancing),
        "recovered": recovered,
    }


def register_views(wf: Any) -> None:
    app = wf.app

    @app.page("/metrics")
    async def metrics(web: Any, request: Any) -> Any:
        wf.metrics.table_stories.set(len(wf.store))
        body = generate_latest(wf.metrics.registry)
        return web.bytes(body, content_type=CONTENT_TYPE_LATEST.split(";")[0])

    @app.page("/health")
    async def health(web: Any, request: Any) -> Any:
        ready, detail = is_ready(wf)
        return web.json(detail, status=200 if ready else 503)
