"""Ecosystem statistics on a small hand-made hub: the tile map covers Finland's 22 areas, the
collaboration network is built from shared innovations, and every figure and data-quality list
counts exactly the records it says."""

from datetime import date

import pandas as pd
import pytest

from sihub import pipeline, scores
from sihub.access import Visibility
from sihub.charts import ecosystem as figures
from sihub.demo import SI_CRITERIA
from sihub.ecosystem import flow, money, organisations, quality, regions, themes
from sihub.importing import import_file
from sihub.overview import NOT_RECORDED
from sihub.pipeline.filters import InnovationFilter
from tests.builders import BY_STAFF, write_workbook

ALL, SHARED = Visibility.ALL, Visibility.SHARED
CODES_AS_LABELS = {code: code for code in figures.TILE_LAYOUT}

TODAY = date(2026, 6, 1)
CRITERIA = list(SI_CRITERIA)


@pytest.fixture
def hub(store, tmp_path):
    """Four organisations, four innovations, two assessments, three awards, two calls."""
    sheets = {
        "Organisations": [
            ["name", "org_type", "region"],
            ["Alfa ry", "association", "helsinki"],
            ["Beta Oy", "company", "lapland"],
            ["Gamma kunta", "municipality", "lapland"],
            ["Delta ry", None, None],
        ],
        "Innovations": [
            [
                "ref",
                "name",
                "lead_organisation",
                "partner_organisations",
                "regions",
                "themes",
                "target_groups",
                "stage",
                "created_on",
                "modified_on",
                "short_description",
            ],
            [
                "I1",
                "Yksi",
                "Alfa ry",
                "Beta Oy; Gamma kunta",
                "helsinki",
                "employment",
                "youth",
                "prototypes",
                date(2025, 1, 10),
                date(2025, 2, 1),
                "Kuvaus",
            ],
            [
                "I2",
                "Kaksi",
                "Alfa ry",
                "Beta Oy",
                "helsinki; lapland",
                "employment; housing",
                "youth",
                "scaling",
                date(2025, 5, 5),
                date(2026, 5, 1),
                "Kuvaus",
            ],
            [
                "I3",
                "Kolme",
                "Delta ry",
                None,
                "national",
                "housing",
                None,
                None,
                date(2023, 1, 1),
                date(2023, 6, 1),
                "Kuvaus",
            ],
            [
                "I4",
                "Neljä",
                "Gamma kunta",
                None,
                None,
                None,
                "ageing",
                "prototypes",
                date(2026, 4, 1),
                None,
                None,
            ],
        ],
        "Assessments": [
            [
                "innovation",
                "framework",
                "assessor",
                "assessment_type",
                "assessed_on",
                "round",
                "shared",
                *CRITERIA,
            ],
            [
                "I1",
                "si_tool",
                "Arvioija A",
                "expert",
                date(2025, 9, 1),
                1,
                "kyllä",
                5,
                4,
                4,
                3,
                3,
                4,
                5,
                3,
                4,
                4,
            ],
            [
                "I2",
                "si_tool",
                "Arvioija B",
                "expert",
                date(2026, 2, 1),
                1,
                "kyllä",
                2,
                3,
                2,
                *[None] * 7,
            ],
        ],
        "Awards": [
            ["innovation", "funder", "programme", "amount", "awarded_on", "organisation"],
            ["I1", "STEA", "STEA-avustukset", 100000, date(2025, 10, 1), "Alfa ry"],
            ["I2", "STEA", "STEA-avustukset", 50000, date(2026, 1, 1), "Beta Oy"],
            ["I2", "ELY-keskus", "ESR+", None, date(2026, 3, 1), None],
        ],
        "Funding": [
            ["ref", "funder", "call_name", "themes", "amount_max", "opens_on", "deadline"],
            ["C1", "STEA", "Avoin haku", "employment", 300000, date(2026, 5, 1), date(2026, 8, 1)],
            ["C2", "STEA", "Päättynyt haku", "housing", 900000, date(2026, 1, 1), date(2026, 3, 1)],
        ],
    }
    result = import_file(
        store, write_workbook(tmp_path / "hub.xlsx", sheets), today=TODAY, by=BY_STAFF
    )
    assert result.ok, [(i.location, i.code) for i in result.issues if i.blocking]
    ids = dict(store.rows("SELECT ref, id FROM innovations"))
    orgs = dict(store.rows("SELECT name, id FROM organisations"))
    with store.transaction() as cur:  # a funder of I1: money, not a co-developer
        cur.execute(
            "INSERT INTO innovation_organisations VALUES (?, ?, 'funder', NULL)",
            [ids["I1"], orgs["Delta ry"]],
        )
    return store, ids, orgs


