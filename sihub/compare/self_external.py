"""Self-assessment beside external assessment of the compared columns, criterion by
criterion, each from its own latest round."""

from __future__ import annotations

import pandas as pd

from sihub.compare.queries import Comparison, cell_figures, column_rows
from sihub.db.store import Store


def _sides(store: Store, comparison: Comparison) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The self-assessed and the external cells of the compared columns (the comparison's own
    basis is reused, not recomputed)."""
    sel = comparison.selection
    other = "self" if sel.basis == "external" else "external"
    computed = cell_figures(column_rows(store, comparison.sight, sel.with_(basis=other), sel.keys))
    return (computed, comparison.cells) if other == "self" else (comparison.cells, computed)


def one_sided(store: Store, comparison: Comparison) -> pd.DataFrame:
    """Per compared column, the criteria that only one side scores (columns key,
    criterion_code, side: "self" or "external"): what the self vs external view leaves out,
    named rather than silently counted."""
    own, ext = _sides(store, comparison)
    scored = [frame.dropna(subset=["mean"])[["key", "criterion_code"]] for frame in (own, ext)]
    merged = scored[0].merge(scored[1], how="outer", indicator=True)
    merged = merged[merged["_merge"] != "both"]
    sides = merged["_merge"].map({"left_only": "self", "right_only": "external"}).astype(str)
    return merged[["key", "criterion_code"]].assign(side=sides.to_numpy())


def self_vs_external(store: Store, comparison: Comparison) -> pd.DataFrame:
    """Per compared column and criterion, where both exist: self-assessed and external means
    (each from its own latest round; the comparison's own basis is reused, not recomputed)."""
    own, ext = _sides(store, comparison)
    both = own[["key", "criterion_code", "mean"]].merge(
        ext[["key", "criterion_code", "mean"]],
        on=["key", "criterion_code"],
        suffixes=("_self", "_external"),
    )
    both = both.rename(columns={"mean_self": "self", "mean_external": "external"})
    both["difference"] = both["self"] - both["external"]
    return both


def self_external_summary(pairs: pd.DataFrame) -> pd.DataFrame:
    """Per column: criteria with both, mean difference, and on how many self is higher."""
    if pairs.empty:
        return pd.DataFrame(
            columns=["key", "criteria", "self_mean", "external_mean", "difference", "higher"]
        )
    return (
        pairs.groupby("key", sort=False)
        .agg(
            criteria=("criterion_code", "nunique"),
            self_mean=("self", "mean"),
            external_mean=("external", "mean"),
            difference=("difference", "mean"),
            higher=("difference", lambda s: int((s > 1e-9).sum())),
        )
        .reset_index()
    )
