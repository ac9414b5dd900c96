"""The demo data: deterministic for a reference date, realistic, loaded through the importer."""

from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest

from sihub.db import connect
from sihub.demo import DemoStoreExistsError, build_demo_store, generate_demo_workbooks


def cells(path: Path) -> dict[str, list[tuple]]:
    wb = openpyxl.load_workbook(path, read_only=True)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}


def test_same_reference_date_gives_identical_workbooks(tmp_path):
    day = date(2026, 3, 15)
    first = generate_demo_workbooks(tmp_path / "a", day)
    second = generate_demo_workbooks(tmp_path / "b", day)
    assert [p.name for p in first] == [p.name for p in second]
    for a, b in zip(first, second, strict=True):
        assert cells(a) == cells(b), a.name


def test_dates_follow_the_reference_date(tmp_path):
    early = cells(generate_demo_workbooks(tmp_path / "a", date(2025, 1, 10))[0])
    late = cells(generate_demo_workbooks(tmp_path / "b", date(2026, 1, 10))[0])
    header = early["Funding"][0]
    deadline = header.index("deadline")
    shifted = [
        (e[deadline], lt[deadline])
        for e, lt in zip(early["Funding"][1:], late["Funding"][1:], strict=True)
        if e[deadline] and lt[deadline]
    ]
    assert shifted and all(lt > e for e, lt in shifted)


def test_demo_store_is_realistic(demo_db):
    s = connect(str(demo_db))
    assert 75 <= s.scalar("SELECT count(*) FROM innovations") <= 85
    assert 35 <= s.scalar("SELECT count(*) FROM organisations") <= 45
    assert 180 <= s.scalar("SELECT count(*) FROM assessments") <= 260
    assert 20 <= s.scalar("SELECT count(*) FROM funding_opportunities") <= 30
    assert s.scalar("SELECT count(DISTINCT round) FROM assessments") in (2, 3)
    kinds = {r[0] for r in s.rows("SELECT DISTINCT assessment_type FROM assessments")}
    assert {"self", "peer", "expert"} <= kinds
    assert s.scalar("SELECT count(DISTINCT stage_code) FROM innovations") == 6
    assert s.scalar("SELECT count(DISTINCT region_code) FROM innovation_regions") >= 15
    assert s.scalar("SELECT count(DISTINCT theme_code) FROM innovation_themes") >= 12
    assert s.scalar("SELECT count(DISTINCT target_group_code) FROM innovation_target_groups") == 9
    # Finnish comments, and assessments that leave criteria unscored (missing, never 0)
    assert s.scalar("SELECT count(*) FROM scores WHERE comment LIKE '%ä%'") > 50
    unscored = s.scalar("""SELECT count(*) FROM assessments a WHERE a.framework_code = 'si_tool'
        AND (SELECT count(*) FROM scores WHERE assessment_id = a.id) < 10""")
    assert unscored > 10
    # strong disagreements between assessors on the same criterion in the same round
    disagreements = s.scalar("""
        SELECT count(*) FROM (SELECT a.innovation_id, a.round, s.criterion_code
          FROM scores s JOIN assessments a ON a.id = s.assessment_id
          WHERE a.assessment_type <> 'self'
          GROUP BY ALL HAVING max(s.value) - min(s.value) >= 3)""")
    assert disagreements >= 5
    assert s.meta("dataset") == "demo"
    s.close()


def test_funding_calls_are_real_programmes_with_sources_and_current_deadlines(demo_db):
    s = connect(str(demo_db))
    funders = {r[0] for r in s.rows("SELECT funder FROM funding_opportunities")}
    assert {"STEA", "Business Finland", "Sitra", "Kela"} <= funders
    assert (
        s.scalar("SELECT count(*) FROM funding_opportunities WHERE source_url NOT LIKE 'https://%'")
        == 0
    )
    today = date.fromisoformat(s.meta("demo_reference_date"))
    statuses = s.rows(
        """SELECT count(*) FILTER (WHERE deadline < ?), count(*) FILTER
        (WHERE deadline >= ?), count(*) FILTER (WHERE continuous) FROM funding_opportunities""",
        [today, today],
    )[0]
    assert all(n > 0 for n in statuses)  # closed, upcoming and continuous calls all present
    assert s.scalar("SELECT max(assessed_on) FROM assessments") <= today
    assert s.scalar("SELECT max(assessed_on) FROM assessments") >= today - timedelta(days=120)
    s.close()


def test_every_demo_row_is_traceable_to_its_file_sheet_and_row(demo_db):
    s = connect(str(demo_db))
    untraced = s.scalar("""SELECT count(*) FROM scores s LEFT JOIN import_batches b
        ON b.id = s.batch_id WHERE b.file_name IS NULL OR s.source_sheet IS NULL
        OR s.source_row IS NULL OR s.source_column IS NULL""")
    assert untraced == 0
    assert s.rows("SELECT DISTINCT kind FROM import_batches") == [("demo",)]
    s.close()


def test_existing_store_is_replaced_only_when_asked(tmp_path):
    path = tmp_path / "demo.duckdb"
    path.write_bytes(b"someone's data")
    with pytest.raises(DemoStoreExistsError):
        build_demo_store(path, date(2026, 1, 1), workbook_dir=tmp_path / "wb")
    assert path.read_bytes() == b"someone's data"
