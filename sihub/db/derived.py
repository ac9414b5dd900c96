"""Derived tables, rebuilt from the stored data where the data is written.

Two kinds (tables of migration ``m201_derived_tables``):

- the **text index**: each innovation's text folded for search (case and diacritics ignored,
  ``ä`` = ``a``) and its words stemmed with the Finnish Snowball stemmer of DuckDB's ``fts``
  extension, weighted by rarity (idf), for "similar innovations";
- **score summaries**: the figures of ``sihub.scores`` (its SQL twins, so the definition stays
  there) for every framework, external and self-assessments apart, so that the explorer can
  filter and sort 10 000 innovations on scores in milliseconds;
- **assessment facts**: each innovation's assessment status, count and latest date;
- **facet values**: the values each facet of the explorer counts, per innovation;
- **display columns**: what the explorer's table shows of each innovation, per language.

What rests on assessments (summaries, facts, the status, framework and round facets) is built
once for each visibility of ``sihub.access`` (published, shared, all), each from the
assessments that visibility sees, and every reader names the visibility it reads: a funder's
explorer never sorts on a mean that an internal assessment moved.

Reads never write: every writer of data these tables are built from (an import's commit, an
undo, a reference reload, the demo build) calls ``rebuild_in`` inside its own transaction, so
the derived tables commit together with the data and no reader ever sees one without the other.
An import batch and its undo rebuild only the innovations the batch touched (``touched_by``,
``refresh_in``): at 100 000 innovations a whole rebuild takes half a minute, which no commit
can afford; the rarity weights of the text index, which every innovation shares, are counted
again from the stored terms. A batch that touches most innovations (the first import of a large
file) is the exception: its data commits first and the whole rebuild follows in a transaction
of its own (``rebuild_now``), because DuckDB keeps a transaction's own rows in memory and both
together passed 1 GB at 100 000 rows. Between the two, and after a crash between them, the
store is merely stale (below).
A write that changes nothing they are built from (a saved mapping, the demo's labels) calls
``still_current`` instead. ``is_current`` is the one staleness check, made by the app's frame
for stores written some other way (an older SI Hub, a benchmark generator); ``rebuild`` repairs
such a store in a transaction that leaves the data version alone, so caches stay valid. In the
app it runs in a thread of its own (``rebuild_in_background``): at 100 000 innovations it takes
half a minute or more, which no first visit after an upgrade should wait for.
"""

from __future__ import annotations

import logging
import threading

import duckdb

from sihub import scores
from sihub.access import VISIBILITIES, Visibility, visible_assessments_sql
from sihub.db import meta
from sihub.db.store import Store
from sihub.errors import StoreError
from sihub.funding.status import now_to_store
from sihub.i18n import LANGUAGES

MIN_TERM_LENGTH = 3  # shorter tokens are mostly inflection debris and conjunctions
_WORDS = r"[^\p{L}\p{N}]+"
TABLES = (
    "innovation_text",
    "innovation_terms",
    "term_weights",
    "score_summary",
    "criterion_summary",
    "innovation_facts",
    "innovation_display",
    "facet_values",
    "derived_state",
)


def facts_sql(visibility: str) -> str:
    """Per innovation: its assessment status (not assessed / self-assessed only / externally
    assessed), how many active assessments it has and the latest date, among the assessments
    ``visibility`` sees. The one definition of the status: the ecosystem page counts it per
    stage from this query too. Columns: innovation_id, visibility (its name, one of ours,
    written as a literal), status, assessments, external, latest_assessed_on."""
    return f"""
    SELECT i.id AS innovation_id, '{Visibility(visibility).value}' AS visibility,
           CASE WHEN a.n IS NULL THEN 'not_assessed' WHEN a.external = 0 THEN 'self_only'
                ELSE 'external' END AS status,
           coalesce(a.n, 0) AS assessments, coalesce(a.external, 0) AS external,
           a.latest AS latest_assessed_on
    FROM innovations i LEFT JOIN (
        SELECT a.innovation_id, count(*) AS n,
               count(*) FILTER (WHERE a.assessment_type <> 'self') AS external,
               max(a.assessed_on) AS latest
        FROM assessments a
        WHERE a.superseded_by_batch IS NULL AND {visible_assessments_sql(visibility, "a")}
        GROUP BY a.innovation_id) a
      ON a.innovation_id = i.id"""


