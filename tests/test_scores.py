"""The one definition of an innovation's score: latest round, missing left out, counts kept."""

from datetime import date

import pytest

from sihub.access import Visibility
from sihub.scores import basis_text, criterion_means, innovation_scores, score_rows


@pytest.fixture
def scored(store):
    """Innovation 1: round 1 (old) and round 2 by two experts, one criterion unscored; a
    self-assessment in round 2; an internal funder assessment. Innovation 2: never assessed."""
    with store.transaction() as cur:
        cur.execute(
            "INSERT INTO innovations (id, name, name_key) VALUES (1, 'A', 'a'), (2, 'B', 'b')"
        )
        cur.execute(
            "INSERT INTO assessors (id, name, name_key) VALUES (1, 'X', 'x'), "
            "(2, 'Y', 'y'), (3, 'Z', 'z')"
        )
        rows = [  # id, assessor, type, round, shared, published
            (1, 1, "expert", 1, True, True),
            (2, 1, "expert", 2, True, False),
            (3, 2, "expert", 2, True, True),
            (4, 3, "self", 2, True, False),
            (5, 3, "funder", 2, False, True),  # internal: never published, whatever it says
        ]
        for aid, who, kind, rnd, shared, published in rows:
            cur.execute(
                "INSERT INTO assessments (id, innovation_id, framework_code, assessor_id, "
                "assessment_type, round, shared, published, assessed_on) VALUES "
                "(?, 1, 'si_tool', ?, ?, ?, ?, ?, ?)",
                [aid, who, kind, rnd, shared, published, date(2025, rnd, 1)],
            )
        scores = [
            (1, "need", 0.0),
            (2, "need", 1.0),
            (3, "need", 0.5),
            (2, "novelty", 0.75),
            (3, "novelty", None),
            (4, "need", 1.0),
            (5, "need", 0.0),
        ]
        for aid, crit, norm in scores:
            cur.execute(
                "INSERT INTO scores (assessment_id, criterion_code, normalised) VALUES (?, ?, ?)",
                [aid, crit, norm],
            )
    return store


def test_latest_round_external_scores_make_the_mean(scored):
    row = innovation_scores(scored, Visibility.SHARED).iloc[0]
    # need: mean(1.0, 0.5) = 0.75; novelty: 0.75 (the missing one is left out, not 0)
    assert row.mean_score == pytest.approx(0.75)
    assert (row.criteria_scored, row.criteria_total, row.assessors, row["round"]) == (2, 10, 2, 2)
    assert row.scores == 3  # round 1 and the self-assessment are not part of it


def test_internal_assessments_count_only_for_those_who_see_every_assessment(scored):
    everyone = innovation_scores(scored, Visibility.ALL).iloc[0]
    assert everyone.assessors == 3  # the funder's internal assessment joins
    assert everyone.mean_score == pytest.approx((0.5 + 0.75) / 2)


def test_the_public_sees_published_results_and_their_own_latest_round(scored):
    """Published: round 1's expert and one of round 2's; the internal funder assessment says
    published but stays internal."""
    public = innovation_scores(scored, Visibility.PUBLISHED).iloc[0]
    assert (public["round"], public.assessors, public.scores) == (2, 1, 1)
    assert public.mean_score == pytest.approx(0.5)  # assessor Y's need; novelty was missing
    rows = score_rows(scored, Visibility.PUBLISHED)
    assert sorted(rows.assessment_id) == [1, 3]


def test_unassessed_innovations_are_absent_not_zero(scored):
    assert list(innovation_scores(scored, Visibility.ALL).innovation_id) == [1]


def test_self_assessment_is_kept_apart(scored):
    own = innovation_scores(scored, Visibility.ALL, types=("self",)).iloc[0]
    assert own.mean_score == 1.0 and own.assessors == 1


def test_spread_per_criterion_and_provenance(scored):
    rows = score_rows(scored, Visibility.ALL, types=("expert",), latest_round=True)
    need = criterion_means(rows).set_index("criterion_code").loc["need"]
    assert need["spread"] == 0.5 and need["assessors"] == 2
    assert set(rows.columns) >= {"assessor", "file_name", "source_sheet", "source_row"}


def test_basis_text_in_each_language():
    assert basis_text(8, 10, 3, "en") == "8/10 criteria, 3 assessors"
    assert basis_text(8, 10, 3, "sv") == "8/10 kriterier, 3 bedömare"