# the tile map --------------------------------------------------------------------------------
def test_tile_layout_covers_exactly_the_22_areas_each_in_its_own_cell(store):
    areas = {r[0] for r in store.rows("SELECT code FROM regions WHERE kind IN ('county', 'city')")}
    assert len(areas) == 22
    assert set(figures.TILE_LAYOUT) == areas
    assert len(set(figures.TILE_LAYOUT.values())) == 22
    assert figures.TILE_LAYOUT["lapland"][0] == 0  # north at the top
    assert figures.TILE_LAYOUT["helsinki"][0] == max(r for r, _ in figures.TILE_LAYOUT.values())


def tile_map(areas, value: str, kind: str):
    """The map of ``areas`` by ``value``, each tile named by its code."""
    return figures.tile_map(
        areas, value, kind=kind, value_text=areas[value], hover=areas.name, labels=CODES_AS_LABELS
    )


def test_tile_map_colours_each_area_by_its_value_and_leaves_missing_ones_uncoloured(hub):
    store, _, _ = hub
    areas = regions.areas(store, ALL, "en")
    counts = tile_map(areas, "innovations", "count")
    background, values = counts.data[0], counts.data[1]
    row, col = figures.TILE_LAYOUT["helsinki"]
    assert values.z[row][col] == 2
    row, col = figures.TILE_LAYOUT["kainuu"]
    assert values.z[row][col] == 0  # a count of zero is a real zero
    assert sum(v is not None for line in background.z for v in line) == 22
    by_score = tile_map(areas, "mean_score", "score")
    assert by_score.data[1].z[row][col] is None  # no score in Kainuu: grey, never 0
    assert by_score.data[1].zmax == 1.0


def test_each_tile_is_named_by_its_label_with_its_value_under_it(hub):
    store, _, _ = hub
    areas = regions.areas(store, ALL, "en")
    labels = {code: f"Place {code}" for code in figures.TILE_LAYOUT}
    figure = figures.tile_map(
        areas, "innovations", kind="count", value_text=areas.innovations, hover=areas.name,
        labels=labels,
    )  # fmt: skip
    texts = list(figure.data[2].text)
    assert "Place<br>helsinki<br><b>2</b>" in texts  # a long name on two lines
    assert len(texts) == 22


def test_areas_count_innovations_in_each_of_their_areas_and_average_their_scores(hub):
    store, ids, _ = hub
    areas = regions.areas(store, ALL, "en").set_index("code")
    assert areas.loc["helsinki", "innovations"] == 2
    assert areas.loc["lapland", "innovations"] == 1  # I2 works in two areas: counted in both
    assert areas.innovations.sum() == 3
    per_innovation = scores.innovation_scores(store, SHARED, types=scores.EXTERNAL_TYPES).set_index(
        "innovation_id"
    )["mean_score"]
    expected = (per_innovation[ids["I1"]] + per_innovation[ids["I2"]]) / 2
    assert areas.loc["helsinki", "mean_score"] == pytest.approx(expected)
    assert areas.loc["helsinki", "scored"] == 2
    others = regions.other_areas(store, "en").set_index("code")
    assert others.loc["national", "innovations"] == 1
    assert others.loc[NOT_RECORDED, "innovations"] == 1  # I4
    sentence = regions.areas_sentence(regions.areas(store, ALL, "en"), others.reset_index(), "en")
    assert sentence.startswith("Most innovations work in City of Helsinki (2), Lapland (1)")


# the network ---------------------------------------------------------------------------------
def test_collaboration_network_links_organisations_that_share_innovations(hub):
    store, _, orgs = hub
    nodes, edges = organisations.collaboration_network(store, "en")
    name = {v: k for k, v in orgs.items()}
    pairs = {frozenset((name[e.source], name[e.target])): e.shared for e in edges.itertuples()}
    assert pairs == {
        frozenset(("Alfa ry", "Beta Oy")): 2,
        frozenset(("Alfa ry", "Gamma kunta")): 1,
        frozenset(("Beta Oy", "Gamma kunta")): 1,
    }  # Delta only funds I1: not a co-developer
    by_name = nodes.set_index("name")
    # shared: its innovations another organisation works on too, never more than its own
    assert by_name.loc["Alfa ry", ["innovations", "partners", "shared"]].tolist() == [2, 2, 2]
    assert by_name.loc["Gamma kunta", ["innovations", "partners", "shared"]].tolist() == [2, 2, 1]
    assert by_name.loc["Delta ry", ["innovations", "partners"]].tolist() == [1, 0]
    top = organisations.most_connected(nodes, 3)
    assert list(top.name) == ["Alfa ry", "Beta Oy", "Gamma kunta"]
    sentence = organisations.network_sentence(nodes, edges, "en")
    assert "4 organisations develop innovations; 3 pairs" in sentence
    assert "1 organisation works on its own" in sentence


