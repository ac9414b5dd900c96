"""The room's big screen of the lion's den: counts, then results once revealed."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from sihub.access import Viewer
from sihub.charts.compare import dot_plot, heatmap
from sihub.i18n import t
from sihub.panel import links, results, scoring, sessions
from sihub.panel.sessions import REVEALED, PanelSession
from sihub.text import escape_markdown
from sihub.ui.frame import EMPTY_CELL, t_escaped
from sihub.ui.panel import (
    SCREEN_EVERY_S,
    SESSION_PARAM,
    int_param,
)
from sihub.ui.plots import plot


def screen_session(store) -> PanelSession | None:
    listed = sessions.list_sessions(store)
    wanted = int_param(st.query_params.get(SESSION_PARAM))
    ids = [s["id"] for s in listed]
    if not ids:
        st.title(t("nav.panel_screen"))
        st.info(t("panel.no_sessions"))
        return None
    return sessions.load_session(store, wanted if wanted in ids else ids[0])


def screen(store, viewer: Viewer, session_id: int, lang: str) -> None:
    """The current pitch and how many have scored it; its result once revealed; at the end the
    whole session side by side. Looks again every second."""

    @st.fragment(run_every=SCREEN_EVERY_S)
    def room() -> None:
        session = sessions.load_session(store, session_id)
        st.title(escape_markdown(session.name))
        _join_corner(session)
        current = session.current
        if current is not None:
            _current_pitch(store, viewer, session, current, lang)
        if session.pitches and all(p.state == REVEALED for p in session.pitches):
            _whole_session(store, viewer, session, lang)

    room()


def _join_corner(session: PanelSession) -> None:
    link = links.join_link(st.context.url, session.join_code)
    code_col, qr_col = st.columns([3, 1])
    code_col.markdown(t_escaped("panel.join_at", link=link, code=session.join_code))
    qr_col.image(links.qr_png(link), width=160, caption=t("panel.qr_caption"))


def _current_pitch(store, viewer, session, current, lang) -> None:
    st.header(escape_markdown(current.name))
    members = len(sessions.members(store, session.id))
    counted = scoring.scored_count(store, session.id, current.position)
    st.metric(t("panel.scored"), f"{counted} / {members}")
    st.caption(t(f"panel.state.{current.state}"))
    result = results.pitch_result(store, viewer, session, current.position, lang)
    if result is not None:
        _result(store, session, result, lang)


def _result(store, session, result, lang) -> None:
    shape = results.scale_shape(store, session.framework_code, lang)
    st.metric(t("panel.result"), shape.written(result.mean, lang))
    table = pd.DataFrame(
        {
            t("panel.criterion"): [c.name for c in result.criteria],
            t("panel.result"): [shape.written(c.mean, lang) for c in result.criteria],
            t("panel.spread"): [
                f"{shape.written(c.low, lang)} – {shape.written(c.high, lang)}"
                for c in result.criteria
            ],
        }
    )
    st.dataframe(table, hide_index=True, width="stretch", placeholder=EMPTY_CELL)
    st.markdown(escape_markdown(results.summary_sentence(result, shape, lang)))
    for comment in result.comments:
        st.markdown(f"> {escape_markdown(comment)}")


def _whole_session(store, viewer, session, lang) -> None:
    every = results.revealed_results(store, viewer, session, lang)
    if not every:
        return
    shape = results.scale_shape(store, session.framework_code, lang)
    st.header(t("panel.whole_session"))
    cells = results.side_by_side(every)
    cells["text"] = [shape.written(v, lang) for v in cells.value]
    cells["basis"] = [t("panel.basis", n=n) for n in cells.members]
    plot(
        heatmap(
            cells,
            not_assessed=t("panel.not_scored"),
            colour_title=t("panel.result"),
            hover_value=t("panel.result"),
            ticks=shape.ticks(lang),
        ),
        key="panel_heatmap",
    )
    points = cells.assign(x=cells.value * 100)
    band = points.groupby("criterion", sort=False).x.quantile([0.25, 0.5, 0.75]).unstack()
    band = band.reset_index().rename(columns={0.25: "q25", 0.5: "median", 0.75: "q75"})
    band["text"] = [
        f"{shape.written(low / 100, lang)} – {shape.written(high / 100, lang)}"
        for low, high in zip(band.q25, band.q75, strict=True)
    ]
    band["median_text"] = [shape.written(m / 100, lang) for m in band["median"]]
    plot(
        dot_plot(
            points,
            band,
            x_title=t("panel.result"),
            band_label=t("panel.band"),
            median_label=t("panel.median"),
            ticks=shape.ticks(lang),
        ),
        key="panel_dots",
    )
    st.subheader(t("panel.top"))
    for rank, r in enumerate(results.top_pitches(every), start=1):
        st.markdown(f"{rank}. **{escape_markdown(r.name)}** – {shape.written(r.mean, lang)}")
