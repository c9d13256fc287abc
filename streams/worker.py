"""Starting the Faust worker: topics first, then the app under Faust's own worker runner."""

from __future__ import annotations

import asyncio
import logging

from streams.settings import Settings


def run_worker(settings: Settings) -> int:
    import faust

    from streams.app import create_app
    from streams.topics import ensure_topics

    logging.basicConfig(level=settings.log_level.upper())
    # aiokafka logs every request at debug level; below the worker's level that is pure overhead
    # (a measurable share of a busy worker's time under Faust's log handler).
    for noisy in ("aiokafka", "kafka"):
        logging.getLogger(noisy).setLevel(settings.log_level.upper())
    asyncio.run(ensure_topics(settings))
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    wf = create_app(settings)
    # Faust's Worker runs its own event loop and handles SIGTERM/SIGINT with a clean shutdown.
    asyncio.set_event_loop(asyncio.new_event_loop())
    worker = faust.Worker(wf.app, loglevel=settings.log_level, quiet=True)
    worker.execute_from_commandline()
    return 0