# What the explorer's table shows of each innovation, in each language: names joined in
# vocabulary order, lead organisations first. Kept here because joining and aggregating
# five link tables for 10 000 rows on every view costs about 200 ms.
DISPLAY_SQL = """
    SELECT i.id, '{lang}',
           coalesce(o.leads, o.others), o.others, r.names, s.name_{lang}, s.sort_order,
           th.names, tg.names, lower(i.name)
    FROM innovations i
    LEFT JOIN stages s ON s.code = i.stage_code
    LEFT JOIN (
        SELECT io.innovation_id,
               string_agg(o.name, '; ' ORDER BY o.name) FILTER (WHERE io.role = 'lead') AS leads,
               string_agg(o.name, '; ' ORDER BY o.name) FILTER (WHERE io.role <> 'lead')
                   AS others
        FROM innovation_organisations io JOIN organisations o ON o.id = io.organisation_id
        GROUP BY io.innovation_id) o ON o.innovation_id = i.id
    LEFT JOIN (
        SELECT x.innovation_id, string_agg(v.name_{lang}, '; ' ORDER BY v.sort_order) AS names
        FROM innovation_regions x JOIN regions v ON v.code = x.region_code
        GROUP BY x.innovation_id) r ON r.innovation_id = i.id
    LEFT JOIN (
        SELECT x.innovation_id, string_agg(v.name_{lang}, '; ' ORDER BY v.sort_order) AS names
        FROM innovation_themes x JOIN themes v ON v.code = x.theme_code
        GROUP BY x.innovation_id) th ON th.innovation_id = i.id
    LEFT JOIN (
        SELECT x.innovation_id, string_agg(v.name_{lang}, '; ' ORDER BY v.sort_order) AS names
        FROM innovation_target_groups x JOIN target_groups v ON v.code = x.target_group_code
        GROUP BY x.innovation_id) tg ON tg.innovation_id = i.id"""

# The values each facet of the explorer counts, one distinct (innovation, code) per row; an
# innovation without a row for a facet has nothing recorded for it. Keys are the facets of
# sihub.pipeline. These are the same for every viewer (visibility NULL); those of
# VISIBLE_FACET_VALUES_SQL rest on assessments and have rows per visibility.
FACET_VALUES_SQL: dict[str, str] = {
    "stage": "SELECT id, stage_code FROM innovations WHERE stage_code IS NOT NULL",
    "theme": "SELECT innovation_id, theme_code FROM innovation_themes",
    "target_group": "SELECT innovation_id, target_group_code FROM innovation_target_groups",
    "region": "SELECT innovation_id, region_code FROM innovation_regions",
    "organisation": "SELECT innovation_id, CAST(organisation_id AS VARCHAR) "
    "FROM innovation_organisations",
    "org_type": "SELECT io.innovation_id, o.org_type FROM innovation_organisations io "
    "JOIN organisations o ON o.id = io.organisation_id WHERE o.org_type IS NOT NULL",
    # the countries involved: those recorded for the innovation and its organisations' ones
    "country": "SELECT innovation_id, country_code FROM innovation_countries UNION "
    "SELECT io.innovation_id, o.country FROM innovation_organisations io "
    "JOIN organisations o ON o.id = io.organisation_id WHERE o.country IS NOT NULL",
    "scope": "SELECT id, scope FROM innovations WHERE scope IS NOT NULL",
    "initiative_type": "SELECT id, initiative_type FROM innovations "
    "WHERE initiative_type IS NOT NULL",
}
# {visibility} is the visibility's name, {visible} its rule over assessments ``a``; the status
# comes from innovation_facts, so it is built after it.
VISIBLE_FACET_VALUES_SQL: dict[str, str] = {
    "status": "SELECT innovation_id, status FROM innovation_facts "
    "WHERE visibility = '{visibility}'",
    "framework": "SELECT a.innovation_id, a.framework_code FROM assessments a "
    "WHERE a.superseded_by_batch IS NULL AND {visible}",
    "round": "SELECT a.innovation_id, CAST(a.round AS VARCHAR) FROM assessments a "
    "WHERE a.superseded_by_batch IS NULL AND a.round IS NOT NULL AND {visible}",
}


