"""Figures of the comparison and funder pages: pure builders, a frame and labels in, a figure out.

Scores are drawn on cividis (perceptually uniform, readable with colour-vision deficiencies);
a cell no one scored is drawn as a pale hatched-looking cell with the words "not assessed",
never as a colour of the scale, so that it cannot be read as a low score.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from sihub.charts import FONT, LEGEND_ABOVE, MISSING_COLOUR, SCORE_SCALE, plain, plain_list

NOT_ASSESSED_FILL = "#f2f2f2"  # lighter than any cividis colour; the cell also says it in words
NOT_ASSESSED_TEXT = "#6b6b6b"
BAND_COLOUR = "rgba(120, 120, 120, 0.18)"
MEDIAN_COLOUR = "#5a5a5a"
# Qualitative colours (Okabe-Ito) and marker shapes: six innovations stay apart in colour and shape.
SERIES_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9")
SERIES_SYMBOLS = ("circle", "diamond", "square", "triangle-up", "x", "star")
Ticks = tuple[list[float], list[str]]  # axis tick positions (0-100) and their labels


def _base(fig: go.Figure, height: int, legend: bool = False) -> go.Figure:
    fig.update_layout(
        height=height,
        margin=dict(l=10, r=10, t=30, b=10),
        font=FONT,
        plot_bgcolor="white",
        showlegend=legend,
        legend=LEGEND_ABOVE,
    )
    return fig


def _axis_rows(cells: pd.DataFrame, grouped: bool) -> list:
    """Y values of the heatmap rows: [dimensions, criteria] when grouping, else the names."""
    rows = cells.drop_duplicates("criterion_code")
    if grouped:
        return [plain_list(rows.dimension), plain_list(rows.criterion)]
    return plain_list(rows.criterion)


def _score_axis(fig: go.Figure, title: str, ticks: Ticks | None) -> None:
    """The 0-100 x axis of the dot charts, with a rating scale's ticks when given."""
    fig.update_xaxes(
        range=[-3, 103], title=plain(title), showgrid=True, gridcolor="#eeeeee", zeroline=False
    )
    if ticks:
        fig.update_xaxes(tickvals=ticks[0], ticktext=plain_list(ticks[1]))


def heatmap(
    cells: pd.DataFrame,
    *,
    not_assessed: str,
    colour_title: str,
    hover_value: str,
    grouped: bool = False,
    ticks: Ticks | None = None,
) -> go.Figure:
    """Criteria (rows) x innovations or groups (columns) with the value printed in each cell.

    ``cells``: a long frame in display order with criterion_code, criterion, dimension, column,
    label, value (0-1 or NaN), text and basis. ``grouped`` puts the dimension beside each
    criterion (rows are expected in dimension order). ``ticks``: colour-bar ticks (positions
    0-100 and labels), e.g. the levels of a shared rating scale; default 0-100.
    """
    tickvals, ticktext = ticks or ([0, 25, 50, 75, 100], ["0", "25", "50", "75", "100"])
    columns = plain_list(dict.fromkeys(cells.column))
    n_rows = cells.criterion_code.nunique()
    y_axis = _axis_rows(cells, grouped)
    shape = (n_rows, len(columns))
    value = cells.value.to_numpy(dtype=float).reshape(shape)
    text = pd.Series(plain_list(cells.text), dtype=object).to_numpy().reshape(shape)
    missing = pd.isna(value)
    custom = cells[["label", "basis"]].map(plain).to_numpy(dtype=object).reshape((*shape, 2))
    hover_value = plain(hover_value)
    scored = go.Heatmap(
        z=value,
        x=columns,
        y=y_axis,
        text=text,
        texttemplate="%{text}",
        customdata=custom,
        colorscale=SCORE_SCALE,
        zmin=0,
        zmax=1,
        xgap=2,
        ygap=2,
        colorbar=dict(
            title=dict(text=plain(colour_title), side="right"),
            tickvals=[v / 100 for v in tickvals],
            ticktext=plain_list(ticktext),
            thickness=12,
        ),
        hovertemplate=(
            f"%{{customdata[0]}}<br>%{{y}}<br>{hover_value}: %{{text}}<br>%{{customdata[1]}}"
            "<extra></extra>"
        ),
        name="scores",
    )
    gaps = go.Heatmap(
        z=[[1 if m else None for m in row] for row in missing],
        x=columns,
        y=y_axis,
        text=[[plain(not_assessed) if m else "" for m in row] for row in missing],
        texttemplate="%{text}",
        textfont=dict(color=NOT_ASSESSED_TEXT, size=11),
        customdata=custom,
        colorscale=[[0, NOT_ASSESSED_FILL], [1, NOT_ASSESSED_FILL]],
        showscale=False,
        xgap=2,
        ygap=2,
        hovertemplate="%{customdata[0]}<br>%{y}<br>%{text}<extra></extra>",
        name="not_assessed",
    )
    fig = go.Figure([scored, gaps])
    fig.update_xaxes(side="top", tickangle=-30, automargin=True)
    fig.update_yaxes(autorange="reversed", automargin=True)
    return _base(fig, height=max(260, 44 * n_rows + 150))


def _offsets(n: int, step: float = 0.12) -> list[float]:
    """Vertical offsets that keep up to ``n`` markers on one row apart (equal scores overlap)."""
    return [(k - (n - 1) / 2) * step for k in range(n)]