def test_network_layout_is_deterministic_and_draws_every_edge(hub):
    store, _, _ = hub
    nodes, edges = organisations.collaboration_network(store, "en")
    triples = [tuple(map(int, e)) for e in edges[["source", "target", "shared"]].values]
    ids = tuple(int(i) for i in nodes.id)
    first = figures.spring_layout(ids, triples)
    assert first == figures.spring_layout(ids, triples)
    assert all(-1 <= x <= 1 and -1 <= y <= 1 for x, y in first.values())
    fig = figures.network(nodes.assign(hover=nodes.name), edges, first)
    lines = [t for t in fig.data if t.mode == "lines"]
    assert sum(len(t.x) for t in lines) == 3 * len(edges)  # two ends and a break per edge
    markers = [t for t in fig.data if t.mode == "markers+text"]
    sizes = {n: s for t in markers for n, s in zip(t.hovertext, t.marker.size, strict=True)}
    assert sizes["Alfa ry"] > sizes["Delta ry"]  # size grows with innovations


# what, and how the pipeline moves ------------------------------------------------------------
def test_theme_target_matrix_keeps_every_pair_and_counts_innovations(hub):
    store, _, _ = hub
    matrix = themes.theme_target_matrix(store, "en")
    theme_count = store.scalar("SELECT count(*) FROM themes")
    groups = store.scalar("SELECT count(*) FROM target_groups")
    assert len(matrix) == theme_count * groups
    cell = matrix.set_index(["theme_code", "target_group_code"]).innovations
    assert cell[("employment", "youth")] == 2
    assert cell[("housing", "youth")] == 1
    assert cell[("housing", "ageing")] == 0
    gaps = themes.target_group_gaps(store, ALL, "en", few=2).set_index("code")
    assert gaps.loc["youth", ["innovations", "assessed"]].tolist() == [2, 2]
    assert not gaps.loc["youth", "few_innovations"]
    assert gaps.loc["ageing", "few_innovations"]
    assert "Fewer than 2 innovations serve" in themes.gaps_sentence(gaps, 2, "en")


def test_quarterly_flow_has_every_quarter_including_quiet_ones(hub):
    store, _, _ = hub
    per_quarter = flow.quarterly_flow(store, ALL, "en")
    assert per_quarter.label.iloc[0] == "Q1 2023" and per_quarter.label.iloc[-1] == "Q2 2026"
    assert len(per_quarter) == 14  # 2023 Q1 to 2026 Q2, with the empty quarters in between
    by_label = per_quarter.set_index("label")
    assert by_label.loc["Q2 2024", "added"] == 0
    assert by_label.loc["Q1 2025", "added"] == 1
    assert by_label.loc["Q3 2025", ["assessed", "assessments"]].tolist() == [1, 1]


def test_assessed_share_per_stage_splits_every_innovation_once(hub):
    store, _, _ = hub
    stages = flow.assessed_by_stage(store, ALL, "en").set_index("code")
    assert (stages.external + stages.self_only + stages.not_assessed == stages.innovations).all()
    assert stages.innovations.sum() == 4
    assert stages.loc["prototypes", ["external", "not_assessed"]].tolist() == [1, 1]
    assert stages.loc[NOT_RECORDED, "not_assessed"] == 1  # I3 has no stage
    rounds = flow.assessed_by_round(store, ALL, "en")
    assert rounds[["label", "innovations"]].values.tolist() == [["Round 1", 2]]
    assert rounds.share.iloc[0] == 0.5


# money ---------------------------------------------------------------------------------------
def test_awards_by_funder_region_and_theme(hub):
    store, _, _ = hub
    funders = money.awards_by(store, "en", "funder").set_index("label")
    assert funders.loc["STEA", ["awards", "amount"]].tolist() == [2, 150000]
    assert funders.loc["ELY-keskus", "unknown_amounts"] == 1
    by_region = money.awards_by(store, "en", "region").set_index("label")
    assert by_region.loc["City of Helsinki", "amount"] == 100000  # the recipient's region
    assert by_region.loc["Not recorded", "awards"] == 1
    by_theme = money.awards_by(store, "en", "theme").set_index("label")
    assert by_theme.loc["Employment", "amount"] == 150000
    assert by_theme.loc["Housing and homelessness", "amount"] == 50000
    calls = money.open_calls_by_theme(store, TODAY, "en")
    assert calls[["theme", "calls", "total"]].values.tolist() == [["Employment", 1, 300000]]


