"""Benchmarks and benchmark data for wirefeed (not shipped with the package)."""
