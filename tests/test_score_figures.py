"""One way to show a figure: scores on their framework's own scale, shares, counts and money in
each language; frameworks that are not averages shown in their own terms."""

import pytest

from sihub.access import Visibility
from sihub.i18n import (
    format_common,
    format_count,
    format_money,
    format_rating,
    format_score,
    format_share,
)
from sihub.reference import load_scales
from sihub.reference.outcomes import framework_rules, outcome_text, outcomes

ALL = Visibility.ALL  # these tests are about scales, not roles: every assessment


@pytest.fixture(scope="module")
def scales(reference_store):
    return load_scales(reference_store)


@pytest.mark.parametrize(
    ("scale", "normalised", "lang", "shown"),
    [
        ("1-5", 0.8, "fi", "4,2 / 5"),
        ("1-5", 0.8, "sv", "4,2 / 5"),
        ("1-5", 0.8, "en", "4.2 / 5"),
        ("1-5", 0.0, "fi", "1,0 / 5"),  # "1 – heikko" is never 0
        ("1-5", 0.625, "en", "3.5 / 5"),
        ("0-5", 0.6, "fi", "3,0 / 5"),
        ("0-3", 0.666667, "en", "2.0 / 3"),
        ("nesta_levels", 0.5, "en", "3.0 / 5"),
        ("traffic_light", 1.0, "en", "green – carry on"),
        ("traffic_light", 0.75, "en", "75 / 100"),  # a mean between colours: 0-100, labelled
        ("1-5", None, "fi", "–"),
        ("1-5", float("nan"), "en", "–"),
    ],
)
def test_a_score_is_shown_on_its_own_scale(scales, scale, normalised, lang, shown):
    assert format_score(normalised, scales[scale], lang) == shown


@pytest.mark.parametrize(
    ("normalised", "lang", "shown"),
    [(0.0, "fi", "1 – heikko"), (0.75, "sv", "4 – god"), (0.6, "en", "3.4 / 5")],
)
def test_a_single_rating_shows_its_level(scales, normalised, lang, shown):
    assert format_rating(normalised, scales["1-5"], lang) == shown


def test_levels_convert_both_ways(scales):
    for scale in scales.values():
        for level in scale.levels:
            if level.value is not None:
                assert scale.value_of(level.normalised) == pytest.approx(level.value)
                assert scale.normalised_of(level.value) == pytest.approx(level.normalised)
    assert scales["1-5"].normalised_of(4) == 0.75
    assert scales["traffic_light"].normalised_of(2) is None


@pytest.mark.parametrize(
    ("call", "fi", "en"),
    [
        (lambda lang: format_share(0.345, lang), "35\u00a0%", "35%"),
        (lambda lang: format_count(12345, lang), "12\u00a0345", "12,345"),
        (lambda lang: format_money(14630000, lang), "14\u00a0630\u00a0000\u00a0€", "€14,630,000"),
        (lambda lang: format_common(0.825, lang), "83 / 100", "83 / 100"),
    ],
)
def test_other_figures_in_each_language(call, fi, en):
    assert (call("fi"), call("en")) == (fi, en)


def _failing_points(store, framework, innovation_id, lang):
    """Criteria of the innovation's latest external round that some assessor did not pass,
    read straight from the scores."""
    return [
        r[0]
        for r in store.rows(
            f"""SELECT c.name_{lang} FROM scores s JOIN assessments a ON a.id = s.assessment_id
                JOIN criteria c ON c.framework_code = a.framework_code AND c.code = s.criterion_code
                WHERE a.framework_code = ? AND a.innovation_id = ? AND a.assessment_type <> 'self'
                  AND a.superseded_by_batch IS NULL AND s.normalised < 1
                  AND coalesce(a.round, 0) = (SELECT max(coalesce(round, 0)) FROM assessments
                      WHERE framework_code = ? AND innovation_id = ? AND assessment_type <> 'self'
                        AND superseded_by_batch IS NULL)
                GROUP BY c.name_{lang}, c.sort_order ORDER BY c.sort_order""",
            [framework, innovation_id, framework, innovation_id],
        )
    ]


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_a_checklist_says_passes_or_names_the_failed_points(demo_store, lang):
    rule = framework_rules(demo_store, lang)["sim_validation"]
    assert rule.combine == "checklist" and rule.pass_fail and not rule.averaged
    results = outcomes(demo_store, ALL, rule)
    assert results
    for innovation_id, outcome in results.items():
        text = outcome_text(rule, outcome, lang)
        failing = _failing_points(demo_store, "sim_validation", innovation_id, lang)
        assert "0." not in text and "0," not in text
        if failing:
            word = "fails on: " if lang == "en" else "hylätty kohdista: "
            assert text.startswith(word + ", ".join(failing))
        elif not outcome.missing:
            assert text == ("passes" if lang == "en" else "hyväksytty")


