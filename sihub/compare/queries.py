"""The numbers behind the comparison: reference data, what can be compared, and the
comparison itself (``comparison_of``) with what every cell and column rests on.

What can be compared, and with which assessments, is what the viewer may see: the functions
that read assessments take what the viewer sees after the store (a visibility, or a ``Sight``
of ``sihub.access`` that adds a panel member's unshared panel ratings), and the selection can
only narrow it (``Selection.visibility_for``). None reads the per-visibility derived tables:
all read the assessments themselves, so a sight needs no summaries of its own."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from sihub import scores
from sihub.access import Sight, Visibility, visible_assessments_sql
from sihub.compare.display import short_labels
from sihub.compare.selection import BASES, Selection
from sihub.db.sql import sql_language
from sihub.db.store import Store
from sihub.i18n import t
from sihub.pipeline.filters import NOT_RECORDED
from sihub.reference.outcomes import (
    Outcome,
    framework_rules,
    group_outcome_text,
    outcome_of,
    outcome_text,
)
from sihub.reference.vocabularies import vocabulary_names
from sihub.scores import DISAGREEMENT

# group kind -> (vocabulary table, SQL of (innovation_id, code) pairs)
_MEMBERS: dict[str, tuple[str, str]] = {
    "theme": ("themes", "SELECT innovation_id, theme_code AS code FROM innovation_themes"),
    "target_group": (
        "target_groups",
        "SELECT innovation_id, target_group_code AS code FROM innovation_target_groups",
    ),
    "stage": (
        "stages",
        "SELECT id AS innovation_id, stage_code AS code FROM innovations "
        "WHERE stage_code IS NOT NULL",
    ),
    "region": ("regions", "SELECT innovation_id, region_code AS code FROM innovation_regions"),
    "org_type": (
        "org_types",
        "SELECT DISTINCT io.innovation_id, o.org_type AS code FROM innovation_organisations io "
        "JOIN organisations o ON o.id = io.organisation_id "
        "WHERE io.role = 'lead' AND o.org_type IS NOT NULL",
    ),
}


@dataclass(frozen=True)
class Comparison:
    """The numbers behind every view of the comparison page.

    ``columns``: one row per compared innovation or group (key, label, short, mean,
    criteria_scored, criteria_total, innovations, assessors, scores, latest_assessed_on).
    ``cells``: one row per column and scored criterion (key, criterion_code, mean, low, high,
    spread, innovations, scores, assessors, disagreements). ``low``/``high`` are the lowest and
    highest score behind the mean: an assessor's for an innovation, an innovation's for a group.
    """

    selection: Selection
    criteria: pd.DataFrame
    columns: pd.DataFrame
    cells: pd.DataFrame
    sight: Sight  # the assessments compared (the viewer's, narrowed by the selection)

    @property
    def visibility(self) -> Visibility:
        return self.sight.visibility

    @property
    def is_empty(self) -> bool:
        return self.cells.empty

    @property
    def unknown(self) -> tuple[str, ...]:
        """Keys asked for that are not in the store (they have no column)."""
        found = set(self.columns.key)
        return tuple(k for k in self.selection.keys if k not in found)


# reference: frameworks, criteria, scales ------------------------------------------------------
def frameworks_with_scores(store: Store, visibility: Sight | str, lang: str) -> pd.DataFrame:
    """Frameworks that have at least one active assessment ``visibility`` sees, default
    framework first."""
    lang = sql_language(lang)
    return store.query(
        f"""
        SELECT f.code, f.name_{lang} AS name, f.provisional,
               count(DISTINCT a.innovation_id) AS innovations
        FROM frameworks f JOIN assessments a
          ON a.framework_code = f.code AND a.superseded_by_batch IS NULL
         AND {visible_assessments_sql(visibility, "a")}
        GROUP BY f.code, f.name_{lang}, f.provisional, f.sort_order
        ORDER BY f.code <> ?, f.sort_order, f.code""",
        [scores.DEFAULT_FRAMEWORK],
    )


def criteria_frame(store: Store, framework: str, lang: str) -> pd.DataFrame:
    """The framework's criteria in dimension order, with their scales' kinds and levels."""
    lang = sql_language(lang)
    df = store.query(
        f"""
        SELECT c.code, c.name_{lang} AS name, c.dimension_code,
               coalesce(d.name_{lang}, c.dimension_code) AS dimension,
               coalesce(d.sort_order, 999) AS dimension_order, c.sort_order,
               c.scale_code, s.kind AS scale_kind, s.name_{lang} AS scale
        FROM criteria c LEFT JOIN dimensions d ON d.code = c.dimension_code
        LEFT JOIN scales s ON s.code = c.scale_code
        WHERE c.framework_code = ? AND NOT c.retired
        ORDER BY dimension_order, c.sort_order""",
        [framework],
    )
    levels = scale_levels(store, lang)
    df["levels"] = [levels.get(code, ()) for code in df.scale_code]
    return df


def scale_levels(store: Store, lang: str) -> dict[str, tuple[tuple, ...]]:
    """Per scale: its levels as (code, value, normalised, label), in order."""
    lang = sql_language(lang)
    out: dict[str, list[tuple]] = {}
    for code, level, value, normalised, label in store.rows(
        f"SELECT scale_code, code, value, normalised, label_{lang} "
        f"FROM scale_levels ORDER BY scale_code, sort_order"
    ):
        out.setdefault(code, []).append((level, value, normalised, label))
    return {k: tuple(v) for k, v in out.items()}


# options --------------------------------------------------------------------------------------
def innovation_options(store: Store, visibility: Sight | str, framework: str) -> pd.DataFrame:
    """Innovations assessed on ``framework`` (any type) in assessments ``visibility`` sees:
    id, name, organisation, latest date."""
    return store.query(
        f"""
        SELECT i.id, i.name,
               (SELECT min(o.name) FROM innovation_organisations io
                JOIN organisations o ON o.id = io.organisation_id
                WHERE io.innovation_id = i.id AND io.role = 'lead') AS organisation,
               max(a.assessed_on) AS latest_assessed_on
        FROM innovations i JOIN assessments a
          ON a.innovation_id = i.id AND a.framework_code = ? AND a.superseded_by_batch IS NULL
         AND {visible_assessments_sql(visibility, "a")}
        GROUP BY i.id, i.name ORDER BY i.name, i.id""",
        [framework],
    )


def innovation_labels(store: Store, visibility: Sight | str, framework: str) -> dict[int, str]:
    """``innovation_options`` as id -> "name · lead organisation" (the name alone without
    one), in the same order: what the innovation picker lists. Built column-wise, once per
    data version (10,000 options were a Python loop of every run)."""
    options = innovation_options(store, visibility, framework)
    organisation = options.organisation.fillna("")
    label = options.name.where(organisation == "", options.name + " · " + organisation)
    return dict(zip(options.id.astype(int).tolist(), label.tolist(), strict=True))


def recently_assessed(
    store: Store, visibility: Sight | str, selection: Selection, limit: int = 5
) -> list[int]:
    """The innovations assessed most recently on the selection's basis (a starting point)."""
    facts = scores.innovation_scores(
        store,
        selection.visibility_for(visibility),
        framework=selection.framework,
        types=selection.types,
    )
    ranked = facts.sort_values(["latest_assessed_on", "innovation_id"], ascending=False)
    return [int(i) for i in ranked.innovation_id.head(limit)]


