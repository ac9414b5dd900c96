"""Visibility from a funder's side: every library function that returns scores, assessments,
answers or comments, and every file a page offers for download, is called with a funder's
visibility and searched for the internal rating of ``tests.builders.visibility`` (a value,
4.83, that no other score has, its author and the marks in its summary and comment). None may
hold it. The same calls with staff's visibility must hold it: the search finds what it looks
for, and staff see everything.
"""

from __future__ import annotations

import dataclasses
import io
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from sihub import exports, overview, scores
from sihub.access import Visibility, seen_text
from sihub.compare import agreement, self_external
from sihub.compare.export import comparison_workbook
from sihub.compare.queries import (
    cohort,
    comparison_of,
    frameworks_with_scores,
    innovation_options,
    recently_assessed,
)
from sihub.compare.selection import Selection
from sihub.demo import SI_CRITERIA
from sihub.ecosystem import flow, quality, regions, themes
from sihub.funders.briefing import briefing_pack
from sihub.funders.ranking import RankingSpec, rank, ranking_words
from sihub.funding import catalogue, matching
from sihub.funding import export as funding_export
from sihub.funding import words as funding_words
from sihub.method import data_sources, frameworks
from sihub.pipeline import export_about, export_table, facet_options, results
from sihub.pipeline.filters import InnovationFilter
from sihub.profile import (
    assessed_frameworks,
    assessments,
    assessor_scores,
    criterion_comparison,
    developer_answers,
    headline_scores,
    innovation,
    round_changes,
    score_provenance,
)
from tests.builders.visibility import ANSWER_MARK, INTERNAL_TEXTS, TODAY, visibility_store

FUNDER, STAFF = Visibility.SHARED, Visibility.ALL
NOW = datetime(2026, 6, 1, 12, 0)
# The internal rating as files and texts round it (0.9575 to three or two places, 95.75 to
# one); the fixture's other scores are whole numbers on 1-5, and no mean of them is near.
ROUNDED = ("0.957", "0.958", "0.96", "95.7", "95.8", "0,957", "0,958", "0,96", "95,7", "95,8")
MARKS = (*INTERNAL_TEXTS, *ROUNDED)


@pytest.fixture(scope="module")
def hub(template_db: Path, tmp_path_factory: pytest.TempPathFactory):
    store, ids = visibility_store(template_db, tmp_path_factory.mktemp("visibility"))
    yield store, ids
    store.close()


# --- what an output says, as text --------------------------------------------------------------
def _number(value: float) -> str:
    return f"{round(float(value), 4):g}" if np.isfinite(value) else ""


