"""Only staff change data, whoever calls the library: every write function takes the viewer and
refuses a funder or the public before it writes anything (not only the pages' navigation), and
records the staff member who made the change."""

from __future__ import annotations

import contextvars

import pytest

from sihub import importing
from sihub.access import Role, Viewer
from sihub.errors import NotAllowedError
from sihub.i18n import set_language
from sihub.importing.layout import Mapping
from sihub.importing.mappings import mapping_names, save_mapping
from sihub.panel import sessions
from tests.builders import staff_by
from tests.builders.panel import panel_session
from tests.builders.pipeline_hub import TODAY, build_workbook

ANNA = staff_by("anna@centre.fi")
PUBLIC = Viewer(Role.PUBLIC)
OTHERS = [Viewer(Role.FUNDER, identity="fanni@fund.fi"), PUBLIC]
TABLES = ("import_batches", "innovations", "assessments", "scores", "saved_mappings")


def state(store) -> tuple:
    """What a refused change must leave as it was: the data version and the rows written."""
    counts = tuple(store.scalar(f"SELECT count(*) FROM {table}") for table in TABLES)
    batches = store.rows("SELECT id, status, imported_by, undone_by FROM import_batches")
    return store.data_version(), counts, sorted(batches)


@pytest.mark.both_stores
@pytest.mark.parametrize("other", OTHERS, ids=lambda v: v.role)
def test_only_staff_import_a_file_and_the_import_records_who(store, tmp_path, other):
    book = build_workbook(tmp_path)
    before = state(store)
    for dry_run in (True, False):
        with pytest.raises(NotAllowedError):
            importing.import_file(store, book, today=TODAY, by=other, dry_run=dry_run)
    with pytest.raises(NotAllowedError):
        importing.commit(store, importing.prepare(store, book, today=TODAY), by=other)
    assert state(store) == before
    result = importing.import_file(store, book, today=TODAY, by=ANNA)
    assert result.ok
    assert importing.history(store).imported_by.tolist() == ["anna@centre.fi"]


@pytest.mark.both_stores
@pytest.mark.parametrize("other", OTHERS, ids=lambda v: v.role)
def test_only_staff_undo_an_import(store, tmp_path, other):
    batch = importing.import_file(store, build_workbook(tmp_path), today=TODAY, by=ANNA).batch_id
    before = state(store)
    with pytest.raises(NotAllowedError):
        importing.undo_batch(store, batch, by=other)
    assert state(store) == before  # still committed, every row still there
    assert importing.undo_batch(store, batch, by=staff_by("otto@centre.fi")) > 0
    undone = store.rows("SELECT status, undone_by FROM import_batches WHERE id = ?", [batch])
    assert undone == [("undone", "otto@centre.fi")]


@pytest.mark.parametrize("other", OTHERS, ids=lambda v: v.role)
def test_only_staff_save_a_mapping(store, other):
    mapping = Mapping(defaults={"pilot": "SOILA"})
    with pytest.raises(NotAllowedError):
        save_mapping(store, "SOILA", mapping, by=other)
    assert mapping_names(store) == []
    assert save_mapping(store, "SOILA", mapping, by=ANNA) == "SOILA"
    assert store.rows("SELECT saved_by FROM saved_mappings") == [("anna@centre.fi",)]


def _panel_state(store, session_id: int) -> tuple:
    session = sessions.load_session(store, session_id)
    shared = store.rows(
        "SELECT innovation_id, shared FROM assessments WHERE panel_session_id = ?", [session_id]
    )
    return session, sorted(shared), store.scalar("SELECT count(*) FROM panel_sessions")


@pytest.mark.both_stores
@pytest.mark.parametrize("other", OTHERS, ids=lambda v: v.role)
def test_only_staff_run_a_funder_panel(store, other):
    session_id = panel_session(store)
    sessions.next_pitch(store, session_id, by=ANNA)  # pitch 1 open, pitch 2 waiting
    innovation = store.scalar("SELECT min(id) FROM innovations")
    before = _panel_state(store, session_id)
    changes = {
        "create": lambda by: sessions.create_session(store, "Day 2", TODAY, "panel", by=by),
        "share": lambda by: sessions.set_shared(store, session_id, True, by=by),
        "add": lambda by: sessions.add_pitch(store, session_id, innovation, by=by),
        "add new": lambda by: sessions.add_new_pitch(store, session_id, "P", "Org", by=by),
        "next": lambda by: sessions.next_pitch(store, session_id, by=by),
        "close": lambda by: sessions.close_pitch(store, session_id, 1, by=by),
        "reveal": lambda by: sessions.reveal_pitch(store, session_id, 1, by=by),
        "reopen": lambda by: sessions.reopen_pitch(store, session_id, 1, by=by),
    }
    for name, change in changes.items():
        with pytest.raises(NotAllowedError):
            change(other)
        assert _panel_state(store, session_id) == before, name
    sessions.reveal_pitch(store, session_id, 1, by=ANNA)
    assert sessions.load_session(store, session_id).pitch(1).state == sessions.REVEALED


def test_the_refusal_says_who_may_and_that_nothing_changed(store, tmp_path):
    def refusal(lang: str, change) -> str:
        set_language(lang)
        with pytest.raises(NotAllowedError) as caught:
            change()
        return caught.value.message()

    book = build_workbook(tmp_path)

    def funder_imports():
        importing.import_file(store, book, by=OTHERS[0])

    def public_runs_a_panel():
        sessions.create_session(store, "Day", TODAY, "panel", by=PUBLIC)

    # in a context of their own: the language set here stays here
    finnish = contextvars.copy_context().run(refusal, "fi", funder_imports)
    english = contextvars.copy_context().run(refusal, "en", public_runs_a_panel)
    assert finnish == (
        "Vain osaamiskeskuksen henkilöstö voi tuoda tiedostoja, perua tuonteja tai tallentaa "
        "sarakevastaavuuksia. Käytät palvelua roolissa rahoittaja; mitään ei muutettu."
    )
    assert english == (
        "Only the centre's staff can run funder panels. You are using the hub as public; "
        "nothing was changed."
    )
