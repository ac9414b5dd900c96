"""Figures of the pipeline explorer and the innovation profile: DataFrames in, go.Figure out.

"Not recorded" is grey and never drawn as a zero; counts are one hue; scores sit on a fixed
0-1 axis so that profiles can be compared by eye.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from sihub.charts import COUNT_COLOUR, LEGEND_ABOVE, _layout, plain, plain_list

STAGE_COLOURS = ("#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594")
ENTRY_COLOUR = "#d9d9d9"
MINE = "#1b3a5c"
SELF = "#d95f02"
ASSESSOR = "#6a8caf"
COHORT = "#bdbdbd"


def stage_theme_heatmap(matrix: pd.DataFrame, *, stage_title: str, theme_title: str) -> go.Figure:
    """Innovations per stage (rows) and theme (columns), the count written in every cell."""
    z = matrix.to_numpy()
    text = [[str(v) if v else "" for v in row] for row in z]
    stage_title, theme_title = plain(stage_title), plain(theme_title)
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=plain_list(matrix.columns),
            y=plain_list(matrix.index),
            text=text,
            texttemplate="%{text}",
            colorscale=[[0, "#ffffff"], [1, COUNT_COLOUR]],
            showscale=False,
            xgap=2,
            ygap=2,
            hovertemplate=f"{stage_title}: %{{y}}<br>{theme_title}: %{{x}}<br>%{{z}}"
            "<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", automargin=True, title=stage_title)
    fig.update_xaxes(tickangle=-35, automargin=True, title=theme_title, side="top")
    return _layout(fig, None, height=max(260, 44 * len(matrix.index) + 170))


def movement_bars(
    moves: pd.DataFrame, *, entry_label: str, axis_title: str, stage_names: list[str]
) -> go.Figure:
    """Moves into each stage per year, stacked by destination; first entries drawn grey.

    ``moves``: year, from_stage (missing = the innovation's first recorded stage), to_stage,
    innovations.
    """
    fig = go.Figure()
    entries = moves[moves.from_stage.isna()].groupby("year")["innovations"].sum()
    if not entries.empty:
        fig.add_trace(
            go.Bar(
                x=entries.index.astype(str),
                y=entries.values,
                name=plain(entry_label),
                marker_color=ENTRY_COLOUR,
            )
        )
    moved = moves[moves.from_stage.notna()]
    for n, stage in enumerate(stage_names):
        per_year = moved[moved.to_stage == stage].groupby("year")["innovations"].sum()
        if per_year.empty:
            continue
        fig.add_trace(
            go.Bar(
                x=per_year.index.astype(str),
                y=per_year.values,
                name=plain(stage),
                marker_color=STAGE_COLOURS[min(n, len(STAGE_COLOURS) - 1)],
            )
        )
    fig.update_layout(barmode="stack")
    fig.update_yaxes(
        title=plain(axis_title), showgrid=True, gridcolor="#eeeeee", rangemode="tozero"
    )
    fig.update_xaxes(type="category")
    fig = _layout(fig, None, height=360)
    fig.update_layout(showlegend=True, legend=LEGEND_ABOVE)
    return fig


def criterion_dot_plot(
    comparison: pd.DataFrame,
    assessors: pd.DataFrame,
    labels: dict[str, str],
    axis: tuple[float, float, str] = (0.0, 1.0, "0–1"),
) -> go.Figure:
    """Per criterion (rows): the cohort's quartile range and median, each assessor's score,
    this innovation's external mean and its self-assessment, all on the 0-1 scale.

    ``comparison``: criterion_code, criterion, mean, self_mean, cohort_p25, cohort_median,
    cohort_p75 (``profile.criterion_comparison``); ``assessors``: criterion_code, assessor,
    scope, normalised. ``labels``: legend names (cohort, median, assessor, mine, self).
    """
    names = dict(zip(comparison.criterion_code, plain_list(comparison.criterion), strict=True))
    y = plain_list(comparison.criterion)
    labels = {key: plain(label) for key, label in labels.items()}
    fig = go.Figure()
    spans_x, spans_y = [], []
    for row, criterion in zip(comparison.itertuples(), y, strict=True):
        if pd.notna(row.cohort_p25):
            spans_x += [row.cohort_p25, row.cohort_p75, None]
            spans_y += [criterion, criterion, None]
    # Only what this innovation has is drawn and named in the legend (no self-assessment,
    # no "Self-assessment" in the legend)
    if spans_x:
        fig.add_trace(
            go.Scatter(
                x=spans_x,
                y=spans_y,
                mode="lines",
                line=dict(color=COHORT, width=12),
                name=labels["cohort"],
                hoverinfo="skip",
            )
        )
    if comparison.cohort_median.notna().any():
        median = dict(symbol="line-ns", size=16, line=dict(width=3, color="#636363"))
        fig.add_trace(_per_criterion(comparison.cohort_median, y, median, labels["median"]))
    external = assessors[assessors.scope == "external"]
    if not external.empty:
        fig.add_trace(
            go.Scatter(
                x=external.normalised,
                y=[names.get(c, c) for c in external.criterion_code],
                mode="markers",
                marker=dict(size=8, color="rgba(0,0,0,0)", line=dict(width=1.5, color=ASSESSOR)),
                name=labels["assessor"],
                text=plain_list(external.assessor),
                hovertemplate="%{text}: %{x:.2f}<extra></extra>",
            )
        )
    if comparison.self_mean.notna().any():
        self_mark = dict(symbol="triangle-up", size=11, color=SELF)
        fig.add_trace(_per_criterion(comparison.self_mean, y, self_mark, labels["self"]))
    fig.add_trace(_per_criterion(comparison["mean"], y, dict(size=14, color=MINE), labels["mine"]))
    low, high, title = axis  # the framework's own scale (1-5), as the table beside it
    margin = 0.05 * (high - low)
    fig.update_xaxes(
        range=[low - margin, high + margin], showgrid=True, gridcolor="#eeeeee", title=title
    )
    fig.update_yaxes(autorange="reversed", automargin=True, categoryorder="array", categoryarray=y)
    fig = _layout(fig, None, height=max(300, 42 * len(y) + 120))
    fig.update_layout(showlegend=True, legend=LEGEND_ABOVE)
    return fig


def _per_criterion(x: pd.Series, y: list, marker: dict, name: str) -> go.Scatter:
    """One mark per criterion (a mean or a median), named in the legend and on hover."""
    return go.Scatter(
        x=x,
        y=y,
        mode="markers",
        marker=marker,
        name=name,
        hovertemplate="%{y}: %{x:.2f}<extra>" + name + "</extra>",
    )
