"""The funder's briefing pack: one Excel workbook about a shortlist.

Sheets: the weights, minimums and filters used (and what a score means); a heatmap of the
shortlist with conditional formatting; one sheet per shortlisted innovation with its profile,
scores, assessors' comments and the provenance of every score (file, sheet, row). Built from
the same ranking and score definitions as the funder page, on the external assessments the
ranking's viewer sees (a funder: shared ones only), and says so and who prepared it. Every
text cell goes through ``sihub.exports.escape_formula``.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime

import openpyxl
import pandas as pd
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from sihub import scores
from sihub.access import seen_text
from sihub.compare.display import on_scale_value, scale_of
from sihub.compare.queries import innovation_names
from sihub.db.sql import sql_language
from sihub.db.store import Store
from sihub.exports import DEMO_MARK, demo_help, escape_formula, is_demo, number_cell
from sihub.funders.ranking import (
    Ranking,
    basis_note,
    filter_description,
    gate_words,
    rank,
    shown_score,
)
from sihub.i18n import MISSING_FIGURE, t
from sihub.personal import shown_assessor_sql

MISSING_FILL = PatternFill("solid", fgColor="E7E6E6")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
BOLD = Font(bold=True)
# Light-to-mid blue: every step stays readable under black text (Excel does not switch the
# text colour the way the heatmap on the page does).
HEAT_LOW, HEAT_MID, HEAT_HIGH = "F7FBFF", "9ECAE1", "3182BD"
FIRST_SCORE_COLUMN = 4  # the heatmap: criterion, scale, weight, then one column per innovation
SHEET_NAME_BAD = "[]:*?/\\"


def _cell(value: object) -> object:
    """A value Excel can hold, with formula-like text escaped and NaN left empty."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        # a day (an assessment's date) is a date cell, never "2026-04-03 00:00:00"
        return value.date() if value == value.normalize() else value.to_pydatetime()
    if isinstance(value, (list, tuple)):
        value = "; ".join(map(str, value))
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()  # numpy scalars
    return escape_formula(value) if isinstance(value, str) else value


def _append(ws: Worksheet, values: Iterable[object], bold: bool = False) -> int:
    ws.append([_cell(v) for v in values])
    if bold:
        for cell in ws[ws.max_row]:
            cell.font = BOLD
    return ws.max_row


def _header(ws: Worksheet, values: Sequence[str]) -> None:
    row = _append(ws, values, bold=True)
    for cell in ws[row]:
        cell.fill = HEADER_FILL


def _titles(lang: str, *keys: str) -> list[str]:
    """Column titles in ``lang``."""
    return [t(key, lang=lang) for key in keys]


def _widths(ws: Worksheet, widths: dict[int, int]) -> None:
    for column, width in widths.items():
        ws.column_dimensions[get_column_letter(column)].width = width


def sheet_names(titles: Sequence[str], taken: Iterable[str] = ()) -> list[str]:
    """Valid, unique Excel sheet names (31 characters, none of []:*?/\\) for ``titles``."""
    used = {n.casefold() for n in taken}
    out = []
    for title in titles:
        clean = "".join("_" if ch in SHEET_NAME_BAD else ch for ch in title).strip("' ") or "_"
        name, n = clean[:31], 2
        while name.casefold() in used:
            suffix = f" ({n})"
            name, n = clean[: 31 - len(suffix)] + suffix, n + 1
        used.add(name.casefold())
        out.append(name)
    return out


