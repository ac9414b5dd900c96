"""An innovation's profile: facts, scores against a cohort, provenance, similarity, funding."""

from __future__ import annotations

from pathlib import Path

import pytest

from sihub import profile, scores
from sihub.access import Visibility
from sihub.charts import pipeline as charts
from sihub.db.store import Store
from sihub.errors import NotFoundError
from sihub.profile import similarity
from tests.builders.pipeline_hub import pipeline_store

ALL = Visibility.ALL  # the staff's profile: every assessment


@pytest.fixture(scope="module")
def loaded(
    template_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Store, dict[str, int]]:
    store, ids = pipeline_store(template_db, tmp_path_factory.mktemp("profile"))
    yield store, ids
    store.close()


def test_an_unknown_innovation_is_not_found(loaded):
    store, _ = loaded
    with pytest.raises(NotFoundError):
        profile.innovation(store, ALL, 424242, "en")


def test_facts_organisations_and_tags(loaded):
    store, ids = loaded
    record = profile.innovation(store, ALL, ids["I5"], "en")
    assert (
        record["name"] == "Nuorten työpolku Oulussa"
        and record["stage"] == "5 Scaling and diffusion"
    )
    assert record["file_name"] == "pipeline-test.xlsx" and record["source_row"] == 6
    orgs = profile.organisations(store, ids["I5"], "en")
    assert list(zip(orgs.name, orgs.role, strict=True)) == [
        ("Nuorten Työpaja ry", "Lead"),
        ("Äänekosken kaupunki", "Partner"),
    ]
    assert profile.organisations(store, ids["I5"], "fi").role.tolist() == ["Vastuutaho", "Kumppani"]
    tags = profile.tags(store, ids["I5"], "en")
    assert tags["themes"] == ["Employment"]
    assert tags["target_groups"] == [
        "Unemployed and people outside the labour market",
        "Young people",
    ]
    assert profile.tags(store, ids["I4"], "en")["themes"] == []


def test_stage_history_and_answers_in_order(loaded):
    store, ids = loaded
    history = profile.stage_history(store, ids["I5"], "en")
    assert history.stage_code.tolist() == ["prototypes", "sustaining", "scaling", "scaling"]
    assert history.note.iloc[-1] == "Sama vaihe kirjattu uudelleen"
    answers = profile.developer_answers(store, ALL, ids["I1"])
    assert answers.question_no.tolist() == ["1", "2", "10"]  # numbers, not text order
    assert profile.developer_answers(store, ALL, ids["I2"]).empty


def test_assessments_list_every_active_assessment_with_missing_counted(loaded):
    store, ids = loaded
    listing = profile.assessments(store, ALL, ids["I3"], "en")
    assert len(listing) == 1
    row = listing.iloc[0]
    assert (row.scored, row.missing) == (3, 7)
    assert row.assessor == "Anna Asiantuntija" and row.assessment_type == "Expert assessment"
    assert len(profile.assessments(store, ALL, ids["I1"], "en")) == 4


def test_headline_keeps_self_and_external_apart(loaded):
    store, ids = loaded
    heads = profile.headline_scores(store, ALL, ids["I1"], "en").set_index("scope")
    assert heads.loc["external", "mean_score"] == pytest.approx(0.725)
    assert heads.loc["external", "basis"] == "10/10 criteria, 2 assessors"
    assert heads.loc["self", "mean_score"] == pytest.approx(1.0)
    assert heads.loc["self", "basis"] == "10/10 criteria, 1 assessor"
    only_self = profile.headline_scores(store, ALL, ids["I2"], "en")
    assert only_self.scope.tolist() == ["self"]


