"""Run every benchmark module of this package (``make bench``)."""

import importlib
import pkgutil
import sys

import bench

for module in sorted(m.name for m in pkgutil.iter_modules(bench.__path__)):
    if not module.startswith("_"):
        print(f"== bench.{module}", flush=True)
        importlib.import_module(f"bench.{module}").main(sys.argv[1:])
