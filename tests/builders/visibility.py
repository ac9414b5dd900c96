"""A small hub whose internal rating can be found wherever it leaks: imported through the real
loader into a real DuckDB file, for the visibility tests written from a funder's side.

The internal rating is a funder's own assessment (``shared`` false) by "Ilmari Sisäinen",
who gives 4.83 on the 1-5 scale (normalised 0.9575, 95.75 on 0-100) and writes the marks
below into his summary and comment. It even claims to be published: an internal assessment
stays internal whatever else it says. So that nothing coincides with it, every other score is
a whole number.

- ``V1`` "Avoin polku": a published expert assessment (2s), a shared peer assessment (3s), a
  shared self-assessment (5s), and the internal rating;
- ``V2`` "Salainen kasvu": the internal rating only (a funder must see it as not assessed);
- ``V3`` "Jaettu vertailu": a shared expert assessment (4s), so that rankings have two.

The developers' own answers (``Answers``) carry a mark of their own: staff only.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from sihub.db.store import Store
from sihub.demo import SI_CRITERIA
from sihub.importing import import_file
from tests.builders import BY_STAFF, copy_store, write_workbook

TODAY = date(2026, 6, 1)
INTERNAL_ASSESSOR = "Ilmari Sisäinen"
INTERNAL_RAW = "4.83"  # as typed into the file; no other score has decimals
INTERNAL_NORMALISED = 0.9575  # (4.83 - 1) / 4
INTERNAL_PERCENT = 95.75
INTERNAL_COMMENT = "SISÄINEN-MERKKI kommentti"
INTERNAL_SUMMARY = "SISÄINEN-MERKKI yhteenveto"
ANSWER_MARK = "KEHITTÄJÄN-VASTAUS"
# Texts that show the internal rating (or its author) wherever they appear.
INTERNAL_TEXTS = (INTERNAL_ASSESSOR, INTERNAL_RAW, "4,83", "SISÄINEN-MERKKI", "0.9575", "95.75")

INNOVATIONS = [
    ["ref", "name", "short_description", "stage", "regions", "themes", "target_groups"],
    ["V1", "Avoin polku", "Työpolku nuorille.", "prototypes", "lapland", "employment", "youth"],
    ["V2", "Salainen kasvu", "Uusi kasvupolku.", "prototypes", "lapland", "employment", "youth"],
    ["V3", "Jaettu vertailu", "Vertailukohta.", "sustaining", "lapland", "employment", "youth"],
]
HEADER = [
    "innovation",
    "framework",
    "assessor",
    "assessor_organisation",
    "assessment_type",
    "assessed_on",
    "round",
    "summary",
    "shared",
    "published",
    *SI_CRITERIA,
    "need_comment",
]


def _assessment(ref, assessor, kind, shared, published, score, summary=None, comment=None):
    when = TODAY - timedelta(days=30)
    return [
        ref, "si_tool", assessor, "THL", kind, when, 1, summary, shared, published,
        *[score] * len(SI_CRITERIA), comment,
    ]  # fmt: skip


INTERNAL = ("funder", False, True, INTERNAL_RAW, INTERNAL_SUMMARY, INTERNAL_COMMENT)
ASSESSMENTS = [
    HEADER,
    _assessment("V1", "Eeva Julkinen", "expert", True, True, 2, "Julkaistu arvio"),
    _assessment("V1", "Pekka Jaettu", "peer", True, False, 3, "Jaettu arvio"),
    _assessment("V1", "Kehittäjätiimi", "self", True, False, 5),
    _assessment("V1", INTERNAL_ASSESSOR, *INTERNAL),
    _assessment("V2", INTERNAL_ASSESSOR, *INTERNAL),
    _assessment("V3", "Eeva Julkinen", "expert", True, False, 4, "Jaettu arvio"),
]
ANSWERS = [
    ["innovation", "question_no", "question", "answer", "answered_on"],
    ["V1", "1", "Mihin tarpeeseen?", f"{ANSWER_MARK}: nuorten työttömyyteen.", TODAY],
]
FUNDING = [
    ["ref", "funder", "call_name", "instrument", "themes", "min_normalised_score", "opens_on",
     "deadline", "continuous", "source_url"],
    ["C-1", "STEA", "Nuorten työllisyys", "grant", "employment", 0.5,
     TODAY - timedelta(days=10), TODAY + timedelta(days=60), False, "https://stea.fi/"],
]  # fmt: skip


def visibility_store(template: Path, folder: Path) -> tuple[Store, dict[str, int]]:
    """The store in ``folder`` (copied from the migrated ``template``) with the workbook
    imported, and innovation ids by reference (V1, V2, V3)."""
    store = copy_store(template, folder / "visibility.duckdb")
    book = write_workbook(
        folder / "visibility.xlsx",
        {"Innovations": INNOVATIONS, "Assessments": ASSESSMENTS, "Answers": ANSWERS,
         "Funding": FUNDING},
    )  # fmt: skip
    result = import_file(store, book, today=TODAY, by=BY_STAFF)
    assert result.ok, [(i.location, i.code) for i in result.issues if i.blocking]
    return store, dict(store.rows("SELECT ref, id FROM innovations"))
