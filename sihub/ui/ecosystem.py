"""Sections of the ecosystem page. Each draws its figures with the same thing in words, the
numbers as a table and a CSV download; data-quality lists link to the pipeline explorer
filtered to exactly their records."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from sihub import narrative, ui
from sihub.access import seen_text
from sihub.charts import ecosystem as figures
from sihub.db import Store
from sihub.ecosystem import flow, money, organisations, quality, regions, themes
from sihub.funding.status import ACCEPTING
from sihub.i18n import SCORE_DECIMALS, current_language, format_number, format_share, t
from sihub.overview import NOT_RECORDED
from sihub.pipeline.filters import InnovationFilter
from sihub.text import escape_markdown
from sihub.ui.downloads import csv_button
from sihub.ui.url import seed_from_url, url_tabs, write_query
from sihub.urls import Code, Int

NETWORK_NODES = 60  # the network chart draws the best-connected; the table lists everyone
MEASURES = ("count", "score")
MONEY_BY = ("funder", "region", "theme")
COLOURS = {"external": "#2f6690", "self_only": "#81a4cd", "not_assessed": "#b8b8b8"}


def figure_block(
    figure,
    sentence: str,
    table: pd.DataFrame,
    name: str,
    key: str,
    *,
    shares: dict[str, int] | None = None,
    decimals: dict[str, int] | None = None,
) -> None:
    """A chart, its sentence, its table on request, and the table as a CSV download. In the
    table shown, the columns ``shares`` names read as percentages and those ``decimals`` names
    with the language's decimal mark, at so many places (Streamlit wrote 0.6316 beside a
    sentence's 63 %); the CSV keeps them as numbers."""
    ui.chart_with_words(figure, sentence, _as_read(table, shares or {}, decimals or {}), key=key)
    csv_button(table, name, key=key)


def _as_read(table: pd.DataFrame, shares: dict[str, int], decimals: dict[str, int]):
    lang = current_language()
    percent = {c: [format_share(v, lang, places) for v in table[c]] for c, places in shares.items()}
    return ui.decimal_text(table, decimals, lang).assign(**percent)


def _table(df: pd.DataFrame, headings: dict[str, str]) -> pd.DataFrame:
    """The columns named in ``headings``, in its order, under their headings."""
    return df[list(headings)].rename(columns=headings)


def _bars(
    df: pd.DataFrame,
    label: str,
    value: str,
    axis_title: str,
    lang: str,
    missing_label: str | None = None,
    decimals: int = 0,
):
    """Bars with their numbers written as the language writes them."""
    text = [format_number(v, lang, decimals) for v in df[value]]
    return figures.labelled_bars(
        df, label, value, text=text, axis_title=axis_title, missing_label=missing_label
    )


def _choice(label: str, options: tuple[str, ...], param: str, key: str) -> str:
    """A segmented choice kept in the URL as ``param`` (codes, not names)."""
    seed_from_url(key, param, Code(options), options[0])
    names = {o: t(f"{key}.{o}") for o in options}  # formatted now, in this run's language
    st.segmented_control(label, options, format_func=names.get, key=key, required=True)
    chosen = st.session_state[key]
    write_query((param,), {} if chosen == options[0] else {param: chosen})
    return chosen


SECTION_PARAM = "tab"


def section_tabs(shown: tuple[str, ...]) -> dict[str, Any]:
    """The sections as tabs. Only the open one is computed: a visitor waits for one section's
    figures, not all twenty (a new session at 10,000 innovations: 0.25 s for all). Which one
    is open is in the URL (``tab``, a code), so that a link opens the same section."""
    labels = {code: t(f"ecosystem.tab.{code}") for code in shown}
    return url_tabs(labels, "ecosystem.section", "ecosystem.tab", SECTION_PARAM)


# where ---------------------------------------------------------------------------------------
def where_section(visibility: str, lang: str) -> None:
    st.header(t("ecosystem.where.title"))
    measure = _choice(t("ecosystem.where.measure"), MEASURES, "map", "ecosystem.measure")
    tile_map, table, other_table, sentence = ui.shared(_where_parts, visibility, measure, lang)
    ui.plot(tile_map, key="tile_map")
    # Below the map, not beside it: beside it, the Swedish headings and area names were cut
    # at 1280 px ("Innovatione", "Medelp").
    st.dataframe(table, hide_index=True, width="content", placeholder=ui.EMPTY_CELL)
    st.dataframe(other_table, hide_index=True, width="content", placeholder=ui.EMPTY_CELL)
    st.markdown(escape_markdown(sentence))
    st.caption(t("ecosystem.where.note"))
    csv_button(table, t("file.innovations_by_area"), key="areas")


