"""Derived tables, rebuilt from the stored data whenever its data version has moved.

Two kinds (tables of migration ``m201_derived_tables``):

- the **text index**: each innovation's text folded for search (case and diacritics ignored,
  ``ä`` = ``a``) and its words stemmed with the Finnish Snowball stemmer of DuckDB's ``fts``
  extension, weighted by rarity (idf), for "similar innovations";
- **score summaries**: the figures of ``sihub.scores`` (its SQL twins, so the definition stays
  there) for every framework, external and self-assessments apart, so that the explorer can
  filter and sort 10 000 innovations on scores in milliseconds.

A rebuild runs in a transaction that leaves the data version alone: it changes no answer, so
caches stay valid, and it never touches the row that a concurrent import commits to.
"""

from __future__ import annotations

import threading

from sihub import scores
from sihub.errors import StoreError
from sihub.store import Store

SCOPES: dict[str, tuple[str, ...]] = {"external": scores.EXTERNAL_TYPES, "self": ("self",)}
MIN_TERM_LENGTH = 3  # shorter tokens are mostly inflection debris and conjunctions
_WORDS = r"[^\p{L}\p{N}]+"
_lock = threading.Lock()
TABLES = (
    "innovation_text",
    "innovation_terms",
    "term_weights",
    "score_summary",
    "criterion_summary",
    "derived_state",
)

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


def _stemmer(store: Store) -> tuple[str, str]:
    """The stemming expression and its name; word prefixes when fts cannot be loaded."""
    try:
        store.load_extension("fts")
        return "stem(w, 'finnish')", "snowball-finnish"
    except StoreError:
        return "left(w, 6)", "prefix-6"  # truncation: a known fallback for Finnish


def is_current(store: Store) -> bool:
    built = store.scalar("SELECT max(built_for_version) FROM derived_state")
    return built is not None and built == store.data_version()


def ensure_current(store: Store) -> None:
    """Rebuild the derived tables if the data changed since they were built (cheap if not)."""
    if is_current(store):
        return
    with _lock:
        if not is_current(store):
            rebuild(store)


def rebuild(store: Store) -> None:
    """Rebuild every derived table (about 2 s for 10 000 innovations, once per change)."""
    stem, stemmer = _stemmer(store)
    version = store.data_version()
    frameworks = [r[0] for r in store.rows("SELECT code FROM frameworks ORDER BY code")]
    with store.transaction(bump_version=False) as cur:
        for table in TABLES:
            cur.execute(f"DELETE FROM {table}")
        cur.execute(f"INSERT INTO innovation_text {SEARCH_TEXT_SQL}")
        cur.execute(f"INSERT INTO innovation_terms {TERMS_SQL.replace('STEM', stem)}")
        cur.execute(f"INSERT INTO term_weights {WEIGHTS_SQL}")
        cur.execute(NORMS_SQL)
        for framework in frameworks:
            for scope, types in SCOPES.items():
                sql, params = scores.innovation_scores_sql(framework, types)
                cur.execute(
                    f"INSERT INTO score_summary SELECT ?, ?, * FROM ({sql})",
                    [framework, scope, *params],
                )
                sql, params = scores.criterion_scores_sql(framework, types)
                cur.execute(
                    f"INSERT INTO criterion_summary SELECT ?, ?, * FROM ({sql})",
                    [framework, scope, *params],
                )
        cur.execute(
            "INSERT INTO derived_state VALUES (?, current_timestamp, ?)", [version, stemmer]
        )
