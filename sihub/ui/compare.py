"""Widgets and sections of the comparison page, and the URL state shared with the funder page."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import pandas as pd
import streamlit as st

from sihub import compare, ui
from sihub.charts import compare as charts
from sihub.compare import Comparison, Selection, words
from sihub.i18n import format_date, format_number, t
from sihub.scores import DISAGREEMENT, basis_text
from sihub.text import escape_markdown
from sihub.ui.downloads import workbook_button
from sihub.ui.url import profile_url, write_query

VIEW_PARAMS = ("sort", "csort", "show", "view")
VIEWS = ("heatmap", "dots", "agreement", "rounds", "self")
PARAMS = ("ids", "by", "groups", "fw", "basis", "shared", *VIEW_PARAMS)


# state that lives in the URL ------------------------------------------------------------------
def url_query(page: str, params: Sequence[str]) -> tuple[dict[str, str], bool]:
    """The page's state as URL parameters, and whether it came from the address.

    The address wins when it changed since this session last wrote it (a shared link, a
    reload, the back button); otherwise the session's last state is kept, so that the state
    also survives a visit to another page (page switches drop query parameters).
    """
    current = {p: str(st.query_params[p]) for p in params if p in st.query_params}
    written = st.session_state.get(f"_url_written.{page}")
    if current and current != written:
        return current, True
    return st.session_state.get(f"_url_kept.{page}", current), False


def publish_query(page: str, params: Sequence[str], query: Mapping[str, str]) -> None:
    """Write the page's state into the URL (defaults left out) and remember it."""
    kept = {p: query[p] for p in params if query.get(p)}
    write_query(tuple(params), kept)
    st.session_state[f"_url_written.{page}"] = kept
    st.session_state[f"_url_kept.{page}"] = kept


def seed(values: Mapping[str, Any], from_url: bool) -> None:
    """Give widgets their values before they render: all of them when the address changed,
    else only those Streamlit forgot (widgets that were not on screen in the last run)."""
    for key, value in values.items():
        if from_url or key not in st.session_state:
            st.session_state[key] = value


def labels_of(prefix: str, lang: str):
    """A widget's ``format_func`` for codes whose labels are ``t(prefix + code)``.

    The language is bound here: Streamlit may call a format function outside this run.
    """
    return lambda code: t(f"{prefix}{code}", lang=lang)


# choosing what to compare ---------------------------------------------------------------------
def _initial(query: Mapping[str, str]) -> dict[str, Any]:
    sel = Selection.from_query(query)
    return {
        "cmp_mode": "groups" if sel.group_by else "innovations",
        "cmp_by": sel.group_by or "theme",
        "cmp_groups": list(sel.groups),
        "cmp_ids": list(sel.ids),
        "cmp_fw": sel.framework,
        "cmp_basis": sel.basis,
        "cmp_shared": sel.shared_only,
        "cmp_sort": query.get("sort") or "mean",
        "cmp_csort": query.get("csort")
        if query.get("csort") in compare.CRITERIA_SORTS
        else "dimension",
        "cmp_show": query.get("show") if query.get("show") in compare.DISPLAYS else "scale",
        "cmp_view": query.get("view") if query.get("view") in VIEWS else "heatmap",
    }