def _where_parts(store: Store, visibility: str, measure: str, lang: str) -> tuple:
    """The section's map, its two tables and its sentence. For ``ui.shared``: once per data
    version, measure and language (building the map was a third of the page's run)."""
    areas = regions.areas(store, visibility, lang)
    others = regions.other_areas(store, lang)
    other_table = _table(
        others, {"name": t("ecosystem.where.other"), "innovations": t("common.innovations")}
    )
    sentence = (
        regions.areas_sentence(areas, others, lang)
        if measure == "count"
        else regions.scores_sentence(areas, visibility, lang)
    )
    ticks = regions.score_ticks(store, lang) if measure == "score" else []  # a count's bar counts
    return _tile_map(areas, measure, ticks, lang), _area_table(areas), other_table, sentence


def _tile_map(areas: pd.DataFrame, measure: str, ticks: list, lang: str):
    score_text = list(areas.score_text)
    hover = [
        t(
            "ecosystem.where.hover",
            name=r.name,
            count=r.innovations,
            scored=r.scored,
            score=score_text[i],
        )
        for i, r in enumerate(areas.itertuples())
    ]
    labels = {code: t(f"ecosystem.tile.{code}", lang=lang) for code in figures.TILE_LAYOUT}
    if measure == "count":
        counts = list(areas.innovations)
        return figures.tile_map(
            areas, "innovations", kind="count", value_text=counts, hover=hover, labels=labels
        )
    return figures.tile_map(
        areas,
        "mean_score",
        kind="score",
        value_text=score_text,
        hover=hover,
        labels=labels,
        score_ticks=ticks,
    )


def _area_table(areas: pd.DataFrame) -> pd.DataFrame:
    return _table(
        areas,
        {
            "name": t("ecosystem.where.area"),
            "innovations": t("common.innovations"),
            "scored": t("ecosystem.where.scored"),
            "score_text": t("ecosystem.where.mean_score"),
        },
    )


# who -----------------------------------------------------------------------------------------
def who_section(lang: str) -> None:
    st.header(t("ecosystem.who.title"))
    types = ui.cached(organisations.organisations_by_type, lang)
    missing_label = t("common.not_recorded")
    figure = _bars(
        types, "label", "organisations", t("ecosystem.who.organisations"), lang, missing_label
    )
    recorded = types[types.code != NOT_RECORDED]
    missing = int(types.loc[types.code == NOT_RECORDED, "organisations"].sum())
    sentence = narrative.distribution_sentence(
        recorded, "label", "organisations", "org_type", missing=missing
    )
    table = _table(
        types,
        {
            "label": t("ecosystem.who.type"),
            "organisations": t("ecosystem.who.organisations"),
            "innovations": t("common.innovations"),
            "led": t("ecosystem.who.led"),
        },
    )
    st.subheader(t("ecosystem.who.types"))
    figure_block(figure, sentence, table, t("file.organisations_by_type"), "org_types")
    _network(lang)


@st.cache_data(show_spinner=False, max_entries=32)
def _positions(ids: tuple[int, ...], edges: tuple[tuple[int, int, int], ...]) -> dict:
    return figures.spring_layout(ids, edges)


