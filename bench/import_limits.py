"""What one hostile value costs the importer: time and peak memory of small files with huge
names, headers and texts, and of two imports committed at once (issue 10).

Run: ``.venv/bin/python -m bench.import_limits``

Each file is generated into ``bench/out/`` and imported with ``python -m sihub import --dry-run``
on a fresh store, in a process of its own (``bench/_measure.py`` reports that process's own
peak memory). Before the fixes of issue 10 the first file took 37 s and 6.2 GB.

- ``names_32767``: 8 innovation names of 32,767 characters (Excel's cell maximum): blocked,
  one located error each;
- ``names_at_limit``: 8 names of exactly MAX_NAME characters: imported;
- ``digit_headers`` / ``dash_headers``: every cell of the first rows 32,767 digits or dashes
  (header matching tries every cell of a sheet's first 20 rows);
- ``many_names`` / ``many_long_names``: 10,000 distinct names of 25 and of MAX_NAME characters
  (the near-match index: long names may cost a little more than short ones, not their square);
- ``long_comments``: 8 comments of 32,767 characters: accepted;
- ``caches``: the importer's byte-bounded caches after importing ``many_long_names``;
- ``two_at_once``: two files (3,000 and 50 rows) committed from two threads to one store.

Targets: each file under 5 s; the small files under 300 MB, the two of 10,000 rows under 400 MB
(the interpreter with its libraries is about 190 MB before any file); the caches within their
budgets; both of the two imports land. Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from bench import BENCH
from bench._measure import measured

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(__file__).resolve().parent / "out"
EXCEL_MAX = 32_767
MAX_SECONDS = 5.0
MAX_MB = 300.0  # a small file
MAX_MB_10K = 400.0  # a file of 10,000 rows and as many distinct names
HEADER = ["Timestamp", "Innovation name", "Organisation", "Assessor", "Round"]
HEADER += ["Q1 Societal need (1-5)", "Q2 Novelty (1-5)", "Novelty comment"]


def _row(name: str, k: int, comment: str | None = None) -> list:
    return ["2025-03-01", name, f"Yhdistys {k % 7}", f"Arvioija {k % 13}", 1, 4, 3, comment]


def _filler(n: int, rng: random.Random) -> str:
    """``n`` characters of Finnish-looking words (incompressible enough to be a real file)."""
    words: list[str] = []
    size = 0
    while size < n:
        word = "".join(rng.choice("aeiouyäöhjklmnprstv") for _ in range(rng.randint(2, 10)))
        words.append(word)
        size += len(word) + 1
    return " ".join(words)[:n]


def _book(path: Path, rows: list[list]) -> Path:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Vastaukset")
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def build(name: str, out: Path = OUT) -> Path:
    """The workbook of one case (generated once)."""
    from sihub.importing.values import MAX_NAME

    path = out / f"limits-{name}.xlsx"
    if path.exists():
        return path
    out.mkdir(exist_ok=True)
    rng = random.Random(name)
    if name == "names_32767":
        rows = [_row(f"Innovaatio {k} " + _filler(EXCEL_MAX, rng), k) for k in range(8)]
        rows = [[*r[:1], r[1][:EXCEL_MAX], *r[2:]] for r in rows]
    elif name == "names_at_limit":
        rows = [_row((f"Innovaatio {k} " + _filler(MAX_NAME, rng))[:MAX_NAME], k) for k in range(8)]
    elif name in ("digit_headers", "dash_headers"):
        cell = ("1" if name == "digit_headers" else "-") * EXCEL_MAX
        rows = [[cell] * 8 for _ in range(3)] + [_row("Olohuone", 1)]
        return _book(path, [*rows[:3], HEADER, *rows[3:]])
    elif name in ("many_names", "many_long_names"):
        size = MAX_NAME if name == "many_long_names" else 25
        rows = [_row((f"{k} " + _filler(size, rng))[:size], k) for k in range(10_000)]
    elif name == "long_comments":
        rows = [_row(f"Malli {k}", k, _filler(EXCEL_MAX, rng)) for k in range(8)]
    else:
        raise ValueError(name)
    return _book(path, [HEADER, *rows])


CASES = {  # case -> (the exit code the command line should give, peak memory allowed)
    "names_32767": (1, MAX_MB),
    "names_at_limit": (0, MAX_MB),
    "digit_headers": (0, MAX_MB),
    "dash_headers": (0, MAX_MB),
    "long_comments": (0, MAX_MB),
    "many_names": (0, MAX_MB_10K),
    "many_long_names": (0, MAX_MB_10K),
}


def run_case(name: str, out: Path = OUT) -> dict:
    path = build(name, out)
    with tempfile.TemporaryDirectory() as tmp:
        command = [sys.executable, "-m", "sihub", "--lang", "en", "import", str(path)]
        command += ["--dry-run", "--near-matches", "new", "--db", str(Path(tmp) / "x.duckdb")]
        done = measured(command, ROOT)
    located = re.findall(r"value_too_long", done.output)
    first = re.search(r"Vastaukset!\w+\s+value_too_long", done.output)
    return {
        "case": name,
        "kb": path.stat().st_size // 1024,
        "exit": done.returncode,
        "seconds": done.seconds,
        "peak_mb": done.peak_mb,
        "errors": len(located),
        "first": first.group().split()[0] if first else "",
        "ok": done.returncode == CASES[name][0]
        and done.seconds < MAX_SECONDS
        and done.peak_mb < CASES[name][1],
    }


def measure_caches(path: Path) -> dict:
    """Import ``path`` in this process; the caches' bytes against their budgets (child)."""
    from sihub import importing
    from sihub.db import connect
    from sihub.importing.cache import caches
    from sihub.reference import sync_reference_data

    with tempfile.TemporaryDirectory() as tmp:
        store = connect(str(Path(tmp) / "c.duckdb"))
        sync_reference_data(store)
        result = importing.import_file(store, path, by=BENCH, near_matches="new")
        store.close()
    return {
        "status": result.status,
        "caches": {c.name: [c.bytes, c.budget, len(c)] for c in caches()},
    }


