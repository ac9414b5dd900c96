"""The briefing pack: a real workbook, opened with openpyxl, that says what it rests on."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from sihub.access import Visibility
from sihub.funders.briefing import briefing_pack, sheet_names
from sihub.funders.ranking import RankingSpec, rank
from tests.builders.mixed_scales import ASSESSMENTS, INNOVATIONS, mixed_store

NOW = datetime(2025, 3, 4, 10, 30)
# openpyxl would write text starting with "=" as a formula, so the names use "@" and "+",
# which Excel runs as formulas all the same.
EVIL_NAME = '@HYPERLINK("http://evil.example","click")'
EVIL_COMMENT = "+cmd|' /C calc'!A0"


@pytest.fixture
def store(mixed_template_db: Path, tmp_path: Path):
    innovations = [*INNOVATIONS, ["E-1", EVIL_NAME, "scaling", "lapland", None]]
    assessments = [
        *ASSESSMENTS,
        ["E-1", "mixed", "Anna", "expert", date(2024, 2, 1), 1, True, 4, 2, "green", "yes",
         EVIL_COMMENT],
    ]  # fmt: skip
    s = mixed_store(mixed_template_db, tmp_path, assessments, innovations)
    yield s
    s.close()


def pack(store, shortlist_names: list[str], spec: RankingSpec | None = None, lang: str = "en"):
    spec = spec or RankingSpec(framework="mixed", gates=(("m_evidence", "2"),))
    ids = {name: i for i, name in store.rows("SELECT id, name FROM innovations")}
    ranking = rank(store, Visibility.SHARED, spec, lang)  # a funder's pack
    shortlist = [ids[n] for n in shortlist_names]
    data = briefing_pack(store, ranking, shortlist, lang, NOW, prepared_by="anna@example.org")
    return openpyxl.load_workbook(io.BytesIO(data))


def cells(ws) -> list[list]:
    return [list(row) for row in ws.iter_rows(values_only=True)]


def flat(ws) -> list:
    return [v for row in ws.iter_rows(values_only=True) for v in row if v is not None]


def test_the_pack_has_settings_heatmap_and_a_sheet_per_shortlisted_innovation(store):
    wb = pack(store, ["Beta", "Alpha"])
    assert wb.sheetnames == ["Weights and filters", "Heatmap", "1. Beta", "2. Alpha"]


def test_the_settings_sheet_records_weights_minimums_filters_and_the_caveat(store):
    spec = RankingSpec(
        framework="mixed", weights=(("m_evidence", 3.0),), gates=(("m_evidence", "2"),)
    )
    ws = pack(store, ["Alpha"], spec)["Weights and filters"]
    values = flat(ws)
    assert "Mixed framework" in values
    assert NOW in values
    assert any("not endorsements" in str(v) for v in values)
    rows = {r[0]: r for r in cells(ws) if r[0] in ("Need", "Evidence")}
    assert rows["Evidence"][2] == 3 and rows["Evidence"][3] == pytest.approx(50.0)
    assert rows["Evidence"][4] == 2  # the minimum, a number, on the criterion's own 0-3 scale
    assert rows["Need"][2] == 1 and rows["Need"][4] is None
    assert "No filters: all innovations" in values
    # who asked for it, as signed in, and which assessments it rests on
    facts = {r[0]: r[1] for r in cells(ws) if r[0]}
    assert facts["Prepared by"] == "anna@example.org"
    assert facts["Assessments used"].startswith("assessments shared with funders only")


def test_the_heatmap_shows_each_criterion_on_its_own_scale_and_marks_gaps(store):
    ws = pack(store, ["Alpha", "Delta"])["Heatmap"]
    rows = {r[0]: r for r in cells(ws)}
    assert rows["Criterion"][1:] == ["Scale", "Weight", "Alpha", "Delta"]
    # Alpha's need: 5 and 3 on 1-5 -> 4.0 (never 75); evidence: 3 and 1 on 0-3 -> 2.0
    assert rows["Need"][1] == "Scale 1–5" and rows["Need"][3] == pytest.approx(4.0)
    assert rows["Evidence"][3] == pytest.approx(2.0)
    assert rows["Evidence"][4] == "not assessed"  # Delta: missing, never 0
    # a scale without numbers: the level's name (green and red meet at yellow), coloured
    assert rows["Traffic light"][3] == "yellow – pay attention"
    assert rows["Answers the problem"][3] == "yes"
    light = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Traffic light")
    assert ws.cell(light, 4).fill.fgColor.rgb.endswith("9ECAE1")  # the middle of the scale
    rules = [r for cf in ws.conditional_formatting for r in cf.rules]
    assert rules and all(r.type == "colorScale" for r in rules)
    ends = {(r.colorScale.cfvo[0].val, r.colorScale.cfvo[-1].val) for r in rules}
    assert (1.0, 5.0) in ends and (0.0, 3.0) in ends, "colours run over each row's own scale"
    assert rows["Weighted score"][3] == "3.92 / 5"  # 72.9 of 0-100, on the framework's 1-5
    assert rows["Weighted score"][4] is None  # insufficient data has no score
    assert rows["Rank"][3] == 2  # behind the innovation with the formula-like name
    assert rows["Rank"][4] == "Fails a must-pass"
    assert "0–100" not in str(rows["Criterion"])


def test_each_innovation_sheet_has_profile_scores_comments_and_provenance(store):
    ws = pack(store, ["Alpha"])["1. Alpha"]
    values = flat(ws)
    assert ws["A1"].value == "Alpha"
    assert "Lapland" in values and "3 Prototypes and pilots" in values
    assert "Provenance of every score" in values
    provenance = [r for r in cells(ws) if r[7] == "pilot.xlsx"]
    header = next(r for r in cells(ws) if r[0] == "Criterion" and "File" in r)
    assert header[3] == "Score on the scale" and "Score 0–100" not in header
    on_scale = {(r[0], r[1]): r[3] for r in provenance}
    assert on_scale[("Need", "Anna")] == 5 and on_scale[("Evidence", "Ben")] == 1
    assert on_scale[("Traffic light", "Ben")] == "red – stop and rethink"  # never 0
    # Alpha's two assessors scored 4 + 3 criteria; every score names its file, sheet and row.
    assert len(provenance) == 7
    assert {(r[1], r[8], r[9]) for r in provenance} == {
        ("Anna", "Assessments", 2),
        ("Ben", "Assessments", 3),
    }


def test_text_that_looks_like_a_formula_is_escaped_everywhere(store):
    wb = pack(store, [EVIL_NAME])
    values = [v for ws in wb.worksheets for v in flat(ws) if isinstance(v, str)]
    assert not [v for v in values if v.startswith(("=", "+", "@"))]
    assert "'" + EVIL_NAME in values
    assert "'" + EVIL_COMMENT in values
    assert wb.sheetnames[2].startswith("1. @HYPERLINK(")  # a sheet name is never run


def test_the_pack_speaks_the_users_language(store):
    wb = pack(store, ["Alpha"], lang="fi")
    assert wb.sheetnames[:2] == ["Painot ja rajaukset", "Lämpökartta"]
    assert "ei arvioitu" not in flat(wb["Lämpökartta"])  # Alpha has every criterion
    assert any("eivät ole suosituksia" in str(v) for v in flat(wb["Painot ja rajaukset"]))


@pytest.mark.parametrize(
    ("titles", "expected"),
    [
        (["a/b", "c:d"], ["a_b", "c_d"]),
        (["x" * 40, "x" * 40], ["x" * 31, "x" * 27 + " (2)"]),
        (["Heatmap"], ["Heatmap (2)"]),
    ],
)
def test_sheet_names_are_valid_and_unique(titles, expected):
    assert sheet_names(titles, taken=["heatmap"]) == expected
