"""AppTest of the explorer (/pipeline) and the profile (/innovation) on a copy of the demo store."""

from __future__ import annotations

import threading
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from streamlit.testing.v1 import AppTest

from sihub import PROJECT_DIR, pipeline
from sihub.access import Visibility
from sihub.db import connect, derived, open_store
from sihub.pipeline.filters import InnovationFilter
from tests.apptools import (
    every_string,
    labelled,
    link_buttons,
    messages,
    page_links,
    run_app,
    table,
    table_settings,
    title,
)

LANG_TITLES = {
    "fi": ("Innovaatioputki", "Takaisin innovaatioputkeen"),
    "sv": ("Innovationsflödet", "Tillbaka till innovationsflödet"),
    "en": ("Innovation pipeline", "Back to the pipeline"),
}


def app(db: Path, monkeypatch: pytest.MonkeyPatch, page: str, **params: str) -> AppTest:
    return run_app(monkeypatch, db, page, **params)


def texts(at: AppTest) -> list[str]:
    """Everything a user reads: titles, text, captions, messages and widget labels."""
    found = [e.value for kind in ("title", "markdown", "caption", "info", "warning", "subheader")
             for e in at.get(kind)]  # fmt: skip
    found += [w.label for kind in ("multiselect", "selectbox", "text_input", "number_input",
                                   "button") for w in at.get(kind)]  # fmt: skip
    return [str(x) for x in found]


def shown_names(at: AppTest) -> list[str]:
    return table(at, "name", "basis")["name"].tolist()


def test_the_url_sets_the_selection(demo_copy, monkeypatch):
    at = app(demo_copy, monkeypatch, "pages/pipeline.py", lang="en", theme="employment",
             stage="prototypes,none")  # fmt: skip
    assert not at.exception
    store = open_store(demo_copy)
    f = InnovationFilter(themes=("employment",), stages=("prototypes", "none"))
    expected = pipeline.results(store, Visibility.ALL, f, "en")
    assert shown_names(at) == expected.name.tolist() and len(expected) > 0
    assert at.multiselect(key="pipe_stage").value == ["prototypes", "none"]
    assert at.multiselect(key="pipe_theme").value == ["employment"]
    assert f"**{len(expected)} of 80 innovations**" in texts(at)


def test_a_changed_filter_goes_into_the_url(demo_copy, monkeypatch):
    at = app(demo_copy, monkeypatch, "pages/pipeline.py", lang="en")
    assert len(shown_names(at)) == 80
    at.multiselect(key="pipe_stage").select("prototypes").run()
    assert at.query_params["stage"] == "prototypes"
    at.multiselect(key="pipe_status").select("external").run()
    assert at.query_params["status"] == "external" and at.query_params["stage"] == "prototypes"
    store = open_store(demo_copy)
    f = InnovationFilter(stages=("prototypes",), statuses=("external",))
    assert shown_names(at) == pipeline.results(store, Visibility.ALL, f, "en").name.tolist()
    at.text_input(key="pipe_q").input("nuorisopolku").run()
    assert at.query_params["q"] == "nuorisopolku"
    assert all("nuorisopolku" in n.lower() for n in shown_names(at))
    labelled(at.button, "Clear all filters").click().run()
    assert dict(at.query_params) == {"lang": "en"}
    assert len(shown_names(at)) == 80


@pytest.mark.parametrize("typed", ["3.4", "0.6"])  # on the 1-5 scale; 0-1 in an old link
def test_score_filters_from_the_url(demo_copy, monkeypatch, typed):
    at = app(demo_copy, monkeypatch, "pages/pipeline.py", lang="en", minscore=typed,
             scoreon="criterion:evidence", mincrit="8")  # fmt: skip
    assert not at.exception
    store = open_store(demo_copy)
    f = InnovationFilter(min_score=3.4, score_on="criterion:evidence", min_criteria=8)
    expected = pipeline.results(store, Visibility.ALL, f, "en")
    assert shown_names(at) == expected.name.tolist() and 0 < len(expected) < 80
    assert at.number_input(key="pipe_minscore").value == 3.4
    assert at.number_input(key="pipe_minscore").label == "Minimum score (1–5)"
    assert any(
        x.startswith("Innovations left out because they have no such score") for x in texts(at)
    )


