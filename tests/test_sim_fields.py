"""Social Innovation Match's case-study fields and Innokylä's development path: imported from
a hub workbook in any language, checked at their cells, undone exactly."""

from __future__ import annotations

from datetime import date

import pytest

from sihub import importing, pipeline
from sihub.access import Visibility
from sihub.importing.issues import ERROR
from sihub.pipeline.filters import InnovationFilter
from tests.builders import staff_by
from tests.import_corpus import TODAY, write_book

pytestmark = pytest.mark.both_stores  # new tables and columns on every backend

INNOVATIONS = [
    [
        "Innovation name",
        "Problem addressed in English",
        "Ratkaistava ongelma suomeksi",
        "Innovative solution in English",
        "Countries involved",
        "Level of action",
        "Type of initiative",
        "Source of funding",
        "Budget amount",
        "Budget currency",
        "Programming period",
        "Project start",
        "Project end",
        "Lead organisation",
    ],
    [
        "Olohuone",
        "Young people drop out of services.",
        "Nuoret putoavat palveluista.",
        "A living room run with young people.",
        "Suomi; Sweden; EE",
        "European",
        "hanke",
        "ESF+",
        250000,
        "EUR",
        "2021-2027",
        "1.3.2023",
        "2025-02-28",
        "Kylätalo ry",
    ],
]
PARTICIPANTS = [
    ["Innovation", "Organisation", "Role", "Country"],
    ["Olohuone", "Stockholms stadsmission", "partner", "Ruotsi"],
    ["Olohuone", "Tartu Noortekeskus", "kumppani", "Estonia"],
]
DEVELOPMENT_PATH = [
    ["Innovaatio", "Vaiheen päivämäärä", "Kehittämisaskel", "Mitä tehtiin"],
    ["Olohuone", "1.3.2023", "Tarpeen kartoitus", "Haastateltiin nuoria."],
    ["Olohuone", "1.9.2023", "Ensimmäinen kokeilu", None],
]


def _book(tmp_path, innovations=INNOVATIONS, **extra):
    sheets = {"Innovations": innovations, "Participants": PARTICIPANTS, **extra}
    sheets.setdefault("Kehittämispolku", DEVELOPMENT_PATH)
    return write_book(tmp_path / "sim.xlsx", sheets)


def test_case_study_fields_arrive_where_the_profile_reads_them(store, tmp_path):
    result = importing.import_file(store, _book(tmp_path), by=staff_by("Anna"), today=TODAY)
    assert result.status == importing.IMPORTED, result.issues
    row = store.records(
        "SELECT problem_addressed_en, problem_addressed_fi, problem_addressed_sv, "
        "innovative_solution_en, scope, initiative_type, funding_source, budget_amount, "
        "budget_currency, programming_period, project_start, project_end FROM innovations"
    )[0]
    assert row == {
        "problem_addressed_en": "Young people drop out of services.",
        "problem_addressed_fi": "Nuoret putoavat palveluista.",
        "problem_addressed_sv": None,  # a language not given stays empty, never a copy
        "innovative_solution_en": "A living room run with young people.",
        "scope": "european",
        "initiative_type": "project",
        "funding_source": "public_eu",
        "budget_amount": 250000.0,
        "budget_currency": "EUR",
        "programming_period": "2021-2027",
        "project_start": date(2023, 3, 1),
        "project_end": date(2025, 2, 28),
    }
    countries = store.rows("SELECT country_code FROM innovation_countries ORDER BY ALL")
    assert countries == [("EE",), ("FI",), ("SE",)]


def test_participants_get_their_roles_and_countries(store, tmp_path):
    importing.import_file(store, _book(tmp_path), by=staff_by("Anna"), today=TODAY)
    rows = store.rows(
        "SELECT o.name, io.role, o.country FROM innovation_organisations io "
        "JOIN organisations o ON o.id = io.organisation_id ORDER BY o.name"
    )
    assert rows == [
        ("Kylätalo ry", "lead", None),  # no file said its country,
        ("Stockholms stadsmission", "partner", "SE"),
        ("Tartu Noortekeskus", "partner", "EE"),
    ]


