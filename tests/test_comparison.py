"""The comparison: numbers per cell, what they rest on, ordering, groups, agreement, rounds,
self vs external, the words beside the charts, and the charts' data."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sihub.access import Visibility
from sihub.charts import compare as charts
from sihub.compare import agreement, queries, rounds, self_external, views, words
from sihub.compare.display import short_labels, shown, to_scale
from sihub.compare.queries import Comparison, comparison_of
from sihub.compare.selection import MAX_ITEMS, Selection
from sihub.pipeline.filters import NOT_RECORDED
from sihub.reference import load_scales
from tests.builders.mixed_scales import ASSESSMENTS, INNOVATIONS, mixed_store

ALL = Visibility.ALL  # the staff's comparison: every assessment unless "shared only"

# A second round for Alpha (its first round is in ASSESSMENTS), and a self-assessment.
MORE = [
    ["A-1", "mixed", "Anna", "expert", date(2024, 9, 1), 2, True, 4, 3, "green", "yes", None],
    ["A-1", "mixed", "Cleo", "peer", date(2024, 9, 2), 2, True, 2, 3, "yellow", "yes", None],
    ["A-1", "mixed", "Alpha team", "self", date(2024, 8, 1), 2, True, 5, 3, "green", "yes", None],
]


@pytest.fixture
def mixed(mixed_template_db: Path, tmp_path: Path):
    s = mixed_store(mixed_template_db, tmp_path, [*ASSESSMENTS, *MORE], INNOVATIONS)
    yield s
    s.close()


def ids(store) -> dict[str, int]:
    return {name: i for i, name in store.rows("SELECT id, name FROM innovations")}


def selection(store, *names: str, **kw) -> Selection:
    found = ids(store)
    return Selection(ids=tuple(found[n] for n in names), framework="mixed", **kw)


def cell(comparison: Comparison, name: str, criterion: str) -> pd.Series | None:
    key = comparison.columns.set_index("label").key[name]
    found = comparison.cells[
        (comparison.cells.key == key) & (comparison.cells.criterion_code == criterion)
    ]
    return None if found.empty else found.iloc[0]


def test_the_picker_names_an_innovation_with_its_lead_organisation_or_alone(mixed):
    found = ids(mixed)
    with mixed.transaction() as cur:
        cur.execute("INSERT INTO organisations (name, name_key) VALUES ('Kaupunki', 'kaupunki')")
        cur.execute(
            "INSERT INTO innovation_organisations SELECT ?, id, 'lead', NULL FROM organisations",
            [found["Alpha"]],
        )
    labels = queries.innovation_labels(mixed, ALL, "mixed")
    assert labels[found["Alpha"]] == "Alpha · Kaupunki"
    assert labels[found["Beta"]] == "Beta"  # no lead organisation: the name alone, no "nan"
    assert list(labels) == list(queries.innovation_options(mixed, ALL, "mixed").id)


# the URL form ---------------------------------------------------------------------------------
def test_a_selection_survives_the_url():
    sel = Selection(ids=(5, 3, 9), framework="nesta_soe", basis="self", shared_only=True)
    query = sel.to_query()
    assert query == {"ids": "5,3,9", "fw": "nesta_soe", "basis": "self", "shared": "1"}
    assert Selection.from_query(query) == sel
    groups = Selection(group_by="region", groups=("lapland", NOT_RECORDED))
    assert Selection.from_query(groups.to_query()) == groups
    assert Selection().to_query() == {}


def test_malformed_url_values_fall_back_to_defaults_and_are_reported():
    sel, left_out = Selection.parse_query(
        {"ids": "3,x,3,,7", "by": "nonsense", "groups": "a", "basis": "weird", "shared": "yes"}
    )
    assert sel == Selection(ids=(3, 7))
    assert set(map(str, left_out)) == {
        "ids=x",
        "by=nonsense",
        "groups=a",
        "basis=weird",
        "shared=yes",
    }
    many = Selection.from_query({"ids": ",".join(map(str, range(1, 50)))})
    assert len(many.ids) == MAX_ITEMS


# showing scores on their scales ---------------------------------------------------------------
LEVELS_1_5 = tuple((str(v), float(v), (v - 1) / 4, f"{v}") for v in range(1, 6))
LIGHT = (("red", None, 0.0, "red"), ("yellow", None, 0.5, "yellow"), ("green", None, 1.0, "green"))


@pytest.mark.parametrize(
    ("normalised", "levels", "display", "expected"),
    [
        (0.625, LEVELS_1_5, "scale", "3.5"),
        (0.625, LEVELS_1_5, "pct", "63"),
        (None, LEVELS_1_5, "scale", "–"),
        (float("nan"), LEVELS_1_5, "pct", "–"),
        (0.5, LIGHT, "scale", "yellow"),  # on a level of an ordinal scale: its name
        (0.25, LIGHT, "scale", "25"),  # between levels: 0-100, never a made-up level
        (0.0, LIGHT, "scale", "red"),
    ],
)
def test_a_score_is_shown_on_its_own_scale(normalised, levels, display, expected):
    assert shown(normalised, levels, display, "en") == expected


def test_uneven_scales_are_mapped_back_through_their_levels():
    uneven = (("a", 0.0, 0.0, "a"), ("b", 1.0, 0.8, "b"), ("c", 2.0, 1.0, "c"))
    assert to_scale(0.4, uneven) == pytest.approx(0.5)
    assert to_scale(0.9, uneven) == pytest.approx(1.5)
    assert shown(0.9, uneven, "scale", "fi") == "1,5"


def test_the_comparison_reaches_a_scale_by_the_one_rule_the_scales_define(mixed):
    """Every stored scale: the comparison's own level tuples give what ``Scale.value_of``
    gives, so that "3,7" on the comparison is "3,7 / 5" elsewhere."""
    levels = queries.scale_levels(mixed, "en")
    for code, scale in load_scales(mixed).items():
        for normalised in np.linspace(0, 1, 21):
            assert to_scale(normalised, levels[code]) == scale.value_of(normalised), code


# the numbers ----------------------------------------------------------------------------------
def test_cells_are_latest_round_means_across_scales_and_gaps_stay_missing(mixed):
    comparison = comparison_of(mixed, ALL, selection(mixed, "Alpha", "Beta", "Delta"), "en")
    # Alpha's latest round is round 2: need 4 and 2 on 1-5 -> 0.75 and 0.25 -> mean 0.5.
    need = cell(comparison, "Alpha", "m_need")
    assert need["mean"] == pytest.approx(0.5)
    assert (need.assessors, need.scores, need.low, need.high) == (2, 2, 0.25, 0.75)
    assert cell(comparison, "Alpha", "m_light")["mean"] == pytest.approx(0.75)  # green and yellow
    # Delta was scored on need only: its other cells are absent (not assessed), never 0.
    assert cell(comparison, "Delta", "m_evidence") is None
    delta = comparison.columns.set_index("label").loc["Delta"]
    assert (delta.criteria_scored, delta.criteria_total) == (1, 4)
    assert delta["mean"] == pytest.approx(0.75)


def test_self_assessment_is_kept_apart_from_external(mixed):
    external = comparison_of(mixed, ALL, selection(mixed, "Alpha", "Beta"), "en")
    own = comparison_of(mixed, ALL, selection(mixed, "Alpha", "Beta", basis="self"), "en")
    assert cell(external, "Alpha", "m_need")["mean"] == pytest.approx(0.5)
    assert cell(own, "Alpha", "m_need")["mean"] == pytest.approx(1.0)
    assert cell(own, "Beta", "m_need")["mean"] == pytest.approx(1.0)
    pairs = self_external.self_vs_external(mixed, external)
    assert pairs.equals(self_external.self_vs_external(mixed, own)), (
        "the same pairs from either basis"
    )
    alpha = pairs[pairs.key == str(ids(mixed)["Alpha"])].set_index("criterion_code")
    assert alpha.at["m_need", "self"] == pytest.approx(1.0)
    assert alpha.at["m_need", "external"] == pytest.approx(0.5)
    assert alpha.at["m_need", "difference"] == pytest.approx(0.5)
    summary = self_external.self_external_summary(pairs).set_index("key")
    assert summary.at[str(ids(mixed)["Alpha"]), "higher"] == 2  # need and light


def test_shared_only_leaves_out_internal_assessments(mixed):
    everything = comparison_of(mixed, ALL, selection(mixed, "Beta", "Alpha"), "en")
    shared = comparison_of(mixed, ALL, selection(mixed, "Beta", "Alpha", shared_only=True), "en")
    # Beta: Anna (shared) gave need 1, the funder (internal) 5.
    assert cell(everything, "Beta", "m_need")["mean"] == pytest.approx(0.5)
    assert cell(shared, "Beta", "m_need")["mean"] == pytest.approx(0.0)
    assert cell(shared, "Beta", "m_need").assessors == 1
    assert (everything.visibility, shared.visibility) == (Visibility.ALL, Visibility.SHARED)
    # a funder sees the shared assessments whatever the selection says; it cannot widen that
    funder = comparison_of(mixed, Visibility.SHARED, selection(mixed, "Beta", "Alpha"), "en")
    assert funder.cells.equals(shared.cells) and funder.visibility == Visibility.SHARED


def test_unknown_ids_are_reported_not_compared(mixed):
    sel = selection(mixed, "Alpha", "Beta").with_(ids=(ids(mixed)["Alpha"], 9999))
    comparison = comparison_of(mixed, ALL, sel, "en")
    assert comparison.unknown == ("9999",)
    assert comparison.columns.label.tolist() == ["Alpha"]


def test_an_innovation_with_no_scores_is_a_column_of_gaps(mixed):
    comparison = comparison_of(mixed, ALL, selection(mixed, "Alpha", "Gamma"), "en")
    gamma = comparison.columns.set_index("label").loc["Gamma"]
    assert gamma.criteria_scored == 0 and pd.isna(gamma["mean"])
    grid = views.matrix(comparison, "mean", "dimension")
    assert grid[str(ids(mixed)["Gamma"])].isna().all()
    assert "Gamma has no score on this framework and basis" in " ".join(
        words.heatmap_words(comparison, "scale", "en")
    )


# ordering -------------------------------------------------------------------------------------
def test_columns_sort_by_mean_by_criterion_or_by_name_with_gaps_last(mixed):
    comparison = comparison_of(mixed, ALL, selection(mixed, "Beta", "Delta", "Alpha"), "en")
    label = comparison.columns.set_index("key").label
    by_mean = [label[k] for k in views.column_order(comparison, "mean")]
    assert by_mean == ["Alpha", "Delta", "Beta"]  # 0.8125, 0.75 (one criterion), 0.625
    by_evidence = [label[k] for k in views.column_order(comparison, "criterion:m_evidence")]
    assert by_evidence == ["Alpha", "Beta", "Delta"]  # Delta not assessed: last
    assert [label[k] for k in views.column_order(comparison, "name")] == ["Alpha", "Beta", "Delta"]
    assert [label[k] for k in views.column_order(comparison, "chosen")] == [
        "Beta",
        "Delta",
        "Alpha",
    ]


def test_criteria_follow_dimensions_or_the_widest_differences(mixed):
    comparison = comparison_of(mixed, ALL, selection(mixed, "Alpha", "Beta"), "en")
    # need, effectiveness (light, yes), evidence in the vocabulary's dimension order.
    assert views.criteria_order(comparison, "dimension") == [
        "m_need",
        "m_light",
        "m_yes",
        "m_evidence",
    ]
    # Alpha - Beta: evidence 1.0, yes 0.5, need 0.5, light 0.25.
    assert views.criteria_order(comparison, "spread")[0] == "m_evidence"
    assert views.criteria_order(comparison, "spread")[-1] == "m_light"


# groups ---------------------------------------------------------------------------------------
def test_a_group_mean_counts_each_innovation_once(mixed):
    sel = Selection(framework="mixed", group_by="region", groups=("kainuu", NOT_RECORDED))
    comparison = comparison_of(mixed, ALL, sel, "en")
    labels = comparison.columns.set_index("key").label
    assert labels[NOT_RECORDED] == "Not recorded"
    kainuu = comparison.cells[
        (comparison.cells.key == "kainuu") & (comparison.cells.criterion_code == "m_need")
    ]
    assert kainuu.iloc[0]["mean"] == pytest.approx(0.75)  # Delta only; Gamma is unassessed
    assert kainuu.iloc[0].innovations == 1


def test_theme_groups_average_innovation_means_not_pooled_scores(mixed):
    sel = Selection(framework="mixed", group_by="theme", groups=("employment",))
    comparison = comparison_of(mixed, ALL, sel, "en")
    need = comparison.cells[comparison.cells.criterion_code == "m_need"].iloc[0]
    # Alpha 0.5 (two assessors) and Beta 0.5 (Anna 0.0 and the funder 1.0): mean of means.
    assert need["mean"] == pytest.approx(0.5)
    # Anna, Cleo and the funder: Anna assessed both and counts once.
    assert (need.innovations, need.assessors) == (2, 3)
    options = queries.group_options(mixed, ALL, sel, "en").set_index("code")
    assert options.at["employment", "innovations"] == 2
    assert options.at["employment", "label"] == "Employment"


def test_rounds_can_be_compared_as_groups(mixed):
    sel = Selection(framework="mixed", group_by="round", groups=("1", "2"))
    comparison = comparison_of(mixed, ALL, sel, "en")
    assert comparison.columns.label.tolist() == ["Round 1", "Round 2"]
    light = comparison.cells[comparison.cells.criterion_code == "m_light"].set_index("key")["mean"]
    # Round 1: Alpha (green, red) 0.5 and Beta (yellow, green) 0.75 -> 0.625; round 2: Alpha.
    assert light["1"] == pytest.approx(0.625)
    assert light["2"] == pytest.approx(0.75)


# agreement, rounds ----------------------------------------------------------------------------
def test_strong_disagreement_is_flagged_per_cell_and_counted_per_criterion(mixed):
    sel = selection(mixed, "Alpha", "Beta").with_(shared_only=False)
    comparison = comparison_of(mixed, ALL, sel, "en")
    flagged = agreement.disagreements(comparison)
    # Alpha round 2: need 4 vs 2 (half the 1-5 scale), green vs yellow (half the light);
    # Beta: the funder vs Anna on everything.
    assert set(zip(flagged.label, flagged.criterion_code, strict=True)) == {
        ("Alpha", "m_need"),
        ("Alpha", "m_light"),
        ("Beta", "m_need"),
        ("Beta", "m_evidence"),
        ("Beta", "m_light"),
        ("Beta", "m_yes"),
    }
    table = agreement.disagreement_table(flagged, "scale", "en")
    alpha_need = table[(table.label == "Alpha") & (table.criterion == "Need")].iloc[0]
    assert (alpha_need.low, alpha_need.high, alpha_need.assessors) == ("2.0", "4.0", 2)
    per = agreement.agreement(comparison).set_index("criterion_code")
    assert per.at["m_need", "disagreements"] == 2
    assert per.at["m_light", "max_spread"] == pytest.approx(0.5)
    text = words.agreement_words(comparison, flagged, "scale", "en")
    assert text.startswith("Assessors disagree strongly on 6 scores")
    assert "Alpha on Need (2.0 to 4.0)" in text


def test_change_between_rounds(mixed):
    means = rounds.round_means(mixed, ALL, selection(mixed, "Alpha", "Beta"))
    assert set(means.innovation_id) == {ids(mixed)["Alpha"]}  # Beta has one round only
    criteria = queries.criteria_frame(mixed, "mixed", "en")
    change = rounds.round_change(means, criteria).set_index("criterion_code")
    assert change.at["m_need", "first"] == pytest.approx(0.75)
    assert change.at["m_need", "last"] == pytest.approx(0.5)
    assert change.at["m_evidence", "change"] == pytest.approx(1 - 2 / 3, abs=1e-5)
    summary = rounds.round_summary(change.reset_index())
    assert summary.iloc[0][["improved", "declined", "criteria"]].tolist() == [2, 1, 4]
    text = words.rounds_words(
        summary, change.reset_index(), {str(ids(mixed)["Alpha"]): "Alpha"}, criteria, "scale", "en"
    )
    assert text.startswith("Alpha: from round 1 to round 2")
    assert "It fell most on Need (−1.0)" in text


# words and charts -----------------------------------------------------------------------------
def test_the_heatmap_in_words_names_strongest_and_weakest(mixed):
    comparison = comparison_of(mixed, ALL, selection(mixed, "Alpha", "Beta", "Delta"), "en")
    points = words.heatmap_words(comparison, "scale", "en")
    # The criteria use four different scales, so overall means are shown 0-100.
    assert points[0] == (
        "Strongest overall: Alpha (81, 4/4 criteria, 2 assessors); "
        "weakest overall: Beta (63, 4/4 criteria, 2 assessors)."
    )
    assert any(p.startswith("Strongest per criterion: Alpha (") for p in points)
    assert any("Not assessed: Delta on" in p for p in points)


def test_the_heatmap_draws_gaps_apart_from_scores(mixed):
    comparison = comparison_of(mixed, ALL, selection(mixed, "Alpha", "Delta"), "en")
    cells = views.heatmap_cells(comparison, "name", "dimension", "scale", "en")
    fig = charts.heatmap(cells, not_assessed="not assessed", colour_title="", hover_value="")
    scores_trace, gaps_trace = fig.data
    z = np.array(scores_trace.z, dtype=float)
    assert z.shape == (4, 2)
    assert np.isnan(z[:, 1]).sum() == 3, "Delta's three gaps are not drawn on the scale"
    gaps = np.array(gaps_trace.z, dtype=object)
    assert [[v == 1 for v in row] for row in gaps] == [[False, False], *[[False, True]] * 3]
    assert gaps_trace.text[1][1] == "not assessed"
    assert scores_trace.zmin == 0 and scores_trace.zmax == 1
    assert list(scores_trace.x) == ["Alpha", "Delta"]
    assert scores_trace.text[0][0] == "3.0"  # need 0.5 on 1-5


def test_the_dot_plot_has_a_band_a_median_and_one_series_per_column():
    band = pd.DataFrame(
        {"criterion": ["A", "B"], "q25": [20.0, 40.0], "median": [50.0, 60.0], "q75": [70, 80]}
    )
    points = pd.DataFrame(
        {"criterion": ["A", "B", "A"], "column": ["X", "X", "Y"], "x": [10.0, 90, 50], "text": "t"}
    )
    band["text"], band["median_text"] = ["2–7", "4–8"], ["5", "6"]
    fig = charts.dot_plot(points, band, x_title="", band_label="band", median_label="median")
    assert [tr.name for tr in fig.data] == ["band", "median", "X", "Y"]
    assert list(fig.data[0].base) == [20.0, 40.0] and list(fig.data[0].x) == [50.0, 40.0]
    x_series = fig.data[2]
    assert list(x_series.x) == [10.0, 90.0]
    assert x_series.y[0] != fig.data[3].y[0], "equal rows are offset so no marker hides another"
    assert list(fig.layout.yaxis.ticktext) == ["A", "B"]


def test_the_paired_dots_join_each_criterions_two_values():
    pairs = pd.DataFrame(
        {
            "criterion": ["A", "B"],
            "first": [20.0, 60.0],
            "second": [40.0, 50.0],
            "first_text": ["1", "3"],
            "second_text": ["2", "2.5"],
        }
    )
    fig = charts.paired_dots(pairs, first_label="R1", second_label="R2", x_title="")
    line, first, second = fig.data
    assert list(line.x) == [20.0, 40.0, None, 60.0, 50.0, None]
    assert (first.name, second.name) == ("R1", "R2")


def test_the_radar_is_a_closed_single_profile_in_fixed_order():
    profile = pd.DataFrame({"criterion": ["A", "B", "C"], "x": [10.0, None, 80.0]})
    fig = charts.radar_thumbnail(profile, name="X")
    assert list(fig.data[0].theta) == ["A", "B", "C", "A"]
    assert len(fig.data) == 1


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        (["Short", "Short"], ["Short", "Short (2)"]),
        (
            [
                "Diakonian ruoka-apu ja neuvonta – Joensuu",
                "Diakonian ruoka-apu ja neuvonta – Kuopio",
            ],
            ["Diakonian ruoka-ap…nta – Joensuu", "Diakonian ruoka-ap…onta – Kuopio"],
        ),
    ],
)
def test_short_labels_cut_the_middle_and_stay_unique(labels, expected):
    out = short_labels(labels, width=32)
    assert out == expected
    assert all(len(x) <= 36 for x in out)


def test_the_comparison_exports_scores_basis_and_provenance(mixed):
    import io
    from datetime import datetime

    import openpyxl

    from sihub.compare.export import comparison_workbook

    comparison = comparison_of(mixed, ALL, selection(mixed, "Alpha", "Delta"), "en")
    data = comparison_workbook(
        mixed, comparison, "mean", "dimension", "en", datetime(2025, 5, 1, 9)
    )
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Scores", "Compared", "Provenance", "About"]
    rows = list(wb["Scores"].iter_rows(values_only=True))
    assert rows[0] == ("Dimension", "Criterion", "Rating scale", "Alpha", "Delta")
    need = next(r for r in rows if r[1] == "Need")
    assert need[3:] == (3, 4)  # on Need's own 1-5 scale, as the page shows it (50, 75 of 0-100)
    light = next(r for r in rows if r[1] == "Traffic light")
    # between the gauge's levels: 0-100, labelled as such, never a bare number on a word scale
    assert light[2] == "Traffic light (Innokylä assessment gauge)" and light[3] == "75 / 100"
    compared = list(wb["Compared"].iter_rows(values_only=True))
    assert compared[0][1] == "Mean (common 0–100 scale)"  # the criteria's scales differ
    evidence = next(r for r in rows if r[1] == "Evidence")
    assert evidence[4] is None  # Delta was not assessed on it: empty, never 0
    provenance = list(wb["Provenance"].iter_rows(values_only=True))
    # Alpha's round-2 scores (Anna and Cleo, four criteria each) and Delta's one score.
    assert len(provenance) - 1 == 9
    assert {r[9] for r in provenance[1:]} == {"pilot.xlsx"}
    # every score on its criterion's own scale, as given: 1-5 numbers, a traffic light's level
    assert provenance[0][7] == "Score on the scale"
    need = {r[7] for r in provenance[1:] if r[1] == "Need"}
    assert need and need <= {1, 2, 3, 4, 5}
    lights = {r[7] for r in provenance[1:] if r[1] == "Traffic light"}
    assert lights and all(isinstance(v, str) and not v.endswith("/ 100") for v in lights)
    about = {r[0]: r[1] for r in wb["About"].iter_rows(values_only=True)}
    assert about["Compared"] == "Alpha, Delta"
    assert about["Assessments used"] == "all assessments, internal ones included"


def test_the_heatmap_can_group_rows_by_dimension():
    cells = pd.DataFrame(
        {
            "criterion_code": ["a", "a", "b", "b", "c", "c"],
            "criterion": ["A", "A", "B", "B", "C", "C"],
            "dimension": ["D1", "D1", "D2", "D2", "D2", "D2"],
            "key": ["1", "2"] * 3,
            "column": ["X", "Y"] * 3,
            "label": ["X", "Y"] * 3,
            "value": [0.1, None, 0.5, 0.7, 1.0, 0.2],
            "text": ["1", "–", "3", "4", "5", "2"],
            "basis": ["b"] * 6,
        }
    )
    fig = charts.heatmap(cells, not_assessed="na", colour_title="", hover_value="", grouped=True)
    assert [list(level) for level in fig.data[0].y] == [["D1", "D2", "D2"], ["A", "B", "C"]]