def measure_two_at_once() -> dict:
    """Two files committed from two threads at the same moment to one store (child)."""
    from sihub import importing
    from sihub.db import connect
    from sihub.reference import sync_reference_data

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = connect(str(folder / "two.duckdb"))
        sync_reference_data(store)
        parsed = {}
        for name, n in (("big", 3000), ("small", 50)):
            rows = [_row(f"{name} {k}", k) for k in range(n)]
            found = importing.prepare(store, _book(folder / f"{name}.xlsx", [HEADER, *rows]))
            parsed[name] = found.decide({m.id: importing.NEW for m in found.near})
        start, outcome = threading.Barrier(2), {}
        waited: list[str] = []

        def commit(name: str) -> None:
            start.wait()
            began = time.perf_counter()
            try:
                result = importing.commit(
                    store, parsed[name], by=BENCH, on_wait=lambda: waited.append(name)
                )
                outcome[name] = [result.status, time.perf_counter() - began]
            except Exception as e:
                outcome[name] = [type(e).__name__, time.perf_counter() - began]

        threads = [threading.Thread(target=commit, args=(name,)) for name in parsed]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        counts = store.rows(
            "SELECT b.file_name, count(a.id) FROM import_batches b "
            "JOIN assessments a ON a.batch_id = b.id GROUP BY 1 ORDER BY 1"
        )
        store.close()
    return {"outcome": outcome, "waited": waited, "assessments": dict(counts)}


def _child(what: str, *args: str) -> dict:
    done = measured([sys.executable, "-m", "bench.import_limits", "--child", what, *args], ROOT)
    return json.loads(done.output.strip().splitlines()[-1]) | {"peak_mb": done.peak_mb}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.import_limits")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args, _ = parser.parse_known_args(argv)  # bench/__main__ passes everyone the same argv
    if args.child:
        what, *rest = args.child
        chosen: Callable[..., dict] = {"caches": measure_caches, "two": measure_two_at_once}[what]
        print(json.dumps(chosen(*(Path(r) for r in rest))))
        return 0
    missed = []
    print(f"{'case':16} {'file kB':>8} {'exit':>4} {'s':>6} {'peak MB':>8}  located errors")
    for name in CASES:
        r = run_case(name)
        errors = f"{r['errors']} from {r['first']}" if r["errors"] else "-"
        print(
            f"{name:16} {r['kb']:>8} {r['exit']:>4} {r['seconds']:>6.2f} {r['peak_mb']:>8.0f}  "
            f"{errors}{'' if r['ok'] else '   <- target missed'}",
            flush=True,
        )
        if not r["ok"]:
            missed.append(name)
    caches = _child("caches", str(build("many_long_names")))
    for cache, (used, budget, entries) in caches["caches"].items():
        mb = f"{used / 2**20:6.1f} MB of {budget / 2**20:4.0f} MB"
        print(f"cache {cache:16} {mb} ({entries} entries)")
        if used > budget:
            missed.append(f"cache {cache}")
    two = _child("two")
    print(
        "two imports at once: "
        + ", ".join(f"{k} {v[0]} in {v[1]:.2f} s" for k, v in sorted(two["outcome"].items()))
        + f"; waited: {', '.join(two['waited']) or 'none'}; assessments {two['assessments']};"
        + f" peak {two['peak_mb']:.0f} MB"
    )
    if two["assessments"] != {"big.xlsx": 3000, "small.xlsx": 50}:
        missed.append("two_at_once")
    if missed:
        print(f"targets missed: {', '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
