"""The comparison in words: who is strongest and weakest on which criteria, where assessors
disagree, what changed between rounds. Every chart on the comparison page has one of these."""

from __future__ import annotations

import pandas as pd

from sihub.compare.display import shown, shown_points
from sihub.compare.queries import Comparison
from sihub.compare.views import matrix
from sihub.i18n import t
from sihub.narrative import and_joined

LIST_AT_MOST = 4  # names in one sentence before "and N more"
EPS = 1e-9


def joined(items: list[str], lang: str, at_most: int = LIST_AT_MOST) -> str:
    """ "A", "A and B", "A, B and C", "A, B, C, D and 3 more"."""
    if len(items) > at_most:
        rest = t("compare.words.more", lang=lang, count=len(items) - at_most)
        items = [*items[:at_most], rest]
    return and_joined(items, lang)


def common_levels(criteria: pd.DataFrame) -> tuple:
    """The scale levels shared by every criterion, or () when scales differ (then 0-100)."""
    scales = criteria.scale_code.unique()
    return criteria.levels.iloc[0] if len(scales) == 1 else ()


def _overall(comparison: Comparison, display: str, lang: str) -> str:
    scored = comparison.columns[comparison.columns["mean"].notna()]
    if scored.empty:
        return ""
    levels = common_levels(comparison.criteria)
    best = scored.loc[scored["mean"].astype(float).idxmax()]
    worst = scored.loc[scored["mean"].astype(float).idxmin()]

    def one(row: pd.Series) -> str:
        return t(
            "compare.words.overall_item",
            lang=lang,
            name=row.label,
            value=shown(float(row["mean"]), levels, display, lang),
            scored=int(row.criteria_scored),
            total=int(row.criteria_total),
            assessors=int(row.assessors),
        )

    if len(scored) == 1 or best.key == worst.key:
        return t("compare.words.overall_one", lang=lang, best=one(best))
    return t("compare.words.overall", lang=lang, best=one(best), worst=one(worst))


def _leaders(comparison: Comparison, grid: pd.DataFrame, lang: str) -> list[str]:
    """Who is strongest and who weakest on each criterion, grouped by innovation or group."""
    names = comparison.criteria.set_index("code").name
    labels = comparison.columns.set_index("key").label
    top: dict[str, list[str]] = {}
    bottom: dict[str, list[str]] = {}
    for code, values in grid.iterrows():
        values = values.dropna()
        if len(values) < 2 or values.max() - values.min() < EPS:
            continue
        for key in values[values >= values.max() - EPS].index:
            top.setdefault(key, []).append(names[code])
        for key in values[values <= values.min() + EPS].index:
            bottom.setdefault(key, []).append(names[code])
    out = []
    for found, phrase in ((top, "compare.words.strongest"), (bottom, "compare.words.weakest")):
        ranked = sorted(found.items(), key=lambda kv: (-len(kv[1]), labels[kv[0]]))
        items = [
            t("compare.words.leader_item", lang=lang, name=labels[k], criteria=joined(crits, lang))
            for k, crits in ranked
        ]
        if items:
            out.append(t(phrase, lang=lang, items="; ".join(items)))
    return out


def _widest(comparison: Comparison, grid: pd.DataFrame, display: str, lang: str) -> str:
    crit = comparison.criteria.set_index("code")
    spread = (grid.max(axis=1) - grid.min(axis=1))[grid.notna().sum(axis=1) >= 2]
    if spread.empty or spread.max() < EPS:
        return ""
    code = spread.idxmax()
    return t(
        "compare.words.widest",
        lang=lang,
        criterion=crit.at[code, "name"],
        points=shown_points(float(spread[code]), crit.at[code, "levels"], display, lang),
    )


def _not_assessed(comparison: Comparison, lang: str) -> str:
    names = comparison.criteria.set_index("code").name
    scored = set(zip(comparison.cells.key, comparison.cells.criterion_code, strict=True))
    gaps = []
    for row in comparison.columns.itertuples():
        missing = [names[c] for c in comparison.criteria.code if (row.key, c) not in scored]
        if len(missing) == len(names):
            gaps.append(t("compare.words.gap_all", lang=lang, name=row.label))
        elif missing:
            gaps.append(
                t("compare.words.gap", lang=lang, name=row.label, criteria=joined(missing, lang))
            )
    if not gaps:
        return ""
    return t("compare.words.not_assessed", lang=lang, gaps="; ".join(gaps[: LIST_AT_MOST * 2]))


def _results(comparison: Comparison, results: list[str]) -> str:
    """Each column's result where the framework is not a mean ("A: passes; B: fails on: …")."""
    pairs = zip(comparison.columns.label, results, strict=True)
    return "; ".join(f"{label}: {result}" for label, result in pairs) + "."


def heatmap_words(
    comparison: Comparison, display: str, lang: str, results: list[str] | None = None
) -> list[str]:
    """Strongest and weakest overall and per criterion, the widest gap, and the gaps: one
    sentence each. A framework that is not a mean (``results``: each column's result in its
    own terms, as ``queries.column_results``) is summed up by those results, never a mean."""
    if comparison.is_empty:
        return [t("compare.words.nothing", lang=lang)]
    grid = matrix(comparison, "chosen", "dimension")
    parts = [
        _overall(comparison, display, lang) if results is None else _results(comparison, results),
        *_leaders(comparison, grid, lang),
        _widest(comparison, grid, display, lang),
        _not_assessed(comparison, lang),
    ]
    return [p for p in parts if p]


