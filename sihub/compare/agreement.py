"""Assessor agreement across the compared columns: how far assessors' scores lie apart per
criterion, and the cells where they disagree strongly (``scores.DISAGREEMENT``)."""

from __future__ import annotations

import pandas as pd

from sihub.compare.display import shown
from sihub.compare.queries import Comparison


def agreement(comparison: Comparison) -> pd.DataFrame:
    """Per criterion across the compared columns: assessors, typical and widest spread, and how
    many of the compared innovations' scores on it show strong disagreement."""
    cells = comparison.cells
    crit = comparison.criteria[["code", "name", "dimension"]].rename(
        columns={"code": "criterion_code"}
    )
    if cells.empty:
        return crit.assign(assessors=0, median_spread=None, max_spread=None, disagreements=0)
    per = cells.groupby("criterion_code").agg(
        median_spread=("spread", "median"),
        max_spread=("spread", "max"),
        disagreements=("disagreements", "sum"),
        assessed=("innovations", "sum"),
    )
    per["assessors"] = cells.groupby("criterion_code")["assessors"].max()
    out = crit.merge(per, left_on="criterion_code", right_index=True, how="left")
    for column in ("disagreements", "assessed", "assessors"):
        out[column] = out[column].fillna(0).astype(int)
    return out.reset_index(drop=True)


def disagreements(comparison: Comparison) -> pd.DataFrame:
    """The cells where assessors disagree strongly (innovations) or that hold such
    innovations (groups), widest spread first."""
    flagged = comparison.cells[comparison.cells.disagreements > 0]
    names = comparison.criteria.set_index("code")
    labels = comparison.columns.set_index("key").label
    out = flagged.assign(
        label=flagged.key.map(labels),
        criterion=flagged.criterion_code.map(names.name),
        levels=flagged.criterion_code.map(names.levels),
    )
    return out.sort_values(["spread", "label"], ascending=[False, True]).reset_index(drop=True)


def disagreement_table(flagged: pd.DataFrame, display: str, lang: str) -> pd.DataFrame:
    """The flagged cells as a table: who, on which criterion, how many assessors, the range
    (for a group: how many of its innovations hold such a disagreement)."""
    levels = flagged.levels.tolist()

    def texts(values: pd.Series) -> list[str]:
        return [shown(v, lv, display, lang) for v, lv in zip(values, levels, strict=True)]

    return pd.DataFrame(
        {
            "label": flagged.label,
            "criterion": flagged.criterion,
            "assessors": flagged.assessors,
            "low": texts(flagged.low),
            "high": texts(flagged.high),
            "innovations": flagged.disagreements,
        }
    )
