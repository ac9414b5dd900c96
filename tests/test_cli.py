"""The command line, run as a user runs it: exit codes and messages, never a traceback."""

import subprocess
import sys
from pathlib import Path

from sihub import PROJECT_DIR
from sihub.db import connect
from tests.builders import write_workbook


def sihub(*args: str, env_db: Path | None = None) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "SIHUB_LANG": "en", "PYTHONPATH": str(PROJECT_DIR)}
    if env_db:
        env["SIHUB_DB"] = str(env_db)
    return subprocess.run(
        [sys.executable, "-m", "sihub", *args],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_demo_builds_a_store_and_refuses_to_overwrite_without_replace(tmp_path):
    db = tmp_path / "demo.duckdb"
    built = sihub("demo", "--db", str(db), "--date", "2026-06-01")
    assert built.returncode == 0, built.stderr
    assert "80 innovations" in built.stdout
    again = sihub("demo", env_db=db)  # SIHUB_DB chooses the store too
    assert again.returncode == 2 and "--replace" in again.stderr
    assert "Traceback" not in again.stderr


def test_import_exit_codes(tmp_path):
    db = tmp_path / "s.duckdb"
    good = write_workbook(tmp_path / "good.xlsx", {"Innovations": [["name"], ["Kielikaveri"]]})
    bad = write_workbook(
        tmp_path / "bad.xlsx", {"Innovations": [["name", "stage"], ["X", "no such stage"]]}
    )
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"\x00\x01 not a workbook")

    dry = sihub("import", str(good), "--dry-run", "--db", str(db))
    assert dry.returncode == 0 and "Dry run" in dry.stdout
    blocked = sihub("import", str(bad), "--db", str(db))
    assert blocked.returncode == 1 and "Innovations!B2" in blocked.stdout
    unreadable = sihub("import", str(junk), "--db", str(db))
    assert unreadable.returncode == 2 and "Traceback" not in unreadable.stderr
    assert connect(str(db)).scalar("SELECT count(*) FROM innovations") == 0

    done = sihub("import", str(good), "--db", str(db))
    assert done.returncode == 0 and "as batch" in done.stdout
    batch = done.stdout.split("as batch ")[1].split(".")[0]
    assert sihub("imports", "--db", str(db)).stdout.count("good.xlsx") == 1
    undone = sihub("undo", batch, "--db", str(db))
    assert undone.returncode == 0
    assert connect(str(db)).scalar("SELECT count(*) FROM innovations") == 0


def test_misuse_exits_with_2():
    assert sihub("no-such-command").returncode == 2  # `import` alone: tests/test_import_cli.py
