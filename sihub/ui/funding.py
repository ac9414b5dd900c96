"""Widgets of the funding pages: the call filter (kept in the URL), the catalogue table, a
call's facts, and the matches in both directions (``innovation_calls_section`` is also used
on an innovation's profile page)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import pandas as pd
import pyarrow as pa
import streamlit as st

from sihub import ui
from sihub.access import seen_text
from sihub.charts.funding import deadline_timeline
from sihub.db import Store
from sihub.errors import NotFoundError
from sihub.funding import catalogue, filters, matching, words
from sihub.funding.status import STATUSES
from sihub.funding.timeline import timeline_rows, timeline_sentence, timeline_table
from sihub.i18n import current_language, date_pattern, format_date, t
from sihub.reference import framework_scale
from sihub.reference.vocabularies import all_vocabulary_names
from sihub.scores import DEFAULT_FRAMEWORK
from sihub.text import escape_markdown, markdown_link
from sihub.ui.downloads import csv_and_excel
from sihub.ui.url import seed_from_url, seed_widgets, write_query
from sihub.urls import Code, Int

STATUS_BADGES = {
    "open": ("blue", ":material/event_available:"),
    "closing": ("red", ":material/timer:"),
    "continuous": ("green", ":material/all_inclusive:"),
    "forthcoming": ("violet", ":material/event_upcoming:"),
    "closed": ("gray", ":material/event_busy:"),
}
FITS = ("full", "partial", "all")  # how many mismatches a listed match may have: 0, 1, any
FIT_LABELS = ("full", "partial", "weak")  # matching.fit.*: a match's fit in words
MATCH_TABLE_LIMIT = 300  # a call with thousands of matches lists the best ones (said on page)


# the filter ----------------------------------------------------------------------------------
def _codes_widget(label: str, param: str, options: dict[str, str], column: Any) -> list[str]:
    key = f"funding_f_{param}"
    return column.multiselect(
        label,
        list(options),
        format_func=lambda c: options.get(c, c),
        key=key,
        placeholder=t("funding.filter.any"),
    )


def _amount_widget(label: str, param: str, column: Any) -> float | None:
    key = f"funding_f_{param}"
    return column.number_input(label, min_value=0.0, step=10_000.0, format="%.0f", key=key)


def call_filter(lang: str) -> filters.CallFilter:
    """The filter widgets (seeded from, and written back to, the URL); returns the filter."""
    names = ui.cached(all_vocabulary_names, lang)
    statuses = {s: t(f"funding.status.{s}") for s in STATUSES}
    vocabularies = {"funder_types": "funder_types", "instruments": "instruments",
                    "themes": "themes", "target_groups": "target_groups",
                    "applicant_types": "org_types", "scopes": "scopes"}  # fmt: skip
    known = {field: names[vocabulary] for field, vocabulary in vocabularies.items()}
    seed_widgets(filters.CallFilter, "funding_f_", known)  # codes the data lacks: left out
    top = st.columns([2, 3])
    q = top[0].text_input(t("funding.filter.q"), key="funding_f_q")
    chosen_statuses = _codes_widget(t("funding.filter.status"), "status", statuses, top[1])
    with st.expander(t("funding.filter.more"), icon=":material/filter_list:"):
        row1, row2 = st.columns(4), st.columns(4)
        values = dict(
            funder_types=_codes_widget(
                t("field.Funding.funder_type"), "ftype", names["funder_types"], row1[0]
            ),
            instruments=_codes_widget(
                t("field.Funding.instrument"), "instrument", names["instruments"], row1[1]
            ),
            themes=_codes_widget(t("field.Funding.themes"), "theme", names["themes"], row1[2]),
            target_groups=_codes_widget(
                t("field.Funding.target_groups"), "tg", names["target_groups"], row1[3]
            ),
            applicant_types=_codes_widget(
                t("funding.filter.applicant"), "applicant", names["org_types"], row2[0]
            ),
            scopes=_codes_widget(
                t("field.Funding.geographic_scope"), "scope", names["scopes"], row2[1]
            ),
            amount_from=_amount_widget(t("funding.filter.amount_from"), "amount_from", row2[2]),
            amount_to=_amount_widget(t("funding.filter.amount_to"), "amount_to", row2[3]),
        )
        st.caption(t("funding.filter.help"))
    chosen = filters.CallFilter(
        q=q.strip(),
        statuses=tuple(chosen_statuses),
        **{k: tuple(v) if isinstance(v, list) else v for k, v in values.items()},
    )
    write_query(filters.CallFilter.params(), chosen.to_query())
    return chosen


# the catalogue -------------------------------------------------------------------------------
def _select_call_from_table() -> None:
    """A row picked in the table becomes the call shown below it."""
    rows = st.session_state["funding_table"].selection.rows
    ids = st.session_state.get("funding_table_ids", [])
    if rows and rows[0] < len(ids):
        st.session_state["funding_call"] = ids[rows[0]]


CALL_COLUMNS = ("status_name", "call_name", "funder", "instrument_name", "amount", "deadline",
                "days_left", "matches", "last_checked", "outdated")  # fmt: skip
# Text columns as wide as their longest value: the grid sizes a column by the rows it first
# draws, so a longer name further down was cut ('2 000 000 €–3 500 …', 'Tulosperusteiner…').
WHOLE_COLUMNS = ("call_name", "funder", "instrument_name", "amount")


def call_rows(
    store: Store, today: date, lang: str, call_filter: filters.CallFilter, visibility: str
) -> tuple[pa.Table, tuple[int, ...], dict[str, int]]:
    """The calls' table as it is shown, the call id of each row and the widths of the columns
    shown whole (``WHOLE_COLUMNS``, in pixels). For ``ui.shared``: once
    per filter, day, viewer and data version, its shown columns already in Arrow, the form
    Streamlit sends (converting the whole catalogue on every run was a fifth to a quarter of
    the page's time)."""
    df = ui.cached(catalogue.calls, visibility, today, lang, call_filter)
    counts = ui.cached(matching.call_match_counts, visibility, today)
    table = df.assign(
        amount=[
            words.amount_text(lo, hi, lang)
            for lo, hi in zip(df.amount_min, df.amount_max, strict=True)
        ]
    )
    if counts is not None:
        table = table.merge(counts, how="left", left_on="id", right_on="call_id")
    shown = [c for c in CALL_COLUMNS if c in table.columns]
    arrow = ui.arrow_table(table[shown])
    widths = {c: ui.name_width(table[c]) for c in WHOLE_COLUMNS if c in table.columns}
    return arrow, tuple(int(i) for i in table.id), widths


def call_table(rows: pa.Table, ids: tuple[int, ...], widths: dict[str, int]) -> None:
    """The calls as a table (``call_rows``); picking a row shows that call's details and
    matches."""
    st.session_state["funding_table_ids"] = list(ids)
    st.dataframe(
        rows,
        hide_index=True,
        width="stretch",
        key="funding_table",
        on_select=_select_call_from_table,
        selection_mode="single-row",
        column_config={
            "status_name": st.column_config.TextColumn(t("funding.col.status")),
            "call_name": st.column_config.TextColumn(
                t("field.Funding.call_name"), width=widths.get("call_name")
            ),
            "funder": st.column_config.TextColumn(
                t("field.Funding.funder"), width=widths.get("funder")
            ),
            "instrument_name": st.column_config.TextColumn(
                t("field.Funding.instrument"), width=widths.get("instrument_name")
            ),
            "amount": st.column_config.TextColumn(
                t("funding.fact.amount"), width=widths.get("amount")
            ),
            "deadline": _date_column("field.Funding.deadline"),
            "days_left": st.column_config.NumberColumn(t("funding.col.days_left")),
            "matches": st.column_config.NumberColumn(
                t("funding.col.matches"), help=t("funding.col.matches_help")
            ),
            "last_checked": st.column_config.DateColumn(
                t("field.Funding.last_checked"), format=date_pattern()
            ),
            "outdated": st.column_config.CheckboxColumn(
                t("funding.col.outdated"), help=t("funding.outdated_help")
            ),
        },
        placeholder=ui.EMPTY_CELL,
    )


def _date_column(key: str):
    return st.column_config.DateColumn(t(key), format=date_pattern())


def pick_call(df: pd.DataFrame) -> int | None:
    """The call whose details are shown (URL parameter ``call``), chosen from the list."""
    seed_from_url("funding_call", "call", Int(), None)
    chosen = st.session_state.get("funding_call")
    ids = [int(i) for i in df.id]
    labels = dict(zip(ids, df.call_name + " · " + df.funder, strict=True))
    if chosen is not None and chosen not in labels:
        ids.append(chosen)  # a shared link's call stays shown even when filtered out
        others = ui.cached(catalogue.call_choices)
        labels |= {int(i): f"{n} · {f}" for i, n, f in others.itertuples(index=False)}
    st.selectbox(
        t("funding.pick_call"),
        ids,
        index=None,
        placeholder=t("funding.pick_call_none"),
        format_func=lambda i: labels.get(i, f"#{i}"),
        key="funding_call",
    )
    chosen = st.session_state.get("funding_call")
    write_query(("call",), {} if chosen is None else {"call": str(chosen)})
    return chosen


# one call --------------------------------------------------------------------------------------
def status_badge(status: str, name: str) -> None:
    colour, icon = STATUS_BADGES[status]
    st.badge(name, color=colour, icon=icon)


def score_scale():
    """The scale the hub's scores, and a call's minimum score, are shown and typed on."""
    return ui.cached(framework_scale, DEFAULT_FRAMEWORK)


def _no_call() -> None:
    st.session_state["funding_call"] = None
    st.query_params.pop("call", None)


def call_details(visibility: str, call_id: int, today: date) -> dict | None:
    """A call's facts, source link and freshness as ``visibility`` sees them; a friendly message
    if it does not exist."""
    lang = current_language()
    try:
        call = ui.cached(catalogue.call, visibility, call_id, today, lang)
    except NotFoundError:
        st.warning(t("funding.unknown_call", id=str(call_id)), icon=":material/search_off:")
        st.button(t("funding.back_to_calls"), icon=":material/arrow_back:", on_click=_no_call)
        return None
    st.subheader(escape_markdown(call["call_name"]))
    status_badge(call["status"], call["status_name"])
    checked = words.date_or_none(call.get("last_checked"))
    if checked is None:
        st.warning(t("funding.never_checked"), icon=":material/history:")
    elif call["outdated"]:
        st.warning(
            t("funding.outdated", date=format_date(checked, lang)), icon=":material/history:"
        )
    scale = score_scale()
    source = t("field.Funding.source_url")
    facts = [
        (escape_markdown(k), (k == source and markdown_link(v)) or escape_markdown(v))
        for k, v in words.call_facts(call, lang, scale)
    ]  # the source as a link whose address copies as written
    # A static table wraps long rules and descriptions in full; its cells are Markdown, so the
    # imported text is escaped to show as written.
    st.table(pd.DataFrame(facts, columns=["fact", "value"]), hide_index=True, hide_header=True)
    url = call.get("source_url") or ""
    if url.lower().startswith(("https://", "http://")):
        st.link_button(t("funding.open_source"), url, icon=":material/open_in_new:")
    return call


def _fit_choice(key: str) -> str:
    seed_from_url(key, "fit", Code(FITS), "partial")
    names = {f: t(f"matching.show_{f}") for f in FITS}
    st.segmented_control(
        t("matching.show"),
        FITS,
        format_func=names.get,
        key=key,
        required=True,
    )
    return st.session_state[key]


def _keep(df: pd.DataFrame, fit: str) -> pd.DataFrame:
    limit = {"full": 0, "partial": 1}.get(fit)
    return df if limit is None else df[df.mismatch_count <= limit]


def _joined(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    out["fit"] = [t(f"matching.fit.{f}") for f in out.fit]
    for column in ("reasons", "mismatches", "to_check"):
        out[column] = [" · ".join(v) for v in out[column]]
    return out


def _finding_columns() -> dict:
    # The fit as wide as its longest label: "small" cut them to "Passar delv", "Sopii osit".
    fit_width = ui.name_width([t(f"matching.fit.{f}") for f in FIT_LABELS])
    return {
        c: st.column_config.TextColumn(t(f"matching.col.{c}"), width=w)
        for c, w in (("fit", fit_width), ("reasons", "large"), ("mismatches", "large"))
    } | {"to_check": st.column_config.TextColumn(t("matching.col.to_check"), width="medium")}


def findings_block(row: Mapping) -> None:
    """One match's reasons, mismatches and things to check, as three lists."""
    cols = st.columns(3)
    for col, column, icon in zip(
        cols,
        ("reasons", "mismatches", "to_check"),
        (":material/check_circle:", ":material/cancel:", ":material/help:"),
        strict=True,
    ):
        with col:
            st.markdown(f"{icon} **{t(f'matching.col.{column}')}**")
            items = row[column]
            st.markdown(
                "\n".join(f"- {escape_markdown(x)}" for x in items)
                if len(items)
                else t("matching.none")
            )


def _explain_one(df: pd.DataFrame, id_column: str, name_column: str, label: str, key: str) -> int:
    """A picker over the matches in ``df`` and the picked one's findings; returns its id."""
    names = dict(zip(df[id_column], df[name_column], strict=True))
    picked = st.selectbox(label, list(names), format_func=lambda i: names[i], key=key)
    findings_block(df[df[id_column] == picked].iloc[0])
    return int(picked)


def _rests_on(visibility: str) -> dict[str, str]:
    """What a match export says its scores rest on (the assessments the viewer sees)."""
    return {t("access.rests_on"): seen_text(visibility)}


def call_matches(visibility: str, call_id: int, today: date) -> None:
    """The innovations that fit a call, best first; one picked match explained in full."""
    lang = current_language()
    st.subheader(t("matching.for_call"))
    st.caption(t("matching.how", what=seen_text(visibility)))
    everything = ui.cached(matching.call_matches, visibility, call_id, today, lang)
    fit = _fit_choice("funding_fit")
    shown = _keep(everything, fit)
    st.caption(t("matching.counts", shown=len(shown), total=len(everything)))
    if shown.empty:
        st.info(t("matching.no_innovations"), icon=":material/search_off:")
        return
    listed = shown.head(MATCH_TABLE_LIMIT)  # the table and the picker show the best ones
    st.dataframe(
        _joined(listed),
        hide_index=True,
        width="stretch",
        column_order=["name", "lead", "stage", "fit", "reasons", "mismatches", "to_check"],
        column_config={
            "name": st.column_config.TextColumn(
                t("common.innovation"), width=ui.name_width(listed.name)
            ),
            "lead": st.column_config.TextColumn(t("matching.col.lead")),
            "stage": st.column_config.TextColumn(t("common.stage")),
            **_finding_columns(),
        },
        placeholder=ui.EMPTY_CELL,
    )
    if len(shown) > MATCH_TABLE_LIMIT:
        st.caption(t("matching.limited", limit=MATCH_TABLE_LIMIT, total=len(shown)))
    head = {
        "innovation_id": "matching.col.innovation_id",
        "name": "common.innovation",
        "lead": "matching.col.lead",
        "stage": "common.stage",
    }
    csv_and_excel(
        matching.export_frame(shown, lang, head),
        t("file.call_matches", id=str(call_id)),
        about={
            t("funding.export.what"): t("matching.export_call", id=str(call_id), date=today),
            **_rests_on(visibility),
        },
        key="funding_matches",
    )
    picked = _explain_one(
        listed, "innovation_id", "name", t("matching.pick_innovation"), f"funding_match_{call_id}"
    )
    ui.link("profile", t("matching.open_profile"), ":material/badge:", id=picked)


def innovation_calls_section(
    visibility: str, innovation_id: int, today: date | None = None
) -> None:
    """The funding calls that fit one innovation, with reasons and mismatches, and exports.

    Meant for the innovation's profile page as well as the funding page.
    """
    lang = current_language()
    today = today or ui.today()
    st.subheader(t("matching.for_innovation"))
    st.caption(t("matching.how", what=seen_text(visibility)))
    try:
        found = ui.cached(matching.innovation_matches, visibility, int(innovation_id), today, lang)
    except NotFoundError:
        st.warning(
            t("matching.unknown_innovation", id=str(innovation_id)), icon=":material/search_off:"
        )
        return
    if found.empty:
        st.info(t("matching.no_calls"), icon=":material/search_off:")
        return
    st.caption(t("matching.call_counts", count=len(found)))
    st.dataframe(
        _joined(found),
        hide_index=True,
        width="stretch",
        column_order=[
            "call_name",
            "funder",
            "status",
            "deadline",
            "fit",
            "reasons",
            "mismatches",
            "to_check",
        ],
        column_config={
            "call_name": st.column_config.TextColumn(
                t("field.Funding.call_name"), width=ui.name_width(found.call_name)
            ),
            "funder": st.column_config.TextColumn(t("field.Funding.funder")),
            "status": st.column_config.TextColumn(t("funding.col.status")),
            "deadline": _date_column("field.Funding.deadline"),
            **_finding_columns(),
        },
        placeholder=ui.EMPTY_CELL,
    )
    head = {
        "call_id": "matching.col.call_id",
        "call_name": "field.Funding.call_name",
        "funder": "field.Funding.funder",
        "status": "funding.col.status",
        "deadline": "field.Funding.deadline",
        "days_left": "funding.col.days_left",
    }
    csv_and_excel(
        matching.export_frame(found, lang, head),
        t("file.innovation_calls", id=str(innovation_id)),
        about={
            t("funding.export.what"): t(
                "matching.export_innovation", id=str(innovation_id), date=today
            ),
            **_rests_on(visibility),
        },
        key=f"inncalls_{innovation_id}",
    )
    picked = _explain_one(
        found, "call_id", "call_name", t("matching.pick_call"), f"inncalls_pick_{innovation_id}"
    )
    ui.link("funding", t("matching.open_call"), ":material/euro:", call=picked)


def timeline(
    store: Store, visibility: str, today: date, lang: str, call_filter: filters.CallFilter
) -> tuple[Any, str, pd.DataFrame]:
    """The deadline timeline of the calls ``call_filter`` finds: its figure, sentence and
    table. For ``ui.shared``: built once per filter, day and data version (at 60 calls a
    third of the page's run), and only ever read."""
    df = ui.cached(catalogue.calls, visibility, today, lang, call_filter)
    rows = timeline_rows(df)
    figure = deadline_timeline(
        rows,
        today,
        status_names={s: t(f"funding.status.{s}", lang=lang) for s in STATUSES},
        today_label=t("funding.today", lang=lang),
        write_date=lambda day: format_date(day, lang),
    )
    sentence = timeline_sentence(df, lang)
    if len(df) > len(rows):
        sentence += " " + t("funding.timeline.limited", lang=lang, shown=len(rows), total=len(df))
    return figure, sentence, timeline_table(rows, lang)


def choice_names(store: Store) -> dict[int, str]:
    """Innovation id -> name, for choosing one (``ui.shared``: 10,000 of them)."""
    choices = matching.innovation_choices(store)
    return dict(zip(choices.id.astype(int).tolist(), choices.name.tolist(), strict=True))


def pick_innovation() -> int | None:
    """The innovation whose calls are shown (URL parameter ``innovation``)."""
    names = ui.shared(choice_names)
    seed_from_url("funding_innovation", "innovation", Int(), None)
    wanted = st.session_state.get("funding_innovation")
    if wanted is not None and wanted not in names:
        st.warning(
            t("matching.unknown_innovation", id=str(st.session_state["funding_innovation"])),
            icon=":material/search_off:",
        )
        st.session_state["funding_innovation"] = None
    st.selectbox(
        t("matching.pick_for_innovation"),
        list(names),
        index=None,
        placeholder=t("matching.pick_none"),
        format_func=names.get,
        key="funding_innovation",
    )
    chosen = st.session_state.get("funding_innovation")
    write_query(("innovation",), {} if chosen is None else {"innovation": str(chosen)})
    return chosen