def dot_plot(
    points: pd.DataFrame,
    band: pd.DataFrame,
    *,
    x_title: str,
    band_label: str,
    median_label: str,
    ticks: Ticks | None = None,
) -> go.Figure:
    """Criteria as rows, one marker per innovation or group, the cohort's band behind.

    ``points``: criterion, column, x (0-100), text. ``band``: criterion, q25, median, q75 (0-100),
    in display order, with the band and the median as the page writes them (``text``,
    ``median_text``: "3,0–4,0" and "3,5" on a 1-5 scale, never 0-100). Missing scores have no row
    in ``points``: nothing is drawn for them. Markers of one row are offset a little so that
    equal scores stay visible.
    """
    order = band.criterion.tolist()
    row = {c: n for n, c in enumerate(order)}
    band_label, median_label = plain(band_label), plain(median_label)
    hovered = [
        plain_list(texts) for texts in zip(band.criterion, band.text, band.median_text, strict=True)
    ]
    traces: list[go.BaseTraceType] = [
        go.Bar(
            y=list(range(len(order))),
            x=band.q75 - band.q25,
            base=band.q25,
            orientation="h",
            marker_color=BAND_COLOUR,
            name=band_label,
            customdata=hovered,
            hovertemplate="%{customdata[0]}<br>" + band_label + ": %{customdata[1]}<extra></extra>",
            width=0.7,
        ),
        go.Scatter(
            y=list(range(len(order))),
            x=band["median"],
            mode="markers",
            marker=dict(symbol="line-ns", size=22, line=dict(width=2, color=MEDIAN_COLOUR)),
            name=median_label,
            customdata=hovered,
            hovertemplate="%{customdata[0]}<br>"
            + median_label
            + ": %{customdata[2]}<extra></extra>",
        ),
    ]
    columns = list(dict.fromkeys(points.column))
    offsets = _offsets(len(columns))
    for n, column in enumerate(columns):
        own = points[points.column == column]
        name = plain(str(column))
        traces.append(
            go.Scatter(
                y=[row[c] + offsets[n] for c in own.criterion],
                x=own.x,
                text=plain_list(own.text),
                customdata=plain_list(own.criterion),
                mode="markers",
                name=name,
                marker=dict(
                    size=11,
                    color=SERIES_COLOURS[n % len(SERIES_COLOURS)],
                    symbol=SERIES_SYMBOLS[n % len(SERIES_SYMBOLS)],
                    line=dict(width=1, color="white"),
                ),
                hovertemplate=f"{name}<br>%{{customdata}}: %{{text}}<extra></extra>",
            )
        )
    fig = go.Figure(traces)
    fig.update_yaxes(
        tickvals=list(range(len(order))),
        ticktext=plain_list(order),
        range=[len(order) - 0.5, -0.5],
        showgrid=False,
        automargin=True,
    )
    _score_axis(fig, x_title, ticks)
    fig.update_layout(barmode="overlay")
    return _base(fig, height=max(260, 46 * len(order) + 130), legend=True)


def paired_dots(
    pairs: pd.DataFrame,
    *,
    first_label: str,
    second_label: str,
    x_title: str,
    ticks: Ticks | None = None,
) -> go.Figure:
    """A dumbbell per criterion: ``first`` and ``second`` (0-100) joined by a line.

    ``pairs``: criterion, first, second, first_text, second_text, in display order. Used for
    change between rounds and for self-assessment beside external assessment.
    """
    order = plain_list(pairs.criterion)
    first_label, second_label = plain(first_label), plain(second_label)
    xs: list = []
    ys: list = []
    for row, criterion in zip(pairs.itertuples(), order, strict=True):
        xs += [row.first, row.second, None]
        ys += [criterion, criterion, None]
    traces = [
        go.Scatter(
            x=xs,
            y=ys,
            mode="lines",
            line=dict(color=MISSING_COLOUR, width=3),
            hoverinfo="skip",
            showlegend=False,
        ),
        go.Scatter(
            x=pairs["first"],
            y=order,
            text=plain_list(pairs.first_text),
            mode="markers",
            name=first_label,
            marker=dict(size=12, color="white", line=dict(width=2, color=SERIES_COLOURS[0])),
            hovertemplate=f"{first_label}<br>%{{y}}: %{{text}}<extra></extra>",
        ),
        go.Scatter(
            x=pairs["second"],
            y=order,
            text=plain_list(pairs.second_text),
            mode="markers",
            name=second_label,
            marker=dict(size=12, color=SERIES_COLOURS[0]),
            hovertemplate=f"{second_label}<br>%{{y}}: %{{text}}<extra></extra>",
        ),
    ]
    fig = go.Figure(traces)
    fig.update_yaxes(categoryorder="array", categoryarray=order, autorange="reversed")
    _score_axis(fig, x_title, ticks)
    return _base(fig, height=max(240, 40 * len(order) + 110), legend=True)


def radar_thumbnail(profile: pd.DataFrame, *, name: str) -> go.Figure:
    """A small single-profile radar (``criterion``, ``x`` 0-100 or NaN) in the frame's fixed
    order. Never for ranking: the page shows a table beside it."""
    closed = pd.concat([profile, profile.head(1)], ignore_index=True)
    fig = go.Figure(
        go.Scatterpolar(
            r=closed.x,
            theta=plain_list(closed.criterion),
            mode="lines+markers",
            fill="toself",
            connectgaps=False,
            line=dict(color=SERIES_COLOURS[0]),
            name=plain(name),
            hovertemplate="%{theta}: %{r:.0f}<extra></extra>",
        )
    )
    fig.update_layout(
        polar=dict(
            radialaxis=dict(range=[0, 100], showticklabels=False),
            angularaxis=dict(direction="clockwise", rotation=90, tickfont=dict(size=10)),
        )
    )
    return _base(fig, height=300)