def test_a_traffic_light_counts_colours(demo_store):
    rule = framework_rules(demo_store, "en")["innokyla_mittari"]
    results = outcomes(demo_store, ALL, rule)
    assert results
    for outcome in results.values():
        text = outcome_text(rule, outcome, "en")
        assert [w.split(" ")[1] for w in text.split(" · ")[:3]] == ["red", "yellow", "green"]
        assert sum(n for _, n in outcome.counts) + len(outcome.missing) == len(rule.criteria)


def test_every_framework_file_says_how_it_combines(reference_store):
    rules = framework_rules(reference_store, "en")
    assert {c: r.combine for c, r in rules.items() if not r.averaged} == {
        "innokyla_award": "all_pass",
        "sim_validation": "checklist",
        "innokyla_mittari": "traffic_light",
    }


def test_the_sql_twin_converts_typed_points_as_the_scale_does(reference_store, scales):
    from sihub.reference.scales import normalised_of_sql

    for code, scale in scales.items():
        for value in (-1, 0, 0.5, 1, 1.3, 2, 2.5, 3, 3.7, 4, 5, 7):
            sql = f"SELECT {normalised_of_sql('?')}"
            got = reference_store.scalar(sql, [code, value])
            want = scale.normalised_of(value)
            assert (got is None) == (want is None), (code, value)
            if want is not None:
                assert got == pytest.approx(want, abs=2e-6), (code, value)


@pytest.mark.parametrize("minimum", [4, 3.5, 1, 2.2])
def test_the_explorer_minimum_is_typed_on_the_scale(demo_store, minimum):
    """ "At least 4" on 1-5 is typed as 4 and keeps exactly the innovations whose mean is 4
    or more on that scale."""
    from sihub import pipeline
    from sihub.pipeline.filters import InnovationFilter

    scale = load_scales(demo_store)["1-5"]
    means = demo_store.rows(
        "SELECT innovation_id, mean_score FROM score_summary "
        "WHERE framework_code = 'si_tool' AND scope = 'external' AND visibility = 'all'"
    )
    want = sorted(i for i, m in means if scale.value_of(m) >= minimum - 1e-6)
    got = pipeline.results(demo_store, ALL, InnovationFilter(min_score=minimum), "en")
    assert sorted(got.id) == want and want


def test_an_old_link_with_a_0_to_1_minimum_still_means_what_it_meant(demo_store):
    from sihub import pipeline
    from sihub.pipeline.filters import InnovationFilter

    cleaned, _ = pipeline.clean_filter(demo_store, ALL, InnovationFilter(min_score=0.75))
    assert cleaned.min_score == 4.0
    kept, _ = pipeline.clean_filter(demo_store, ALL, InnovationFilter(min_score=2.5))
    assert kept.min_score == 2.5


@pytest.mark.parametrize(
    ("typed", "stored"),
    [(4, 0.75), ("3,5", 0.625), ("75 %", 0.75), (0.5, 0.5), (None, None), (1, 0.0)],
)
def test_a_calls_minimum_score_is_read_on_the_scale_scores_are_shown_on(scales, typed, stored):
    """ "2" in a funding catalogue is 2 on 1-5, never 2 %; a 0-1 value from an older file
    (below the scale's bottom) and a percentage keep their meaning."""
    from sihub.importing.values import as_score_minimum

    got = as_score_minimum(typed, scales["1-5"])
    assert got == (None if stored is None else pytest.approx(stored))


def test_a_minimum_above_the_scale_is_an_error(scales):
    from sihub.importing.values import ValueProblem, as_score_minimum

    with pytest.raises(ValueProblem) as raised:
        as_score_minimum("7", scales["1-5"])
    assert raised.value.code == "score_above_scale"


def test_an_exported_call_list_writes_the_minimum_as_it_is_typed(scales):
    import pandas as pd

    from sihub.funding import export

    empty = {c: [[] if c.endswith("_names") else None] for c, _ in export._EXPORT}
    calls = pd.DataFrame(empty).assign(min_normalised_score=[0.5])
    frame = export.export_frame(calls, "en", scales["1-5"])
    assert frame["Minimum assessment score"].tolist() == [3.0]  # 3 / 5, read back as 0.5
