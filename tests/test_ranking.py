"""The funder's ranking: the arithmetic (weights, scales, missing criteria, gates, ties), the
URL form of a funder's choices, and a ranking on a real store with mixed rating scales."""

from __future__ import annotations

import itertools
import math
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from sihub import DATA_DIR
from sihub.access import Visibility
from sihub.db.store import Store
from sihub.funders.ranking import (
    NoWeightsError,
    RankingSpec,
    criterion_weights,
    default_enough,
    display_table,
    gate_results,
    order,
    preset_weights,
    presets,
    rank,
    ranking_words,
    shown_score,
    weighted_scores,
)
from sihub.funders.ranking import unknown_settings as ranking_unknown
from sihub.pipeline.filters import NOT_RECORDED, InnovationFilter
from sihub.reference.scales import Level, Scale
from tests.builders.mixed_scales import ASSESSMENTS, INNOVATIONS, mixed_store

FUNDER = Visibility.SHARED  # the funder view as a funder sees it: shared assessments only
STAFF = Visibility.ALL  # every assessment, internal ones included


@pytest.fixture
def mixed(mixed_template_db: Path, tmp_path: Path) -> Store:
    s = mixed_store(mixed_template_db, tmp_path, ASSESSMENTS, INNOVATIONS)
    yield s
    s.close()


def ids(store: Store) -> dict[str, int]:
    return {name: i for i, name in store.rows("SELECT id, name FROM innovations")}


# the arithmetic on literal numbers ------------------------------------------------------------
def means(rows: dict[int, dict[str, float | None]]) -> pd.DataFrame:
    return pd.DataFrame.from_dict(rows, orient="index", dtype=float)


@pytest.mark.parametrize(
    ("weights", "expected"),
    [
        ({"a": 1, "b": 1, "c": 1}, 100 * (1.0 + 0.5 + 0.25) / 3),
        ({"a": 2, "b": 1, "c": 1}, 100 * (2 * 1.0 + 0.5 + 0.25) / 4),
        ({"a": 0, "b": 1, "c": 3}, 100 * (0.5 + 3 * 0.25) / 4),
        ({"a": 5, "b": 0, "c": 0}, 100.0),
    ],
)
def test_weighted_score_is_the_weighted_mean_on_0_to_100(weights, expected):
    frame = means({1: {"a": 1.0, "b": 0.5, "c": 0.25}})
    out = weighted_scores(frame, pd.Series(weights, dtype=float))
    assert out.at[1, "score"] == pytest.approx(expected)
    assert out.at[1, "criteria_weighted"] == sum(1 for w in weights.values() if w > 0)


def test_a_missing_criterion_is_left_out_never_counted_as_zero():
    frame = means({1: {"a": 1.0, "b": None, "c": 0.5}, 2: {"a": 1.0, "b": 0.0, "c": 0.5}})
    out = weighted_scores(frame, pd.Series({"a": 1.0, "b": 3.0, "c": 1.0}))
    # Innovation 1 rests on a and c only: (1.0 + 0.5) / 2, not (1.0 + 0 + 0.5) / 5.
    assert out.at[1, "score"] == pytest.approx(75.0)
    assert out.at[1, "criteria_scored"] == 2
    assert out.at[1, "weight_covered"] == pytest.approx(2 / 5)
    # A real zero is a score: innovation 2 is pulled down by it.
    assert out.at[2, "score"] == pytest.approx(100 * 1.5 / 5)
    assert out.at[2, "criteria_scored"] == 3


def test_an_innovation_scored_on_no_weighted_criterion_has_no_score():
    frame = means({1: {"a": None, "b": 0.5}})
    out = weighted_scores(frame, pd.Series({"a": 1.0, "b": 0.0}))
    assert math.isnan(out.at[1, "score"])
    assert out.at[1, "criteria_scored"] == 0


def test_gates_pass_at_the_minimum_and_fail_below_or_when_not_assessed():
    frame = means({1: {"a": 0.75, "b": 0.9}, 2: {"a": 0.7499, "b": 0.9}, 3: {"a": None, "b": 1.0}})
    out = gate_results(frame, {"a": 0.75, "b": 0.5})
    assert out.at[1, "passes"] == ["a", "b"] and out.at[1, "fails"] == []
    assert out.at[2, "fails"] == [("a", pytest.approx(0.7499))]
    assert out.at[3, "fails"] == [("a", None)]
    assert out.at[3, "passes"] == ["b"]