def test_development_path_is_a_dated_list_and_reimport_adds_nothing(store, tmp_path):
    path = _book(tmp_path)
    importing.import_file(store, path, by=staff_by("Anna"), today=TODAY)
    steps = store.rows("SELECT step_on, step, description FROM development_steps ORDER BY step_on")
    assert steps == [
        (date(2023, 3, 1), "Tarpeen kartoitus", "Haastateltiin nuoria."),
        (date(2023, 9, 1), "Ensimmäinen kokeilu", None),
    ]
    again = importing.import_file(store, path, by=staff_by("Anna"), today=TODAY)
    assert again.status == importing.ALREADY_IMPORTED or (
        again.summary.counts["development_steps_new"] == 0
        and again.summary.counts["participants_new"] == 0
    )


def test_undo_removes_countries_steps_and_participants(store, tmp_path):
    result = importing.import_file(store, _book(tmp_path), by=staff_by("Anna"), today=TODAY)
    importing.undo_batch(store, result.batch_id, by=staff_by("Anna"))
    for table in ("innovation_countries", "development_steps", "innovation_organisations"):
        assert store.scalar(f"SELECT count(*) FROM {table}") == 0, table


def _broken_innovations() -> list[list]:
    header = INNOVATIONS[0]
    row = dict(zip(header, INNOVATIONS[1], strict=True))
    row |= {
        "Countries involved": "Atlantis",
        "Budget currency": None,
        "Programming period": "next year",
        "Project start": "1.3.2025",
        "Project end": "1.3.2024",
    }
    second = dict(row, **{"Innovation name": "Digitalkkari", "Budget currency": "euros"})
    return [header, list(row.values()), list(second.values())]


def test_inconsistent_case_study_is_reported_at_its_cells(store, tmp_path):
    path = _book(tmp_path, innovations=_broken_innovations())
    result = importing.import_file(store, path, by=staff_by("Anna"), today=TODAY)
    assert result.status == importing.BLOCKED
    found = {(i.location, i.code) for i in result.issues if i.severity == ERROR}
    assert {
        ("Innovations!E2", "unknown_code"),
        ("Innovations!J2", "budget_without_currency"),
        ("Innovations!K2", "bad_programming_period"),
        ("Innovations!M2", "project_end_before_start"),
        ("Innovations!J3", "bad_currency"),
    } <= found
    assert store.scalar("SELECT count(*) FROM innovations") == 0


def _imported(store, tmp_path):
    """The SIM workbook and a second, plain innovation in another file."""
    importing.import_file(store, _book(tmp_path), by=staff_by("Anna"), today=TODAY)
    plain = write_book(tmp_path / "plain.xlsx", {"Innovations": [["name"], ["Digitalkkari"]]})
    importing.import_file(store, plain, by=staff_by("Anna"), today=TODAY)
    return {name: i for i, name in store.rows("SELECT id, name FROM innovations")}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"country": "SE"}, ["Olohuone"]),  # a participant's country counts
        ({"country": "none"}, ["Digitalkkari"]),  # "not recorded" is a choice, never dropped
        ({"scope": "european"}, ["Olohuone"]),
        ({"scope": "local"}, []),
        ({"inittype": "project"}, ["Olohuone"]),
        ({"inittype": "none", "country": "FI"}, []),
    ],
)
def test_explorer_filters_by_country_level_and_type_from_the_url(store, tmp_path, params, expected):
    _imported(store, tmp_path)
    selection = InnovationFilter.from_query(params)
    assert selection.to_query() == params  # a shared link keeps the filter
    found = pipeline.results(store, Visibility.ALL, selection, "en", "name")
    assert list(found.name) == expected


def test_facets_count_countries_levels_and_types(store, tmp_path):
    _imported(store, tmp_path)
    options = pipeline.facet_options(store, Visibility.ALL, InnovationFilter(), "fi")
    countries = options["country"].set_index("code")
    assert countries.loc["SE", "label"] == "Ruotsi" and countries.loc["SE", "innovations"] == 1
    assert countries.loc["none", "innovations"] == 1
    assert options["initiative_type"].set_index("code").loc["project", "label"] == "Hanke"