def dots_words(comparison: Comparison, band: pd.DataFrame, lang: str) -> str:
    """Each column against the cohort median: on how many criteria it is above and below."""
    if comparison.is_empty or band.empty:
        return t("compare.words.nothing", lang=lang)
    median = band.set_index("criterion_code")["median"]
    parts = [t("compare.words.cohort", lang=lang, count=int(band.innovations.max()))]
    for row in comparison.columns.itertuples():
        cells = comparison.cells[comparison.cells.key == row.key]
        diff = cells["mean"].to_numpy() - cells.criterion_code.map(median).to_numpy()
        if len(cells):
            parts.append(
                t(
                    "compare.words.vs_cohort",
                    lang=lang,
                    name=row.label,
                    above=int((diff > EPS).sum()),
                    below=int((diff < -EPS).sum()),
                    scored=len(cells),
                )
            )
    return " ".join(parts)


def agreement_words(comparison: Comparison, flagged: pd.DataFrame, display: str, lang: str) -> str:
    """Where assessors disagree strongly, or that they agree, or that one assessor is not enough."""
    if comparison.is_empty:
        return t("compare.words.nothing", lang=lang)
    if comparison.cells.assessors.max() < 2:
        return t("compare.words.single_assessor", lang=lang)
    if flagged.empty:
        return t("compare.words.agree", lang=lang)
    items = [
        t(
            "compare.words.disagree_item",
            lang=lang,
            name=r.label,
            criterion=r.criterion,
            low=shown(r.low, r.levels, display, lang),
            high=shown(r.high, r.levels, display, lang),
        )
        if r.innovations == 1
        else t(
            "compare.words.disagree_group_item",
            lang=lang,
            name=r.label,
            criterion=r.criterion,
            count=int(r.disagreements),
        )
        for r in flagged.itertuples()
    ]
    return t(
        "compare.words.disagree",
        lang=lang,
        count=int(flagged.disagreements.sum()),
        items=joined(items, lang, at_most=6),
    )


def rounds_words(
    summary: pd.DataFrame,
    change: pd.DataFrame,
    labels: dict[str, str],
    criteria: pd.DataFrame,
    display: str,
    lang: str,
) -> str:
    """Per innovation: the rounds compared and where it improved and fell the most."""
    if summary.empty:
        return t("compare.words.no_rounds", lang=lang)
    crit = criteria.set_index("code")
    levels = common_levels(criteria)
    parts = []
    for row in summary.itertuples():
        own = change[change.innovation_id == row.innovation_id]
        best = own.loc[own.change.idxmax()]
        worst = own.loc[own.change.idxmin()]
        text = t(
            "compare.words.round_mean",
            lang=lang,
            name=labels.get(str(row.innovation_id), str(row.innovation_id)),
            first=int(row.first_round),
            last=int(row.last_round),
            change=_signed(row.mean_change, levels, display, lang),
            improved=int(row.improved),
            declined=int(row.declined),
            criteria=int(row.criteria),
        )
        if best.change > EPS:
            text += " " + t(
                "compare.words.round_most_up",
                lang=lang,
                criterion=crit.at[best.criterion_code, "name"],
                change=_signed(best.change, crit.at[best.criterion_code, "levels"], display, lang),
            )
        if worst.change < -EPS:
            text += " " + t(
                "compare.words.round_most_down",
                lang=lang,
                criterion=crit.at[worst.criterion_code, "name"],
                change=_signed(
                    worst.change, crit.at[worst.criterion_code, "levels"], display, lang
                ),
            )
        parts.append(text)
    return " ".join(parts)


def _signed(change: float, levels: tuple, display: str, lang: str) -> str:
    text = shown_points(abs(change), levels, display, lang)
    return ("+" if change > EPS else "−" if change < -EPS else "±") + text


def self_external_words(
    summary: pd.DataFrame, labels: dict[str, str], criteria: pd.DataFrame, display: str, lang: str
) -> str:
    """Per column with both: on how many criteria the self-assessment is higher, and by how much."""
    if summary.empty:
        return t("compare.words.no_self", lang=lang)
    levels = common_levels(criteria)
    return " ".join(
        t(
            "compare.words.self_item",
            lang=lang,
            name=labels.get(r.key, r.key),
            higher=int(r.higher),
            criteria=int(r.criteria),
            difference=_signed(r.difference, levels, display, lang),
        )
        for r in summary.itertuples()
    )


def profile_words(comparison: Comparison, key: str, lang: str) -> str:
    """One profile: its highest and lowest criteria."""
    cells = comparison.cells[comparison.cells.key == key]
    label = comparison.columns.set_index("key").label.get(key, key)
    if cells.empty:
        return t("compare.words.gap_all", lang=lang, name=label)
    names = comparison.criteria.set_index("code").name
    top = cells[cells["mean"] >= cells["mean"].max() - EPS].criterion_code.map(names).tolist()
    low = cells[cells["mean"] <= cells["mean"].min() + EPS].criterion_code.map(names).tolist()
    return t(
        "compare.words.profile",
        lang=lang,
        name=label,
        top=joined(top, lang),
        low=joined(low, lang),
    )
