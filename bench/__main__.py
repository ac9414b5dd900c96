"""Run every benchmark module of this package (``python -m bench``, ``make bench``)."""

import importlib
import pkgutil

import bench


def main() -> int:
    failed = 0
    for info in sorted(pkgutil.iter_modules(bench.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        print(f"== bench.{info.name}")
        module = importlib.import_module(f"bench.{info.name}")
        failed += bool(module.main([]))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
