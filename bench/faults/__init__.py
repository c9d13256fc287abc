"""Fault-injection harness: real brokers, real worker processes, faults, and a verifier that
reads only committed data back and counts lost, duplicate, phantom and misplaced story versions.

``python -m bench.faults.run --scenario baseline`` (see ``run.py``); docs/reliability.md explains
the counts.
"""
