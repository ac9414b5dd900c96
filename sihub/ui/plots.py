"""Drawing a plotly figure: the one call every chart goes through (``plot``).

Streamlit turns a figure into its wire form on every run: plotly deep-copies the whole figure
into a dict and encodes its arrays (``BaseFigure.to_dict``), then writes JSON. The pages' figures
are built once per data version and shared by every session (``ui.shared``) and never changed,
so the dict is made once per figure here; Streamlit only writes its JSON. At 10,000
innovations ``to_dict`` was a seventh of the overview's run (py-spy).
"""

from __future__ import annotations

import threading
from typing import Any

import plotly.graph_objects as go
import streamlit as st

CONFIG = {"displaylogo": False}


class _DrawnFigure(go.Figure):
    """A figure that is drawn, never changed: its dict made once. Shares the state of the
    figure it stands for (no copy, no validation again)."""

    def to_dict(self) -> dict:
        made = self.__dict__.get("_sihub_dict")
        if made is None:
            made = super().to_dict()
            self.__dict__["_sihub_dict"] = made  # past plotly's checked attribute setting
        return made


_LOCK = threading.Lock()


def _drawn(figure: go.Figure) -> _DrawnFigure:
    """The drawn stand-in of ``figure``, kept on the figure itself, so that it lives and goes
    with it (sessions draw a shared figure at the same time: made once, under a lock)."""
    if isinstance(figure, _DrawnFigure):
        return figure
    with _LOCK:
        found = figure.__dict__.get("_sihub_drawn")
        if found is None:
            found = _DrawnFigure.__new__(_DrawnFigure)
            found.__dict__.update(figure.__dict__)
            figure.__dict__["_sihub_drawn"] = found
        return found


def plot(figure: go.Figure, *, key: str | None = None, **kwargs: Any) -> None:
    """``figure`` on the page (full width unless ``width`` is given), without plotly's logo.
    The figure must not be changed after it is first drawn."""
    kwargs.setdefault("width", "stretch")
    st.plotly_chart(_drawn(figure), key=key, config=CONFIG, **kwargs)
