"""Figures of the ecosystem page: a tile map of Finland's 22 areas, the collaboration network,
the theme x target group matrix, pipeline lines and bars. Pure plotly builders; no Streamlit.

The tile map is a fixed grid that keeps the areas' rough places (Lapland at the top, the
Uusimaa areas and Helsinki at the bottom, the west coast on the left), so it needs no map data.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from sihub.charts import (
    COUNT_COLOUR,
    LEGEND_ABOVE,
    MISSING_COLOUR,
    SCORE_SCALE,
    plain,
    plain_list,
)
from sihub.charts import _layout as _base_layout

# area code -> (row, column); row 0 is the north. Codes are those of data/vocabularies.toml.
TILE_LAYOUT: dict[str, tuple[int, int]] = {
    "lapland": (0, 2),
    "central_ostrobothnia": (1, 1),
    "north_ostrobothnia": (1, 2),
    "kainuu": (1, 3),
    "ostrobothnia": (2, 0),
    "south_ostrobothnia": (2, 1),
    "central_finland": (2, 2),
    "north_savo": (2, 3),
    "north_karelia": (2, 4),
    "satakunta": (3, 0),
    "pirkanmaa": (3, 1),
    "paijat_hame": (3, 2),
    "south_savo": (3, 3),
    "south_karelia": (3, 4),
    "southwest_finland": (4, 0),
    "kanta_hame": (4, 1),
    "central_uusimaa": (4, 2),
    "east_uusimaa": (4, 3),
    "kymenlaakso": (4, 4),
    "west_uusimaa": (5, 1),
    "vantaa_kerava": (5, 2),
    "helsinki": (6, 2),
}
NO_VALUE = "#ececec"  # an area without a value: lighter than every colour of the scales
GRAVITY = 3.0  # pull towards the centre, so that separate groups stay close to each other
COUNT_SCALE = [[0.0, "#e8f0f7"], [1.0, COUNT_COLOUR]]  # one hue: a count is neither good nor bad
TYPE_COLOURS = (  # organisation types in the network, colour-blind safe (Okabe-Ito)
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
    "#999999",
)
LINE_DASHES = ("solid", "dash", "dot")  # a line past the colours: the next dash


def _layout(fig: go.Figure, height: int, legend: bool = False) -> go.Figure:
    return _base_layout(fig, None, height).update_layout(showlegend=legend)


def _grid(values: dict[str, float | None]) -> list[list[float | None]]:
    rows = 1 + max(r for r, _ in TILE_LAYOUT.values())
    cols = 1 + max(c for _, c in TILE_LAYOUT.values())
    grid: list[list[float | None]] = [[None] * cols for _ in range(rows)]
    for code, (r, c) in TILE_LAYOUT.items():
        if code in values:
            grid[r][c] = values[code]
    return grid


def tile_map(
    df: pd.DataFrame,
    value: str,
    *,
    kind: str,
    value_text: Sequence[str],
    hover: Sequence[str],
    labels: Mapping[str, str],
    score_ticks: Sequence[tuple[float, str]] = (),
) -> go.Figure:
    """Areas of ``df`` (code, name, ``value``) as tiles coloured by ``value``, each tile named
    by ``labels`` (area code -> a short name of the place). A score's colour bar is marked
    with ``score_ticks`` (stored 0-1 value, the level it stands for on the rated scale).

    ``kind`` "count" colours from 0 in one hue; "score" uses the 0-1 score scale. Areas with no
    value (no scored innovation) are grey, never coloured as zero. ``value_text`` and
    ``hover`` give each row's label under its name and its hover text.
    """
    rows = df[df.code.isin(list(TILE_LAYOUT))].reset_index(drop=True)
    values = {r.code: _number(getattr(r, value)) for r in rows.itertuples()}
    fig = go.Figure()
    fig.add_trace(  # every area as a grey tile; coloured tiles are drawn over it
        go.Heatmap(
            z=_grid({code: 0.0 for code in values}),
            colorscale=[[0, NO_VALUE], [1, NO_VALUE]],
            showscale=False,
            hoverinfo="skip",
            xgap=4,
            ygap=4,
        )
    )
    scale, zmax = (
        (COUNT_SCALE, max([v for v in values.values() if v is not None] or [1]))
        if (kind == "count")
        else (SCORE_SCALE, 1.0)
    )
    fig.add_trace(
        go.Heatmap(
            z=_grid(values),
            zmin=0,
            zmax=zmax,
            colorscale=scale,
            xgap=4,
            ygap=4,
            hoverinfo="skip",
            colorbar=_colour_bar(kind, score_ticks),
        )
    )
    fig.add_trace(_tile_labels(rows, values, labels, value_text, hover, zmax, kind))
    fig.update_xaxes(visible=False, range=[-0.5, 4.5])
    fig.update_yaxes(visible=False, autorange="reversed", scaleanchor="x", scaleratio=0.75)
    return _layout(fig, height=620)


def _number(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _colour_bar(kind: str, score_ticks: Sequence[tuple[float, str]]) -> dict:
    """A count's bar as counted; a score's on the scale it was rated on ("1" to "5"), never
    the stored 0-1."""
    bar: dict = dict(thickness=12, len=0.6)
    if kind == "score" and score_ticks:
        bar.update(
            tickvals=[at for at, _ in score_ticks], ticktext=[text for _, text in score_ticks]
        )
    return bar


def _tile_labels(rows, values, short, value_text, hover, zmax, kind) -> go.Scatter:
    """Names and values written on the tiles, dark or light by the tile's colour."""
    xs, ys, texts, colours = [], [], [], []
    for i, row in rows.iterrows():
        r, c = TILE_LAYOUT[row.code]
        v = values[row.code]
        xs.append(c)
        ys.append(r)
        texts.append(f"{_wrap(plain(short[row.code]))}<br><b>{plain(value_text[i])}</b>")
        dark_tile = v is not None and (v / zmax > 0.55 if kind == "count" else v < 0.45)
        colours.append("white" if dark_tile else "#1a1a1a")
    return go.Scatter(
        x=xs,
        y=ys,
        mode="text",
        text=texts,
        textfont=dict(color=colours, size=10),
        hovertext=plain_list(hover),
        hoverinfo="text",
        showlegend=False,
    )