def test_unknown_values_in_a_link_are_reported_not_fatal(demo_copy, monkeypatch):
    at = app(demo_copy, monkeypatch, "pages/pipeline.py", lang="en", stage="nonsense",
             org="9999999", theme="**x**<b>y</b>")  # fmt: skip
    assert not at.exception
    warning = messages(at.warning)
    assert "nonsense" in warning and "9999999" in warning
    assert r"\*\*x\*\*\<b\>y\</b\>" in warning  # shown as typed, never rendered
    assert len(shown_names(at)) == 80


def test_a_selection_with_no_results_says_what_to_do(demo_copy, monkeypatch):
    at = app(demo_copy, monkeypatch, "pages/pipeline.py", lang="en", q="zzzz-ei-mitään")
    assert not at.exception
    assert "No innovation matches" in messages(at.info)


def test_a_facet_says_how_many_lack_it_only_when_some_do(demo_copy, monkeypatch):
    at = app(demo_copy, monkeypatch, "pages/pipeline.py", lang="en")
    counts = [str(c.value) for c in at.caption if str(c.value).startswith("Not recorded:")]
    assert counts  # the demo leaves some facets unrecorded for some innovations
    assert "Not recorded: 0" not in counts


def test_the_pipeline_picture(demo_copy, monkeypatch):
    monkeypatch.setenv("SIHUB_DB", str(demo_copy))
    at = AppTest.from_file(str(PROJECT_DIR / "app.py"), default_timeout=60).run()
    at.switch_page("pages/pipeline.py")
    at.query_params["lang"] = "en"
    at.query_params["theme"] = "employment"
    at.session_state["pipe_tab"] = "Pipeline picture"
    at.run()
    assert not at.exception
    assert len(at.get("plotly_chart")) == 3  # per stage, stage x theme, movements
    words = texts(at)
    assert any(x.startswith("Most innovations are at") for x in words)
    assert any(x.startswith("The largest group is Employment") for x in words)


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_both_pages_speak_every_language(demo_copy, monkeypatch, lang):
    at = app(demo_copy, monkeypatch, "pages/pipeline.py", lang=lang)
    assert not at.exception
    assert title(at) == LANG_TITLES[lang][0]
    leaks = [x for x in texts(at) if "pipeline." in x or "profile." in x]
    assert not leaks, leaks
    store = open_store(demo_copy)
    first = store.scalar("SELECT min(innovation_id) FROM assessments")
    for tab in ("overview", "case_study", "scores", "answers", "related"):
        at = AppTest.from_file(str(PROJECT_DIR / "app.py"), default_timeout=60)
        at.query_params["lang"] = lang
        at.query_params["id"] = str(first)
        at.switch_page("pages/innovation.py")
        at.session_state["profile.section"] = tab
        at.run()
        assert not at.exception, tab
        leaks = [x for x in texts(at) if "pipeline." in x or "profile." in x]
        assert not leaks, (tab, leaks)


def test_a_profile_shows_its_innovation(demo_copy, monkeypatch):
    store = open_store(demo_copy)
    innovation_id, name = store.rows(
        "SELECT id, name FROM innovations WHERE id IN (SELECT innovation_id FROM assessments "
        "WHERE assessment_type <> 'self') ORDER BY id LIMIT 1"
    )[0]
    at = app(demo_copy, monkeypatch, "pages/innovation.py", lang="en", id=str(innovation_id))
    assert not at.exception
    assert title(at).replace("\\", "") == name
    labels = [m.label for m in at.metric]
    assert labels[:2] == ["Mean score, external assessments", "Mean score, self-assessment"]
    assert labelled(at.metric, "Mean score, external assessments").value != "–"


