"""Assessors' e-mail addresses are personal data: the importer keeps them to tell assessors
apart, no export shows them (an assessor known by one is shown by number, ``sihub.personal``)
and only the import history, for staff, pairs the number with the address. (That no page shows
them is checked on every page by ``test_hostile_pages.py``, in the same runs.)"""

from __future__ import annotations

import io
import shutil
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from sihub import exports
from sihub.access import Visibility
from sihub.compare.export import comparison_workbook
from sihub.compare.queries import comparison_of
from sihub.compare.selection import Selection
from sihub.db import connect
from sihub.ecosystem.quality import sparse_assessments
from sihub.funders.briefing import briefing_pack
from sihub.funders.ranking import RankingSpec, rank_from, ranking_data
from sihub.funding import catalogue, export, matching
from sihub.funding.filters import CallFilter
from sihub.importing import import_file, prepare
from sihub.importing.history import batch_assessors
from sihub.importing.present import near_frame, new_names
from sihub.personal import EMAIL_LIKE, holds_email, shown_assessor
from sihub.pipeline import export_about, export_table, results
from sihub.pipeline.filters import InnovationFilter
from sihub.profile import assessments, score_provenance
from tests.apptools import run_app, table
from tests.builders import BY_STAFF, copy_store, write_workbook
from tests.builders.hostile_hub import EMAILS, FORM, TODAY, build_workbooks

NOW = datetime(2026, 6, 1, 12, 0)
CALL_HEAD = {"innovation_id": "id", "name": "name", "lead": "lead", "stage": "stage"}
INNOVATION_HEAD = {"call_id": "id", "call_name": "call", "funder": "funder"}

ALL = Visibility.ALL  # staff: the assessors of every assessment


@pytest.mark.parametrize(
    ("name", "holds"),
    [
        ("salainen.osoite@example.org", True),
        ("Anna <anna@thl.fi>", True),
        ("Anna Asiantuntija", False),
        ("THL @ Helsinki", False),  # no dot after the @
        ("@example.org", False),  # nothing before it
        ("a@b.", False),  # nothing after the dot
        ("", False),
    ],
)
def test_an_address_is_told_alike_in_python_and_in_sql(reference_store, name, holds):
    in_sql = reference_store.scalar(f"SELECT ? LIKE '{EMAIL_LIKE}'", [name])
    assert (holds_email(name), bool(in_sql)) == (holds, holds)
    assert shown_assessor(name, 12) == ("#12" if holds else name)


@pytest.fixture
def hostile(hostile_db: Path, tmp_path: Path):
    path = tmp_path / "hostile.duckdb"
    shutil.copy(hostile_db, path)
    store = connect(str(path))
    yield store
    store.close()


def numbers_of_addresses(store) -> dict[str, str]:
    """How pages and exports show the assessors known by an address (#id), by address."""
    found = dict(store.rows("SELECT name, id FROM assessors WHERE name IN (?, ?)", list(EMAILS)))
    assert set(found) == set(EMAILS)
    return {email: f"#{found[email]}" for email in EMAILS}


def text_of(data: bytes) -> str:
    """What a downloaded file says: a CSV as text, a workbook as the XML of all its parts."""
    if not data.startswith(b"PK"):
        return data.decode("utf-8-sig")
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return "\n".join(book.read(n).decode("utf-8") for n in book.namelist() if ".xml" in n)