def _wrap(name: str, width: int = 12) -> str:
    """Long names on two lines at a space or hyphen near the middle."""
    if len(name) <= width:
        return name
    cuts = [i for i, ch in enumerate(name) if ch in " -"]
    if not cuts:
        return name
    cut = min(cuts, key=lambda i: abs(i - len(name) / 2))
    keep = name[cut] if name[cut] == "-" else ""
    return name[:cut] + keep + "<br>" + name[cut + 1 :]


# the collaboration network -------------------------------------------------------------------
def spring_layout(
    ids: Sequence[int], edges: Sequence[tuple[int, int, float]], iterations: int = 150
) -> dict[int, tuple[float, float]]:
    """Deterministic force-directed positions (Fruchterman-Reingold) in [-1, 1]^2.

    Nodes start on a circle in the given order, so the same network always looks the same.
    """
    n = len(ids)
    if n == 0:
        return {}
    if n == 1:
        return {ids[0]: (0.0, 0.0)}
    index = {node: i for i, node in enumerate(ids)}
    angle = np.linspace(0, 2 * np.pi, n, endpoint=False)
    pos = np.column_stack([np.cos(angle), np.sin(angle)])
    pairs = np.array([(index[a], index[b], w) for a, b, w in edges if a in index and b in index])
    k = math.sqrt(4.0 / n)
    for step in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        dist = np.maximum(np.linalg.norm(delta, axis=2), 0.01)
        move = (delta / dist[..., None] * (k * k / dist)[..., None]).sum(1)  # repulsion
        if len(pairs):
            a, b, w = pairs[:, 0].astype(int), pairs[:, 1].astype(int), pairs[:, 2]
            d = pos[a] - pos[b]
            length = np.maximum(np.linalg.norm(d, axis=1), 0.01)
            pull = d / length[:, None] * (length * length / k * w)[:, None]
            np.add.at(move, a, -pull)
            np.add.at(move, b, pull)
        move -= GRAVITY * k * pos * np.linalg.norm(pos, axis=1)[:, None]  # keeps parts near
        heat = 0.1 * (1 - step / iterations) + 0.002
        length = np.maximum(np.linalg.norm(move, axis=1), 1e-9)
        pos += move / length[:, None] * np.minimum(length, heat)[:, None]
    pos -= pos.mean(0)
    pos /= max(np.abs(pos).max(), 1e-9)
    return {node: (float(pos[i, 0]), float(pos[i, 1])) for node, i in index.items()}


