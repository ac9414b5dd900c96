"""The comparison page through Streamlit's AppTest, on a copy of the demo store."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from sihub import scores
from sihub.access import Visibility
from sihub.compare import self_external
from sihub.compare.queries import comparison_of
from sihub.compare.selection import Selection
from sihub.db import connect
from sihub.i18n import t
from tests.apptools import placeholders, plotly_figures, run_app, table, title

PAGE = "pages/compare.py"


@pytest.fixture
def app(demo_copy, monkeypatch):
    def run(lang: str = "en", **params: str) -> AppTest:
        at = run_app(monkeypatch, demo_copy, PAGE, lang=lang, today="", **params)
        assert not at.exception, [e.value for e in at.exception]
        return at

    return run


def assessed(demo_copy, n: int) -> list[int]:
    s = connect(str(demo_copy))
    try:
        facts = scores.innovation_scores(s, Visibility.ALL)
        names = dict(s.rows("SELECT id, name FROM innovations"))
    finally:
        s.close()
    chosen = facts.sort_values("innovation_id").innovation_id.head(n).tolist()
    return [(int(i), names[int(i)]) for i in chosen]


def compared(at: AppTest):
    """The table of compared innovations or groups (name, mean, what it rests on)."""
    return table(at, "basis")


def texts(at: AppTest) -> str:
    return " ".join(m.value for m in at.markdown)


def test_without_a_selection_the_page_says_what_to_do_and_offers_a_start(app):
    at = app()
    assert title(at) == "Compare innovations"
    assert any("Choose 2–30 innovations" in i.value for i in at.info)
    start = next(b for b in at.button if "most recently assessed" in b.label)
    start.click().run()
    assert not at.exception
    assert len(at.multiselect(key="cmp_ids").value) == 5
    assert at.query_params["ids"], "the selection went into the URL"
    assert "Strongest overall" in texts(at)


def test_innovations_from_the_url_are_compared_in_words_and_tables(app, demo_copy):
    chosen = assessed(demo_copy, 3)
    at = app(ids=",".join(str(i) for i, _ in chosen))
    assert at.multiselect(key="cmp_ids").value == [i for i, _ in chosen]
    words = texts(at)
    assert "Strongest overall" in words
    table = compared(at)
    assert sorted(table["name"]) == sorted(name for _, name in chosen)
    assert all("criteria" in basis for basis in table["basis"])
    assert [tab.label for tab in at.tabs] == [
        "Heatmap",
        "Dot plot",
        "Assessor agreement",
        "Change between rounds",
        "Self vs external",
    ]


def test_sorting_and_display_options_go_into_the_url(app, demo_copy):
    chosen = assessed(demo_copy, 2)
    at = app(ids=",".join(str(i) for i, _ in chosen))
    at.segmented_control(key="cmp_show").set_value("pct").run()
    at.segmented_control(key="cmp_csort").set_value("spread").run()
    assert not at.exception
    assert at.query_params["show"] == ["pct"] or at.query_params["show"] == "pct"
    assert "csort" in at.query_params


def test_unknown_ids_in_a_link_get_a_friendly_message(app, demo_copy):
    (first, _), (second, _) = assessed(demo_copy, 2)
    at = app(ids=f"{first},{second},99999")
    assert any("99999" in w.value for w in at.warning)
    assert at.multiselect(key="cmp_ids").value == [first, second]


def test_groups_are_compared_by_stage(app):
    at = app(by="stage")
    assert at.segmented_control(key="cmp_mode").value == "groups"
    table = compared(at)
    assert "4 Sustaining" in set(table["name"])
    assert "Strongest overall" in texts(at)
    assert table["innovations"].sum() > len(table), "groups rest on several innovations"


def test_the_page_speaks_finnish_and_swedish(app, demo_copy):
    chosen = ",".join(str(i) for i, _ in assessed(demo_copy, 2))
    assert title(app(lang="fi", ids=chosen)) == "Vertaile innovaatioita"
    sv = app(lang="sv", ids=chosen)
    assert title(sv) == "Jämför innovationer"
    assert "Starkast totalt" in texts(sv)


def test_an_empty_store_says_how_to_load_data(tmp_path, monkeypatch):
    at = run_app(monkeypatch, tmp_path / "empty.duckdb", PAGE)
    assert not at.exception
    assert any("no data yet" in i.value for i in at.info)


@pytest.mark.parametrize(
    ("view", "expected"),
    [
        ("agreement", "Assessors disagree strongly when it is at least 50% of the scale"),
        ("rounds", "from round"),
        ("self", "the self-assessment is higher than the external assessment"),
        ("dots", "The band behind the markers shows the middle half of all"),
    ],
)
def test_each_view_opens_from_the_url_and_says_what_it_shows(app, demo_copy, view, expected):
    s = connect(str(demo_copy))
    try:
        # Innovations with two rounds and a self-assessment, so that every view has content.
        rounds = s.rows(
            "SELECT innovation_id FROM assessments WHERE assessment_type <> 'self' "
            "GROUP BY 1 HAVING count(DISTINCT round) > 1 ORDER BY 1"
        )
        own = {
            r[0]
            for r in s.rows("SELECT innovation_id FROM assessments WHERE assessment_type = 'self'")
        }
    finally:
        s.close()
    chosen = [r[0] for r in rounds if r[0] in own][:3]
    at = app(ids=",".join(map(str, chosen)), view=view)
    assert (
        at.session_state["cmp_tab"]
        == {
            "agreement": "Assessor agreement",
            "rounds": "Change between rounds",
            "self": "Self vs external",
            "dots": "Dot plot",
        }[view]
    )
    shown = " ".join([*(m.value for m in at.markdown), *(c.value for c in at.caption)])
    shown = shown.replace("\\", "")  # data in Markdown is escaped
    assert expected in shown
    assert "Strongest overall" not in shown, "the heatmap tab is not computed while closed"


def test_self_vs_external_names_the_criteria_it_leaves_out(app, demo_copy):
    """Not a silent "5 of 8 criteria": each criterion only one side scores is named, by side."""
    s = connect(str(demo_copy))
    try:
        own = [r[0] for r in s.rows(
            "SELECT DISTINCT innovation_id FROM assessments WHERE assessment_type = 'self' "
            "ORDER BY 1 LIMIT 6")]  # fmt: skip
        comparison = comparison_of(s, Visibility.ALL, Selection(ids=tuple(own)), "en")
        gaps = self_external.one_sided(s, comparison)
        names = comparison.criteria.set_index("code").name
    finally:
        s.close()
    assert not gaps.empty  # the demo has self-assessments that skip criteria, and the reverse
    key = gaps.key.iloc[0]
    at = app(ids=",".join(map(str, own)), view="self")
    at.selectbox(key="cmp_self_pick").set_value(key).run()
    captions = [c.value.replace("\\", "") for c in at.caption]
    mine = gaps[gaps.key == key]
    for side, says in (("self", "only the self-assessment"), ("external", "only external")):
        listed = sorted(names[c] for c in mine[mine.side == side].criterion_code)
        line = [c.split(": ", 1)[1].rstrip(".").split("; ") for c in captions if says in c]
        assert [sorted(x) for x in line] == ([listed] if listed else [])


def test_the_group_choice_speaks_the_readers_language_when_empty(app):
    """A Finnish reader who cleared the groups saw Streamlit's English 'Choose options'."""
    shown = placeholders(app(lang="fi", by="stage"))
    assert shown["cmp_groups"] == t("compare.groups_placeholder", lang="fi") == "Valitse ryhmät"


def test_the_dot_plots_band_and_median_read_on_the_rating_scale(app, demo_copy):
    """Pointing at the cohort's band or median said '50–75' and '62' (0-100) beside markers
    and an axis on 1-5; both are now written as the page writes scores ('3,0–4,0', '3,5')."""
    chosen = ",".join(str(i) for i, _ in assessed(demo_copy, 3))
    at = app(lang="fi", ids=chosen, view="dots")
    # the dot plot: its band is a bar drawn from a base
    figure = next(f for f in plotly_figures(at) if "base" in f["data"][0])
    band, median = figure["data"][0], figure["data"][1]
    on_scale = re.compile(r"^[1-5],\d$")  # "3,5": the 1-5 scale in Finnish
    assert band["customdata"]
    for _, low_high, middle in band["customdata"]:
        low, high = low_high.split("–")
        assert on_scale.match(low) and on_scale.match(high) and on_scale.match(middle)
        assert float(low.replace(",", ".")) <= float(high.replace(",", "."))
    assert "customdata[1]" in band["hovertemplate"]
    assert "customdata[2]" in median["hovertemplate"]