def selection_widgets(lang: str) -> Selection:
    """Framework, basis, and the innovations or groups to compare; all kept in the URL."""
    query, from_url = url_query("compare", PARAMS)
    seed(_initial(query), from_url)
    frameworks = ui.cached(compare.frameworks_with_scores, lang)
    names = dict(zip(frameworks.code, frameworks.name, strict=True))
    if st.session_state["cmp_fw"] not in names and names:
        st.session_state["cmp_fw"] = next(iter(names))
    top = st.columns([2, 2, 3])
    top[0].segmented_control(
        t("compare.mode"),
        ["innovations", "groups"],
        format_func=labels_of("compare.mode_", lang),
        key="cmp_mode",
        required=True,
    )
    top[1].selectbox(t("compare.framework"), list(names), format_func=names.get, key="cmp_fw")
    with top[2]:
        st.segmented_control(
            t("compare.basis"),
            list(compare.BASES),
            format_func=labels_of("compare.basis_", lang),
            key="cmp_basis",
            required=True,
        )
        st.checkbox(t("compare.shared_only"), key="cmp_shared", help=t("compare.shared_help"))
    base = Selection(
        framework=st.session_state["cmp_fw"],
        basis=st.session_state["cmp_basis"],
        shared_only=st.session_state["cmp_shared"],
    )
    if st.session_state["cmp_mode"] == "groups":
        return _group_widgets(base, lang)
    return _innovation_widgets(base, lang)


def _innovation_widgets(base: Selection, lang: str) -> Selection:
    options = ui.cached(compare.innovation_options, base.framework)
    labels = {
        int(r.id): r.name if not r.organisation else f"{r.name} · {r.organisation}"
        for r in options.itertuples()
    }
    chosen = [i for i in st.session_state["cmp_ids"] if i in labels]
    asked = [i for i in st.session_state["cmp_ids"] if i not in labels]
    st.session_state["cmp_ids"] = chosen
    st.multiselect(
        t("compare.innovations", max=compare.MAX_ITEMS),
        list(labels),
        format_func=lambda i: labels.get(i, str(i)),
        key="cmp_ids",
        max_selections=compare.MAX_ITEMS,
        placeholder=t("compare.search"),
    )
    if asked:
        st.warning(t("compare.not_found", ids=", ".join(map(str, asked))), icon=":material/help:")
    return base.with_(ids=tuple(st.session_state["cmp_ids"]))


def _group_widgets(base: Selection, lang: str) -> Selection:
    left, right = st.columns([1, 3])
    left.selectbox(
        t("compare.group_by"),
        compare.GROUP_KINDS,
        format_func=labels_of("compare.group.", lang),
        key="cmp_by",
    )
    base = base.with_(group_by=st.session_state["cmp_by"])
    options = ui.cached(compare.group_options, base, lang)
    labels = {
        r.code: t("compare.group_option", name=r.label, count=r.innovations)
        for r in options.itertuples()
    }
    if not st.session_state["cmp_groups"] or not set(st.session_state["cmp_groups"]) & set(labels):
        st.session_state["cmp_groups"] = list(labels)[: compare.MAX_ITEMS]
    st.session_state["cmp_groups"] = [g for g in st.session_state["cmp_groups"] if g in labels]
    right.multiselect(
        t("compare.groups"),
        list(labels),
        format_func=lambda c: labels.get(c, c),
        key="cmp_groups",
        max_selections=compare.MAX_ITEMS,
    )
    return base.with_(groups=tuple(st.session_state["cmp_groups"]))


def start_here(selection: Selection) -> None:
    """The empty state: what to do, and a one-click start with recently assessed innovations."""
    if selection.group_by:
        st.info(t("compare.choose_groups", min=compare.MIN_ITEMS), icon=":material/info:")
        return
    st.info(
        t("compare.choose", min=compare.MIN_ITEMS, max=compare.MAX_ITEMS), icon=":material/info:"
    )
    recent = ui.cached(compare.recently_assessed, selection)
    if len(recent) >= compare.MIN_ITEMS:
        st.button(
            t("compare.start_recent", count=len(recent)),
            icon=":material/bolt:",
            on_click=_choose,
            args=(recent,),
        )


def _choose(ids: list[int]) -> None:
    st.session_state["cmp_ids"] = ids