SEARCH_TEXT_SQL = """
    SELECT i.id, strip_accents(lower(i.name)),
           strip_accents(lower(concat_ws(' ', i.name, i.short_description, i.basic_idea,
               i.operating_environment, i.target_group_insight, i.adoption_conditions,
               i.implementation_place, i.collection, o.names))), NULL
    FROM innovations i LEFT JOIN (
        SELECT io.innovation_id, string_agg(o.name, ' ') AS names
        FROM innovation_organisations io JOIN organisations o ON o.id = io.organisation_id
        GROUP BY io.innovation_id) o ON o.innovation_id = i.id"""

# Words of the name and descriptions, lower-cased, stemmed (the stemmer wants ä and ö), and
# only then folded, so that "työllisyys" and "Tyollisyytta" meet.
TERMS_SQL = f"""
    SELECT DISTINCT id, strip_accents(STEM) FROM (
        SELECT id, unnest(regexp_split_to_array(
            lower(concat_ws(' ', name, short_description, basic_idea)), '{_WORDS}')) AS w
        FROM innovations)
    WHERE length(w) >= {MIN_TERM_LENGTH}"""

WEIGHTS_SQL = """
    SELECT term, count(*), ln((1 + (SELECT count(*) FROM innovations)) / count(*))
    FROM innovation_terms GROUP BY term"""

NORMS_SQL = """
    UPDATE innovation_text SET norm = n.norm FROM (
        SELECT t.innovation_id, sqrt(sum(w.idf * w.idf)) AS norm
        FROM innovation_terms t JOIN term_weights w USING (term) GROUP BY t.innovation_id) n
    WHERE n.innovation_id = innovation_text.innovation_id"""


def _stemmer(cur: duckdb.DuckDBPyConnection) -> tuple[str, str]:
    """The stemming expression and its name; word prefixes when the fts extension (loaded when
    the store is opened: loading inside a transaction would abort it) is not there."""
    found = cur.execute(
        "SELECT count(*) FROM duckdb_functions() WHERE function_name = 'stem'"
    ).fetchone()[0]
    if found:
        return "stem(w, 'finnish')", "snowball-finnish"
    return "left(w, 6)", "prefix-6"  # truncation: a known fallback for Finnish


def is_current(store: Store) -> bool:
    """Whether the derived tables were built for the store's current data version."""
    built = store.scalar("SELECT max(built_for_version) FROM derived_state")
    return built is not None and built == store.data_version()


def rebuild(store: Store) -> None:
    """Repair a store whose derived tables are stale (see the module docstring); the data
    version stays, since the answers do not change."""
    try:
        with store.transaction(bump_version=False) as cur:
            rebuild_in(cur)
    except duckdb.Error as e:  # e.g. a write conflict with an import: say so
        raise StoreError(f"derived tables: {e}", path=store.path) from e


_builders: dict[str, threading.Thread] = {}
_builders_lock = threading.Lock()
log = logging.getLogger(__name__)


def rebuild_in_background(store: Store) -> threading.Thread:
    """``rebuild`` in a thread of its own, one per store at a time (every page of every session
    that finds the store stale gets the same thread); readers meanwhile see the tables as they
    were. A failure is logged, and the next page that finds the store stale starts again."""
    with _builders_lock:
        builder = _builders.get(store.path)
        if builder is None or not builder.is_alive():
            builder = threading.Thread(
                target=_rebuild_logged, args=(store,), name="sihub-derived", daemon=True
            )
            _builders[store.path] = builder
            builder.start()
        return builder