# the workbook ---------------------------------------------------------------------------------
def briefing_pack(
    store: Store,
    ranking: Ranking,
    shortlist: Sequence[int],
    lang: str,
    now: datetime,
    prepared_by: str | None = None,
) -> bytes:
    """The briefing pack of ``shortlist`` (in that order) under the funder's ``ranking``, on
    the assessments the ranking rests on; ``prepared_by`` is who signed in and asked for it."""
    visibility = ranking.visibility
    figures = rank(store, visibility, ranking.spec, lang, only=list(shortlist))
    # Each one's row of the shortlist's ranking (None: no shared external score) and its rank
    # in the funder's list (the shortlist may hold innovations outside the filter).
    table = figures.table.set_index("innovation_id")
    rows = [table.loc[i] if i in table.index else None for i in shortlist]
    listed = ranking.table.set_index("innovation_id")["rank"]
    ranks = [listed.get(i) for i in shortlist]
    names = innovation_names(store, shortlist)
    wb = openpyxl.Workbook()
    _settings_sheet(wb.active, store, ranking, shortlist, names, lang, now, prepared_by)
    titles = sheet_names(
        [f"{n}. {names.get(i, i)}" for n, i in enumerate(shortlist, start=1)],
        taken=[t("briefing.sheet_settings", lang=lang), t("briefing.sheet_heatmap", lang=lang)],
    )
    gates = gate_words(
        figures.criteria, figures.thresholds, lang, figures.rules, figures.spec.must_pass
    )
    score = _score_words(figures, lang)
    _heatmap_sheet(wb.create_sheet(), figures, shortlist, names, rows, ranks, (gates, score), lang)
    # The shortlist's scores in one read each, split per innovation below.
    framework = figures.spec.framework
    shared = dict(types=scores.EXTERNAL_TYPES, innovation_ids=list(shortlist))
    means = scores.latest_criterion_means(store, visibility, framework=framework, **shared)
    scored = scores.score_rows(store, visibility, framework=framework, latest_round=True, **shared)
    types = scores.assessment_type_names(store, lang)  # a type's name, never its code
    scored["assessment_type"] = scored.assessment_type.map(types).fillna(scored.assessment_type)
    criterion_names = dict(
        store.rows(
            f"SELECT code, name_{sql_language(lang)} FROM criteria WHERE framework_code = ?",
            [framework],
        )
    )
    for innovation_id, title, row, rank_value in zip(shortlist, titles, rows, ranks, strict=True):
        ws = wb.create_sheet(title)
        _innovation_sheet(ws, store, innovation_id, row, rank_value, (gates, score), lang)
        _scores_table(ws, figures, means[means.innovation_id == innovation_id], lang)
        own = scored[scored.innovation_id == innovation_id]
        _assessments_table(ws, store, own, criterion_names, lang)
        _provenance_table(ws, figures, own, lang)
        _sheet_layout(ws)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _settings_sheet(
    ws: Worksheet,
    store: Store,
    ranking: Ranking,
    shortlist: Sequence[int],
    names: dict[int, str],
    lang: str,
    now: datetime,
    prepared_by: str | None,
) -> None:
    ws.title = t("briefing.sheet_settings", lang=lang)
    framework = store.records(
        f"SELECT name_{sql_language(lang)} AS name, provisional FROM frameworks WHERE code = ?",
        [ranking.spec.framework],
    )
    fw = framework[0] if framework else {"name": ranking.spec.framework, "provisional": False}
    _append(ws, [t("briefing.title", lang=lang)], bold=True)
    ws["A1"].font = Font(bold=True, size=14)
    rows = [
        # Finnish wall-clock time: an Excel cell holds no time zone
        (t("briefing.generated", lang=lang), now.replace(microsecond=0, tzinfo=None)),
        (t("access.prepared_by", lang=lang), prepared_by or "–"),
        (t("briefing.framework", lang=lang), fw["name"]),
        (t("briefing.assessments", lang=lang), basis_note(ranking.visibility, lang)),
        (t("access.rests_on", lang=lang), seen_text(ranking.visibility, lang)),
        (t("briefing.score", lang=lang), t("funders.score_help", lang=lang)),
        (
            t("briefing.enough", lang=lang),
            t(
                "funders.enough_value",
                lang=lang,
                enough=ranking.enough,
                weighted=int((ranking.criteria.weight > 0).sum()),
            ),
        ),
        (t("briefing.note", lang=lang), t("funders.not_endorsement", lang=lang)),
    ]
    if fw["provisional"]:
        rows.append((t("briefing.provisional", lang=lang), t("funders.provisional", lang=lang)))
    if is_demo(store):  # first, as every demo export says it, whatever the language
        rows[:0] = [
            DEMO_MARK,
            (
                t("demo.badge", lang=lang),
                demo_help(store, lang),
            ),
        ]
    for label, value in rows:
        _append(ws, [label, value])
        ws.cell(ws.max_row, 1).font = BOLD
    filters = filter_description(store, ranking.spec.filter, lang)
    _append(ws, [])
    _append(ws, [t("briefing.filters", lang=lang)], bold=True)
    for facet, chosen in filters or [(t("briefing.no_filters", lang=lang), "")]:
        _append(ws, [facet, chosen])
    _append(ws, [])
    _weights_table(ws, ranking, lang)
    _append(ws, [])
    _append(ws, [t("briefing.shortlist", lang=lang)], bold=True)
    for n, innovation_id in enumerate(shortlist, start=1):
        _append(ws, [n, names.get(innovation_id, str(innovation_id))])
    _widths(ws, {1: 34, 2: 70, 3: 12, 4: 18, 5: 26})
    for row in ws.iter_rows(min_col=2, max_col=2):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")