def view_widgets(cmp: Comparison, lang: str) -> tuple[str, str, str]:
    """Sorting of columns and criteria, and how values are printed."""
    names = cmp.criteria.set_index("code").name
    options = compare.sort_options(cmp)
    if st.session_state.get("cmp_sort") not in options:
        st.session_state["cmp_sort"] = "mean"

    def sort_label(option: str) -> str:
        if option.startswith("criterion:"):
            name = names.get(option.split(":", 1)[1], option)
            return t("compare.sort.criterion", lang=lang, name=name)
        return t(f"compare.sort.{option}", lang=lang)

    cols = st.columns(3)
    label = t("compare.sort_groups" if cmp.selection.group_by else "compare.sort_columns")
    cols[0].selectbox(label, options, format_func=sort_label, key="cmp_sort")
    cols[1].segmented_control(
        t("compare.sort_criteria"),
        compare.CRITERIA_SORTS,
        format_func=labels_of("compare.csort.", lang),
        key="cmp_csort",
        required=True,
    )
    cols[2].segmented_control(
        t("compare.show"),
        compare.DISPLAYS,
        format_func=labels_of("compare.show_", lang),
        key="cmp_show",
        required=True,
    )
    return st.session_state["cmp_sort"], st.session_state["cmp_csort"], st.session_state["cmp_show"]


def publish(selection: Selection) -> None:
    """Put the selection and the view options into the URL."""
    query = dict(selection.to_query())
    defaults = {"sort": "mean", "csort": "dimension", "show": "scale", "view": "heatmap"}
    for p in VIEW_PARAMS:
        value = st.session_state.get(f"cmp_{p}")
        if value and value != defaults[p]:
            query[p] = value
    publish_query("compare", PARAMS, query)


# the views ------------------------------------------------------------------------------------
def _view_chosen(labels: dict[str, str]) -> None:
    by_label = {label: code for code, label in labels.items()}
    st.session_state["cmp_view"] = by_label.get(st.session_state.get("cmp_tab"), "heatmap")


def view_tabs(lang: str) -> dict[str, Any]:
    """The views as tabs; only the open one is computed, and which one is open is in the URL."""
    labels = {code: t(f"compare.tab.{code}", lang=lang) for code in VIEWS}
    chosen = st.session_state.get("cmp_view", "heatmap")
    st.session_state["cmp_tab"] = labels[chosen]
    tabs = st.tabs(list(labels.values()), key="cmp_tab", on_change=_view_chosen, args=(labels,))
    return dict(zip(VIEWS, tabs, strict=True))


def _axis_title(cmp: Comparison, display: str) -> str:
    if _ticks(cmp, display):
        return t("compare.axis_scale", scale=cmp.criteria.scale.iloc[0])
    return t("compare.axis_pct")


def _ticks(cmp: Comparison, display: str) -> charts.Ticks | None:
    """Axis ticks on the rating scale when all criteria share one numeric scale."""
    levels = words.common_levels(cmp.criteria)
    points = [lv for lv in levels if lv[1] is not None]
    if display != "scale" or not points:
        return None
    return [100 * lv[2] for lv in points], [format_number(lv[1]) for lv in points]


def points(sentences: list[str]) -> None:
    """Sentences as a short list; data in them is shown as written, never as Markdown."""
    st.markdown("\n".join(f"- {escape_markdown(s)}" for s in sentences))


def _chart_with_points(figure, sentences: list[str], table: pd.DataFrame, key: str) -> None:
    """``ui.chart_with_words`` with the words as a short list, one point per sentence."""
    st.plotly_chart(figure, width="stretch", key=key, config={"displaylogo": False})
    points(sentences)
    with st.expander(t("common.show_table")):
        st.dataframe(table, hide_index=True, width="stretch")


