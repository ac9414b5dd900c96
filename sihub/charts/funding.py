"""The deadline timeline of funding calls: a pure plotly builder (no Streamlit).

Every call listed has a mark. A call is a bar from its opening day to its deadline, coloured by
status; a continuous call runs to the end of the window, hatched (across all of it without an
opening day); a call with a deadline but no recorded opening day is a diamond on its deadline;
a call whose dates fall outside the window is a triangle at the edge it lies beyond, and one
without dates an open circle at today. Today is a vertical line.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go

from sihub.charts import FONT, plain, plain_list

STATUS_COLOURS = {  # a call's urgency reads from warm (closing) to cool (later); closed is grey
    "closing": "#d1495b",
    "open": "#2f6690",
    "continuous": "#3a7d44",
    "forthcoming": "#81a4cd",
    "closed": "#b8b8b8",
}
DAY_MS = 86_400_000


def deadline_timeline(
    df: pd.DataFrame,
    today: date,
    *,
    status_names: dict[str, str],
    today_label: str,
    window: tuple[int, int] = (60, 420),
    write_date: Callable[[date], str] = date.isoformat,
) -> go.Figure:
    """Bars per call in ``df`` (columns: label, opens_on, deadline, continuous, status).

    The x axis spans ``window`` days before and after ``today``; rows keep ``df``'s order,
    top to bottom. A hover gives the call's dates as ``write_date`` writes them (the page's
    language: 6.6.2026 in Finnish and Swedish).
    """
    start, end = today - timedelta(days=window[0]), today + timedelta(days=window[1])
    fig = go.Figure()
    for status, colour in STATUS_COLOURS.items():
        bars, points = [], []
        for row in df[df.status == status].itertuples():
            span = _bar(row, start, end, write_date)
            if span:
                bars.append((plain(row.label), span))
            else:
                points.append((plain(row.label), _point(row, today, start, end, write_date)))
        name = plain(status_names[status])
        if bars:
            fig.add_trace(_bar_trace(bars, colour, status, name))
        if points:  # named in the legend once, by the bars' entry when there are bars
            fig.add_trace(_markers(points, colour, status, name, legend=not bars))
    fig.add_shape(
        type="line",
        x0=today.isoformat(),
        x1=today.isoformat(),
        yref="paper",
        y0=0,
        y1=1,
        line=dict(color="#333333", width=2, dash="dot"),
    )
    fig.add_annotation(  # above the plot, clear of the top bar
        x=today.isoformat(),
        y=1,
        yref="paper",
        yanchor="bottom",
        yshift=4,
        text=plain(today_label),
        showarrow=False,
    )
    fig.update_xaxes(
        type="date",
        range=[start.isoformat(), end.isoformat()],
        gridcolor="#eeeeee",
        tickformat="%Y-%m",  # numbers read the same in Finnish, Swedish and English
    )
    fig.update_yaxes(
        autorange="reversed",
        automargin=True,
        categoryorder="array",
        categoryarray=plain_list(df.label),
    )
    height = max(280, 26 * len(df) + 150)
    top, bottom = 40, LEGEND_ROOM
    fig.update_layout(
        height=height,
        margin=dict(l=10, r=10, t=top, b=bottom),
        font=FONT,
        plot_bgcolor="white",
        barmode="overlay",
        # below the dates at the same distance however many calls (a share of the plot's
        # height put it over the dates of a short list)
        legend=dict(orientation="h", yanchor="top", y=-TICKS_PX / (height - top - bottom)),
    )
    return fig


TICKS_PX, LEGEND_ROOM = 28, 70  # the dates under the plot; the margin that holds the legend


def _day(value: object) -> date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def _bar(
    row: object, start: date, end: date, write_date: Callable[[date], str]
) -> tuple[date, date, bool, str] | None:
    """(first day, last day, continuous, the dates in words) of a call's bar within the window,
    or None when it has no span there. A continuous call without an opening day runs across
    the whole window: it has been open all along."""
    opens, deadline = _day(row.opens_on), _day(row.deadline)
    if row.continuous and deadline is None:
        first, last, continuous = opens or start, end, True
    elif opens is None or deadline is None:
        return None
    else:
        first, last, continuous = opens, deadline, False
    dates = f"{write_date(opens) if opens else ''} – {'' if continuous else write_date(last)}"
    first, last = max(first, start), min(last, end)
    return (first, last, continuous, dates) if first <= last else None


# A call without a bar in the window is a marker: on its deadline (or opening day) when that is
# in the window, else at the window's edge it lies beyond; a call without dates sits at today.
MARKERS = {
    "day": "diamond",
    "before": "triangle-left",
    "after": "triangle-right",
    "none": "circle-open",
}


def _point(
    row: object, today: date, start: date, end: date, write_date: Callable[[date], str]
) -> tuple[date, str, str]:
    """(where the marker stands, its symbol, the dates in words) of a call without a bar."""
    day = _day(row.deadline) or _day(row.opens_on)
    if day is None:
        return today, MARKERS["none"], "–"
    if day < start:
        return start, MARKERS["before"], write_date(day)
    if day > end:
        return end, MARKERS["after"], write_date(day)
    return day, MARKERS["day"], write_date(day)


def _bar_trace(bars: list, colour: str, status: str, name: str) -> go.Bar:
    # The deadline day is open, so a bar ends at the end of its deadline day (+1 day).
    return go.Bar(
        y=[label for label, _ in bars],
        x=[((last - first).days + 1) * DAY_MS for _, (first, last, _c, _d) in bars],
        base=[first.isoformat() for _, (first, _l, _c, _d) in bars],
        orientation="h",
        marker=dict(
            color=colour,
            pattern=dict(shape=["/" if cont else "" for _, (_f, _l, cont, _d) in bars]),
        ),
        name=name,
        legendgroup=status,
        customdata=[[dates] for _, (_f, _l, _c, dates) in bars],
        hovertemplate="%{y}<br>%{customdata[0]}<extra>" + name + "</extra>",
    )


def _markers(points: list, colour: str, status: str, name: str, legend: bool) -> go.Scatter:
    return go.Scatter(
        showlegend=legend,
        y=[label for label, _ in points],
        x=[day.isoformat() for _, (day, _s, _d) in points],
        mode="markers",
        marker=dict(symbol=[symbol for _, (_d, symbol, _w) in points], size=12, color=colour),
        name=name,
        legendgroup=status,
        customdata=[[dates] for _, (_d, _s, dates) in points],
        hovertemplate="%{y}<br>%{customdata[0]}<extra>" + name + "</extra>",
    )
