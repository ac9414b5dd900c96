"""An assessment without an assessor (an anonymous form) is one assessor wherever assessors
are counted: in the profile's basis, the explorer's rows, the criterion summaries, the overview
and the import's preview; never "10/10 criteria, 0 assessors"."""

from __future__ import annotations

import pytest

from sihub import importing, overview, pipeline, profile, scores
from sihub.access import Visibility
from sihub.pipeline.filters import InnovationFilter
from tests.builders import BY_STAFF
from tests.import_corpus import TODAY, write_book

ALL = Visibility.ALL  # staff: every assessment counts

HEADER = ["Innovaatio", "Arvioija", "Yhteiskunnallinen tarve", "Uutuusarvo"]
ROWS = [  # three anonymous forms on Olohuone, one named form on Kotiapu
    ["Olohuone", None, 4, 3],
    ["Olohuone", None, 5, 4],
    ["Olohuone", None, 3, None],
    ["Kotiapu", "Anna Virtanen", 2, 2],
]


@pytest.fixture
def imported(store, tmp_path):
    path = write_book(tmp_path / "nimettomat.xlsx", {"Vastaukset": [HEADER, *ROWS]})
    result = importing.import_file(store, path, today=TODAY, by=BY_STAFF)
    assert result.status == importing.IMPORTED
    ids = dict(store.rows("SELECT name, id FROM innovations"))
    return store, result, ids


def test_the_import_preview_counts_anonymous_assessors(imported):
    _, result, _ = imported
    counts = result.summary.counts
    assert (counts["assessments_new"], counts["assessors_new"]) == (4, 1)
    assert counts["assessors_anonymous"] == 3


def test_profile_basis_and_criteria_count_each_anonymous_form_once(imported):
    store, _, ids = imported
    headline = profile.headline_scores(store, ALL, ids["Olohuone"], "en")
    external = headline[headline.scope == "external"].iloc[0]
    assert external.assessors == 3
    assert external.basis == "2/10 criteria, 3 assessors"
    criteria = profile.criterion_comparison(store, ALL, ids["Olohuone"], "si_tool", "all", "en")
    by_code = dict(zip(criteria.criterion_code, criteria.assessors, strict=True))
    assert (by_code["need"], by_code["novelty"]) == (3, 2)  # one form left novelty blank


def test_explorer_rows_and_overview_count_anonymous_assessors(imported):
    store, _, _ = imported
    rows = pipeline.results(store, ALL, InnovationFilter(), "en")
    assessors = dict(zip(rows.name, rows.assessors, strict=True))
    assert (assessors["Olohuone"], assessors["Kotiapu"]) == (3, 1)
    assert overview.headline_figures(store, ALL, TODAY)["assessors"] == 4


def test_the_pandas_and_sql_definitions_agree(imported):
    store, _, _ = imported
    rows = scores.score_rows(store, ALL, types=scores.EXTERNAL_TYPES, latest_round=True)
    in_pandas = scores.criterion_means(rows).set_index(["innovation_id", "criterion_code"])
    in_sql = scores.latest_criterion_means(store, ALL).set_index(
        ["innovation_id", "criterion_code"]
    )
    assert in_pandas["assessors"].sort_index().tolist() == in_sql["assessors"].sort_index().tolist()
    matrix = scores.latest_score_matrix(store, ALL, ["need"])
    assert sorted(matrix.assessors) == [1, 3]
    by_round = scores.dimension_means_by_round(store, ALL)
    assert by_round.set_index("dimension_code").loc["need", "assessors"] == 4
