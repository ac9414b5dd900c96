"""A framework with four different rating scales (1-5, 0-3, traffic light, yes / partly / no)
and a few innovations assessed on it, imported through the real loader: the ranking, the
comparison and the briefing pack normalise across scales on this store.

Who assessed what is there to test something: Beta's funder rating is internal (a funder never
sees it), Beta's self-assessment stays out of a funder's ranking, Gamma is never assessed and
Delta only on one criterion.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from sihub import DATA_DIR
from sihub.db.store import Store
from sihub.importing import import_file
from sihub.reference import sync_reference_data
from tests.builders import BY_STAFF, copy_store, write_workbook

MIXED_FRAMEWORK = """
code = "mixed"
version = "test"
scale = "1-5"
sort_order = 9
[name]
fi = "Sekakehys"
sv = "Blandad ram"
en = "Mixed framework"
[description]
fi = "Testikehys"
sv = "Testram"
en = "Test framework"
[[criteria]]
code = "m_need"
dimension = "need"
fi = "Tarve"
sv = "Behov"
en = "Need"
[[criteria]]
code = "m_evidence"
dimension = "evidence"
scale = "0-3"
fi = "Näyttö"
sv = "Evidens"
en = "Evidence"
[[criteria]]
code = "m_light"
dimension = "effectiveness"
scale = "traffic_light"
fi = "Liikennevalo"
sv = "Trafikljus"
en = "Traffic light"
[[criteria]]
code = "m_yes"
dimension = "effectiveness"
scale = "yes_partly_no"
fi = "Vastaa ongelmaan"
sv = "Svarar på problemet"
en = "Answers the problem"
"""

HEADER = [
    "innovation",
    "framework",
    "assessor",
    "assessment_type",
    "assessed_on",
    "round",
    "shared",
    "m_need",
    "m_evidence",
    "m_light",
    "m_yes",
    "m_need_comment",
]


INNOVATIONS = [
    ["A-1", "Alpha", "prototypes", "lapland", "employment"],
    ["B-1", "Beta", "scaling", None, "employment"],
    ["C-1", "Gamma", "scaling", "kainuu", None],
    ["D-1", "Delta", "sustaining", "kainuu", None],
]
ASSESSMENTS = [
    ["A-1", "mixed", "Anna", "expert", date(2024, 1, 1), 1, True, 5, 3, "green", "yes", None],
    ["A-1", "mixed", "Ben", "peer", date(2024, 1, 2), 1, True, 3, 1, "red", None, None],
    ["B-1", "mixed", "Anna", "expert", date(2024, 1, 1), 1, True, 1, 0, "yellow", "partly", None],
    # Beta's funder rated it top marks, but marked the rating internal: a funder never sees it.
    ["B-1", "mixed", "Fund", "funder", date(2024, 1, 3), 1, False, 5, 3, "green", "yes", None],
    # Beta's own self-assessment is also kept out of the funder's ranking.
    ["B-1", "mixed", "Beta team", "self", date(2024, 1, 1), 1, True, 5, 3, "green", "yes", None],
    ["D-1", "mixed", "Ben", "peer", date(2024, 1, 1), 1, True, 4, None, None, None, None],
]


def mixed_template(template: Path, folder: Path) -> Path:
    """A copy of ``template`` in ``folder`` whose reference data add the mixed framework,
    checkpointed and closed: loading reference data again for every test would cost more than
    the test."""
    data = folder / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("demo", "*.duckdb*"))
    (data / "frameworks" / "mixed.toml").write_text(MIXED_FRAMEWORK, encoding="utf-8")
    path = folder / "mixed-template.duckdb"
    store = copy_store(template, path)
    try:
        sync_reference_data(store, data_dir=data)
        store.checkpoint()
    finally:
        store.close()
    return path


def mixed_store(
    mixed_template: Path, tmp_path: Path, assessments: list[list], innovations: list[list]
) -> Store:
    """A real store, copied from ``mixed_template``, loaded with a real workbook of
    ``innovations`` and ``assessments`` through the importer."""
    store = copy_store(mixed_template, tmp_path / "mixed.duckdb")
    book = write_workbook(
        tmp_path / "pilot.xlsx",
        {
            "Innovations": [["ref", "name", "stage", "regions", "themes"], *innovations],
            "Assessments": [HEADER, *assessments],
        },
    )
    result = import_file(store, book, today=date(2025, 1, 1), by=BY_STAFF)
    assert result.ok, [(i.location, i.code) for i in result.issues]
    return store