def _weights_table(ws: Worksheet, ranking: Ranking, lang: str) -> None:
    _header(
        ws,
        _titles(
            lang,
            "common.criterion",
            "common.dimension",
            "funders.weight",
            "briefing.weight_share",
            "funders.minimum",
        ),
    )
    crit = ranking.criteria
    total = float(crit.weight.sum()) or 1.0
    for row in crit.itertuples():
        minimum = ranking.thresholds.get(row.code)
        _append(
            ws,
            [
                row.name,
                row.dimension,
                round(float(row.weight), 3),
                round(100 * float(row.weight) / total, 1),
                "" if minimum is None else on_scale_value(minimum, row.levels, lang),
            ],
        )


def _heatmap_sheet(
    ws: Worksheet,
    figures: Ranking,
    shortlist: Sequence[int],
    names: dict[int, str],
    rows: list[pd.Series | None],
    ranks: list,
    words,
    lang: str,
) -> None:
    ws.title = t("briefing.sheet_heatmap", lang=lang)
    crit = figures.criteria
    _append(ws, [t("briefing.heatmap_note", lang=lang)])
    _header(
        ws,
        [
            *_titles(lang, "common.criterion", "briefing.scale", "funders.weight"),
            *(names.get(i, str(i)) for i in shortlist),
        ],
    )
    for row in crit.itertuples():
        values = [
            figures.means.at[i, row.code] if i in figures.means.index else None for i in shortlist
        ]
        scale = scale_of(tuple(row.levels))
        _append(
            ws,
            [
                row.name,
                row.scale,
                round(float(row.weight), 3),
                *[_on_scale(v, row.levels, lang) for v in values],
            ],
        )
        for offset, value in enumerate(values):
            cell = ws.cell(ws.max_row, FIRST_SCORE_COLUMN + offset)
            if value is None or value != value:
                cell.fill = MISSING_FILL
                cell.font = Font(italic=True, color="595959")
            elif not scale.numeric:  # a level's name: coloured as its place on the scale
                cell.fill = PatternFill("solid", fgColor=_heat(float(value)))
        if shortlist and scale.numeric:  # the colours run over the criterion's own scale
            end = get_column_letter(FIRST_SCORE_COLUMN - 1 + len(shortlist))
            area = f"{get_column_letter(FIRST_SCORE_COLUMN)}{ws.max_row}:{end}{ws.max_row}"
            ws.conditional_formatting.add(area, _colour_scale(scale))
    _summary_rows(ws, rows, ranks, words, lang)
    _widths(ws, {1: 36, 2: 18, 3: 9, **{4 + n: 22 for n in range(len(shortlist))}})
    for cell in ws[2]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _on_scale(value: float | None, levels: tuple, lang: str) -> object:
    if value is None or value != value:
        return t("compare.not_assessed", lang=lang)
    return on_scale_value(float(value), levels, lang)


