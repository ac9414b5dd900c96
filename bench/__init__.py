"""Benchmark scripts: each module builds or opens a store, times its work and prints figures.

Run one with ``.venv/bin/python -m bench.<name>``; ``python -m bench`` runs them all.
Performance targets live here, never in timed unit tests.
"""

from sihub.access import Role, Viewer

# Who the benchmarks import and run panels as: staff, as the library requires of any change.
BENCH = Viewer(Role.STAFF, identity="bench")
