"""The comparison arranged for the page's views: the order of columns and criteria, the
heatmap's cells with their printed text, and the same grid as a table."""

from __future__ import annotations

import pandas as pd

from sihub.compare.display import short_labels, shown
from sihub.compare.queries import Comparison
from sihub.compare.selection import COLUMN_SORTS, CRITERION_SORT
from sihub.i18n import t

DOT_PLOT_MAX = 6  # more markers per row than this cannot be told apart


def sort_options(comparison: Comparison) -> list[str]:
    """How columns can be sorted: by the mean, by name, in the order chosen, or by a criterion."""
    return [*COLUMN_SORTS, *(f"{CRITERION_SORT}{c}" for c in comparison.criteria.code)]


def column_order(comparison: Comparison, sort: str) -> list[str]:
    """Column keys, best first on the chosen measure; missing values always last."""
    cols = comparison.columns
    if sort == "chosen":
        return cols.key.tolist()
    if sort == "name":
        return cols.sort_values("label", key=lambda s: s.str.casefold()).key.tolist()
    if sort.startswith(CRITERION_SORT):
        code = sort.removeprefix(CRITERION_SORT)
        values = comparison.cells[comparison.cells.criterion_code == code].set_index("key")["mean"]
        measure = cols.key.map(values)
    else:
        measure = cols["mean"]
    ordered = cols.assign(_m=pd.to_numeric(measure, errors="coerce"), _l=cols.label.str.casefold())
    return ordered.sort_values(
        ["_m", "_l"], ascending=[False, True], na_position="last"
    ).key.tolist()


def criteria_order(comparison: Comparison, by: str) -> list[str]:
    """Criterion codes grouped by dimension, or by how much the columns differ (widest first)."""
    codes = comparison.criteria.code.tolist()
    if by != "spread" or comparison.cells.empty:
        return codes
    spread = comparison.cells.groupby("criterion_code")["mean"].agg(lambda s: s.max() - s.min())
    spread = spread[comparison.cells.groupby("criterion_code").size() >= 2]
    position = {c: n for n, c in enumerate(codes)}
    return sorted(codes, key=lambda c: (-spread.get(c, -1.0), position[c]))


def matrix(comparison: Comparison, sort: str, criteria_sort: str) -> pd.DataFrame:
    """Criteria x columns of means (NaN = not assessed), in display order."""
    keys, codes = column_order(comparison, sort), criteria_order(comparison, criteria_sort)
    if comparison.cells.empty:
        return pd.DataFrame(index=codes, columns=keys, dtype=float)
    wide = comparison.cells.pivot(index="criterion_code", columns="key", values="mean")
    return wide.reindex(index=codes, columns=keys).astype(float)


def heatmap_cells(comparison: Comparison, sort: str, criteria_sort: str, display: str, lang: str):
    """Everything the heatmap draws: a long frame in display order (criterion by criterion,
    column by column) with the printed text and what each cell rests on."""
    grid = matrix(comparison, sort, criteria_sort)
    codes, keys = list(grid.index), list(grid.columns)
    out = pd.DataFrame(
        {
            "criterion_code": [c for c in codes for _ in keys],
            "key": keys * len(codes),
            "value": grid.to_numpy(dtype=float).ravel(),
        }
    )
    crit = comparison.criteria.set_index("code")
    cols = comparison.columns.set_index("key")
    out["criterion"] = out.criterion_code.map(crit.name)
    out["dimension"] = out.criterion_code.map(crit.dimension)
    out["column"] = out.key.map(cols.short)
    out["label"] = out.key.map(cols.label)
    levels = out.criterion_code.map(crit.levels)
    out["text"] = [shown(v, lv, display, lang) for v, lv in zip(out.value, levels, strict=True)]
    facts = out[["key", "criterion_code"]].merge(
        comparison.cells[["key", "criterion_code", "innovations", "assessors", "scores"]],
        on=["key", "criterion_code"],
        how="left",
    )
    out["basis"] = [
        "" if pd.isna(n) else cell_basis(n, a, s, lang)
        for n, a, s in zip(facts.innovations, facts.assessors, facts.scores, strict=True)
    ]
    return out


def cell_basis(innovations: int, assessors: int, scores_: int, lang: str) -> str:
    """What one cell rests on, e.g. "3 assessors, 3 scores" or "12 innovations, 7 assessors"."""
    if int(innovations) > 1:
        return t(
            "compare.cell_basis_group",
            lang=lang,
            innovations=int(innovations),
            assessors=int(assessors),
        )
    return t("compare.cell_basis", lang=lang, assessors=int(assessors), scores=int(scores_))


def column_table(comparison: Comparison, sort: str, criteria_sort: str, display: str, lang: str):
    """The heatmap as a table: one row per criterion, one column per innovation or group."""
    grid = matrix(comparison, sort, criteria_sort)
    crit = comparison.criteria.set_index("code").loc[grid.index]
    labels = comparison.columns.set_index("key").label
    table = pd.DataFrame(
        {
            t("common.dimension", lang=lang): crit.dimension.to_numpy(),
            t("common.criterion", lang=lang): crit.name.to_numpy(),
        }
    )
    levels = crit.levels.tolist()
    headers = short_labels([labels[k] for k in grid.columns], width=10_000)  # unique, uncut
    shown_columns = {
        header: [shown(v, lv, display, lang) for v, lv in zip(grid[key], levels, strict=True)]
        for header, key in zip(headers, grid.columns, strict=True)
    }
    return pd.concat([table, pd.DataFrame(shown_columns, index=table.index)], axis=1)
