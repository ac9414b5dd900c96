"""Exports of real survey and form tools go in without a mapping; where a person must decide,
the importer asks one clear question and remembers the answer.

The corpus (``tests/builders/survey_exports.py``) follows each tool's export layout: Microsoft
Forms, Google Forms, Webropol, SurveyMonkey, LimeSurvey and sheets built by hand, in Finnish,
Swedish and English. The numbers below are counted from the files by hand.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from sihub import importing
from sihub.importing.layout import Mapping
from sihub.importing.present import sheet_facts
from sihub.importing.questions import COLUMN, SCALE, VALUE, answer, questions
from sihub.importing.vocabulary import LEAVE_EMPTY
from tests.builders import BY_STAFF
from tests.builders.survey_exports import CLEAN, PROBLEMS
from tests.import_corpus import TODAY

ALL_TEN = {
    "need",
    "novelty",
    "in_practice",
    "effectiveness",
    "evidence",
    "participation",
    "collaboration",
    "sustainability",
    "transferability",
    "systemic",
}
# export: (tool recognised, assessments, scores, anonymous assessors, criteria covered)
EXPECTED = {
    "ms_forms_en": ("microsoft_forms", 5, 49, 2, 10),  # one blank rating
    "ms_forms_fi": ("microsoft_forms", 4, 40, 0, 10),
    "ms_forms_sv": ("microsoft_forms", 3, 30, 1, 10),
    "google_forms_en": ("google_forms", 5, 48, 0, 10),  # two blank grid cells
    "google_forms_sv": ("google_forms", 4, 39, 0, 10),
    "webropol_fi": ("webropol", 4, 38, 0, 10),  # two "En osaa sanoa"
    "webropol_en": ("webropol", 3, 29, 0, 10),  # one "Don't know"
    "surveymonkey_en": ("surveymonkey", 4, 39, 2, 10),
    "surveymonkey_fi": ("surveymonkey", 3, 30, 1, 10),
    "limesurvey_en": ("limesurvey", 3, 30, 0, 10),
    "limesurvey_fi": ("limesurvey", 5, 48, 5, 10),
    "handmade_fi": (None, 4, 38, 0, 10),  # a "–" and a blank; "3,5" and "4 – hyvä" count
    "handmade_sv": (None, 3, 29, 0, 10),  # one "ej bedömd"
    "handmade_long_en": (None, 2, 9, 0, 0),  # one "n/a"; criteria are rows, not columns
}


def test_the_corpus_has_every_tool_in_three_languages():
    assert set(EXPECTED) == set(CLEAN) and len(CLEAN) >= 12
    assert {tool for tool, *_ in EXPECTED.values()} == {
        "microsoft_forms",
        "google_forms",
        "webropol",
        "surveymonkey",
        "limesurvey",
        None,
    }
    assert sum(name.endswith("_sv") for name in CLEAN) >= 2


def current(store) -> tuple[list[tuple], int, int]:
    """What the hub shows: every active score, and how many innovations and assessors."""
    scores = store.rows(
        """SELECT i.name, r.name, a.assessment_type, a.assessed_on, s.criterion_code,
                  s.raw_value, s.normalised
           FROM scores s JOIN assessments a ON a.id = s.assessment_id
           JOIN innovations i ON i.id = a.innovation_id
           LEFT JOIN assessors r ON r.id = a.assessor_id
           WHERE a.superseded_by_batch IS NULL ORDER BY ALL"""
    )
    counts = store.rows("SELECT (SELECT count(*) FROM innovations), count(*) FROM assessors")[0]
    return scores, *counts


def downloaded_again(path: Path) -> Path:
    """The same export downloaded again: other bytes, the same pilot ("… (1).xlsx")."""
    copy = path.with_name(f"{path.stem} (1){path.suffix}")
    if path.suffix == ".csv":
        copy.write_bytes(path.read_bytes() + b"\r\n")
    else:
        book = openpyxl.load_workbook(path)
        book.properties.title = "downloaded again"
        book.save(copy)
    return copy


@pytest.mark.parametrize("name", list(CLEAN))
def test_an_export_goes_in_without_a_mapping_and_again_changes_nothing(store, tmp_path, name):
    tool, assessments, scores, anonymous, covered = EXPECTED[name]
    path = CLEAN[name](tmp_path)
    parsed = importing.prepare(store, path, today=TODAY)
    report = [(i.location, i.code) for i in parsed.issues if i.severity != "hint"]
    assert report == [] and not questions(parsed)
    assert [p.tool for p in parsed.plan.mapped] == [tool]
    a = parsed.assessments
    assert set(a.s["criterion"]) == (ALL_TEN if covered else set(a.s["criterion"]))
    result = importing.commit(store, parsed, by=BY_STAFF)
    counts = result.summary.counts
    assert (counts["assessments_new"], counts["scores_new"], counts["assessors_anonymous"]) == (
        assessments,
        scores,
        anonymous,
    )
    shown = current(store)
    again = importing.import_file(store, path, today=TODAY, by=BY_STAFF)
    assert again.status == importing.ALREADY_IMPORTED and current(store) == shown
    copy = importing.import_file(store, downloaded_again(path), today=TODAY, by=BY_STAFF)
    assert copy.status == importing.IMPORTED
    assert copy.summary.counts["assessments_replaced"] == assessments
    assert current(store) == shown


@pytest.mark.parametrize(
    ("name", "facts"),
    [
        ("ms_forms_en", ["Microsoft Forms export", "Covers 10 of the 10 criteria"]),
        ("google_forms_sv", ["Google Forms export", "Covers 10 of the 10 criteria"]),
        ("webropol_fi", ["Webropol export"]),
        ("surveymonkey_en", ["SurveyMonkey export"]),
        ("limesurvey_fi", ["LimeSurvey export"]),
        ("handmade_fi", ["Covers 10 of the 10 criteria of SI assessment tool (provisional)."]),
    ],
)
def test_the_preview_names_the_tool_and_the_criteria_a_sheet_covers(
    reference_store, tmp_path, name, facts
):
    parsed = importing.prepare(reference_store, CLEAN[name](tmp_path), today=TODAY)
    said = " ".join(sheet_facts(parsed.plan.mapped[0], parsed.context, "en"))
    assert all(fact in said for fact in facts), said


def test_each_tools_own_columns_are_read_as_what_they_are(reference_store, tmp_path):
    def columns(name: str) -> dict[str, tuple[str, str]]:
        parsed = importing.prepare(reference_store, CLEAN[name](tmp_path), today=TODAY)
        return {c.header: (c.target, c.how) for c in parsed.plan.mapped[0].columns}

    ms = columns("ms_forms_en")
    assert ms["ID"] == ms["Start time"] == ms["Last modified time"] == ("ignore", "tool")
    assert ms["Completion time"] == ("field:assessed_on", "tool")
    assert ms["Name"] == ("field:assessor", "tool")  # a person's name, not the innovation's
    assert ms["Email"] == ("field:assessor_email", "tool")
    sm = columns("surveymonkey_en")
    assert sm["End Date"] == ("field:assessed_on", "tool")
    assert sm["IP Address"] == sm["Respondent ID"] == ("ignore", "tool")
    lime = columns("limesurvey_en")
    assert lime["submitdate. Date submitted"] == ("field:assessed_on", "tool")
    assert lime["Q1[SQ003]. Rate the innovation [Put into practice]"][0] == (
        "criterion:si_tool.in_practice"  # the sheet's framework, not the award's
    )
    webropol = columns("webropol_fi")
    assert webropol["Vastaaja"] == ("ignore", "tool")  # a respondent number
    assert webropol["Arvioijan nimi"] == ("field:assessor", "auto")


@pytest.mark.parametrize(
    ("name", "field_name", "expected"),
    [
        ("ms_forms_fi", "assessment_type", ["self", "peer", "expert", "expert"]),
        ("google_forms_en", "assessment_type", ["peer", "expert", "peer", "self", "expert"]),
        ("handmade_sv", "assessment_type", ["self", "expert", "peer"]),
        ("webropol_en", "assessment_type", ["expert", "peer", "self"]),
        ("surveymonkey_en", "assessed_on", [date(2025, 3, d) for d in (14, 15, 16, 17)]),
        ("google_forms_sv", "assessed_on", [date(2025, 3, d) for d in (5, 6, 7, 8)]),
        ("webropol_fi", "assessed_on", [date(2025, 3, d) for d in (5, 6, 7, 8)]),
        ("surveymonkey_en", "assessor", ["Jane Smith", None, "Tom Brown", None]),
        (
            "ms_forms_en",
            "assessor",
            ["Anna Virtanen", None, "Mikko Korhonen", None, "Laura Nieminen"],
        ),
        ("ms_forms_sv", "assessor", ["Sanna Laine", None, "asa@example.fi"]),
    ],
)
def test_values_as_the_tools_write_them(reference_store, tmp_path, name, field_name, expected):
    parsed = importing.prepare(reference_store, CLEAN[name](tmp_path), today=TODAY)
    assert parsed.assessments.a[field_name] == expected


# one deliberate problem each: the right question -------------------------------------------------
def prepared(store, tmp_path: Path, name: str, mapping: Mapping | None = None):
    path = PROBLEMS[name](tmp_path)
    return path, importing.prepare(store, path, today=TODAY, mapping=mapping)


def test_a_value_the_hub_does_not_know_is_asked_once_and_the_answer_is_kept(
    reference_store, tmp_path
):
    path, parsed = prepared(reference_store, tmp_path, "value_needs_a_map")
    assert parsed.blocked
    (asked,) = questions(parsed)
    assert (asked.kind, asked.subject, asked.location, asked.count) == (
        VALUE,
        "ohjausryhmä",
        "Form1!H3",
        2,  # "ohjausryhmä" and "Ohjausryhmä": one question
    )
    assert set(asked.options) == {"self", "peer", "expert", "funder", "jury", LEAVE_EMPTY}
    mapping = answer(Mapping(), asked, "jury")
    saved = Mapping.from_json(mapping.to_json())  # as a saved mapping keeps it
    again = importing.prepare(reference_store, path, today=TODAY, mapping=saved)
    assert not again.blocked and not questions(again)
    assert again.assessments.a["assessment_type"] == ["self", "jury", "expert", "jury"]
    empty = importing.prepare(
        reference_store, path, today=TODAY, mapping=answer(Mapping(), asked, LEAVE_EMPTY)
    )
    assert empty.assessments.a["assessment_type"][1] == "expert"  # the default type


def test_a_sheet_mixing_frameworks_waits_for_an_explicit_mapping(reference_store, tmp_path):
    path, parsed = prepared(reference_store, tmp_path, "mixes_frameworks")
    assert parsed.blocked
    (asked,) = questions(parsed)
    assert (asked.kind, asked.code, asked.location) == (
        COLUMN,
        "other_framework_column",
        "'Form Responses 1'!L1",
    )
    assert asked.proposed == "criterion:innokyla_award.award_answers_problem"
    assert "ignore" in asked.options and "criterion:si_tool.systemic" in asked.options
    said = " ".join(sheet_facts(parsed.plan.mapped[0], parsed.context, "en"))
    assert "1 criterion column waits for your answer" in said
    mapping = answer(Mapping(), asked, asked.proposed)
    again = importing.prepare(reference_store, path, today=TODAY, mapping=mapping)
    assert not again.blocked
    assert sorted(set(again.assessments.a["framework"])) == ["innokyla_award", "si_tool"]
    said = " ".join(sheet_facts(again.plan.mapped[0], again.context, "en"))
    assert "Scores criteria of 2 frameworks" in said


def test_a_respondent_number_is_no_assessor_and_asks_nothing(reference_store, tmp_path):
    _, parsed = prepared(reference_store, tmp_path, "respondent_numbers_only")
    assert not questions(parsed) and not parsed.blocked
    assert ("Vastaukset!A1", "respondent_number_column") in [
        (i.location, i.code) for i in parsed.issues
    ]
    assert parsed.assessments.a["assessor"] == [None, None, None]  # three anonymous assessors


def test_a_column_that_looks_like_a_criterion_is_asked_about(reference_store, tmp_path):
    path, parsed = prepared(reference_store, tmp_path, "looks_like_a_criterion")
    (asked,) = questions(parsed)
    assert (asked.kind, asked.subject, asked.blocking) == (
        COLUMN,
        "Kustannustehokkuus (1–5)",
        False,  # a warning: the file could go in, but not silently without the column
    )
    assert asked.proposed == "ignore"
    confirmed = importing.prepare(
        reference_store, path, today=TODAY, mapping=answer(Mapping(), asked, "ignore")
    )
    assert not questions(confirmed)
    assert {i.severity for i in confirmed.issues} == {"hint"}


def test_a_scale_stated_in_the_header_is_checked_not_thrown_away(reference_store, tmp_path):
    path, parsed = prepared(reference_store, tmp_path, "stated_scale_differs")
    assert parsed.blocked  # read on 1–5, a 3 of 0–5 would be stored as 0.5 instead of 0.6
    (asked,) = questions(parsed)
    assert (asked.kind, asked.location, asked.proposed) == (SCALE, "Vastaukset!C1", "scale:0-5")
    assert asked.options == ("scale:0-5", "scale:1-5", "ignore")
    again = importing.prepare(
        reference_store, path, today=TODAY, mapping=answer(Mapping(), asked, asked.proposed)
    )
    s = again.assessments.s
    need = {
        row: norm
        for row, c, norm in zip(s["row"], s["criterion"], s["normalised"], strict=True)
        if c == "need"
    }
    assert need == {2: 0.2, 3: 0.6, 4: 1.0}


def test_leaving_out_a_column_that_changes_how_rows_count_says_what_happens(
    reference_store, tmp_path
):
    path = CLEAN["ms_forms_fi"](tmp_path)
    mapping = Mapping().override("Form", "arvioinnin tyyppi", "ignore")
    parsed = importing.prepare(reference_store, path, today=TODAY, mapping=mapping)
    (warned,) = [i for i in parsed.issues if i.code == "counting_column_left_out"]
    assert warned.location == "Form1!H1" and warned.severity == "warning"
    assert "recorded as Expert assessment" in warned.message("en")
    assert set(parsed.assessments.a["assessment_type"]) == {"expert"}


def test_a_closing_comments_question_is_the_assessments_summary(store, tmp_path):
    """A form's last question "Comments", after every criterion and with no comment column of
    any criterion, is what the assessor says of the whole, not of the last criterion."""
    from tests.builders.survey_exports import EN, scores
    from tests.import_corpus import write_book

    header = ["ID", "Name", "Innovation", "Organisation", *EN, "Comments"]
    rows = [[1, "Anna Virtanen", "Youth drop-in", "Kohtaamo ry", *scores(0), "Promising pilot"]]
    path = write_book(tmp_path / "closing.xlsx", {"Sheet1": [header, *rows]})
    assert importing.import_file(store, path, today=TODAY, by=BY_STAFF).ok
    assert store.rows("SELECT summary FROM assessments") == [("Promising pilot",)]
    assert store.scalar("SELECT count(*) FROM scores WHERE comment IS NOT NULL") == 0