def group_options(
    store: Store, visibility: Sight | str, selection: Selection, lang: str
) -> pd.DataFrame:
    """Groups of ``selection.group_by`` that have assessed innovations: code, label, innovations."""
    rows = column_rows(store, visibility, selection, keys=None)
    counts = rows.groupby("key", sort=False)["innovation_id"].nunique()
    names = group_names(store, visibility, selection.group_by, lang)
    order = {code: n for n, code in enumerate(names)}
    out = pd.DataFrame({"code": counts.index.astype(str), "innovations": counts.to_numpy()})
    out["label"] = [names.get(c, c) for c in out.code]
    out["order"] = [order.get(c, len(order)) for c in out.code]
    return out.sort_values(["order", "code"]).drop(columns="order").reset_index(drop=True)


def group_names(store: Store, visibility: Sight | str, group_by: str, lang: str) -> dict[str, str]:
    """Code -> name of a group kind's groups in vocabulary order, "not recorded" last (rounds:
    those of the assessments ``visibility`` sees)."""
    if group_by == "round":
        rounds = store.rows(
            "SELECT DISTINCT a.round FROM assessments a WHERE a.round IS NOT NULL "
            f"AND {visible_assessments_sql(visibility, 'a')} ORDER BY a.round"
        )
        names = {str(r): t("compare.round_n", lang=lang, n=r) for (r,) in rounds}
    else:
        names = vocabulary_names(store, _MEMBERS[group_by][0], lang)
    names[NOT_RECORDED] = t("common.not_recorded", lang=lang)
    return names


