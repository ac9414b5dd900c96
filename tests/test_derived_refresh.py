"""An import and its undo rebuild the derived rows of the innovations they touched only; the
result is the whole rebuild's, row for row, on both stores."""

from __future__ import annotations

import pytest

from sihub import importing
from sihub.db import derived
from tests.builders import BY_STAFF
from tests.import_corpus import TODAY, wide_export

pytestmark = pytest.mark.both_stores


def derived_rows(store) -> dict[str, list[tuple]]:
    """Every derived row, read from the store itself (a PostgreSQL process's copy follows a
    rebuild that moves no data version only later); sums of floats to 9 places, since the
    order of adding them differs."""
    tables = [*derived.PER_INNOVATION, "term_weights"]
    return {
        t: [
            tuple(round(v, 9) if isinstance(v, float) else v for v in row)
            for row in store.current_rows(f"SELECT * FROM {t} ORDER BY ALL")
        ]
        for t in tables
    }


def same_as_a_whole_rebuild(store) -> None:
    refreshed = derived_rows(store)
    with store.transaction(bump_version=False) as cur:
        derived.rebuild_in(cur)
    assert derived_rows(store) == refreshed
    assert derived.is_current(store)


def commit(store, path):
    parsed = importing.prepare(store, path, today=TODAY)
    return importing.commit(
        store, parsed.decide({m.id: importing.NEW for m in parsed.near}), by=BY_STAFF
    )


def test_an_import_and_its_undo_refresh_only_what_they_touched(demo_store, tmp_path, monkeypatch):
    rows = [
        ["2025-03-01", "Olohuone", "Kylätalo ry", "Anna Virtanen", 1, 4, 3, "Uutta"],
        ["2025-03-02", "Digitalkkari", "Kirjasto", "Mikko Korhonen", 1, 2, "3,5", None],
    ]
    whole = []
    monkeypatch.setattr(derived, "rebuild_in", lambda cur: whole.append(1))
    result = commit(demo_store, wide_export(tmp_path / "a.xlsx", rows))
    assert result.status == importing.IMPORTED and whole == []  # no whole rebuild
    monkeypatch.undo()
    same_as_a_whole_rebuild(demo_store)
    importing.undo_batch(demo_store, result.batch_id, by=BY_STAFF)
    same_as_a_whole_rebuild(demo_store)


def same_as_computed_for_each_visibility(store, monkeypatch) -> None:
    """The rows as built equal those computed for every visibility on its own (no copying)."""
    built = derived_rows(store)
    monkeypatch.setattr(derived, "_sees_every_assessment", lambda *args: False)
    with store.transaction(bump_version=False) as cur:
        derived.rebuild_in(cur)
    monkeypatch.undo()
    assert derived_rows(store) == built


def test_funders_see_what_staff_see_where_every_assessment_is_shared(store, tmp_path, monkeypatch):
    # a store whose assessments are all shared: funders' summaries are copied from staff's
    rows = [["2025-03-01", "Olohuone", "Kylätalo ry", "Anna Virtanen", 1, 4, 3, "Uutta"]]
    commit(store, wide_export(tmp_path / "a.xlsx", rows))
    summaries = "SELECT visibility, count(*) FROM score_summary GROUP BY ALL ORDER BY 1"
    assert dict(store.rows(summaries))["shared"] == dict(store.rows(summaries))["all"] > 0
    same_as_computed_for_each_visibility(store, monkeypatch)
    # made internal: funders' summaries no longer rest on it
    with store.transaction() as cur:  # a change of data: the other processes' copies follow
        cur.execute("UPDATE assessments SET shared = FALSE")
        derived.rebuild_in(cur)
    assert "shared" not in dict(store.rows(summaries))
    same_as_computed_for_each_visibility(store, monkeypatch)


def test_a_refresh_copies_only_where_nothing_is_hidden(demo_store, tmp_path, monkeypatch):
    rows = [["2025-03-01", "Olohuone", "Kylätalo ry", "Anna Virtanen", 1, 4, 3, "Uutta"]]
    commit(demo_store, wide_export(tmp_path / "a.xlsx", rows))
    same_as_computed_for_each_visibility(demo_store, monkeypatch)


def test_an_import_into_a_stale_store_leaves_it_for_the_staleness_check(demo_store, tmp_path):
    # data written without its derived rows (killed between an import's two transactions)
    with demo_store.transaction() as cur:
        cur.execute("UPDATE innovations SET name = 'Vanhentunut' WHERE id = 1")
    rows = [["2025-03-01", "Olohuone", "Kylätalo ry", "Anna Virtanen", 1, 4, 3, "Uutta"]]
    commit(demo_store, wide_export(tmp_path / "a.xlsx", rows))
    # refreshing only the imported innovation would have marked innovation 1's old rows current
    assert not derived.is_current(demo_store)
    derived.rebuild(demo_store)
    assert derived.is_current(demo_store)
    renamed = "SELECT count(*) FROM innovation_text WHERE name_folded = 'vanhentunut'"
    assert demo_store.scalar(renamed) == 1
