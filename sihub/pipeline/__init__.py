"""The pipeline explorer's queries: an ``InnovationFilter`` becomes SQL.

Within a facet the selected values are alternatives (OR); facets, search and score filters
combine with AND. ``NOT_RECORDED`` in a facet selects the innovations with no value for it, so
a filter never silently drops records. Facet counts follow the usual faceted-search rule: each
facet is counted under every filter except its own, so the numbers say what choosing a value
would give. Scores are those of ``sihub.scores`` (latest round, external assessments, missing
left out) on the filter's score framework, among the assessments the viewer's visibility sees
(``sihub.access``): every query here takes it, and so do the facets that rest on assessments
(status, framework, round).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

import pandas as pd

from sihub import scores
from sihub.access import Visibility, seen_text, unseen_provenance
from sihub.db.sql import sql_language
from sihub.db.store import Store
from sihub.exports import is_demo
from sihub.i18n import format_on_scale, score_on_scale, t
from sihub.pipeline.filters import ASSESSMENT_STATUSES, NOT_RECORDED, InnovationFilter
from sihub.pipeline.search import rank_sql, text_condition
from sihub.reference import framework_scale
from sihub.reference.outcomes import TOLERANCE, framework_rules, outcomes, result_text
from sihub.reference.scales import SCORE_TOLERANCE, Scale, normalised_of_sql
from sihub.urls import LeftOut, known_only

# The explorer's scores are those of external assessments (scores.SCOPES["external"]):
# self-assessments are kept apart, and shown on each innovation's profile.


@dataclass(frozen=True)
class Facet:
    """One facet: the filter field it sets; its values are in ``facet_values`` (derived)."""

    key: str
    field: str
    vocabulary: str | None = None  # table of codes with name_<lang> and sort_order

    def values_sql(self, visibility: str) -> str:
        """The facet's distinct (innovation_id, code) rows that ``visibility`` sees (rows of
        facets that do not rest on assessments have no visibility: everyone sees them)."""
        return (
            f"SELECT innovation_id, code FROM facet_values WHERE facet = '{self.key}' "
            f"AND {_visible_rows(visibility)}"
        )


def _visible_rows(visibility: str, alias: str = "") -> str:
    """The derived rows of facet_values one visibility reads. The visibility is one of ours
    (``sihub.access.Visibility``), written as a literal like the facet keys."""
    column = f"{alias}.visibility" if alias else "visibility"
    return f"({column} IS NULL OR {column} = '{Visibility(visibility).value}')"


FACETS: tuple[Facet, ...] = (
    Facet("stage", "stages", "stages"),
    Facet("theme", "themes", "themes"),
    Facet("target_group", "target_groups", "target_groups"),
    Facet("region", "regions", "regions"),
    Facet("organisation", "organisations"),
    Facet("org_type", "org_types", "org_types"),
    Facet("country", "countries", "countries"),
    Facet("scope", "scopes", "scopes"),  # the level of action
    Facet("initiative_type", "initiative_types", "initiative_types"),
    Facet("status", "statuses"),
    Facet("framework", "frameworks", "frameworks"),
    Facet("round", "rounds"),
)
FACET_BY_KEY = {f.key: f for f in FACETS}

# ORDER BY clauses of the results table (identifiers are ours; the user picks a key).
SORTS: dict[str, str] = {
    "relevance": "rank, d.sort_name, i.id",
    "name": "d.sort_name, i.id",
    "score": "sc.mean_score DESC NULLS LAST, d.sort_name, i.id",
    "latest": "fa.latest_assessed_on DESC NULLS LAST, d.sort_name, i.id",
    "assessments": "coalesce(fa.assessments, 0) DESC, d.sort_name, i.id",
    "stage": "d.stage_order NULLS LAST, d.sort_name, i.id",
}


def score_framework(f: InnovationFilter) -> str:
    return f.score_framework or scores.DEFAULT_FRAMEWORK


def as_list(value: object) -> list:
    """A list cell as a list; a missing one (None, NaN, pd.NA) as an empty list."""
    return [] if isinstance(value, str) or not pd.api.types.is_list_like(value) else list(value)


# --- conditions: each a SQL expression over ``i`` (innovations) and its parameters ----------
def _facet_condition(facet: Facet, selected: tuple[str, ...], visibility: str) -> tuple[str, list]:
    if not selected:
        return "TRUE", []
    codes = [v for v in selected if v != NOT_RECORDED]
    parts, params = [], []
    values = facet.values_sql(visibility)
    if codes:
        parts.append(
            f"i.id IN (SELECT innovation_id FROM ({values}) WHERE code = ANY(?::VARCHAR[]))"
        )
        params.append(codes)
    if NOT_RECORDED in selected:
        parts.append(f"i.id NOT IN (SELECT innovation_id FROM ({values}))")
    return "(" + " OR ".join(parts) + ")", params


def _text_condition(f: InnovationFilter) -> tuple[str, list]:
    return text_condition(f.q)


def _score_part(f: InnovationFilter) -> tuple[str, str] | None:
    """The criterion_summary column and code a minimum score is set on; None for the mean."""
    kind, _, code = f.score_on.partition(":")
    if f.min_score is None or kind not in ("criterion", "dimension") or not code:
        return None
    return ("criterion_code" if kind == "criterion" else "dimension_code"), code


# The scale a typed minimum is on: the framework's, or the criterion's own (``?``: framework,
# then criterion code).
FRAMEWORK_SCALE_SQL = "(SELECT default_scale FROM frameworks WHERE code = ?)"
CRITERION_SCALE_SQL = "(SELECT scale_code FROM criteria WHERE framework_code = ? AND code = ?)"


# SQL twin of ``outcomes.outcome_of``'s pass (tests pin the two together): every current
# criterion assessed, and every assessor of the latest round put it on the scale's top level.
PASSES_SQL = """i.id IN (
    SELECT c.innovation_id FROM criterion_summary c
    JOIN criteria k ON k.framework_code = c.framework_code AND k.code = c.criterion_code
    WHERE c.framework_code = ? AND c.scope = 'external' AND c.visibility = ? AND NOT k.retired
      AND c.min >= (SELECT max(normalised) FROM scale_levels WHERE scale_code =
                    (SELECT default_scale FROM frameworks WHERE code = ?)) - ?
    GROUP BY c.innovation_id
    HAVING count(*) = (SELECT count(*) FROM criteria WHERE framework_code = ? AND NOT retired))"""


def _threshold(f: InnovationFilter, part: tuple[str, str] | None) -> tuple[str, list]:
    """The stored 0-1 value of the minimum typed on the scale shown next to it."""
    framework = score_framework(f)
    if part and part[0] == "criterion_code":
        scale_sql, params = CRITERION_SCALE_SQL, [framework, part[1]]
    else:
        scale_sql, params = FRAMEWORK_SCALE_SQL, [framework]
    return f"{normalised_of_sql(scale_sql)} - {SCORE_TOLERANCE}", [*params, f.min_score]


def _score_condition(f: InnovationFilter, visibility: str) -> tuple[str, list]:
    """Minimum score on the mean, a criterion or a dimension; at least N criteria scored.

    The minimum is typed on the framework's (or the criterion's) own scale and compared with
    the stored 0-1 means through the scale's levels. An innovation without the score asked
    about does not pass a minimum: a missing score is not a low score, but it is not a high
    one either. The page says how many that leaves out.
    """
    framework = score_framework(f)
    parts, params = [], []
    part = _score_part(f)
    if part:
        column, code = part
        threshold, threshold_params = _threshold(f, part)
        parts.append(
            "i.id IN (SELECT innovation_id FROM criterion_summary WHERE framework_code = ? "
            f"AND scope = 'external' AND visibility = ? AND {column} = ? "
            f"GROUP BY innovation_id HAVING avg(mean) >= {threshold})"
        )
        params += [framework, visibility, code, *threshold_params]
    overall = f.min_score is not None and not part
    if overall or f.min_criteria:
        threshold, threshold_params = _threshold(f, None) if overall else ("0", [])
        parts.append(
            "i.id IN (SELECT innovation_id FROM score_summary WHERE framework_code = ? "
            "AND scope = 'external' AND visibility = ? "
            f"AND mean_score >= {threshold} AND criteria_scored >= ?)"
        )
        params += [framework, visibility, *threshold_params, f.min_criteria or 0]
    if f.passes:
        parts.append(PASSES_SQL)
        params += [framework, visibility, framework, TOLERANCE, framework]
    return (" AND ".join(parts) or "TRUE"), params


def _measure_condition(f: InnovationFilter, visibility: str) -> tuple[str, list]:
    """Whether the innovation has the score a minimum is set on at all (to count those left
    out for lacking it, apart from those left out for scoring below it)."""
    framework = score_framework(f)
    part = _score_part(f)
    if part:
        column, code = part
        return (
            "i.id IN (SELECT innovation_id FROM criterion_summary WHERE framework_code = ? "
            f"AND scope = 'external' AND visibility = ? AND {column} = ?)",
            [framework, visibility, code],
        )
    return (
        "i.id IN (SELECT innovation_id FROM score_summary WHERE framework_code = ? "
        "AND scope = 'external' AND visibility = ?)",
        [framework, visibility],
    )


def has_score_filter(f: InnovationFilter) -> bool:
    return f.min_score is not None or bool(f.min_criteria) or f.passes


def conditions(f: InnovationFilter, visibility: str) -> dict[str, tuple[str, list]]:
    """Every part of the filter as SQL over ``i``: one per facet, then text, ids and score."""
    out = {
        facet.key: _facet_condition(facet, getattr(f, facet.field), visibility) for facet in FACETS
    }
    out["text"] = _text_condition(f)
    out["ids"] = ("i.id = ANY(?::INTEGER[])", [list(f.ids)]) if f.ids else ("TRUE", [])
    out["score"] = _score_condition(f, visibility)
    return out


def selection_sql(f: InnovationFilter, visibility: str) -> tuple[str, list]:
    """``SELECT id FROM innovations`` of the innovations the filter selects, as a viewer with
    ``visibility`` sees them (a status, round or minimum score rests on assessments)."""
    parts = conditions(f, visibility).values()
    where = " AND ".join(sql for sql, _ in parts)
    return f"SELECT i.id FROM innovations i WHERE {where}", [p for _, ps in parts for p in ps]


# --- facets -----------------------------------------------------------------------------------
def _counts_sql(f: InnovationFilter, visibility: str) -> tuple[str, list]:
    """CTEs ``flags`` (one row per innovation, a column per filter part) and ``counts``.

    ``counts`` (facet, code, innovations): per facet value under every filter but the facet's
    own, with "not recorded"; pseudo-facet ``total`` (``selected``, ``all``) and, when a score
    filter is set, ``score`` (``scored`` / ``none``: innovations that pass every other filter,
    with and without the score asked about, whatever its value).
    """
    conds = conditions(f, visibility)
    flags = ", ".join(f"({sql}) AS f_{key}" for key, (sql, _) in conds.items())
    params = [p for _, ps in conds.values() for p in ps]
    measure, measure_params = (
        _measure_condition(f, visibility) if has_score_filter(f) else ("FALSE", [])
    )
    flags += f", ({measure}) AS has_measure"
    params += measure_params
    presence = ", ".join(f"bool_or(facet = '{x.key}') AS p_{x.key}" for x in FACETS)

    def others(key: str) -> str:
        return " AND ".join(f"fl.f_{k}" for k in conds if k != key)

    # values: one join of all facets' rows with the flags, each row kept when the
    # innovation passes every filter but its own facet's
    which = " ".join(f"WHEN '{x.key}' THEN {others(x.key)}" for x in FACETS)
    # not recorded: one pass over the innovations, a filtered count per facet
    missing = ", ".join(
        f"count(*) FILTER (WHERE {others(x.key)} AND NOT coalesce(fl.p_{x.key}, FALSE))"
        for x in FACETS
    )
    keys = ", ".join(f"'{x.key}'" for x in FACETS)
    parts = [
        f"""SELECT v.facet, v.code, count(*) AS innovations
            FROM facet_values v JOIN flags fl ON fl.id = v.innovation_id
            WHERE {_visible_rows(visibility, "v")} AND CASE v.facet {which} END
            GROUP BY v.facet, v.code""",
        f"""SELECT unnest([{keys}]), '{NOT_RECORDED}', unnest(n)
            FROM (SELECT [{missing}] AS n FROM flags fl)""",
        f"SELECT 'total', 'selected', count(*) FROM flags fl WHERE {others('')}",
        "SELECT 'total', 'all', count(*) FROM flags",
    ]
    if has_score_filter(f):
        parts.append(
            f"SELECT 'score', CASE WHEN fl.has_measure THEN 'scored' ELSE '{NOT_RECORDED}' END, "
            f"count(*) FROM flags fl WHERE {others('score')} GROUP BY ALL"
        )
    sql = (
        f"flags AS MATERIALIZED (SELECT i.id, {flags}, pr.* EXCLUDE (innovation_id) "
        f"FROM innovations i LEFT JOIN (SELECT innovation_id, {presence} FROM facet_values "
        f"WHERE {_visible_rows(visibility)} GROUP BY innovation_id) pr "
        "ON pr.innovation_id = i.id), "
        f"counts AS ({' UNION ALL '.join(parts)})"
    )
    return sql, params


def _labels_sql(f: InnovationFilter, lang: str) -> tuple[str, list]:
    """CTE ``labels`` (facet, code, label, sort): every value a facet can offer, named.

    Organisations and rounds: those counted, and those selected even when nothing matches
    them now (a selection must never vanish from the widgets and the URL by itself).
    """
    lang = sql_language(lang)
    parts = [
        f"SELECT '{facet.key}' AS facet, code, name_{lang} AS label, sort_order AS sort "
        f"FROM {facet.vocabulary}"
        for facet in FACETS
        if facet.vocabulary
    ]
    parts.append(
        "SELECT 'organisation', CAST(id AS VARCHAR), name, 0 FROM organisations "
        "WHERE CAST(id AS VARCHAR) IN (SELECT code FROM counts WHERE facet = 'organisation') "
        "OR CAST(id AS VARCHAR) = ANY(?::VARCHAR[])"
    )
    parts.append("SELECT 'status', unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), unnest(range(3))")
    parts.append(
        "SELECT 'round', code, replace(?, '{n}', code), CAST(code AS INTEGER) FROM ("
        f"SELECT code FROM counts WHERE facet = 'round' AND code <> '{NOT_RECORDED}' "
        "UNION SELECT unnest(?::VARCHAR[]))"
    )
    parts.append(f"SELECT unnest(?::VARCHAR[]), '{NOT_RECORDED}', ?, {NOT_RECORDED_SORT}")
    params = [
        list(f.organisations),
        list(ASSESSMENT_STATUSES),
        [t(f"pipeline.status.{s}", lang=lang) for s in ASSESSMENT_STATUSES],
        t("pipeline.round_n", lang=lang),
        [r for r in f.rounds if r.isdigit()],
        [facet.key for facet in FACETS if facet.key != "status"],  # every status is recorded
        t("common.not_recorded", lang=lang),
    ]
    return f"labels AS ({' UNION ALL '.join(parts)})", params


NOT_RECORDED_SORT = 1_000_000  # "not recorded" is always the last option of a facet


def facet_options(
    store: Store, visibility: str, f: InnovationFilter, lang: str
) -> dict[str, pd.DataFrame]:
    """Per facet the values to offer, in order: code, label, innovations (count), selected.

    Vocabulary entries are offered even at zero, so the user sees what is missing;
    organisations and rounds only when some innovation has them (or they are selected).
    "Not recorded" is the last option of every facet but the assessment status, which every
    innovation has. Also ``total`` and ``score`` (see ``_counts_sql``) indexed by code.
    """
    counts_sql, counts_params = _counts_sql(f, visibility)
    labels_sql, labels_params = _labels_sql(f, lang)
    df = store.query(
        f"""WITH {counts_sql}, {labels_sql}
        SELECT coalesce(l.facet, c.facet) AS facet, coalesce(l.code, c.code) AS code,
               l.label, l.sort, coalesce(c.innovations, 0) AS innovations
        FROM labels l FULL JOIN counts c ON c.facet = l.facet AND c.code = l.code""",
        [*counts_params, *labels_params],
    )
    selected = {(facet.key, code) for facet in FACETS for code in getattr(f, facet.field)}
    df["selected"] = [(a, b) in selected for a, b in zip(df.facet, df.code, strict=True)]
    df["offered"] = df.label.notna() & (
        df.facet.isin([x.key for x in FACETS if x.vocabulary or x.key == "status"])
        | (df.innovations > 0)
        | df.selected
        | (df.code == NOT_RECORDED)
    )
    df["order"] = df.sort.where(df.facet != "organisation", -df.innovations)
    df = df.sort_values(["facet", "order", "label"], kind="stable")
    columns = ["code", "label", "innovations", "selected"]
    out = {
        facet.key: df.loc[df.offered & (df.facet == facet.key), columns].reset_index(drop=True)
        for facet in FACETS
    }
    for pseudo in ("total", "score"):
        out[pseudo] = df[df.facet == pseudo].set_index("code")[["innovations"]]
    return out


# --- the results table ------------------------------------------------------------------------
def _rank_sql(f: InnovationFilter) -> tuple[str, list]:
    return rank_sql(f.q)


RESULTS_SQL = """
    WITH sel AS ({selection})
    SELECT i.id, i.ref, i.name, d.organisation, d.partners, d.regions, d.stage, d.stage_order,
           d.themes, d.target_groups, coalesce(fa.assessments, 0) AS assessments,
           fa.latest_assessed_on, coalesce(fa.status, 'not_assessed') AS status,
           sc.mean_score, sc.criteria_scored, sc.criteria_total, sc.assessors,
           sc.round AS score_round, {rank} AS rank,
           i.batch_id, b.file_name, i.source_sheet, i.source_row
    FROM sel JOIN innovations i ON i.id = sel.id
    LEFT JOIN innovation_display d ON d.innovation_id = i.id AND d.lang = ?
    LEFT JOIN innovation_facts fa ON fa.innovation_id = i.id AND fa.visibility = ?
    LEFT JOIN score_summary sc ON sc.innovation_id = i.id AND sc.framework_code = ?
         AND sc.scope = 'external' AND sc.visibility = ?
    LEFT JOIN import_batches b ON b.id = i.batch_id
    ORDER BY {order}"""


def results_sql(
    visibility: str, f: InnovationFilter, lang: str, sort: str = "relevance"
) -> tuple[str, list]:
    """The results query (the pages call ``results``; the benchmark times this too)."""
    selection, sel_params = selection_sql(f, visibility)
    rank, rank_params = _rank_sql(f)
    order = SORTS.get(sort if f.q or sort != "relevance" else "name", SORTS["name"])
    sql = RESULTS_SQL.format(selection=selection, rank=rank, order=order)
    facts = [sql_language(lang), visibility, score_framework(f), visibility]
    return sql, [*sel_params, *rank_params, *facts]


def results(
    store: Store, visibility: str, f: InnovationFilter, lang: str, sort: str = "relevance"
) -> pd.DataFrame:
    """The selected innovations, one row each, in the chosen order, with the assessment facts
    and scores that ``visibility`` sees.

    Columns: id, ref, name, organisation (lead), partners, regions, stage, stage_order, themes,
    target_groups, assessments, latest_assessed_on, status, mean_score, criteria_scored,
    criteria_total, assessors, score_round, basis (words), rank, and, for viewers who see
    provenance (``sihub.access``), batch_id, file_name, source_sheet, source_row.
    """
    df = store.query(*results_sql(visibility, f, lang, sort))
    df = df.drop(columns=list(unseen_provenance(visibility)), errors="ignore")
    keys = list(zip(df.criteria_scored, df.criteria_total, df.assessors, strict=True))
    words = {  # a few dozen distinct combinations among thousands of rows
        k: scores.basis_text(*k, lang=lang) for k in set(keys) if not any(pd.isna(x) for x in k)
    }
    df["basis"] = [words.get(k) for k in keys]  # None, missing: the table writes "–"
    df["score"] = _score_texts(store, visibility, score_framework(f), df, lang)
    return df


def _score_texts(
    store: Store, visibility: str, framework: str, rows: pd.DataFrame, lang: str
) -> list[str | None]:
    """Each row's result on the framework as shown: "4,2 / 5", or "passes", "fails on: …",
    "1 red · 2 yellow · 2 green" for a framework whose criteria are not averaged; None
    (missing, never an empty text) for a row without a result."""
    rule = framework_rules(store, lang)[framework]
    found = {}
    if not rule.averaged:
        assessed = rows.id[rows.mean_score.notna()].astype(int).tolist()
        found = outcomes(store, visibility, rule, assessed) if assessed else {}
    return [
        None if pd.isna(mean) else result_text(rule, mean, found.get(int(i)), lang)
        for i, mean in zip(rows.id, rows.mean_score, strict=True)
    ]


def pass_fail_frameworks(store: Store) -> tuple[str, ...]:
    """Frameworks whose result is pass or fail: filtered on "passes", never on a minimum."""
    return tuple(c for c, r in framework_rules(store, "en").items() if r.pass_fail)


def score_scale(store: Store, framework: str, score_on: str = "") -> Scale:
    """The scale a minimum on ``score_on`` (the mean, a criterion, a dimension) is typed on:
    the criterion's own, else the framework's."""
    kind, _, code = score_on.partition(":")
    return framework_scale(store, framework, code if kind == "criterion" else None)


# --- the filter in words, and the export ------------------------------------------------------
def score_measures(store: Store, framework: str, lang: str) -> pd.DataFrame:
    """What a minimum score can be set on: the mean, each criterion, each dimension.

    Columns: key (the filter's ``score_on``: "", "criterion:<code>" or "dimension:<code>")
    and label.
    """
    lang = sql_language(lang)
    parts = store.query(
        f"""
        SELECT 'criterion:' || c.code AS key, c.name_{lang} AS label, 1 AS kind, c.sort_order
        FROM criteria c WHERE c.framework_code = ? AND NOT c.retired
        UNION ALL
        SELECT DISTINCT 'dimension:' || d.code, d.name_{lang}, 2, d.sort_order
        FROM criteria c JOIN dimensions d ON d.code = c.dimension_code
        WHERE c.framework_code = ? AND NOT c.retired
        ORDER BY kind, sort_order""",
        [framework, framework],
    )
    parts["label"] = [
        t(f"pipeline.measure_{'criterion' if k == 1 else 'dimension'}", lang=lang, name=name)
        for k, name in zip(parts.kind, parts.label, strict=True)
    ]
    overall = pd.DataFrame({"key": [""], "label": [t("pipeline.measure_mean", lang=lang)]})
    return pd.concat([overall, parts[["key", "label"]]], ignore_index=True)


def _value_names(store: Store, facet: Facet, codes: tuple[str, ...], lang: str) -> list[str]:
    """Names of a facet's selected codes, as the widgets show them."""
    lang = sql_language(lang)
    names: dict[str, str] = {NOT_RECORDED: t("common.not_recorded", lang=lang)}
    if facet.vocabulary:
        names |= dict(store.rows(f"SELECT code, name_{lang} FROM {facet.vocabulary}"))
    elif facet.key == "organisation":
        ids = [int(c) for c in codes if c.isdigit()]
        names |= dict(
            store.rows(
                "SELECT CAST(id AS VARCHAR), name FROM organisations WHERE id = ANY(?)", [ids]
            )
        )
    elif facet.key == "status":
        names |= {s: t(f"pipeline.status.{s}", lang=lang) for s in ASSESSMENT_STATUSES}
    else:
        names |= {c: t("pipeline.round_n", lang=lang, n=c) for c in codes}
    return [names.get(c, c) for c in codes]


def describe_filter(store: Store, f: InnovationFilter, lang: str) -> list[tuple[str, str]]:
    """The filter in words, one (what, values) pair per part that is set, in widget order."""
    out: list[tuple[str, str]] = []
    if f.q:
        out.append((t("pipeline.search", lang=lang), f.q))
    for facet in FACETS:
        codes = getattr(f, facet.field)
        if codes:
            names = _value_names(store, facet, codes, lang)
            out.append((t(f"pipeline.facet.{facet.key}", lang=lang), ", ".join(names)))
    framework = score_framework(f)
    if has_score_filter(f):
        name = score_frameworks(store, lang).get(framework) or framework
        out.append((t("pipeline.score_framework", lang=lang), name))
    if f.min_score is not None:
        measures = score_measures(store, framework, lang).set_index("key")["label"]
        measure = measures.get(f.score_on, measures[""])
        minimum = format_on_scale(f.min_score, score_scale(store, framework, f.score_on), lang)
        out.append(
            (
                t("pipeline.min_score", lang=lang),
                t("pipeline.min_score_on", lang=lang, score=minimum, measure=measure),
            )
        )
    if f.passes:
        out.append((t("pipeline.result_filter", lang=lang), t("pipeline.passes_only", lang=lang)))
    if f.min_criteria:
        out.append(
            (
                t("pipeline.min_criteria", lang=lang),
                t("pipeline.min_criteria_value", lang=lang, n=f.min_criteria),
            )
        )
    if f.ids:
        out.append((t("pipeline.ids", lang=lang), t("pipeline.ids_value", lang=lang, n=len(f.ids))))
    return out


EXPORT_COLUMNS = (
    "id",
    "ref",
    "name",
    "organisation",
    "partners",
    "regions",
    "stage",
    "themes",
    "target_groups",
    "status",
    "assessments",
    "latest_assessed_on",
    "mean_score",
    "criteria_scored",
    "criteria_total",
    "assessors",
    "score_round",
    "batch_id",
    "file_name",
    "source_sheet",
    "source_row",
)


def export_table(rows: pd.DataFrame, lang: str, scale: Scale | None = None) -> pd.DataFrame:
    """The results as exported: readable headers in ``lang``, lists as "a; b", statuses in
    words, and provenance (import batch, file, sheet, row) of each innovation's record when
    ``rows`` has it (``results`` leaves it out for viewers who may not see it). The score is
    on the framework's ``scale`` as the page shows it (a number, and the text)."""
    out = rows.loc[:, [c for c in EXPORT_COLUMNS if c in rows]].copy()
    out["status"] = [t(f"pipeline.status.{s}", lang=lang) for s in out.status]
    if scale is not None and scale.numeric:
        out["mean_score"] = [score_on_scale(v, scale) for v in out.mean_score]
    else:  # a framework without numbers: its result is the text, never a 0-1 figure
        out = out.drop(columns="mean_score")
    if "score" in rows:
        out.insert(list(out.columns).index("criteria_scored"), "score", rows.score)
    out["latest_assessed_on"] = pd.to_datetime(out.latest_assessed_on).dt.date
    return out.rename(columns={c: t(f"pipeline.column.{c}", lang=lang) for c in out.columns})


def export_about(
    store: Store,
    visibility: str,
    f: InnovationFilter,
    lang: str,
    rows: int,
    when: datetime,
    link: str = "",
) -> dict[str, object]:
    """The export's "Filters" sheet: what was selected, when, from which data, how scored,
    and which assessments the scores rest on."""
    about: dict[str, object] = {
        t("pipeline.export.exported_at", lang=lang): when,
        t("pipeline.export.rows", lang=lang): rows,
        t("pipeline.export.dataset", lang=lang): t(
            "pipeline.export.demo" if is_demo(store) else "pipeline.export.real",
            lang=lang,
        ),
        t("pipeline.export.scores", lang=lang): t(
            "pipeline.export.scores_rule",
            lang=lang,
            framework=score_frameworks(store, lang).get(score_framework(f), score_framework(f)),
        ),
        t("access.rests_on", lang=lang): seen_text(visibility, lang),
    }
    described = describe_filter(store, f, lang)
    if not described:
        about[t("pipeline.export.filters", lang=lang)] = t("pipeline.export.no_filters", lang=lang)
    for what, values in described:
        about[what] = values
    if link:
        about[t("pipeline.export.link", lang=lang)] = link
    return about


# --- a filter from a link, checked ------------------------------------------------------------
def known_values(store: Store, visibility: str) -> dict[str, set[str]]:
    """Every code a facet or score filter accepts, per filter field (for links and URLs);
    rounds are those of the assessments ``visibility`` sees."""
    out: dict[str, set[str]] = {}
    for facet in FACETS:
        if facet.vocabulary:
            codes = {r[0] for r in store.rows(f"SELECT code FROM {facet.vocabulary}")}
        elif facet.key == "organisation":
            codes = {str(r[0]) for r in store.rows("SELECT id FROM organisations")}
        elif facet.key == "status":
            codes = set(ASSESSMENT_STATUSES)
        else:
            rounds = f"SELECT DISTINCT code FROM ({facet.values_sql(visibility)})"
            codes = {r[0] for r in store.rows(rounds)}
        out[facet.field] = codes | ({NOT_RECORDED} if facet.key != "status" else set())
    out["score_framework"] = {r[0] for r in store.rows("SELECT code FROM frameworks")}
    return out


def clean_filter(
    store: Store, visibility: str, filter_: InnovationFilter
) -> tuple[InnovationFilter, tuple[LeftOut, ...]]:
    """The filter with codes this store does not know removed, and the removed values.

    A shared link may name a stage or organisation that no longer exists; it should still
    open, show what it can and say what it left out, never fail or silently show nothing.
    """
    changes: dict[str, object] = {}
    left_out: tuple[LeftOut, ...] = ()
    for name, codes in known_values(store, visibility).items():
        value = getattr(filter_, name)
        param = InnovationFilter.PARAMS[name][0]
        kept, unknown = known_only(value if isinstance(value, tuple) else (value,), codes, param)
        if unknown and value:
            changes[name] = kept if isinstance(value, tuple) else ""
            left_out += unknown
    if filter_.score_on:
        framework = changes.get("score_framework", filter_.score_framework)
        measures = set(score_measures(store, str(framework or scores.DEFAULT_FRAMEWORK), "en").key)
        if filter_.score_on not in measures:
            changes["score_on"] = ""
            left_out += (LeftOut(InnovationFilter.PARAMS["score_on"][0], filter_.score_on),)
    if filter_.passes:
        framework = str(changes.get("score_framework", filter_.score_framework))
        rule = framework_rules(store, "en").get(framework or scores.DEFAULT_FRAMEWORK)
        if rule is None or not rule.pass_fail:  # "passes" means nothing for a mean
            changes["passes"] = False
            left_out += (LeftOut(InnovationFilter.PARAMS["passes"][0], "1"),)
    legacy = _legacy_minimum(store, replace(filter_, **changes))
    if legacy is not None:
        changes["min_score"] = legacy
    return (replace(filter_, **changes), left_out) if changes else (filter_, ())


def _legacy_minimum(store: Store, filter_: InnovationFilter) -> float | None:
    """A minimum from a link made when minimums were typed 0-1 (``minscore=0.75``), on its
    scale now (4 on 1-5); None when the minimum needs no change. Recognised only where it
    cannot be a point of the scale: below the bottom of a scale that starts above 0."""
    if f_min := filter_.min_score:
        scale = score_scale(store, score_framework(filter_), filter_.score_on)
        if scale.numeric and f_min < 1 and scale.bottom >= 1:
            return round(scale.value_of(f_min), 2)
    return None


def score_frameworks(store: Store, lang: str) -> dict[str, str]:
    """Frameworks the score filters can use, code -> name, the default framework first."""
    return dict(
        store.rows(
            f"SELECT code, name_{sql_language(lang)} FROM frameworks "
            "ORDER BY code <> ?, sort_order, code",
            [scores.DEFAULT_FRAMEWORK],
        )
    )
