"""The profile's case-study tab on the demo: SIM's fields, participants with their countries
and the development path, as a user reads them; gaps said as "not recorded"."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from sihub.db import connect
from tests.apptools import PROJECT_DIR, table, texts


def _open(demo_copy, monkeypatch, innovation_id: int, lang: str = "en") -> AppTest:
    monkeypatch.setenv("SIHUB_DB", str(demo_copy))
    at = AppTest.from_file(str(PROJECT_DIR / "app.py"), default_timeout=60).run()
    at.switch_page("pages/innovation.py")
    at.query_params["lang"] = lang
    at.query_params["id"] = str(innovation_id)
    at.session_state["profile.section"] = "case_study"
    at.run()
    assert not at.exception
    return at


def test_a_european_network_shows_its_partners_countries_and_path(demo_copy, monkeypatch):
    store = connect(str(demo_copy))
    innovation_id = store.scalar(
        "SELECT id FROM innovations WHERE name LIKE 'Eurooppalainen sosiaalisen%'"
    )
    store.close()
    at = _open(demo_copy, monkeypatch, innovation_id)
    partners = table(at, "organisation", "role", "country")  # the columns' codes, as AppTest sees
    assert {"Sweden", "Estonia", "Germany", "Spain"} <= set(partners.country)
    facts = dict(table(at, "Field", "Value").values.tolist())
    assert facts["Level of action"] == "European"
    assert facts["Source of funding"] == "Public – EU"
    assert facts["Programming period"] in ("2014–2020", "2021–2027")
    assert "Finland" in facts["Countries involved"] and "Spain" in facts["Countries involved"]
    path = table(at, "step_on", "step", "description")
    assert len(path) >= 1 and path.step.iloc[0] == "Tarpeen tunnistaminen"
    words = texts(at)
    assert any("Problem addressed" in x and "(in Finnish)" in x for x in words)
    assert any("Problem addressed" in x and "(in English)" in x for x in words)
    assert not any("(in Swedish)" in x for x in words)  # a language not given is not shown


def test_fields_not_recorded_are_said_so_in_the_users_language(demo_copy, monkeypatch):
    store = connect(str(demo_copy))
    innovation_id = store.scalar(
        "SELECT min(id) FROM innovations WHERE budget_amount IS NULL AND budget_text IS NULL"
    )
    store.close()
    at = _open(demo_copy, monkeypatch, innovation_id, lang="fi")
    facts = dict(table(at, "Tieto", "Arvo").values.tolist())
    assert facts["Budjetti"] == "ei kirjattu"
