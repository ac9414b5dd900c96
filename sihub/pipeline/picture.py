"""The pipeline picture of a selection: innovations per stage, stage x theme, and movement
between stages over time (from the stage history), each with its sentence in words.

The selection is the explorer's (``sihub.pipeline.selection_sql``); "not recorded" is counted
and shown, never dropped.
"""

from __future__ import annotations

import pandas as pd

from sihub.db.sql import sql_language
from sihub.db.store import Store
from sihub.i18n import t
from sihub.overview import NOT_RECORDED as CHART_NOT_RECORDED
from sihub.pipeline import NOT_RECORDED_SORT, selection_sql
from sihub.pipeline.filters import InnovationFilter


def stage_counts(store: Store, visibility: str, f: InnovationFilter, lang: str) -> pd.DataFrame:
    """Innovations of the selection per stage (every stage, zeros kept) and "not recorded".

    Columns: code, label, innovations (``analytics.NOT_RECORDED`` codes the last row, so the
    shared bar chart draws it grey).
    """
    selection, params = selection_sql(f, visibility)
    lang = sql_language(lang)
    df = store.query(
        f"""
        WITH sel AS ({selection})
        SELECT s.code, s.name_{lang} AS label,
               count(i.id) FILTER (WHERE i.id IN (SELECT id FROM sel)) AS innovations
        FROM stages s LEFT JOIN innovations i ON i.stage_code = s.code
        GROUP BY s.code, s.name_{lang}, s.sort_order ORDER BY s.sort_order""",
        params,
    )
    missing = store.scalar(
        f"SELECT count(*) FROM innovations i WHERE i.id IN ({selection}) "
        "AND (i.stage_code IS NULL OR i.stage_code NOT IN (SELECT code FROM stages))",
        params,
    )
    extra = pd.DataFrame(
        {
            "code": [CHART_NOT_RECORDED],
            "label": [t("common.not_recorded", lang=lang)],
            "innovations": [missing],
        }
    )
    return pd.concat([df, extra], ignore_index=True)


def stage_theme_matrix(
    store: Store, visibility: str, f: InnovationFilter, lang: str
) -> pd.DataFrame:
    """Innovations of the selection per stage (rows) and theme (columns), both in vocabulary
    order with a last "not recorded" row and column; an innovation with two themes counts in
    both columns."""
    selection, params = selection_sql(f, visibility)
    lang = sql_language(lang)
    none = t("common.not_recorded", lang=lang)
    long = store.query(
        f"""
        WITH sel AS ({selection})
        SELECT coalesce(s.name_{lang}, ?) AS stage, coalesce(s.sort_order, {NOT_RECORDED_SORT})
                   AS stage_order,
               coalesce(th.name_{lang}, ?) AS theme,
               coalesce(th.sort_order, {NOT_RECORDED_SORT}) AS theme_order,
               count(DISTINCT i.id) AS innovations
        FROM sel JOIN innovations i ON i.id = sel.id
        LEFT JOIN stages s ON s.code = i.stage_code
        LEFT JOIN innovation_themes x ON x.innovation_id = i.id
        LEFT JOIN themes th ON th.code = x.theme_code
        GROUP BY ALL""",
        [*params, none, none],
    )
    stages = _axis(store, "stages", lang, none, long, "stage")
    themes = _axis(store, "themes", lang, none, long, "theme")
    matrix = long.pivot_table(
        index="stage", columns="theme", values="innovations", aggfunc="sum", fill_value=0
    )
    return matrix.reindex(index=stages, columns=themes, fill_value=0).astype(int)


def _axis(
    store: Store, table: str, lang: str, none: str, long: pd.DataFrame, column: str
) -> list[str]:
    """Every vocabulary name in order, plus "not recorded" when some innovation lacks one."""
    names = [r[0] for r in store.rows(f"SELECT name_{lang} FROM {table} ORDER BY sort_order")]
    return names + ([none] if (long[column] == none).any() else [])