def heatmap_section(cmp: Comparison, sort: str, csort: str, display: str, lang: str) -> None:
    cells = compare.heatmap_cells(cmp, sort, csort, display, lang)
    grouped = cmp.criteria.groupby("dimension_code").size().max() > 1 and csort == "dimension"
    figure = charts.heatmap(
        cells,
        not_assessed=t("compare.not_assessed"),
        colour_title=t(f"compare.colour_title_{display}"),
        hover_value=t("compare.value"),
        grouped=bool(grouped),
        ticks=_ticks(cmp, display),
    )
    _chart_with_points(
        figure,
        words.heatmap_words(cmp, display, lang),
        compare.column_table(cmp, sort, csort, display, lang),
        key="cmp_heatmap",
    )
    st.caption(t(f"compare.heatmap_help_{display}"))


def download(cmp: Comparison, sort: str, csort: str, lang: str) -> None:
    """The comparison as Excel, built when the button is pressed."""
    from sihub.compare import export as comparison_export

    store, now = ui.get_store(), datetime.now()
    workbook_button(
        t("compare.export.download"),
        lambda: comparison_export.comparison_workbook(store, cmp, sort, csort, lang, now),
        comparison_export.file_name(now),
    )


def columns_table(cmp: Comparison, sort: str, display: str, lang: str) -> None:
    """The compared innovations or groups with their mean and what it rests on."""
    levels = words.common_levels(cmp.criteria)
    cols = cmp.columns.set_index("key").loc[compare.column_order(cmp, sort)].reset_index()
    table = pd.DataFrame(
        {
            "name": cols.label,
            "mean": [compare.shown(m, levels, display, lang) for m in cols["mean"]],
            "basis": [
                basis_text(r.criteria_scored, r.criteria_total, r.assessors, lang)
                for r in cols.itertuples()
            ],
            "innovations": cols.innovations,
            "latest": [
                format_date(d, lang) if pd.notna(d) else "–" for d in cols.latest_assessed_on
            ],
        }
    )
    config = {
        "name": st.column_config.TextColumn(t("compare.col.name")),
        "mean": st.column_config.TextColumn(t("compare.col.mean")),
        "basis": st.column_config.TextColumn(t("compare.col.basis")),
        "innovations": st.column_config.NumberColumn(t("common.innovations")),
        "latest": st.column_config.TextColumn(t("compare.col.latest")),
    }
    if not cmp.selection.group_by:
        table["profile"] = [profile_url(int(k), lang) for k in cols.key]
        config["profile"] = st.column_config.LinkColumn(
            t("compare.col.profile"), display_text=t("compare.open_profile")
        )
        config["innovations"] = None
    st.dataframe(table, hide_index=True, width="stretch", column_config=config)


def dots_section(cmp: Comparison, band: pd.DataFrame, csort: str, display: str, lang: str) -> None:
    if len(cmp.columns) > compare.DOT_PLOT_MAX:
        st.info(t("compare.dots_too_many", max=compare.DOT_PLOT_MAX), icon=":material/info:")
        return
    crit = cmp.criteria.set_index("code")
    order = compare.criteria_order(cmp, csort)
    short = cmp.columns.set_index("key").short
    points = cmp.cells.assign(
        criterion=cmp.cells.criterion_code.map(crit.name),
        column=cmp.cells.key.map(short),
        x=100 * cmp.cells["mean"],
        text=[
            compare.shown(m, crit.at[c, "levels"], display, lang)
            for m, c in zip(cmp.cells["mean"], cmp.cells.criterion_code, strict=True)
        ],
    )
    points["_o"] = points.key.map({k: n for n, k in enumerate(cmp.columns.key)})
    band = band.set_index("criterion_code").reindex(order).reset_index()
    figure = charts.dot_plot(
        points.sort_values("_o"),
        band.assign(
            criterion=band.criterion_code.map(crit.name),
            q25=100 * band.q25,
            median=100 * band["median"],
            q75=100 * band.q75,
        ),
        x_title=_axis_title(cmp, display),
        band_label=t("compare.band"),
        median_label=t("compare.median"),
        ticks=_ticks(cmp, display),
    )
    table = compare.column_table(cmp, "chosen", csort, display, lang)
    table[t("compare.median")] = [
        compare.shown(m, crit.at[c, "levels"], display, lang)
        for m, c in zip(band["median"], band.criterion_code, strict=True)
    ]
    ui.chart_with_words(figure, words.dots_words(cmp, band, lang), table, key="cmp_dots")