def _network(lang: str) -> None:
    st.subheader(t("ecosystem.who.network_title"))
    nodes, edges = ui.cached(organisations.collaboration_network, lang)
    if nodes.empty:
        st.info(t("ecosystem.who.no_organisations"), icon=":material/hub:")
        return
    # Organisations working alone are counted in the sentence, not drawn as loose dots.
    top = organisations.most_connected(nodes[nodes.partners > 0], NETWORK_NODES)
    ids = tuple(int(i) for i in top.id)
    among = edges[edges.source.isin(ids) & edges.target.isin(ids)]
    positions = _positions(ids, tuple(map(tuple, among[["source", "target", "shared"]].values)))
    shown = top.assign(
        hover=[
            t("ecosystem.who.node", name=r.name, count=r.innovations, partners=r.partners)
            for r in top.itertuples()
        ]
    )
    figure = figures.network(shown, among, positions)
    sentence = organisations.network_sentence(nodes, edges, lang)
    if (nodes.partners > 0).sum() > len(top):
        sentence += " " + t(
            "ecosystem.who.network_limited", shown=len(top), total=int((nodes.partners > 0).sum())
        )
    table = _connected_table(organisations.most_connected(nodes, len(nodes)))
    ui.chart_with_words(figure, sentence, None, key="network")
    st.markdown(f"**{t('ecosystem.who.most_connected')}**")
    st.dataframe(table.head(10), hide_index=True, width="stretch", placeholder=ui.EMPTY_CELL)
    csv_button(table, t("file.collaboration_network"), key="network")


def _connected_table(nodes: pd.DataFrame) -> pd.DataFrame:
    return _table(
        nodes,
        {
            "name": t("ecosystem.who.organisation"),
            "type_name": t("ecosystem.who.type"),
            "innovations": t("common.innovations"),
            "partners": t("ecosystem.who.partners"),
            "shared": t("ecosystem.who.shared"),
        },
    )


# what ----------------------------------------------------------------------------------------
def what_section(visibility: str, lang: str) -> None:
    st.header(t("ecosystem.what.title"))
    matrix = ui.cached(themes.theme_target_matrix, lang)
    wide = matrix.pivot_table(
        index="theme", columns="target_group", values="innovations", sort=False, aggfunc="sum"
    ).reset_index()
    st.subheader(t("ecosystem.what.matrix_title"))
    figure_block(
        figures.count_matrix(matrix, "theme", "target_group", "innovations"),
        themes.matrix_sentence(matrix, lang),
        wide.rename(columns={"theme": t("common.theme")}),
        t("file.themes_by_target_group"),
        "matrix",
    )
    st.subheader(t("ecosystem.what.gaps_title"))
    seed_from_url("ecosystem_few", "few", Int(1, 1000), 5)
    few = st.number_input(t("ecosystem.what.few"), 1, 1000, key="ecosystem_few")
    write_query(("few",), {} if few == 5 else {"few": str(few)})
    gaps = ui.cached(themes.target_group_gaps, visibility, lang, few)
    st.markdown(escape_markdown(themes.gaps_sentence(gaps, few, lang)))
    table = _table(
        gaps,
        {
            "target_group": t("common.target_group"),
            "innovations": t("common.innovations"),
            "assessed": t("ecosystem.what.assessed"),
            "few_innovations": t("ecosystem.what.few_innovations", few=few),
            "few_assessed": t("ecosystem.what.few_assessed", few=few),
        },
    )
    group = t("common.target_group")  # its names whole: "Arbetslösa och personer utanför arbetsma"
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={group: st.column_config.TextColumn(width=ui.name_width(gaps.target_group))},
        placeholder=ui.EMPTY_CELL,
    )
    csv_button(table, t("file.target_group_gaps"), key="gaps")


# how the pipeline moves ---------------------------------------------------------------------
def pipeline_section(visibility: str, lang: str) -> None:
    st.header(t("ecosystem.pipeline.title"))
    per_quarter = ui.cached(flow.quarterly_flow, visibility, lang)
    series = {
        "added": t("ecosystem.pipeline.added"),
        "assessed": t("ecosystem.pipeline.assessed"),
        "assessments": t("ecosystem.pipeline.assessments"),
    }
    st.subheader(t("ecosystem.pipeline.flow_title"))
    undated = ui.cached(flow.undated, visibility)
    sentence = flow.flow_sentence(per_quarter, lang)
    if undated["innovations"] or undated["assessments"]:
        sentence += " " + t("ecosystem.pipeline.undated", **undated)
    table = _table(per_quarter, {"label": t("ecosystem.pipeline.quarter"), **series})
    figure_block(
        figures.lines(per_quarter, "label", series, y_title=t("ecosystem.pipeline.count")),
        sentence,
        table,
        t("file.pipeline_per_quarter"),
        "flow",
    )
    _stages(visibility, lang)
    _rounds(visibility, lang)
    _dimensions(visibility, lang)