def _table(rows: list[tuple]) -> pd.DataFrame:
    """(id, name, score, scored, fails) -> the frame ``order`` takes."""
    return pd.DataFrame(
        [
            {
                "innovation_id": i,
                "name": name,
                "score": score,
                "criteria_scored": scored,
                "criteria_weighted": 10,
                "passes": [],
                "fails": fails,
            }
            for i, name, score, scored, fails in rows
        ]
    )


def test_ties_to_one_decimal_share_a_rank_and_the_next_rank_skips():
    out = order(
        _table(
            [
                (1, "Cedar", 80.04, 10, []),
                (2, "Birch", 79.96, 10, []),
                (3, "Aspen", 90.0, 10, []),
                (4, "Dogwood", 60.0, 10, []),
            ]
        ),
        enough=7,
    )
    assert out.name.tolist() == ["Aspen", "Birch", "Cedar", "Dogwood"]
    assert out["rank"].tolist() == [1, 2, 2, 4]


ONE_TO_FIVE = Scale(
    "one_to_five",
    "numeric",
    tuple(Level(str(v), (v - 1) / 4, float(v)) for v in range(1, 6)),
    1.0,
    5.0,
)


def test_scores_that_read_the_same_on_the_frameworks_scale_share_a_rank():
    # 72.92 and 73.08 of 0-100 are 3.9168 and 3.9232 on 1-5: both read "3,92 / 5";
    # 73.1225 and 73.1275 are one tenth apart on 0-100 yet read "3,92 / 5" and "3,93 / 5".
    table = _table(
        [
            (1, "Alder", 72.92, 10, []),
            (2, "Beech", 73.08, 10, []),
            (3, "Cherry", 73.1225, 10, []),
            (4, "Damson", 73.1275, 10, []),
            (5, "Elm", 60.0, 10, []),
        ]
    )
    out = order(table, enough=7, scale=ONE_TO_FIVE)
    shown = {n: shown_score(s, ONE_TO_FIVE, "fi") for n, s in zip(out.name, out.score, strict=True)}
    assert shown == {
        "Damson": "3,93 / 5",
        "Alder": "3,92 / 5",
        "Beech": "3,92 / 5",
        "Cherry": "3,92 / 5",
        "Elm": "3,40 / 5",
    }
    assert dict(zip(out.name, out["rank"], strict=True)) == {
        "Damson": 1,
        "Alder": 2,
        "Beech": 2,
        "Cherry": 2,
        "Elm": 5,
    }
    assert out.name.tolist() == ["Damson", "Alder", "Beech", "Cherry", "Elm"]  # ties by name
    # the same rule wherever the rank is shown: equal figures, equal ranks, and no other ties
    for (a, ra), (b, rb) in itertools.combinations(zip(out.name, out["rank"], strict=True), 2):
        assert (shown[a] == shown[b]) == (ra == rb), (a, b)


def test_insufficient_data_is_set_apart_not_ranked_low_and_failures_come_last():
    out = order(
        _table(
            [
                (1, "Low but complete", 20.0, 10, []),
                (2, "High but thin", 95.0, 3, []),
                (3, "Fails a gate", 99.0, 10, [("evidence", 0.25)]),
                (4, "Also thin", 10.0, 2, []),
                (5, "Best", 70.0, 7, []),
            ]
        ),
        enough=7,
    )
    assert out.name.tolist() == [
        "Best",
        "Low but complete",
        "Also thin",  # insufficient data and failures: alphabetical, whatever the score
        "High but thin",
        "Fails a gate",
    ]
    assert out.status.tolist() == ["ranked", "ranked", "insufficient", "insufficient", "failed"]
    assert out["rank"].tolist()[:2] == [1, 2]
    assert out["rank"].iloc[2:].isna().all()


