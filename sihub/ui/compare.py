"""Widgets and sections of the comparison page (its state lives in the URL: ``Selection`` and
``CompareView`` of ``sihub.compare.selection``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from sihub import ui
from sihub.access import Sight, Viewer
from sihub.charts import compare as charts
from sihub.compare import agreement, rounds, self_external, views, words
from sihub.compare.display import shown, shown_points
from sihub.compare.queries import (
    Comparison,
    column_results,
    comparison_of,
    frameworks_with_scores,
    group_options,
    innovation_labels,
    recently_assessed,
)
from sihub.compare.selection import (
    BASES,
    CRITERIA_SORTS,
    DISPLAYS,
    GROUP_KINDS,
    MAX_ITEMS,
    MIN_ITEMS,
    VIEWS,
    CompareView,
    Selection,
)
from sihub.db import Store
from sihub.funding.status import now_in_finland
from sihub.i18n import format_date, format_number, format_share, t
from sihub.scores import DISAGREEMENT, basis_text
from sihub.text import escape_markdown
from sihub.ui.downloads import workbook_button
from sihub.ui.pipeline import picked_bar
from sihub.ui.url import (
    back_here,
    coded_tabs,
    kept_query,
    left_out_notice,
    publish_query,
    seed,
)
from sihub.urls import LeftOut, known_only

PARAMS = (*Selection.params(), *CompareView.params())


def labels_of(prefix: str, lang: str):
    """A widget's ``format_func`` for codes whose labels are ``t(prefix + code)``.

    The language is bound here: Streamlit may call a format function outside this run.
    """
    return lambda code: t(f"{prefix}{code}", lang=lang)


# choosing what to compare ---------------------------------------------------------------------
def _widget_values(selection: Selection, view: CompareView) -> dict[str, Any]:
    return {
        "cmp_mode": "groups" if selection.group_by else "innovations",
        "cmp_by": selection.group_by or "theme",
        "cmp_groups": list(selection.groups),
        "cmp_ids": list(selection.ids),
        "cmp_fw": selection.framework,
        "cmp_basis": selection.basis,
        "cmp_shared": selection.shared_only,
        "cmp_sort": view.sort,
        "cmp_csort": view.criteria_sort,
        "cmp_show": view.display,
        "cmp_view": view.view,
    }


def selection_widgets(viewer: Viewer, sight: Sight, lang: str) -> Selection:
    """Framework, basis, and the innovations or groups to compare; all kept in the URL, and
    what a link holds that cannot be used is left out with the notice. The choice to leave
    internal assessments out is offered only to those who can see them; for anyone else the
    comparison rests on what they see (``sight``, narrowed by ``Selection.visibility_for``),
    whatever a link says."""
    visibility = sight
    query, from_url = kept_query("compare", PARAMS)
    selection, left_out = Selection.parse_query(query)
    view, view_left_out = CompareView.parse_query(query)
    seed(_widget_values(selection, view), from_url)
    frameworks = ui.cached(frameworks_with_scores, visibility, lang)
    names = dict(zip(frameworks.code, frameworks.name, strict=True))
    if st.session_state["cmp_fw"] not in names and names:
        st.session_state["cmp_fw"] = next(iter(names))
    if from_url:
        unknown = _not_in_store(visibility, selection, names, lang)
        left_out_notice((*left_out, *view_left_out, *unknown))
    top = st.columns([2, 2, 3])
    top[0].segmented_control(
        t("compare.mode"),
        ["innovations", "groups"],
        format_func=labels_of("compare.mode_", lang),
        key="cmp_mode",
        required=True,
    )
    ui.choice_box(
        top[1], t("compare.framework"), list(names), format_func=names.get, key="cmp_fw", lang=lang
    )
    with top[2]:
        st.segmented_control(
            t("compare.basis"),
            list(BASES),
            format_func=labels_of("compare.basis_", lang),
            key="cmp_basis",
            required=True,
        )
        if viewer.may("include_internal"):
            st.checkbox(t("compare.shared_only"), key="cmp_shared", help=t("compare.shared_help"))
    base = Selection(
        framework=st.session_state["cmp_fw"],
        basis=st.session_state["cmp_basis"],
        shared_only=bool(st.session_state["cmp_shared"]) and viewer.may("include_internal"),
    )
    if st.session_state["cmp_mode"] == "groups":
        return _group_widgets(visibility, base, lang)
    return _innovation_widgets(visibility, base, lang)


def _not_in_store(
    visibility: Sight, selection: Selection, frameworks: Mapping[str, str], lang: str
) -> list[LeftOut]:
    """The framework and groups a link names that the store does not hold (innovation ids are
    answered by the selection itself, ``compare.not_found``)."""
    left_out = []
    named = selection.framework != Selection().framework  # the default is never in a link
    if named and frameworks and selection.framework not in frameworks:
        left_out.append(LeftOut(Selection.PARAMS["framework"][0], selection.framework))
    if selection.groups:
        base = selection.with_(groups=(), framework=st.session_state["cmp_fw"])
        known = set(ui.cached(group_options, visibility, base, lang).code)
        left_out += known_only(selection.groups, known, Selection.PARAMS["groups"][0])[1]
    return left_out


def _innovation_widgets(visibility: Sight, base: Selection, lang: str) -> Selection:
    labels = ui.shared(innovation_labels, base.visibility_for(visibility), base.framework)
    chosen = [i for i in st.session_state["cmp_ids"] if i in labels]
    asked = [i for i in st.session_state["cmp_ids"] if i not in labels]
    st.session_state["cmp_ids"] = chosen
    st.multiselect(
        t("compare.innovations", max=MAX_ITEMS),
        list(labels),
        format_func=lambda i: labels.get(i, str(i)),
        key="cmp_ids",
        max_selections=MAX_ITEMS,
        placeholder=t("compare.search"),
    )
    if asked:
        st.warning(t("compare.not_found", ids=", ".join(map(str, asked))), icon=":material/help:")
    return base.with_(ids=tuple(st.session_state["cmp_ids"]))


def _group_widgets(visibility: Sight, base: Selection, lang: str) -> Selection:
    left, right = st.columns([1, 3])
    ui.choice_box(
        left,
        t("compare.group_by"),
        list(GROUP_KINDS),
        format_func=labels_of("compare.group.", lang),
        key="cmp_by",
        lang=lang,
    )
    base = base.with_(group_by=st.session_state["cmp_by"])
    options = ui.cached(group_options, visibility, base, lang)
    labels = {
        r.code: t("compare.group_option", name=r.label, count=r.innovations)
        for r in options.itertuples()
    }
    if not st.session_state["cmp_groups"] or not set(st.session_state["cmp_groups"]) & set(labels):
        st.session_state["cmp_groups"] = list(labels)[:MAX_ITEMS]
    st.session_state["cmp_groups"] = [g for g in st.session_state["cmp_groups"] if g in labels]
    right.multiselect(
        t("compare.groups"),
        list(labels),
        format_func=lambda c: labels.get(c, c),
        key="cmp_groups",
        max_selections=MAX_ITEMS,
        placeholder=t("compare.groups_placeholder"),
    )
    return base.with_(groups=tuple(st.session_state["cmp_groups"]))


def start_here(visibility: Sight, selection: Selection) -> None:
    """The empty state: what to do, and a one-click start with recently assessed innovations."""
    if selection.group_by:
        st.info(t("compare.choose_groups", min=MIN_ITEMS), icon=":material/info:")
        return
    st.info(t("compare.choose", min=MIN_ITEMS, max=MAX_ITEMS), icon=":material/info:")
    recent = ui.cached(recently_assessed, visibility, selection)
    if len(recent) >= MIN_ITEMS:
        st.button(
            t("compare.start_recent", count=len(recent)),
            icon=":material/bolt:",
            on_click=_choose,
            args=(recent,),
        )


def _choose(ids: list[int]) -> None:
    st.session_state["cmp_ids"] = ids


def view_widgets(comparison: Comparison, lang: str) -> tuple[str, str, str]:
    """Sorting of columns and criteria, and how values are printed."""
    names = comparison.criteria.set_index("code").name
    options = views.sort_options(comparison)
    if st.session_state.get("cmp_sort") not in options:
        st.session_state["cmp_sort"] = "mean"

    def sort_label(option: str) -> str:
        if option.startswith("criterion:"):
            name = names.get(option.split(":", 1)[1], option)
            return t("compare.sort.criterion", lang=lang, name=name)
        return t(f"compare.sort.{option}", lang=lang)

    cols = st.columns(3)
    label = t("compare.sort_groups" if comparison.selection.group_by else "compare.sort_columns")
    ui.choice_box(cols[0], label, list(options), format_func=sort_label, key="cmp_sort", lang=lang)
    cols[1].segmented_control(
        t("compare.sort_criteria"),
        CRITERIA_SORTS,
        format_func=labels_of("compare.csort.", lang),
        key="cmp_csort",
        required=True,
    )
    cols[2].segmented_control(
        t("compare.show"),
        DISPLAYS,
        format_func=labels_of("compare.show_", lang),
        key="cmp_show",
        required=True,
    )
    return st.session_state["cmp_sort"], st.session_state["cmp_csort"], st.session_state["cmp_show"]


def publish(selection: Selection) -> None:
    """Put the selection and the view options into the URL."""
    state = st.session_state
    view = CompareView(
        sort=state.get("cmp_sort") or "mean",
        criteria_sort=state.get("cmp_csort") or "dimension",
        display=state.get("cmp_show") or "scale",
        view=state.get("cmp_view") or "heatmap",
    )
    publish_query("compare", PARAMS, {**selection.to_query(), **view.to_query()})


# the views ------------------------------------------------------------------------------------
def view_tabs(lang: str) -> dict[str, Any]:
    """The views as tabs; only the open one is computed, and which one is open is in the URL."""
    labels = {code: t(f"compare.tab.{code}", lang=lang) for code in VIEWS}
    return coded_tabs(labels, "cmp_view", "cmp_tab")


def _axis_title(comparison: Comparison, display: str) -> str:
    if _ticks(comparison, display):
        return t("compare.axis_scale", scale=comparison.criteria.scale.iloc[0])
    return t("compare.axis_pct")


def _ticks(comparison: Comparison, display: str, lang: str | None = None) -> charts.Ticks | None:
    """Axis ticks on the rating scale when all criteria share one numeric scale."""
    levels = words.common_levels(comparison.criteria)
    points = [lv for lv in levels if lv[1] is not None]
    if display != "scale" or not points:
        return None
    return [100 * lv[2] for lv in points], [format_number(lv[1], lang) for lv in points]


def points(sentences: list[str]) -> None:
    """Sentences as a short list; data in them is shown as written, never as Markdown."""
    st.markdown("\n".join(f"- {escape_markdown(s)}" for s in sentences))


def _chart_with_points(figure, sentences: list[str], table: pd.DataFrame, key: str) -> None:
    """``ui.chart_with_words`` with the words as a short list, one point per sentence."""
    ui.plot(figure, key=key)
    points(sentences)
    with st.expander(t("common.show_table")):
        st.dataframe(table, hide_index=True, width="stretch", placeholder=ui.EMPTY_CELL)


def heatmap_parts(
    store: Store, sight: Sight, selection: Selection, sort: str, csort: str, display: str, lang: str
) -> tuple[Any, list[str], pd.DataFrame]:
    """The heatmap's figure, its sentences and its table, for ``ui.shared``: built once per
    comparison and view (about half of the page's run at 10 innovations), only ever read."""
    comparison = ui.shared(comparison_of, sight, selection, lang)
    cells = views.heatmap_cells(comparison, sort, csort, display, lang)
    grouped = (
        comparison.criteria.groupby("dimension_code").size().max() > 1 and csort == "dimension"
    )
    figure = charts.heatmap(
        cells,
        not_assessed=t("compare.not_assessed", lang=lang),
        colour_title=t(f"compare.colour_title_{display}", lang=lang),
        hover_value=t("compare.value", lang=lang),
        grouped=bool(grouped),
        ticks=_ticks(comparison, display, lang),
    )
    sentences = words.heatmap_words(comparison, display, lang, _results(comparison, lang))
    return figure, sentences, views.column_table(comparison, sort, csort, display, lang)


def heatmap_section(comparison: Comparison, sort: str, csort: str, display: str, lang: str) -> None:
    sel = comparison.selection
    parts = ui.shared(heatmap_parts, comparison.sight, sel, sort, csort, display, lang)
    _chart_with_points(*parts, key="cmp_heatmap")
    st.caption(t(f"compare.heatmap_help_{display}"))


def download(comparison: Comparison, sort: str, csort: str, lang: str) -> None:
    """The comparison as Excel, built when the button is pressed."""
    from sihub.compare import export as comparison_export

    store, now = ui.get_store(), now_in_finland()
    workbook_button(
        t("compare.export.download"),
        lambda: comparison_export.comparison_workbook(store, comparison, sort, csort, lang, now),
        comparison_export.file_name(now, lang),
    )


def _results(comparison: Comparison, lang: str, keys: tuple[str, ...] | None = None):
    """Each column's result in a non-averaged framework's own terms (None for a mean)."""
    keys = tuple(comparison.columns.key) if keys is None else keys
    return ui.cached(column_results, comparison.sight, comparison.selection, keys, lang)


def columns_table(comparison: Comparison, sort: str, display: str, lang: str) -> None:
    """The compared innovations or groups with their mean and what it rests on."""
    levels = words.common_levels(comparison.criteria)
    cols = (
        comparison.columns.set_index("key").loc[views.column_order(comparison, sort)].reset_index()
    )
    table = pd.DataFrame(
        {
            "name": cols.label,
            "mean": [shown(m, levels, display, lang) for m in cols["mean"]],
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
        "name": st.column_config.TextColumn(
            t("compare.col.name"), width=ui.name_width(table["name"])
        ),
        "mean": st.column_config.TextColumn(t("compare.col.mean")),
        "basis": st.column_config.TextColumn(t("compare.col.basis")),
        "innovations": st.column_config.NumberColumn(t("common.innovations")),
        "latest": st.column_config.TextColumn(t("compare.col.latest")),
    }
    results = _results(comparison, lang, tuple(cols.key))
    if results is not None:  # a framework that is not a mean: its own terms, never a mean
        table.insert(1, "result", results)
        config["result"] = st.column_config.TextColumn(t("compare.col.result"))
        config["mean"] = None
    grouped = bool(comparison.selection.group_by)
    if not grouped:  # innovations: a clicked row shows above, with the way to its profile
        config["innovations"] = None
        above = st.container()
    event = st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config=config,
        placeholder=ui.EMPTY_CELL,
        **(
            {} if grouped else dict(key="cmp_table", on_select="rerun", selection_mode="single-row")
        ),
    )
    if grouped:
        return
    picked = event.selection.rows if event is not None else []
    with above:
        if picked:
            row = table.iloc[picked[0]]
            facts = [row["result"] if "result" in row else row["mean"], row["basis"]]
            innovation_id = int(cols.key.iloc[picked[0]])
            picked_bar(row["name"], facts, innovation_id, **back_here("compare"))
        else:
            st.caption(t("compare.table_help"))


def dots_section(
    comparison: Comparison, band: pd.DataFrame, csort: str, display: str, lang: str
) -> None:
    if len(comparison.columns) > views.DOT_PLOT_MAX:
        st.info(t("compare.dots_too_many", max=views.DOT_PLOT_MAX), icon=":material/info:")
        return
    crit = comparison.criteria.set_index("code")
    order = views.criteria_order(comparison, csort)
    short = comparison.columns.set_index("key").short
    points = comparison.cells.assign(
        criterion=comparison.cells.criterion_code.map(crit.name),
        column=comparison.cells.key.map(short),
        x=100 * comparison.cells["mean"],
        text=[
            shown(m, crit.at[c, "levels"], display, lang)
            for m, c in zip(comparison.cells["mean"], comparison.cells.criterion_code, strict=True)
        ],
    )
    points["_o"] = points.key.map({k: n for n, k in enumerate(comparison.columns.key)})
    band = band.set_index("criterion_code").reindex(order).reset_index()
    levels = band.criterion_code.map(crit.levels)

    def written(column: str) -> list[str]:
        return [shown(v, lv, display, lang) for v, lv in zip(band[column], levels, strict=True)]

    figure = charts.dot_plot(
        points.sort_values("_o"),
        band.assign(
            criterion=band.criterion_code.map(crit.name),
            q25=100 * band.q25,
            median=100 * band["median"],
            q75=100 * band.q75,
            text=[
                f"{low}–{high}" for low, high in zip(written("q25"), written("q75"), strict=True)
            ],
            median_text=written("median"),
        ),
        x_title=_axis_title(comparison, display),
        band_label=t("compare.band"),
        median_label=t("compare.median"),
        ticks=_ticks(comparison, display),
    )
    table = views.column_table(comparison, "chosen", csort, display, lang)
    table[t("compare.median")] = [
        shown(m, crit.at[c, "levels"], display, lang)
        for m, c in zip(band["median"], band.criterion_code, strict=True)
    ]
    ui.chart_with_words(figure, words.dots_words(comparison, band, lang), table, key="cmp_dots")


def agreement_section(comparison: Comparison, display: str, lang: str) -> None:
    per = agreement.agreement(comparison)
    flagged = agreement.disagreements(comparison)
    st.markdown(escape_markdown(words.agreement_words(comparison, flagged, display, lang)))
    levels = per.criterion_code.map(comparison.criteria.set_index("code").levels)

    def spreads(values: pd.Series) -> list[str]:
        return [
            "–" if pd.isna(s) else shown_points(s, lv, display, lang)
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
        placeholder=ui.EMPTY_CELL,
    )
    st.caption(t("compare.agreement_help", threshold=format_share(DISAGREEMENT)))
    if not flagged.empty:
        st.markdown(f"**{t('compare.flagged_title')}**")
        st.dataframe(
            agreement.disagreement_table(flagged, display, lang),
            hide_index=True,
            width="stretch",
            column_config={
                "label": t("compare.col.name"),
                "criterion": t("common.criterion"),
                "assessors": st.column_config.NumberColumn(t("compare.col.assessors")),
                "low": t("briefing.lowest"),
                "high": t("briefing.highest"),
                "innovations": st.column_config.NumberColumn(t("compare.col.flagged"))
                if comparison.selection.group_by
                else None,  # comparing innovations, each row is one innovation
            },
            placeholder=ui.EMPTY_CELL,
        )


def rounds_section(comparison: Comparison, display: str, lang: str) -> None:
    if comparison.selection.group_by:
        st.info(t("compare.rounds_groups"), icon=":material/info:")
        return
    means = ui.cached(rounds.round_means, comparison.sight, comparison.selection)
    change = rounds.round_change(means, comparison.criteria)
    summary = rounds.round_summary(change)
    labels = dict(zip(comparison.columns.key, comparison.columns.label, strict=True))
    if len(summary) != 1:  # with one innovation the chart's own sentence says it all
        st.markdown(
            escape_markdown(
                words.rounds_words(summary, change, labels, comparison.criteria, display, lang)
            )
        )
    if summary.empty:
        return
    choices = [str(i) for i in summary.innovation_id]
    chosen = st.selectbox(
        t("compare.rounds_pick"), choices, format_func=labels.get, key="cmp_round_pick"
    )
    own = change[change.innovation_id == int(chosen)]
    crit = comparison.criteria.set_index("code")
    first, last = int(own.first_round.min()), int(own.last_round.max())
    pairs = _pairs(own.rename(columns={"first": "a", "last": "b"}), crit, display, lang)
    figure = charts.paired_dots(
        pairs,
        first_label=t("compare.round_n", n=first),
        second_label=t("compare.round_n", n=last),
        x_title=_axis_title(comparison, display),
        ticks=_ticks(comparison, display),
    )
    table = pairs[["criterion", "first_text", "second_text"]].rename(
        columns={
            "criterion": t("common.criterion"),
            "first_text": t("compare.round_n", n=first),
            "second_text": t("compare.round_n", n=last),
        }
    )
    sentence = words.rounds_words(
        summary[summary.innovation_id == int(chosen)],
        own,
        labels,
        comparison.criteria,
        display,
        lang,
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
                shown(v, lv, display, lang) for v, lv in zip(frame.a, levels, strict=True)
            ],
            "second_text": [
                shown(v, lv, display, lang) for v, lv in zip(frame.b, levels, strict=True)
            ],
        }
    )


