"""The import commands of the command line: same code path, clear output, honest exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from sihub import PROJECT_DIR
from sihub.db import connect
from tests.import_corpus import quirks_workbook, renamed_png, wide_export

ROWS = [["2025-03-01", "Olohuone", "Kylätalo ry", "Anna Virtanen", 1, 4, 3, "Uutta"]]


def run(*args: str, lang: str = "en") -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "-m", "sihub", "--lang", lang, *args],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert "Traceback" not in done.stdout + done.stderr, done.stdout + done.stderr
    return done


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "cli.duckdb"


def test_import_prints_layout_mapping_report_and_summary(db, tmp_path):
    path = wide_export(tmp_path / "pilotti.xlsx", ROWS)
    done = run("import", str(path), "--db", str(db), "--by", "Anna")
    assert done.returncode == 0, done.stdout
    out = done.stdout
    assert "Layout: form export (wide)" in out
    assert "Sheet Form responses 1: form export, one row per assessment" in out
    assert "F  Q1 Societal need (1-5)" in out and "-> Score: Societal need addressed" in out
    assert "Imported pilotti.xlsx as batch 1." in out
    assert "New assessments: 1" in out and "Scores: 2" in out
    store = connect(str(db))
    assert store.rows("SELECT imported_by FROM import_batches") == [("Anna",)]
    store.close()


def test_dry_run_writes_nothing_and_exits_0(db, tmp_path):
    path = wide_export(tmp_path / "pilotti.xlsx", ROWS)
    done = run("import", str(path), "--db", str(db), "--dry-run")
    assert done.returncode == 0
    assert "Dry run: pilotti.xlsx can be imported; nothing was written." in done.stdout
    listed = run("imports", "--db", str(db))
    assert "No imports yet." in listed.stdout


def test_blocking_errors_exit_1_with_the_report(db, tmp_path):
    done = run("import", str(quirks_workbook(tmp_path / "q.xlsx")), "--db", str(db))
    assert done.returncode == 1
    assert "Vastaukset!G6" in done.stdout and "score_out_of_range" in done.stdout
    assert "has blocking errors; nothing was written." in done.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["import", "puuttuu.xlsx"],  # no such file
        ["import", "RENAMED"],  # a renamed picture
        ["import", "OK", "--mapping", "ei ole"],  # an unknown saved mapping
        ["undo", "42"],  # an unknown batch
        ["undo", "not-a-number"],  # misuse
        ["import"],  # misuse
        ["template"],  # misuse
    ],
)
def test_unreadable_input_and_misuse_exit_2_without_traceback(db, tmp_path, args):
    picture = tmp_path / "kuva.xlsx"
    picture.write_bytes(renamed_png())
    ok = wide_export(tmp_path / "ok.xlsx", ROWS)
    argv = [{"RENAMED": str(picture), "OK": str(ok)}.get(a, a) for a in args]
    done = run(*argv, "--db", str(db))
    assert done.returncode == 2
    assert (done.stderr or done.stdout).strip()


def test_imports_lists_batches_and_undo_undoes_one(db, tmp_path):
    run("import", str(wide_export(tmp_path / "a.xlsx", ROWS)), "--db", str(db))
    listed = run("imports", "--db", str(db))
    assert "a.xlsx" in listed.stdout and "committed" in listed.stdout
    undone = run("undo", "1", "--db", str(db))
    assert undone.returncode == 0 and "Batch 1 undone" in undone.stdout
    again = run("undo", "1", "--db", str(db))
    assert again.returncode == 2 and "undone already" in again.stderr


def test_near_matches_stop_the_command_line_until_answered(db, tmp_path):
    run("import", str(wide_export(tmp_path / "a.xlsx", ROWS)), "--db", str(db))
    typo = [["2025-04-01", "Olohuonne", "Kylätalo ry", "Anna Virtanen", 2, 3, 3, None]]
    path = wide_export(tmp_path / "b.xlsx", typo)
    stopped = run("import", str(path), "--db", str(db))
    assert stopped.returncode == 1 and "near_match" in stopped.stdout
    assert "--near-matches same" in stopped.stdout
    answered = run("import", str(path), "--db", str(db), "--near-matches", "same")
    assert answered.returncode == 0


@pytest.mark.parametrize(
    ("lang", "sheet", "header"),
    [
        ("fi", "Innovaatiot", "Toimintamallin nimi"),
        ("sv", "Innovationer", "Verksamhetsmodellens namn"),
        ("en", "Innovations", "Innovation name"),
    ],
)
def test_template_command_writes_the_template_in_the_language(db, tmp_path, lang, sheet, header):
    out = tmp_path / f"pohja-{lang}.xlsx"
    done = run("template", str(out), "--db", str(db), lang=lang)
    assert done.returncode == 0 and out.exists()
    book = openpyxl.load_workbook(out)
    assert book[sheet]["B1"].value == header


def test_a_header_only_file_has_nothing_to_import_and_exits_1(db, tmp_path):
    done = run("import", str(wide_export(tmp_path / "otsikot.xlsx", [])), "--db", str(db))
    assert done.returncode == 1
    assert "otsikot.xlsx has nothing to import" in done.stdout
    assert "No imports yet." in run("imports", "--db", str(db)).stdout


def test_a_mapping_file_assigns_columns_without_headers(db, tmp_path):
    header = ["Innovation name", None, "Q2 Novelty (1-5)", None]
    rows = [["Olohuone", "anna@example.fi", 4, "Uutta"], ["Kotiapu", "mikko@example.fi", 3, None]]
    path = tmp_path / "nimettomat.xlsx"
    openpyxl_book(path, [header, *rows])
    warned = run("import", str(path), "--db", str(db), "--dry-run")
    assert "Column B holds data" in warned.stdout and "Column D holds data" in warned.stdout
    mapping = tmp_path / "soila.json"
    mapping.write_text(
        json.dumps(
            {
                "columns": {
                    "Form": {
                        "column:B": "field:assessor_email",
                        "column:D": "comment:si_tool.novelty",
                    }
                }
            }
        )
    )
    done = run("import", str(path), "--db", str(db), "--mapping", str(mapping))
    assert done.returncode == 0, done.stdout
    store = connect(str(db))
    try:
        assert store.rows("SELECT name FROM assessors ORDER BY 1") == [
            ("anna@example.fi",),
            ("mikko@example.fi",),
        ]
        assert store.rows("SELECT comment FROM scores WHERE comment IS NOT NULL") == [("Uutta",)]
        assert store.rows("SELECT mapping_name FROM import_batches") == [("soila",)]
    finally:
        store.close()
    mapping.write_text('{"columns": ["not", "a", "mapping"]}')
    refused = run("import", str(path), "--db", str(db), "--mapping", str(mapping))
    assert refused.returncode == 2 and "cannot be used" in refused.stderr


def openpyxl_book(path: Path, rows: list[list]) -> None:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)


def test_questions_come_with_a_ready_command_and_answers_are_kept_with_save_mapping(db, tmp_path):
    header = ["Innovaatio", "Arvioija", "Arvioinnin tyyppi", "Uutuusarvo"]
    rows = [["Olohuone", "Anna Virtanen", "ulkopuolinen", 4], ["Kotiapu", "Mikko", "itse", 3]]
    path = tmp_path / "SOILA.xlsx"
    openpyxl_book(path, [header, *rows])
    asked = run("import", str(path), "--db", str(db))
    assert asked.returncode == 1
    out = asked.stdout
    assert "What does “ulkopuolinen” mean in the column C" in out
    assert "* Expert assessment:  --map-value assessment_type:ulkopuolinen=expert" in out
    assert "leave the cells empty:  --map-value assessment_type:ulkopuolinen=" in out
    proposed = out.split("run the command below")[1].splitlines()[1].strip()
    assert proposed.startswith("python -m sihub ") and proposed.endswith(
        "--map-value assessment_type:ulkopuolinen=expert"
    )
    assert "--save-mapping NAME" in out
    done = run(
        "import",
        str(path),
        "--db",
        str(db),
        "--map-value",
        "assessment_type:ulkopuolinen=expert",
        "--save-mapping",
        "SOILA",
    )
    assert done.returncode == 0, done.stdout
    assert "Mapping “SOILA” saved" in done.stdout
    store = connect(str(db))
    try:
        assert store.rows("SELECT assessment_type FROM assessments ORDER BY id") == [
            ("expert",),
            ("self",),
        ]
    finally:
        store.close()
    # the pilot's next file takes the pilot's mapping, and says so
    nxt = tmp_path / "SOILA v2.xlsx"
    openpyxl_book(nxt, [header, ["Työpaja", "Laura", "ulkopuolinen", 5]])
    again = run("import", str(nxt), "--db", str(db), "--dry-run")
    assert again.returncode == 0, again.stdout
    assert "Using the mapping “SOILA” saved for the pilot SOILA." in again.stdout


@pytest.mark.parametrize(
    "option", [["--map-value", "assessment_type=expert"], ["--map-column", "no equals sign"]]
)
def test_an_answer_that_says_nothing_is_misuse(db, tmp_path, option):
    done = run("import", str(wide_export(tmp_path / "a.xlsx", ROWS)), "--db", str(db), *option)
    assert done.returncode == 2 and "does not say what it maps" in done.stderr


def test_a_scale_and_a_column_are_answered_by_options(db, tmp_path):
    header = ["Innovaatio", "Arvioija", "Yhteiskunnallinen tarve (0–5)", "Kustannustehokkuus"]
    path = tmp_path / "asteikko.xlsx"
    openpyxl_book(path, [header, ["Olohuone", "Anna", 3, 4], ["Kotiapu", "Mikko", 5, 2]])
    asked = run("import", str(path), "--db", str(db), "--dry-run")
    assert asked.returncode == 1 and "header_scale_mismatch" in asked.stdout
    assert "--map-scale 'Form:yhteiskunnallinen tarve=0-5'" in asked.stdout
    assert "--map-column Form:kustannustehokkuus=ignore" in asked.stdout
    done = run(
        "import",
        str(path),
        "--db",
        str(db),
        "--map-scale",
        "Form:yhteiskunnallinen tarve=0-5",
        "--map-column",
        "kustannustehokkuus=ignore",
    )
    assert done.returncode == 0, done.stdout
    store = connect(str(db))
    try:  # 3 on 0–5 is 0.6 (3.4 on the criterion's 1–5), as typed "3"
        assert store.rows(
            "SELECT raw_value, value, normalised FROM scores ORDER BY source_row"
        ) == [("3", 3.4, 0.6), ("5", 5.0, 1.0)]
    finally:
        store.close()
