"""Hostile and broken files: a clear message each, and a store that is byte-for-byte unchanged."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from sihub import PROJECT_DIR, importing
from sihub.importing.reading import read_workbook
from tests.builders import BY_STAFF
from tests.import_corpus import (
    FILES,
    TODAY,
    empty_workbook,
    encrypted_bytes,
    formulas_workbook,
    million_empty_rows,
    quirks_workbook,
    renamed_png,
    truncated,
    wide_export,
    zip_bomb,
)


def _hostile(kind: str, tmp_path: Path) -> tuple[bytes | Path, str]:
    """(content or path, file name) of one hostile file."""
    if kind == "truncated":
        return truncated(quirks_workbook(tmp_path / "q.xlsx")), "katkennut.xlsx"
    if kind == "renamed":
        return renamed_png(), "kuva.xlsx"
    if kind == "encrypted":
        return encrypted_bytes(), "salattu.xlsx"
    if kind == "empty":
        return empty_workbook(tmp_path / "tyhja.xlsx"), "tyhja.xlsx"
    if kind == "zip_bomb":
        return zip_bomb(tmp_path / "pommi.xlsx"), "pommi.xlsx"
    if kind == "html":
        return b"<html><table><tr><td>1</td></tr></table></html>", "vienti.xls"
    if kind == "latin1_csv":
        return "Innovaatio;Uutuusarvo\nPärjätään;4\n".encode("latin-1"), "vienti.csv"
    if kind == "pdf":
        return b"%PDF-1.4 ...", "raportti.pdf"
    if kind == "zero":
        return b"", "tyhja.csv"
    raise ValueError(kind)


HOSTILE = [
    ("truncated", "corrupt_file"),
    ("renamed", "wrong_file_type"),
    ("encrypted", "encrypted_file"),
    ("empty", "empty_workbook"),
    ("zip_bomb", "zip_bomb"),
    ("html", "wrong_file_type"),
    ("latin1_csv", "csv_encoding"),
    ("pdf", "unsupported_type"),
    ("zero", "empty_file"),
]


@pytest.mark.parametrize(("kind", "code"), HOSTILE)
def test_hostile_file_gives_one_clear_message_and_writes_nothing(store, tmp_path, kind, code):
    source, name = _hostile(kind, tmp_path)
    before = store.data_version()
    result = importing.import_file(store, source, name, today=TODAY, by=BY_STAFF)
    assert result.status in (importing.UNREADABLE, importing.BLOCKED)
    assert [i.code for i in result.issues if i.blocking] == [code]
    for lang in ("fi", "sv", "en"):
        message = result.issues[0].message(lang)
        assert message and not message.startswith("issue.") and "{" not in message
    assert store.data_version() == before
    assert store.scalar("SELECT count(*) FROM import_batches") == 0


def test_upload_size_limit_is_configurable_and_reported(tmp_path, monkeypatch):
    path = quirks_workbook(tmp_path / "q.xlsx")
    monkeypatch.setenv("SIHUB_MAX_UPLOAD_MB", "0.001")
    with pytest.raises(importing.ImportFileError) as caught:
        read_workbook(path)
    assert caught.value.values["code"] == "file_too_large"
    message = importing.file_issue(caught.value).message("en")
    assert "0.001 MB" in message and "SIHUB_MAX_UPLOAD_MB" in message
    monkeypatch.setenv("SIHUB_MAX_UPLOAD_MB", "5")
    assert read_workbook(path).sheets


def test_a_million_empty_formatted_rows_cost_nothing(store, tmp_path):
    path = million_empty_rows(tmp_path / "miljoona.xlsx")
    parsed = importing.prepare(store, path, today=TODAY)
    assert len(parsed.workbook.sheets[0].rows) == 2
    assert len(parsed.assessments) == 1 and not parsed.blocked


def test_formulas_are_never_evaluated_and_formula_text_stays_text(store, tmp_path):
    stored = importing.prepare(store, FILES / "formulas.xlsx", today=TODAY)
    s = stored.assessments.s
    # LibreOffice stored 4 for "=2+2": the stored value is used
    assert ("novelty", 2, "4", 4.0) in set(
        zip(s["criterion"], s["row"], s["raw_value"], s["value"], strict=True)
    )
    parsed = importing.prepare(store, formulas_workbook(tmp_path / "f.xlsx"), today=TODAY)
    a, s = parsed.assessments.a, parsed.assessments.s
    assert a["assessor"][0] == '=HYPERLINK("x")'  # text that starts like a formula, kept
    assert a["summary"][0] == "@SUM(A1)"
    # "=1+1" written by a tool without a stored value: nothing to use, so no score (not 2)
    assert ("novelty", 2) not in set(zip(s["criterion"], s["row"], strict=True))
    codes = {(i.location, i.code) for i in parsed.issues}
    assert {
        ("Responses!B2", "formula_text"),
        ("Responses!E2", "formula_text"),
        ("Responses!B3", "formula_text"),
    } <= codes
    assert ("Responses!E3", "text_too_long") in codes
    assert a["summary"][1] == "x" * 25_000  # kept whole, only flagged


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sihub", "--lang", "en", *args],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("kind", ["truncated", "encrypted", "blocked", "dry_run"])
def test_store_file_is_byte_for_byte_unchanged(demo_copy, tmp_path, kind):
    """A failed import (and a dry run) leaves the store file exactly as it was."""
    if kind == "blocked":
        target = quirks_workbook(tmp_path / "quirks.xlsx")
    elif kind == "dry_run":
        target = wide_export(
            tmp_path / "ok.xlsx",
            [["2025-03-01", "Olohuone", "Kylätalo", "Åsa Öberg", 1, 4, 3, None]],
        )
    else:
        content, name = _hostile(kind, tmp_path)
        target = tmp_path / name
        target.write_bytes(content)
    before = _sha(demo_copy)
    extra = ["--dry-run"] if kind == "dry_run" else []
    done = _cli("import", str(target), "--db", str(demo_copy), *extra)
    assert done.returncode == {"truncated": 2, "encrypted": 2, "blocked": 1, "dry_run": 0}[kind], (
        done.stdout + done.stderr
    )
    assert "Traceback" not in done.stdout + done.stderr
    assert _sha(demo_copy) == before
    assert (
        not Path(str(demo_copy) + ".wal").exists()
        or Path(str(demo_copy) + ".wal").stat().st_size == 0
    )


def test_html_and_markdown_in_names_are_stored_as_written(store, tmp_path):
    result = importing.import_file(
        store, formulas_workbook(tmp_path / "f.xlsx"), today=TODAY, near_matches="new", by=BY_STAFF
    )
    assert result.status == importing.IMPORTED, [(i.location, i.code) for i in result.issues]
    names = {r[0] for r in store.rows("SELECT name FROM innovations")}
    assert names == {"<b>Bold</b> **idea**", "Plain [link](http://x)"}