def network(
    nodes: pd.DataFrame,
    edges: pd.DataFrame,
    positions: dict[int, tuple[float, float]],
    *,
    labelled: int = 8,
) -> go.Figure:
    """Organisations (id, name, type_name, innovations, partners, hover) as circles sized by
    their innovations, coloured by type; a line for each pair that shares innovations, wider
    the more they share. The ``labelled`` most connected organisations carry their name."""
    fig = go.Figure()
    shown = edges[edges.source.isin(positions) & edges.target.isin(positions)]
    for weight, width in ((1, 0.8), (2, 2.0), (3, 3.5)):
        part = shown[(shown.shared >= weight) if weight == 3 else (shown.shared == weight)]
        xs, ys = [], []
        for e in part.itertuples():
            (x0, y0), (x1, y1) = positions[e.source], positions[e.target]
            xs += [x0, x1, None]
            ys += [y0, y1, None]
        if xs:
            fig.add_trace(
                go.Scatter(
                    x=xs,
                    y=ys,
                    mode="lines",
                    line=dict(width=width, color="#9aa5b1"),
                    hoverinfo="skip",
                    showlegend=False,
                )
            )
    nodes = nodes[nodes.id.isin(positions)].reset_index(drop=True)
    ranked = nodes.sort_values(["partners", "innovations"], ascending=False).head(labelled)
    placed = label_places(
        [(int(i), positions[i], plain(n)) for i, n in zip(ranked.id, ranked.name, strict=True)]
    )
    types = list(dict.fromkeys(nodes.type_name.fillna("–")))
    for n, type_name in enumerate(types):
        part = nodes[nodes.type_name.fillna("–") == type_name]
        fig.add_trace(
            go.Scatter(
                x=[positions[i][0] for i in part.id],
                y=[positions[i][1] for i in part.id],
                mode="markers+text",
                marker=dict(
                    size=[8 + 6 * math.sqrt(v) for v in part.innovations],
                    color=TYPE_COLOURS[n % len(TYPE_COLOURS)],
                    line=dict(width=1, color="white"),
                ),
                text=[
                    plain(name) if i in placed else ""
                    for i, name in zip(part.id, part.name, strict=True)
                ],
                textposition=[placed.get(i, "top center") for i in part.id],
                hovertext=plain_list(part.hover),
                hoverinfo="text",
                name=plain(type_name),
            )
        )
    fig.update_xaxes(visible=False, range=[-1.1, 1.1])  # the units label_places reckons in
    fig.update_yaxes(visible=False, range=[-1.15, 1.15])
    fig = _layout(fig, height=560, legend=True)
    fig.update_layout(legend=LEGEND_ABOVE)
    return fig


# Where a node's name may stand, in order of preference, and the box it then takes in the
# layout's units (positions span -1..1, drawn over about 850 by 400 pixels; 12 px text).
LABEL_SIDES = ("top center", "bottom center", "middle right", "middle left")
CHAR_W, LINE_H, GAP = 7.5 / 400, 18 / 180, 9 / 180


def label_places(
    labels: list[tuple[int, tuple[float, float], str]],
) -> dict[int, str]:
    """For each (id, (x, y), name), most important first: the side of its node where its name
    overlaps no name placed before, or no entry when every side would (its name is then on
    hover only): names printed over each other could not be read."""
    taken: list[tuple[float, float, float, float]] = []
    placed: dict[int, str] = {}
    for node, (x, y), name in labels:
        width = CHAR_W * len(name)
        boxes = {
            "top center": (x - width / 2, y + GAP, x + width / 2, y + GAP + LINE_H),
            "bottom center": (x - width / 2, y - GAP - LINE_H, x + width / 2, y - GAP),
            "middle right": (x + GAP, y - LINE_H / 2, x + GAP + width, y + LINE_H / 2),
            "middle left": (x - GAP - width, y - LINE_H / 2, x - GAP, y + LINE_H / 2),
        }
        for side in LABEL_SIDES:
            box = boxes[side]
            if not any(_overlap(box, other) for other in taken):
                taken.append(box)
                placed[node] = side
                break
    return placed


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