def self_section(comparison: Comparison, display: str, lang: str) -> None:
    pairs = self_external.self_vs_external(ui.get_store(), comparison)
    summary = self_external.self_external_summary(pairs)
    labels = dict(zip(comparison.columns.key, comparison.columns.label, strict=True))
    if len(summary) != 1:
        st.markdown(
            escape_markdown(
                words.self_external_words(summary, labels, comparison.criteria, display, lang)
            )
        )
    if summary.empty:
        return
    chosen = st.selectbox(
        t("compare.self_pick"), summary.key.tolist(), format_func=labels.get, key="cmp_self_pick"
    )
    crit = comparison.criteria.set_index("code")
    own = pairs[pairs.key == chosen].rename(columns={"self": "a", "external": "b"})
    own = own.assign(_p=own.criterion_code.map({c: n for n, c in enumerate(crit.index)}))
    data = _pairs(own.sort_values("_p"), crit, display, lang)
    figure = charts.paired_dots(
        data,
        first_label=t("compare.basis_self"),
        second_label=t("compare.basis_external"),
        x_title=_axis_title(comparison, display),
        ticks=_ticks(comparison, display),
    )
    table = data[["criterion", "first_text", "second_text"]].rename(
        columns={
            "criterion": t("common.criterion"),
            "first_text": t("compare.basis_self"),
            "second_text": t("compare.basis_external"),
        }
    )
    sentence = words.self_external_words(
        summary[summary.key == chosen], labels, comparison.criteria, display, lang
    )
    ui.chart_with_words(figure, sentence, table, key="cmp_self")
    _left_out(self_external.one_sided(ui.get_store(), comparison), chosen, crit.name)
    st.caption(t("compare.self_help"))