def _colour_scale(scale) -> ColorScaleRule:
    low, high = float(scale.bottom), float(scale.top)
    return ColorScaleRule(
        start_type="num",
        start_value=low,
        start_color=HEAT_LOW,
        mid_type="num",
        mid_value=(low + high) / 2,
        mid_color=HEAT_MID,
        end_type="num",
        end_value=high,
        end_color=HEAT_HIGH,
    )


def _heat(normalised: float) -> str:
    """The heatmap's colour at a 0-1 point (low, mid, high as the colour scale runs them)."""
    low, high = (HEAT_LOW, HEAT_MID) if normalised <= 0.5 else (HEAT_MID, HEAT_HIGH)
    share = normalised / 0.5 if normalised <= 0.5 else (normalised - 0.5) / 0.5
    ends = [(int(low[k : k + 2], 16), int(high[k : k + 2], 16)) for k in (0, 2, 4)]
    channels = [round(a + share * (b - a)) for a, b in ends]
    return "".join(f"{c:02X}" for c in channels)


def _summary_rows(ws: Worksheet, rows: list, ranks: list, words, lang: str) -> None:
    gates, score = words
    _append(ws, [t("funders.col.score", lang=lang), "", "", *[score(r) for r in rows]], bold=True)
    _append(ws, [t("funders.col.basis", lang=lang), "", "", *[_basis(r, lang) for r in rows]])
    _append(ws, [t("funders.col.gates", lang=lang), "", "", *[_gate_text(r, gates) for r in rows]])
    ranked = [_rank_text(n, r, lang) for n, r in zip(ranks, rows, strict=True)]
    _append(ws, [t("funders.col.rank", lang=lang), "", "", *ranked])


# One shortlisted innovation's row of the ranking (None: it has no shared external score).
def _score_words(figures: Ranking, lang: str):
    """A function row -> its weighted score on the framework's own scale, as the page shows it
    ("4,2 / 5"); None without one."""
    scale = figures.rules[figures.spec.framework].scale if figures.rules else None

    def score(row: pd.Series | None) -> object:
        if row is None or not row.sufficient or pd.isna(row.score):
            return None
        return shown_score(float(row.score), scale, lang)

    return score


def _basis(row: pd.Series | None, lang: str) -> str:
    if row is None:
        return "–"
    return t(
        "funders.rests_on",
        lang=lang,
        scored=int(row.criteria_scored),
        weighted=int(row.criteria_weighted),
        assessors=int(row.assessors),
    )


def _gate_text(row: pd.Series | None, gates) -> str:
    return "–" if row is None else gates(row.passes, row.fails, row.not_passed) or "–"


def _rank_text(rank_value: object, row: pd.Series | None, lang: str) -> int | str:
    """The rank in the funder's list, else why there is none."""
    if row is None:
        return t("briefing.no_external_seen", lang=lang)
    if pd.isna(rank_value):
        return (
            t(f"funders.status.{row.status}", lang=lang)
            if row.status != "ranked"
            else t("briefing.outside_filter", lang=lang)
        )
    return int(rank_value)  # a number cell