def test_criteria_against_the_cohort(loaded):
    store, ids = loaded
    everyone = profile.criterion_comparison(store, ALL, ids["I1"], "si_tool", "all", "en")
    need = everyone.set_index("criterion_code").loc["need"]
    assert need["mean"] == pytest.approx(0.75) and need["self_mean"] == pytest.approx(1.0)
    assert need.cohort_n == 2 and need.cohort_median == pytest.approx(0.5)  # I3 and I5
    # a shared theme: I5 (employment); I2 shares youth inclusion but has no external score
    theme = profile.criterion_comparison(store, ALL, ids["I1"], "si_tool", "theme", "en")
    assert set(theme.cohort_n) == {1}
    # the same stage (prototypes): only I2, self-assessed, so nobody to compare with
    stage = profile.criterion_comparison(store, ALL, ids["I1"], "si_tool", "stage", "en")
    assert set(stage.cohort_n) == {0} and stage.cohort_median.isna().all()
    # I3 is compared with I1 and I5; its unscored criteria stay missing, not zero
    i3 = profile.criterion_comparison(store, ALL, ids["I3"], "si_tool", "all", "en")
    assert i3["mean"].notna().sum() == 3 and i3["mean"].isna().sum() == 7


def test_disagreement_between_assessors_is_flagged_per_criterion(loaded):
    store, ids = loaded
    i5 = profile.criterion_comparison(store, ALL, ids["I5"], "si_tool", "all", "en")
    flagged = i5[i5.disagreement]
    assert flagged.criterion_code.tolist() == ["novelty"]
    assert (flagged.iloc[0]["min"], flagged.iloc[0]["max"]) == (0.0, 1.0)
    sentence = profile.disagreement_sentence(i5, "en", profile.Axis(1, 5, "1–5"))
    assert "Novelty compared with current practice (1.0–5.0)" in sentence  # as rated on 1-5
    i3 = profile.criterion_comparison(store, ALL, ids["I3"], "si_tool", "all", "en")
    assert "Only one external assessor" in profile.disagreement_sentence(i3, "en")


def test_change_between_rounds(loaded):
    store, ids = loaded
    changes = profile.round_changes(store, ALL, ids["I1"], "si_tool", "en")
    assert [c for c in changes.columns if c != "change"] == [1, 2]
    assert changes.loc["Societal need addressed", "change"] == pytest.approx(0.5)
    assert changes.loc["Systemic change, capacity to act", "change"] == pytest.approx(0.25)
    sentence = profile.change_sentence(changes, "en")
    assert sentence.startswith("From round 1 to round 2, the external mean rose on 10 criteria")
    single = profile.round_changes(store, ALL, ids["I5"], "si_tool", "en")
    [only] = [c for c in single.columns if c != "change"]
    said = profile.change_sentence(single, "en")
    assert said == f"Assessed externally in one round so far (round {only}): no change to show."


def test_comparison_in_words(loaded):
    store, ids = loaded
    comparison = profile.criterion_comparison(store, ALL, ids["I1"], "si_tool", "all", "en")
    on_scale = profile.Axis(1, 5, "1–5")
    sentence = profile.comparison_sentence(comparison, "all assessed innovations", "en", on_scale)
    # systemic: I1 0.5, and the only other score on it (I5) is 0.5 as well
    assert sentence == (
        "Compared with the median of all assessed innovations, this innovation scores higher "
        "on 9 criteria and about the same on 1 criterion. Furthest above: Put into practice "
        "/ tested (+2.0)."  # points of the 1-5 scale; none lower: not said ("lower on 0")
    )
    fi = profile.comparison_sentence(comparison, "kaikki", "fi", on_scale)
    assert "saa enemmän pisteitä 9 kriteerissä ja suunnilleen saman verran pisteitä 1 " in fi
    assert " 0 " not in fi


def test_every_score_traces_to_its_file_sheet_and_row(loaded):
    store, ids = loaded
    trail = profile.score_provenance(store, ALL, ids["I1"], "en")
    assert len(trail) == 40  # four assessments x ten criteria
    need = trail[(trail.criterion == "Societal need addressed") & (trail["round"] == 2)]
    expert = need[need.assessor == "Anna Asiantuntija"].iloc[0]
    assert expert.comment == "Tarve on perusteltu hyvin."
    assert expert.file_name == "pipeline-test.xlsx"
    assert (expert.source_sheet, expert.source_row) == ("Assessments", 3)
    assert expert.location == "Assessments!J3"  # need is column J of the sheet
    assert expert.raw_value == "4" and expert.normalised == pytest.approx(0.75)
    assert set(trail.assessment_type) == {"Expert assessment", "Peer assessment", "Self-assessment"}


