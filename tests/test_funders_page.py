"""The funder page through Streamlit's AppTest, on a copy of the demo store."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from sihub.demo import SI_CRITERIA
from sihub.i18n import t
from tests.apptools import placeholders, run_app, table, table_settings, title

PAGE = "pages/funders.py"


@pytest.fixture
def app(demo_copy, monkeypatch):
    def run(lang: str = "en", **params: str) -> AppTest:
        at = run_app(monkeypatch, demo_copy, PAGE, lang=lang, today="", **params)
        assert not at.exception, [e.value for e in at.exception]
        return at

    return run


def ranked(at: AppTest):
    return table(at, "gates")


def test_the_ranking_shows_scores_with_their_basis_and_the_caveat(app):
    at = app()
    assert title(at) == "Funder view"
    assert any("not endorsements" in i.value for i in at.info)
    table = ranked(at)
    assert len(table) > 10
    ranked_rows = table[table.status == "Ranked"]
    assert ranked_rows["rank"].iloc[0] == 1
    assert ranked_rows.score.is_monotonic_decreasing
    assert all("criteria" in b and "assessor" in b for b in table.basis)
    words = " ".join(m.value for m in at.markdown)
    assert "innovations ranked" in words


def test_a_weight_changes_the_order(app):
    at = app()
    before = ranked(at).name.tolist()[:10]
    at.slider(key="fu_w.evidence").set_value(5).run()
    at.slider(key="fu_w.systemic").set_value(0).run()
    assert not at.exception
    after = ranked(at).name.tolist()[:10]
    assert after != before
    assert "evidence:5" in str(at.query_params["w"])


def test_a_preset_sets_the_sliders(app):
    at = app()
    at.pills(key="fu_preset").set_value("evidence_first").run()
    assert at.slider(key="fu_w.evidence").value == 3
    assert at.slider(key="fu_w.effectiveness").value == 2
    assert at.slider(key="fu_w.need").value == 1


def test_must_pass_minimums_put_failures_last_with_the_reason(app):
    at = app(gate="evidence:4")
    table = ranked(at)
    failed = table[table.status == "Fails a must-pass"]
    assert len(failed) > 0
    assert (
        table.index[table.status == "Fails a must-pass"].min()
        > table.index[table.status == "Ranked"].max()
    )
    assert all("fails Strength of evidence" in g for g in failed.gates)
    assert failed["rank"].isna().all()
    # shown as "–", the column's help says why; the name comes right after the rank (a ticked
    # row offers its profile above the table: tests/test_funders_browser.py)
    [shown] = [table_settings(d) for d in at.dataframe if "gates" in d.value.columns]
    columns, settings, empty = shown
    assert empty == "–"
    assert columns[:2] == ["rank", "name"]
    assert "fails a must-pass minimum" in settings["rank"]["help"]


def test_all_weights_zero_gives_a_clear_error(app):
    codes = SI_CRITERIA
    at = app(w=",".join(f"{c}:0" for c in codes))
    assert any("weight 0" in e.value for e in at.error)


def test_the_shortlist_lives_in_the_url_and_offers_compare_and_briefing(app):
    at = app()
    options = at.multiselect(key="fu_shortlist").options
    assert len(options) == len(ranked(at)), "every listed innovation can be shortlisted"
    assert not at.get("download_button"), "no briefing pack for an empty shortlist"
    at = app(shortlist="3,37")
    assert at.multiselect(key="fu_shortlist").value == [3, 37]
    assert at.query_params["shortlist"] in ("3,37", ["3,37"])
    assert any("briefing pack (2 innovations" in b.label for b in at.get("download_button"))
    assert any("Compare the shortlist" in p.value for p in at.page_link)


def test_filters_narrow_the_list(app):
    everything = len(ranked(app()))
    at = app(stage="systemic")
    narrowed = ranked(at)
    assert 0 < len(narrowed) < everything
    assert set(narrowed.stage) == {"6 Systemic change"}


def test_the_page_speaks_finnish_and_swedish(app):
    assert title(app(lang="fi")) == "Rahoittajan näkymä"
    sv = app(lang="sv")
    assert title(sv) == "Finansiärsvy"
    assert any("inga rekommendationer" in i.value for i in sv.info)


def test_a_link_with_unknown_settings_says_what_it_ignored(app):
    at = app(w="evidence:2,vanished:4", gate="evidence:9")
    shown = [w.value.replace("\\", "") for w in at.warning]  # as the user reads it
    assert any("w=vanished:4" in w and "gate=evidence:9" in w for w in shown)
    assert at.slider(key="fu_w.evidence").value == 2


def test_a_filter_with_nothing_assessed_says_what_to_do(app):
    at = app(stage="none")  # every demo innovation has a stage recorded
    assert not [d for d in at.dataframe if "gates" in d.value.columns]
    assert any("Widen the filters" in i.value for i in at.info)


def test_the_shortlist_stays_in_the_session_across_pages(app):
    at = app(shortlist="3,37")
    at.multiselect(key="fu_shortlist").unselect(3).run()
    assert at.multiselect(key="fu_shortlist").value == [37]
    at.switch_page("pages/compare.py").run()  # page switches drop the address's parameters
    assert not at.exception
    at.switch_page(PAGE).run()
    assert not at.exception
    assert at.multiselect(key="fu_shortlist").value == [37]
    assert at.query_params["shortlist"] in ("37", ["37"])


def test_a_long_ranking_shows_its_first_rows_and_downloads_whole(app, monkeypatch):
    import io

    import pandas as pd

    from sihub.ui import funders
    from tests.apptools import record_downloads

    whole = ranked(app())
    monkeypatch.setattr(funders, "SHOWN_ROWS", 5)
    offered = record_downloads(monkeypatch)
    at = app()
    shown = ranked(at)
    assert shown.name.tolist() == whole.name.tolist()[:5]  # the top of the same ranking
    assert any(f"first 5 of {len(whole)} innovations" in c.value for c in at.caption)
    [data] = [d for n, d in offered if n.startswith("ranking")]
    rows = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert len(rows) == len(whole)
    assert rows["Innovation"].tolist() == whole.name.tolist()


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_empty_choices_speak_the_readers_language(app, lang):
    """A Finnish or Swedish funder saw Streamlit's English 'Choose options' in the must-pass,
    minimum and filter boxes."""
    shown = placeholders(app(lang=lang))
    assert shown["fu_gates"] == t("funders.gate_criteria_placeholder", lang=lang)
    assert shown["fu_pass"] == t("funders.must_pass_placeholder", lang=lang)
    english = {key for key, text in shown.items() if text.startswith("Choose")}
    assert not english, english
