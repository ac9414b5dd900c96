"""The validation report: exact (location, code) pairs, value quirks, header matching, layouts."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from sihub import DATA_DIR, importing
from sihub.importing.layout import Mapping
from sihub.importing.specs import clean_header
from sihub.importing.values import ValueProblem, as_date, as_number
from sihub.reference import sync_reference_data
from tests.builders import BY_STAFF
from tests.import_corpus import (
    FILES,
    TODAY,
    csv_bytes,
    long_export,
    quirks_workbook,
    wide_export,
    write_book,
)

QUIRKS_REPORT = [
    ("Vastaukset!2:2", "default_assessment_type"),
    ("Vastaukset!A2", "ignored_column"),
    ("Vastaukset!M2", "unknown_criterion_column"),
    ("Vastaukset!B6", "bad_date"),
    ("Vastaukset!G6", "score_out_of_range"),
    ("Vastaukset!7:7", "duplicate_row"),
    ("Vastaukset!B8", "future_date"),
    ("Vastaukset!E8", "duplicate_assessment"),
    ("Vastaukset!9:9", "no_scores"),
    ("Vastaukset!11:11", "note_row_skipped"),
    ("Piilo", "hidden_sheet_skipped"),
]


def pairs(parsed) -> list[tuple[str, str]]:
    return [(i.location, i.code) for i in parsed.issues]


@pytest.fixture
def quirks(tmp_path: Path) -> Path:
    return quirks_workbook(tmp_path / "quirks.xlsx")


@pytest.mark.parametrize("made_by", ["openpyxl", "quirks.xls", "quirks.ods", "quirks.xlsm"])
def test_quirks_report_has_every_problem_at_its_cell(store, quirks, made_by):
    source = quirks if made_by == "openpyxl" else FILES / made_by
    parsed = importing.prepare(store, source, today=TODAY)
    assert parsed.layout == "wide"
    assert pairs(parsed) == QUIRKS_REPORT
    assert parsed.blocked  # the bad date and the score 7 block the commit


def test_quirks_values_are_read_as_people_typed_them(store, quirks):
    parsed = importing.prepare(store, quirks, today=TODAY)
    a, s = parsed.assessments.a, parsed.assessments.s
    rows = dict(zip(a["row"], range(len(a["row"])), strict=True))
    assert sorted(rows) == [3, 4, 5, 6, 8]  # 7 repeats 5, 9 has no scores, 11 is a note
    assert a["assessed_on"][rows[3]] == date(2025, 3, 5)  # a datetime cell
    assert a["assessed_on"][rows[4]] == date(2025, 3, 6)  # "6.3.2025" typed as text
    assert a["assessed_on"][rows[5]] == date(2025, 3, 9)  # Excel serial number 45725
    assert a["innovation"][rows[4]] == "nuorten KOHTAAMO"  # spaces trimmed, matched by key
    scores = {
        (r, c): (raw, value, norm)
        for i, r, c, raw, value, norm in zip(
            s["a"],
            s["row"],
            s["criterion"],
            s["raw_value"],
            s["value"],
            s["normalised"],
            strict=True,
        )
        if (r, c)
        in {(4, "need"), (4, "in_practice"), (4, "novelty"), (4, "effectiveness"), (5, "need")}
    }
    assert scores[(4, "need")] == ("4 – hyvä", 4.0, 0.75)  # a scale label
    assert scores[(4, "in_practice")] == ("3,5", 3.5, 0.625)  # a decimal comma
    assert scores[(4, "novelty")] == ("4", 4.0, 0.75)  # a number stored as text
    assert scores[(4, "effectiveness")] == ("hyvä", 4.0, 0.75)  # a level's name alone
    assert scores[(5, "need")] == ("–", None, None)  # a dash is a missing score, never 0
    assert (5, "in_practice") not in {(r, c) for r, c in zip(s["row"], s["criterion"], strict=True)}


def test_comment_columns_attach_to_their_criterion(store, quirks):
    parsed = importing.prepare(store, quirks, today=TODAY)
    targets = {c.letter: c.target for c in parsed.plan.sheets[0].columns}
    assert targets["I"] == "comment:si_tool.in_practice"  # "Perustelut" after a criterion
    assert targets["K"] == "comment:si_tool.novelty"  # "Uutuusarvo – perustelut"
    assert targets["J"] == "criterion:si_tool.novelty"  # "Q4 Nyhetsvärde": Swedish
    assert targets["L"] == "criterion:si_tool.effectiveness"  # "Effectiveness": English
    assert targets["G"] == "criterion:si_tool.need"  # under a merged group title


@pytest.mark.parametrize(
    ("header", "cleaned"),
    [
        ("3. Uutuusarvo (1–5)", "uutuusarvo"),
        ("Q3 Novelty*", "novelty"),
        ("K3: Tarve", "tarve"),
        ("10 Systeeminen muutos", "systeeminen muutos"),
        ("Uutuusarvo 1-5", "uutuusarvo"),
        ("  NYHETSVÄRDE  ", "nyhetsvarde"),
        ("Innovaation nimi?", "innovaation nimi"),
    ],
)
def test_headers_lose_numbering_hints_case_and_accents(header, cleaned):
    assert clean_header(header) == cleaned


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7.11.2023", date(2023, 11, 7)),
        ("07.11.2023 10.12.13", date(2023, 11, 7)),  # a Finnish form tool's timestamp
        ("2023-11-07T10:00:00+02:00", date(2023, 11, 7)),
        ("2023/11/07 10:12:13 AM EET", date(2023, 11, 7)),
        (45237, date(2023, 11, 7)),  # an Excel serial number
        ("45237", date(2023, 11, 7)),  # the same, stored as text
        ("–", None),
    ],
)
def test_dates_as_people_type_them(text, expected):
    assert as_date(text) == expected


@pytest.mark.parametrize("text", ["31.2.2025", "ensi viikolla", "13/45/2020", True])
def test_unparseable_dates_are_problems(text):
    with pytest.raises(ValueProblem) as caught:
        as_date(text)
    assert caught.value.code == "bad_date"


@pytest.mark.parametrize(
    ("text", "expected"), [("3,5", 3.5), ("1 000 000", 1e6), ("€200 000", 200000.0), (" 4 ", 4.0)]
)
def test_numbers_as_people_type_them(text, expected):
    assert as_number(text) == expected


def test_long_export_groups_rows_into_assessments(store, tmp_path):
    parsed = importing.prepare(store, long_export(tmp_path / "long.xlsx"), today=TODAY)
    assert parsed.layout == "long"
    assert pairs(parsed) == [
        ("Poäng!1:1", "default_assessment_type"),
        ("Poäng!D7", "unknown_criterion"),
        ("Poäng!E8", "duplicate_record"),
    ]
    a, s = parsed.assessments.a, parsed.assessments.s
    assert sorted(zip(a["innovation"], a["framework"], strict=True)) == [
        ("Digitalkkari", "si_tool"),
        ("Nuorten kohtaamo", "innokyla_award"),  # "delvis" and "yes" on the award's scale
        ("Nuorten kohtaamo", "si_tool"),
    ]
    got = {
        (c, r): (raw, norm)
        for c, r, raw, norm in zip(
            s["criterion"], s["row"], s["raw_value"], s["normalised"], strict=True
        )
    }
    assert got[("award_in_practice", 4)] == ("delvis", 0.5)
    assert got[("award_new", 5)] == ("yes", 1.0)
    assert got[("novelty", 6)] == ("3,5", 0.625)


@pytest.mark.parametrize(("delimiter", "bom"), [(";", True), (",", False)])
def test_csv_exports_in_utf8_with_or_without_bom(store, delimiter, bom):
    rows = [
        ["Innovaation nimi", "Arvioija", "Uutuusarvo (1–5)", "Tarve (1–5)"],
        ["Pärjätään yhdessä", "Åsa Öberg", "3,5" if delimiter == ";" else "3.5", "5"],
    ]
    parsed = importing.prepare(
        store, csv_bytes(rows, delimiter, bom), "vastaukset.csv", today=TODAY
    )
    assert parsed.layout == "wide"
    assert not parsed.blocked
    assert parsed.assessments.a["innovation"] == ["Pärjätään yhdessä"]
    assert sorted(parsed.assessments.s["value"]) == [3.5, 5.0]


def test_hub_template_sheets_are_detected_by_name(store, tmp_path):
    path = write_book(
        tmp_path / "hub.xlsx",
        {
            "Innovaatiot": [
                ["Toimintamallin nimi", "Vaihe"],
                ["Olohuone", "Prototyypit ja pilotit"],
            ],
            "Bedömningar": [["Innovation", "Bedömare", "Nyhetsvärde"], ["Olohuone", "Åsa", 4]],
        },
    )
    parsed = importing.prepare(store, path, today=TODAY)
    assert parsed.layout == "hub"
    assert [s.kind for s in parsed.plan.sheets] == ["Innovations", "Assessments"]
    assert not parsed.blocked


def test_missing_required_column_and_unknown_innovation_in_hub_sheets(store, tmp_path):
    path = write_book(
        tmp_path / "hub.xlsx",
        {
            "Assessments": [["Innovation", "Assessor", "Novelty"], ["Ei ole olemassa", "Åsa", 4]],
            "StageHistory": [["Innovation", "Stage"], ["Olohuone", "prototypes"]],
        },
    )
    parsed = importing.prepare(store, path, today=TODAY)
    assert pairs(parsed) == [
        ("Assessments!1:1", "default_assessment_type"),
        ("Assessments!A2", "unknown_innovation"),
        ("StageHistory!1:1", "missing_required_column"),
    ]
    assert "Date entered" in parsed.issues[-1].message("en")


def test_a_long_sheet_without_its_score_column_is_reported_once(store, tmp_path):
    rows = [["Innovation", "Bedömare", "Kriterium"], ["Olohuone", "Åsa", "Nyhetsvärde"]]
    path = write_book(tmp_path / "long.xlsx", {"Poäng": rows})
    parsed = importing.prepare(
        store, path, today=TODAY, mapping=Mapping(sheet_kinds={"Poäng": "Long"})
    )
    assert pairs(parsed) == [("Poäng!1:1", "missing_required_column")]
    assert parsed.issues[0].value == "score"


def test_a_mapping_change_maps_an_unknown_column(store, quirks):
    first = importing.prepare(store, quirks, today=TODAY)
    column = next(c for c in first.plan.sheets[0].columns if c.letter == "M")
    mapping = Mapping().override("Form", column.key, "criterion:si_tool.sustainability")
    second = importing.prepare(store, quirks, today=TODAY, mapping=mapping)
    assert ("Vastaukset!M2", "unknown_criterion_column") not in pairs(second)
    s = second.assessments.s
    assert ("sustainability", 3, "M") in set(
        zip(s["criterion"], s["row"], s["column"], strict=True)
    )


def test_fuzzy_headers_are_proposed_and_flagged(store, tmp_path):
    path = wide_export(
        tmp_path / "w.xlsx", [["2025-03-01", "Olohuone", "Kylätalo", "Åsa", 1, 4, 3, None]]
    )
    book = importing.read(path)
    sheet = book.sheets[0]
    sheet.rows[0][6] = "Q2 Novelyt (1-5)"  # a typo in the header
    parsed = importing.prepare(store, book, today=TODAY)
    column = next(c for c in parsed.plan.sheets[0].columns if c.letter == "G")
    assert (column.target, column.how) == ("criterion:si_tool.novelty", "fuzzy")
    assert ("'Form responses 1'!G1", "fuzzy_header") in pairs(parsed)


def test_near_matches_are_asked_not_silently_created(store, tmp_path):
    importing.import_file(
        store,
        wide_export(
            tmp_path / "a.xlsx",
            [["2025-03-01", "Nuorten Walk-in", "Kohtaamo ry", "Anna Virtanen", 1, 4, 3, None]],
        ),
        today=TODAY,
        by=BY_STAFF,
    )
    path = wide_export(
        tmp_path / "b.xlsx",
        [
            ["2025-03-02", "Nuorten Walkin", "Kohtaamo ry", "Virtanen Anna", 1, 3, 3, None],
            ["2025-03-03", "Nuorten Walkin", "Kohtamo ry", "Mikko Korhonen", 1, 3, 3, None],
        ],
    )
    parsed = importing.prepare(store, path, today=TODAY)
    found = {(m.kind, m.name, m.candidate, m.reason) for m in parsed.near}
    assert found == {
        ("innovation", "Nuorten Walkin", "Nuorten Walk-in", "joined"),
        ("assessor", "Virtanen Anna", "Anna Virtanen", "word_order"),
        ("organisation", "Kohtamo ry", "Kohtaamo ry", "typo"),
    }
    assert parsed.blocked and {i.code for i in parsed.issues if i.blocking} == {"near_match"}
    parsed.decide({m.id: "same" for m in parsed.near})
    assert not parsed.blocked


def test_names_differing_in_a_number_are_not_near_matches(store, tmp_path):
    rows = [
        ["2025-03-01", f"Kohtaamo {n}", "Yhdistys", f"Arvioija {n}", 1, 4, 3, None]
        for n in (1, 2, 3)
    ]
    parsed = importing.prepare(store, wide_export(tmp_path / "n.xlsx", rows), today=TODAY)
    assert parsed.near == []


def test_names_differing_by_an_initial_are_different_people(store, tmp_path):
    rows = [
        ["2025-03-01", "Kohtaamo", "Yhdistys", name, 1, 4, 3, None]
        for name in ("Anna K", "Anna M", "Anna Virtanen", "Anna Virtanen", "Anna Virtnen")
    ]
    parsed = importing.prepare(store, wide_export(tmp_path / "n.xlsx", rows), today=TODAY)
    # a real typo is still asked about; an initial that tells two people apart is not
    assert {(m.name, m.candidate) for m in parsed.near} == {("Anna Virtnen", "Anna Virtanen")}


GAUGE = """
code = "innokyla_gauge"
version = "test"
scale = "traffic_light"
sort_order = 9
[name]
fi = "Innokylän arviointimittari"
sv = "Innokyläs bedömningsmätare"
en = "Innokylä assessment gauge"
[description]
fi = "Liikennevaloarvio"
sv = "Trafikljusbedömning"
en = "A traffic-light rating"
[[criteria]]
code = "gauge_goal"
dimension = "need"
fi = "Tavoitteen selkeys"
sv = "Målets tydlighet"
en = "Clarity of the goal"
[[criteria]]
code = "gauge_users"
dimension = "participation"
fi = "Käyttäjien osallisuus"
sv = "Användarnas delaktighet"
en = "User involvement"
"""


def test_traffic_lights_and_yes_partly_no_as_typed(store, tmp_path):
    """A framework on the traffic-light scale (as data) and the award's yes / partly / no, the
    second mapped explicitly (one sheet, two frameworks)."""
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR / "frameworks", data / "frameworks")
    for name in ("vocabularies.toml", "scales.toml"):
        shutil.copy(DATA_DIR / name, data / name)
    (data / "frameworks" / "gauge.toml").write_text(GAUGE, encoding="utf-8")
    sync_reference_data(store, data)
    rows = [
        [
            "Innovaatio",
            "Arvioija",
            "Tavoitteen selkeys",
            "Käyttäjien osallisuus",
            "Viety käytäntöön",
        ],
        ["Olohuone", "Åsa", "vihreä", "Keltainen", "osittain"],
        ["Kotiapu", "Åsa", "punainen", "sininen", "kyllä"],
    ]
    path = write_book(tmp_path / "g.xlsx", {"Mittari": rows})
    asked = importing.prepare(store, path, today=TODAY)
    # two of the gauge's criteria and one of the award's: the sheet mixes frameworks, which
    # takes an explicit mapping
    assert ("Mittari!E1", "other_framework_column") in pairs(asked) and asked.blocked
    award = "criterion:innokyla_award.award_in_practice"
    mapping = Mapping().override("Form", "viety kaytantoon", award)
    parsed = importing.prepare(store, path, today=TODAY, mapping=mapping)
    assert pairs(parsed) == [
        ("Mittari!1:1", "default_assessment_type"),
        ("Mittari!D3", "score_not_on_scale"),
    ]
    # the message names the scale as the reader knows it, never by its code
    blue = parsed.issues[-1]
    assert blue.message("fi") == (
        "”sininen” ei ole asteikon Liikennevalo (Innokylän arviointimittari) arvo."
    )
    assert "Traffic light (Innokylä assessment gauge)" in blue.message("en")
    assert "traffic_light" not in blue.message("sv")
    s = parsed.assessments.s
    got = dict(
        zip(
            zip(s["row"], s["criterion"], strict=True),
            zip(s["level_code"], s["normalised"], strict=True),
            strict=True,
        )
    )
    assert got[(2, "gauge_goal")] == ("green", 1.0)
    assert got[(2, "gauge_users")] == ("yellow", 0.5)
    assert got[(2, "award_in_practice")] == ("partly", 0.5)
    assert got[(3, "gauge_goal")] == ("red", 0.0)
    frameworks = sorted(
        zip(parsed.assessments.a["row"], parsed.assessments.a["framework"], strict=True)
    )
    assert frameworks == [
        (2, "innokyla_award"),
        (2, "innokyla_gauge"),
        (3, "innokyla_award"),
        (3, "innokyla_gauge"),
    ]


def test_a_workbook_without_a_recognisable_header(store, tmp_path):
    path = write_book(tmp_path / "x.xlsx", {"Taul1": [["Nimi", "Osoite"], ["Matti", "Kotikatu 1"]]})
    parsed = importing.prepare(store, path, today=TODAY)
    assert pairs(parsed) == [("", "no_known_sheet")]
    assert parsed.blocked and "Taul1" in parsed.issues[0].message("en")


def test_funding_calls_must_be_consistent_to_be_matched_honestly(store, tmp_path):
    good = {
        "funder": "STEA",
        "call_name": "C",
        "amount_min": 5000,
        "amount_max": 9000,
        "funding_rate_max": "80 %",
        "duration_months_min": 12,
        "duration_months_max": 36,
        "min_normalised_score": 0.5,
        "geographic_scope": "national",
        "regions": None,
        "opens_on": date(2026, 5, 1),
        "deadline": date(2026, 6, 30),
        "continuous": None,
        "last_checked": date(2026, 1, 2),
    }
    too_generous = good | {
        "call_name": "Too generous",
        "amount_min": -5,
        "funding_rate_max": 150,
        "duration_months_min": 36,
        "duration_months_max": 12,
    }
    forever = good | {
        "funder": "ELY",
        "call_name": "Forever",
        "funding_rate_max": 0.8,
        "min_normalised_score": "2",
        "geographic_scope": "regional",
        "deadline": None,
        "continuous": "ei",
        "last_checked": None,
    }
    rows = [list(good), *(list(call.values()) for call in (good, too_generous, forever))]
    path = write_book(tmp_path / "calls.xlsx", {"Funding": rows})
    parsed = importing.prepare(store, path, today=TODAY)
    found = set(pairs(parsed))
    assert not any(location.endswith("2") for location, _ in found)  # the good call is clean
    assert {
        ("Funding!C3", "negative_amount"),
        ("Funding!E3", "share_out_of_range"),
        ("Funding!G3", "duration_range_reversed"),
        ("Funding!L4", "no_deadline"),
        ("Funding!J4", "regional_call_without_regions"),
        ("Funding!N4", "not_checked"),
    } <= found
    assert parsed.blocked  # errors block; warnings and hints alone would not


# columns with data but no header --------------------------------------------------------------
UNNAMED_HEADER = [
    "Timestamp",
    "Innovation name",
    "Organisation",
    None,  # the e-mail of the assessor
    "Q1 Societal need (1-5)",
    None,  # its comment
    "Q2 Novelty (1-5)",
    None,  # its comment
]
UNNAMED_ROWS = [
    ["2025-03-01", f"Malli {n}", "Kylätalo ry", f"arvioija{n}@example.fi", 4, f"Tarve {n}", 3, None]
    for n in range(1, 6)
]
UNNAMED_MAPPING = {
    "column:D": "field:assessor_email",
    "column:F": "comment:si_tool.need",
    "column:H": "comment:si_tool.novelty",
}


@pytest.fixture
def unnamed(tmp_path: Path) -> Path:
    """An export whose e-mail and comment columns lost their headers (five assessments)."""
    rows = [*UNNAMED_ROWS]
    rows[2] = [*rows[2][:7], "Uutta"]  # one novelty comment, on the third form
    return write_book(tmp_path / "nimettomat.xlsx", {"Vastaukset": [UNNAMED_HEADER, *rows]})


def test_a_column_with_data_but_no_header_is_a_warning_with_its_letter(store, unnamed):
    parsed = importing.prepare(store, unnamed, today=TODAY)
    found = [i for i in parsed.issues if i.code == "unnamed_column"]
    assert [(i.location, i.severity) for i in found] == [
        (f"Vastaukset!{c}1", "warning") for c in "DFH"
    ]
    message = found[0].message("en")
    assert "Column D holds data" in message and "arvioija1@example.fi" in message
    for lang in ("fi", "sv"):
        assert " D " in found[0].message(lang) and "{" not in found[0].message(lang)
    assert parsed.assessments.a["assessor"] == [None] * 5  # not imported unless mapped
    columns = {c.letter: (c.header, c.target) for c in parsed.plan.sheets[0].columns}
    assert columns["D"] == ("", "ignore")


def test_the_mapping_assigns_a_column_without_a_header_by_its_letter(store, unnamed):
    mapping = Mapping(columns={"Form": dict(UNNAMED_MAPPING)})
    parsed = importing.prepare(store, unnamed, today=TODAY, mapping=mapping)
    assert "unnamed_column" not in {i.code for i in parsed.issues}
    assert parsed.assessments.a["assessor"] == [f"arvioija{n}@example.fi" for n in range(1, 6)]
    s = parsed.assessments.s
    comments = {(r, c): m for r, c, m in zip(s["row"], s["criterion"], s["comment"], strict=True)}
    assert comments[(2, "need")] == "Tarve 1" and comments[(4, "novelty")] == "Uutta"
    # kept with a saved mapping, in the format saved mappings have
    assert Mapping.from_json(mapping.to_json()).columns["Form"]["column:D"] == (
        "field:assessor_email"
    )


def test_a_mapping_target_the_hub_does_not_have_is_reported_not_followed(store, unnamed):
    mapping = Mapping(columns={"Form": {"column:D": "field:no_such_field", "novelty": "x"}})
    parsed = importing.prepare(store, unnamed, today=TODAY, mapping=mapping)
    codes = {(i.location, i.code) for i in parsed.issues}
    assert {
        ("Vastaukset!D1", "unknown_mapping_target"),
        ("Vastaukset!D1", "unnamed_column"),
        ("Vastaukset!G1", "unknown_mapping_target"),
    } <= codes
    assert {c.letter: c.target for c in parsed.plan.sheets[0].columns}["G"] == (
        "criterion:si_tool.novelty"  # matched by its header, as without the mapping
    )


def test_empty_columns_without_a_header_are_not_reported(store, tmp_path):
    rows = [[*r[:3], None, *r[4:5], None, *r[6:7], None] for r in UNNAMED_ROWS]
    path = write_book(tmp_path / "tyhjat.xlsx", {"Vastaukset": [UNNAMED_HEADER, *rows]})
    parsed = importing.prepare(store, path, today=TODAY)
    assert "unnamed_column" not in {i.code for i in parsed.issues}


def test_a_score_outside_the_framework_its_row_names_is_reported_by_names(store, tmp_path):
    """Not "criterion novelty … framework nesta_soe": the criterion and the framework by name."""
    rows = [
        ["Innovaatio", "Arvioija", "Arviointikehys", "Kriteeri", "Pisteet"],
        ["Olohuone", "Åsa", "Nesta standards of evidence", "Uutuusarvo", 4],
    ]
    path = write_book(tmp_path / "long.xlsx", {"Pisteet": rows})
    parsed = importing.prepare(
        store, path, today=TODAY, mapping=Mapping(sheet_kinds={"Pisteet": "Long"})
    )
    [issue] = [i for i in parsed.issues if i.code == "criterion_not_in_framework"]
    message = issue.message("en")
    assert "Nesta standards of evidence" in message and "Novelty" in message, message
    assert "nesta_soe" not in message and "novelty" not in message, message
