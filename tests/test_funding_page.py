"""The funding page (AppTest): the catalogue in every language, filters and the chosen call in
the URL, a call's facts and matches, an innovation's calls, friendly messages for unknown ids,
and the profile section on its own."""

from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from streamlit.testing.v1 import AppTest

from sihub.db import connect
from sihub.i18n import LANGUAGES, catalogue
from tests.apptools import RAW_KEY, frame_app, labelled, links, table, texts, title


def frame_with(at: AppTest, column: str):
    return table(at, column)


@pytest.fixture
def demo_calls(demo_copy):
    store = connect(str(demo_copy))
    today = date.fromisoformat(store.meta("demo_reference_date"))
    yield store, today
    store.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_funding_page_in_every_language_without_raw_keys(tmp_path, monkeypatch, demo_copy, lang):
    at = frame_app(tmp_path, monkeypatch, demo_copy, "pages/funding.py", lang)
    assert title(at) == catalogue(lang)["funding.title"]
    raw = [text for text in texts(at) if RAW_KEY.match(text)]
    assert raw == []
    assert len(at.get("plotly_chart")) == 1  # the deadline timeline
    calls = frame_with(at, "status_name")
    assert len(calls) == 25
    assert set(calls.status_name) <= {
        catalogue(lang)[f"funding.status.{s}"]
        for s in ("open", "closing", "continuous", "forthcoming", "closed")
    }


def test_status_filter_in_the_url_lists_only_open_calls(tmp_path, monkeypatch, demo_copy):
    at = frame_app(tmp_path, monkeypatch, demo_copy, "pages/funding.py", status="open,closing")
    calls = frame_with(at, "status_name")
    assert 0 < len(calls) < 25
    assert set(calls.status_name) <= {"Open", "Closing within 30 days"}
    assert at.multiselect(key="funding_f_status").value == ["open", "closing"]


def test_changing_a_filter_writes_it_to_the_url(tmp_path, monkeypatch, demo_copy):
    at = frame_app(tmp_path, monkeypatch, demo_copy, "pages/funding.py")
    at.multiselect(key="funding_f_theme").set_value(["employment"]).run()
    assert at.query_params["theme"] == "employment"
    calls = frame_with(at, "status_name")
    assert 0 < len(calls) < 25


def test_a_call_in_the_url_shows_its_facts_and_the_innovations_that_fit(
    tmp_path, monkeypatch, demo_copy, demo_calls
):
    store, _ = demo_calls
    call_id, name = store.rows(
        "SELECT id, call_name FROM funding_opportunities WHERE ref = 'CALL-001'"
    )[0]
    at = frame_app(tmp_path, monkeypatch, demo_copy, "pages/funding.py", call=call_id)
    assert name in [s.value.replace("\\", "") for s in at.subheader]  # escaped, as written
    # the facts table renders Markdown, so the data in it is escaped to show as written
    facts = {k.replace("\\", ""): v.replace("\\", "") for k, v in table(at, "fact", "value").values}
    assert facts["Funder"] == "ELY-keskus (Pohjois-Pohjanmaa)"
    assert facts["Amount"] == "€100,000–€600,000"
    # a demo entry says what it invented, and that nobody has checked it
    assert "Keksitty demoa varten" in facts["Description"]
    assert facts["Last checked"] == "–"
    assert any(w.value.startswith("Not checked:") for w in at.warning)
    matches = frame_with(at, "reasons")
    assert len(matches) > 0 and matches.reasons.str.contains("Shared").all()
    profile = [link for link in links(at) if link.startswith("/innovation?")]
    assert len(profile) == 1
    query = parse_qs(urlparse(profile[0]).query)
    assert int(query["id"][0]) in set(matches.innovation_id)
    assert query["lang"] == ["en"]


def test_a_calls_source_is_a_link_whose_address_copies_as_written(
    tmp_path, monkeypatch, demo_copy, demo_calls
):
    """The source address was text with invisible word joiners (https:\u2060//www\u2060.…),
    so a copied address did not open; now it is a link to exactly the recorded address."""
    store, _ = demo_calls
    call_id, url = store.rows(
        "SELECT id, source_url FROM funding_opportunities WHERE source_url LIKE 'https://%' "
        "ORDER BY id LIMIT 1"
    )[0]
    at = frame_app(tmp_path, monkeypatch, demo_copy, "pages/funding.py", call=call_id)
    facts = {k.replace("\\", ""): v for k, v in table(at, "fact", "value").values}
    shown = facts["Source"]
    assert "\u2060" not in shown
    assert shown.endswith(f"]({url})") and shown.startswith("[")
    assert shown[1 : -len(url) - 3].replace("\\", "") == url  # the text is the address too


def test_only_a_web_address_becomes_a_link():
    from sihub.text import markdown_link

    assert markdown_link("javascript:alert(1)") is None
    assert markdown_link("www.example.fi") is None  # no scheme: text, as written
    assert (
        markdown_link("https://x.fi/a (b)")
        == "[https\\://x\\.fi/a \\(b\\)](https://x.fi/a%20%28b%29)"
    )


def test_an_unknown_call_says_so_and_offers_a_way_back(tmp_path, monkeypatch, demo_copy):
    at = frame_app(tmp_path, monkeypatch, demo_copy, "pages/funding.py", call=99999)
    assert any("There is no call with id 99999" in w.value for w in at.warning)
    labelled(at.button, "Back to all calls").click().run()
    assert not at.exception
    assert "call" not in at.query_params
    assert not at.warning


def test_an_innovation_in_the_url_opens_its_calls(tmp_path, monkeypatch, demo_copy, demo_calls):
    store, _ = demo_calls
    innovation = store.scalar("SELECT id FROM innovations WHERE ref = 'DEMO-001'")
    at = frame_app(tmp_path, monkeypatch, demo_copy, "pages/funding.py", innovation=innovation)
    assert "Funding calls that fit this innovation" in [s.value for s in at.subheader]
    found = table(at, "call_name", "reasons")  # the innovation's calls, not the catalogue
    assert len(found) > 0 and "Closed" not in set(found.status)
    assert any(link.startswith("/funding?") and "call=" in link for link in links(at))


def test_an_empty_hub_says_how_to_add_calls(tmp_path, monkeypatch, store):
    at = frame_app(tmp_path, monkeypatch, Path(store.path), "pages/funding.py")
    assert any("no funding calls" in i.value for i in at.info)
    assert any(link.startswith("/import?") for link in links(at))


def test_profile_section_works_on_its_own(tmp_path, monkeypatch, demo_copy, demo_calls):
    """The innovation profile page (built separately) calls this one function."""
    store, today = demo_calls
    innovation = store.scalar("SELECT id FROM innovations WHERE ref = 'DEMO-001'")
    monkeypatch.setenv("SIHUB_DB", str(demo_copy))
    monkeypatch.setenv("SIHUB_TODAY", today.isoformat())

    def profile(innovation_id: int) -> None:
        import streamlit as st

        from sihub.i18n import set_language
        from sihub.ui.funding import innovation_calls_section

        st.session_state["lang"] = "fi"
        set_language("fi")
        innovation_calls_section("shared", innovation_id)

    at = AppTest.from_function(profile, args=(innovation,), default_timeout=120).run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Innovaatioon sopivat rahoitushaut" in [s.value for s in at.subheader]
    assert len(frame_with(at, "call_name")) > 0
    missing = AppTest.from_function(profile, args=(99999,), default_timeout=120).run()
    assert not missing.exception
    assert any("99999" in w.value for w in missing.warning)