def test_a_profiles_open_tab_is_in_its_address(demo_copy, monkeypatch):
    """A link or a reload opens the tab it was on (a reload went back to Overview)."""
    innovation_id = open_store(demo_copy).scalar("SELECT min(innovation_id) FROM assessments")
    at = app(demo_copy, monkeypatch, "pages/innovation.py", lang="en", id=str(innovation_id),
             tab="scores")  # fmt: skip
    assert not at.exception
    assert any(x.startswith("Compared with the median") for x in texts(at))  # scores drawn
    assert at.session_state["profile_tab"] == "Assessments and scores"
    at.session_state["profile.section"] = "related"  # as a click on the tab does
    at.run()
    assert at.query_params["tab"] in ("related", ["related"])
    at.session_state["profile.section"] = "overview"  # the first tab: a plain address
    at.run()
    assert "tab" not in at.query_params and at.query_params["id"] in (
        str(innovation_id),
        [str(innovation_id)],
    )


def test_the_scores_tab_compares_with_a_cohort_and_shows_provenance(demo_copy, monkeypatch):
    store = open_store(demo_copy)
    innovation_id = store.scalar(
        "SELECT innovation_id FROM assessments WHERE assessment_type <> 'self' "
        "GROUP BY innovation_id HAVING count(DISTINCT round) > 1 ORDER BY 1 LIMIT 1"
    )
    monkeypatch.setenv("SIHUB_DB", str(demo_copy))
    at = AppTest.from_file(str(PROJECT_DIR / "app.py"), default_timeout=60).run()
    at.switch_page("pages/innovation.py")  # after a first run: the page is known by its url_path
    at.query_params["lang"] = "en"
    at.query_params["id"] = str(innovation_id)
    at.query_params["cohort"] = "stage"
    at.session_state["profile.section"] = "scores"
    at.run()
    assert not at.exception
    words = texts(at)
    assert any(
        x.startswith("Compared with the median of innovations at the same stage") for x in words
    )
    assert any(x.startswith("From round") for x in words)  # change between rounds
    provenance = table(at, "file_name", "source_row", "comment")  # score by score
    assert {"file_name", "source_sheet", "source_row", "assessor", "comment"} <= set(provenance)
    assert provenance.file_name.str.startswith("demo-assessments-round-").all()


def test_the_related_tab_lists_similar_innovations_and_calls_that_fit(demo_copy, monkeypatch):
    from datetime import date

    from sihub.funding import matching

    store = open_store(demo_copy)
    today = date.fromisoformat(store.meta("demo_reference_date"))
    innovation_id = next(
        i
        for (i,) in store.rows("SELECT id FROM innovations ORDER BY id")
        if not matching.innovation_matches(store, Visibility.ALL, i, today, "en").empty
    )
    calls = matching.innovation_matches(store, Visibility.ALL, innovation_id, today, "en")
    monkeypatch.setenv("SIHUB_TODAY", today.isoformat())
    monkeypatch.setenv("SIHUB_DB", str(demo_copy))
    at = AppTest.from_file(str(PROJECT_DIR / "app.py"), default_timeout=60).run()
    at.switch_page("pages/innovation.py")  # after a first run: the page is known by its url_path
    at.query_params["lang"] = "en"
    at.query_params["id"] = str(innovation_id)
    at.session_state["profile.section"] = "related"
    at.run()
    assert not at.exception
    assert "Funding calls that fit this innovation" in [h.value for h in at.subheader]
    shown = next(d.value for d in at.dataframe if "reasons" in d.value.columns)
    assert shown.call_name.tolist() == calls.call_name.tolist()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "No innovation was chosen"),
        ({"id": "abc"}, "“abc” is not an innovation number"),
        ({"id": "<b>1</b>"}, "“\\<b\\>1\\</b\\>” is not an innovation number"),
        ({"id": "987654"}, "There is no innovation number 987654"),
    ],
)
def test_a_missing_or_unknown_id_gets_a_message_and_a_way_back(
    demo_copy, monkeypatch, params, message
):
    at = app(demo_copy, monkeypatch, "pages/innovation.py", lang="en", **params)
    assert not at.exception
    shown = [e.value for e in (*at.info, *at.warning)]
    assert any(x.startswith(message) for x in shown), shown
    links = [e.value for e in at.page_link]
    assert "Back to the pipeline" in links