# the comparison -------------------------------------------------------------------------------
def criterion_means(
    store: Store,
    visibility: Sight | str,
    selection: Selection,
    ids: list[int] | None,
    all_rounds: bool,
):
    """Per innovation and criterion on the selection's basis: the mean of the latest round (of
    every round with ``all_rounds``) and the assessors behind it; ``ids`` None = all."""
    return scores.latest_criterion_means(
        store,
        selection.visibility_for(visibility),
        framework=selection.framework,
        types=selection.types,
        innovation_ids=ids,
        all_rounds=all_rounds,
        with_assessor_ids=True,
    )


def _members(store: Store, group_by: str) -> pd.DataFrame:
    """(innovation_id, code) pairs of a group kind; innovations without a value: NOT_RECORDED."""
    _, sql = _MEMBERS[group_by]
    return store.query(
        f"""
        SELECT innovation_id, code FROM ({sql})
        UNION ALL
        SELECT id, ? FROM innovations WHERE id NOT IN (SELECT innovation_id FROM ({sql}))""",
        [NOT_RECORDED],
    )


def column_rows(
    store: Store, visibility: Sight | str, selection: Selection, keys: tuple[str, ...] | None
) -> pd.DataFrame:
    """Innovation-level criterion means, each tagged with the column (``key``) it counts in."""
    if not selection.group_by:
        ids = [int(k) for k in keys or ()]
        rows = criterion_means(store, visibility, selection, ids, all_rounds=False)
        rows["key"] = rows.innovation_id.astype(str)
    elif selection.group_by == "round":
        rows = criterion_means(store, visibility, selection, None, all_rounds=True)
        rows["key"] = [NOT_RECORDED if pd.isna(r) else str(int(r)) for r in rows["round"]]
    else:
        members = _members(store, selection.group_by)
        ids = None if keys is None else members[members.code.isin(keys)].innovation_id.tolist()
        rows = criterion_means(store, visibility, selection, ids, all_rounds=False).merge(
            members.rename(columns={"code": "key"}), on="innovation_id"
        )
    return rows if keys is None else rows[rows.key.isin(keys)].reset_index(drop=True)


def cell_figures(rows: pd.DataFrame) -> pd.DataFrame:
    """Per column and criterion: the mean over innovations and what it rests on."""
    columns = [
        "key",
        "criterion_code",
        "mean",
        "low",
        "high",
        "spread",
        "innovations",
        "scores",
        "assessors",
        "disagreements",
    ]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    rows = rows.assign(disagree=(rows.spread >= DISAGREEMENT - 1e-9) & (rows.assessors >= 2))
    if not rows.duplicated(["key", "criterion_code"]).any():
        # One innovation per cell (comparing innovations): its own figures are the cell's.
        single = rows.rename(columns={"min": "low", "max": "high", "disagree": "disagreements"})
        return single.assign(innovations=1, disagreements=single.disagreements.astype(int))[
            columns
        ].reset_index(drop=True)
    grouped = rows.groupby(["key", "criterion_code"], sort=False)
    out = grouped.agg(
        mean=("mean", "mean"),
        low=("mean", "min"),
        high=("mean", "max"),
        assessor_low=("min", "min"),
        assessor_high=("max", "max"),
        spread=("spread", "max"),
        innovations=("innovation_id", "nunique"),
        scores=("scores", "sum"),
        disagreements=("disagree", "sum"),
    ).reset_index()
    single = out.innovations == 1
    out.loc[single, "low"] = out.loc[single, "assessor_low"]
    out.loc[single, "high"] = out.loc[single, "assessor_high"]
    out["assessors"] = _distinct_assessors(rows, ["key", "criterion_code"]).to_numpy()
    return out[columns]


def _distinct_assessors(rows: pd.DataFrame, by: list[str]) -> pd.Series:
    """How many different assessors stand behind each group of rows (an assessor who scored
    several criteria or innovations counts once)."""
    return rows.groupby(by, sort=False)["assessor_ids"].agg(
        lambda lists: len(set(itertools.chain.from_iterable(lists)))
    )