def test_similar_innovations_by_wording_and_tags(loaded):
    store, ids = loaded
    similar = similarity.similar_innovations(store, ids["I1"], "en")
    assert ids["I1"] not in set(similar.innovation_id)
    assert len(similar) <= 5
    assert similar.innovation_id.iloc[0] == ids["I5"]  # same words, theme and target group
    top = similar.iloc[0]
    assert top.text_similarity > 0.3 and top.shared_themes.tolist() == ["Employment"]
    assert top.shared_target_groups.tolist() == ["Young people"]
    rounded = [round(x, 6) for x in similar.similarity]
    assert rounded == sorted(rounded, reverse=True)
    assert ids["I4"] not in set(similar.innovation_id)  # nothing in common


def test_an_innovation_with_nothing_in_common_has_no_similar_ones(loaded):
    store, ids = loaded
    assert similarity.similar_innovations(store, ids["I4"], "en").empty


def test_dot_plot_draws_cohort_assessors_self_and_mean(loaded):
    store, ids = loaded
    comparison = profile.criterion_comparison(store, ALL, ids["I5"], "si_tool", "all", "en")
    dots = profile.assessor_scores(store, ALL, ids["I5"], "si_tool")
    labels = {k: k for k in ("cohort", "median", "assessor", "mine", "self")}
    figure = charts.criterion_dot_plot(comparison, dots, labels)
    traces = {trace.name: trace for trace in figure.data}
    assert list(traces["mine"].y) == comparison.criterion.tolist()
    assert list(traces["mine"].x) == pytest.approx(comparison["mean"].tolist())
    assert len(traces["assessor"].x) == 20  # two assessors x ten criteria
    assert "self" not in traces  # I5 has no self-assessment: none drawn, none in the legend
    with_self = profile.criterion_comparison(store, ALL, ids["I1"], "si_tool", "all", "en")
    drawn = charts.criterion_dot_plot(with_self, dots, labels)
    assert "self" in {trace.name for trace in drawn.data}  # I1 has one
    assert set(figure.layout.xaxis.range) == {-0.05, 1.05}
    # the legend sits above the plot: below it, a short chart's legend lay over the axis title
    legend = figure.layout.legend
    assert legend.y >= 1 and legend.yanchor == "bottom"


def test_assessor_dots_are_the_latest_round_of_each_scope(demo_store):
    """One read of the scores, split by the summaries' rounds, equals score_rows' own
    latest round per scope (external and self apart)."""

    ids = [r[0] for r in demo_store.rows("SELECT DISTINCT innovation_id FROM assessments")]
    for innovation_id in ids[:15]:
        dots = profile.assessor_scores(demo_store, ALL, innovation_id, "si_tool")
        for scope, types in scores.SCOPES.items():
            expected = scores.score_rows(
                demo_store, ALL, types=types, innovation_ids=[innovation_id], latest_round=True
            )
            got = dots[dots.scope == scope]
            key = ["criterion_code", "assessor", "normalised"]
            assert sorted(map(tuple, got[key].values.tolist())) == sorted(
                map(tuple, expected[key].values.tolist())
            ), (innovation_id, scope)


UNASSESSED = {
    Visibility.PUBLISHED: "There are no published assessment results for this innovation yet.",
    Visibility.SHARED: (
        "No assessment results of this innovation have been shared with funders yet."
    ),
    Visibility.ALL: "This innovation has not been assessed yet.",
}


@pytest.mark.parametrize(("visibility", "said"), UNASSESSED.items())
def test_an_innovation_without_assessments_the_viewer_sees_is_described_per_viewer(
    visibility, said
):
    assert profile.unassessed_text(visibility, "en") == said
    external = profile.unassessed_text(visibility, "en", "external")
    assert ("published" in external) is (visibility == Visibility.PUBLISHED)
