"""Innovations, or groups of them, side by side criterion by criterion.

Every number comes from ``sihub.scores``: an innovation's score on a criterion is the mean of
its assessors' normalised scores in its latest round, missing scores left out. A group's score
on a criterion is the mean over its innovations (each innovation counts once). A cell that no
one scored stays missing ("not assessed"), never 0, and every cell and column says how many
innovations, scores and assessors it rests on.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import pandas as pd

from sihub import scores
from sihub.db.sql import sql_language
from sihub.db.store import Store
from sihub.i18n import format_number, t
from sihub.pipeline.filters import NOT_RECORDED
from sihub.reference.vocabularies import vocabulary_names
from sihub.scores import DISAGREEMENT

MIN_ITEMS, MAX_ITEMS = 2, 30
DOT_PLOT_MAX = 6  # more markers per row than this cannot be told apart
BASES = {"external": scores.EXTERNAL_TYPES, "self": ("self",)}
GROUP_KINDS = ("theme", "target_group", "stage", "region", "org_type", "round")
CRITERIA_SORTS = ("dimension", "spread")
DISPLAYS = ("scale", "pct")
SHORT_LABEL = 34  # characters of a name on a chart axis; the full name is in the hover

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


def param_text(raw: object) -> str:
    """A URL parameter as text: a repeated parameter joined by commas, a missing one empty."""
    if isinstance(raw, list):
        raw = ",".join(map(str, raw))
    return "" if raw is None else str(raw).strip()


def parse_ids(raw: object) -> tuple[int, ...]:
    """Innovation ids of a URL parameter ("5,3,x,3" -> (5, 3)): the rest is ignored."""
    return tuple(dict.fromkeys(int(v) for v in param_text(raw).split(",") if v.strip().isdigit()))


@dataclass(frozen=True)
class Selection:
    """What to compare; lives in the URL (``to_query`` / ``from_query``)."""

    ids: tuple[int, ...] = ()
    group_by: str = ""  # "" compares innovations; else one of GROUP_KINDS
    groups: tuple[str, ...] = ()
    framework: str = scores.DEFAULT_FRAMEWORK
    basis: str = "external"  # a key of BASES
    shared_only: bool = False

    @property
    def types(self) -> tuple[str, ...]:
        return BASES[self.basis]

    @property
    def keys(self) -> tuple[str, ...]:
        """The compared columns' keys: innovation ids as text, or group codes."""
        return self.groups if self.group_by else tuple(map(str, self.ids))

    def to_query(self) -> dict[str, str]:
        """URL parameters; defaults are left out to keep links short."""
        out = {
            "ids": "" if self.group_by else ",".join(map(str, self.ids)),
            "by": self.group_by,
            "groups": ",".join(self.groups) if self.group_by else "",
            "fw": "" if self.framework == scores.DEFAULT_FRAMEWORK else self.framework,
            "basis": "" if self.basis == "external" else self.basis,
            "shared": "1" if self.shared_only else "",
        }
        return {k: v for k, v in out.items() if v}

    @classmethod
    def from_query(cls, params: Mapping[str, object]) -> Selection:
        """The selection in ``params``; malformed or unknown values fall back to defaults."""

        def text(name: str) -> str:
            return param_text(params.get(name))

        ids = parse_ids(params.get("ids"))
        group_by = text("by") if text("by") in GROUP_KINDS else ""
        groups = tuple(dict.fromkeys(g.strip() for g in text("groups").split(",") if g.strip()))
        return cls(
            ids=() if group_by else ids[:MAX_ITEMS],
            group_by=group_by,
            groups=groups[:MAX_ITEMS] if group_by else (),
            framework=text("fw") or scores.DEFAULT_FRAMEWORK,
            basis=text("basis") if text("basis") in BASES else "external",
            shared_only=text("shared") == "1",
        )

    def with_(self, **changes: object) -> Selection:
        return replace(self, **changes)


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

    @property
    def is_empty(self) -> bool:
        return self.cells.empty

    @property
    def unknown(self) -> tuple[str, ...]:
        """Keys asked for that are not in the store (they have no column)."""
        found = set(self.columns.key)
        return tuple(k for k in self.selection.keys if k not in found)


