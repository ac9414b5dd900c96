"""How complete the data is: key fields filled, innovations never assessed, records not
modified for two years, and assessments that leave most criteria unscored; each list opens in
the pipeline explorer as exactly its records (``explorer_query``)."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from sihub.access import unseen_provenance, visible_assessments_sql
from sihub.db.sql import sql_language
from sihub.db.store import Store
from sihub.i18n import t
from sihub.personal import shown_assessor_sql
from sihub.pipeline.filters import InnovationFilter

STALE_AFTER_DAYS = 730  # "not modified for two years"
SPARSE_SHARE = 0.5  # an assessment leaving at least half of its criteria unscored


# Innovations one explorer link names: about 6 characters each, so that the address stays far
# below the 64 kB a server accepts in a request line (39,928 never-assessed innovations of a
# 100,000-innovation store made a 235 kB link that opened nothing).
MAX_LINKED = 2000


def explorer_query(ids, same_as: InnovationFilter | None = None) -> dict[str, str] | None:
    """Query parameters of the pipeline explorer showing exactly these innovations; past
    ``MAX_LINKED`` of them, those of ``same_as``, a filter that selects the same ones, or None
    (no link can carry them)."""
    listed = tuple(sorted({int(i) for i in ids}))
    if len(listed) <= MAX_LINKED:
        return InnovationFilter(ids=listed).to_query()
    return same_as.to_query() if same_as is not None else None


# The explorer's filter for the innovations ``never_assessed`` lists: the same status, from
# the same visibility's assessments (``sihub.db.derived.facts_sql``).
NEVER_ASSESSED = InnovationFilter(statuses=("not_assessed",))


# Key fields of an innovation: (label key, SQL that is TRUE when the field is filled). The
# link tables are joined once as sets (see ``_HAS``) rather than probed per innovation.
KEY_FIELDS = (
    ("field.Innovations.short_description", "nullif(trim(i.short_description), '') IS NOT NULL"),
    ("field.Innovations.stage", "i.stage_code IS NOT NULL"),
    ("field.Innovations.themes", "th.innovation_id IS NOT NULL"),
    ("field.Innovations.target_groups", "tg.innovation_id IS NOT NULL"),
    ("field.Innovations.regions", "rg.innovation_id IS NOT NULL"),
    ("field.Innovations.lead_organisation", "ld.innovation_id IS NOT NULL"),
    ("field.Innovations.scope", "i.scope IS NOT NULL"),
    ("field.Innovations.modified_on", "coalesce(i.modified_on, i.created_on) IS NOT NULL"),
)
_HAS = """
    LEFT JOIN (SELECT DISTINCT innovation_id FROM innovation_themes) th ON th.innovation_id = i.id
    LEFT JOIN (SELECT DISTINCT innovation_id FROM innovation_target_groups) tg
           ON tg.innovation_id = i.id
    LEFT JOIN (SELECT DISTINCT innovation_id FROM innovation_regions
               WHERE region_code <> 'unknown') rg ON rg.innovation_id = i.id
    LEFT JOIN (SELECT DISTINCT innovation_id FROM innovation_organisations WHERE role = 'lead')
           ld ON ld.innovation_id = i.id"""


def completeness(store: Store, lang: str) -> pd.DataFrame:
    """Per key field: innovations that fill it, that lack it (with their ids), and the share."""
    selects = ", ".join(
        f"list(i.id ORDER BY i.id) FILTER (WHERE NOT ({sql})) AS f{n}"
        for n, (_, sql) in enumerate(KEY_FIELDS)
    )
    row = store.rows(f"SELECT count(*), {selects} FROM innovations i {_HAS}")[0]
    total = row[0]
    out = pd.DataFrame(
        {
            "field": [t(key, lang=lang) for key, _ in KEY_FIELDS],
            "missing_ids": [list(ids or []) for ids in row[1:]],
        }
    )
    out["missing"] = [len(ids) for ids in out.missing_ids]
    out["filled"] = total - out.missing
    out["share"] = out.filled / total if total else None
    return out


def completeness_sentence(df: pd.DataFrame, lang: str) -> str:
    if df.empty or not df.missing.any():
        return t("ecosystem.quality.complete", lang=lang)
    worst = df.sort_values("missing", ascending=False, kind="stable").iloc[0]
    return t(
        "ecosystem.quality.worst",
        lang=lang,
        field=worst.field,
        missing=int(worst.missing),
        total=int(worst.missing + worst.filled),
        complete=int((df.missing == 0).sum()),
        fields=len(df),
    )


def never_assessed(store: Store, visibility: str) -> pd.DataFrame:
    """Innovations without any active assessment (of any type) that ``visibility`` sees."""
    return store.query(
        f"""SELECT i.id, i.name, i.created_on FROM innovations i ANTI JOIN (
             SELECT a.innovation_id FROM assessments a WHERE a.superseded_by_batch IS NULL
             AND {visible_assessments_sql(visibility, "a")}) a
           ON a.innovation_id = i.id
           ORDER BY i.created_on NULLS FIRST, i.name"""
    )


def stale_records(store: Store, today: date) -> pd.DataFrame:
    """Innovations not modified (or, lacking that date, created) for two years."""
    return store.query(
        """SELECT id, name, coalesce(modified_on, created_on) AS last_modified FROM innovations
           WHERE coalesce(modified_on, created_on) < $cutoff
           ORDER BY last_modified, name""",
        {"cutoff": today - timedelta(days=STALE_AFTER_DAYS)},
    )


def sparse_assessments(store: Store, visibility: str, lang: str) -> pd.DataFrame:
    """Active assessments ``visibility`` sees that leave at least half of their framework's
    criteria unscored, with the file and row each came from for those who see provenance."""
    lang = sql_language(lang)
    found = store.query(
        f"""WITH totals AS (SELECT framework_code, count(*) AS total FROM criteria
                            WHERE NOT retired GROUP BY 1),
                 scored AS (SELECT assessment_id, count(*) AS scored FROM scores
                            WHERE normalised IS NOT NULL GROUP BY 1)
            SELECT a.id AS assessment_id, a.innovation_id, i.name, f.name_{lang} AS framework,
                   {shown_assessor_sql("r")} AS assessor, a.round, a.assessed_on,
                   coalesce(s.scored, 0) AS scored, t.total, b.file_name, a.source_row
            FROM assessments a JOIN innovations i ON i.id = a.innovation_id
            JOIN totals t ON t.framework_code = a.framework_code
            JOIN frameworks f ON f.code = a.framework_code
            LEFT JOIN scored s ON s.assessment_id = a.id
            LEFT JOIN assessors r ON r.id = a.assessor_id
            LEFT JOIN import_batches b ON b.id = a.batch_id
            WHERE a.superseded_by_batch IS NULL AND {visible_assessments_sql(visibility, "a")}
              AND t.total - coalesce(s.scored, 0) >= $share * t.total
            ORDER BY coalesce(s.scored, 0) / t.total, i.name""",
        {"share": SPARSE_SHARE},
    )
    return found.drop(columns=list(unseen_provenance(visibility)), errors="ignore")