def test_an_empty_hub_says_how_to_load_data(store, monkeypatch):
    path = Path(store.path)
    store.close()  # the app opens the file itself
    at = app(path, monkeypatch, "pages/pipeline.py", lang="en")
    assert not at.exception
    assert "The hub has no data yet" in messages(at.info)
    at = app(path, monkeypatch, "pages/innovation.py", lang="en", id="1")
    assert not at.exception
    assert "There is no innovation number 1 in the hub." in messages(at.warning)


def test_changing_the_score_framework_starts_from_its_mean(demo_copy, monkeypatch):
    at = app(demo_copy, monkeypatch, "pages/pipeline.py", lang="en", minscore="0.5",
             scoreon="criterion:evidence")  # fmt: skip
    at.selectbox(key="pipe_scorefw.en").select("nesta_soe").run()
    assert not at.exception and not at.warning  # no "unknown value" for the old criterion
    assert at.query_params["scorefw"] == "nesta_soe" and "scoreon" not in at.query_params
    store = open_store(demo_copy)
    f = InnovationFilter(min_score=3, score_framework="nesta_soe")  # 0.5 of 0-1, on 1-5
    assert shown_names(at) == pipeline.results(store, Visibility.ALL, f, "en").name.tolist()


def test_names_with_markup_are_shown_as_written(demo_copy, monkeypatch):
    store = open_store(demo_copy)
    with store.transaction() as cur:
        cur.execute(
            "UPDATE innovations SET name = '**Iso** <i>malli</i> [x](y)', "
            "innokyla_url = 'javascript:alert(1)', sim_url = 'https://example.org/sim' "
            "WHERE id = 1"
        )
    at = app(demo_copy, monkeypatch, "pages/innovation.py", lang="en", id="1")
    assert not at.exception
    assert title(at) == r"\*\*Iso\*\* \<i\>malli\</i\> \[x\]\(y\)"
    buttons = link_buttons(at)
    assert buttons == [("SIM", "https://example.org/sim")]  # never a javascript: link
    at = app(demo_copy, monkeypatch, "pages/pipeline.py", lang="en", q="iso malli")
    assert shown_names(at)[0] == "**Iso** <i>malli</i> [x](y)"  # plain text; name match first


def test_the_frame_repairs_derived_data_that_a_write_left_stale(demo_copy, monkeypatch):
    # A store written without rebuilding (an older SI Hub, a script): reads never write, so the
    # frame's one staleness check rebuilds before the page draws, and the page shows the change.
    store = connect(demo_copy)
    with store.transaction() as cur:
        cur.execute("UPDATE innovations SET name = 'Tarkistusnimi' WHERE id = 1")
    assert not derived.is_current(store)
    store.close()
    at = app(demo_copy, monkeypatch, "pages/pipeline.py", lang="en", q="tarkistusnimi")
    assert not at.exception
    assert shown_names(at) == ["Tarkistusnimi"]
    assert derived.is_current(open_store(demo_copy))


