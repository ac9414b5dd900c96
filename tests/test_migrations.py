"""Migrations: a fresh store gets every one, an older store is upgraded, a newer one refused."""

from pathlib import Path

import pytest

from sihub.db import connect
from sihub.db.migrations import MIGRATIONS, applied_migrations, migrate
from sihub.db.store import Store
from sihub.errors import StoreTooNewError


def test_fresh_store_applies_every_migration_once_in_order(tmp_path: Path):
    store = connect(str(tmp_path / "fresh.duckdb"))
    assert applied_migrations(store) == [m.name for m in MIGRATIONS]
    assert migrate(store) == []  # nothing left to do on the second open
    for table in (
        "innovations",
        "assessments",
        "scores",
        "funding_opportunities",
        "import_batches",
        "batch_journal",
        "stage_history",
    ):
        assert store.has_table(table), table


def test_older_store_is_upgraded_and_keeps_its_data(tmp_path: Path):
    path = str(tmp_path / "old.duckdb")
    old = Store.open(path)
    migrate(old, upto="m002_innovations_and_assessments")
    before = old.data_version()
    with old.transaction() as cur:
        cur.execute(
            "INSERT INTO innovations (name, name_key) VALUES ('Kielikaveri', 'kielikaveri')"
        )
    assert not old.has_table("funding_opportunities")
    assert old.data_version() == before + 1  # metadata exists before the first migration
    old.close()

    upgraded = connect(path)
    assert applied_migrations(upgraded) == [m.name for m in MIGRATIONS]
    assert upgraded.has_table("funding_opportunities")
    assert upgraded.scalar("SELECT name FROM innovations") == "Kielikaveri"


def test_store_written_by_a_newer_version_is_refused_with_a_clear_message(tmp_path: Path):
    path = str(tmp_path / "new.duckdb")
    store = connect(path)
    with store.transaction() as cur:
        cur.execute("INSERT INTO _migrations (name, applied_order) VALUES ('m999_future', 999)")
    store.close()
    with pytest.raises(StoreTooNewError) as raised:
        connect(path)
    message = raised.value.message("en")
    assert "newer version" in message and "m999_future" in message


def test_failed_migration_leaves_no_trace(tmp_path: Path, monkeypatch):
    from sihub.db import migrations

    def broken(cur):
        cur.execute("CREATE TABLE half_done (x INTEGER)")
        raise RuntimeError("boom")

    monkeypatch.setattr(
        migrations, "MIGRATIONS", [*MIGRATIONS, migrations.Migration("m998", broken)]
    )
    path = str(tmp_path / "s.duckdb")
    with pytest.raises(RuntimeError):
        connect(path)
    store = Store.open(path)
    assert not store.has_table("half_done")
    assert "m998" not in applied_migrations(store)
