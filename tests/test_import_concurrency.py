"""Imports committed at once (two staff members, or one tab twice): one writer at a time, the
second waits and says so, and no database text ever reaches a person."""

from __future__ import annotations

import threading
from importlib import import_module
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pytest

from sihub import importing
from sihub.db import db_path
from sihub.importing import writer
from tests.apptools import keyed, run_app
from tests.builders import BY_STAFF
from tests.import_corpus import TODAY, wide_export

batches = import_module("sihub.importing.history")  # the package exports history() by that name
pytestmark = pytest.mark.both_stores  # one writer at a time, on every backend
RAW = ("Conflict on update", "TransactionContext", "Catalog Error", "IO Error", "no_such_table")


def form(tmp_path: Path, name: str, n: int, prefix: str) -> Path:
    rows = [
        [
            f"2025-03-0{1 + k % 9}",
            f"{prefix} {k}",
            f"Yhdistys {k % 7}",
            f"Arvioija {k % 13}",
            1,
            1 + k % 5,
            1 + (k + 1) % 5,
            "Perustelu",
        ]
        for k in range(n)
    ]
    return wide_export(tmp_path / name, rows)


def prepared(store, path: Path):
    parsed = importing.prepare(store, path, today=TODAY)
    return parsed.decide({m.id: importing.NEW for m in parsed.near})


def no_raw_text(error: Exception) -> None:
    for lang in ("fi", "sv", "en"):
        message = error.message(lang)
        assert message and "{" not in message
        assert not any(raw in message for raw in RAW), message


def test_two_imports_committed_at_once_both_land_whole(store, tmp_path):
    """Before: the larger failed after all its work with DuckDB's "Conflict on update!"."""
    files = {"big.xlsx": 3000, "small.xlsx": 50}
    parsed = {name: prepared(store, form(tmp_path, name, n, name[:3])) for name, n in files.items()}
    start = threading.Barrier(2)
    outcome: dict[str, object] = {}

    def commit(name: str) -> None:
        start.wait()
        try:
            outcome[name] = importing.commit(store, parsed[name], by=BY_STAFF).status
        except Exception as e:
            outcome[name] = e

    threads = [threading.Thread(target=commit, args=(name,)) for name in files]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert outcome == {name: importing.IMPORTED for name in files}
    batches = store.rows(
        "SELECT b.file_name, count(a.id) FROM import_batches b "
        "JOIN assessments a ON a.batch_id = b.id GROUP BY 1 ORDER BY 1"
    )
    assert batches == sorted(files.items())
    assert sorted(r[0] for r in store.rows("SELECT id FROM import_batches")) == [1, 2]


def test_a_commit_waits_its_turn_and_says_so(store, tmp_path):
    parsed = prepared(store, form(tmp_path, "a.xlsx", 20, "Malli"))
    waited = threading.Event()
    done: list[str] = []
    with writer.one_writer(store):  # another import is being written
        worker = threading.Thread(
            target=lambda: done.append(
                importing.commit(store, parsed, on_wait=waited.set, by=BY_STAFF).status
            )
        )
        worker.start()
        assert waited.wait(30)
        assert done == [] and store.scalar("SELECT count(*) FROM import_batches") == 0
    worker.join(60)
    assert done == [importing.IMPORTED]


def test_an_undo_waits_for_an_import(store, tmp_path):
    batch = importing.commit(
        store, prepared(store, form(tmp_path, "a.xlsx", 5, "Malli")), by=BY_STAFF
    ).batch_id
    waited = threading.Event()
    undone: list[int] = []
    with writer.one_writer(store):
        worker = threading.Thread(
            target=lambda: undone.append(
                batches.undo_batch(store, batch, on_wait=waited.set, by=BY_STAFF)
            )
        )
        worker.start()
        assert waited.wait(30) and undone == []
    worker.join(60)
    assert undone and store.scalar("SELECT status FROM import_batches") == "undone"