def rebuild_now(store: Store) -> None:
    """``rebuild`` in this thread, or wait for the rebuild the app has already started (one
    per store at a time); a failure is logged, and the next page that finds the store stale
    starts again."""
    rebuild_in_background(store).join()


def _rebuild_logged(store: Store) -> None:
    try:
        rebuild(store)
    except StoreError:
        log.exception("derived tables could not be rebuilt")


def still_current(cur: duckdb.DuckDBPyConnection) -> None:
    """Inside a write that changes nothing the derived tables are built from: if they were
    current before it, they stay current after it."""
    version = meta.data_version(cur)
    cur.execute(
        "UPDATE derived_state SET built_for_version = ? WHERE built_for_version = ?",
        [version, version - 1],
    )


# Per innovation: the tables rebuilt for the innovations a batch touched, and the column that
# names the innovation in each of them.
PER_INNOVATION = (
    "innovation_text",
    "innovation_terms",
    "innovation_facts",
    "innovation_display",
    "facet_values",
    "score_summary",
    "criterion_summary",
)
# Innovations whose derived rows a batch can change: every innovation it wrote, linked, assessed
# or scored, and every innovation of an organisation it wrote (names and types are shown and
# counted per innovation). Read while all the batch's rows are there: after its commit, or
# before its undo.
TOUCHED_SQL = """
    WITH j AS (SELECT table_name, row_key, old_row FROM batch_journal WHERE batch_id = $batch),
    ids AS (SELECT table_name, CAST(json_extract_string(row_key, '$.id') AS INTEGER) AS id
            FROM j WHERE table_name IN ('innovations', 'assessments', 'organisations'))
    SELECT id FROM ids WHERE table_name = 'innovations'
    UNION SELECT CAST(json_extract_string(row_key, '$.innovation_id') AS INTEGER) FROM j
          WHERE json_extract_string(row_key, '$.innovation_id') IS NOT NULL
    UNION SELECT CAST(json_extract_string(old_row, '$.innovation_id') AS INTEGER) FROM j
          WHERE json_extract_string(old_row, '$.innovation_id') IS NOT NULL
    UNION SELECT a.innovation_id FROM assessments a
          WHERE a.id IN (SELECT id FROM ids WHERE table_name = 'assessments')
    UNION SELECT a.innovation_id FROM assessments a JOIN scores s ON s.assessment_id = a.id
          WHERE s.batch_id = $batch
    UNION SELECT io.innovation_id FROM innovation_organisations io
          WHERE io.organisation_id IN (SELECT id FROM ids WHERE table_name = 'organisations')"""
WHOLE_SHARE = 0.5  # touching more than this share of innovations: rebuild everything instead


def touched_by(cur: duckdb.DuckDBPyConnection, batch_id: int) -> list[int]:
    """The innovations whose derived rows batch ``batch_id`` changes (see ``TOUCHED_SQL``)."""
    found = cur.execute(TOUCHED_SQL, {"batch": batch_id}).fetchall()
    return sorted(r[0] for r in found if r[0] is not None)


def is_most(cur: duckdb.DuckDBPyConnection, innovation_ids: list[int]) -> bool:
    """Whether ``innovation_ids`` are most of the store's innovations: a whole rebuild then."""
    total = cur.execute("SELECT count(*) FROM innovations").fetchone()[0]
    return len(innovation_ids) > WHOLE_SHARE * max(total, 1)


def was_current(cur: duckdb.DuckDBPyConnection) -> bool:
    """Inside a write that moved the data version on: whether the derived tables were current
    before it."""
    built = cur.execute("SELECT max(built_for_version) FROM derived_state").fetchone()[0]
    return built is not None and built == meta.data_version(cur) - 1


