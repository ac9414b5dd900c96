"""Pure plotly figure builders: a DataFrame and labels in, a go.Figure out. No Streamlit here.

Colours: one hue for counts (a count is not good or bad), a perceptually uniform sequential
scale (cividis, readable with colour-vision deficiencies) for scores, and grey for anything
"not recorded" or "not assessed", which is never drawn as a zero.

Text is text: plotly reads HTML (``<a href>``, ``<br>``, entities) in every string it draws
(titles, ticks, legends, hovers, labels), so a builder passes every string it is given through
``plain`` and writes markup only of its own (``<br>``, ``<b>``, ``<extra>``).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import plotly.graph_objects as go

from sihub.text import escape_html

COUNT_COLOUR = "#2f6690"
MISSING_COLOUR = "#b8b8b8"
SCORE_SCALE = "cividis"
FONT = dict(family="Source Sans Pro, sans-serif", size=13)


def plain(value: object) -> object:
    """A string as plotly shows it: as written, never as HTML (``sihub.text.escape_html``);
    numbers and missing values pass unchanged."""
    return escape_html(value) if isinstance(value, str) else value


def plain_list(values: Iterable[object]) -> list:
    """``plain`` of each value, as a list (axis categories, texts, hovers)."""
    return [plain(v) for v in values]


# Decimal mark and thousands mark as each language writes numbers (plotly's layout.separators)
SEPARATORS = {"en": ".,", "fi": ",\u00a0", "sv": ",\u00a0"}

# A legend above the plot: below it, a legend lay over the axis's labels or title (the
# quarters' "2020/Q4" read "2020/Q"; a short profile chart's legend covered "1–5").
LEGEND_ABOVE = dict(orientation="h", x=0, y=1.02, xanchor="left", yanchor="bottom")


def _layout(fig: go.Figure, title: str | None, height: int) -> go.Figure:
    fig.update_layout(
        title=plain(title),
        height=height,
        margin=dict(l=10, r=10, t=40 if title else 10, b=10),
        font=FONT,
        plot_bgcolor="white",
        showlegend=False,
    )
    return fig


# Room beyond the longest bar for its number, written outside the bar: without it the number of
# the longest bar ran past the figure's edge and was cut ("23" at 1280 px, target groups).
LABEL_ROOM = 1.15


def count_bars(
    df: pd.DataFrame,
    label: str,
    count: str,
    *,
    title: str | None = None,
    axis_title: str = "",
    horizontal: bool = True,
    missing_label: str | None = None,
) -> go.Figure:
    """Bars of counts in the frame's order; the row labelled ``missing_label`` is drawn grey."""
    colours = [
        MISSING_COLOUR if missing_label and lab == missing_label else COUNT_COLOUR
        for lab in df[label]
    ]
    labels = plain_list(df[label])
    bar = go.Bar(
        x=df[count] if horizontal else labels,
        y=labels if horizontal else df[count],
        orientation="h" if horizontal else "v",
        marker_color=colours,
        text=df[count],
        textposition="outside",
        cliponaxis=False,
        hovertemplate="%{y}: %{x}<extra></extra>" if horizontal else "%{x}: %{y}<extra></extra>",
    )
    fig = go.Figure(bar)
    longest = pd.to_numeric(df[count], errors="coerce").max() if len(df) else None
    reach = [0, float(longest) * LABEL_ROOM] if longest and longest > 0 else None
    axis = dict(title=plain(axis_title), showgrid=True, gridcolor="#eeeeee", rangemode="tozero")
    if horizontal:
        fig.update_yaxes(autorange="reversed", automargin=True)
        fig.update_xaxes(**axis, range=reach)
    else:
        fig.update_yaxes(**axis, range=reach)
    return _layout(fig, title, height=max(220, 34 * len(df) + 60) if horizontal else 340)
