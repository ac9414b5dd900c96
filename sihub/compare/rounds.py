"""Change between assessment rounds of the compared innovations: criterion means per round,
the first and latest round side by side, and a summary per innovation."""

from __future__ import annotations

import pandas as pd

from sihub.access import Sight
from sihub.compare.queries import criterion_means
from sihub.compare.selection import Selection
from sihub.db.store import Store


def round_means(store: Store, visibility: Sight | str, selection: Selection) -> pd.DataFrame:
    """Criterion means per round of the compared innovations assessed in two or more rounds."""
    if selection.group_by or not selection.ids:
        return pd.DataFrame(columns=["innovation_id", "round", "criterion_code", "mean"])
    rows = criterion_means(store, visibility, selection, list(selection.ids), all_rounds=True)
    rows = rows[rows["round"].notna()]
    rounds = rows.groupby("innovation_id")["round"].nunique()
    return rows[rows.innovation_id.isin(rounds[rounds >= 2].index)].reset_index(drop=True)


def round_change(rounds: pd.DataFrame, criteria: pd.DataFrame) -> pd.DataFrame:
    """Per innovation and criterion: the first and latest round's means and the change."""
    columns = ["innovation_id", "criterion_code", "first_round", "first", "last_round", "last"]
    if rounds.empty:
        return pd.DataFrame(columns=[*columns, "change"])
    ordered = rounds.sort_values("round")
    grouped = ordered.groupby(["innovation_id", "criterion_code"], sort=False)
    out = grouped.agg(
        first_round=("round", "first"),
        first=("mean", "first"),
        last_round=("round", "last"),
        last=("mean", "last"),
    ).reset_index()
    out = out[out.first_round != out.last_round]
    out["change"] = out["last"] - out["first"]
    position = {c: n for n, c in enumerate(criteria.code)}
    out["_p"] = out.criterion_code.map(position)
    return out.sort_values(["innovation_id", "_p"]).drop(columns="_p").reset_index(drop=True)


def round_summary(change: pd.DataFrame) -> pd.DataFrame:
    """Per innovation: rounds compared and the mean change over the criteria scored in both."""
    if change.empty:
        return pd.DataFrame(
            columns=["innovation_id", "first_round", "last_round", "criteria", "mean_change"]
        )
    return (
        change.groupby("innovation_id")
        .agg(
            first_round=("first_round", "min"),
            last_round=("last_round", "max"),
            criteria=("criterion_code", "nunique"),
            mean_change=("change", "mean"),
            improved=("change", lambda s: int((s > 1e-9).sum())),
            declined=("change", lambda s: int((s < -1e-9).sum())),
        )
        .reset_index()
    )
