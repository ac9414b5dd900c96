"""The Import page in AppTest: upload, mapping change, near matches, dry run, commit, undo."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sihub import PROJECT_DIR, importing
from sihub.db import connect
from sihub.importing.layout import Mapping
from sihub.importing.template import write_template
from sihub.ui.importing import editor_key, near_key
from tests.apptools import STAFF_USER, access_file, keyed, run_app, table, title
from tests.import_corpus import TODAY, quirks_workbook, renamed_png, wide_export

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROWS = [["2025-03-01", "Olohuone", "Kylätalo ry", "Anna Virtanen", 1, 4, 3, "Uutta"]]


PAGE = PROJECT_DIR / "pages" / "import.py"


@pytest.fixture
def app(demo_copy: Path, monkeypatch, tmp_path) -> AppTest:
    """The Import page as a signed-in member of staff (``STAFF_USER``)."""
    access_file(tmp_path, monkeypatch)
    at = run_app(
        monkeypatch, demo_copy, "pages/import.py", today=TODAY.isoformat(), user=STAFF_USER
    )
    assert not at.exception
    return at


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    keyed(at.file_uploader, "import_upload_").upload(name, data, XLSX)
    at.run()
    assert not at.exception, at.exception
    return at


def texts(elements) -> str:
    return "\n".join(e.value for e in elements)


def test_empty_page_says_what_to_do_and_offers_the_template(app):
    assert title(app) == "Import assessment results"
    assert "Upload a file to begin" in texts(app.info)
    assert [b.label for b in app.get("download_button")] == ["Download the hub template"]
    assert "demo-catalogue.xlsx" in table(app, "file_name")["file_name"].tolist()


def test_the_uploader_states_its_limit_and_types_once(app):
    """In the uploader's help, not again beside it (the drop zone says them in Streamlit's own
    English, which the app cannot translate)."""
    uploader = keyed(app.file_uploader, "import_upload_")
    assert "Up to 50 MB" in uploader.help and ".ods" in uploader.help
    assert not [c.value for c in app.caption if "MB" in c.value or ".ods" in c.value]


def test_unreadable_upload_shows_a_message_not_a_traceback(app):
    upload(app, "kuva.xlsx", renamed_png())
    assert "is not a spreadsheet" in texts(app.error)


def test_an_unreadable_file_is_not_asked_for_again(app):
    """The prompt to upload a file is for an empty uploader: with a text file renamed .xlsx
    attached, the page says only why it cannot be read (and still offers the template)."""
    upload(app, "broken.xlsx", b"this is just text, not a spreadsheet\n" * 5)
    assert "is not a spreadsheet, although its name says so (.xlsx)" in texts(app.error).replace(
        "\\", ""
    )
    assert "Upload a file to begin" not in texts(app.info)
    assert [b.label for b in app.get("download_button")] == ["Download the hub template"]


def test_upload_report_and_a_mapping_change(app, tmp_path):
    data = quirks_workbook(tmp_path / "q.xlsx").read_bytes()
    upload(app, "quirks.xlsx", data)
    assert "Detected layout: **a form export**" in texts(app.markdown)
    assert "cannot be imported yet" in texts(app.error)
    report = table(app, "location", "code")  # the validation report
    assert ("Vastaukset!G6", "score_out_of_range") in set(
        zip(report["location"], report["code"], strict=True)
    )
    assert ("Vastaukset!M2", "unknown_criterion_column") in set(
        zip(report["location"], report["code"], strict=True)
    )
    assert app.button(key="import_preview_button").disabled
    book = importing.read(data, "quirks.xlsx")
    key = editor_key(book, Mapping(), "Vastaukset", "Form")
    editor = next(e for e in app.data_editor if e.key == key)
    row = editor.value["column"].tolist().index("M")
    app.session_state[key] = {
        "edited_rows": {row: {"target": "criterion:si_tool.sustainability"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.run()
    assert not app.exception
    report = table(app, "location", "code")
    assert "Vastaukset!M2" not in report["location"].tolist()


def test_dry_run_commit_and_undo(app, tmp_path, demo_copy):
    store = connect(str(demo_copy))
    batch = store.scalar("SELECT max(id) FROM import_batches") + 1  # after the demo's batches
    store.close()
    upload(app, "pilotti.xlsx", wide_export(tmp_path / "p.xlsx", ROWS).read_bytes())
    app.button(key="import_preview_button").click().run()
    assert not app.exception
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["New assessments"] == "1" and metrics["Scores"] == "2"
    app.button(key="import_commit").click().run()
    assert not app.exception
    assert f"Imported pilotti.xlsx as batch {batch}" in texts(app.success).replace("\\", "")
    store = connect(str(demo_copy))
    try:
        assert store.rows(
            "SELECT imported_by, status FROM import_batches WHERE id = ?", [batch]
        ) == [("anna@thl.example", "committed")]  # the signed-in identity, not a typed name
    finally:
        store.close()
    # the undo box offers the batch just committed, not an older one
    assert app.selectbox(key="import_undo_batch").value == batch
    app.button(key="import_undo").click().run()
    assert not app.exception
    # nothing is undone before a yes; the question names the file, the time and the counts
    question = texts(app.warning).replace("\\", "")
    # on the app's day (SIHUB_TODAY), not the server's
    assert f"Undo batch {batch}: pilotti.xlsx, imported {TODAY.isoformat()} " in question
    assert "- New assessments: 1\n" in question and "- Scores: 2" in question
    assert committed(demo_copy, batch)
    app.button(key="import_undo_cancel").click().run()
    assert not app.warning and committed(demo_copy, batch)  # "don't undo" undoes nothing
    app.button(key="import_undo").click().run()
    app.button(key="import_undo_confirm").click().run()
    assert not app.exception
    assert f"Batch {batch} undone" in texts(app.success)
    store = connect(str(demo_copy))
    try:
        assert store.rows("SELECT status, undone_by FROM import_batches WHERE id = ?", [batch]) == [
            ("undone", "anna@thl.example")
        ]
        assert store.scalar("SELECT count(*) FROM innovations WHERE name = 'Olohuone'") == 0
    finally:
        store.close()


def committed(db: Path, batch: int) -> bool:
    store = connect(str(db))
    try:
        return (
            store.scalar("SELECT status FROM import_batches WHERE id = ?", [batch]) == "committed"
        )
    finally:
        store.close()


def test_history_and_undo_question_tell_a_stored_time_in_finnish_time(demo_copy, monkeypatch):
    """23:39 UTC on 4 December, as the database stamped it, was 01:39 on the 5th in Helsinki."""
    store = connect(str(demo_copy))
    try:
        batch = store.scalar("SELECT max(id) FROM import_batches")
        with store.transaction() as cur:
            cur.execute(
                "UPDATE import_batches SET imported_at = ? WHERE id = ?",
                [datetime(2026, 12, 4, 23, 39, 5), batch],
            )
    finally:
        store.close()
    at = run_app(monkeypatch, demo_copy, "pages/import.py", lang="fi")
    history = table(at, "imported_at", "file_name")
    assert history["imported_at"].iloc[0] == datetime(2026, 12, 5, 1, 39, 5)
    at.button(key="import_undo").click().run()
    assert not at.exception
    assert "tuotu 5.12.2026 klo 1.39" in texts(at.warning).replace("\\", "")


def test_near_matches_are_answered_on_the_page(app, tmp_path):
    typo = [
        [
            "2025-03-01",
            "Perheiden iltaapu",
            "Kylätalo ry",
            "Anna Virtanen",
            1,
            4,
            3,
            None,
        ]
    ]
    data = wide_export(tmp_path / "n.xlsx", typo).read_bytes()
    upload(app, "near.xlsx", data)
    assert "looks like a record the hub already has" in texts(app.info)
    assert app.button(key="import_preview_button").disabled
    parsed = app.session_state["import_parsed"][1]
    key = near_key(parsed.workbook, parsed)
    rows = {m.kind: i for i, m in enumerate(parsed.near)}
    app.session_state[key] = {
        "edited_rows": {rows["innovation"]: {"answer": "same"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.run()
    assert not app.exception
    assert not app.button(key="import_preview_button").disabled


def test_markdown_in_a_file_name_is_shown_as_text(app, tmp_path):
    upload(app, "**lihava** <b>x</b>.xlsx", wide_export(tmp_path / "p.xlsx", ROWS).read_bytes())
    app.button(key="import_preview_button").click().run()
    app.button(key="import_commit").click().run()
    message = texts(app.success)
    assert r"\*\*lihava\*\* \<b\>x\</b\>" in message


@pytest.mark.parametrize(
    ("lang", "heading", "steps"),
    [
        ("fi", "Tuo arviointituloksia", ["2. Kysymykset", "3. Tarkistus"]),
        ("sv", "Importera bedömningsresultat", ["2. Frågor", "3. Kontroll"]),
    ],
)
def test_page_in_finnish_and_swedish(demo_copy, monkeypatch, tmp_path, lang, heading, steps):
    at = run_app(monkeypatch, demo_copy, "pages/import.py", lang=lang, today=TODAY.isoformat())
    assert not at.exception and title(at) == heading
    upload(at, "q.xlsx", quirks_workbook(tmp_path / "q.xlsx").read_bytes())
    # the quirks' "11. Kustannustehokkuus (1–5)" names no criterion: a question
    assert set(steps) <= {h.value for h in at.subheader}
    assert "Vastaukset!G6" in table(at, "location", "code")["location"].tolist()


def test_the_page_is_in_the_navigation_of_the_frame(demo_copy, monkeypatch):
    monkeypatch.setenv("SIHUB_DB", str(demo_copy))
    at = AppTest.from_file(str(PROJECT_DIR / "app.py"), default_timeout=60)
    at.run()
    # With st.navigation, switch_page accepts only a script the frame registered as a page.
    at.switch_page(str(PAGE.relative_to(PROJECT_DIR))).run()
    assert not at.exception and title(at) == "Tuo arviointituloksia"  # the default language


def test_a_mapping_is_saved_under_a_name_for_the_next_file(app, tmp_path, demo_copy):
    upload(app, "SOILA.xlsx", wide_export(tmp_path / "p.xlsx", ROWS).read_bytes())
    name_box = next(w for w in app.text_input if w.key and w.key.startswith("import_save_name"))
    name_box.input("SOILA-pilotti").run()
    next(b for b in app.button if b.key and b.key.startswith("import_save_")).click().run()
    assert not app.exception
    assert "Mapping “SOILA-pilotti” saved" in texts(app.success).replace("\\", "")
    store = connect(str(demo_copy))
    try:
        assert store.rows("SELECT name, layout FROM saved_mappings") == [("SOILA-pilotti", "wide")]
    finally:
        store.close()


def test_a_column_without_a_header_is_shown_and_can_be_mapped(app, tmp_path):
    from tests.import_corpus import write_book

    header = ["Innovation name", None, "Q2 Novelty (1-5)"]
    rows = [header, ["Olohuone", "anna@example.fi", 4], ["Kotiapu", "mikko@example.fi", 3]]
    data = write_book(tmp_path / "n.xlsx", {"Vastaukset": rows}).read_bytes()
    upload(app, "nimettomat.xlsx", data)
    report = table(app, "location", "code")
    assert ("Vastaukset!B1", "unnamed_column") in set(
        zip(report["location"], report["code"], strict=True)
    )
    book = importing.read(data, "nimettomat.xlsx")
    key = editor_key(book, Mapping(), "Vastaukset", "Form")
    editor = next(e for e in app.data_editor if e.key == key)
    row = editor.value["column"].tolist().index("B")
    assert editor.value["header"][row] == "(no header)"
    assert "anna@example.fi" in editor.value["samples"][row]
    app.session_state[key] = {
        "edited_rows": {row: {"target": "field:assessor_email"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.run()
    assert not app.exception
    assert "Vastaukset!B1" not in table(app, "location", "code")["location"].tolist()
    assert app.session_state["import_parsed"][1].assessments.a["assessor"] == [
        "anna@example.fi",
        "mikko@example.fi",
    ]


def problem_report(at: AppTest) -> list:
    """The table of problems found, if the page shows one (known by its columns)."""
    return [d for d in at.dataframe if {"location", "code"} <= set(d.value.columns)]


def test_a_header_only_file_says_there_is_nothing_to_import(app, tmp_path):
    upload(app, "otsikot.xlsx", wide_export(tmp_path / "h.xlsx", []).read_bytes())
    note = texts(app.info).replace("\\", "")
    assert "The file has no rows of data yet" in note
    assert "- **Form responses 1**: form export, one row per assessment" in note
    assert not app.error and not problem_report(app)  # nothing to fix in the file
    assert app.button(key="import_preview_button").disabled


@pytest.mark.parametrize(
    ("lang", "note", "sheet", "assessments"),
    [
        (
            "en",
            "The file has no rows of data yet, so there is nothing to import.",
            "- **Organisations**: organisations that develop, run or fund innovations",
            "- **Assessments**: one row per assessment",
        ),
        (
            "fi",
            "Tiedostossa ei ole vielä yhtään tietoriviä, joten tuotavaa ei ole.",
            "- **Organisaatiot**: organisaatiot, jotka kehittävät",
            "- **Arvioinnit**: yksi rivi kutakin arviointia kohden",
        ),
    ],
)
def test_the_hub_template_as_downloaded_says_which_sheets_to_fill_in(
    demo_copy, monkeypatch, tmp_path, lang, note, sheet, assessments
):
    """The hub's own template uploaded unchanged is not a file with errors: the page says it
    has no rows yet and what each sheet is for, as the template's instructions do."""
    access_file(tmp_path, monkeypatch)
    at = run_app(
        monkeypatch,
        demo_copy,
        "pages/import.py",
        lang=lang,
        today=TODAY.isoformat(),
        user=STAFF_USER,
    )
    store = connect(str(demo_copy))
    try:
        data = write_template(store, lang=lang)
    finally:
        store.close()
    upload(at, "si-hub-template.xlsx", data)
    shown = texts(at.info).replace("\\", "")
    assert note in shown and sheet in shown and assessments in shown
    assert not at.error and not problem_report(at)
    assert not at.get("download_button")  # no copy of the file with problems marked
    assert at.button(key="import_preview_button").disabled
    assert not [c.value for c in at.caption if "Fix the errors" in c.value]


