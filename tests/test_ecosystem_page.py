"""The ecosystem page (AppTest): every section in every language with its words and
downloads, the map measure in the URL, data-quality links to the explorer, the empty hub."""

import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from sihub.db import connect
from sihub.i18n import LANGUAGES, catalogue
from sihub.pipeline.filters import InnovationFilter
from tests.apptools import (
    RAW_KEY,
    frame_app,
    links,
    plotly_figures,
    plotly_strings,
    table,
    texts,
    title,
)

SECTIONS = ("where", "who", "what", "pipeline", "money", "quality")


def every_section(tmp_path, monkeypatch, db, lang="en") -> dict[str, object]:
    """The page opened on each section's tab (``tab`` in the URL), as a new visitor would."""
    return {
        s: frame_app(tmp_path, monkeypatch, db, "pages/ecosystem.py", lang, tab=s) for s in SECTIONS
    }


@pytest.mark.parametrize("lang", LANGUAGES)
def test_ecosystem_page_in_every_language(tmp_path, monkeypatch, demo_copy, lang):
    opened = every_section(tmp_path, monkeypatch, demo_copy, lang)
    strings = catalogue(lang)
    charts, downloads = [], set()
    for at in opened.values():
        assert title(at) == strings["ecosystem.title"]
        assert [tab.label for tab in at.tabs] == [strings[f"ecosystem.tab.{s}"] for s in SECTIONS]
        assert [t for t in texts(at) if RAW_KEY.match(t)] == []
        charts += [chart.key for chart in at.get("plotly_chart")]
        downloads |= {button.key for button in at.get("download_button")}
    assert charts == [
        "tile_map",
        "org_types",
        "network",
        "matrix",
        "flow",
        "stages",
        "rounds",
        "dimensions",
        "awards",
        "open_calls",
        "completeness",
    ]
    # every figure can be downloaded as CSV (the map's and the network's as their tables)
    assert {f"{key}_csv" for key in charts} - {"tile_map_csv"} <= downloads | {"network_csv"}
    assert {"areas_csv", "network_csv"} <= downloads


def test_only_the_open_section_is_drawn_and_the_url_names_it(tmp_path, monkeypatch, demo_copy):
    at = frame_app(tmp_path, monkeypatch, demo_copy, "pages/ecosystem.py")
    assert [chart.key for chart in at.get("plotly_chart")] == ["tile_map"]  # the first tab's
    assert "tab" not in at.query_params  # the first section is the default, left out
    at = frame_app(tmp_path, monkeypatch, demo_copy, "pages/ecosystem.py", tab="money")
    assert [chart.key for chart in at.get("plotly_chart")] == ["awards", "open_calls"]
    assert at.query_params["tab"] == "money"


def test_a_link_to_a_section_the_viewer_may_not_see_opens_the_first(
    tmp_path, monkeypatch, demo_copy
):
    at = frame_app(tmp_path, monkeypatch, demo_copy, "pages/ecosystem.py", tab="nonsense")
    assert [chart.key for chart in at.get("plotly_chart")] == ["tile_map"]
    assert any("nonsense" in w for w in texts(at))  # left out, and said so


def test_every_chart_has_its_words(tmp_path, monkeypatch, demo_copy):
    opened = every_section(tmp_path, monkeypatch, demo_copy)
    words = " ".join(" ".join(texts(at)) for at in opened.values())
    for sentence in (
        "Most innovations work in",
        "The most common type of organisation is",
        "pairs of them work on the same innovations",
        "The most common combination is",
        "innovations were added over",
        "External assessment is most common at",
        "Assessments come from 3 rounds",
        "From round 1 to round 3",
        "Most money:",
        "offer most",
        "is the least complete field",
    ):
        assert sentence in words, sentence


def test_map_measure_is_kept_in_the_url(tmp_path, monkeypatch, demo_copy):
    at = frame_app(tmp_path, monkeypatch, demo_copy, "pages/ecosystem.py", map="score")
    assert any("The highest mean score is in" in m.value.replace("\\", "") for m in at.markdown)
    at.button_group(key="ecosystem.measure").set_value("count").run()
    assert "map" not in at.query_params  # the default is left out of the URL
    assert any("Most innovations work in" in m.value.replace("\\", "") for m in at.markdown)


