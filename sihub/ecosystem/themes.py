"""What innovations address: innovations per theme and target group, and the target groups
with few innovations or few externally assessed ones."""

from __future__ import annotations

import pandas as pd

from sihub.access import visible_assessments_sql
from sihub.db.sql import sql_language
from sihub.db.store import Store
from sihub.i18n import t
from sihub.scores import EXTERNAL_TYPES


def theme_target_matrix(store: Store, lang: str) -> pd.DataFrame:
    """Innovations per theme and target group (every pair, zeros included), long format."""
    lang = sql_language(lang)
    return store.query(
        f"""WITH pairs AS (  -- link rows are unique, so a count is a count of innovations
              SELECT a.theme_code, b.target_group_code, count(*) AS innovations
              FROM innovation_themes a JOIN innovation_target_groups b USING (innovation_id)
              GROUP BY ALL)
            SELECT th.code AS theme_code, th.name_{lang} AS theme,
                   tg.code AS target_group_code, tg.name_{lang} AS target_group,
                   coalesce(p.innovations, 0) AS innovations
            FROM themes th CROSS JOIN target_groups tg
            LEFT JOIN pairs p ON p.theme_code = th.code AND p.target_group_code = tg.code
            ORDER BY th.sort_order, tg.sort_order"""
    )


def target_group_gaps(store: Store, visibility: str, lang: str, few: int = 5) -> pd.DataFrame:
    """Per target group: innovations, externally assessed ones (among the assessments the
    viewer sees), and whether either is few."""
    lang = sql_language(lang)
    visible = visible_assessments_sql(visibility, "a")
    df = store.query(
        f"""WITH external AS (
              SELECT DISTINCT a.innovation_id FROM assessments a
              WHERE a.superseded_by_batch IS NULL AND {visible}
                AND a.assessment_type IN (SELECT unnest($types))),
            per AS (SELECT l.target_group_code AS code, count(*) AS innovations,
                           count(e.innovation_id) AS assessed
                    FROM innovation_target_groups l
                    LEFT JOIN external e ON e.innovation_id = l.innovation_id GROUP BY 1)
            SELECT tg.code, tg.name_{lang} AS target_group,
                   coalesce(per.innovations, 0) AS innovations,
                   coalesce(per.assessed, 0) AS assessed
            FROM target_groups tg LEFT JOIN per ON per.code = tg.code
            ORDER BY tg.sort_order""",
        {"types": list(EXTERNAL_TYPES)},
    )
    df["few_innovations"] = df.innovations < few
    df["few_assessed"] = df.assessed < few
    return df


def matrix_sentence(df: pd.DataFrame, lang: str) -> str:
    ranked = df[df.innovations > 0].sort_values("innovations", ascending=False, kind="stable")
    if ranked.empty:
        return t("ecosystem.what.none", lang=lang)
    top = ranked.iloc[0]
    return t(
        "ecosystem.what.matrix",
        lang=lang,
        theme=top.theme,
        group=top.target_group,
        count=int(top.innovations),
        empty=int((df.innovations == 0).sum()),
        cells=len(df),
    )


def gaps_sentence(df: pd.DataFrame, few: int, lang: str) -> str:
    thin = df[df.few_innovations].target_group.tolist()
    unassessed = df[df.few_assessed & ~df.few_innovations].target_group.tolist()
    if not thin and not unassessed:
        return t("ecosystem.what.no_gaps", lang=lang, few=few)
    parts = []
    if thin:
        parts.append(t("ecosystem.what.gaps_few", lang=lang, few=few, names=", ".join(thin)))
    if unassessed:
        parts.append(
            t("ecosystem.what.gaps_assessed", lang=lang, few=few, names=", ".join(unassessed))
        )
    return " ".join(parts)