def test_dimension_weights_are_shared_by_the_dimensions_criteria():
    criteria = pd.DataFrame(
        {"code": ["a", "b", "c"], "dimension_code": ["need", "effect", "effect"]}
    )
    spec = RankingSpec(weight_mode="dimension", weights=(("need", 2.0), ("effect", 2.0)))
    weights = criterion_weights(criteria, spec)
    assert weights.to_dict() == {"a": 2.0, "b": 1.0, "c": 1.0}
    spec = RankingSpec(weights=(("a", 3.0),))  # criterion mode; unnamed criteria weigh 1
    assert criterion_weights(criteria, spec).to_dict() == {"a": 3.0, "b": 1.0, "c": 1.0}


@pytest.mark.parametrize(("weighted", "enough"), [(10, 7), (4, 3), (3, 3), (1, 1), (0, 0)])
def test_by_default_seventy_percent_of_the_weighted_criteria_are_needed(weighted, enough):
    weights = pd.Series([1.0] * weighted + [0.0] * 2, dtype=float)
    assert default_enough(weights) == enough


def test_presets_exist_in_three_languages_and_name_real_dimensions(store):
    dims = {r[0] for r in store.rows("SELECT code FROM dimensions")}
    codes = [p["code"] for p in presets()]
    assert {"equal", "evidence_first", "scaling_first"} <= set(codes)
    for p in presets():
        assert all(p.get(lang) for lang in ("fi", "sv", "en")), p["code"]
        assert set(p.get("weights", {})) <= dims, p["code"]
    with (DATA_DIR / "weight_presets.toml").open("rb") as f:
        assert tomllib.load(f)["presets"][0]["code"] == "equal"


def test_evidence_first_weighs_evidence_above_the_rest(store):
    from sihub.compare.queries import criteria_frame

    criteria = criteria_frame(store, "si_tool", "en")
    weights = preset_weights("evidence_first", criteria, "criterion")
    assert weights["evidence"] > weights["effectiveness"] > weights["need"] == 1


# the URL form ---------------------------------------------------------------------------------
def test_a_funders_choices_survive_the_url():
    spec = RankingSpec(
        framework="nesta_soe",
        weight_mode="dimension",
        weights=(("evidence", 3.0), ("need", 1.0), ("systemic", 0.0)),
        gates=(("evidence", "3"),),
        enough=5,
        filter=InnovationFilter(regions=("lapland", NOT_RECORDED), themes=("employment",)),
    )
    query = spec.to_query()
    assert query["w"] == "evidence:3,systemic:0"  # weights equal to the default are left out
    assert query["region"] == "lapland,none"
    back = RankingSpec.from_query(query)
    assert back.to_query() == query
    assert back.weight_of("evidence") == 3.0 and back.weight_of("need") == 1.0
    assert RankingSpec().to_query() == {}


def test_malformed_url_parts_are_ignored():
    spec = RankingSpec.from_query(
        {"w": "need:abc,novelty:9,evidence:2,:3", "wmode": "bogus", "enough": "x", "gate": "a:"}
    )
    assert spec.weights == (("evidence", 2.0),)
    assert spec.weight_mode == "criterion"
    assert spec.enough is None and spec.gates == ()


# a ranking on a real store --------------------------------------------------------------------
def test_ranking_normalises_across_scales_and_uses_only_shared_external_scores(mixed):
    result = rank(mixed, FUNDER, RankingSpec(framework="mixed"), "en")
    table = result.table.set_index("name")
    # Alpha: need (5, 3 on 1-5) = 0.75; evidence (3, 1 on 0-3) = 2/3; light (green, red) = 0.5;
    # answers (yes; Ben left it blank, which is missing, not "no") = 1.0.
    assert table.at["Alpha", "score"] == pytest.approx(100 * (0.75 + 2 / 3 + 0.5 + 1.0) / 4)
    assert table.at["Alpha", "criteria_scored"] == 4
    assert table.at["Alpha", "assessors"] == 2
    # Beta: only Anna's shared expert rating; the internal funder rating and the
    # self-assessment (both top marks) are left out.
    assert table.at["Beta", "score"] == pytest.approx(100 * (0 + 0 + 0.5 + 0.5) / 4)
    assert table.at["Beta", "assessors"] == 1
    # Delta was scored on one criterion of four: insufficient data, no rank.
    assert table.at["Delta", "status"] == "insufficient"
    assert pd.isna(table.at["Delta", "rank"])
    assert result.table.name.tolist() == ["Alpha", "Beta", "Delta"]
    assert result.unassessed == 1  # Gamma has no assessment at all
    assert result.counts() == {"ranked": 2, "insufficient": 1, "failed": 0}
    # Staff see every assessment: the internal funder rating (top marks) lifts Beta.
    staff = rank(mixed, STAFF, RankingSpec(framework="mixed"), "en").table.set_index("name")
    assert staff.at["Beta", "score"] > table.at["Beta", "score"]
    assert staff.at["Beta", "assessors"] == 2


