"""Scores on the scale people rated them on, and pass/fail frameworks as pass/fail, as a user
sees them on the pages (AppTest on a copy of the demo store)."""

from __future__ import annotations

import pytest

from sihub.access import Visibility
from sihub.db import open_store
from sihub.i18n import format_score
from sihub.reference import load_scales
from sihub.reference.outcomes import framework_rules, outcome_text, outcomes
from tests.apptools import run_app, table

ALL = Visibility.ALL  # these tests are about scales, not roles: every assessment


def _run(monkeypatch, db, page, lang="en", **params):
    at = run_app(monkeypatch, db, page, lang=lang, **params)
    assert not at.exception, [e.value for e in at.exception]
    return at


def _external_mean(store, framework="si_tool"):
    """An innovation with an external mean on ``framework``, and that mean (0-1)."""
    return store.rows(
        "SELECT innovation_id, mean_score FROM score_summary WHERE framework_code = ? "
        "AND scope = 'external' AND visibility = 'all' ORDER BY innovation_id LIMIT 1",
        [framework],
    )[0]


HEADLINES = [("fi", "Keskiarvo, ulkoiset arvioinnit"), ("en", "Mean score, external assessments")]


@pytest.mark.parametrize(("lang", "label"), HEADLINES)
def test_the_profile_headline_is_on_the_frameworks_scale(demo_copy, monkeypatch, lang, label):
    store = open_store(demo_copy)
    innovation_id, mean = _external_mean(store)
    want = format_score(mean, load_scales(store)["1-5"], lang)
    at = _run(monkeypatch, demo_copy, "pages/innovation.py", lang, id=str(innovation_id))
    shown = {m.label: m.value for m in at.metric}
    assert shown[label] == want
    assert want.endswith(" / 5") and ("," in want) == (lang == "fi")


def test_the_profile_shows_a_checklist_as_passes_or_fails_on(demo_copy, monkeypatch):
    store = open_store(demo_copy)
    rule = framework_rules(store, "en")["sim_validation"]
    results = outcomes(store, ALL, rule)
    failing = next(i for i, o in results.items() if o.failed)
    at = _run(monkeypatch, demo_copy, "pages/innovation.py", id=str(failing))
    at.session_state["profile.section"] = "scores"
    at.run()
    frameworks = table(at, "framework", "result")
    row = frameworks[
        (frameworks.framework == rule.name) & (frameworks.scope == "External assessors")
    ]
    assert row.result.iloc[0] == outcome_text(rule, results[failing], "en")
    assert row.result.iloc[0].startswith("fails on: ")


def test_the_explorer_minimum_is_typed_on_the_scale_shown(demo_copy, monkeypatch):
    at = _run(monkeypatch, demo_copy, "pages/pipeline.py", minscore="4")
    box = at.number_input(key="pipe_minscore")
    assert box.label == "Minimum score (1–5)" and box.value == 4
    shown = table(at, "name", "basis")
    assert len(shown) > 0
    assert all(float(s.split(" / ")[0]) >= 4 for s in shown.score)


def test_a_pass_fail_framework_is_a_gate_never_a_weight(demo_copy, monkeypatch):
    at = _run(monkeypatch, demo_copy, "pages/funders.py", today="")
    weighed = at.selectbox(key="fu_fw.en").options
    gates = at.multiselect(key="fu_pass").options
    store = open_store(demo_copy)
    rules = framework_rules(store, "en")
    assert rules["sim_validation"].name in gates and rules["innokyla_award"].name in gates
    assert not {r.name for r in rules.values() if not r.averaged} & set(weighed)
    at.multiselect(key="fu_pass").select("sim_validation").run()
    assert not at.exception
    assert at.query_params["pass"] == "sim_validation"
    ranked = table(at, "gates")
    failed = ranked[ranked.status == "Fails a must-pass"]
    assert len(failed) > 0
    assert all("SIM database validation: " in g for g in failed.gates)
    assert any("SIM database validation: fails on: " in g for g in failed.gates)
    passed = ranked[ranked.status == "Ranked"]
    assert all("SIM database validation: passes" in g for g in passed.gates)


