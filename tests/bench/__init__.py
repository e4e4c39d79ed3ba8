"""Benchmarks (run with `make bench`); excluded from the normal suite."""