def test_a_must_pass_minimum_on_its_own_scale(mixed):
    # Evidence at least "2" on the 0-3 scale (2/3): Alpha's mean is exactly 2/3 and passes.
    spec = RankingSpec(framework="mixed", gates=(("m_evidence", "2"),))
    result = rank(mixed, FUNDER, spec, "en")
    table = result.table.set_index("name")
    assert table.at["Alpha", "passes"] == ["m_evidence"]
    assert table.at["Beta", "status"] == "failed"
    assert table.at["Delta", "fails"] == [("m_evidence", None)]
    words = display_table(result, "en").set_index("name").gates
    assert words["Beta"] == "fails Evidence: 0.0 below the minimum 2.0"
    assert words["Delta"] == "fails Evidence: not assessed (minimum 2.0)"
    assert result.table.name.tolist()[-2:] == ["Beta", "Delta"]


def test_weights_change_the_order(mixed):
    spec = RankingSpec(framework="mixed", enough=1)
    plain = rank(mixed, FUNDER, spec, "en").table.name.tolist()
    assert plain[0] == "Delta"  # need 4 of 5 alone: 75 beats Alpha's 72.9
    heavy = rank(mixed, FUNDER, spec.with_(weights=(("m_yes", 5.0),)), "en").table.name.tolist()
    assert heavy[0] == "Alpha"


def test_filters_narrow_the_ranking_and_not_recorded_is_a_choice(mixed):
    only_lapland = RankingSpec(framework="mixed", filter=InnovationFilter(regions=("lapland",)))
    assert rank(mixed, FUNDER, only_lapland, "en").table.name.tolist() == ["Alpha"]
    no_region = RankingSpec(framework="mixed", filter=InnovationFilter(regions=(NOT_RECORDED,)))
    assert rank(mixed, FUNDER, no_region, "en").table.name.tolist() == ["Beta"]
    both = RankingSpec(
        framework="mixed", filter=InnovationFilter(regions=("kainuu",), stages=("sustaining",))
    )
    result = rank(mixed, FUNDER, both, "en")
    assert result.table.name.tolist() == ["Delta"]
    assert result.unassessed == 0


def test_all_weights_zero_is_an_error_not_a_ranking(mixed):
    spec = RankingSpec(
        framework="mixed",
        weights=tuple((c, 0.0) for c in ("m_need", "m_evidence", "m_light", "m_yes")),
    )
    with pytest.raises(NoWeightsError) as e:
        rank(mixed, FUNDER, spec, "en")
    assert "weight" in e.value.message("en")


def test_the_ranking_in_words_counts_every_group(mixed):
    words = ranking_words(rank(mixed, FUNDER, RankingSpec(framework="mixed"), "en"), "en")
    assert words[0].startswith("2 innovations ranked; 1 set apart as insufficient data")
    assert words[1].startswith(
        "1 innovations in the filter have no external assessment on this framework "
        "(assessments used: assessments shared with funders only"
    )
    assert words[2] == "Top: 1. Alpha (3.92 / 5); 2. Beta (2.00 / 5)."  # 72.9 and 25 of 0-100


def test_settings_from_an_old_link_that_match_nothing_are_named(mixed):
    from sihub.compare.queries import criteria_frame

    criteria = criteria_frame(mixed, "mixed", "en")
    spec = RankingSpec(
        framework="mixed",
        weights=(("m_need", 2.0), ("gone", 3.0)),
        gates=(("m_evidence", "2"), ("m_evidence", "9"), ("nope", "1")),
    )
    assert list(map(str, ranking_unknown(spec, criteria))) == [
        "w=gone:3",
        "gate=m_evidence:9",
        "gate=nope:1",
    ]
    by_dimension = RankingSpec(framework="mixed", weight_mode="dimension", weights=(("need", 2),))
    assert ranking_unknown(by_dimension, criteria) == []