def every_download(store, lang: str) -> dict[str, bytes]:
    """Each file a page offers, built by the library functions its buttons call."""
    ids = [i for (i,) in store.rows("SELECT id FROM innovations ORDER BY id")]
    rows = export_table(results(store, ALL, InnovationFilter(), lang), lang)
    about = export_about(store, ALL, InnovationFilter(), lang, len(rows), NOW, "?")
    spec = RankingSpec()
    ranked = rank_from(ranking_data(store, ALL, spec.framework, spec.filter, lang), spec)
    calls = catalogue.calls(store, ALL, TODAY, lang, CallFilter())
    files = {
        "innovations.csv": exports.csv_bytes(rows),
        "innovations.xlsx": exports.excel_bytes({"Innovations": rows}, about, "About"),
        "comparison.xlsx": comparison_workbook(
            store, comparison_of(store, ALL, Selection(ids=tuple(ids)), lang), "mean", "dimension",
            lang, NOW,
        ),
        "briefing.xlsx": briefing_pack(store, ranked, ids, lang, NOW),
        "calls.csv": exports.csv_bytes(export.export_frame(calls, lang)),
        "sparse-assessments.csv": exports.csv_bytes(sparse_assessments(store, ALL, lang)),
    }  # fmt: skip
    for call_id in calls.id:
        found = matching.call_matches(store, ALL, int(call_id), TODAY, lang)
        files[f"matches-call-{call_id}.csv"] = exports.csv_bytes(
            matching.export_frame(found, lang, CALL_HEAD)
        )
    for innovation_id in ids:
        found = matching.innovation_matches(store, ALL, innovation_id, TODAY, lang)
        files[f"calls-for-{innovation_id}.csv"] = exports.csv_bytes(
            matching.export_frame(found, lang, INNOVATION_HEAD)
        )
    return files


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_no_download_holds_an_assessors_address(hostile, lang):
    texts = {name: text_of(data) for name, data in every_download(hostile, lang).items()}
    leaking = {name for name, text in texts.items() for email in EMAILS if email in text}
    assert leaking == set()
    numbers = numbers_of_addresses(hostile).values()
    # The assessors are in the files, by number: their scores were not simply left out.
    for name in ("comparison.xlsx", "briefing.xlsx", "sparse-assessments.csv"):
        assert any(number in texts[name] for number in numbers), name


def test_the_profile_queries_show_assessors_known_by_address_by_number(hostile):
    numbers = numbers_of_addresses(hostile).values()
    innovation = hostile.scalar("SELECT min(id) FROM innovations")
    listed = assessments(hostile, ALL, innovation, "en").assessor.tolist()
    traced = score_provenance(hostile, ALL, innovation, "en").assessor.tolist()
    assert not any(holds_email(name) for name in [*listed, *traced])
    assert set(numbers) <= set(listed) | set(traced)


def test_the_import_preview_lists_no_address(template_db, tmp_path):
    store = copy_store(template_db, tmp_path / "preview.duckdb")
    hub, form = build_workbooks(tmp_path)
    assert import_file(store, hub, today=TODAY, near_matches="new", by=BY_STAFF).ok
    dry = import_file(store, form, today=TODAY, near_matches="new", dry_run=True, by=BY_STAFF)
    listed = new_names(dry.summary, "assessors_new")
    assert listed and not any(email in name for name in listed for email in EMAILS)
    assert dry.summary.counts["assessors_new"] == 1
    store.close()


def test_a_near_match_names_the_assessor_the_hub_knows_by_address_by_number(hostile, tmp_path):
    """The file being imported is the importer's own; what the hub holds is shown by number."""
    typo = EMAILS[0].replace("osoite", "osoitte")
    rows = [FORM[0], [FORM[1][0], None, typo, TODAY, *[2] * 10, None]]
    parsed = prepare(hostile, write_workbook(tmp_path / "near.xlsx", {"Vastaukset": rows}))
    near = near_frame(parsed.near, {})
    assert near[["name", "candidate"]].values.tolist() == [
        [typo, numbers_of_addresses(hostile)[EMAILS[0]]]
    ]


def test_only_the_import_history_pairs_numbers_with_addresses(hostile, hostile_db, monkeypatch):
    added = batch_assessors(hostile)
    paired = dict(zip(added.imported_as, added.shown_as, strict=True))
    assert {email: paired[email] for email in EMAILS} == numbers_of_addresses(hostile)
    at = run_app(monkeypatch, hostile_db, "pages/import.py", today=TODAY.isoformat())
    assert not at.exception, [e.value for e in at.exception]
    shown = table(at, "shown_as", "imported_as")
    assert set(EMAILS) <= set(shown.imported_as)