def test_data_quality_links_open_the_explorer_on_exactly_those_innovations(
    tmp_path, monkeypatch, demo_copy
):
    at = frame_app(tmp_path, monkeypatch, demo_copy, "pages/ecosystem.py", tab="quality")
    store = connect(str(demo_copy))
    never = {
        r[0]
        for r in store.rows(
            "SELECT id FROM innovations i WHERE NOT EXISTS (SELECT 1 FROM assessments a "
            "WHERE a.innovation_id = i.id AND a.superseded_by_batch IS NULL)"
        )
    }
    no_groups = {
        r[0]
        for r in store.rows(
            "SELECT id FROM innovations i WHERE NOT EXISTS "
            "(SELECT 1 FROM innovation_target_groups g WHERE g.innovation_id = i.id)"
        )
    }
    store.close()
    explorer = [
        set(
            InnovationFilter.from_query(
                {k: v[0] for k, v in parse_qs(urlparse(link).query).items()}
            ).ids
        )
        for link in links(at)
        if link.startswith("/pipeline?")
    ]
    assert never in explorer
    assert no_groups in explorer


def test_gap_threshold_changes_the_gaps(tmp_path, monkeypatch, demo_copy):
    at = frame_app(tmp_path, monkeypatch, demo_copy, "pages/ecosystem.py", few="10", tab="what")
    gaps = table(at, "Fewer than 10 innovations")
    assert gaps["Fewer than 10 innovations"].sum() > 1
    assert at.number_input(key="ecosystem_few").value == 10


def test_an_empty_hub_says_how_to_load_data(tmp_path, monkeypatch, store):
    at = frame_app(tmp_path, monkeypatch, Path(store.path), "pages/ecosystem.py")
    assert any("python -m sihub demo" in i.value for i in at.info)
    assert not at.get("plotly_chart")
    assert re.search("Ecosystem", title(at))


@pytest.mark.parametrize(
    ("lang", "places", "official"),
    [
        ("fi", ["Lappi", "Kainuu", "Pirkanmaa", "Helsinki"], "hyvinvointialue"),
        ("sv", ["Lappland", "Kajanaland", "Birkaland", "Helsingfors"], "välfärdsområde"),
        ("en", ["Lapland", "Kainuu", "Pirkanmaa", "Helsinki"], "wellbeing services county"),
    ],
)
def test_the_map_names_each_area_as_a_place_in_the_readers_language(
    tmp_path, monkeypatch, demo_copy, lang, places, official
):
    at = frame_app(tmp_path, monkeypatch, demo_copy, "pages/ecosystem.py", lang=lang)
    tiles = [
        s.split("<br><b>")[0].replace("<br>", " ") for s in plotly_strings(at) if "<br><b>" in s
    ]
    assert len(tiles) == 22
    assert set(places) <= set(tiles)  # "Lappi", never the genitive "Lapin" of the area's name
    assert not any(official in tile.lower() for tile in tiles)


def test_the_maps_mean_scores_are_read_on_the_scale_the_assessors_used(
    tmp_path, monkeypatch, demo_copy
):
    at = frame_app(tmp_path, monkeypatch, demo_copy, "pages/ecosystem.py", lang="fi", map="score")
    assert [c.key for c in at.get("plotly_chart")] == ["tile_map"]
    strings = plotly_strings(at)
    assert {"1", "2", "3", "4", "5"} <= set(strings)  # the colour bar as rated, not 0-1 stored
    assert any(s.endswith("/ 5</b>") for s in strings)  # the tiles say the same
    intro = " ".join(texts(at))
    assert "0 (heikoin)" not in intro and "sillä asteikolla, jolla arvioijat arvioivat" in intro


def test_legends_sit_above_their_charts(tmp_path, monkeypatch, demo_copy):
    """Below the plot a legend lay over the axis's labels: the quarters read '2020/Q' for
    '2020/Q4' where the legend began. Every chart with a legend now has it above the plot."""
    opened = every_section(tmp_path, monkeypatch, demo_copy, "fi")
    legends = [
        figure["layout"].get("legend", {})
        for at in opened.values()
        for figure in plotly_figures(at)
        if figure["layout"].get("showlegend")
    ]
    assert len(legends) >= 3, legends
    assert all(lg.get("y", 1) >= 1 and lg.get("yanchor") == "bottom" for lg in legends), legends
    words = " ".join(texts(opened["pipeline"]))
    assert re.search(r"vuosineljänneksen aikana lisättiin yhteensä \d+ innovaatiota", words)
    # and each chart writes its numbers as Finnish does: 3,5 and 12 000, not 3.5 and 12,000
    marks = {f["layout"].get("separators") for at in opened.values() for f in plotly_figures(at)}
    assert marks == {",\u00a0"}, marks
