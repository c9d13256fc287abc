"""End-to-end performance harness (issue 7): ``python -m bench.perf.run [--quick]``."""
