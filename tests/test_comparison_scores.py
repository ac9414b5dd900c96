"""The SQL forms of the score definitions give exactly the numbers of ``sihub.scores``' pandas
definitions, so that the explorer, the comparison and the funder ranking agree."""

from __future__ import annotations

import shutil

import pytest

from sihub import scores
from sihub.access import Visibility
from sihub.db import connect

ALL, SHARED, PUBLISHED = Visibility.ALL, Visibility.SHARED, Visibility.PUBLISHED
CASES = [
    {"types": scores.EXTERNAL_TYPES, "visibility": ALL},
    {"types": scores.EXTERNAL_TYPES, "visibility": SHARED},
    {"types": ("self",), "visibility": ALL},
    {"types": scores.ALL_TYPES, "visibility": SHARED},
    {"types": scores.EXTERNAL_TYPES, "visibility": PUBLISHED},
]
KEY = ["innovation_id", "criterion_code"]


@pytest.fixture(scope="module")
def demo(demo_db, tmp_path_factory):
    copy = tmp_path_factory.mktemp("scores") / "demo.duckdb"
    shutil.copy(demo_db, copy)
    s = connect(str(copy))
    yield s
    s.close()


@pytest.mark.parametrize("case", CASES)
def test_latest_criterion_means_equal_the_pandas_definition(demo, case):
    rows = scores.score_rows(demo, latest_round=True, **case)
    expected = scores.criterion_means(rows).sort_values(KEY).reset_index(drop=True)
    got = scores.latest_criterion_means(demo, **case).sort_values(KEY).reset_index(drop=True)
    assert len(got) == len(expected) > 0
    for column in ("mean", "min", "max", "spread"):
        assert got[column].to_numpy() == pytest.approx(expected[column].to_numpy())
    for column in ("scores", "assessors"):
        assert got[column].tolist() == expected[column].tolist()
    assert got[KEY].values.tolist() == expected[KEY].values.tolist()


def test_the_score_matrix_holds_the_same_means_wide(demo):
    codes = [r[0] for r in demo.rows("SELECT code FROM criteria WHERE framework_code = 'si_tool'")]
    wide = scores.latest_score_matrix(demo, SHARED, codes).set_index("innovation_id")
    long = scores.latest_criterion_means(demo, SHARED)
    pivot = long.pivot(index="innovation_id", columns="criterion_code", values="mean")
    assert wide[codes].to_numpy() == pytest.approx(
        pivot.reindex(columns=codes).to_numpy(), nan_ok=True
    )
    assert wide[codes].isna().sum().sum() > 0, "the demo has missing criteria, kept as NaN"


def test_all_rounds_gives_each_rounds_means(demo):
    rows = scores.score_rows(demo, ALL, types=scores.EXTERNAL_TYPES)
    per_round = (
        rows.groupby(["innovation_id", "round", "criterion_code"])["normalised"].mean().sort_index()
    )
    got = scores.latest_criterion_means(demo, ALL, all_rounds=True).set_index(
        ["innovation_id", "round", "criterion_code"]
    )["mean"]
    assert got.sort_index().to_numpy() == pytest.approx(per_round.to_numpy())
    latest = scores.latest_criterion_means(demo, ALL)
    assert len(got) > len(latest), "the demo has innovations assessed in several rounds"


def test_internal_assessments_never_reach_a_shared_only_figure(demo):
    internal = demo.rows(
        "SELECT DISTINCT innovation_id, assessor_id FROM assessments WHERE NOT shared"
    )
    assert internal, "the demo marks funder assessments internal"
    shared = scores.latest_criterion_means(demo, SHARED, with_assessor_ids=True)
    pairs = {
        (i, a)
        for i, ids in zip(shared.innovation_id, shared.assessor_ids, strict=True)
        for a in ids
    }
    internal_only = {
        (i, a)
        for i, a in internal
        if not demo.scalar(
            "SELECT count(*) FROM assessments WHERE innovation_id = ? AND assessor_id = ? "
            "AND shared",
            [i, a],
        )
    }
    assert not pairs & internal_only