def agreement_section(cmp: Comparison, display: str, lang: str) -> None:
    per = compare.agreement(cmp)
    flagged = compare.disagreements(cmp)
    st.markdown(escape_markdown(words.agreement_words(cmp, flagged, display, lang)))
    levels = per.criterion_code.map(cmp.criteria.set_index("code").levels)

    def spreads(values: pd.Series) -> list[str]:
        return [
            "–" if pd.isna(s) else compare.shown_points(s, lv, display, lang)
            for s, lv in zip(values, levels, strict=True)
        ]

    table = pd.DataFrame(
        {
            "criterion": per.name,
            "assessors": per.assessors,
            "median": spreads(per.median_spread),
            "widest": spreads(per.max_spread),
            "disagreements": per.disagreements,
        }
    )
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            "criterion": t("common.criterion"),
            "assessors": st.column_config.NumberColumn(t("compare.col.assessors_max")),
            "median": t("compare.col.median_spread"),
            "widest": t("compare.col.widest_spread"),
            "disagreements": st.column_config.NumberColumn(t("compare.col.disagreements")),
        },
    )
    st.caption(t("compare.agreement_help", threshold=format_number(100 * DISAGREEMENT)))
    if not flagged.empty:
        st.markdown(f"**{t('compare.flagged_title')}**")
        st.dataframe(
            compare.disagreement_table(flagged, display, lang),
            hide_index=True,
            width="stretch",
            column_config={
                "label": t("compare.col.name"),
                "criterion": t("common.criterion"),
                "assessors": st.column_config.NumberColumn(t("compare.col.assessors")),
                "low": t("briefing.lowest"),
                "high": t("briefing.highest"),
                "innovations": st.column_config.NumberColumn(t("compare.col.flagged"))
                if cmp.selection.group_by
                else None,  # comparing innovations, each row is one innovation
            },
        )


def rounds_section(cmp: Comparison, display: str, lang: str) -> None:
    if cmp.selection.group_by:
        st.info(t("compare.rounds_groups"), icon=":material/info:")
        return
    rounds = ui.cached(compare.round_means, cmp.selection)
    change = compare.round_change(rounds, cmp.criteria)
    summary = compare.round_summary(change)
    labels = dict(zip(cmp.columns.key, cmp.columns.label, strict=True))
    if len(summary) != 1:  # with one innovation the chart's own sentence says it all
        st.markdown(
            escape_markdown(
                words.rounds_words(summary, change, labels, cmp.criteria, display, lang)
            )
        )
    if summary.empty:
        return
    choices = [str(i) for i in summary.innovation_id]
    chosen = st.selectbox(
        t("compare.rounds_pick"), choices, format_func=labels.get, key="cmp_round_pick"
    )
    own = change[change.innovation_id == int(chosen)]
    crit = cmp.criteria.set_index("code")
    first, last = int(own.first_round.min()), int(own.last_round.max())
    pairs = _pairs(own.rename(columns={"first": "a", "last": "b"}), crit, display, lang)
    figure = charts.paired_dots(
        pairs,
        first_label=t("compare.round_n", n=first),
        second_label=t("compare.round_n", n=last),
        x_title=_axis_title(cmp, display),
        ticks=_ticks(cmp, display),
    )
    table = pairs[["criterion", "first_text", "second_text"]].rename(
        columns={
            "criterion": t("common.criterion"),
            "first_text": t("compare.round_n", n=first),
            "second_text": t("compare.round_n", n=last),
        }
    )
    sentence = words.rounds_words(
        summary[summary.innovation_id == int(chosen)], own, labels, cmp.criteria, display, lang
    )
    ui.chart_with_words(figure, sentence, table, key="cmp_rounds")


