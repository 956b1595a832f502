"""Benchmarks: plain scripts, `python -m benchmarks.<name>`; each prints its figures and ratios from one run."""
