"""The fault scenarios. Each is a coroutine run after the input is produced; faults fire when the
worker group's committed progress on the raw topic reaches random fractions (seeded)."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from random import Random

from bench.faults.harness import Fault, Run, free_port


def _moments(run: Run, count: int, low: float = 0.1, high: float = 0.85) -> list[float]:
    rng = Random(run.sizes.seed * 7919 + count)
    return sorted(rng.uniform(low, high) for _ in range(count))


async def baseline(run: Run) -> None:
    return None


async def membership(run: Run) -> None:
    """Two workers; four clean membership changes: stop w2, start w2, stop w1, start w1."""
    steps = [("stop", "w2"), ("start", "w2"), ("stop", "w1"), ("start", "w1")]
    for (action, name), at in zip(steps, _moments(run, 4), strict=True):
        await run.until_progress(at)
        fault = Fault(f"{action} {name}", at, injected=time.monotonic())
        if action == "stop":
            await asyncio.to_thread(run.signal_worker, name, signal.SIGTERM)
        else:
            run.start_worker(name)
            await run.wait_ready(name)
        fault.restored = time.monotonic()
        await run.until_resumed(fault)
        run.faults.append(fault)


async def worker_kills(run: Run) -> None:
    """Three SIGKILLs of the worker at random moments, each restarted at once (same state dir)."""
    for at in _moments(run, 3):
        await run.until_progress(at)
        fault = Fault("SIGKILL worker", at, injected=time.monotonic())
        run.signal_worker("w1", signal.SIGKILL)
        baseline = await run.events_end()  # the worker is gone: nothing can add to this
        run.start_worker("w1")
        fault.restored = time.monotonic()
        await run.until_resumed(fault, baseline)
        run.faults.append(fault)


async def broker_kills(run: Run) -> None:
    """Three SIGKILLs of the broker at random moments, each restarted (same data dir)."""
    for at in _moments(run, 3):
        await run.until_progress(at)
        async with run.pause_feed():
            fault = Fault("SIGKILL broker", at, injected=time.monotonic())
            run.broker.kill()
            await asyncio.sleep(2.0)
            await asyncio.to_thread(run.broker.restart)
            fault.restored = time.monotonic()
        await run.until_resumed(fault)
        run.faults.append(fault)


async def broker_down(run: Run, seconds: float = 60.0) -> None:
    """The broker goes away for ``seconds``; workers must resume within 60 s of its return."""
    at = _moments(run, 1, 0.2, 0.5)[0]
    await run.until_progress(at)
    async with run.pause_feed():
        fault = Fault(f"broker down {seconds:.0f}s", at, injected=time.monotonic())
        run.broker.kill()
        await asyncio.sleep(seconds)
        await asyncio.to_thread(run.broker.restart)
        fault.restored = time.monotonic()
    await run.until_resumed(fault)
    run.faults.append(fault)


async def cluster_kill(run: Run) -> None:
    """Three brokers, replication 3, min ISR 2: node 2 is killed mid-stream and restarted 15 s (or
    once the group delivers again, if later) after; recovery is measured while it is down."""
    at = _moments(run, 1, 0.3, 0.5)[0]
    await run.until_progress(at)
    fault = Fault("SIGKILL broker node 2 of 3", at, injected=time.monotonic())
    run.broker.kill(1)
    # The cluster must go on without the node: recovery is the first new event while it is down.
    baseline = await run.events_end()
    await run.until_resumed(fault, baseline, timeout=60.0)
    await asyncio.sleep(max(0.0, fault.injected + 15.0 - time.monotonic()))
    await asyncio.to_thread(run.broker.restart, 1)
    fault.restored = time.monotonic()
    run.faults.append(fault)


async def recovery(run: Run) -> None:
    """The worker owning every story (``sizes.owned`` seeded ones plus the stream's) is SIGKILLed;
    a successor with an empty state directory restores the tables from the changelogs and resumes.
    The successor takes the owner's group instance id (``WIREFEED_FAULTS_STATIC_MEMBERSHIP=0``: a
    new member, which waits out the owner's session timeout)."""
    at = _moments(run, 1, 0.3, 0.5)[0]
    await run.until_progress(at)
    fault = Fault(f"SIGKILL owner of {run.sizes.owned:,} seeded stories", at, injected=time.monotonic())
    run.signal_worker("w1", signal.SIGKILL)
    baseline = await run.events_end()
    run.start_worker("w2")
    fault.restored = time.monotonic()
    await run.until_resumed(fault, baseline, timeout=900.0)
    run.faults.append(fault)


async def seed_owned(run: Run) -> None:
    from bench.faults.seed import seed_stories

    await seed_stories(run, run.sizes.owned)
    if os.environ.get("WIREFEED_FAULTS_STATIC_MEMBERSHIP", "1") != "0":
        # The successor replaces the owner as a StatefulSet pod would, under the same group
        # instance id: the group hands it the partitions without waiting out the session timeout.
        # Same name, same address: Faust's assignor checks that a member's assignment carries
        # its own web URL, and the group hands the successor the owner's cached assignment.
        run.instance_ids.update(w1="wirefeed-owner", w2="wirefeed-owner")
        run.ports["w2"] = run.ports.setdefault("w1", free_port())
    run.notes["static_membership"] = bool(run.instance_ids)


@dataclass(frozen=True)
class Scenario:
    number: int
    name: str
    body: Callable[[Run], Awaitable[None]]
    workers: int = 1
    cluster: bool = False
    pre: Callable[[Run], Awaitable[None]] | None = None


SCENARIOS = {
    s.name: s
    for s in (
        Scenario(1, "baseline", baseline),
        Scenario(2, "membership", membership, workers=2),
        Scenario(3, "worker-kill", worker_kills),
        Scenario(4, "broker-kill", broker_kills),
        Scenario(5, "broker-down", broker_down),
        Scenario(6, "recovery", recovery, pre=seed_owned),
        Scenario(7, "cluster-kill", cluster_kill, cluster=True),
    )
}
