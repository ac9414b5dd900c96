"""The explorer's queries on a real store loaded from a real workbook (builders/pipeline_hub)."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from sihub import exports, pipeline, scores
from sihub.access import Visibility
from sihub.db import derived
from sihub.db.store import Store
from sihub.importing import import_file
from sihub.pipeline import picture as pipeline_picture
from sihub.pipeline.filters import NOT_RECORDED, InnovationFilter
from sihub.reference import load_scales
from tests.builders import BY_STAFF, write_workbook
from tests.builders.pipeline_hub import INNOVATIONS, TODAY, pipeline_store

ALL = Visibility.ALL  # the staff's explorer: every assessment


@pytest.fixture(scope="module")
def loaded(
    template_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Store, dict[str, int]]:
    store, ids = pipeline_store(template_db, tmp_path_factory.mktemp("pipeline"))
    yield store, ids
    store.close()


@pytest.fixture
def writable(template_db: Path, tmp_path: Path) -> tuple[Store, dict[str, int]]:
    store, ids = pipeline_store(template_db, tmp_path)
    yield store, ids
    store.close()


def refs(store: Store, f: InnovationFilter, sort: str = "name") -> list[str]:
    return list(pipeline.results(store, ALL, f, "en", sort).ref)


def counts(options: dict[str, pd.DataFrame], facet: str) -> dict[str, int]:
    frame = options[facet]
    return dict(zip(frame.code, frame.innovations, strict=True))


# --- facets -----------------------------------------------------------------------------------
def test_every_facet_has_its_values_in_the_derived_table():
    derived_facets = [*derived.FACET_VALUES_SQL, *derived.VISIBLE_FACET_VALUES_SQL]
    assert [f.key for f in pipeline.FACETS] == derived_facets


def test_every_facet_counts_the_innovations_with_no_value_recorded(loaded):
    store, _ = loaded
    options = pipeline.facet_options(store, ALL, InnovationFilter(), "en")
    stage = counts(options, "stage")
    assert stage["prototypes"] == 2 and stage["scaling"] == 1 and stage["systemic"] == 0
    assert stage[NOT_RECORDED] == 1  # I4
    assert counts(options, "theme")[NOT_RECORDED] == 1  # I4
    assert counts(options, "target_group")[NOT_RECORDED] == 2  # I4, I6
    assert counts(options, "region")[NOT_RECORDED] == 1  # I3
    assert counts(options, "organisation")[NOT_RECORDED] == 1  # I4
    assert counts(options, "org_type")[NOT_RECORDED] == 3  # I3 and I6 (org without type), I4
    assert counts(options, "framework") == {
        "si_tool": 4,
        "nesta_soe": 0,
        "innokyla_award": 0,
        "sim_validation": 0,
        "esr_content": 0,
        "esr_horizontal": 0,
        "innokyla_mittari": 0,
        "panel": 0,
        NOT_RECORDED: 2,
    }
    assert counts(options, "round") == {"1": 4, "2": 1, NOT_RECORDED: 2}
    assert counts(options, "status") == {"not_assessed": 2, "self_only": 1, "external": 3}


def test_facet_labels_come_from_the_data_in_the_chosen_language(loaded):
    store, _ = loaded
    en = pipeline.facet_options(store, ALL, InnovationFilter(), "en")
    fi = pipeline.facet_options(store, ALL, InnovationFilter(), "fi")
    assert "3 Prototypes and pilots" in set(en["stage"].label)
    assert "3 Prototyypit ja pilotit" in set(fi["stage"].label)
    assert en["stage"].label.iloc[-1] == "Not recorded"
    assert fi["stage"].label.iloc[-1] == "Ei kirjattu"
    # organisations: most innovations first (here two each), then by name, shown as written
    assert list(en["organisation"].label) == [
        "Ikäkaste-säätiö",
        "Nuorten Työpaja ry",
        "Äänekosken kaupunki",
        "Not recorded",
    ]


def test_a_facet_is_counted_under_every_filter_but_its_own(loaded):
    store, _ = loaded
    options = pipeline.facet_options(store, ALL, InnovationFilter(stages=("prototypes",)), "en")
    assert counts(options, "stage")["scaling"] == 1  # choosing scaling too would add I5
    assert counts(options, "theme")["employment"] == 1  # only I1 among the prototypes
    assert counts(options, "theme")["youth_inclusion"] == 2
    assert options["total"].loc["selected", "innovations"] == 2
    assert options["total"].loc["all", "innovations"] == 6
    assert options["stage"].set_index("code").loc["prototypes", "selected"]


@pytest.mark.parametrize(
    ("f", "expected"),
    [
        (InnovationFilter(stages=(NOT_RECORDED,)), ["I4"]),
        (InnovationFilter(themes=("employment", NOT_RECORDED)), ["I1", "I4", "I5"]),
        (InnovationFilter(target_groups=(NOT_RECORDED,)), ["I4", "I6"]),
        (InnovationFilter(regions=(NOT_RECORDED,)), ["I3"]),
        (InnovationFilter(org_types=(NOT_RECORDED,)), ["I3", "I4", "I6"]),
        (InnovationFilter(frameworks=(NOT_RECORDED,)), ["I4", "I6"]),
        (InnovationFilter(rounds=("2",)), ["I1"]),
        (InnovationFilter(statuses=("self_only",)), ["I2"]),
        (InnovationFilter(statuses=("not_assessed", "self_only")), ["I2", "I4", "I6"]),
        (InnovationFilter(stages=("prototypes",), themes=("employment",)), ["I1"]),
    ],
)
def test_filters_select_values_and_not_recorded(loaded, f, expected):
    store, _ = loaded
    assert sorted(refs(store, f)) == expected


def test_organisation_facet_filters_on_any_role(loaded):
    store, _ = loaded
    org = store.scalar("SELECT CAST(id AS VARCHAR) FROM organisations WHERE name LIKE 'Ää%'")
    assert sorted(refs(store, InnovationFilter(organisations=(org,)))) == ["I2", "I5"]


def test_ids_from_another_page_select_exactly_those(loaded):
    store, ids = loaded
    assert sorted(refs(store, InnovationFilter(ids=(ids["I3"], ids["I6"])))) == ["I3", "I6"]


# --- search -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("q", "expected"),
    [
        # ä = a, names shown as written; the stem "aane" finds Äänekoski (I5's organisation)
        ("aaneen", ["I2", "I5"]),
        ("ÄÄNEEN", ["I2", "I5"]),
        ("äänekosken", ["I2", "I5"]),  # the organisation's name counts
        ("nuoret foorumi", ["I2"]),  # every word, anywhere
        ("kirjastoissa", ["I3"]),  # descriptions count
        ("oulu", ["I5"]),
        ("ei-löydy-mitään", []),
    ],
)
def test_search_ignores_case_and_diacritics(loaded, q, expected):
    store, _ = loaded
    assert sorted(refs(store, InnovationFilter(q=q))) == expected


def test_search_ranks_name_matches_first(loaded):
    store, _ = loaded
    rows = pipeline.results(store, ALL, InnovationFilter(q="TYÖPOLKU"), "en", "relevance")
    assert list(rows.ref) == ["I5", "I1", "I6"]  # names (alphabetical), then the description
    assert list(rows["rank"]) == [0, 0, 3]
    assert rows.name.iloc[1] == "Työpolku nuorille"  # as written, not folded


def test_search_understands_finnish_and_swedish_inflection(writable, tmp_path):
    """An inflected form finds the others ("nuoret" finds "Nuorten kesäduuni-seteli"), in
    Finnish and in Swedish; a name with the word as typed ranks before one found by its stem."""
    store, _ = writable
    header = INNOVATIONS[0]
    names = {
        "S1": "Nuorten kesäduuni-seteli",
        "S2": "Nuoret töihin",
        "S3": "Ungdomarnas verkstad",
        "S4": "Ungdomar i rörelse",
    }
    rows = [[ref, name, *[None] * (len(header) - 2)] for ref, name in names.items()]
    extra = write_workbook(tmp_path / "inflected.xlsx", {"Innovations": [header, *rows]})
    assert import_file(store, extra, today=TODAY, by=BY_STAFF).ok
    young = set(refs(store, InnovationFilter(q="nuoret")))
    assert {"S1", "S2"} <= young and young == set(refs(store, InnovationFilter(q="nuorten")))
    assert young == set(refs(store, InnovationFilter(q="Nuorille")))
    assert set(refs(store, InnovationFilter(q="ungdomarna"))) == {"S3", "S4"}
    assert set(refs(store, InnovationFilter(q="ungdomar"))) == {"S3", "S4"}
    ranked = pipeline.results(store, ALL, InnovationFilter(q="nuorten"), "fi", "relevance")
    rank = dict(zip(ranked.ref, ranked["rank"], strict=True))
    assert (rank["S1"], rank["S2"]) == (0, 2)  # the word as typed, then by its stem
    assert list(ranked["rank"]) == sorted(ranked["rank"])
    assert refs(store, InnovationFilter(q="kesäduunit")) == ["S1"]


def test_search_sees_a_new_import_at_once(writable, tmp_path):
    store, _ = writable
    assert refs(store, InnovationFilter(q="sirkus")) == []
    header = INNOVATIONS[0]
    row = ["I7", "Sirkuskoulu", *[None] * (len(header) - 2)]
    extra = write_workbook(tmp_path / "extra.xlsx", {"Innovations": [header, row]})
    assert import_file(store, extra, today=TODAY, by=BY_STAFF).ok
    assert refs(store, InnovationFilter(q="sirkus")) == ["I7"]


# --- scores -----------------------------------------------------------------------------------
def test_results_carry_the_mean_and_what_it_rests_on(loaded):
    store, _ = loaded
    rows = pipeline.results(store, ALL, InnovationFilter(), "en").set_index("ref")
    # I1, latest round 2: nine criteria at 0.75 (both assessors gave 4), systemic 0.75 and 0.25
    assert rows.loc["I1", "mean_score"] == pytest.approx((9 * 0.75 + 0.5) / 10)
    assert rows.loc["I1", "basis"] == "10/10 criteria, 2 assessors"
    assert rows.loc["I1", "assessments"] == 4 and rows.loc["I1", "status"] == "external"
    # I3: three criteria scored; the seven missing ones are left out, never counted as 0
    assert rows.loc["I3", "mean_score"] == pytest.approx((0.5 + 0.5 + 0.0) / 3)
    assert rows.loc["I3", "basis"] == "3/10 criteria, 1 assessor"
    # I2 has only a self-assessment: no external mean, and none invented
    assert pd.isna(rows.loc["I2", "mean_score"]) and pd.isna(rows.loc["I2", "basis"])
    assert pd.isna(rows.loc["I2", "score"])  # missing, which the table writes as "–"
    assert rows.loc["I2", "status"] == "self_only"


@pytest.mark.parametrize(
    ("f", "expected"),
    [
        # minimums typed on the 1-5 scale the scores were given on (0.7 of 0-1 is 3.8)
        (InnovationFilter(min_score=3.8), ["I1"]),
        (InnovationFilter(min_score=3), ["I1", "I5"]),
        (InnovationFilter(min_score=1), ["I1", "I3", "I5"]),  # self-only I2 has no score
        (InnovationFilter(min_score=3.4, score_on="criterion:novelty"), ["I1"]),
        (InnovationFilter(min_score=3, score_on="criterion:novelty"), ["I1", "I3", "I5"]),
        (InnovationFilter(min_score=3, score_on="dimension:implementation"), ["I1", "I5"]),
        (InnovationFilter(min_score=1.4, score_on="criterion:systemic"), ["I1", "I5"]),
        (InnovationFilter(min_criteria=5), ["I1", "I5"]),
        (InnovationFilter(min_criteria=3), ["I1", "I3", "I5"]),
        (InnovationFilter(min_score=3, score_framework="nesta_soe"), []),
    ],
)
def test_score_filters(loaded, f, expected):
    store, _ = loaded
    assert sorted(refs(store, f)) == expected


def test_score_filter_counts_those_left_out_for_lacking_the_score(loaded):
    store, _ = loaded
    f = InnovationFilter(min_score=3.4, score_on="criterion:systemic")
    options = pipeline.facet_options(store, ALL, f, "en")
    # I1, I5 have a systemic score (I5's is too low); I2, I3 (not scored on it), I4, I6 lack it
    assert options["score"].loc[NOT_RECORDED, "innovations"] == 4
    assert options["score"].loc["scored", "innovations"] == 2


def test_sorting_by_score_puts_missing_scores_last(loaded):
    store, _ = loaded
    assert refs(store, InnovationFilter(), "score")[:3] == ["I1", "I5", "I3"]


@pytest.mark.parametrize(
    ("framework", "types", "visibility"),
    [
        ("si_tool", scores.EXTERNAL_TYPES, Visibility.ALL),
        ("si_tool", ("self",), Visibility.ALL),
        ("si_tool", scores.EXTERNAL_TYPES, Visibility.SHARED),
        ("si_tool", scores.EXTERNAL_TYPES, Visibility.PUBLISHED),
        ("nesta_soe", scores.EXTERNAL_TYPES, Visibility.ALL),
    ],
)
def test_sql_scores_equal_the_pandas_definition(demo_db, framework, types, visibility):
    store = Store.open(str(demo_db))
    try:
        kwargs = dict(framework=framework, types=types)
        rows = scores.score_rows(store, visibility, latest_round=True, **kwargs)
        by_criterion = scores.criterion_means(rows)
        sql = store.query(*scores.criterion_scores_sql(visibility, framework, types))
        both = by_criterion.merge(sql, on=["innovation_id", "criterion_code"], suffixes=("", "_s"))
        assert len(both) == len(by_criterion) == len(sql) > 0
        assert list(both["mean"]) == pytest.approx(list(both["mean_s"]))
        assert list(both["assessors"]) == list(both["assessors_s"])
    finally:
        store.close()


def test_score_summaries_follow_the_data(writable, tmp_path):
    store, ids = writable
    assert derived.is_current(store)  # built with the data by the import that wrote it
    before = store.scalar(
        "SELECT mean_score FROM score_summary WHERE innovation_id = ? AND scope = 'external' "
        "AND framework_code = 'si_tool' AND visibility = 'all'",
        [ids["I3"]],
    )
    assert before == pytest.approx(1 / 3)
    with store.transaction() as cur:
        cur.execute("DELETE FROM scores WHERE criterion_code = 'in_practice'")
        derived.rebuild_in(cur)  # as every writer does, in the same transaction
    assert pipeline.results(store, ALL, InnovationFilter(q="senioreiden"), "en").mean_score.iloc[
        0
    ] == pytest.approx(0.5)


# --- the pipeline picture ---------------------------------------------------------------------
def test_stage_counts_keep_empty_stages_and_not_recorded(loaded):
    store, _ = loaded
    df = pipeline_picture.stage_counts(store, ALL, InnovationFilter(), "en")
    assert list(df.innovations) == [0, 1, 2, 1, 1, 0, 1]
    assert df.label.iloc[-1] == "Not recorded"


def test_stage_theme_matrix(loaded):
    store, _ = loaded
    m = pipeline_picture.stage_theme_matrix(store, ALL, InnovationFilter(), "en")
    assert m.loc["3 Prototypes and pilots", "Youth inclusion"] == 2
    assert m.loc["3 Prototypes and pilots", "Employment"] == 1
    assert m.loc["Not recorded", "Not recorded"] == 1  # I4 has neither
    assert list(m.index)[:6] == pipeline_picture.stage_names(store, "en")
    sentence = pipeline_picture.matrix_sentence(m, "en")
    assert "Youth inclusion at 3 Prototypes and pilots (2 innovations)" in sentence


def test_stage_movements_per_year(loaded):
    store, _ = loaded
    moves = pipeline_picture.stage_movements(store, ALL, InnovationFilter(), "en")
    moved = moves[moves.from_code.notna()]
    assert sorted(zip(moved.year, moved.from_code, moved.to_code, strict=True)) == [
        (2023, "proposals", "prototypes"),
        (2024, "prototypes", "sustaining"),
        (2025, "sustaining", "scaling"),
    ]
    assert moves[moves.from_code.isna()].innovations.sum() == 2  # I1 and I5 entered
    coverage = pipeline_picture.history_coverage(store, ALL, InnovationFilter())
    assert coverage == {"selected": 6, "with_history": 2}
    sentence = pipeline_picture.movement_sentence(moves, coverage, "en")
    assert sentence.startswith("From 2022 to 2025, 3 moves between stages were recorded.")
    assert "4 innovations in the selection have no stage history." in sentence


def test_the_picture_follows_the_selection(loaded):
    store, _ = loaded
    f = InnovationFilter(themes=("employment",))
    assert pipeline_picture.stage_counts(store, ALL, f, "en").innovations.sum() == 2
    assert pipeline_picture.stage_movements(store, ALL, f, "en").innovations.sum() == 5


# --- links, words and exports -----------------------------------------------------------------
def test_unknown_values_in_a_link_are_dropped_and_reported(loaded):
    store, _ = loaded
    f = InnovationFilter(
        stages=("prototypes", "no_such_stage"),
        organisations=("99999",),
        rounds=("7",),
        score_framework="no_such_framework",
        score_on="criterion:no_such",
    )
    clean, left_out = pipeline.clean_filter(store, ALL, f)
    assert clean == InnovationFilter(stages=("prototypes",))
    assert set(map(str, left_out)) == {
        "stage=no_such_stage",
        "org=99999",
        "round=7",
        "scorefw=no_such_framework",
        "scoreon=criterion:no_such",
    }
    assert pipeline.clean_filter(store, ALL, clean) == (clean, ())


def test_the_filter_in_words(loaded):
    store, _ = loaded
    f = InnovationFilter(
        q="työ",
        stages=("prototypes", NOT_RECORDED),
        min_score=3,
        score_on="criterion:need",
        min_criteria=5,
    )
    words = dict(pipeline.describe_filter(store, f, "en"))
    assert words["Search"] == "työ"
    assert words["Pipeline stage"] == "3 Prototypes and pilots, Not recorded"
    assert words["Minimum score"] == "3.0 / 5 on Criterion: Societal need addressed"
    assert words["Assessed on at least this many criteria"] == "5 criteria"
    fi = dict(pipeline.describe_filter(store, f, "fi"))
    assert fi["Putken vaihe"] == "3 Prototyypit ja pilotit, Ei kirjattu"


def test_export_is_exactly_the_filtered_view_with_provenance(writable, tmp_path):
    store, _ = writable
    header = INNOVATIONS[0]
    evil = ["I8", "+358 neuvontalinja", *[None] * (len(header) - 2)]
    evil[header.index("themes")] = "employment"
    extra = write_workbook(tmp_path / "evil.xlsx", {"Innovations": [header, evil]})
    assert import_file(store, extra, today=TODAY, by=BY_STAFF).ok
    f = InnovationFilter(themes=("employment",))
    rows = pipeline.results(store, ALL, f, "en")
    table = pipeline.export_table(rows, "en", load_scales(store)["1-5"])
    back = pd.read_csv(io.BytesIO(exports.csv_bytes(table)), encoding="utf-8-sig")
    assert sorted(back["Reference"]) == ["I1", "I5", "I8"]
    assert "'+358 neuvontalinja" in set(back["Innovation"])  # never runs as a formula
    i1 = back.set_index("Reference").loc["I1"]
    assert i1["Source file"] == "pipeline-test.xlsx" and i1["Source sheet"] == "Innovations"
    assert i1["Source row"] == 2 and i1["Themes"] == "Employment; Youth inclusion"
    assert i1["Mean score (on the framework's scale)"] == pytest.approx(3.9)  # 0.725 of 1-5
    assert i1["Result"] == "3.9 / 5"

    when = datetime(2026, 6, 1, 12, 30)
    about = pipeline.export_about(store, ALL, f, "en", len(table), when, "?theme=employment")
    book = openpyxl.load_workbook(
        io.BytesIO(exports.excel_bytes({"Innovations": table}, about, about_title="Filters"))
    )
    assert book.sheetnames == ["Innovations", "Filters"]
    assert book["Innovations"].max_row == 4  # header and three innovations
    facts = {r[0].value: r[1].value for r in book["Filters"].iter_rows(min_row=2)}
    assert facts["Exported"] == datetime(2026, 6, 1, 12, 30)  # a date cell, in Finnish time
    assert facts["Theme"] == "Employment"
    assert facts["Innovations in the export"] == 3  # a number cell
    assert "latest round" in facts["Scores"]


def test_rebuilding_derived_tables_leaves_the_data_version_alone(writable):
    store, _ = writable
    version = store.data_version()
    derived.rebuild(store)
    assert store.data_version() == version  # caches keyed on it stay valid
    assert derived.is_current(store)
    with store.transaction() as cur:
        cur.execute("UPDATE innovations SET name = 'Uusi nimi' WHERE ref = 'I4'")
    assert not derived.is_current(store)  # a write without a rebuild: the frame's check sees it
    assert refs(store, InnovationFilter(q="uusi nimi")) == []  # reads never write
    derived.rebuild(store)  # what the frame does then
    assert refs(store, InnovationFilter(q="uusi nimi")) == ["I4"]
