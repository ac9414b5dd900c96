"""Frameworks, scales and vocabularies are data files; changing a file changes the store."""

import shutil
from pathlib import Path

import pytest

from sihub import DATA_DIR
from sihub.db import connect
from sihub.errors import DataFileError
from sihub.reference import sync_reference_data


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target, ignore=shutil.ignore_patterns("*.duckdb*", "demo"))
    return target


def test_shipped_reference_data(reference_store):
    s = reference_store
    regions = dict(s.rows("SELECT code, kind FROM regions"))
    assert sum(kind in ("county", "city") for kind in regions.values()) == 22
    assert {"national", "international", "multi_region", "unknown"} <= set(regions)
    assert s.scalar("SELECT count(*) FROM target_groups") == 9
    assert [r[0] for r in s.rows("SELECT code FROM stages ORDER BY sort_order")] == [
        "prompts",
        "proposals",
        "prototypes",
        "sustaining",
        "scaling",
        "systemic",
    ]
    frameworks = dict(s.rows("SELECT code, provisional FROM frameworks"))
    assert frameworks["si_tool"] is True and frameworks["nesta_soe"] is False
    assert s.scalar("SELECT count(*) FROM criteria WHERE framework_code = 'si_tool'") == 10
    # every criterion has a comparison dimension and names in all three languages
    assert (
        s.rows("""SELECT code FROM criteria WHERE dimension_code IS NULL OR name_fi IS NULL
                     OR name_sv IS NULL OR name_en IS NULL""")
        == []
    )


def test_names_exist_in_every_language_for_every_vocabulary(reference_store):
    for table in (
        "regions",
        "stages",
        "themes",
        "target_groups",
        "org_types",
        "dimensions",
        "instruments",
        "scopes",
        "assessment_types",
        "funder_types",
    ):
        missing = reference_store.rows(
            f"SELECT code FROM {table} WHERE name_fi IS NULL OR name_sv IS NULL OR name_en IS NULL"
        )
        assert missing == [], table


def test_replacing_a_framework_file_changes_the_criteria_without_code(tmp_path, data_dir):
    store = connect(str(tmp_path / "s.duckdb"))
    sync_reference_data(store, data_dir)
    path = data_dir / "frameworks" / "si_tool.toml"
    text = path.read_text()
    # the official form drops "systemic" and adds a criterion of its own
    head, _, _ = text.partition('[[criteria]]\ncode = "systemic"')
    path.write_text(
        head
        + """[[criteria]]
code = "ethics"
dimension = "participation"
fi = "Eettisyys"
sv = "Etik"
en = "Ethics"
guidance_fi = "Onko toiminta eettisesti kestävää?"
guidance_sv = "Är verksamheten etiskt hållbar?"
guidance_en = "Is the work ethically sound?"
"""
    )
    assert sync_reference_data(store, data_dir) is True
    codes = [
        r[0]
        for r in store.rows(
            "SELECT code FROM criteria WHERE framework_code = 'si_tool' ORDER BY sort_order"
        )
    ]
    assert "systemic" not in codes and codes[-1] == "ethics"
    assert sync_reference_data(store, data_dir) is False  # unchanged files: nothing to do


def test_a_dropped_criterion_that_has_scores_is_retired_not_deleted(tmp_path, data_dir):
    store = connect(str(tmp_path / "s.duckdb"))
    sync_reference_data(store, data_dir)
    with store.transaction() as cur:
        cur.execute("INSERT INTO innovations (id, name, name_key) VALUES (1, 'X', 'x')")
        cur.execute(
            "INSERT INTO assessments (id, innovation_id, framework_code, assessment_type) "
            "VALUES (1, 1, 'si_tool', 'expert')"
        )
        cur.execute(
            "INSERT INTO scores (assessment_id, criterion_code, value, normalised) "
            "VALUES (1, 'systemic', 4, 0.75)"
        )
    path = data_dir / "frameworks" / "si_tool.toml"
    path.write_text(path.read_text().partition('[[criteria]]\ncode = "systemic"')[0])
    sync_reference_data(store, data_dir)
    assert store.rows("SELECT retired FROM criteria WHERE code = 'systemic'") == [(True,)]
    assert store.scalar("SELECT normalised FROM scores") == 0.75


def test_a_broken_framework_file_is_reported_by_name_and_changes_nothing(tmp_path, data_dir):
    store = connect(str(tmp_path / "s.duckdb"))
    sync_reference_data(store, data_dir)
    (data_dir / "frameworks" / "broken.toml").write_text(
        'code = "broken"\nscale = "1-10"\n[name]\nfi = "a"\nsv = "b"\nen = "c"\n'
        '[[criteria]]\ncode = "x"\ndimension = "need"\nfi = "x"\nsv = "x"\nen = "x"\n'
    )
    with pytest.raises(DataFileError) as raised:
        sync_reference_data(store, data_dir)
    assert "broken.toml" in raised.value.message("en")
    assert store.scalar("SELECT count(*) FROM frameworks WHERE code = 'broken'") == 0
