"""Values of vocabularies as people type them: codes and names in three languages, and their
natural variants; a value that could mean two codes, or none, is asked about, never guessed."""

from __future__ import annotations

import pytest

from sihub import importing
from sihub.importing.context import Context
from sihub.importing.values import ValueProblem
from tests.import_corpus import TODAY, write_book


@pytest.fixture(scope="module")
def vocabularies(reference_store):
    return Context.load(reference_store, TODAY).vocabularies


@pytest.mark.parametrize(
    ("table", "typed", "code"),
    [
        ("assessment_types", "Itsearviointi", "self"),  # a name
        ("assessment_types", "itsearviointi", "self"),
        ("assessment_types", "asiantuntija", "expert"),  # the start of a name
        ("assessment_types", "Asiantuntija-arvio", "expert"),
        ("assessment_types", "vertaisarviointi", "peer"),
        ("assessment_types", "VERTAIS", "peer"),
        ("assessment_types", "self assessment", "self"),  # words split
        ("assessment_types", "Självbedömning", "self"),
        ("assessment_types", "sjalvbedomning", "self"),  # diacritics left out
        ("assessment_types", "Expert review", "expert"),  # a name with more after it
        ("assessment_types", "raati", "jury"),  # synonyms.toml
        ("assessment_types", "rahoittaja", "funder"),
        ("regions", "Pirkanmaa", "pirkanmaa"),
        ("regions", "Helsinki", "helsinki"),  # a word of "City of Helsinki"
        ("org_types", "ry", "association"),
        ("org_types", "Yhteiskunnallinen", "social_enterprise"),
        ("scopes", "koko Suomi", "national"),
        ("stages", "Prototyypit ja pilotit", "prototypes"),
    ],
)
def test_natural_variants_name_one_code(vocabularies, table, typed, code):
    assert vocabularies[table].code(typed) == code


@pytest.mark.parametrize(
    ("table", "typed"),
    [
        ("regions", "Uusimaa"),  # four areas of Uusimaa: asked, not guessed
        ("assessment_types", "arvio"),  # the start of several names
        ("assessment_types", "ulkopuolinen"),
        ("org_types", "kk"),  # too short to be the start of anything
    ],
)
def test_a_value_of_two_codes_or_none_is_a_problem_with_the_nearest(vocabularies, table, typed):
    with pytest.raises(ValueProblem) as caught:
        vocabularies[table].code(typed)
    assert caught.value.code == "unknown_code"
    assert set(caught.value.params["nearest"]) == {"fi", "sv", "en"}


def test_the_nearest_values_come_first(vocabularies):
    assert vocabularies["assessment_types"].nearest("asiantuntia")[0] == "expert"  # a typo
    assert vocabularies["assessment_types"].nearest("vertaisarvointi")[0] == "peer"


def test_a_chosen_meaning_wins_and_may_leave_a_cell_empty(vocabularies):
    types = vocabularies["assessment_types"]
    assert types.code("ulkopuolinen", {"ulkopuolinen": "expert"}) == "expert"
    assert types.code("Ulkopuolinen", {"ulkopuolinen": ""}) is None
    assert types.code("itse", {"itse": "peer"}) == "peer"  # even over a variant


def test_a_variant_is_read_with_a_hint_at_its_first_cell(reference_store, tmp_path):
    rows = [
        ["Innovaatio", "Arvioija", "Arvioinnin tyyppi", "Uutuusarvo"],
        ["Olohuone", "Anna", "itsearviointi", 4],
        ["Olohuone", "Mikko", "asiantuntija", 3],
        ["Kotiapu", "Laura", "Asiantuntija", 5],
    ]
    path = write_book(tmp_path / "tyypit.xlsx", {"Vastaukset": rows})
    parsed = importing.prepare(reference_store, path, today=TODAY)
    assert parsed.assessments.a["assessment_type"] == ["self", "expert", "expert"]
    hints = [i for i in parsed.issues if i.code == "value_variant"]
    assert [(i.location, i.params["count"]) for i in hints] == [("Vastaukset!C3", 2)]
    assert "Expert assessment" in hints[0].message("en")
    assert not parsed.blocked
