"""``kill -9`` of an import at several moments leaves the store exactly as it was before the
import or exactly as after it, on a DuckDB file and on PostgreSQL; importing the file again
then succeeds.

A first import of a file rebuilds the derived tables after its data commits (``sihub.db.
derived``): killed between the two, the data is exactly as after and the derived tables say
they are stale, which the app's staleness check repairs to exactly the state after."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time

import pytest

from sihub import PROJECT_DIR
from sihub.db import connect, derived
from tests.import_corpus import wide_export

pytestmark = pytest.mark.both_stores
# When the kill comes, as a share of an undisturbed import's time: the last ones fall in the
# write transaction, which takes the end of the run (reading and checking come first).
MOMENTS = (0.2, 0.5, 0.8, 0.9, 0.97)  # 0.2: still reading, whatever the machine's load
DATA = (
    "innovations", "organisations", "assessors", "assessments", "scores",
    "innovation_organisations", "batch_journal",
)  # fmt: skip
DERIVED = ("score_summary", "criterion_summary", "innovation_text")
TABLES = (*DATA, *DERIVED)


def state(location: str) -> dict[str, list[tuple]]:
    """Every row of the tables an import writes (and of the derived ones), and the batches."""
    store = connect(location)
    try:
        found = {t: store.rows(f"SELECT * FROM {t} ORDER BY ALL") for t in TABLES}
        found["import_batches"] = store.rows(
            "SELECT id, file_name, status, counts FROM import_batches ORDER BY id"
        )
        return found
    finally:
        store.close()


def repaired(location: str) -> dict[str, list[tuple]]:
    """The state, after the staleness check's repair if the derived tables say they are stale
    (and only then: current tables must already be right)."""
    store = connect(location)
    try:
        if not derived.is_current(store):
            derived.rebuild(store)
    finally:
        store.close()
    return state(location)


def content(rows: dict[str, list[tuple]]) -> dict[str, object]:
    """What a re-import must reproduce whatever ids the killed run used up: counts, names and
    score values."""
    return {
        "counts": {t: len(r) for t, r in rows.items()},
        "names": sorted(r[2] for r in rows["innovations"]),
        "scores": sorted((r[1], r[2]) for r in rows["scores"]),
    }


def fresh_store(backend: str, request: pytest.FixtureRequest, path) -> str:
    if backend == "postgres":
        cluster = request.getfixturevalue("postgres")
        return cluster.new_database(request.getfixturevalue("pg_template"))
    shutil.copy(request.getfixturevalue("template_db"), path)
    return str(path)


def importing(file, location: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "sihub", "--lang", "en", "import", str(file), "--db", location],
        cwd=PROJECT_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def assessment(k: int) -> list:
    """Row ``k`` of a form export: date, innovation, organisation, assessor, scores, comment."""
    date, who = f"2025-03-0{1 + k % 9}", f"Arvioija {k % 13}"
    return [date, f"Kaatuva {k}", f"Yhdistys {k % 40}", who, 1, 1 + k % 5, 2, "Perustelu"]


def test_a_killed_import_leaves_the_store_before_or_after_it(backend, request, tmp_path):
    file = wide_export(tmp_path / "kaatuva.xlsx", [assessment(k) for k in range(1500)])
    reference = fresh_store(backend, request, tmp_path / "reference.duckdb")
    before = state(reference)
    started = time.monotonic()
    assert importing(file, reference).wait(180) == 0
    duration = time.monotonic() - started
    after = state(reference)
    assert len(after["scores"]) > len(before["scores"])
    landed = []
    for n, moment in enumerate(MOMENTS):
        location = fresh_store(backend, request, tmp_path / f"killed{n}.duckdb")
        process = importing(file, location)
        time.sleep(duration * moment)
        process.send_signal(signal.SIGKILL)
        process.wait(30)
        found = repaired(location)
        assert found in (before, after), f"half-written after a kill at {moment:.0%}"
        landed.append("after" if found == after else "before")
        again = importing(file, location)
        output, _ = again.communicate(timeout=180)
        assert again.returncode == 0, output
        assert content(state(location)) == content(after)
    assert "before" in landed, landed  # at least one kill came before the commit
