"""The score figures the ecosystem page and matching use are computed in DuckDB for speed; they
must equal the row-level definition (``score_rows`` + ``criterion_means``) exactly."""

import pandas as pd
import pytest

from sihub import scores
from sihub.access import Visibility


def expected_innovation_scores(store, types, visibility) -> pd.DataFrame:
    """The definition in pandas: latest round, mean per criterion, mean of those."""
    rows = scores.score_rows(store, visibility, types=types, latest_round=True)
    means = scores.criterion_means(rows)
    per = means.groupby("innovation_id").agg(
        mean_score=("mean", "mean"), criteria_scored=("criterion_code", "nunique")
    )
    facts = rows.groupby("innovation_id").agg(
        scores=("normalised", "size"),
        assessors=("assessor_id", "nunique"),
        assessments=("assessment_id", "nunique"),
        round=("round", "max"),
    )
    return per.join(facts)


@pytest.mark.parametrize(
    ("types", "visibility"),
    [
        (scores.EXTERNAL_TYPES, Visibility.SHARED),
        (scores.EXTERNAL_TYPES, Visibility.ALL),
        (scores.ALL_TYPES, Visibility.ALL),
        (("self",), Visibility.ALL),
        (scores.EXTERNAL_TYPES, Visibility.PUBLISHED),
    ],
)
def test_innovation_scores_equal_the_row_level_definition(demo_store, types, visibility):
    found = scores.innovation_scores(demo_store, visibility, types=types)
    expected = expected_innovation_scores(demo_store, types, visibility)
    assert len(found) == len(expected) > 0
    found = found.set_index("innovation_id")
    for column in ("criteria_scored", "scores", "assessors", "assessments", "round"):
        assert found[column].astype(int).to_dict() == expected[column].astype(int).to_dict()
    assert found.mean_score.to_numpy() == pytest.approx(expected.mean_score.to_numpy())
    assert (found.criteria_total == 10).all()


def test_innovation_scores_leave_out_unscored_and_unknown_innovations(demo_store):
    unscored = demo_store.scalar(
        "SELECT min(id) FROM innovations i WHERE NOT EXISTS "
        "(SELECT 1 FROM assessments a WHERE a.innovation_id = i.id)"
    )
    found = scores.innovation_scores(demo_store, Visibility.ALL, innovation_ids=[unscored, 999_999])
    assert found.empty  # missing is missing: no row, never a zero


def test_dimension_means_by_round_equal_the_row_level_definition(demo_store):
    found = scores.dimension_means_by_round(
        demo_store, Visibility.SHARED, types=scores.EXTERNAL_TYPES
    )
    rows = scores.score_rows(demo_store, Visibility.SHARED, types=scores.EXTERNAL_TYPES)
    rows["round"] = rows["round"].fillna(0).astype(int)
    expected = {}
    for round_no, in_round in rows.groupby("round"):
        per_innovation = (
            scores.criterion_means(in_round)
            .groupby(["innovation_id", "dimension_code"])["mean"]
            .mean()
            .reset_index()
        )
        for dim, part in per_innovation.groupby("dimension_code"):
            assessors = in_round[in_round.dimension_code == dim].assessor_id.nunique()
            expected[(round_no, dim)] = (
                part["mean"].mean(),
                part.innovation_id.nunique(),
                assessors,
            )
    assert len(found) == len(expected) > 10
    for row in found.itertuples():
        mean, innovations, assessors = expected[(row.round, row.dimension_code)]
        assert row.mean == pytest.approx(mean)
        assert (row.innovations, row.assessors) == (innovations, assessors)
