"""Drawing a plotly figure: the one call every chart goes through (``plot``).

Streamlit turns a figure into its wire form on every run: plotly deep-copies the whole figure
into a dict and encodes its arrays (``BaseFigure.to_dict``), then writes JSON. The pages' figures
are built once per data version and shared by every session (``ui.shared``) and never changed,
so the dict is made once per figure here; Streamlit only writes its JSON. At 10,000
innovations ``to_dict`` was a seventh of the overview's run (py-spy).

Every chart writes its numbers (ticks, hovers, bar labels plotly formats) with the reader's
decimal and thousands marks: 3,5 and 12 000 in Finnish and Swedish, not plotly's 3.5 and 12,000.
"""

from __future__ import annotations

import threading
from typing import Any

import plotly.graph_objects as go
import streamlit as st

from sihub.charts import SEPARATORS
from sihub.i18n import current_language

CONFIG = {"displaylogo": False}


class _DrawnFigure(go.Figure):
    """A figure that is drawn, never changed: its dict made once. Shares the state of the
    figure it stands for (no copy, no validation again)."""

    def to_dict(self) -> dict:
        made = self.__dict__.get("_sihub_dict")
        if made is None:
            made = super().to_dict()
            # the language's number marks, unless the figure chose its own
            made["layout"].setdefault("separators", self.__dict__["_sihub_separators"])
            self.__dict__["_sihub_dict"] = made  # past plotly's checked attribute setting
        return made


_LOCK = threading.Lock()


def _drawn(figure: go.Figure, lang: str = "en") -> _DrawnFigure:
    """The drawn stand-in of ``figure`` in ``lang``, kept on the figure itself, so that it
    lives and goes with it (sessions draw a shared figure at the same time: made once per
    language, under a lock)."""
    if isinstance(figure, _DrawnFigure):
        return figure
    kept = f"_sihub_drawn_{lang}"
    with _LOCK:
        found = figure.__dict__.get(kept)
        if found is None:
            found = _DrawnFigure.__new__(_DrawnFigure)
            found.__dict__.update(figure.__dict__)
            found.__dict__["_sihub_separators"] = SEPARATORS.get(lang, SEPARATORS["en"])
            figure.__dict__[kept] = found
        return found


def plot(figure: go.Figure, *, key: str | None = None, **kwargs: Any) -> None:
    """``figure`` on the page (full width unless ``width`` is given), without plotly's logo.
    The figure must not be changed after it is first drawn."""
    kwargs.setdefault("width", "stretch")
    st.plotly_chart(_drawn(figure, current_language()), key=key, config=CONFIG, **kwargs)