MOVEMENTS_SQL = """
    WITH sel AS ({selection}),
    steps AS (
        SELECT h.innovation_id, h.stage_code, h.entered_on,
               lag(h.stage_code) OVER (PARTITION BY h.innovation_id
                                       ORDER BY h.entered_on, h.stage_code) AS from_code
        FROM stage_history h WHERE h.innovation_id IN (SELECT id FROM sel))
    SELECT year(st.entered_on) AS year, st.from_code, f.name_{lang} AS from_stage,
           st.stage_code AS to_code, tt.name_{lang} AS to_stage, tt.sort_order AS to_order,
           count(*) AS innovations
    FROM steps st LEFT JOIN stages f ON f.code = st.from_code
    LEFT JOIN stages tt ON tt.code = st.stage_code
    WHERE st.from_code IS DISTINCT FROM st.stage_code   -- a stage recorded twice is no move
    GROUP BY ALL ORDER BY year, to_order, from_stage NULLS FIRST"""


def stage_movements(store: Store, visibility: str, f: InnovationFilter, lang: str) -> pd.DataFrame:
    """Moves between stages per year, from the selection's stage history.

    One row per year, origin and destination: year, from_code / from_stage (missing for an
    innovation's first recorded stage, its entry into the pipeline), to_code / to_stage,
    to_order and innovations (how many made that move that year).
    """
    selection, params = selection_sql(f, visibility)
    return store.query(MOVEMENTS_SQL.format(selection=selection, lang=sql_language(lang)), params)


def history_coverage(store: Store, visibility: str, f: InnovationFilter) -> dict[str, int]:
    """How many selected innovations have a stage history at all (the picture rests on them)."""
    selection, params = selection_sql(f, visibility)
    return store.records(
        f"""
        WITH sel AS ({selection})
        SELECT count(*) AS selected,
               count(*) FILTER (WHERE id IN (SELECT innovation_id FROM stage_history))
                   AS with_history
        FROM sel""",
        params,
    )[0]


# --- the pictures in words ---------------------------------------------------------------------
def matrix_sentence(matrix: pd.DataFrame, lang: str) -> str:
    """The stage x theme matrix in a sentence: its largest cell and how many cells are empty."""
    if matrix.empty or int(matrix.to_numpy().sum()) == 0:
        return t("pipeline.matrix.none", lang=lang)
    stacked = matrix.stack()
    (stage, theme), top = stacked.idxmax(), int(stacked.max())
    empty = int((stacked == 0).sum())
    return t(
        "pipeline.matrix.sentence",
        lang=lang,
        stage=stage,
        theme=theme,
        count=top,
        empty=empty,
        cells=len(stacked),
    )


def movement_sentence(moves: pd.DataFrame, coverage: dict[str, int], lang: str) -> str:
    """The stage movements in a sentence: how many moves, the busiest year and destination."""
    without = coverage["selected"] - coverage["with_history"]
    tail = t("pipeline.moves.without", lang=lang, count=without) if without else ""
    moved = moves[moves.from_code.notna()]
    if moved.empty:
        return (t("pipeline.moves.none", lang=lang) + " " + tail).strip()
    per_year = moved.groupby("year")["innovations"].sum()
    year = int(per_year.idxmax())
    in_year = moved[moved.year == year].groupby("to_stage")["innovations"].sum()
    text = t(
        "pipeline.moves.sentence",
        lang=lang,
        moves=int(moved.innovations.sum()),
        first=str(int(moves.year.min())),
        last=str(int(moves.year.max())),
        year=str(year),
        year_moves=int(per_year.max()),
        stage=in_year.idxmax(),
        stage_moves=int(in_year.max()),
    )
    return (text + " " + tail).strip()


def stage_names(store: Store, lang: str) -> list[str]:
    return [
        r[0]
        for r in store.rows(f"SELECT name_{sql_language(lang)} FROM stages ORDER BY sort_order")
    ]
