"""The method page's queries: the assessment frameworks with their criteria and scales, the
stages of the pipeline, and the sources the store was loaded from. Each takes a Store and
returns a DataFrame with names in the requested language."""

from __future__ import annotations

import pandas as pd

from sihub.access import sees, visible_assessments_sql
from sihub.db.sql import sql_language
from sihub.db.store import Store
from sihub.funding.status import finnish_times
from sihub.i18n import t


def frameworks(store: Store, visibility: str, lang: str) -> pd.DataFrame:
    """Every framework with its number of criteria in use and of active assessments (those
    ``visibility`` sees)."""
    lang = sql_language(lang)
    return store.query(f"""
        SELECT f.code, f.name_{lang} AS name, f.description_{lang} AS description, f.version,
               f.provisional, f.source_url, f.default_scale,
               (SELECT count(*) FROM criteria c WHERE c.framework_code = f.code
                AND NOT c.retired) AS criteria,
               (SELECT count(*) FROM assessments a WHERE a.framework_code = f.code
                AND a.superseded_by_batch IS NULL
                AND {visible_assessments_sql(visibility, "a")}) AS assessments
        FROM frameworks f ORDER BY f.sort_order, f.code""")


def criteria(store: Store, framework: str, lang: str) -> pd.DataFrame:
    """A framework's criteria in use, in order, with dimension, guidance and scale."""
    lang = sql_language(lang)
    return store.query(
        f"""
        SELECT c.code, c.name_{lang} AS name, d.name_{lang} AS dimension,
               c.guidance_{lang} AS guidance, s.name_{lang} AS scale, c.scale_code
        FROM criteria c LEFT JOIN dimensions d ON d.code = c.dimension_code
        LEFT JOIN scales s ON s.code = c.scale_code
        WHERE c.framework_code = ? AND NOT c.retired ORDER BY c.sort_order""",
        [framework],
    )


def levels_of_scale(store: Store, scale: str, lang: str) -> pd.DataFrame:
    """One scale's levels in order: code, label, value, normalised (0-1)."""
    lang = sql_language(lang)
    return store.query(
        f"""
        SELECT code, label_{lang} AS label, value, normalised FROM scale_levels
        WHERE scale_code = ? ORDER BY sort_order""",
        [scale],
    )


def stages(store: Store, lang: str) -> pd.DataFrame:
    """The stages of the pipeline, in order, with their descriptions."""
    lang = sql_language(lang)
    return store.query(
        f"SELECT code, name_{lang} AS name, description_{lang} AS description "
        f"FROM stages ORDER BY sort_order"
    )


def data_sources(store: Store, visibility: str, lang: str) -> pd.DataFrame:
    """What the store was loaded from: one row per kind of batch (demo, import), with the
    files' names for those who may see the import history (``sihub.access``: staff)."""
    # to the minute, as the page writes them (the seconds' fractions are noise to a reader)
    df = store.query("""
        SELECT kind, count(*) AS batches, date_trunc('minute', min(imported_at)) AS first,
               date_trunc('minute', max(imported_at)) AS last,
               string_agg(file_name, ', ' ORDER BY id) AS files
        FROM import_batches WHERE status = 'committed' GROUP BY kind ORDER BY kind""")
    df["kind"] = [t(f"method.kind_{k}", lang=lang) for k in df.kind]
    df["first"], df["last"] = finnish_times(df["first"]), finnish_times(df["last"])
    if not sees(visibility, "import"):
        df["files"] = None
    return df
