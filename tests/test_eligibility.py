"""Consortium rules of funding calls as data: imported, checked at their cells, and explained
in words when an innovation's partners fall short or the rule is not known."""

from __future__ import annotations

from datetime import date

import pytest

from sihub import importing
from sihub.access import Visibility
from sihub.funding import matching
from sihub.importing.issues import ERROR
from tests.builders import staff_by
from tests.import_corpus import TODAY, write_book

CALLS = [
    ["Funder", "Call", "Deadline", "Minimum number of partners", "Minimum number of countries",
     "Who may lead", "Geographic scope"],
    ["Komissio", "Transnational scaling", "2025-12-01", 2, 2, "julkinen", "european"],
    ["Säätiö", "Local grants", "2025-12-01", None, None, None, "national"],
]  # fmt: skip


@pytest.mark.both_stores
def test_consortium_rules_are_read_in_any_language(store, tmp_path):
    path = write_book(tmp_path / "calls.xlsx", {"Funding": CALLS})
    result = importing.import_file(store, path, by=staff_by("Anna"), today=TODAY)
    assert result.status == importing.IMPORTED, result.issues
    rows = store.rows(
        "SELECT call_name, min_partners, min_countries, lead_type FROM funding_opportunities "
        "ORDER BY call_name"
    )
    # an empty cell stays unknown (NULL), never 0 or "any"
    assert rows == [("Local grants", None, None, None), ("Transnational scaling", 2, 2, "public")]


def test_impossible_consortium_rules_are_reported_at_their_cells(store, tmp_path):
    broken = [CALLS[0], ["Komissio", "Broken", "2025-12-01", 2, 3, "any", "european"],
              ["Komissio", "Zero", "2025-12-01", 0, None, "any", "european"]]  # fmt: skip
    path = write_book(tmp_path / "calls.xlsx", {"Funding": broken})
    result = importing.import_file(store, path, by=staff_by("Anna"), today=TODAY)
    found = {(i.location, i.code) for i in result.issues if i.severity == ERROR}
    assert {
        ("Funding!E2", "more_countries_than_partners"),
        ("Funding!D3", "minimum_below_one"),
    } <= found


SI_PLUS = "Social Innovation+ transnational call: scaling"  # partners from 2 member states
EASI = "EaSI action grants: social innovation and policy experimentation"  # countries unknown


def _matches(demo_store, call_name: str, lang: str = "en"):
    today = date.fromisoformat(demo_store.meta("demo_reference_date"))
    call_id = demo_store.scalar(
        "SELECT id FROM funding_opportunities WHERE call_name = ?", [call_name]
    )
    return matching.call_matches(demo_store, Visibility.ALL, call_id, today, lang)


def test_a_finnish_only_consortium_falls_short_of_two_countries_in_words(demo_store):
    finnish_only = {
        r[0]
        for r in demo_store.rows(
            "SELECT io.innovation_id FROM innovation_organisations io "
            "JOIN organisations o ON o.id = io.organisation_id "
            "WHERE io.role IN ('lead', 'partner') "
            "GROUP BY 1 HAVING count(*) >= 2 AND bool_and(o.country = 'FI')"
        )
    }
    found = _matches(demo_store, SI_PLUS)
    short = found[found.innovation_id.isin(finnish_only)]
    assert len(short) > 0
    for mismatches in short.mismatches:
        assert "Needs partners in 2 countries; this innovation has partners in 1" in mismatches


def test_the_european_network_has_partners_in_enough_countries(demo_store):
    found = _matches(demo_store, SI_PLUS).set_index("name")
    reasons = found.loc["Eurooppalainen sosiaalisen työllistämisen verkosto", "reasons"]
    assert "Needs partners in 2 countries; this innovation has partners in 5" in reasons


def test_an_unknown_rule_is_to_check_never_not_required(demo_store):
    row = _matches(demo_store, EASI).iloc[0]
    assert "Whether the call needs partners in several countries is not recorded" in row.to_check
    assert "Who may lead an application is not recorded" in row.to_check
    every = [*row.reasons, *row.mismatches, *row.to_check]
    assert not any("not required" in text for text in every)


def test_the_rules_read_in_finnish_too(demo_store):
    found = _matches(demo_store, SI_PLUS, lang="fi").set_index("name")
    reasons = found.loc["Eurooppalainen sosiaalisen työllistämisen verkosto", "reasons"]
    assert "Vaatii kumppaneita 2 maasta; tällä innovaatiolla on kumppaneita 5 maasta" in reasons
