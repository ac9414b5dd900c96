"""Benchmark scripts: each prints its figures; run one as ``python -m bench.<name>``."""
