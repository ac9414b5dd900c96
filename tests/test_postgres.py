"""A PostgreSQL store: the same migrations (adapted in one place), the same commands and every
page, on a real PostgreSQL server (``tests/pg.py``)."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import openpyxl
import pytest

from sihub import PROJECT_DIR
from sihub.access import Visibility
from sihub.compare.export import comparison_workbook
from sihub.compare.queries import comparison_of
from sihub.compare.selection import Selection
from sihub.db import connect, migrations
from sihub.db.locations import redacted
from sihub.db.postgres import is_native_ddl, postgres_ddl
from sihub.errors import StoreAddressError, StoreError
from sihub.funding.status import now_in_finland
from sihub.navigation import PAGES
from tests.apptools import run_app, title
from tests.import_corpus import wide_export

ROWS = [["2025-03-01", "Olohuone", "Kylätalo ry", "Anna Virtanen", 1, 4, 3, "Uutta"]]


@pytest.mark.parametrize(
    ("duckdb_ddl", "postgres"),
    [
        (
            "CREATE TABLE t (x DOUBLE, y VARCHAR[])",
            "CREATE TABLE t (x DOUBLE PRECISION, y VARCHAR[])",
        ),
        ("CREATE TABLE t (x DOUBLE PRECISION)", "CREATE TABLE t (x DOUBLE PRECISION)"),
        ("CREATE SEQUENCE s START 1", "CREATE SEQUENCE s START 1"),
        ("ALTER TABLE t ADD COLUMN b BLOB", "ALTER TABLE t ADD COLUMN b BYTEA"),
        ("CREATE OR REPLACE TABLE t (n TINYINT)", "CREATE TABLE t (n SMALLINT)"),
    ],
)
def test_duckdb_ddl_is_said_the_postgresql_way(duckdb_ddl, postgres):
    assert is_native_ddl(duckdb_ddl)
    assert postgres_ddl(duckdb_ddl) == postgres


@pytest.mark.parametrize(
    "sql", ["INSERT INTO t SELECT 1", "CREATE TABLE t AS SELECT 1 AS x", "UPDATE t SET x = 1"]
)
def test_queries_and_tables_made_from_queries_stay_with_duckdb(sql):
    assert not is_native_ddl(sql)


def test_a_fresh_database_gets_every_migration_once(postgres):
    url = postgres.new_database()
    store = connect(url)
    try:
        assert migrations.applied_migrations(store) == [m.name for m in migrations.MIGRATIONS]
        version = store.data_version()
    finally:
        store.close()
    again = connect(url)  # opening an up-to-date store writes nothing
    try:
        assert again.data_version() == version
        assert migrations.migrate(again) == []
        # the migrations' types arrive as PostgreSQL's own
        assert (
            postgres.sql(
                "SELECT data_type FROM information_schema.columns "
                "WHERE table_name = 'scores' AND column_name = 'normalised'",
                url.rsplit("/", 1)[1],
            ).strip()
            == "double precision"
        )
    finally:
        again.close()


def test_a_failed_migration_leaves_no_trace_in_postgresql(postgres, monkeypatch):
    url = postgres.new_database()

    def half_done(cur):
        cur.execute("CREATE TABLE half_done (x INTEGER)")
        cur.execute("INSERT INTO half_done VALUES (1)")
        raise RuntimeError("the migration fails half-way")

    monkeypatch.setattr(migrations, "MIGRATIONS", [migrations.Migration("m900_half", half_done)])
    with pytest.raises(RuntimeError):
        connect(url)
    database = url.rsplit("/", 1)[1]
    assert postgres.sql("SELECT to_regclass('half_done') IS NULL", database).strip() == "t"
    assert postgres.sql("SELECT count(*) FROM _migrations", database).strip() == "0"


def test_an_unreachable_server_is_a_store_error_without_the_password(postgres):
    url = f"postgresql://postgres:secret@127.0.0.1:{postgres.port + 1}/nothing"
    with pytest.raises(StoreError) as caught:
        connect(url)
    assert "secret" not in caught.value.message("en")
    assert redacted(url) == f"postgresql://postgres@127.0.0.1:{postgres.port + 1}/nothing"


def sihub(*args: str) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "-m", "sihub", "--lang", "en", *args],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert "Traceback" not in done.stdout + done.stderr, done.stdout + done.stderr
    return done


def test_every_command_works_on_postgresql(postgres, tmp_path):
    url = postgres.new_database()
    built = sihub("demo", "--db", url, "--date", "2026-03-01")
    assert built.returncode == 0 and "80 innovations" in built.stdout, built.stderr
    assert sihub("demo", "--db", url).returncode == 2  # no silent overwrite
    path = wide_export(tmp_path / "pilotti.xlsx", ROWS)
    done = sihub("import", str(path), "--db", url, "--near-matches", "new")
    assert done.returncode == 0, done.stdout + done.stderr
    listed = sihub("imports", "--db", url)
    assert "pilotti.xlsx" in listed.stdout
    batch = max(int(line.split()[0]) for line in listed.stdout.splitlines()[1:])
    assert sihub("undo", str(batch), "--db", url).returncode == 0
    assert "undone" in sihub("imports", "--db", url).stdout
    assert sihub("template", str(tmp_path / "t.xlsx"), "--db", url).returncode == 0
    assert sihub("reload", "--db", url).returncode == 0


def test_copy_moves_a_store_both_ways_checked_by_row_counts(postgres, demo_db, tmp_path):
    url = postgres.new_database()
    there = sihub("copy", "--from", str(demo_db), "--to", url)
    assert there.returncode == 0 and "row count checked" in there.stdout, there.stderr
    assert sihub("copy", "--from", str(demo_db), "--to", url).returncode == 2  # has data now
    back = tmp_path / "back.duckdb"
    assert sihub("copy", "--from", url, "--to", str(back)).returncode == 0
    original, copied = connect(str(demo_db)), connect(str(back))
    try:
        for table in ("innovations", "scores", "batch_journal", "score_summary", "store_meta"):
            query = f"SELECT * FROM {table} ORDER BY ALL"
            if table == "store_meta":
                query = "SELECT * FROM store_meta WHERE key <> 'data_version' ORDER BY ALL"
            assert copied.rows(query) == original.rows(query), table
        last_organisation = original.scalar("SELECT max(id) FROM organisations")
    finally:
        original.close()
        copied.close()
    # new rows in the copy take new ids
    store = connect(url)
    try:
        with store.transaction() as cur:
            cur.execute("INSERT INTO organisations (name, name_key) VALUES ('Uusi', 'uusi')")
        assert store.scalar("SELECT max(id) FROM organisations") == last_organisation + 1
    finally:
        store.close()


@pytest.mark.parametrize("page", [p.script for p in PAGES])
def test_every_page_runs_on_postgresql(monkeypatch, pg_demo_url, page):
    params = {"id": "1"} if page == "pages/innovation.py" else {}
    at = run_app(monkeypatch, pg_demo_url, page, timeout=120, **params)
    assert not at.exception, [e.value for e in at.exception]
    assert title(at)


@pytest.mark.parametrize("typo", ["postgresql:/sihub@dbhost/sihub", "mysql://dbhost/sihub"])
def test_a_mistyped_store_address_is_refused_not_made_a_new_file(typo, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(StoreAddressError) as raised:
        connect(typo)
    assert "postgresql://user@host/database (two slashes)" in raised.value.message("en")
    assert list(tmp_path.iterdir()) == []  # no DuckDB file in folders named after the typo
    cli = [sys.executable, "-m", "sihub", "--lang", "en", "imports", "--db", typo]
    done = subprocess.run(cli, env={**os.environ, "PYTHONPATH": str(PROJECT_DIR)},
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode != 0 and "two slashes" in done.stdout + done.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_comparison_workbook_names_the_store_without_its_password(pg_demo_url):
    url = pg_demo_url.replace("postgresql://postgres@", "postgresql://postgres:s3cret-pw@")
    store = connect(url)
    try:
        ids = tuple(r[0] for r in store.rows(
            "SELECT DISTINCT innovation_id FROM assessments ORDER BY 1 LIMIT 3"))  # fmt: skip
        compared = comparison_of(store, Visibility.SHARED, Selection(ids=ids), "en")
        made = comparison_workbook(store, compared, "mean", "dimension", "en", now_in_finland())
    finally:
        store.close()
    book = openpyxl.load_workbook(io.BytesIO(made))
    cells = [str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row]
    assert not any("s3cret" in cell for cell in cells)  # a funder's copy, sent on by e-mail
    assert redacted(url) in cells  # which store, as pages and messages name it