# one sheet per innovation ---------------------------------------------------------------------
def _innovation_sheet(
    ws: Worksheet,
    store: Store,
    innovation_id: int,
    row: pd.Series | None,
    rank_value: object,
    words,
    lang: str,
) -> None:
    gates, score = words
    profile = innovation_profile(store, innovation_id, lang)
    _append(ws, [profile.get(t("briefing.profile.name", lang=lang), "")], bold=True)
    ws["A1"].font = Font(bold=True, size=13)
    _append(ws, [])
    _append(ws, [t("briefing.profile_title", lang=lang)], bold=True)
    for label, value in profile.items():  # a field not recorded reads "–", never blank
        _append(ws, [label, MISSING_FIGURE if value in (None, "") else value])
    _append(ws, [])
    _append(ws, [t("briefing.ranking_title", lang=lang)], bold=True)
    if row is not None:
        for label, value in (
            (t("funders.col.score", lang=lang), score(row)),
            (t("funders.col.basis", lang=lang), _basis(row, lang)),
            (t("funders.col.gates", lang=lang), _gate_text(row, gates)),
            (t("funders.col.rank", lang=lang), _rank_text(rank_value, row, lang)),
            (t("funders.col.latest", lang=lang), row.latest_assessed_on),
        ):
            _append(ws, [label, value])
    else:
        _append(ws, [t("briefing.no_external_seen", lang=lang)])


def _sheet_layout(ws: Worksheet) -> None:
    _widths(ws, {1: 32, 2: 48, 3: 14, 4: 14, 5: 12, 6: 12, 7: 12, 8: 28, 9: 18, 10: 10, 11: 10})
    for row in ws.iter_rows(min_col=2, max_col=2):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")


def innovation_profile(store: Store, innovation_id: int, lang: str) -> dict[str, object]:
    """What the hub knows of one innovation, as (label, value) in ``lang``."""
    lang = sql_language(lang)
    found = store.records(
        f"""
        SELECT i.name, i.ref, i.short_description, st.name_{lang} AS stage,
               i.implementation_place, i.innokyla_url, i.sim_url,
               (SELECT string_agg(o.name, '; ' ORDER BY o.name) FROM innovation_organisations io
                JOIN organisations o ON o.id = io.organisation_id
                WHERE io.innovation_id = i.id AND io.role = 'lead') AS lead,
               (SELECT string_agg(o.name, '; ' ORDER BY o.name) FROM innovation_organisations io
                JOIN organisations o ON o.id = io.organisation_id
                WHERE io.innovation_id = i.id AND io.role <> 'lead') AS partners,
               (SELECT string_agg(r.name_{lang}, '; ' ORDER BY r.sort_order)
                FROM innovation_regions x JOIN regions r ON r.code = x.region_code
                WHERE x.innovation_id = i.id) AS regions,
               (SELECT string_agg(v.name_{lang}, '; ' ORDER BY v.sort_order)
                FROM innovation_themes x JOIN themes v ON v.code = x.theme_code
                WHERE x.innovation_id = i.id) AS themes,
               (SELECT string_agg(v.name_{lang}, '; ' ORDER BY v.sort_order)
                FROM innovation_target_groups x JOIN target_groups v
                  ON v.code = x.target_group_code
                WHERE x.innovation_id = i.id) AS target_groups
        FROM innovations i LEFT JOIN stages st ON st.code = i.stage_code WHERE i.id = ?""",
        [innovation_id],
    )
    if not found:
        return {}
    return {t(f"briefing.profile.{k}", lang=lang): v for k, v in found[0].items()}


def _scores_table(ws: Worksheet, figures: Ranking, means: pd.DataFrame, lang: str) -> None:
    """The innovation's latest-round mean per criterion (``means``: its rows of
    ``scores.latest_criterion_means``), with the assessors' range and the weight."""
    means = means.set_index("criterion_code")
    _append(ws, [])
    _append(ws, [t("briefing.scores_title", lang=lang)], bold=True)
    _header(
        ws,
        _titles(
            lang,
            "common.criterion",
            "common.dimension",
            "briefing.on_scale",
            "briefing.assessors",
            "briefing.lowest",
            "briefing.highest",
            "funders.weight",
        ),
    )
    for c in figures.criteria.itertuples():
        if c.code not in means.index:
            _append(
                ws,
                [
                    c.name,
                    c.dimension,
                    t("compare.not_assessed", lang=lang),
                    0,
                    None,
                    None,
                    round(float(c.weight), 3),
                ],
            )
            continue
        m = means.loc[c.code]
        _append(
            ws,
            [
                c.name,
                c.dimension,
                on_scale_value(m["mean"], c.levels, lang),  # a number on a numeric scale
                int(m.assessors),
                on_scale_value(m["min"], c.levels, lang),
                on_scale_value(m["max"], c.levels, lang),
                round(float(c.weight), 3),
            ],
        )