def _left_out(one_sided: pd.DataFrame, key: str, names: pd.Series) -> None:
    """The criteria of ``key`` that the view leaves out because one side has no score."""
    own = one_sided[one_sided.key == key]
    for side in ("self", "external"):
        codes = [c for c in names.index if c in set(own[own.side == side].criterion_code)]
        if codes:
            listed = "; ".join(str(names[c]) for c in codes)  # names may hold commas
            st.caption(ui.t_escaped(f"compare.{side}_only", criteria=listed))


def radar_section(comparison: Comparison, display: str, lang: str) -> None:
    """Optional: one profile as a small radar in the framework's fixed order, table beside it."""
    labels = dict(zip(comparison.columns.key, comparison.columns.label, strict=True))
    chosen = st.selectbox(
        t("compare.radar_pick"), list(labels), format_func=labels.get, key="cmp_radar_pick"
    )
    crit = comparison.criteria.sort_values("sort_order")
    own = comparison.cells[comparison.cells.key == chosen].set_index("criterion_code")["mean"]
    values = [own.get(c) for c in crit.code]
    profile = pd.DataFrame(
        {"criterion": crit.name.to_numpy(), "x": [None if v is None else 100 * v for v in values]}
    )
    left, right = st.columns([2, 3])
    with left:
        ui.plot(charts.radar_thumbnail(profile, name=labels[chosen]), key="cmp_radar")
    with right:
        st.dataframe(
            pd.DataFrame(
                {
                    t("common.criterion"): crit.name.to_numpy(),
                    t("compare.value"): [
                        shown(v, lv, display, lang)
                        for v, lv in zip(values, crit.levels, strict=True)
                    ],
                }
            ),
            hide_index=True,
            width="stretch",
            placeholder=ui.EMPTY_CELL,
        )
    st.markdown(escape_markdown(words.profile_words(comparison, chosen, lang)))
    st.caption(t("compare.radar_help"))