def _pairs(frame: pd.DataFrame, crit: pd.DataFrame, display: str, lang: str) -> pd.DataFrame:
    """Rows (criterion_code, a, b) as the paired-dot chart wants them."""
    levels = frame.criterion_code.map(crit.levels)
    return pd.DataFrame(
        {
            "criterion": frame.criterion_code.map(crit.name).to_numpy(),
            "first": (100 * frame.a).to_numpy(),
            "second": (100 * frame.b).to_numpy(),
            "first_text": [
                compare.shown(v, lv, display, lang) for v, lv in zip(frame.a, levels, strict=True)
            ],
            "second_text": [
                compare.shown(v, lv, display, lang) for v, lv in zip(frame.b, levels, strict=True)
            ],
        }
    )


def self_section(cmp: Comparison, display: str, lang: str) -> None:
    pairs = compare.self_vs_external(ui.get_store(), cmp)
    summary = compare.self_external_summary(pairs)
    labels = dict(zip(cmp.columns.key, cmp.columns.label, strict=True))
    if len(summary) != 1:
        st.markdown(
            escape_markdown(words.self_external_words(summary, labels, cmp.criteria, display, lang))
        )
    if summary.empty:
        return
    chosen = st.selectbox(
        t("compare.self_pick"), summary.key.tolist(), format_func=labels.get, key="cmp_self_pick"
    )
    crit = cmp.criteria.set_index("code")
    own = pairs[pairs.key == chosen].rename(columns={"self": "a", "external": "b"})
    own = own.assign(_p=own.criterion_code.map({c: n for n, c in enumerate(crit.index)}))
    data = _pairs(own.sort_values("_p"), crit, display, lang)
    figure = charts.paired_dots(
        data,
        first_label=t("compare.basis_self"),
        second_label=t("compare.basis_external"),
        x_title=_axis_title(cmp, display),
        ticks=_ticks(cmp, display),
    )
    table = data[["criterion", "first_text", "second_text"]].rename(
        columns={
            "criterion": t("common.criterion"),
            "first_text": t("compare.basis_self"),
            "second_text": t("compare.basis_external"),
        }
    )
    sentence = words.self_external_words(
        summary[summary.key == chosen], labels, cmp.criteria, display, lang
    )
    ui.chart_with_words(figure, sentence, table, key="cmp_self")
    st.caption(t("compare.self_help"))


def radar_section(cmp: Comparison, display: str, lang: str) -> None:
    """Optional: one profile as a small radar in the framework's fixed order, table beside it."""
    labels = dict(zip(cmp.columns.key, cmp.columns.label, strict=True))
    chosen = st.selectbox(
        t("compare.radar_pick"), list(labels), format_func=labels.get, key="cmp_radar_pick"
    )
    crit = cmp.criteria.sort_values("sort_order")
    own = cmp.cells[cmp.cells.key == chosen].set_index("criterion_code")["mean"]
    values = [own.get(c) for c in crit.code]
    profile = pd.DataFrame(
        {"criterion": crit.name.to_numpy(), "x": [None if v is None else 100 * v for v in values]}
    )
    left, right = st.columns([2, 3])
    with left:
        st.plotly_chart(
            charts.radar_thumbnail(profile, name=labels[chosen]),
            key="cmp_radar",
            config={"displaylogo": False},
        )
    with right:
        st.dataframe(
            pd.DataFrame(
                {
                    t("common.criterion"): crit.name.to_numpy(),
                    t("compare.value"): [
                        compare.shown(v, lv, display, lang)
                        for v, lv in zip(values, crit.levels, strict=True)
                    ],
                }
            ),
            hide_index=True,
            width="stretch",
        )
    st.markdown(escape_markdown(words.profile_words(cmp, chosen, lang)))
    st.caption(t("compare.radar_help"))