# matrices, lines and bars --------------------------------------------------------------------
def count_matrix(df: pd.DataFrame, rows: str, cols: str, value: str) -> go.Figure:
    """A heatmap of counts with the number written in every cell (zeros are real zeros)."""
    table = df.pivot_table(index=rows, columns=cols, values=value, sort=False, aggfunc="sum")
    fig = go.Figure(
        go.Heatmap(
            z=table.to_numpy(),
            x=plain_list(table.columns),
            y=plain_list(table.index),
            colorscale=COUNT_SCALE,
            zmin=0,
            text=table.to_numpy().astype(int),
            texttemplate="%{text}",
            hovertemplate="%{y} × %{x}: %{z}<extra></extra>",
            xgap=2,
            ygap=2,
            showscale=False,
        )
    )
    fig.update_xaxes(side="top", tickangle=-35, automargin=True)
    fig.update_yaxes(autorange="reversed", automargin=True)
    return _layout(fig, height=max(320, 34 * len(table.index) + 160))


def lines(
    df: pd.DataFrame, x: str, series: dict[str, str], *, y_title: str, y_range=None
) -> go.Figure:
    """One line per column of ``series`` (column -> legend name) over ``x``. Past the
    palette's nine colours a line is dashed, so that no two read alike (the framework's
    tenth dimension was drawn as its first)."""
    fig = go.Figure()
    for n, (column, name) in enumerate(series.items()):
        turn, colour = divmod(n, len(TYPE_COLOURS))
        fig.add_trace(
            go.Scatter(
                x=plain_list(df[x]),
                y=list(df[column]),
                mode="lines+markers",
                name=plain(name),
                line=dict(
                    color=TYPE_COLOURS[colour], width=2, dash=LINE_DASHES[turn % len(LINE_DASHES)]
                ),
            )
        )
    fig.update_yaxes(title=plain(y_title), gridcolor="#eeeeee", rangemode="tozero", range=y_range)
    fig = _layout(fig, height=380, legend=True)
    fig.update_layout(legend=LEGEND_ABOVE)
    return fig


def stacked_shares(
    df: pd.DataFrame, label: str, parts: dict[str, tuple[str, str]], *, x_title: str
) -> go.Figure:
    """Horizontal bars split into ``parts`` (column -> (legend name, colour)), as counts."""
    fig = go.Figure()
    for column, (name, colour) in parts.items():
        fig.add_trace(
            go.Bar(
                y=plain_list(df[label]),
                x=list(df[column]),
                name=plain(name),
                orientation="h",
                marker_color=colour,
                text=list(df[column]),
                textposition="inside",
            )
        )
    fig.update_layout(barmode="stack")
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(title=plain(x_title), gridcolor="#eeeeee")
    fig = _layout(fig, height=max(260, 40 * len(df) + 100), legend=True)
    fig.update_layout(legend=LEGEND_ABOVE)
    return fig


def labelled_bars(
    df: pd.DataFrame,
    label: str,
    value: str,
    *,
    text: Sequence[str],
    axis_title: str,
    missing_label: str | None = None,
) -> go.Figure:
    """Horizontal bars in the frame's order with ``text`` (numbers as the language writes
    them) at their ends; the row labelled ``missing_label`` is grey. (The axis's numbers get
    the language's marks where every chart gets them, in ``ui.plot``.)"""
    colours = [
        MISSING_COLOUR if missing_label is not None and lab == missing_label else COUNT_COLOUR
        for lab in df[label]
    ]
    fig = go.Figure(
        go.Bar(
            x=list(df[value]),
            y=plain_list(df[label]),
            orientation="h",
            marker_color=colours,
            text=plain_list(text),
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(
        title=plain(axis_title), gridcolor="#eeeeee", rangemode="tozero", tickformat=",~r"
    )
    fig = _layout(fig, height=max(220, 34 * len(df) + 70))
    fig.update_layout(margin=dict(r=90))
    return fig