def _workbook(data: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = [
        _number(v) if isinstance(v, float) else str(v)
        for ws in book.worksheets
        for row in ws.iter_rows(values_only=True)
        for v in row
        if v is not None
    ]
    with zipfile.ZipFile(io.BytesIO(data)) as parts:  # comments, sheet names and the like too
        xml = "\n".join(parts.read(n).decode("utf-8") for n in parts.namelist() if "xml" in n)
    return "\n".join([*cells, xml])


def text_of(value: object) -> str:
    """Everything an output holds, as text: numbers rounded to four places, so that a mean
    computed over equal scores reads as the score."""
    if isinstance(value, pd.DataFrame | pd.Series):
        frame = value.to_frame() if isinstance(value, pd.Series) else value
        return frame.reset_index().map(text_of).to_csv(index=False)
    if isinstance(value, bytes):
        return _workbook(value) if value.startswith(b"PK") else value.decode("utf-8-sig")
    if isinstance(value, float | np.floating):
        return _number(value)
    if dataclasses.is_dataclass(value):
        return "\n".join(text_of(getattr(value, f.name)) for f in dataclasses.fields(value))
    if isinstance(value, dict):
        return "\n".join(f"{text_of(k)}={text_of(v)}" for k, v in value.items())
    if isinstance(value, list | tuple | set | np.ndarray):
        return "\n".join(text_of(v) for v in value)
    return str(value)


def marks_in(value: object) -> list[str]:
    text = text_of(value)
    return [mark for mark in MARKS if mark in text]


# --- every library call that returns scores, assessments, answers or comments ------------------
Call = Callable[[object, Visibility, dict[str, int]], object]


def _comparison(store, v, ids, **options):
    selection = Selection(ids=(ids["V1"], ids["V2"], ids["V3"]), **options)
    return comparison_of(store, v, selection, "en")


def _ranking(store, v, ids):
    return rank(store, v, RankingSpec(enough=1), "en")


LIBRARY: dict[str, Call] = {
    "scores.score_rows": lambda s, v, ids: scores.score_rows(s, v, types=scores.ALL_TYPES),
    "scores.innovation_scores": lambda s, v, ids: scores.innovation_scores(s, v),
    "scores.latest_criterion_means": lambda s, v, ids: scores.latest_criterion_means(
        s, v, with_assessor_ids=True
    ),
    "scores.latest_score_matrix": lambda s, v, ids: scores.latest_score_matrix(
        s, v, list(SI_CRITERIA)
    ),
    "scores.dimension_means_by_round": lambda s, v, ids: scores.dimension_means_by_round(s, v),
    "pipeline.results": lambda s, v, ids: results(s, v, InnovationFilter(), "en", "score"),
    "pipeline.export (CSV)": lambda s, v, ids: exports.csv_bytes(
        export_table(results(s, v, InnovationFilter(), "en"), "en")
    ),
    "pipeline.export (Excel)": lambda s, v, ids: exports.excel_bytes(
        {"Innovations": export_table(results(s, v, InnovationFilter(), "en"), "en")},
        export_about(s, v, InnovationFilter(), "en", 3, NOW, "?"),
        "About",
    ),
    "profile.headline_scores V1": lambda s, v, ids: headline_scores(s, v, ids["V1"], "en"),
    "profile.headline_scores V2": lambda s, v, ids: headline_scores(s, v, ids["V2"], "en"),
    "profile.assessments V1": lambda s, v, ids: assessments(s, v, ids["V1"], "en"),
    "profile.assessments V2": lambda s, v, ids: assessments(s, v, ids["V2"], "en"),
    "profile.criterion_comparison V1": lambda s, v, ids: criterion_comparison(
        s, v, ids["V1"], "si_tool", "all", "en"
    ),
    "profile.criterion_comparison V2": lambda s, v, ids: criterion_comparison(
        s, v, ids["V2"], "si_tool", "all", "en"
    ),
    "profile.criterion_comparison V3 (cohort)": lambda s, v, ids: criterion_comparison(
        s, v, ids["V3"], "si_tool", "all", "en"
    ),
    "profile.assessor_scores V1": lambda s, v, ids: assessor_scores(s, v, ids["V1"], "si_tool"),
    "profile.round_changes V2": lambda s, v, ids: round_changes(s, v, ids["V2"], "si_tool", "en"),
    "profile.score_provenance V1": lambda s, v, ids: score_provenance(s, v, ids["V1"], "en"),
    "compare.comparison_of (internal included)": _comparison,
    "compare.comparison_of (shared only)": lambda s, v, ids: _comparison(
        s, v, ids, shared_only=True
    ),
    "compare.cohort": lambda s, v, ids: cohort(s, v, "si_tool", "external"),
    "compare.agreement": lambda s, v, ids: agreement.agreement(_comparison(s, v, ids)),
    "compare.self_vs_external": lambda s, v, ids: self_external.self_vs_external(
        s, _comparison(s, v, ids)
    ),
    "compare.innovation_options": lambda s, v, ids: innovation_options(s, v, "si_tool"),
    "compare.workbook": lambda s, v, ids: comparison_workbook(
        s, _comparison(s, v, ids), "mean", "dimension", "en", NOW
    ),
    "funders.rank": _ranking,
    "funders.ranking_words": lambda s, v, ids: ranking_words(_ranking(s, v, ids), "en"),
    "funders.briefing_pack": lambda s, v, ids: briefing_pack(
        s, _ranking(s, v, ids), [ids["V1"], ids["V2"], ids["V3"]], "en", NOW, prepared_by="x"
    ),
    "funding.innovation_matches V2": lambda s, v, ids: matching.innovation_matches(
        s, v, ids["V2"], TODAY, "en"
    ),
    "funding.call_matches (CSV)": lambda s, v, ids: exports.csv_bytes(
        matching.export_frame(
            matching.call_matches(
                s, v, s.scalar("SELECT min(id) FROM funding_opportunities"), TODAY, "en"
            ),
            "en",
            {},
        )
    ),
    "ecosystem.areas": lambda s, v, ids: regions.areas(s, v, "en"),
    "ecosystem.dimension_means_by_round": lambda s, v, ids: flow.dimension_means_by_round(
        s, v, "en"
    ),
}


# Figures that aggregate the internal rating with others (means over assessors, innovations or
# a cohort, quartiles, agreement) or list what has scores: for staff they move with it, for a
# funder they do not; the rating itself is not among their values. "Shared only" is staff's
# own choice to leave internal ratings out.
MOVED_BY_IT = {  # figures that rest on the rating, shown rounded on the framework's scale
    "pipeline.export (CSV)",
    "pipeline.export (Excel)",
    "funding.innovation_matches V2",
    "funding.call_matches (CSV)",
    "scores.dimension_means_by_round",
    "profile.headline_scores V1",
    "profile.criterion_comparison V3 (cohort)",
    "compare.agreement",
    "compare.cohort",
    "compare.self_vs_external",
    "compare.innovation_options",
    "ecosystem.areas",
    "ecosystem.dimension_means_by_round",
}
LEFT_OUT_BY_CHOICE = {"compare.comparison_of (shared only)"}


@pytest.mark.parametrize("name", LIBRARY)
def test_a_funder_never_gets_the_internal_rating_and_staff_do(hub, name):
    store, ids = hub
    funder, staff = LIBRARY[name](store, FUNDER, ids), LIBRARY[name](store, STAFF, ids)
    assert marks_in(funder) == []
    if name in LEFT_OUT_BY_CHOICE:
        assert marks_in(staff) == []
    elif name in MOVED_BY_IT:
        assert marks_in(staff) == [] and text_of(staff) != text_of(funder)
    else:
        assert marks_in(staff) != []


# Calls that count rather than score: the innovation rated only internally (V2) counts as not
# assessed for a funder, and as assessed for staff.
def test_a_funder_counts_the_innovation_rated_only_internally_as_not_assessed(hub):
    store, ids = hub
    for visibility, assessed, count in ((FUNDER, 2, 4), (STAFF, 3, 6)):
        figures = overview.headline_figures(store, visibility, TODAY)
        assert (figures["assessed"], figures["assessments"]) == (assessed, count)
        statuses = facet_options(store, visibility, InnovationFilter(), "en")["status"]
        external = statuses.set_index("code").loc["external", "innovations"]
        assert external == assessed
        assert len(scores.innovation_scores(store, visibility)) == assessed
    never = quality.never_assessed(store, FUNDER).id.tolist()
    assert ids["V2"] in never and ids["V2"] not in quality.never_assessed(store, STAFF).id.tolist()
    for visibility, external in ((FUNDER, 2), (STAFF, 3)):
        assert flow.assessed_by_stage(store, visibility, "en").external.sum() == external
        gaps = themes.target_group_gaps(store, visibility, "en").set_index("code")
        assert gaps.loc["youth", "assessed"] == external
    # ...and the comparison offers it to staff only, for funders it has no shared score
    assert ids["V2"] not in innovation_options(store, FUNDER, "si_tool").id.tolist()
    assert ids["V2"] in recently_assessed(store, STAFF, Selection(), limit=5)
    assert ids["V2"] not in recently_assessed(store, FUNDER, Selection(), limit=5)
    framework_counts = frameworks(store, FUNDER, "en").set_index("code").assessments
    assert framework_counts["si_tool"] == 4
    assert frameworks_with_scores(store, FUNDER, "en").code.tolist() == ["si_tool"]


def test_developers_answers_and_import_files_are_for_staff(hub):
    store, ids = hub
    assert developer_answers(store, FUNDER, ids["V1"]).empty
    assert ANSWER_MARK in text_of(developer_answers(store, STAFF, ids["V1"]))
    assert data_sources(store, FUNDER, "en").files.isna().all()
    assert "visibility.xlsx" in text_of(data_sources(store, STAFF, "en"))
    assert assessed_frameworks(store, FUNDER, ids["V2"], "en").empty


def test_the_public_sees_published_results_only(hub):
    store, ids = hub
    public = Visibility.PUBLISHED
    shown = assessments(store, public, ids["V1"], "en")
    assert shown.assessor.tolist() == ["Eeva Julkinen"]  # the published expert assessment
    assert headline_scores(store, public, ids["V3"], "en").empty  # shared, not published
    assert marks_in(results(store, public, InnovationFilter(), "en")) == []
    assert overview.headline_figures(store, public, TODAY)["assessments"] == 1


# --- provenance: which files, sheets and rows the hub was imported from ------------------------
PUBLIC = Visibility.PUBLISHED
IMPORT_FILE = "visibility.xlsx"  # the file the hub above was imported from


def _call_id(store) -> int:
    return store.scalar("SELECT min(id) FROM funding_opportunities")


def _calls_export(store, v) -> bytes:
    return exports.excel_bytes(
        {"Funding": funding_export.export_frame(catalogue.calls(store, v, TODAY, "en"), "en")},
        {},
        "About",
    )


# Every library call whose answer a page shows or offers for download and that can name where
# a record came from (innovations, assessments, scores, funding calls).
WITH_PROVENANCE: dict[str, Call] = {
    "pipeline.results": lambda s, v, ids: results(s, v, InnovationFilter(), "en"),
    "pipeline.export (CSV)": LIBRARY["pipeline.export (CSV)"],
    "pipeline.export (Excel)": LIBRARY["pipeline.export (Excel)"],
    "profile.innovation V1": lambda s, v, ids: innovation(s, v, ids["V1"], "en"),
    "profile.assessments V1": LIBRARY["profile.assessments V1"],
    "profile.score_provenance V1": LIBRARY["profile.score_provenance V1"],
    "funding.calls": lambda s, v, ids: catalogue.calls(s, v, TODAY, "en"),
    "funding.calls (CSV)": lambda s, v, ids: exports.csv_bytes(
        funding_export.export_frame(catalogue.calls(s, v, TODAY, "en"), "en")
    ),
    "funding.calls (Excel)": lambda s, v, ids: _calls_export(s, v),
    "funding.call_facts": lambda s, v, ids: funding_words.call_facts(
        catalogue.call(s, v, _call_id(s), TODAY, "en"), "en"
    ),
}


@pytest.mark.parametrize("name", WITH_PROVENANCE)
def test_the_public_never_learns_which_file_a_record_came_from_and_funders_do(hub, name):
    store, ids = hub
    public, funder = (WITH_PROVENANCE[name](store, v, ids) for v in (PUBLIC, FUNDER))
    assert IMPORT_FILE not in text_of(public)
    assert IMPORT_FILE in text_of(funder)  # the search finds what it looks for


def test_a_matchs_missing_score_says_which_assessments_the_viewer_sees(hub):
    """V3's one assessment is shared but not published, V2's internal: the public and a funder
    see no score of theirs, and the call's minimum cannot be checked."""
    store, ids = hub
    for visibility, ref in ((PUBLIC, "V3"), (FUNDER, "V2")):
        found = matching.innovation_matches(store, visibility, ids[ref], TODAY, "en")
        checks = [text for texts in found.to_check for text in texts if "score" in text]
        assert checks, (visibility, found.to_check.tolist())
        assert all(seen_text(visibility, "en") in text for text in checks)


# --- the public: published results only ---------------------------------------------------------
# The assessors and summaries of the assessments shared with funders but not published (V1's peer
# and self-assessments, V3's expert assessment): never in what the public gets.
SHARED_NOT_PUBLISHED = ("Pekka Jaettu", "Kehittäjätiimi", "Jaettu arvio")
FOR_THE_PUBLIC: dict[str, Call] = {
    **LIBRARY,
    **WITH_PROVENANCE,
    "ecosystem.sparse_assessments": lambda s, v, ids: quality.sparse_assessments(s, v, "en"),
    "method.data_sources": lambda s, v, ids: data_sources(s, v, "en"),
}


@pytest.mark.parametrize("name", FOR_THE_PUBLIC)
def test_the_public_gets_no_internal_rating_no_unpublished_assessment_and_no_import_file(hub, name):
    store, ids = hub
    public = text_of(FOR_THE_PUBLIC[name](store, PUBLIC, ids))
    assert marks_in(public) == []
    assert [mark for mark in (*SHARED_NOT_PUBLISHED, IMPORT_FILE) if mark in public] == []


def test_the_search_for_unpublished_assessments_finds_them_for_funders(hub):
    store, ids = hub
    funder = text_of(assessments(store, FUNDER, ids["V1"], "en"))
    assert all(mark in funder for mark in SHARED_NOT_PUBLISHED)
