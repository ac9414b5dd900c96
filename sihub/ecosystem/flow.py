"""How the pipeline moves: innovations added and assessed per quarter, external assessment
per stage, innovations per assessment round, and dimension means from round to round."""

from __future__ import annotations

import pandas as pd

from sihub import scores
from sihub.access import seen_text, visible_assessments_sql
from sihub.db import derived
from sihub.db.sql import sql_language
from sihub.db.store import Store
from sihub.i18n import format_number, format_share, half_up, score_on_scale, t
from sihub.overview import NOT_RECORDED
from sihub.reference import framework_scale
from sihub.scores import DEFAULT_FRAMEWORK, EXTERNAL_TYPES


def quarterly_flow(store: Store, visibility: str, lang: str) -> pd.DataFrame:
    """Per quarter: innovations added, innovations assessed, and assessments made (those
    ``visibility`` sees)."""
    df = store.query(
        f"""WITH added AS (
              SELECT CAST(date_trunc('quarter', created_on) AS DATE) AS quarter, count(*) AS added
              FROM innovations WHERE created_on IS NOT NULL GROUP BY 1),
            assessed AS (
              SELECT CAST(date_trunc('quarter', a.assessed_on) AS DATE) AS quarter,
                     count(DISTINCT a.innovation_id) AS assessed, count(*) AS assessments
              FROM assessments a WHERE a.superseded_by_batch IS NULL
               AND a.assessed_on IS NOT NULL AND {visible_assessments_sql(visibility, "a")}
              GROUP BY 1),
            bounds AS (SELECT min(quarter) AS first, max(quarter) AS last FROM (
              SELECT quarter FROM added UNION ALL SELECT quarter FROM assessed)),
            quarters AS (  -- every quarter in between, so that a quiet quarter shows as 0
              SELECT CAST(unnest(generate_series(first, last, INTERVAL 3 MONTH)) AS DATE)
                     AS quarter FROM bounds WHERE first IS NOT NULL)
           SELECT q.quarter, coalesce(added, 0) AS added, coalesce(assessed, 0) AS assessed,
                  coalesce(assessments, 0) AS assessments
           FROM quarters q LEFT JOIN added USING (quarter) LEFT JOIN assessed USING (quarter)
           ORDER BY q.quarter"""
    )
    df["label"] = [
        t("ecosystem.quarter", lang=lang, year=str(q.year), q=(q.month - 1) // 3 + 1)
        for q in pd.to_datetime(df.quarter)
    ]
    return df


def undated(store: Store, visibility: str) -> dict[str, int]:
    """Records left out of the quarterly chart because they carry no date."""
    return store.records(
        f"""SELECT (SELECT count(*) FROM innovations WHERE created_on IS NULL) AS innovations,
                  (SELECT count(*) FROM assessments a WHERE a.superseded_by_batch IS NULL
                   AND a.assessed_on IS NULL AND {visible_assessments_sql(visibility, "a")})
                   AS assessments"""
    )[0]


def flow_sentence(df: pd.DataFrame, lang: str) -> str:
    if df.empty:
        return t("ecosystem.pipeline.no_flow", lang=lang)
    busiest = df.sort_values("added", ascending=False, kind="stable").iloc[0]
    last = df.iloc[-1]
    return t(
        "ecosystem.pipeline.flow",
        lang=lang,
        added=int(df.added.sum()),
        quarters=len(df),
        busiest=busiest.label,
        busiest_n=int(busiest.added),
        last=last.label,
        last_added=int(last.added),
        last_assessed=int(last.assessed),
    )


def assessed_by_stage(store: Store, visibility: str, lang: str) -> pd.DataFrame:
    """Per stage: innovations externally assessed, self-assessed only, and not assessed (the
    explorer's assessment status, ``derived.facts_sql``, of what ``visibility`` sees)."""
    lang = sql_language(lang)
    df = store.query(
        f"""SELECT coalesce(s.code, '{NOT_RECORDED}') AS code,
                   coalesce(s.name_{lang}, $missing) AS stage,
                   count(*) FILTER (WHERE fa.status = 'external') AS external,
                   count(*) FILTER (WHERE fa.status = 'self_only') AS self_only,
                   count(*) FILTER (WHERE fa.status = 'not_assessed') AS not_assessed,
                   count(*) AS innovations
            FROM innovations i LEFT JOIN stages s ON s.code = i.stage_code
            JOIN ({derived.facts_sql(visibility)}) fa ON fa.innovation_id = i.id
            GROUP BY ALL ORDER BY min(coalesce(s.sort_order, 999))""",
        {"missing": t("common.not_recorded", lang=lang)},
    )
    df["share_external"] = df.external / df.innovations
    return df


def assessed_by_round(store: Store, visibility: str, lang: str) -> pd.DataFrame:
    """Per assessment round: innovations assessed in it (in what ``visibility`` sees) and their
    share of all innovations."""
    df = store.query(
        f"""SELECT round, count(DISTINCT innovation_id) AS innovations, count(*) AS assessments,
                  count(DISTINCT innovation_id) / (SELECT count(*) FROM innovations) AS share
           FROM assessments a WHERE a.superseded_by_batch IS NULL
            AND {visible_assessments_sql(visibility, "a")}
           GROUP BY round ORDER BY round NULLS LAST"""
    )
    df["label"] = [
        t("ecosystem.round", lang=lang, round=int(r))
        if pd.notna(r)
        else t("common.not_recorded", lang=lang)
        for r in df["round"]
    ]
    return df


def dimension_means_by_round(
    store: Store, visibility: str, lang: str, framework: str = DEFAULT_FRAMEWORK
) -> pd.DataFrame:
    """Mean score per dimension in each round (``scores.dimension_means_by_round``: external
    assessments the viewer sees) on the framework's own scale, with the dimension's name in
    ``lang``."""
    lang = sql_language(lang)
    df = scores.dimension_means_by_round(
        store, visibility, framework=framework, types=EXTERNAL_TYPES
    )
    names = dict(store.rows(f"SELECT code, name_{lang} FROM dimensions"))
    df["dimension"] = df.dimension_code.map(names).fillna(df.dimension_code)
    scale = framework_scale(store, framework)
    df["mean"] = [score_on_scale(v, scale) for v in df["mean"]]
    return df


def dimension_range(store: Store, framework: str = DEFAULT_FRAMEWORK) -> tuple[float, float]:
    """The ends of the scale the dimension means are shown on (1 and 5 for 1-5)."""
    scale = framework_scale(store, framework)
    return float(scale.bottom or 0), float(scale.top or 1)


def stage_sentence(df: pd.DataFrame, lang: str) -> str:
    """Where external assessment is most and least common along the pipeline."""
    known = df[(df.code != NOT_RECORDED) & (df.innovations > 0)]
    if known.empty:
        return t("ecosystem.pipeline.no_stages", lang=lang)
    ranked = known.sort_values("share_external", ascending=False, kind="stable")
    high, low = ranked.iloc[0], ranked.iloc[-1]
    return t(
        "ecosystem.pipeline.stages",
        lang=lang,
        high=high.stage,
        high_share=format_share(high.share_external, lang),
        low=low.stage,
        low_share=format_share(low.share_external, lang),
        never=int(df.not_assessed.sum()),
        total=int(df.innovations.sum()),
    )


def rounds_sentence(df: pd.DataFrame, lang: str) -> str:
    if df.empty:
        return t("ecosystem.pipeline.no_rounds", lang=lang)
    last = df[df["round"].notna()].iloc[-1] if df["round"].notna().any() else df.iloc[-1]
    named = (  # mid-sentence, in lower case: '; kierros 3 kattoi', not '; Kierros 3 kattoi'
        t("ecosystem.pipeline.round_in_text", lang=lang, round=int(last["round"]))
        if pd.notna(last["round"])
        else last.label
    )
    return t(
        "ecosystem.pipeline.rounds",
        lang=lang,
        rounds=int(df["round"].notna().sum()),
        last=named,
        count=int(last.innovations),
        share=format_share(last.share, lang),
    )


def dimension_sentence(df: pd.DataFrame, visibility: str, lang: str) -> str:
    """The dimension means by round (as ``visibility`` sees them) in words."""
    if df.empty:
        return t("ecosystem.pipeline.no_scores", lang=lang, what=seen_text(visibility, lang))
    rounds = sorted(df["round"].unique())
    first, last = df[df["round"] == rounds[0]], df[df["round"] == rounds[-1]]
    change = (last.set_index("dimension")["mean"] - first.set_index("dimension")["mean"]).dropna()
    if len(rounds) < 2 or change.empty:
        return t("ecosystem.pipeline.one_round", lang=lang, count=len(df))
    return t(
        "ecosystem.pipeline.dimensions",
        lang=lang,
        first=int(rounds[0]),
        last=int(rounds[-1]),
        up=change.idxmax(),
        up_by=_change_text(change.max(), lang),
        down=change.idxmin(),
        down_by=_change_text(change.min(), lang),
    )


def _change_text(change: float, lang: str) -> str:
    """A change of a mean at one decimal, rounded before it is written: a fall smaller than
    0.05 is 0,0, not '-0,0'."""
    return format_number(half_up(change, 1), lang, 1)
