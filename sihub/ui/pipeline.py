"""Widgets of the pipeline explorer: the filter that lives in the URL, facets with counts,
the results table, the pipeline picture and the exports.

The URL is the state. Every run reads the selection from ``st.query_params``
(``InnovationFilter.parse_query``) and sets the widgets from it; a widget change writes the new
selection back with ``st.query_params``, which Streamlit records as a browser history entry,
so a copied address shows the same selection, a reload keeps it and the back button returns
to the previous one. (Streamlit's own ``bind="query-params"`` would put the displayed labels,
counts included, into the URL and would replace the history entry instead.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa
import streamlit as st

from sihub import pipeline, ui, urls
from sihub.charts import pipeline as charts
from sihub.db.store import Store
from sihub.funding.status import now_in_finland
from sihub.i18n import current_language, date_pattern, format_number, t
from sihub.pipeline import picture
from sihub.pipeline.filters import MAX_CRITERIA, NOT_RECORDED, InnovationFilter
from sihub.text import escape_markdown
from sihub.ui.downloads import csv_and_excel
from sihub.ui.url import app_address, left_out_notice

if TYPE_CHECKING:
    from streamlit.delta_generator import DeltaGenerator

PREFIX = "pipe_"  # widget keys of this page; they never collide with other pages' keys
FACET_KEYS = {facet.key: f"{PREFIX}{facet.key}" for facet in pipeline.FACETS}
SORT_PARAM = "sort"
SORT_KIND = urls.Code(tuple(pipeline.SORTS))
FACETS_A_ROW = 2
LAST_QUERY = "pipeline_last_query"  # the explorer's last URL state, for "back to the list"


# --- the selection and the URL ----------------------------------------------------------------
def current_selection(visibility: str) -> tuple[InnovationFilter, str]:
    """The selection and sort order of the URL; unusable and unknown values are left out and
    the page says so."""
    selection, left_out = InnovationFilter.parse_query(st.query_params)
    selection, unknown = ui.cached(pipeline.clean_filter, visibility, selection)
    default = "relevance" if selection.q else "name"
    sort, unusable = urls.parse_param(SORT_PARAM, st.query_params.get(SORT_PARAM), SORT_KIND)
    left_out_notice((*left_out, *unknown, *unusable))
    sort = sort or default
    st.session_state[LAST_QUERY] = {
        **selection.to_query(),
        **({SORT_PARAM: sort} if sort != default else {}),
    }
    return selection, sort


def _selection_from_widgets() -> tuple[InnovationFilter, str]:
    state = st.session_state
    current = InnovationFilter.from_query(st.query_params)
    values: dict[str, object] = {
        facet.field: tuple(state.get(FACET_KEYS[facet.key]) or ()) for facet in pipeline.FACETS
    }
    minimum = state.get(f"{PREFIX}minscore")
    framework = state.get(f"{PREFIX}scorefw") or ""
    same_framework = framework == pipeline.score_framework(current)
    values |= {
        "q": (state.get(f"{PREFIX}q") or "").strip(),
        "score_framework": ""
        if framework == pipeline.score_framework(InnovationFilter())
        else framework,
        # a criterion of one framework means nothing in another: back to the mean
        "score_on": (state.get(f"{PREFIX}scoreon") or "") if same_framework else "",
        "min_score": None if minimum is None else round(float(minimum), 4),
        "min_criteria": state.get(f"{PREFIX}mincrit") or None,
        "passes": bool(state.get(f"{PREFIX}passes")) and same_framework,
        "ids": current.ids,  # set by links from other pages, cleared by "clear all"
    }
    return InnovationFilter(**values), state.get(f"{PREFIX}sort") or "name"


def _push(selection: InnovationFilter, sort: str) -> None:
    """Write the selection into the URL (a new browser history entry).

    Called from widget callbacks, which run before the frame has set this run's language,
    so the language is taken from the URL itself.
    """
    lang = st.query_params.get("lang") or st.session_state.get("lang") or current_language()
    params = {"lang": lang, **selection.to_query()}
    if sort != ("relevance" if selection.q else "name"):
        params[SORT_PARAM] = sort
    st.query_params.from_dict(params)


def _on_change() -> None:
    _push(*_selection_from_widgets())


def _clear() -> None:
    _push(InnovationFilter(), "name")


def _seed(key: str, value: object) -> None:
    """Show ``value`` in the widget ``key`` (set before the widget is drawn in this run)."""
    st.session_state[key] = value


# --- the filter widgets -----------------------------------------------------------------------
def search_bar(selection: InnovationFilter, sort: str) -> None:
    """The free-text search and the sort order, side by side."""
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    _seed(f"{PREFIX}q", selection.q)
    left.text_input(
        t("pipeline.search"),
        key=f"{PREFIX}q",
        placeholder=t("pipeline.search_placeholder"),
        help=t("pipeline.search_help"),
        on_change=_on_change,
        icon=":material/search:",
    )
    # Labels as a dict, not a closure over t(): a format_func must not depend on the thread's
    # language (AppTest formats values in its own thread).
    sorts = {s: t(f"pipeline.sort_{s}") for s in pipeline.SORTS if s != "relevance" or selection.q}
    _seed(f"{PREFIX}sort", sort if sort in sorts else next(iter(sorts)))
    ui.choice_box(
        right,
        t("pipeline.sort"),
        list(sorts),
        key=f"{PREFIX}sort",
        lang=current_language(),
        format_func=sorts.get,
        on_change=_on_change,
    )


def facet_widgets(
    visibility: str, selection: InnovationFilter, options: dict[str, pd.DataFrame]
) -> None:
    """One multiselect per facet with counts, in a grid; "not recorded" among the options and
    its count under each; then the score filters and "clear all"."""
    choices = ui.shared(facet_choices, visibility, selection, current_language())
    # Two a row, not three: a chosen value's chip is as wide as its box allows, and a stage
    # reads whole only so ("1 Lähtökohdat ja tarpeen tunnistaminen (12)").
    columns = st.columns(FACETS_A_ROW, gap="medium")
    for n, facet in enumerate(pipeline.FACETS):
        with columns[n % FACETS_A_ROW]:
            facet_widget(facet, selection, *choices[facet.key])
    score_widgets(selection, options)
    if not selection.is_empty():
        st.button(t("pipeline.clear"), on_click=_clear, icon=":material/filter_alt_off:")


def facet_choices(
    store: Store, visibility: str, selection: InnovationFilter, lang: str
) -> dict[str, tuple[dict[str, str], int | None]]:
    """Per facet: code -> "label (count)" as its multiselect offers it, and how many have it
    not recorded (None: not offered). Once per selection and data version (``ui.shared``),
    not on every run: 20,000 organisations at 100,000 innovations."""
    options = ui.shared(pipeline.facet_options, visibility, selection, lang)
    choices = {}
    for facet in pipeline.FACETS:
        frame = options[facet.key]
        labels = {
            code: f"{label} ({format_number(count, lang)})"
            for code, label, count in zip(frame.code, frame.label, frame.innovations, strict=True)
        }
        missing = frame.loc[frame.code == NOT_RECORDED, "innovations"]
        choices[facet.key] = (labels, None if missing.empty else int(missing.iloc[0]))
    return choices


def facet_widget(
    facet: pipeline.Facet,
    selection: InnovationFilter,
    labels: dict[str, str],
    not_recorded: int | None,
) -> None:
    _seed(FACET_KEYS[facet.key], [c for c in getattr(selection, facet.field) if c in labels])
    st.multiselect(
        t(f"pipeline.facet.{facet.key}"),
        list(labels),
        key=FACET_KEYS[facet.key],
        format_func=labels.get,
        on_change=_on_change,
        placeholder=t("pipeline.any"),
        help=t(f"pipeline.facet_help.{facet.key}"),
    )
    if not_recorded:  # "Not recorded: 0" under a complete facet is only noise
        st.caption(t("pipeline.not_recorded_count", count=not_recorded))


def score_widgets(selection: InnovationFilter, options: dict[str, pd.DataFrame]) -> None:
    """Minimum score (on the mean, a criterion or a dimension) and minimum criteria scored."""
    lang = current_language()
    with st.expander(t("pipeline.score_filters"), expanded=pipeline.has_score_filter(selection)):
        columns = st.columns(4, vertical_alignment="bottom")
        frameworks = ui.cached(pipeline.score_frameworks, lang)
        framework = pipeline.score_framework(selection)
        _seed(f"{PREFIX}scorefw", framework)
        ui.choice_box(
            columns[0],
            t("pipeline.score_framework"),
            list(frameworks),
            key=f"{PREFIX}scorefw",
            lang=lang,
            format_func=frameworks.get,
            on_change=_on_change,
        )
        measures = ui.cached(pipeline.score_measures, framework, lang)
        names = dict(zip(measures.key, measures.label, strict=True))
        _seed(f"{PREFIX}scoreon", selection.score_on if selection.score_on in names else "")
        ui.choice_box(
            columns[1],
            t("pipeline.score_on"),
            list(names),
            key=f"{PREFIX}scoreon",
            lang=lang,
            format_func=names.get,
            on_change=_on_change,
        )
        minimum_widget(columns[2], selection, framework)
        _seed(f"{PREFIX}mincrit", selection.min_criteria)
        columns[3].number_input(
            t("pipeline.min_criteria"),
            min_value=1,
            max_value=MAX_CRITERIA,
            step=1,
            key=f"{PREFIX}mincrit",
            placeholder=t("pipeline.no_minimum"),
            on_change=_on_change,
        )
        unscored = options["score"]
        if NOT_RECORDED in unscored.index:
            st.caption(t("pipeline.unscored", count=int(unscored.loc[NOT_RECORDED, "innovations"])))


def minimum_widget(column, selection: InnovationFilter, framework: str) -> None:
    """The minimum score, typed on the scale it is shown on: "at least 4" on 1-5 is 4. A
    framework without numbers (pass/fail, traffic light) has no minimum to type."""
    scale = ui.cached(pipeline.score_scale, framework, selection.score_on)
    _seed(f"{PREFIX}passes", selection.passes)
    if framework in ui.cached(pipeline.pass_fail_frameworks):
        _seed(f"{PREFIX}minscore", None)
        column.checkbox(
            t("pipeline.passes_only"),
            key=f"{PREFIX}passes",
            help=t("pipeline.passes_help"),
            on_change=_on_change,
        )
        return
    if not scale.numeric:
        _seed(f"{PREFIX}minscore", None)
        column.number_input(
            t("pipeline.min_score"),
            key=f"{PREFIX}minscore",
            disabled=True,
            placeholder=t("pipeline.no_minimum"),
            help=t("pipeline.min_score_not_numeric"),
        )
        return
    low, high = float(scale.bottom), float(scale.top)
    chosen = selection.min_score
    _seed(f"{PREFIX}minscore", None if chosen is None else min(max(chosen, low), high))
    column.number_input(
        t("pipeline.min_score_on_scale", low=format_number(low), high=format_number(high)),
        min_value=low,
        max_value=high,
        step=0.1,
        format="%.1f",
        key=f"{PREFIX}minscore",
        placeholder=t("pipeline.no_minimum"),
        help=t("pipeline.min_score_help"),
        on_change=_on_change,
    )


# --- what is shown ----------------------------------------------------------------------------
def selection_summary(selection: InnovationFilter, options: dict[str, pd.DataFrame]) -> None:
    """ "34 of 80 innovations", and the filters in words."""
    total = options["total"]["innovations"]
    st.markdown(
        "**"
        + t(
            "pipeline.summary",
            shown=format_number(int(total.get("selected", 0))),
            total=format_number(int(total.get("all", 0))),
        )
        + "**"
    )
    described = ui.cached(pipeline.describe_filter, selection, current_language())
    if described:
        st.caption(
            " · ".join(
                f"{escape_markdown(what)}: {escape_markdown(values)}" for what, values in described
            )
        )


RESULT_COLUMNS = ("name", "organisation", "stage", "score", "basis", "status", "assessments",
                  "latest_assessed_on", "regions", "themes")  # fmt: skip


def shown_results(
    store: Store, visibility: str, selection: InnovationFilter, lang: str, sort: str
) -> tuple[pa.Table, int]:
    """The results as the table shows them (statuses in words) and the name column's width.
    For ``ui.shared``: once per selection, sort and data version, already in Arrow, the form
    Streamlit sends (10,000 rows were converted on every run)."""
    rows = ui.shared(pipeline.results, visibility, selection, lang, sort)
    statuses = {s: t(f"pipeline.status.{s}", lang=lang) for s in rows.status.unique()}
    shown = rows.assign(status=rows.status.map(statuses))[list(RESULT_COLUMNS)]
    return ui.arrow_table(shown), ui.name_width(shown.name)


def results_table(rows: pd.DataFrame, shown: tuple[pa.Table, int]) -> None:
    """The selection as a sortable table (``shown_results`` of ``rows``). A click on a row
    shows that innovation above the table with a link to its profile, in this tab (a link cell
    of the grid would open a new tab, and only after the pointer rested on it).

    (``st.switch_page`` on the click would leave a stray history entry, so that the back
    button from the profile would not return to this selection; a page link does not.)
    """
    if rows.empty:
        st.info(t("pipeline.no_results"), icon=":material/search_off:")
        return
    table, name_width = shown
    above = st.container()  # the picked row
    event = st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        height=min(640, 38 + 35 * len(rows)),
        on_select="rerun",
        selection_mode="single-row",
        key=f"{PREFIX}table",
        column_config=result_columns(name_width),
        placeholder=ui.EMPTY_CELL,
    )
    picked = event.selection.rows if event is not None else []
    with above:
        if picked:
            row = rows.iloc[picked[0]]
            picked_innovation(row, int(row["id"]))
        else:
            st.caption(t("pipeline.table_help"))


def picked_innovation(row: pd.Series, innovation_id: int, **link_query: str) -> DeltaGenerator:
    """The clicked row of a list of innovations: its stage and score in words (``picked_bar``).
    Returns the bar, for more actions on the row."""
    facts = [row["stage"] if isinstance(row["stage"], str) else t("profile.no_stage")]
    if isinstance(row["basis"], str):  # assessed
        facts.append(f"{row['score']} ({row['basis']})")
    return picked_bar(row["name"], facts, innovation_id, **link_query)


def picked_bar(
    name: str, facts: list[str], innovation_id: int, **link_query: str
) -> DeltaGenerator:
    """A clicked table row above its table: the innovation's name, ``facts`` about it, and the
    way to its profile in this tab (``link_query`` adds to the link's parameters: the way
    back). A link cell of the grid opens a new tab, and only after the pointer rests on it."""
    bar = st.container(border=True, horizontal=True, vertical_alignment="center")
    with bar:
        st.markdown(f"**{escape_markdown(name)}**  \n" + " · ".join(map(escape_markdown, facts)))
        ui.link("profile", t("pipeline.open_profile"), id=innovation_id, **link_query)
    return bar


def result_columns(name_width: int) -> dict:
    return {
        "name": st.column_config.TextColumn(t("pipeline.column.name"), width=name_width),
        "organisation": st.column_config.TextColumn(t("pipeline.column.organisation"), width=190),
        "regions": st.column_config.TextColumn(t("pipeline.column.regions")),
        "stage": st.column_config.TextColumn(t("pipeline.column.stage"), width=170),
        "themes": st.column_config.TextColumn(t("pipeline.column.themes")),
        "assessments": st.column_config.NumberColumn(t("pipeline.column.assessments")),
        "latest_assessed_on": st.column_config.DateColumn(
            t("pipeline.column.latest_assessed_on"), format=date_pattern()
        ),
        "status": st.column_config.TextColumn(t("pipeline.column.status")),
        "score": st.column_config.TextColumn(
            t("pipeline.column.score"), help=t("pipeline.mean_score_help"), width=140
        ),
        "basis": st.column_config.TextColumn(t("pipeline.column.basis"), width=170),
    }


def export_buttons(
    store: Store, visibility: str, selection: InnovationFilter, sort: str, rows: pd.DataFrame
) -> None:
    """CSV and Excel of exactly the rows shown (``results``), built when clicked; the Excel
    file says which assessments its scores rest on and links to the view, sort included."""
    lang = current_language()
    view = {**selection.to_query(), SORT_PARAM: sort}
    link = urls.view_address(app_address(), "pipeline", lang, view)
    now = now_in_finland()

    def table() -> pd.DataFrame:
        scale = ui.cached(pipeline.score_scale, pipeline.score_framework(selection))
        return pipeline.export_table(rows, lang, scale)

    def about(shown: pd.DataFrame) -> dict:
        return pipeline.export_about(store, visibility, selection, lang, len(shown), now, link)

    stamp = now.strftime("%Y%m%d-%H%M")
    csv_and_excel(
        table,
        t("file.innovations", stamp=stamp),
        sheet=t("pipeline.export.sheet", lang=lang),
        about=about,
        about_title=t("pipeline.export.about_sheet", lang=lang),
        width="stretch",
    )


def pipeline_picture(visibility: str, selection: InnovationFilter) -> None:
    """Innovations per stage, stage x theme, and movement between stages over time."""
    lang = current_language()
    st.subheader(t("pipeline.picture.per_stage"))
    ui.distribution(
        picture.stage_counts,
        (visibility, selection, lang),
        "stage",
        t("common.stage"),
        horizontal=False,
        key=f"{PREFIX}per_stage",
    )
    st.subheader(t("pipeline.picture.matrix"))
    matrix = ui.cached(picture.stage_theme_matrix, visibility, selection, lang)
    figure = charts.stage_theme_heatmap(
        matrix, stage_title=t("common.stage"), theme_title=t("common.theme")
    )
    table = matrix.reset_index().rename(columns={"stage": t("common.stage")})
    ui.chart_with_words(figure, picture.matrix_sentence(matrix, lang), table, key=f"{PREFIX}mx")
    st.subheader(t("pipeline.picture.moves"))
    moves = ui.cached(picture.stage_movements, visibility, selection, lang)
    coverage = ui.cached(picture.history_coverage, visibility, selection)
    sentence = picture.movement_sentence(moves, coverage, lang)
    if moves.empty:
        st.info(escape_markdown(sentence), icon=":material/timeline:")
        return
    stages = ui.cached(picture.stage_names, lang)
    figure = charts.movement_bars(
        moves,
        entry_label=t("pipeline.picture.entered"),
        axis_title=t("pipeline.picture.moves_axis"),
        stage_names=stages,
    )
    table = moves.assign(from_stage=moves.from_stage.fillna(t("pipeline.picture.entered")))[
        ["year", "from_stage", "to_stage", "innovations"]
    ].rename(
        columns={
            "year": t("pipeline.picture.year"),
            "from_stage": t("pipeline.picture.from"),
            "to_stage": t("pipeline.picture.to"),
            "innovations": t("common.innovations"),
        }
    )
    ui.chart_with_words(figure, sentence, table, key=f"{PREFIX}moves")