def refresh_in(cur: duckdb.DuckDBPyConnection, innovation_ids: list[int]) -> None:
    """Rebuild the derived rows of ``innovation_ids`` inside the caller's transaction, and what
    all innovations share (the terms' rarity weights and each text's norm); the result equals
    ``rebuild_in``'s. A batch that touched most innovations gets the whole rebuild. Tables that
    were stale stay so (refreshing a few innovations would mark them current while the others'
    rows are old): the staleness check rebuilds them all."""
    if not was_current(cur):
        return
    if is_most(cur, innovation_ids):
        rebuild_in(cur)
        return
    stem, stemmer = _stemmer(cur)
    version = meta.data_version(cur)
    ids = list(innovation_ids)
    for table in PER_INNOVATION:
        cur.execute(f"DELETE FROM {table} WHERE list_contains(?::INTEGER[], innovation_id)", [ids])
    per_source = (
        ("innovation_text", SEARCH_TEXT_SQL, "innovation_id, name_folded, text_folded, norm"),
        ("innovation_terms", TERMS_SQL.replace("STEM", stem), "innovation_id, term"),
    )
    for table, sql, columns in per_source:
        cur.execute(f"INSERT INTO {table} SELECT * FROM ({sql}) AS src({columns}) {_ONLY}", [ids])
    for lang in LANGUAGES:  # our own codes only
        cur.execute(
            f"INSERT INTO innovation_display SELECT * FROM ({DISPLAY_SQL.format(lang=lang)}) "
            f"AS src(innovation_id) {_ONLY}",
            [ids],
        )
    _facet_values(cur, FACET_VALUES_SQL, None, ids)
    _every_visibility(cur, ids)
    cur.execute("DELETE FROM term_weights")
    cur.execute(f"INSERT INTO term_weights {WEIGHTS_SQL}")
    cur.execute(NORMS_SQL)
    cur.execute("DELETE FROM derived_state")
    cur.execute("INSERT INTO derived_state VALUES (?, ?, ?)", [version, now_to_store(), stemmer])


# Keeps the rows of a source query (aliased ``src``) that belong to the innovations refreshed.
_ONLY = "WHERE list_contains(?::INTEGER[], src.innovation_id)"


def _facet_values(
    cur: duckdb.DuckDBPyConnection,
    queries: dict[str, str],
    visibility: str | None,
    ids: list[int] | None,
) -> None:
    """Facet values of ``queries`` for ``ids`` (None: every innovation), stored under
    ``visibility`` (None: the same for every viewer)."""
    only, more = (_ONLY, [ids]) if ids is not None else ("", [])
    for facet, sql in queries.items():
        cur.execute(
            f"INSERT INTO facet_values SELECT DISTINCT ?, src.*, ? FROM ({sql}) "
            f"AS src(innovation_id, code) {only} ORDER BY 2",
            [facet, visibility, *more],
        )


# The tables whose rows rest on assessments, one set per visibility (facet_values: the facets
# of VISIBLE_FACET_VALUES_SQL).
PER_VISIBILITY = ("innovation_facts", "facet_values", "score_summary", "criterion_summary")


def _every_visibility(cur: duckdb.DuckDBPyConnection, ids: list[int] | None) -> None:
    """The rows that rest on assessments, for every visibility, of ``ids`` (None: all).

    A narrower visibility that sees every assessment of these innovations has the same rows
    as staff: they are copied rather than computed again. That is the usual case (an import
    is shared with funders unless it says otherwise), and halves the rebuild after one.
    """
    _rest_on_assessments(cur, Visibility.ALL, ids)
    for visibility in VISIBILITIES:
        if visibility == Visibility.ALL:
            continue
        if _sees_every_assessment(cur, visibility, ids):
            _copy_rows_of_all(cur, visibility, ids)
        else:
            _rest_on_assessments(cur, visibility, ids)


def _among(ids: list[int] | None, column: str) -> tuple[str, list]:
    """``AND <column> is one of ids`` and its parameter; nothing for None (every innovation)."""
    if ids is None:
        return "", []
    return f"AND list_contains(?::INTEGER[], {column})", [ids]


def _sees_every_assessment(
    cur: duckdb.DuckDBPyConnection, visibility: str, ids: list[int] | None
) -> bool:
    """Whether ``visibility`` sees every assessment (superseded ones too) of ``ids``."""
    only, more = _among(ids, "a.innovation_id")
    hidden = cur.execute(
        f"SELECT EXISTS (SELECT 1 FROM assessments a "
        f"WHERE ({visible_assessments_sql(visibility, 'a')}) IS NOT TRUE {only})",
        more,
    ).fetchone()[0]
    return not hidden


