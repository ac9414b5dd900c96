"""Run every benchmark module of this folder (those with a ``main()``), one after the other."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path


def main() -> None:
    for info in sorted(pkgutil.iter_modules([str(Path(__file__).parent)]), key=lambda m: m.name):
        module = importlib.import_module(f"bench.{info.name}")
        if hasattr(module, "main") and not info.name.startswith("_"):
            print(f"== bench.{info.name}")
            module.main()


if __name__ == "__main__":
    main()