def test_a_long_rebuild_goes_on_behind_a_page_that_says_so(demo_copy, monkeypatch):
    # After an upgrade a large store's rebuild takes half a minute: the first visit draws from
    # the tables as they were, says why, and the rebuild finishes in the background.
    from sihub.ui import frame

    store = connect(demo_copy)
    with store.transaction() as cur:
        cur.execute("UPDATE innovations SET name = 'Taustanimi' WHERE id = 1")
    store.close()
    monkeypatch.setattr(frame, "REBUILD_WAIT", 0.0)  # as if the rebuild took longer than a wait
    go_on, rebuild = threading.Event(), derived.rebuild
    monkeypatch.setattr(derived, "rebuild", lambda store: go_on.wait(60) and rebuild(store))
    at = app(demo_copy, monkeypatch, "pages/pipeline.py", lang="en")
    assert not at.exception
    assert "being rebuilt after an update" in messages(at.info)
    assert shown_names(at)  # the page still shows the innovations as they were
    at = app(demo_copy, monkeypatch, "pages/pipeline.py", lang="en", q="taustanimi")
    assert not any("Taustanimi" in x for x in every_string(at))  # the old index lacks it
    go_on.set()
    reopened = open_store(demo_copy)
    derived.rebuild_in_background(reopened).join(60)
    assert derived.is_current(reopened)
    at = app(demo_copy, monkeypatch, "pages/pipeline.py", lang="en", q="taustanimi")
    assert shown_names(at) == ["Taustanimi"]  # not the answer drawn while it was rebuilt
    assert "being rebuilt" not in messages(at.info)


@pytest.mark.parametrize(
    ("page", "params", "back"),
    [
        ("compare", {"ids": "1,2,3", "fw": "nesta_soe", "sort": "name"}, "Back to the comparison"),
    ],
)
def test_the_profiles_back_link_returns_to_the_view_it_was_opened_from(
    demo_copy, monkeypatch, page, params, back
):
    """Opened from a clicked row's "Open profile", the profile's way back leads to that view
    as it was, not to the explorer. (The funder view's and the comparison's are followed there
    and back in a browser: tests/test_funders_browser.py.)"""
    at = app(demo_copy, monkeypatch, f"pages/{page}.py", lang="en", **params)
    assert not at.exception
    view = {k: str(v) for k, v in at.query_params.items() if k != "lang"}  # as the page wrote it
    assert params.keys() <= view.keys()
    at.session_state["cmp_table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()  # the first row clicked
    [(_, target, link)] = [b for b in page_links(at) if b[0] == "Open profile"]
    assert target == "innovation"  # the profile's address
    query = dict(parse_qsl(link))
    profile = app(demo_copy, monkeypatch, "pages/innovation.py", **query)  # the link as opened
    assert not profile.exception
    [(label, target, query)] = [b for b in page_links(profile) if b[0].startswith("Back")]
    assert label == back
    assert target == page
    kept = dict(parse_qsl(query))
    assert kept == {**view, "lang": "en"}


@pytest.mark.parametrize(
    ("page", "params", "beside"),  # beside the name: a column only the list of innovations has
    [
        ("pipeline", {}, "latest_assessed_on"),
        ("funders", {}, "rank"),
        ("compare", {"ids": "1,2,3,5"}, "basis"),
    ],
)
def test_innovation_names_fit_their_column_whole(demo_copy, monkeypatch, page, params, beside):
    """Two pilots of one model differ after the dash ("… – Keski-Esimerkki"): a name column is
    as wide as its longest name at the table font's ~7 pixels a character."""
    at = app(demo_copy, monkeypatch, f"pages/{page}.py", lang="fi", **params)
    assert not at.exception
    [shown] = [d for d in at.dataframe if "name" in d.value.columns and beside in d.value]
    width = table_settings(shown)[1]["name"]["width"]
    assert width >= 7 * max(len(n) for n in shown.value["name"])


def test_an_innovation_without_a_result_shows_it_missing_not_blank(demo_copy, monkeypatch):
    """No external result: the table writes "–" under Result and Rests on, as it does for
    every missing value (an empty text showed a blank cell)."""
    at = app(demo_copy, monkeypatch, "pages/pipeline.py", lang="en")
    [shown] = [d for d in at.dataframe if "basis" in d.value.columns]
    rows = shown.value
    unscored = rows[rows.score.isna()]
    assert len(unscored) > 0 and unscored.basis.isna().all()
    assert not (rows.score == "").any() and not (rows.basis == "").any()
    assert table_settings(shown)[2] == "–"