def _stages(visibility: str, lang: str) -> None:
    st.subheader(t("ecosystem.pipeline.stage_title"))
    stages = ui.cached(flow.assessed_by_stage, visibility, lang)
    parts = {
        column: (t(f"ecosystem.pipeline.{column}"), colour) for column, colour in COLOURS.items()
    }
    table = _table(
        stages,
        {
            "stage": t("common.stage"),
            **{c: name for c, (name, _) in parts.items()},
            "share_external": t("ecosystem.pipeline.share_external"),
        },
    )
    figure_block(
        figures.stacked_shares(stages, "stage", parts, x_title=t("common.innovations")),
        flow.stage_sentence(stages, lang),
        table,
        t("file.assessed_by_stage"),
        "stages",
        shares={t("ecosystem.pipeline.share_external"): 0},  # as the sentence: 90 %
    )


def _rounds(visibility: str, lang: str) -> None:
    st.subheader(t("ecosystem.pipeline.round_title"))
    rounds = ui.cached(flow.assessed_by_round, visibility, lang)
    table = _table(
        rounds,
        {
            "label": t("ecosystem.pipeline.round"),
            "innovations": t("ecosystem.pipeline.assessed"),
            "assessments": t("ecosystem.pipeline.assessments"),
            "share": t("ecosystem.pipeline.share_of_all"),
        },
    )
    figure_block(
        _bars(rounds, "label", "innovations", t("common.innovations"), lang),
        flow.rounds_sentence(rounds, lang),
        table,
        t("file.assessed_by_round"),
        "rounds",
        shares={t("ecosystem.pipeline.share_of_all"): 0},
    )


def _dimensions(visibility: str, lang: str) -> None:
    st.subheader(t("ecosystem.pipeline.dimension_title"))
    st.caption(t("ecosystem.pipeline.dimension_basis"))
    dims = ui.cached(flow.dimension_means_by_round, visibility, lang)
    if dims.empty:
        said = t("ecosystem.pipeline.no_scores", what=seen_text(visibility))
        st.info(said, icon=":material/insights:")
        return
    dims = dims.assign(label=[t("ecosystem.round", round=int(r)) for r in dims["round"]])
    wide = dims.pivot_table(
        index="label", columns="dimension", values="mean", sort=False
    ).reset_index()
    series = {d: d for d in dict.fromkeys(dims.dimension)}
    table = _table(
        dims,
        {
            "label": t("ecosystem.pipeline.round"),
            "dimension": t("common.dimension"),
            "mean": t("ecosystem.pipeline.mean"),
            "innovations": t("common.innovations"),
            "assessors": t("ecosystem.pipeline.assessors"),
            "scores": t("ecosystem.pipeline.scores"),
        },
    )
    figure_block(
        figures.lines(
            wide,
            "label",
            series,
            y_title=t("ecosystem.pipeline.mean"),
            y_range=list(ui.cached(flow.dimension_range)),
        ),
        flow.dimension_sentence(dims, visibility, lang),
        table,
        t("file.dimension_means_by_round"),
        "dimensions",
        decimals={t("ecosystem.pipeline.mean"): SCORE_DECIMALS},
    )


# money ---------------------------------------------------------------------------------------
def money_section(lang: str, today: date) -> None:
    st.header(t("ecosystem.money.title"))
    by = _choice(t("ecosystem.money.by"), MONEY_BY, "money", "ecosystem.money_by")
    awards = ui.cached(money.awards_by, lang, by)
    st.subheader(t("ecosystem.money.awards_title"))
    if awards.empty:
        st.info(t("ecosystem.money.none_awards"), icon=":material/payments:")
    else:
        if by == "theme":
            st.caption(t("ecosystem.money.theme_note"))
        figure_block(
            _bars(awards, "label", "amount", t("ecosystem.money.eur"), lang),
            money.money_sentence(awards, "awards", lang),
            _money_table(awards, "label", "awards", "amount", t(f"ecosystem.money_by.{by}")),
            t(f"file.awards_by_{by}"),
            "awards",
        )
    st.subheader(t("ecosystem.money.open_title"))
    calls = ui.cached(money.open_calls_by_theme, today, lang)
    if calls.empty:
        st.info(t("ecosystem.money.none_calls"), icon=":material/euro:")
        return
    figure_block(
        _bars(calls, "theme", "total", t("ecosystem.money.eur"), lang),
        money.money_sentence(calls, "calls", lang),
        _money_table(calls, "theme", "calls", "total", t("common.theme")),
        t("file.open_calls_by_theme"),
        "open_calls",
    )
    ui.link(
        "funding",
        t("ecosystem.money.to_calls"),
        ":material/euro:",
        status=",".join(ACCEPTING),
    )


