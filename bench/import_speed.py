"""Import speed and memory on wide form exports of 1k, 10k and 100k rows.

Run: ``.venv/bin/python -m bench.import_speed [--sizes 1000,10000,100000]``

Each size gets a realistic export of an assessment form, as a survey tool writes it (start
and completion time, e-mail, the assessed innovation and its organisation, ten criteria on a
1-5 scale each followed by a "Perustelut" column, a summary; scores typed as numbers, "4 –
hyvä", "3,5", "–" or left blank). The file is generated once into ``bench/out/``. For each
file the script measures, in a fresh process and on a fresh store:

- read (python-calamine) and check (layout, mapping, typed values, issues, near matches),
  then commit (one transaction), through ``sihub.importing`` as ``import_file`` runs them,
  and the process's peak memory; reading and loading what checking needs run side by side;
- the baseline: ``pandas.read_excel(engine="openpyxl")`` alone on the same file.

Both are run ``--repeat`` times and the fastest run of each is kept (the machine is shared, so
the slower runs measure the neighbours more than the code); peak memory is the largest seen.

Targets (issue 3): 10k rows imported in under 1.5 s and at least 5x faster than the baseline
reads it; 100k rows in under 15 s with peak memory under 1 GB.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
CRITERIA = (
    "Yhteiskunnallinen tarve",
    "Uutuusarvo",
    "Käytäntöön vienti",
    "Tulokset ja vaikuttavuus",
    "Näytön vahvuus",
    "Osallisuus ja yhteiskehittäminen",
    "Monialainen yhteistyö",
    "Kestävyys ja jatkuvuus",
    "Levitettävyys ja skaalautuvuus",
    "Systeeminen muutos",
)
PLACES = ("Kuopio", "Oulu", "Turku", "Vantaa", "Lahti", "Pori", "Joensuu", "Vaasa", "Kotka")
MODELS = ("Nuorten kohtaamo", "Työpaja", "Perhekeskus", "Kotiapu", "Digitalkkari", "Olohuone")
FIRST = ("Anna", "Mikko", "Laura", "Juha", "Sanna", "Timo", "Elina", "Pekka", "Maria", "Ville")
LAST = ("Virtanen", "Korhonen", "Mäkinen", "Nieminen", "Hämäläinen", "Laine", "Heikkinen")
PHRASES = (
    "Tarve on kuvattu hyvin kohderyhmän näkökulmasta",
    "Malli eroaa selvästi nykyisistä palveluista",
    "Kokeilu on vielä pieni",
    "Tuloksista on alustavaa seurantatietoa",
    "Kohderyhmä on mukana suunnittelussa",
    "Yhteistyö kunnan ja järjestöjen välillä toimii",
    "Rahoitus on varmistettu vuoden loppuun",
    "Mallin kuvaus on julkaistu Innokylässä",
    "Levittäminen vaatii koulutusta",
    "Vaikutukset näkyvät vasta pidemmällä aikavälillä",
)


def header() -> list[str]:
    columns = ["Vastaustunnus", "Aloitusaika", "Valmistumisaika", "Sähköposti"]
    columns += ["Arvioitava innovaatio", "Kehittäjäorganisaatio", "Arvioijan organisaatio"]
    for number, name in enumerate(CRITERIA, start=1):
        columns += [f"{number}. {name} (1–5)", "Perustelut"]
    return [*columns, "Yhteenveto"]


def rows(n: int, rng: random.Random):
    innovations = [
        (f"{rng.choice(MODELS)} {k} – {rng.choice(PLACES)}", f"Yhdistys {k % 150} ry")
        for k in range(max(20, n // 20))
    ]
    assessors = [
        f"{rng.choice(FIRST).lower()}.{rng.choice(LAST).lower()}{k}@example.fi"
        for k in range(max(10, n // 30))
    ]
    start = datetime(2024, 3, 1, 9)
    for i in range(n):
        innovation, organisation = innovations[i % len(innovations)]
        when = start + timedelta(minutes=7 * i)
        row = [i + 1, when - timedelta(minutes=12), when, assessors[(i * 7) % len(assessors)]]
        row += [innovation, organisation, rng.choice(("THL", "SOSTE", "Diak", "LUT"))]
        for _ in CRITERIA:
            score = rng.choice((1, 2, 3, 4, 5, 4, 3, "4 – hyvä", "3,5", "–", None))
            note = None
            if rng.random() < 0.6:
                note = f"{rng.choice(PHRASES)}. {rng.choice(PHRASES)}."
            row += [score, note]
        yield [*row, rng.choice(PHRASES)]


def export(n: int, out: Path = OUT) -> Path:
    """The form export of ``n`` rows (generated once, kept in bench/out/)."""
    import openpyxl

    path = out / f"form-export-{n}.xlsx"
    if path.exists():
        return path
    out.mkdir(exist_ok=True)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Vastaukset")
    sheet.append(header())
    for row in rows(n, random.Random(n)):
        sheet.append(row)
    book.save(path)
    return path


def measure_import(path: Path) -> dict:
    """Read, validate and commit ``path`` on a fresh store (run in a child process)."""
    from bench import BENCH
    from sihub import importing
    from sihub.db import connect
    from sihub.reference import sync_reference_data

    with tempfile.TemporaryDirectory() as tmp:
        store = connect(str(Path(tmp) / "bench.duckdb"))
        sync_reference_data(store)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        # the steps of import_file, timed apart: reading overlaps loading what checking needs
        t0 = time.perf_counter()
        parsed = importing.prepare(store, path)
        parsed.release_cells()
        t1 = time.perf_counter()
        result = importing.commit(store, parsed, by=BENCH)
        t2 = time.perf_counter()
        store.close()
    return {
        "check": t1 - t0,
        "commit": t2 - t1,
        "total": t2 - t0,
        "status": result.status,
        "assessments": result.summary.counts["assessments_new"] if result.summary else 0,
        "scores": result.summary.counts["scores_new"] if result.summary else 0,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "start_mb": before / 1024,
    }


def measure_baseline(path: Path) -> dict:
    import pandas as pd

    t0 = time.perf_counter()
    frame = pd.read_excel(path, engine="openpyxl")
    return {"openpyxl": time.perf_counter() - t0, "rows": len(frame)}


def _child(what: str, path: Path) -> dict:
    """Run one measurement in a fresh interpreter, so that peak memory is its own."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.import_speed", "--child", what, str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.import_speed")
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per size, of the import and of the baseline"
    )
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        what, path = args.child
        fn = measure_import if what == "import" else measure_baseline
        print(json.dumps(fn(Path(path))))
        return
    print(
        f"{'rows':>7} {'file MB':>8} {'read+check':>10} {'commit':>6} {'total':>6} "
        f"{'peak MB':>8} {'openpyxl':>9} {'speed-up':>8}"
    )
    for n in (int(s) for s in args.sizes.split(",")):
        path = export(n)
        runs = [_child("import", path) for _ in range(args.repeat)]
        best = min(runs, key=lambda r: r["total"])
        base = min(
            (_child("baseline", path) for _ in range(args.repeat)), key=lambda b: b["openpyxl"]
        )
        print(
            f"{n:>7} {path.stat().st_size / 1e6:>8.1f} {best['check']:>10.2f} "
            f"{best['commit']:>6.2f} {best['total']:>6.2f} "
            f"{max(r['peak_mb'] for r in runs):>8.0f} {base['openpyxl']:>9.2f} "
            f"{base['openpyxl'] / best['total']:>7.1f}x",
            flush=True,
        )
        assert best["status"] == "imported", best


if __name__ == "__main__":
    main()
