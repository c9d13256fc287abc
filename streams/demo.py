"""``wirefeed demo``: a worker, the bundled sample feed and the resulting story events.

Each run uses its own topics and consumer group (suffixed with a run id), so the demo shows
fresh story versions every time instead of recognising the feed as already seen.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from streams.kafka_cli import produce, tail
from streams.settings import Settings


def run_demo(settings: Settings, paths: list[Path], timeout: float) -> int:
    run = time.strftime("%Y%m%d%H%M%S")
    env = dict(os.environ)
    names = {
        "WIREFEED_APP_ID": f"wirefeed-demo-{run}",
        "WIREFEED_TOPIC_RAW": f"demo-{run}.wire.raw",
        "WIREFEED_TOPIC_ITEMS": f"demo-{run}.wire.items",
        "WIREFEED_TOPIC_DLQ": f"demo-{run}.wire.dlq",
        "WIREFEED_TOPIC_EVENTS": f"demo-{run}.stories.events",
        "WIREFEED_TOPIC_CURRENT": f"demo-{run}.stories.current",
        "WIREFEED_DATA_DIR": str(settings.data_dir / f"demo-{run}"),
    }
    env.update(names)
    demo = settings.model_copy(update={k.removeprefix("WIREFEED_").lower(): v for k, v in names.items()})
    log = Path(settings.data_dir) / f"demo-{run}.worker.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    print(f"[demo] starting a worker (log: {log})", file=sys.stderr)
    with log.open("wb") as out:
        worker = subprocess.Popen(
            [sys.executable, "-m", "streams.cli", "worker"], env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        print(f"[demo] posting {', '.join(str(p) for p in paths)} to {demo.topic_raw}", file=sys.stderr)
        produce(demo, paths, None, "dpa-afx", None)
        expected = sum(1 for p in paths for f in (p.rglob("*") if p.is_dir() else [p]) if f.is_file())
        print(f"[demo] story events on {demo.topic_events}:", file=sys.stderr)
        deadline = time.monotonic() + timeout
        tail(demo, True, expected, max(1.0, deadline - time.monotonic()), False, None)
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
    return 0