def test_names_of_excels_maximum_length_are_reported_and_the_page_keeps_serving(app, tmp_path):
    from bench.import_limits import build

    upload(app, "pitkat.xlsx", build("names_32767", out=tmp_path).read_bytes())
    report = table(app, "location", "code")
    located = report[report["code"] == "value_too_long"]["location"].tolist()
    assert located == [f"Vastaukset!B{row}" for row in range(2, 10)]
    assert app.button(key="import_preview_button").disabled
    upload(app, "pilotti.xlsx", wide_export(tmp_path / "p.xlsx", ROWS).read_bytes())
    app.button(key="import_preview_button").click().run()
    assert not app.exception
    assert {m.label: m.value for m in app.metric}["New assessments"] == "1"


def test_a_value_is_answered_on_the_page_and_remembered_for_the_pilots_next_file(
    app, tmp_path, demo_copy
):
    from tests.import_corpus import write_book

    header = ["Innovaatio", "Arvioija", "Arvioinnin tyyppi", "Uutuusarvo"]
    first = [["Olohuone", "Anna Virtanen", "ulkopuolinen", 4], ["Kotiapu", "Mikko", "itse", 3]]
    data = write_book(tmp_path / "a.xlsx", {"Vastaukset": [header, *first]}).read_bytes()
    upload(app, "SOILA.xlsx", data)
    assert "answer the questions above" in texts(app.error)  # not: fix the file, upload again
    assert app.button(key="import_preview_button").disabled
    question = keyed(app.selectbox, "import_question_")
    assert "“ulkopuolinen”" in question.label.replace("\\", "")
    question.set_value("expert").run()
    assert not app.exception
    assert not app.button(key="import_preview_button").disabled
    assert app.session_state["import_parsed"][1].assessments.a["assessment_type"] == [
        "expert",
        "self",  # "itse": a variant of "Itsearviointi", read with a hint
    ]
    app.button(key="import_preview_button").click().run()
    app.button(key="import_commit").click().run()
    assert "saved in the mapping “SOILA”" in texts(app.success).replace("\\", "")
    # the pilot's next file: the same answer, without asking
    second = [["Työpaja", "Laura", "ulkopuolinen", 5]]
    data = write_book(tmp_path / "b.xlsx", {"Vastaukset": [header, *second]}).read_bytes()
    upload(app, "SOILA v2.xlsx", data)
    assert keyed(app.selectbox, "import_saved_").value == "SOILA"  # the pilot's mapping
    assert not [s for s in app.selectbox if (s.key or "").startswith("import_question_")]
    assert not app.button(key="import_preview_button").disabled