def _conflict() -> duckdb.TransactionException:
    return duckdb.TransactionException("TransactionContext Error: Conflict on update!")


def test_a_conflict_with_another_write_is_tried_again(store, tmp_path, monkeypatch):
    parsed = prepared(store, form(tmp_path, "a.xlsx", 5, "Malli"))
    real, calls = importing.write_batch, []

    def conflicting_once(*args):
        calls.append(1)
        if len(calls) == 1:
            raise _conflict()
        return real(*args)

    monkeypatch.setattr(importing, "write_batch", conflicting_once)
    assert importing.commit(store, parsed, by=BY_STAFF).status == importing.IMPORTED
    assert len(calls) == 2 and store.scalar("SELECT count(*) FROM import_batches") == 1


def test_a_lasting_conflict_is_a_translated_message(store, tmp_path, monkeypatch):
    parsed = prepared(store, form(tmp_path, "a.xlsx", 5, "Malli"))

    def conflicting(*args):
        raise _conflict()

    monkeypatch.setattr(importing, "write_batch", conflicting)
    with pytest.raises(importing.ImportConflictError) as caught:
        importing.commit(store, parsed, by=BY_STAFF)
    no_raw_text(caught.value)
    assert "at the same moment" in caught.value.message("en")


@pytest.mark.parametrize(
    "error",
    [duckdb.IOException("IO Error: No space left on device"), duckdb.CatalogException("x")],
)
def test_database_errors_in_undo_and_checking_are_translated(store, tmp_path, monkeypatch, error):
    path = form(tmp_path, "a.xlsx", 5, "Malli")
    batch = importing.commit(store, prepared(store, path), by=BY_STAFF).batch_id

    def failing(*args):
        raise error

    monkeypatch.setattr(batches, "_undo", failing)
    with pytest.raises(importing.ImportStoreError) as caught:
        importing.undo_batch(store, batch, by=BY_STAFF)
    no_raw_text(caught.value)
    monkeypatch.setattr(importing.Context, "load", failing)
    with pytest.raises(importing.ImportStoreError) as caught:
        importing.prepare(store, path, today=TODAY)
    no_raw_text(caught.value)


def test_the_import_page_shows_that_it_waits_for_another_import(demo_copy, monkeypatch, tmp_path):
    at = run_app(monkeypatch, demo_copy, "pages/import.py", today=TODAY.isoformat())
    data = form(tmp_path, "p.xlsx", 3, "Sivu").read_bytes()
    keyed(at.file_uploader, "import_upload_").upload(
        "pilotti.xlsx", data, "application/octet-stream"
    )
    at.run()
    holding, release = threading.Event(), threading.Event()
    store = SimpleNamespace(path=db_path(demo_copy))  # the page's store, as the lock knows it

    def other_import() -> None:
        with writer.one_writer(store):
            holding.set()
            release.wait(60)

    threading.Thread(target=other_import).start()
    assert holding.wait(10)
    threading.Timer(3, release.set).start()  # the other import finishes while the page waits
    at.button(key="import_preview_button").click().run(timeout=60)
    assert not at.exception
    assert "Waiting for another import to finish…" in [c.value for c in at.caption]
    assert {m.label: m.value for m in at.metric}["New assessments"] == "3"


def test_the_import_page_shows_a_store_failure_as_a_sentence(demo_copy, monkeypatch, tmp_path):
    at = run_app(monkeypatch, demo_copy, "pages/import.py", today=TODAY.isoformat())

    def failing(*args):
        raise duckdb.IOException("IO Error: Could not read from file")

    monkeypatch.setattr(importing.Context, "load", failing)
    data = form(tmp_path, "p.xlsx", 3, "Sivu").read_bytes()
    keyed(at.file_uploader, "import_upload_").upload(
        "pilotti.xlsx", data, "application/octet-stream"
    )
    at.run()
    assert not at.exception
    shown = "\n".join(e.value for e in at.error)
    assert "nothing was changed" in shown and not any(raw in shown for raw in RAW)
