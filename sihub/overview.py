"""The overview page's queries: headline figures, innovations per stage, theme and target
group, and recent activity. Each takes a Store and returns a DataFrame or a small dict.

Names of stages, themes and the like come from the data in the requested language. A count of
records that lack a value is always reported beside the counts ("not recorded"). Counts of
assessments are of those the viewer sees (``visibility``, ``sihub.access``).
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from sihub.access import visible_assessments_sql
from sihub.db.sql import sql_language
from sihub.db.store import Store
from sihub.funding.status import ACCEPTING, status_sql
from sihub.i18n import format_money, t
from sihub.scores import ASSESSOR_KEY

NOT_RECORDED = "__not_recorded__"  # code of the "no value recorded" row in distributions


def is_empty(store: Store) -> bool:
    return not store.scalar("SELECT count(*) FROM innovations")


def headline_figures(store: Store, visibility: str, today: date) -> dict:
    """Headline numbers of the ecosystem on ``today`` (assessments: those ``visibility`` sees)."""
    active = f"a.superseded_by_batch IS NULL AND {visible_assessments_sql(visibility, 'a')}"
    row = store.records(
        f"""
        SELECT
          (SELECT count(*) FROM innovations) AS innovations,
          (SELECT count(*) FROM organisations) AS organisations,
          (SELECT count(DISTINCT a.innovation_id) FROM assessments a WHERE {active}) AS assessed,
          (SELECT count(*) FROM assessments a WHERE {active}) AS assessments,
          (SELECT count(DISTINCT {ASSESSOR_KEY}) FROM (
             SELECT a.assessor_id, a.id AS assessment_id FROM assessments a
             WHERE {active})) AS assessors,
          accepting_calls.*
        FROM (SELECT count(*) AS open_calls,
                     min(coalesce(amount_min, amount_max)) AS open_amount_low,
                     max(coalesce(amount_max, amount_min)) AS open_amount_high,
                     count(*) FILTER (WHERE amount_min IS NULL AND amount_max IS NULL)
                       AS open_without_amount
              FROM funding_opportunities
              WHERE list_contains($accepting, {status_sql("$today")})) accepting_calls
        """,
        {"today": today, "accepting": list(ACCEPTING)},
    )[0]
    row["assessed_share"] = row["assessed"] / row["innovations"] if row["innovations"] else None
    return row


def open_calls_note(figures: dict, lang: str) -> str:
    """What the open calls offer, as a fact: the range of amounts per project they state.

    Not a sum: calls of different funders and instruments (grants, loans, outcomes contracts)
    are alternatives, and a call's largest grant is not its budget; calls that state no amount
    are counted, not left out silently.
    """
    low, high = figures["open_amount_low"], figures["open_amount_high"]
    if low is None:
        text = t("overview.open_no_amounts", lang=lang)
    elif low == high:
        text = t("overview.open_one_amount", lang=lang, amount=format_money(low, lang))
    else:
        text = t(
            "overview.open_range",
            lang=lang,
            low=format_money(low, lang),
            high=format_money(high, lang),
        )
    missing = figures["open_without_amount"]
    if missing and low is not None:
        text += " " + t("overview.open_without_amount", lang=lang, count=missing)
    return text


def _distribution(store: Store, vocabulary: str, link_sql: str, lang: str) -> pd.DataFrame:
    """Innovations per vocabulary entry (zero rows kept), plus a "not recorded" row."""
    lang = sql_language(lang)
    counts = store.query(f"""
        SELECT v.code, v.name_{lang} AS label, count(DISTINCT l.innovation_id) AS innovations
        FROM {vocabulary} v LEFT JOIN ({link_sql}) l ON l.code = v.code
        GROUP BY v.code, v.name_{lang}, v.sort_order ORDER BY v.sort_order""")
    missing = store.scalar(f"""
        SELECT count(*) FROM innovations i
        WHERE NOT EXISTS (SELECT 1 FROM ({link_sql}) l WHERE l.innovation_id = i.id)""")
    extra = pd.DataFrame(
        {
            "code": [NOT_RECORDED],
            "label": [t("common.not_recorded", lang=lang)],
            "innovations": [missing],
        }
    )
    return pd.concat([counts, extra], ignore_index=True)


def innovations_per_stage(store: Store, lang: str) -> pd.DataFrame:
    return _distribution(
        store,
        "stages",
        "SELECT id AS innovation_id, stage_code AS code FROM innovations "
        "WHERE stage_code IS NOT NULL",
        lang,
    )


def innovations_per_theme(store: Store, lang: str) -> pd.DataFrame:
    return _distribution(
        store, "themes", "SELECT innovation_id, theme_code AS code FROM innovation_themes", lang
    )


def innovations_per_target_group(store: Store, lang: str) -> pd.DataFrame:
    return _distribution(
        store,
        "target_groups",
        "SELECT innovation_id, target_group_code AS code FROM innovation_target_groups",
        lang,
    )


def recent_activity(store: Store, visibility: str, lang: str, limit: int = 10) -> pd.DataFrame:
    """The latest innovations added and assessment days (of the assessments ``visibility``
    sees), newest first, in words."""
    lang = sql_language(lang)
    df = store.query(
        f"""
        SELECT * FROM (
          SELECT i.created_on AS on_date, 'added' AS event, i.id AS innovation_id, i.name,
                 s.name_{lang} AS detail, 1 AS n
          FROM innovations i LEFT JOIN stages s ON s.code = i.stage_code
          WHERE i.created_on IS NOT NULL
          UNION ALL
          SELECT a.assessed_on, 'assessed', i.id, i.name,
                 string_agg(DISTINCT t.name_{lang}, ', ' ORDER BY t.name_{lang}), count(*)
          FROM assessments a JOIN innovations i ON i.id = a.innovation_id
          JOIN assessment_types t ON t.code = a.assessment_type
          WHERE a.superseded_by_batch IS NULL AND a.assessed_on IS NOT NULL
            AND {visible_assessments_sql(visibility, "a")}
          GROUP BY a.assessed_on, i.id, i.name)
        ORDER BY on_date DESC, name LIMIT ?""",
        [limit],
    )
    df["event"] = [
        t(f"overview.event_{e}", lang=lang, count=n) for e, n in zip(df.event, df.n, strict=True)
    ]
    return df.drop(columns="n")