def test_the_comparison_shows_a_checklist_in_its_own_terms(demo_copy, monkeypatch):
    store = open_store(demo_copy)
    rule = framework_rules(store, "en")["sim_validation"]
    results = outcomes(store, ALL, rule)
    chosen = sorted(results)[:3]
    at = _run(monkeypatch, demo_copy, "pages/compare.py", today="", fw="sim_validation",
              ids=",".join(map(str, chosen)))  # fmt: skip
    shown = table(at, "basis", "result")
    names = dict(store.rows("SELECT id, name FROM innovations"))
    want = {names[i]: outcome_text(rule, results[i], "en") for i in chosen}
    assert dict(zip(shown.name, shown.result, strict=True)) == want


def test_the_ecosystem_shows_area_and_dimension_means_on_the_scale(demo_copy):
    from sihub.ecosystem import flow, regions

    store = open_store(demo_copy)
    scale = load_scales(store)["1-5"]
    areas = regions.areas(store, ALL, "fi")
    scored = areas[areas.scored > 0]
    assert list(scored.score_text) == [format_score(m, scale, "fi") for m in scored.mean_score]
    assert regions.scores_sentence(areas, ALL, "fi").count(" / 5") == 2
    dims = flow.dimension_means_by_round(store, ALL, "en")
    assert dims["mean"].between(1, 5).all() and flow.dimension_range(store) == (1.0, 5.0)


def test_the_profiles_criterion_figures_are_drawn_on_the_scale(demo_copy):
    from sihub import profile
    from sihub.charts import pipeline as charts

    store = open_store(demo_copy)
    innovation_id, _ = _external_mean(store)
    comparison = profile.criterion_comparison(store, ALL, innovation_id, "si_tool", "all", "en")
    axis = profile.axis_of(load_scales(store)["1-5"])
    shown = profile.on_axis(comparison, axis)
    scored = comparison["mean"].notna()
    assert list(shown["mean"][scored]) == [round(1 + 4 * m, 2) for m in comparison["mean"][scored]]
    dots = profile.assessor_scores(store, ALL, innovation_id, "si_tool")
    figure = charts.criterion_dot_plot(shown, profile.on_axis(dots, axis, columns=("normalised",)),
        {k: k for k in ("cohort", "median", "assessor", "mine", "self")},
        (axis.low, axis.high, axis.title))  # fmt: skip
    assert figure.layout.xaxis.title.text == "1–5"
    assert figure.layout.xaxis.range == pytest.approx((0.8, 5.2))


@pytest.mark.parametrize("framework", ["sim_validation", "innokyla_award"])
def test_the_explorer_keeps_those_that_pass_a_pass_fail_framework(
    demo_copy, monkeypatch, framework
):
    from sihub import pipeline
    from sihub.pipeline.filters import InnovationFilter

    store = open_store(demo_copy)
    rule = framework_rules(store, "en")[framework]
    want = sorted(i for i, o in outcomes(store, ALL, rule).items() if o.passed)
    chosen = InnovationFilter(score_framework=framework, passes=True)
    assert sorted(pipeline.results(store, ALL, chosen, "en").id) == want  # the SQL twin agrees
    at = _run(monkeypatch, demo_copy, "pages/pipeline.py", scorefw=framework, passes="1")
    assert at.checkbox(key="pipe_passes").value is True
    if not want:  # the demo's SIM checklists all fail on some point
        assert any("No innovation matches" in i.value for i in at.info)
        return
    shown = table(at, "name", "basis")
    assert len(shown) == len(want)
    assert set(shown.score) == {
        outcome_text(rule, outcomes(store, ALL, rule)[i], "en") for i in want
    }


def test_passes_means_nothing_for_a_mean_and_is_left_out_with_a_notice(demo_copy, monkeypatch):
    at = _run(monkeypatch, demo_copy, "pages/pipeline.py", passes="1")
    assert "passes=1" in " ".join(w.value for w in at.warning)


def test_the_comparisons_words_sum_a_checklist_up_by_its_results(demo_copy, monkeypatch):
    store = open_store(demo_copy)
    rule = framework_rules(store, "en")["sim_validation"]
    results = outcomes(store, ALL, rule)
    chosen = sorted(results)[:2]
    at = _run(monkeypatch, demo_copy, "pages/compare.py", today="", fw="sim_validation",
              ids=",".join(map(str, chosen)))  # fmt: skip
    words = " ".join(m.value for m in at.markdown)
    assert "fails on\\: " in words and "Strongest overall" not in words  # Markdown-escaped