def _columns(
    rows: pd.DataFrame, cells: pd.DataFrame, keys: tuple[str, ...], labels: dict[str, str]
) -> pd.DataFrame:
    """One row per compared key (also those with no scores at all), in the order asked for."""
    out = pd.DataFrame({"key": list(keys)})
    out["label"] = [labels.get(k, k) for k in keys]
    out["short"] = short_labels(out.label.tolist())
    if not cells.empty:
        per = cells.groupby("key").agg(
            mean=("mean", "mean"), criteria_scored=("criterion_code", "nunique")
        )
        facts = rows.groupby("key").agg(
            innovations=("innovation_id", "nunique"),
            scores=("scores", "sum"),
            latest_assessed_on=("assessed_on", "max"),
        )
        facts["assessors"] = _distinct_assessors(rows, ["key"])
        out = out.merge(per.join(facts), left_on="key", right_index=True, how="left")
    for column in ("criteria_scored", "innovations", "scores", "assessors"):
        out[column] = out.get(column, pd.Series(0, index=out.index)).fillna(0).astype(int)
    for column in ("mean", "latest_assessed_on"):
        if column not in out:
            out[column] = None
    return out


def comparison_of(
    store: Store, visibility: Sight | str, selection: Selection, lang: str
) -> Comparison:
    """The comparison that ``selection`` asks for, of the assessments a viewer who sees
    ``visibility`` (a visibility or a ``Sight``) sees, narrowed by the selection's "shared
    only"."""
    visibility = selection.visibility_for(visibility)
    criteria = criteria_frame(store, selection.framework, lang)
    if selection.group_by:
        labels = group_names(store, visibility, selection.group_by, lang)
    else:
        labels = {str(k): v for k, v in innovation_names(store, selection.ids).items()}
    keys = tuple(k for k in selection.keys if k in labels)
    rows = column_rows(store, visibility, selection, keys)
    rows = rows[rows.criterion_code.isin(criteria.code)]
    cells = cell_figures(rows)
    columns = _columns(rows, cells, keys, labels)
    columns["criteria_total"] = len(criteria)
    return Comparison(selection, criteria, columns, cells, visibility)


def innovation_names(store: Store, ids: Sequence[int]) -> dict[int, str]:
    """Id -> name of the given innovations (those that exist)."""
    return dict(
        store.rows(
            "SELECT id, name FROM innovations WHERE id IN (SELECT unnest(?::INTEGER[]))",
            [list(ids)],
        )
    )


def cohort(store: Store, visibility: Sight | str, framework: str, basis: str) -> pd.DataFrame:
    """Per criterion, how every innovation assessed in what ``visibility`` sees scored:
    quartiles and median of their latest-round means (the band behind the dot plot)."""
    means = scores.latest_criterion_means(
        store, visibility, framework=framework, types=BASES[basis]
    )
    if means.empty:
        return pd.DataFrame(columns=["criterion_code", "innovations", "q25", "median", "q75"])
    grouped = means.groupby("criterion_code")["mean"]
    return pd.DataFrame(
        {
            "innovations": grouped.size(),
            "q25": grouped.quantile(0.25),
            "median": grouped.median(),
            "q75": grouped.quantile(0.75),
        }
    ).reset_index()


def column_results(
    store: Store, visibility: Sight | str, selection: Selection, keys: tuple[str, ...], lang: str
) -> list[str] | None:
    """Each column's result in the framework's own terms where its criteria are not averaged
    ("passes", "fails on: …", colour counts; for a group, how many of its innovations pass),
    in the order of ``keys``; None for a framework that is a mean."""
    rule = framework_rules(store, lang)[selection.framework]
    if rule.averaged:
        return None
    rows = column_rows(store, visibility, selection, keys)
    per_column: dict[str, list[Outcome]] = {}
    for (key, _), own in rows.groupby(["key", "innovation_id"], sort=False):
        worst = dict(zip(own.criterion_code, own["min"], strict=True))
        per_column.setdefault(key, []).append(outcome_of(rule, worst))
    grouped = bool(selection.group_by)
    return [
        group_outcome_text(rule, per_column.get(key, []), lang)
        if grouped
        else outcome_text(rule, next(iter(per_column.get(key, [])), None), lang)
        for key in keys
    ]