# data quality --------------------------------------------------------------------------------
def test_data_quality_lists_name_exactly_the_records(hub):
    store, ids, _ = hub
    fields = quality.completeness(store, "en").set_index("field")
    assert fields.loc["Themes", "missing_ids"] == [ids["I4"]]
    assert fields.loc["Target groups", "missing_ids"] == [ids["I3"]]
    assert fields.loc["Stage", "missing_ids"] == [ids["I3"]]
    assert fields.loc["Regions", "missing_ids"] == [ids["I4"]]
    assert fields.loc["Short description", "missing"] == 1
    assert fields.loc["Lead organisation", "filled"] == 4
    assert set(quality.never_assessed(store, ALL).id) == {ids["I3"], ids["I4"]}
    assert list(quality.stale_records(store, TODAY).id) == [ids["I3"]]
    sparse = quality.sparse_assessments(store, ALL, "en")
    assert sparse[["innovation_id", "scored", "total"]].values.tolist() == [[ids["I2"], 3, 10]]


def test_explorer_links_carry_exactly_the_listed_innovations(hub):
    _, ids, _ = hub
    wanted = [ids["I4"], ids["I3"]]
    query = quality.explorer_query(wanted)
    assert InnovationFilter.from_query(query) == InnovationFilter(ids=tuple(sorted(wanted)))


def test_a_list_too_long_for_a_link_opens_the_filter_that_selects_it(hub, monkeypatch):
    # 39,928 never-assessed innovations of a 100,000 store made a 235 kB link that opened nothing
    store, ids, _ = hub
    monkeypatch.setattr(quality, "MAX_LINKED", 1)
    never = quality.never_assessed(store, ALL)
    assert len(never) == 2
    query = quality.explorer_query(never.id, quality.NEVER_ASSESSED)
    opened = pipeline.results(store, ALL, InnovationFilter.from_query(query), "en")
    assert set(opened.id) == set(never.id)
    # a list with no filter of its own gets no link rather than one that cannot open
    assert quality.explorer_query([ids["I3"], ids["I4"]]) is None
    assert quality.explorer_query([ids["I3"]]) == {"ids": str(ids["I3"])}


def test_the_sentences_write_shares_and_money_as_the_language_does():
    stages = pd.DataFrame(
        {
            "code": ["a", "b"],
            "stage": ["Idea", "Pilot"],
            "innovations": [10, 10],
            "share_external": [0.345, 0.1],
            "not_assessed": [3, 5],
        }
    )
    assert "(35%)" in flow.stage_sentence(stages, "en")
    assert "(10%)" in flow.stage_sentence(stages, "en")
    assert "(35\u00a0%)" in flow.stage_sentence(stages, "fi")
    awards = pd.DataFrame(
        {"label": ["Fund A", "Fund B"], "amount": [12345.0, 1000.0], "awards": [2, 1]}
    ).assign(unknown_amounts=0)
    assert money.money_sentence(awards, "awards", "en") == (
        "Most money: Fund A, €12,345 in 2 awards, of €13,345 recorded in total."
    )
    assert "12\u00a0345\u00a0€ 2 myönnössä" in money.money_sentence(awards, "awards", "fi")
    assert "yhteensä 13\u00a0345\u00a0€." in money.money_sentence(awards, "awards", "fi")


def test_network_names_are_not_printed_over_each_other():
    """Two organisations drawn side by side had their names printed over each other: a name
    takes another side of its node, and one with no free side is left to hover."""
    same_spot = [(n, (0.0, 0.0), f"Organisation number {n} Oy") for n in range(1, 6)]
    far = [(9, (0.9, 0.9), "Kaukainen ry")]
    placed = figures.label_places(same_spot + far)
    assert [placed.get(n) for n in range(1, 6)] == [*figures.LABEL_SIDES, None]
    assert placed[9] == "top center"  # alone: above its node, as usual
    near = [(1, (0.0, 0.0), "Vertaisvalmennus Esimerkki Oy"), (2, (0.08, 0.03), "Näidisühing Sild")]
    assert figures.label_places(near) == {1: "top center", 2: "bottom center"}


@pytest.mark.parametrize(
    ("lang", "one_innovation", "one_area", "one_round"),
    [
        ("en", "from 1 innovation)", "1 area has no", "from 1 round;"),
        ("sv", "från 1 innovation)", "1 område har ingen", "från 1 omgång;"),
        ("fi", "1 innovaation pohjalta", "1 alueella ei ole", "kattoi 1 innovaation ("),
    ],
)
def test_sentences_say_one_in_the_singular(lang, one_innovation, one_area, one_round):
    areas = pd.DataFrame(
        {
            "name": ["Lapland", "Kainuu", "Helsinki"],
            "scored": [1, 1, 0],
            "mean_score": [0.8, 0.4, None],
            "score_text": ["4.2 / 5", "2.6 / 5", "–"],
        }
    )
    said = regions.scores_sentence(areas, ALL, lang)
    assert said.count(one_innovation) == 2 and one_area in said
    rounds = pd.DataFrame({"round": [1], "label": ["1"], "innovations": [1], "share": [0.5]})
    assert one_round in flow.rounds_sentence(rounds, lang)
