"""The only package of ``sihub`` that imports Streamlit. This module: the frame's API that
pages use (``get_store``, ``cached``, ``show_error``, ``today``; see ``ui.frame``), links to
pages (``link``, from ``ui.url``), catalogue text with data in it for Markdown (``t_escaped``)
and the widgets that several pages share. Each page's own widgets live in ``ui/<feature>.py``.

How a page imports: its own widgets module under its own name (``from sihub.ui import
compare``), and from the library only the names it uses (``from sihub.compare.queries import
comparison_of``), never the library module of the same name. On a page, ``compare.`` then
always means the page's widgets, and no alias (``view``, ``explorer``, ``fui``) hides which
module is meant.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import streamlit as st

from sihub.access import Sight, seen_text
from sihub.db import Store
from sihub.i18n import current_language, date_pattern, datetime_pattern, format_number, t

# By name: ``overview`` here would be replaced by the submodule sihub.ui.overview on import.
from sihub.overview import NOT_RECORDED, is_empty
from sihub.text import escape_markdown
from sihub.ui.frame import (
    EMPTY_CELL,
    cached,
    choose_language,
    demo_notice,
    frame_store,
    frame_viewer,
    get_store,
    language_switch,
    navigation_pages,
    note_write,
    page_for,
    shared,
    show_error,
    sight,
    t_escaped,
    today,
    viewer,
)
from sihub.ui.plots import plot
from sihub.ui.url import link

__all__ = [
    "arrow_table",
    "cached",
    "chart_with_words",
    "choose_language",
    "decimal_text",
    "demo_notice",
    "distribution",
    "empty_state",
    "frame_store",
    "frame_viewer",
    "get_store",
    "language_switch",
    "link",
    "metric",
    "navigation_pages",
    "note_write",
    "page_for",
    "plot",
    "rests_on",
    "sent_table",
    "shared",
    "show_error",
    "sight",
    "t_escaped",
    "today",
    "viewer",
]


def empty_state(store: Store) -> bool:
    """Say that the store is empty; True if it is (read once per data version: every page
    asks). Staff are told how to load data, with a link to the Import page; others, who cannot
    import, that the centre's staff add it (and nothing of the store's path)."""
    if not shared(is_empty):
        return False
    if not viewer().may("import"):
        st.info(t("empty.visitor"), icon=":material/inbox:")
        return True
    body = t("empty.body", db=escape_markdown(store.path), command="python -m sihub demo")
    st.info(body, icon=":material/inbox:")
    link("importing")
    return True


def rests_on(seen: Sight | str) -> None:
    """Which assessments the scores on the page rest on (``sihub.access``), said one way."""
    st.caption(
        t("access.rests_on_note", what=seen_text(seen)),
        help=t("access.visibility_help"),
    )


def metric(column: Any, label: str, value: str, note: str | None = None) -> None:
    """A headline number with the fact it rests on written under it."""
    with column:
        st.metric(label, value, border=True)
        if note:
            st.caption(note)


def distribution(
    counts: Callable[..., pd.DataFrame],
    args: tuple,
    what: str,
    label_title: str,
    *,
    horizontal: bool = True,
    key: str | None = None,
) -> None:
    """Innovations per category, ``counts(store, *args)`` (``sihub.overview``'s form), as
    bars, words and table."""
    lang = current_language()
    # the query, not its answer, in the key: a frame would be pickled to be compared
    parts = shared(_distribution_parts, counts, args, what, label_title, horizontal, lang)
    chart_with_words(*parts, key=key)


def _distribution_parts(
    store: Store,
    counts: Callable[..., pd.DataFrame],
    args: tuple,
    what: str,
    label_title: str,
    horizontal: bool,
    lang: str,
) -> tuple[Any, str, pd.DataFrame]:
    """A distribution's figure, sentence and table: built once per data version and language
    (``shared``; the three distributions were most of the overview's run, plotly's figure
    building the largest part), only ever read."""
    from sihub import charts, narrative

    df = counts(store, *args)
    recorded = df[df.code != NOT_RECORDED]
    missing = int(df.loc[df.code == NOT_RECORDED, "innovations"].sum())
    figure = charts.count_bars(
        df,
        "label",
        "innovations",
        horizontal=horizontal,
        axis_title=t("common.innovations", lang=lang),
        missing_label=t("common.not_recorded", lang=lang),
    )
    sentence = narrative.distribution_sentence(
        recorded, "label", "innovations", what, missing=missing, lang=lang
    )
    table = df[["label", "innovations"]].rename(
        columns={"label": label_title, "innovations": t("common.innovations", lang=lang)}
    )
    return figure, sentence, table


def chart_with_words(
    figure: Any, sentence: str, table: pd.DataFrame | None = None, key: str | None = None
) -> None:
    """A chart, the same thing said in a sentence, and the numbers as a table on request."""
    plot(figure, key=key)
    st.markdown(escape_markdown(sentence))
    if table is not None:
        with st.expander(t("common.show_table")):
            sent, columns = sent_table(table)
            st.dataframe(
                sent,
                hide_index=True,
                width="stretch",
                column_config=columns,
                placeholder=EMPTY_CELL,
            )


# Shared tables as Streamlit sends them, by the id of the table while it lives.
_SENT: dict[tuple[int, str], tuple[pa.Table, dict[str, Any]]] = {}
_SENDING = threading.Lock()


def sent_table(frame: pd.DataFrame) -> tuple[pa.Table, dict[str, Any]]:
    """A table that is shown, never changed (a ``shared`` answer's), as Streamlit sends it,
    with its dates' settings (``date_columns``), made once per table and language: Streamlit
    converts a pandas table to Arrow on every run, a third of the overview's run at 10,000
    innovations (py-spy). Converted by ``arrow_table``; the index is left out (tables are
    shown without it)."""
    key = (id(frame), current_language())
    with _SENDING:
        found = _SENT.get(key)
    if found is None:
        found = (arrow_table(frame), date_columns(frame))
        with _SENDING:
            if key not in _SENT:
                weakref.finalize(frame, _SENT.pop, key, None)
            _SENT[key] = found
    return found


def choice_box(
    container: Any,
    label: str,
    options: list,
    *,
    key: str,
    lang: str,
    format_func: Callable[[Any], str],
    on_change: Callable[[], None] | None = None,
    **kwargs: Any,
) -> Any:
    """A selectbox over codes whose shown choice follows the language at once, the choice kept.

    Streamlit knows a keyed selectbox by its key alone, and the browser then keeps the text
    it shows when only the labels change: after a language switch the box would read in the
    old language until a reload. So the box is keyed per language (``<key>.<lang>``) and the
    choice itself, a code, lives under ``key``, which the page reads, seeds and sets."""
    shown = f"{key}.{lang}"
    if st.session_state.get(key) in options:
        st.session_state[shown] = st.session_state[key]

    def keep() -> None:
        st.session_state[key] = st.session_state[shown]
        if on_change is not None:
            on_change()

    value = container.selectbox(
        label, options, format_func=format_func, key=shown, on_change=keep, **kwargs
    )
    st.session_state[key] = value
    return value


def decimal_text(frame: pd.DataFrame, decimals: dict[str, int], lang: str) -> pd.DataFrame:
    """``frame`` with the named number columns written as the language writes them ("0,25" in
    fi/sv): Streamlit's number formats always write a decimal point. Missing stays missing."""
    written = {
        name: [None if pd.isna(v) else format_number(v, lang, places) for v in frame[name]]
        for name, places in decimals.items()
    }
    return frame.assign(**written)


def date_columns(frame: pd.DataFrame) -> dict[str, Any]:
    """Column settings that write a table's dates and times as the page's language does
    (Streamlit would write 2026-12-04 00:00:00), for tables without settings of their own."""
    found: dict[str, Any] = {}
    for name in frame.columns:
        column = frame[name]
        if not (column.dtype == object or pd.api.types.is_datetime64_any_dtype(column)):
            continue  # text, numbers, flags: no dates (and thousands of rows are not scanned)
        values = column.dropna()
        if pd.api.types.is_datetime64_any_dtype(values):
            timed = bool((values != values.dt.normalize()).any())
        elif len(values) and all(isinstance(v, date) for v in values):
            timed = any(isinstance(v, datetime) for v in values)
        else:
            continue
        found[name] = (
            st.column_config.DatetimeColumn(format=datetime_pattern())
            if timed
            else st.column_config.DateColumn(format=date_pattern())
        )
    return found


CHAR_PX, NAME_PX = 7.5, (180, 500)  # a character of the table font; a name column's least, most


def name_width(names: Any) -> int:
    """Pixels for a column of names wide enough to show the longest whole, so that two pilots
    of one model ("… – Oulu", "… – Turku") can be told apart; within NAME_PX."""
    lengths = pd.Series(names, dtype="str").str.len()  # at C speed: 10,000 names a run
    longest = int(lengths.max()) if lengths.notna().any() else 0
    return int(min(NAME_PX[1], max(NAME_PX[0], CHAR_PX * longest + 24)))


def arrow_table(frame: pd.DataFrame) -> pa.Table:
    """``frame`` in the form Streamlit sends a table in, for a large table built once
    (``shared``) and sent to every visitor: a text column that repeats its values (stages,
    statuses, organisations) is sent as a dictionary, each value once and each cell as a
    small number. The explorer's 10,000 rows went from 2.5 MB to 0.84 MB; the grid shows
    and sorts them as before."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    for i, field in enumerate(table.schema):
        if not (pa.types.is_string(field.type) or pa.types.is_large_string(field.type)):
            continue
        column = table.column(i)
        distinct = pc.count_distinct(column).as_py()
        if distinct <= len(column) // 2:
            index = pa.int8() if distinct < 2**7 else pa.int16() if distinct < 2**15 else pa.int32()
            encoded = column.dictionary_encode().cast(pa.dictionary(index, field.type))
            table = table.set_column(i, field.name, encoded)
    return table