def _assessments_table(
    ws: Worksheet, store: Store, rows: pd.DataFrame, criterion_names: dict[str, str], lang: str
) -> None:
    """The assessors' overall and per-criterion comments behind the score ``rows``."""
    ids = sorted(set(rows.assessment_id.tolist()))
    summaries = store.records(
        f"""
        SELECT a.id, {shown_assessor_sql("r")} AS assessor, t.name_{sql_language(lang)} AS type,
               a.assessed_on, a.round, a.summary
        FROM assessments a LEFT JOIN assessors r ON r.id = a.assessor_id
        LEFT JOIN assessment_types t ON t.code = a.assessment_type
        WHERE a.id IN (SELECT unnest(?::INTEGER[])) ORDER BY a.assessed_on, a.id""",
        [ids],
    )
    _append(ws, [])
    _append(ws, [t("briefing.comments_title", lang=lang)], bold=True)
    _header(
        ws,
        _titles(
            lang,
            "briefing.assessor",
            "briefing.comment",
            "briefing.type",
            "common.date",
            "briefing.round",
            "common.criterion",
        ),
    )
    for s in summaries:
        if s["summary"]:
            _append(
                ws,
                [
                    s["assessor"],
                    s["summary"],
                    s["type"],
                    s["assessed_on"],
                    s["round"],
                    t("briefing.overall", lang=lang),
                ],
            )
    commented = rows[rows.comment.notna() & (rows.comment.astype(str).str.strip() != "")]
    for r in commented.itertuples():
        _append(
            ws,
            [
                r.assessor,
                r.comment,
                r.assessment_type,
                r.assessed_on,
                r.round,
                criterion_names.get(r.criterion_code, r.criterion_code),
            ],
        )
    if commented.empty and not any(s["summary"] for s in summaries):
        _append(ws, [t("briefing.no_comments", lang=lang)])


# The provenance sheet's columns after the score's own: title key, column of ``score_rows``.
_SOURCE_COLUMNS = (
    ("briefing.file", "file_name"),
    ("briefing.sheet", "source_sheet"),
    ("briefing.row", "source_row"),
    ("briefing.column", "source_column"),
)


def _provenance_table(ws: Worksheet, figures: Ranking, rows: pd.DataFrame, lang: str) -> None:
    """Every score in ``rows`` traced to its file, sheet, row and column (those ``rows`` has:
    ``score_rows`` leaves them out for viewers who may not see provenance)."""
    names = figures.criteria.set_index("code").name
    levels = figures.criteria.set_index("code").levels
    sources = [(key, column) for key, column in _SOURCE_COLUMNS if column in rows]
    _append(ws, [])
    _append(ws, [t("briefing.provenance_title", lang=lang)], bold=True)
    _header(
        ws,
        _titles(
            lang,
            "common.criterion",
            "briefing.assessor",
            "briefing.raw",
            "briefing.value",
            "briefing.type",
            "common.date",
            "briefing.round",
            *(key for key, _ in sources),
            "briefing.assessment_id",
        ),
    )
    for r in rows.to_dict("records"):
        _append(
            ws,
            [
                names.get(r["criterion_code"], r["criterion_code"]),
                r["assessor"],
                number_cell(r["raw_value"]),
                _on_scale(r["normalised"], levels.get(r["criterion_code"], ()), lang),
                r["assessment_type"],
                r["assessed_on"],
                r["round"],
                *(r[column] for _, column in sources),
                r["assessment_id"],
            ],
        )


def file_name(now: datetime | date, lang: str) -> str:
    return t("file.briefing", lang=lang, date=f"{now:%Y-%m-%d}") + ".xlsx"