# reference: frameworks, criteria, scales ------------------------------------------------------
def frameworks_with_scores(store: Store, lang: str) -> pd.DataFrame:
    """Frameworks that have at least one active assessment, default framework first."""
    lang = sql_language(lang)
    return store.query(
        f"""
        SELECT f.code, f.name_{lang} AS name, f.provisional,
               count(DISTINCT a.innovation_id) AS innovations
        FROM frameworks f JOIN assessments a
          ON a.framework_code = f.code AND a.superseded_by_batch IS NULL
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


# showing a normalised score on its criterion's own scale ------------------------------------
def to_scale(normalised: float | None, levels: tuple[tuple, ...]) -> float | None:
    """The point on a numeric scale that ``normalised`` stands for (levels need not be even)."""
    points = sorted((lv[2], lv[1]) for lv in levels if lv[1] is not None)
    if normalised is None or normalised != normalised or len(points) < 2:
        return None
    for (n0, v0), (n1, v1) in itertools.pairwise(points):
        if n0 <= normalised <= n1:
            return v0 if n1 == n0 else v0 + (v1 - v0) * (normalised - n0) / (n1 - n0)
    return points[0][1] if normalised < points[0][0] else points[-1][1]


def half_up(value: float, decimals: int = 0) -> float:
    """Rounded the way people round (62.5 -> 63), not to even as Python's formatting does."""
    factor = 10**decimals
    return math.floor(value * factor + 0.5 + 1e-9) / factor


def shown(normalised: float | None, levels: tuple[tuple, ...], display: str, lang: str) -> str:
    """A score as the page prints it: on its scale ("3,7", "yes") or 0-100; "–" when missing."""
    if normalised is None or normalised != normalised:
        return "–"
    if display == "scale":
        value = to_scale(normalised, levels)
        if value is not None:
            return format_number(half_up(value, 1), lang, decimals=1)
        exact = [lv[3] for lv in levels if abs(lv[2] - normalised) < 1e-6]
        if exact:
            return str(exact[0])
    return format_number(half_up(100 * normalised), lang)


def shown_points(spread: float, levels: tuple[tuple, ...], display: str, lang: str) -> str:
    """A distance between two scores: scale points for numeric scales, else 0-100 points."""
    low, high = to_scale(0.0, levels), to_scale(1.0, levels)
    if display == "scale" and low is not None and high is not None:
        return format_number(half_up(spread * (high - low), 1), lang, decimals=1)
    return format_number(half_up(100 * spread), lang)


# options --------------------------------------------------------------------------------------
def innovation_options(store: Store, framework: str) -> pd.DataFrame:
    """Innovations assessed on ``framework`` (any type): id, name, organisation, latest date."""
    return store.query(
        """
        SELECT i.id, i.name,
               (SELECT min(o.name) FROM innovation_organisations io
                JOIN organisations o ON o.id = io.organisation_id
                WHERE io.innovation_id = i.id AND io.role = 'lead') AS organisation,
               max(a.assessed_on) AS latest_assessed_on
        FROM innovations i JOIN assessments a
          ON a.innovation_id = i.id AND a.framework_code = ? AND a.superseded_by_batch IS NULL
        GROUP BY i.id, i.name ORDER BY i.name, i.id""",
        [framework],
    )


def recently_assessed(store: Store, selection: Selection, limit: int = 5) -> list[int]:
    """The innovations assessed most recently on the selection's basis (a starting point)."""
    facts = scores.innovation_scores(
        store,
        framework=selection.framework,
        types=selection.types,
        shared_only=selection.shared_only,
    )
    ranked = facts.sort_values(["latest_assessed_on", "innovation_id"], ascending=False)
    return [int(i) for i in ranked.innovation_id.head(limit)]


def group_options(store: Store, selection: Selection, lang: str) -> pd.DataFrame:
    """Groups of ``selection.group_by`` that have assessed innovations: code, label, innovations."""
    rows = _unit_rows(store, selection, keys=None)
    counts = rows.groupby("key", sort=False)["innovation_id"].nunique()
    names = group_names(store, selection.group_by, lang)
    order = {code: n for n, code in enumerate(names)}
    out = pd.DataFrame({"code": counts.index.astype(str), "innovations": counts.to_numpy()})
    out["label"] = [names.get(c, c) for c in out.code]
    out["order"] = [order.get(c, len(order)) for c in out.code]
    return out.sort_values(["order", "code"]).drop(columns="order").reset_index(drop=True)


def group_names(store: Store, group_by: str, lang: str) -> dict[str, str]:
    """Code -> name of a group kind's groups in vocabulary order, "not recorded" last."""
    if group_by == "round":
        rounds = store.rows(
            "SELECT DISTINCT round FROM assessments WHERE round IS NOT NULL ORDER BY round"
        )
        names = {str(r): t("compare.round_n", lang=lang, n=r) for (r,) in rounds}
    else:
        names = vocabulary_names(store, _MEMBERS[group_by][0], lang)
    names[NOT_RECORDED] = t("common.not_recorded", lang=lang)
    return names


# the comparison -------------------------------------------------------------------------------
def _means(store: Store, selection: Selection, ids: list[int] | None, all_rounds: bool):
    return scores.latest_criterion_means(
        store,
        framework=selection.framework,
        types=selection.types,
        shared_only=selection.shared_only,
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


def _unit_rows(store: Store, selection: Selection, keys: tuple[str, ...] | None) -> pd.DataFrame:
    """Innovation-level criterion means, each tagged with the column (``key``) it counts in."""
    if not selection.group_by:
        rows = _means(store, selection, [int(k) for k in keys or ()], all_rounds=False)
        rows["key"] = rows.innovation_id.astype(str)
    elif selection.group_by == "round":
        rows = _means(store, selection, None, all_rounds=True)
        rows["key"] = [NOT_RECORDED if pd.isna(r) else str(int(r)) for r in rows["round"]]
    else:
        members = _members(store, selection.group_by)
        ids = None if keys is None else members[members.code.isin(keys)].innovation_id.tolist()
        rows = _means(store, selection, ids, all_rounds=False).merge(
            members.rename(columns={"code": "key"}), on="innovation_id"
        )
    return rows if keys is None else rows[rows.key.isin(keys)].reset_index(drop=True)


def _cells(rows: pd.DataFrame) -> pd.DataFrame:
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


def short_labels(labels: list[str], width: int = SHORT_LABEL) -> list[str]:
    """Labels cut to ``width`` for chart axes, kept unique (charts merge equal categories).

    The middle is cut, not the end: names often differ only in their last words ("… – Turku").
    """
    out: list[str] = []
    for label in labels:
        short = label
        if len(label) > width:
            head = (width - 1) * 3 // 5
            short = label[:head].rstrip() + "…" + label[len(label) - (width - 1 - head) :].lstrip()
        candidate, n = short, 2
        while candidate in out:
            candidate, n = f"{short} ({n})", n + 1
        out.append(candidate)
    return out


def compare(store: Store, selection: Selection, lang: str) -> Comparison:
    """The comparison that ``selection`` asks for."""
    criteria = criteria_frame(store, selection.framework, lang)
    if selection.group_by:
        labels = group_names(store, selection.group_by, lang)
    else:
        labels = {str(k): v for k, v in innovation_names(store, selection.ids).items()}
    keys = tuple(k for k in selection.keys if k in labels)
    rows = _unit_rows(store, selection, keys)
    rows = rows[rows.criterion_code.isin(criteria.code)]
    cells = _cells(rows)
    columns = _columns(rows, cells, keys, labels)
    columns["criteria_total"] = len(criteria)
    return Comparison(selection, criteria, columns, cells)


def innovation_names(store: Store, ids: Sequence[int]) -> dict[int, str]:
    """Id -> name of the given innovations (those that exist)."""
    return dict(
        store.rows(
            "SELECT id, name FROM innovations WHERE id IN (SELECT unnest(?::INTEGER[]))",
            [list(ids)],
        )
    )


def cohort(store: Store, framework: str, basis: str, shared_only: bool) -> pd.DataFrame:
    """Per criterion, how every assessed innovation scored: quartiles and median of their
    latest-round means (the band behind the dot plot)."""
    means = scores.latest_criterion_means(
        store, framework=framework, types=BASES[basis], shared_only=shared_only
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


# arranging the views --------------------------------------------------------------------------
def sort_options(cmp: Comparison) -> list[str]:
    """How columns can be sorted: by the mean, by name, in the order chosen, or by a criterion."""
    return ["mean", "name", "chosen", *(f"criterion:{c}" for c in cmp.criteria.code)]


def column_order(cmp: Comparison, sort: str) -> list[str]:
    """Column keys, best first on the chosen measure; missing values always last."""
    cols = cmp.columns
    if sort == "chosen":
        return cols.key.tolist()
    if sort == "name":
        return cols.sort_values("label", key=lambda s: s.str.casefold()).key.tolist()
    if sort.startswith("criterion:"):
        code = sort.split(":", 1)[1]
        values = cmp.cells[cmp.cells.criterion_code == code].set_index("key")["mean"]
        measure = cols.key.map(values)
    else:
        measure = cols["mean"]
    ordered = cols.assign(_m=pd.to_numeric(measure, errors="coerce"), _l=cols.label.str.casefold())
    return ordered.sort_values(
        ["_m", "_l"], ascending=[False, True], na_position="last"
    ).key.tolist()


def criteria_order(cmp: Comparison, by: str) -> list[str]:
    """Criterion codes grouped by dimension, or by how much the columns differ (widest first)."""
    codes = cmp.criteria.code.tolist()
    if by != "spread" or cmp.cells.empty:
        return codes
    spread = cmp.cells.groupby("criterion_code")["mean"].agg(lambda s: s.max() - s.min())
    spread = spread[cmp.cells.groupby("criterion_code").size() >= 2]
    position = {c: n for n, c in enumerate(codes)}
    return sorted(codes, key=lambda c: (-spread.get(c, -1.0), position[c]))


def matrix(cmp: Comparison, sort: str, criteria_sort: str) -> pd.DataFrame:
    """Criteria x columns of means (NaN = not assessed), in display order."""
    keys, codes = column_order(cmp, sort), criteria_order(cmp, criteria_sort)
    if cmp.cells.empty:
        return pd.DataFrame(index=codes, columns=keys, dtype=float)
    wide = cmp.cells.pivot(index="criterion_code", columns="key", values="mean")
    return wide.reindex(index=codes, columns=keys).astype(float)


def heatmap_cells(cmp: Comparison, sort: str, criteria_sort: str, display: str, lang: str):
    """Everything the heatmap draws: a long frame in display order (criterion by criterion,
    column by column) with the printed text and what each cell rests on."""
    grid = matrix(cmp, sort, criteria_sort)
    codes, keys = list(grid.index), list(grid.columns)
    out = pd.DataFrame(
        {
            "criterion_code": [c for c in codes for _ in keys],
            "key": keys * len(codes),
            "value": grid.to_numpy(dtype=float).ravel(),
        }
    )
    crit = cmp.criteria.set_index("code")
    cols = cmp.columns.set_index("key")
    out["criterion"] = out.criterion_code.map(crit.name)
    out["dimension"] = out.criterion_code.map(crit.dimension)
    out["column"] = out.key.map(cols.short)
    out["label"] = out.key.map(cols.label)
    levels = out.criterion_code.map(crit.levels)
    out["text"] = [shown(v, lv, display, lang) for v, lv in zip(out.value, levels, strict=True)]
    facts = out[["key", "criterion_code"]].merge(
        cmp.cells[["key", "criterion_code", "innovations", "assessors", "scores"]],
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


def column_table(cmp: Comparison, sort: str, criteria_sort: str, display: str, lang: str):
    """The heatmap as a table: one row per criterion, one column per innovation or group."""
    grid = matrix(cmp, sort, criteria_sort)
    crit = cmp.criteria.set_index("code").loc[grid.index]
    labels = cmp.columns.set_index("key").label
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


# assessor agreement ---------------------------------------------------------------------------
def agreement(cmp: Comparison) -> pd.DataFrame:
    """Per criterion across the compared columns: assessors, typical and widest spread, and how
    many of the compared innovations' scores on it show strong disagreement."""
    cells = cmp.cells
    crit = cmp.criteria[["code", "name", "dimension"]].rename(columns={"code": "criterion_code"})
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


def disagreements(cmp: Comparison) -> pd.DataFrame:
    """The cells where assessors disagree strongly (innovations) or that hold such
    innovations (groups), widest spread first."""
    flagged = cmp.cells[cmp.cells.disagreements > 0]
    names = cmp.criteria.set_index("code")
    labels = cmp.columns.set_index("key").label
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


# change between rounds ------------------------------------------------------------------------
def round_means(store: Store, selection: Selection) -> pd.DataFrame:
    """Criterion means per round of the compared innovations assessed in two or more rounds."""
    if selection.group_by or not selection.ids:
        return pd.DataFrame(columns=["innovation_id", "round", "criterion_code", "mean"])
    rows = _means(store, selection, list(selection.ids), all_rounds=True)
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


# self-assessment beside external assessment ---------------------------------------------------
def self_vs_external(store: Store, cmp: Comparison) -> pd.DataFrame:
    """Per compared column and criterion, where both exist: self-assessed and external means
    (each from its own latest round; the comparison's own basis is reused, not recomputed)."""
    sel = cmp.selection
    other = "self" if sel.basis == "external" else "external"
    computed = _cells(_unit_rows(store, sel.with_(basis=other), sel.keys))
    own, ext = (computed, cmp.cells) if other == "self" else (cmp.cells, computed)
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