def _copy_rows_of_all(
    cur: duckdb.DuckDBPyConnection, visibility: str, ids: list[int] | None
) -> None:
    only, more = _among(ids, "innovation_id")
    for table in PER_VISIBILITY:
        cur.execute(
            f"INSERT INTO {table} SELECT * REPLACE (CAST(? AS VARCHAR) AS visibility) "
            f"FROM {table} WHERE visibility = ? {only} ORDER BY ALL",
            [Visibility(visibility).value, Visibility.ALL.value, *more],
        )


def _rest_on_assessments(
    cur: duckdb.DuckDBPyConnection, visibility: str, ids: list[int] | None
) -> None:
    """The derived rows that rest on assessments, from those ``visibility`` sees: facts, the
    facets of ``VISIBLE_FACET_VALUES_SQL`` and the score summaries of every framework and
    scope, for ``ids`` (None: every innovation)."""
    only, more = (_ONLY, [ids]) if ids is not None else ("", [])
    cur.execute(
        f"INSERT INTO innovation_facts SELECT * FROM ({facts_sql(visibility)}) AS src {only}",
        more,
    )
    visible = visible_assessments_sql(visibility, "a")
    queries = {
        facet: sql.format(visibility=Visibility(visibility).value, visible=visible)
        for facet, sql in VISIBLE_FACET_VALUES_SQL.items()
    }
    _facet_values(cur, queries, visibility, ids)
    for framework in _assessed_frameworks(cur, ids):
        for scope, types in scores.SCOPES.items():
            sql, params = scores.innovation_scores_sql(visibility, framework, types, ids)
            cur.execute(
                f"INSERT INTO score_summary SELECT ?, ?, ?, * FROM ({sql})",
                [framework, scope, visibility, *params],
            )
            sql, params = scores.criterion_scores_sql(visibility, framework, types, ids)
            cur.execute(
                f"""INSERT INTO criterion_summary
                    SELECT ?, ?, ?, innovation_id, criterion_code, dimension_code, mean, min,
                           max, spread, scores, assessors FROM ({sql})""",
                [framework, scope, visibility, *params],
            )


def _assessed_frameworks(cur: duckdb.DuckDBPyConnection, ids: list[int] | None) -> list[str]:
    """The frameworks with active assessments (of ``ids``; None: of any innovation): the others
    have no summaries, and skipping them saves three visibilities' queries each."""
    only, more = _among(ids, "innovation_id")
    found = cur.execute(
        f"SELECT DISTINCT framework_code FROM assessments WHERE superseded_by_batch IS NULL "
        f"{only} ORDER BY 1",
        more,
    ).fetchall()
    return [r[0] for r in found]


def rebuild_in(cur: duckdb.DuckDBPyConnection) -> None:
    """Rebuild every derived table inside the caller's transaction (about 2 s for 10 000
    innovations), recording the data version the transaction writes."""
    stem, stemmer = _stemmer(cur)
    version = meta.data_version(cur)
    for table in TABLES:
        cur.execute(f"DELETE FROM {table}")
    cur.execute(f"INSERT INTO innovation_text {SEARCH_TEXT_SQL}")
    cur.execute(f"INSERT INTO innovation_terms {TERMS_SQL.replace('STEM', stem)}")
    cur.execute(f"INSERT INTO term_weights {WEIGHTS_SQL}")
    cur.execute(NORMS_SQL)
    for lang in LANGUAGES:  # our own codes only
        cur.execute(f"INSERT INTO innovation_display {DISPLAY_SQL.format(lang=lang)}")
    _facet_values(cur, FACET_VALUES_SQL, None, None)
    _every_visibility(cur, None)
    cur.execute("INSERT INTO derived_state VALUES (?, ?, ?)", [version, now_to_store(), stemmer])
