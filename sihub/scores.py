"""Assessment scores as the pages compare them: one definition of "an innovation's score".

An innovation's score on a framework is built from its **latest round** (the highest round
number among its active assessments of that framework and assessment types; assessments
without a round count as round 0): per criterion, the mean of the assessors' normalised
scores; overall, the mean of those criterion means. Missing scores are left out, never
counted as 0, and every figure carries the number of criteria, scores and assessors it rests
on. Self-assessments are kept apart from external ones unless asked for.

Which assessments count at all is who is looking: every function takes the viewer's
``visibility`` (``sihub.access``; or a ``Sight``, which adds a panel member's unshared panel
ratings) as its first argument after the store, and the latest round is the latest round the
viewer can see.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from sihub.access import Sight, unseen_provenance, visible_assessments_sql
from sihub.db.sql import sql_language
from sihub.db.store import Store
from sihub.personal import shown_assessor_sql

# The assessment types (the vocabulary assessment_types; the store's CHECK constraint names the
# same six): an innovation's own self-assessment, and the kinds made by someone else.
PANEL_TYPE = "funder_panel"  # a panel member's rating on the day (sihub.panel), never imported
EXTERNAL_TYPES = ("peer", "expert", "funder", "jury", PANEL_TYPE)
ALL_TYPES = ("self", *EXTERNAL_TYPES)
IMPORTED_TYPES = tuple(kind for kind in ALL_TYPES if kind != PANEL_TYPE)
# The two scopes scores are summarised in: what others said, and what developers said of their
# own work (never averaged together). The comparison calls them its bases.
SCOPES: dict[str, tuple[str, ...]] = {"external": EXTERNAL_TYPES, "self": ("self",)}
DEFAULT_FRAMEWORK = "si_tool"


def assessment_type_names(store: Store, lang: str) -> dict[str, str]:
    """Assessment type code -> its name in ``lang`` ("expert" -> "Expert assessment"), for every
    place that shows or exports a type: a code is never shown where its name belongs."""
    return dict(store.rows(f"SELECT code, name_{sql_language(lang)} FROM assessment_types"))


# Assessors "disagree strongly" when their scores lie at least half the scale apart: 1 and 3
# on a 1-5 scale, red and yellow on a traffic light, "no" and "partly".
DISAGREEMENT = 0.5
# Who an assessor is, wherever assessors are counted: an assessment without one (an anonymous
# form) is an assessor of its own, so that its scores never rest on "0 assessors". Written over
# the columns of the score rows below (assessor_id, assessment_id).
ASSESSOR_KEY = "coalesce(CAST(assessor_id AS VARCHAR), 'anon:' || CAST(assessment_id AS VARCHAR))"


def _where(
    visibility: Sight | str,
    framework: str | None,
    types: Sequence[str],
    innovation_ids: Sequence[int] | None,
) -> tuple[str, list]:
    clauses = [
        "a.superseded_by_batch IS NULL",
        "s.normalised IS NOT NULL",
        visible_assessments_sql(visibility, "a"),
        f"a.assessment_type IN ({', '.join('?' for _ in types)})",
    ]
    params: list = list(types)
    if framework:
        # Said of both tables: DuckDB then filters criteria before the join (several times
        # faster on many scores) instead of joining every framework's criteria first.
        clauses.append("a.framework_code = ? AND c.framework_code = ?")
        params += [framework, framework]
    if innovation_ids is not None:
        # list_contains, not IN (SELECT unnest(...)): DuckDB then filters the assessments
        # first instead of joining every score (a profile's rows: 20 ms, not 200 ms).
        clauses.append("list_contains(?::INTEGER[], a.innovation_id)")
        params.append(list(innovation_ids))
    return " AND ".join(clauses), params


def _latest(
    visibility: Sight | str,
    latest_round: bool,
    types: Sequence[str],
    innovation_ids: Sequence[int] | None = None,
) -> tuple[str, list]:
    """The clause keeping only each innovation's latest round (among the assessments the
    visibility sees), and its parameters."""
    if not latest_round:
        return "", []
    # An uncorrelated semi-join: DuckDB runs it as one hash join, not a lookup per score;
    # for a few innovations it looks only at theirs.
    only = "" if innovation_ids is None else "AND list_contains(?::INTEGER[], x.innovation_id)"
    sql = f"""AND (a.innovation_id, a.framework_code, coalesce(a.round, 0)) IN (
        SELECT x.innovation_id, x.framework_code, max(coalesce(x.round, 0)) FROM assessments x
        WHERE x.superseded_by_batch IS NULL AND x.assessment_type = ANY(?::VARCHAR[])
          AND {visible_assessments_sql(visibility, "x")} {only}
        GROUP BY x.innovation_id, x.framework_code)"""
    params = [list(types)]
    return sql, params if innovation_ids is None else [*params, list(innovation_ids)]


_SCORED = """FROM scores s JOIN assessments a ON a.id = s.assessment_id
        JOIN criteria c ON c.framework_code = a.framework_code AND c.code = s.criterion_code"""
_COUNTED = """a.innovation_id, a.id AS assessment_id, a.framework_code, s.criterion_code,
               c.dimension_code, c.sort_order, a.assessor_id, a.round, a.assessed_on,
               s.normalised"""


def _rows_sql(
    visibility: Sight | str,
    framework: str | None,
    types: Sequence[str],
    innovation_ids: Sequence[int] | None = None,
    latest_round: bool = True,
    *,
    columns: str = _COUNTED,
    joins: str = "",
) -> tuple[str, list]:
    """SQL of the scores in scope, one row per score, and its parameters."""
    where, params = _where(visibility, framework, types, innovation_ids)
    latest, more = _latest(visibility, latest_round, types, innovation_ids)
    sql = f"""
        SELECT {columns}
        {_SCORED} {joins}
        WHERE {where} {latest}"""
    return sql, params + more


# ``score_rows`` reads the same rows with who scored (as ``sihub.personal`` shows them) and where
# each score came from.
_PROVENANCE = f"""a.innovation_id, a.id AS assessment_id, a.framework_code, s.criterion_code,
               c.dimension_code, a.assessor_id, {shown_assessor_sql("r")} AS assessor,
               a.assessment_type, a.round, a.assessed_on, a.shared, s.raw_value, s.value,
               s.normalised, s.comment, s.batch_id, b.file_name, s.source_sheet, s.source_row,
               s.source_column"""
_PROVENANCE_JOINS = """LEFT JOIN assessors r ON r.id = a.assessor_id
        LEFT JOIN import_batches b ON b.id = s.batch_id"""


def score_rows(
    store: Store,
    visibility: Sight | str,
    *,
    framework: str | None = DEFAULT_FRAMEWORK,
    types: Sequence[str] = ALL_TYPES,
    innovation_ids: Sequence[int] | None = None,
    latest_round: bool = False,
) -> pd.DataFrame:
    """Every active, non-missing score that ``visibility`` sees, with its assessment and, for
    viewers who see it (``sihub.access``), its provenance, one row per score."""
    sql, params = _rows_sql(
        visibility,
        framework,
        types,
        innovation_ids,
        latest_round,
        columns=_PROVENANCE,
        joins=_PROVENANCE_JOINS,
    )
    rows = store.query(f"{sql} ORDER BY a.innovation_id, c.sort_order, a.assessed_on, a.id", params)
    return rows.drop(columns=list(unseen_provenance(visibility)), errors="ignore")


def criterion_means(rows: pd.DataFrame) -> pd.DataFrame:
    """Per innovation and criterion: mean, spread and counts of the given score rows."""
    if rows.empty:
        return pd.DataFrame(
            columns=[
                "innovation_id",
                "framework_code",
                "criterion_code",
                "dimension_code",
                "mean",
                "min",
                "max",
                "spread",
                "scores",
                "assessors",
            ]
        )
    anonymous = "anon:" + rows["assessment_id"].astype(str)
    rows = rows.assign(assessor_key=rows["assessor_id"].astype("string").fillna(anonymous))
    grouped = rows.groupby(
        ["innovation_id", "framework_code", "criterion_code", "dimension_code"], sort=False
    )
    out = grouped.agg(
        mean=("normalised", "mean"),
        min=("normalised", "min"),
        max=("normalised", "max"),
        scores=("normalised", "size"),
        assessors=("assessor_key", "nunique"),
    ).reset_index()
    out["spread"] = out["max"] - out["min"]
    return out


# --- the aggregates in DuckDB --------------------------------------------------------------
# Ranking or filtering ten thousand innovations must not pull every score into pandas, so the
# aggregates run in DuckDB. They all read ``_rows_sql`` (as ``score_rows`` does): one
# definition of which scores count (scope and latest round), and tests pin the results to
# ``criterion_means(score_rows(...))``.


def criterion_scores_sql(
    visibility: Sight | str,
    framework: str | None,
    types: Sequence[str] = EXTERNAL_TYPES,
    innovation_ids: Sequence[int] | None = None,
    all_rounds: bool = False,
) -> tuple[str, list]:
    """SQL twin of ``criterion_means``: per innovation, criterion (and round), with counts."""
    rows, params = _rows_sql(visibility, framework, types, innovation_ids, not all_rounds)
    sql = f"""
        SELECT innovation_id, framework_code, round, criterion_code, dimension_code,
               avg(normalised) AS mean, min(normalised) AS min, max(normalised) AS max,
               max(normalised) - min(normalised) AS spread, count(*) AS scores,
               count(DISTINCT {ASSESSOR_KEY}) AS assessors, max(assessed_on) AS assessed_on,
               list(DISTINCT {ASSESSOR_KEY}) AS assessor_ids,
               any_value(sort_order) AS sort_order
        FROM ({rows})
        GROUP BY innovation_id, framework_code, round, criterion_code, dimension_code"""
    return sql, params


def innovation_scores_sql(
    visibility: Sight | str,
    framework: str,
    types: Sequence[str] = EXTERNAL_TYPES,
    innovation_ids: Sequence[int] | None = None,
) -> tuple[str, list]:
    """SQL twin of ``innovation_scores``: one row per assessed innovation, same columns."""
    rows, params = _rows_sql(visibility, framework, types, innovation_ids)
    sql = f"""
        WITH r AS ({rows}),
             crit AS (SELECT innovation_id, criterion_code, avg(normalised) AS mean
                      FROM r GROUP BY ALL),
             per AS (SELECT innovation_id, avg(mean) AS mean_score,
                            count(*) AS criteria_scored FROM crit GROUP BY ALL),
             facts AS (SELECT innovation_id, count(*) AS scores,
                              count(DISTINCT {ASSESSOR_KEY}) AS assessors,
                              count(DISTINCT assessment_id) AS assessments, max(round) AS round,
                              max(assessed_on) AS latest_assessed_on FROM r GROUP BY ALL)
        SELECT innovation_id, mean_score, criteria_scored,
               (SELECT count(*) FROM criteria WHERE framework_code = ? AND NOT retired)
                   AS criteria_total,
               scores, assessors, assessments, round, latest_assessed_on
        FROM per JOIN facts USING (innovation_id) ORDER BY innovation_id"""
    return sql, [*params, framework]


def innovation_scores(
    store: Store,
    visibility: Sight | str,
    *,
    framework: str = DEFAULT_FRAMEWORK,
    types: Sequence[str] = EXTERNAL_TYPES,
    innovation_ids: Sequence[int] | None = None,
) -> pd.DataFrame:
    """One row per assessed innovation: mean score of its latest round and what it rests on.

    Columns: innovation_id, mean_score (0-1), criteria_scored, criteria_total, scores,
    assessors, assessments, round, latest_assessed_on.
    """
    return store.query(*innovation_scores_sql(visibility, framework, types, innovation_ids))


def latest_criterion_means(
    store: Store,
    visibility: Sight | str,
    *,
    framework: str | None = DEFAULT_FRAMEWORK,
    types: Sequence[str] = EXTERNAL_TYPES,
    innovation_ids: Sequence[int] | None = None,
    all_rounds: bool = False,
    with_assessor_ids: bool = False,
) -> pd.DataFrame:
    """``criterion_means`` of the latest round (or of every round, one row per round).

    Columns: those of ``criterion_means`` plus round and assessed_on (the latest date of the
    scores behind the mean); with ``with_assessor_ids`` also the list of assessor ids.
    """
    sql, params = criterion_scores_sql(visibility, framework, types, innovation_ids, all_rounds)
    # Left out in SQL, not dropped after: DuckDB then skips building the lists (a third of
    # the time over every innovation).
    unused = "sort_order" if with_assessor_ids else "sort_order, assessor_ids"
    return store.query(
        f"SELECT * EXCLUDE ({unused}) FROM ({sql}) "
        "ORDER BY innovation_id, round NULLS FIRST, sort_order",
        params,
    )


def latest_score_matrix(
    store: Store,
    visibility: Sight | str,
    criteria: Sequence[str],
    *,
    framework: str = DEFAULT_FRAMEWORK,
    types: Sequence[str] = EXTERNAL_TYPES,
    innovation_ids: Sequence[int] | None = None,
) -> pd.DataFrame:
    """One row per assessed innovation: the facts of ``innovation_scores`` (without the mean)
    and one column per criterion in ``criteria`` holding its latest-round mean (NaN = not
    assessed). Wide, so that ranking thousands of innovations stays fast."""
    rows, params = _rows_sql(visibility, framework, types, innovation_ids)
    # A criterion's mean over its scores is the mean over its assessors (one score each).
    # Columns are named by position; criterion codes only ever travel as bound values.
    means = "".join(
        f", avg(normalised) FILTER (WHERE criterion_code = ?) AS c{i}" for i in range(len(criteria))
    )
    df = store.query(
        f"""
        SELECT innovation_id, count(*) AS scores, count(DISTINCT {ASSESSOR_KEY}) AS assessors,
               count(DISTINCT assessment_id) AS assessments, max(round) AS round,
               max(assessed_on) AS latest_assessed_on{means}
        FROM ({rows}) GROUP BY innovation_id ORDER BY innovation_id""",
        [*criteria, *params],
    )
    return df.rename(columns={f"c{i}": code for i, code in enumerate(criteria)})


def dimension_means_by_round(
    store: Store,
    visibility: Sight | str,
    *,
    framework: str | None = DEFAULT_FRAMEWORK,
    types: Sequence[str] = EXTERNAL_TYPES,
) -> pd.DataFrame:
    """Per round and dimension: the mean over innovations of each one's dimension mean.

    An innovation's dimension mean in a round is the mean of its criterion means (each the mean
    of the assessors' scores, as in ``criterion_means``) for that dimension. Assessments without
    a round count as round 0. Columns: round, dimension_code, mean, innovations, assessors,
    scores.
    """
    rows, params = _rows_sql(visibility, framework, types, latest_round=False)
    return store.query(
        f"""
        WITH r AS (SELECT innovation_id, coalesce(round, 0) AS round, criterion_code,
                          dimension_code, assessor_id, assessment_id, normalised FROM ({rows})),
             crit AS (SELECT innovation_id, round, criterion_code, dimension_code,
                             avg(normalised) AS mean FROM r GROUP BY ALL),
             dim AS (SELECT innovation_id, round, dimension_code, avg(mean) AS mean
                     FROM crit GROUP BY ALL),
             who AS (SELECT round, dimension_code, count(DISTINCT {ASSESSOR_KEY}) AS assessors,
                            count(*) AS scores FROM r GROUP BY ALL)
        SELECT d.round, d.dimension_code, avg(d.mean) AS mean,
               count(DISTINCT d.innovation_id) AS innovations, w.assessors, w.scores
        FROM dim d JOIN who w USING (round, dimension_code)
        GROUP BY d.round, d.dimension_code, w.assessors, w.scores
        ORDER BY d.round, d.dimension_code""",
        params,
    )


def basis_text(
    criteria_scored: int, criteria_total: int, assessors: int, lang: str | None = None
) -> str:
    """What an average rests on, e.g. "8/10 criteria, 3 assessors" (shown beside every mean)."""
    from sihub.i18n import t

    return t(
        "scores.basis",
        lang=lang,
        scored=int(criteria_scored),
        total=int(criteria_total),
        assessors=int(assessors),
    )
