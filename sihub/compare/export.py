"""The comparison as an Excel workbook: exactly what the page compares, with what every figure
rests on and, for innovations, the provenance of every score behind it."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from sihub import exports, scores
from sihub.access import seen_text
from sihub.compare.display import on_scale_value, scale_of, short_labels
from sihub.compare.queries import Comparison
from sihub.compare.views import column_order, criteria_order, matrix
from sihub.compare.words import common_levels
from sihub.db.sql import sql_language
from sihub.db.store import Store
from sihub.i18n import t


def _on_own_scale(values, levels: tuple[tuple, ...], lang: str) -> list[object]:
    """Means on the criterion's own scale as the page shows them: a number on a numeric scale
    (3.7 on 1-5), a level's name on a scale without numbers ("yellow"), between its levels
    0-100 labelled so ("62 / 100"); a gap stays empty (not assessed), never 0."""
    return [on_scale_value(None if v is None else float(v), levels, lang) for v in values]


def _scores_sheet(comparison: Comparison, sort: str, criteria_sort: str, lang: str) -> pd.DataFrame:
    """Criteria x columns of scores, each on its criterion's own scale (named beside it)."""
    grid = matrix(comparison, sort, criteria_sort)
    crit = comparison.criteria.set_index("code").loc[grid.index]
    labels = comparison.columns.set_index("key").label
    headers = short_labels([labels[k] for k in grid.columns], width=10_000)
    out = pd.DataFrame(
        {
            t("common.dimension", lang=lang): crit.dimension.to_numpy(),
            t("common.criterion", lang=lang): crit.name.to_numpy(),
            t("compare.export.scale", lang=lang): crit.scale.to_numpy(),
        }
    )
    rows = zip(grid.to_numpy(), crit.levels, strict=True)
    values = [_on_own_scale(row, levels, lang) for row, levels in rows]
    return pd.concat([out, pd.DataFrame(values, columns=headers, index=out.index)], axis=1)


def _columns_sheet(comparison: Comparison, sort: str, lang: str) -> pd.DataFrame:
    cols = comparison.columns.set_index("key").loc[column_order(comparison, sort)]
    levels = common_levels(comparison.criteria)  # () when the criteria's scales differ
    on_scale = bool(levels) and scale_of(tuple(levels)).numeric
    mean = "compare.export.mean_scale" if on_scale else "compare.export.mean"
    return pd.DataFrame(
        {
            t("compare.col.name", lang=lang): cols.label.to_numpy(),
            t(mean, lang=lang): _on_own_scale(cols["mean"].astype(float), levels, lang),
            t("compare.export.scored", lang=lang): cols.criteria_scored.to_numpy(),
            t("compare.export.total", lang=lang): cols.criteria_total.to_numpy(),
            t("compare.export.assessors", lang=lang): cols.assessors.to_numpy(),
            t("common.innovations", lang=lang): cols.innovations.to_numpy(),
            t("compare.col.latest", lang=lang): cols.latest_assessed_on.to_numpy(),
        }
    )


_SOURCES = (  # title key, column of ``score_rows``
    ("briefing.file", "file_name"),
    ("briefing.sheet", "source_sheet"),
    ("briefing.row", "source_row"),
    ("briefing.column", "source_column"),
)


def _provenance_sheet(store: Store, comparison: Comparison, lang: str) -> pd.DataFrame:
    """Every score behind the compared innovations' means, traced to file, sheet and row."""
    sel = comparison.selection
    rows = scores.score_rows(
        store,
        comparison.sight,
        framework=sel.framework,
        types=sel.types,
        innovation_ids=list(sel.ids),
        latest_round=True,
    )
    names = comparison.columns.set_index("key").label
    crit = comparison.criteria.set_index("code").name
    levels = comparison.criteria.set_index("code").levels
    types = scores.assessment_type_names(store, lang)
    return pd.DataFrame(
        {
            t("common.innovation", lang=lang): rows.innovation_id.astype(str).map(names),
            t("common.criterion", lang=lang): rows.criterion_code.map(crit),
            t("briefing.assessor", lang=lang): rows.assessor,
            t("briefing.type", lang=lang): rows.assessment_type.map(types).fillna(
                rows.assessment_type
            ),
            t("briefing.round", lang=lang): rows["round"],
            t("common.date", lang=lang): rows.assessed_on,
            t("briefing.raw", lang=lang): rows.raw_value.map(exports.number_cell),
            t("briefing.value", lang=lang): [
                on_scale_value(v, levels.get(c, ()), lang)
                for v, c in zip(rows.normalised, rows.criterion_code, strict=True)
            ],
            t("briefing.comment", lang=lang): rows.comment,
            # where each score came from, as far as the viewer may see it (``score_rows``)
            **{t(key, lang=lang): rows[column] for key, column in _SOURCES if column in rows},
            t("briefing.assessment_id", lang=lang): rows.assessment_id,
        }
    )


def comparison_workbook(
    store: Store,
    comparison: Comparison,
    sort: str,
    criteria_sort: str,
    lang: str,
    now: datetime,
) -> bytes:
    """Scores, what they rest on, provenance (innovations) and an "about" sheet, safe to open."""
    sel = comparison.selection
    sheets = {
        t("compare.export.sheet_scores", lang=lang): _scores_sheet(
            comparison, sort, criteria_sort, lang
        ),
        t("compare.export.sheet_columns", lang=lang): _columns_sheet(comparison, sort, lang),
    }
    if not sel.group_by:
        sheets[t("compare.export.sheet_provenance", lang=lang)] = _provenance_sheet(
            store, comparison, lang
        )
    framework = store.scalar(
        f"SELECT name_{sql_language(lang)} FROM frameworks WHERE code = ?", [sel.framework]
    )
    about = {
        t("briefing.generated", lang=lang): now.replace(microsecond=0),
        t("briefing.framework", lang=lang): framework or sel.framework,
        t("compare.basis", lang=lang): t(f"compare.basis_{sel.basis}", lang=lang),
        t("access.rests_on", lang=lang): seen_text(comparison.sight, lang),
        t("compare.group_by", lang=lang): t(f"compare.group.{sel.group_by}", lang=lang)
        if sel.group_by
        else "–",
        t("compare.export.compared", lang=lang): ", ".join(comparison.columns.label),
        t("compare.export.order", lang=lang): ", ".join(
            comparison.criteria.set_index("code").name[c]
            for c in criteria_order(comparison, criteria_sort)
        ),
        t("briefing.note", lang=lang): t("compare.export.note", lang=lang),
        t("compare.export.source", lang=lang): store.label,  # a URL without its password
    }
    if exports.is_demo(store):
        about[t("demo.badge", lang=lang)] = exports.demo_help(store, lang)
    title = t("compare.export.sheet_about", lang=lang)
    return exports.excel_bytes(sheets, about, about_title=title, demo=exports.is_demo(store))


def file_name(now: datetime, lang: str) -> str:
    return t("file.comparison", lang=lang, date=f"{now:%Y-%m-%d}") + ".xlsx"