def _money_table(df: pd.DataFrame, label: str, count: str, amount: str, title: str):
    return _table(
        df,
        {
            label: title,
            count: t(f"ecosystem.money.{count}"),
            amount: t("ecosystem.money.eur"),
            "unknown_amounts": t("ecosystem.money.unknown_amounts"),
        },
    )


# data quality --------------------------------------------------------------------------------
def quality_section(visibility: str, lang: str, today: date) -> None:
    st.header(t("ecosystem.quality.title"))
    st.caption(t("ecosystem.quality.intro"))
    fields = ui.cached(quality.completeness, lang)
    shares = fields.assign(percent=(100 * fields.share).round(1))
    table = _table(
        fields,
        {
            "field": t("ecosystem.quality.field"),
            "filled": t("ecosystem.quality.filled"),
            "missing": t("ecosystem.quality.missing"),
            "share": t("ecosystem.quality.share"),
        },
    )
    st.subheader(t("ecosystem.quality.completeness_title"))
    figure_block(
        _bars(shares, "field", "percent", t("ecosystem.quality.percent"), lang, decimals=1),
        quality.completeness_sentence(fields, lang),
        table,
        t("file.completeness"),
        "completeness",
        shares={t("ecosystem.quality.share"): 1},  # as the bars: 91,2
    )
    for row in fields[fields.missing > 0].itertuples():
        label = t("ecosystem.quality.lacking", count=row.missing, field=row.field)
        _explorer_link(label, row.missing_ids, row.field)
    _record_list(
        t("ecosystem.quality.never_title"),
        ui.cached(quality.never_assessed, visibility),
        "never",
        t("file.never_assessed"),
        quality.NEVER_ASSESSED,
    )
    _record_list(
        t("ecosystem.quality.stale_title", years=quality.STALE_AFTER_DAYS // 365),
        ui.cached(quality.stale_records, today),
        "stale",
        t("file.stale_records"),
    )
    sparse = ui.cached(quality.sparse_assessments, visibility, lang)
    _record_list(
        t("ecosystem.quality.sparse_title", share=format_share(quality.SPARSE_SHARE)),
        sparse.rename(columns={"innovation_id": "id"}),
        "sparse",
        t("file.sparse_assessments"),
    )


def _explorer_link(label: str, ids, what: str, same_as: InnovationFilter | None = None) -> None:
    """A link to the explorer showing ``ids`` (``what`` they are, said when no link can)."""
    query = quality.explorer_query(ids, same_as)
    if query is None:
        count, limit = len(set(ids)), quality.MAX_LINKED
        st.caption(t("ecosystem.quality.too_many_to_link", what=what, count=count, limit=limit))
        return
    ui.link("pipeline", label, ":material/filter_alt:", **query)


def _record_list(
    title: str, df: pd.DataFrame, key: str, name: str, same_as: InnovationFilter | None = None
) -> None:
    """A data-quality list: how many, a link to exactly those in the explorer (``same_as``: a
    filter that selects them, for a list too long to name in a link), the rows."""
    st.subheader(title)
    if df.empty:
        st.success(t(f"ecosystem.quality.{key}_none"), icon=":material/check_circle:")
        return
    ids = list(dict.fromkeys(int(i) for i in df.id))
    st.markdown(escape_markdown(t(f"ecosystem.quality.{key}_count", count=len(df))))
    _explorer_link(t("ecosystem.quality.open_in_explorer", count=len(ids)), ids, title, same_as)
    table = df.rename(columns=lambda c: t(f"ecosystem.quality.col.{c}"))
    with st.expander(t("common.show_table")):
        st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            column_config=ui.date_columns(table),
            placeholder=ui.EMPTY_CELL,
        )
    csv_button(table, name, key=key)
