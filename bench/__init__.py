"""Benchmark scripts: each module builds its data, times the work and prints the figures."""
