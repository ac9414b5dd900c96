"""Ecosystem statistics: where innovations come from, who develops them, what they address,
how the pipeline moves, where money goes, and how complete the data is.

Every function takes a Store and returns a DataFrame (or a small dict) with names in the
requested language. Scores are those of ``sihub.scores`` (latest round, external, shared
assessments only, missing scores left out), so a figure here never disagrees with a profile.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from sihub import funding, scores
from sihub.db import derived
from sihub.db.sql import sql_language
from sihub.db.store import Store
from sihub.i18n import format_number, t
from sihub.pipeline.filters import InnovationFilter
from sihub.scores import DEFAULT_FRAMEWORK, EXTERNAL_TYPES

AREA_KINDS = ("county", "city")  # the 22 areas of the tile map
OTHER_AREAS = ("national", "international", "multi_region")  # counted beside the map
STALE_AFTER_DAYS = 730  # "not modified for two years"
SPARSE_SHARE = 0.5  # an assessment leaving at least half of its criteria unscored
DEVELOPER_ROLES = ("lead", "partner", "pilot_site")  # funders are not co-developers
NOT_RECORDED = "__not_recorded__"


def explorer_query(ids) -> dict[str, str]:
    """Query parameters of the pipeline explorer showing exactly these innovations."""
    return InnovationFilter(ids=tuple(sorted(int(i) for i in ids))).to_query()


def _scores(store: Store) -> pd.DataFrame:
    """Each innovation's mean score as the hub defines it (shared external, latest round)."""
    return scores.innovation_scores(store, types=EXTERNAL_TYPES, shared_only=True)


# where ---------------------------------------------------------------------------------------
def areas(store: Store, lang: str) -> pd.DataFrame:
    """The 22 areas with their innovations, how many are scored, and their mean score.

    An innovation working in several areas counts in each of them.
    """
    lang = sql_language(lang)
    listed = store.query(
        f"""SELECT code, name_{lang} AS name, kind FROM regions
            WHERE kind IN (SELECT unnest($kinds)) ORDER BY sort_order""",
        {"kinds": list(AREA_KINDS)},
    )
    links = store.query(
        """SELECT DISTINCT region_code AS code, innovation_id FROM innovation_regions
           WHERE region_code IN (SELECT unnest($codes))""",
        {"codes": list(listed.code)},
    )
    scored = links.merge(_scores(store)[["innovation_id", "mean_score"]], on="innovation_id")
    per_area = pd.DataFrame(
        {
            "innovations": links.groupby("code").innovation_id.nunique(),
            "scored": scored.groupby("code").innovation_id.nunique(),
            "mean_score": scored.groupby("code").mean_score.mean(),
        }
    )
    out = listed.merge(per_area, how="left", left_on="code", right_index=True)
    out[["innovations", "scored"]] = out[["innovations", "scored"]].fillna(0).astype(int)
    out["mean_score"] = out.mean_score.astype(float)
    return out


def other_areas(store: Store, lang: str) -> pd.DataFrame:
    """National, international and multi-region innovations, and those without a place."""
    lang = sql_language(lang)
    df = store.query(
        f"""SELECT r.code, r.name_{lang} AS name, count(ir.innovation_id) AS innovations
            FROM regions r LEFT JOIN innovation_regions ir ON ir.region_code = r.code
            WHERE r.code IN (SELECT unnest($codes))
            GROUP BY ALL ORDER BY min(r.sort_order)""",
        {"codes": list(OTHER_AREAS)},
    )
    nowhere = store.scalar(
        """SELECT count(*) FROM innovations i ANTI JOIN (
             SELECT innovation_id FROM innovation_regions WHERE region_code <> 'unknown') p
           ON p.innovation_id = i.id"""
    )
    extra = pd.DataFrame(
        {
            "code": [NOT_RECORDED],
            "name": [t("common.not_recorded", lang=lang)],
            "innovations": [nowhere],
        }
    )
    return pd.concat([df, extra], ignore_index=True)


def areas_sentence(df: pd.DataFrame, others: pd.DataFrame, lang: str) -> str:
    """The tile map in words: the areas with most innovations, those with none, the rest."""
    ranked = df[df.innovations > 0].sort_values("innovations", ascending=False, kind="stable")
    if ranked.empty:
        text = t("ecosystem.where.none", lang=lang)
    else:
        top = ", ".join(f"{r.name} ({r.innovations})" for r in ranked.head(3).itertuples())
        text = t("ecosystem.where.top", lang=lang, top=top, areas=len(ranked), total=len(df))
    empty = df[df.innovations == 0]
    if not empty.empty:
        text += " " + t("ecosystem.where.empty", lang=lang, names=", ".join(empty.name))
    rest = ", ".join(f"{r.name}: {r.innovations}" for r in others.itertuples())
    return text + " " + t("ecosystem.where.others", lang=lang, others=rest)


def scores_sentence(df: pd.DataFrame, lang: str) -> str:
    """The score map in words: highest and lowest area means, and what they rest on."""
    scored = df[df.scored > 0].sort_values("mean_score", ascending=False, kind="stable")
    if scored.empty:
        return t("ecosystem.where.no_scores", lang=lang)
    high, low = scored.iloc[0], scored.iloc[-1]
    return t(
        "ecosystem.where.scores",
        lang=lang,
        high=high["name"],
        high_score=format_number(high.mean_score, lang, 2),
        high_n=int(high.scored),
        low=low["name"],
        low_score=format_number(low.mean_score, lang, 2),
        low_n=int(low.scored),
        missing=int((df.scored == 0).sum()),
    )


# who -----------------------------------------------------------------------------------------
_WORK = """work AS (  -- who develops what: one row per organisation and innovation
      SELECT organisation_id, innovation_id, bool_or(role = 'lead') AS led
      FROM innovation_organisations WHERE role IN (SELECT unnest($roles)) GROUP BY ALL)"""


def organisations_by_type(store: Store, lang: str) -> pd.DataFrame:
    """Organisations per type, with the innovations they develop and lead."""
    lang = sql_language(lang)
    return store.query(
        f"""WITH {_WORK},
            per AS (SELECT coalesce(g.org_type, '{NOT_RECORDED}') AS code,
                           count(DISTINCT g.id) AS organisations,
                           count(DISTINCT w.innovation_id) AS innovations,
                           count(DISTINCT w.innovation_id) FILTER (WHERE w.led) AS led
                    FROM organisations g LEFT JOIN work w ON w.organisation_id = g.id
                    GROUP BY 1)
            SELECT per.code, coalesce(v.name_{lang}, $missing) AS label, per.organisations,
                   per.innovations, per.led
            FROM per LEFT JOIN org_types v ON v.code = per.code
            ORDER BY coalesce(v.sort_order, 999)""",
        {"missing": t("common.not_recorded", lang=lang), "roles": list(DEVELOPER_ROLES)},
    )


_EDGES = """edges AS (  -- organisations sharing innovations; work rows are unique pairs
      SELECT a.organisation_id AS source, b.organisation_id AS target, count(*) AS shared
      FROM work a JOIN work b ON a.innovation_id = b.innovation_id
           AND a.organisation_id < b.organisation_id
      GROUP BY ALL)"""


def collaboration_network(store: Store, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Organisations that develop innovations (nodes) and the innovations they share (edges).

    Nodes: id, name, org_type, type_name, innovations, partners (distinct organisations worked
    with), shared (innovations shared, summed over partners). Edges: source, target, shared.
    """
    lang = sql_language(lang)
    params = {"roles": list(DEVELOPER_ROLES)}
    edges = store.query(
        f"WITH {_WORK}, {_EDGES} SELECT * FROM edges ORDER BY shared DESC, source, target",
        params,
    )
    nodes = store.query(
        f"""WITH {_WORK}, {_EDGES},
            ends AS (SELECT source AS id, shared FROM edges
                     UNION ALL SELECT target, shared FROM edges),
            degree AS (SELECT id, count(*) AS partners, CAST(sum(shared) AS INTEGER) AS shared
                       FROM ends GROUP BY 1),
            counts AS (SELECT organisation_id AS id, count(*) AS innovations FROM work
                       GROUP BY 1)
            SELECT g.id, g.name, g.org_type, v.name_{lang} AS type_name, c.innovations,
                   coalesce(d.partners, 0) AS partners, coalesce(d.shared, 0) AS shared
            FROM counts c JOIN organisations g ON g.id = c.id
            LEFT JOIN org_types v ON v.code = g.org_type LEFT JOIN degree d ON d.id = c.id
            ORDER BY c.innovations DESC, g.name""",
        params,
    )
    return nodes, edges


def most_connected(nodes: pd.DataFrame, limit: int = 10) -> pd.DataFrame:
    """The organisations that work with most others (ties: more shared innovations)."""
    return nodes.sort_values(
        ["partners", "shared", "innovations", "name"],
        ascending=[False, False, False, True],
        kind="stable",
    ).head(limit)


def network_sentence(nodes: pd.DataFrame, edges: pd.DataFrame, lang: str) -> str:
    if edges.empty:
        return t("ecosystem.who.no_network", lang=lang, count=len(nodes))
    top = most_connected(nodes, 1).iloc[0]
    alone = int((nodes.partners == 0).sum())
    return t(
        "ecosystem.who.network",
        lang=lang,
        organisations=len(nodes),
        links=len(edges),
        top=top["name"],
        partners=int(top.partners),
        alone=alone,
    )


# what ----------------------------------------------------------------------------------------
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


def target_group_gaps(store: Store, lang: str, few: int = 5) -> pd.DataFrame:
    """Per target group: innovations, externally assessed ones, and whether either is few."""
    lang = sql_language(lang)
    df = store.query(
        f"""WITH external AS (
              SELECT DISTINCT innovation_id FROM assessments
              WHERE superseded_by_batch IS NULL AND shared
                AND assessment_type IN (SELECT unnest($types))),
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


# how the pipeline moves ---------------------------------------------------------------------
def quarterly_flow(store: Store, lang: str) -> pd.DataFrame:
    """Per quarter: innovations added, innovations assessed, and assessments made."""
    df = store.query(
        """WITH added AS (
              SELECT CAST(date_trunc('quarter', created_on) AS DATE) AS quarter, count(*) AS added
              FROM innovations WHERE created_on IS NOT NULL GROUP BY 1),
            assessed AS (
              SELECT CAST(date_trunc('quarter', assessed_on) AS DATE) AS quarter,
                     count(DISTINCT innovation_id) AS assessed, count(*) AS assessments
              FROM assessments WHERE superseded_by_batch IS NULL AND assessed_on IS NOT NULL
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


def undated(store: Store) -> dict[str, int]:
    """Records left out of the quarterly chart because they carry no date."""
    return store.records(
        """SELECT (SELECT count(*) FROM innovations WHERE created_on IS NULL) AS innovations,
                  (SELECT count(*) FROM assessments WHERE superseded_by_batch IS NULL
                   AND assessed_on IS NULL) AS assessments"""
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


def assessed_by_stage(store: Store, lang: str) -> pd.DataFrame:
    """Per stage: innovations externally assessed, self-assessed only, and not assessed (the
    explorer's assessment status, ``derived.FACTS_SQL``)."""
    lang = sql_language(lang)
    df = store.query(
        f"""SELECT coalesce(s.code, '{NOT_RECORDED}') AS code,
                   coalesce(s.name_{lang}, $missing) AS stage,
                   count(*) FILTER (WHERE fa.status = 'external') AS external,
                   count(*) FILTER (WHERE fa.status = 'self_only') AS self_only,
                   count(*) FILTER (WHERE fa.status = 'not_assessed') AS not_assessed,
                   count(*) AS innovations
            FROM innovations i LEFT JOIN stages s ON s.code = i.stage_code
            JOIN ({derived.FACTS_SQL}) fa ON fa.innovation_id = i.id
            GROUP BY ALL ORDER BY min(coalesce(s.sort_order, 999))""",
        {"missing": t("common.not_recorded", lang=lang)},
    )
    df["share_external"] = df.external / df.innovations
    return df


def assessed_by_round(store: Store, lang: str) -> pd.DataFrame:
    """Per assessment round: innovations assessed in it and their share of all innovations."""
    df = store.query(
        """SELECT round, count(DISTINCT innovation_id) AS innovations, count(*) AS assessments,
                  count(DISTINCT innovation_id) / (SELECT count(*) FROM innovations) AS share
           FROM assessments WHERE superseded_by_batch IS NULL
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
    store: Store, lang: str, framework: str = DEFAULT_FRAMEWORK
) -> pd.DataFrame:
    """Mean score per dimension in each round (``scores.dimension_means_by_round``: shared
    external assessments), with the dimension's name in ``lang``."""
    lang = sql_language(lang)
    df = scores.dimension_means_by_round(
        store, framework=framework, types=EXTERNAL_TYPES, shared_only=True
    )
    names = dict(store.rows(f"SELECT code, name_{lang} FROM dimensions"))
    df["dimension"] = df.dimension_code.map(names).fillna(df.dimension_code)
    return df


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
        high_share=format_number(100 * high.share_external, lang),
        low=low.stage,
        low_share=format_number(100 * low.share_external, lang),
        never=int(df.not_assessed.sum()),
        total=int(df.innovations.sum()),
    )


def rounds_sentence(df: pd.DataFrame, lang: str) -> str:
    if df.empty:
        return t("ecosystem.pipeline.no_rounds", lang=lang)
    last = df[df["round"].notna()].iloc[-1] if df["round"].notna().any() else df.iloc[-1]
    return t(
        "ecosystem.pipeline.rounds",
        lang=lang,
        rounds=int(df["round"].notna().sum()),
        last=last.label,
        count=int(last.innovations),
        share=format_number(100 * last.share, lang),
    )


def dimension_sentence(df: pd.DataFrame, lang: str) -> str:
    if df.empty:
        return t("ecosystem.pipeline.no_scores", lang=lang)
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
        up_by=format_number(change.max(), lang, 2),
        down=change.idxmin(),
        down_by=format_number(change.min(), lang, 2),
    )


# money ---------------------------------------------------------------------------------------
def awards_by(store: Store, lang: str, by: str) -> pd.DataFrame:
    """Recorded funding awards per funder, region or theme: awards, total, and unknown amounts.

    Region is the recipient organisation's; an award to an innovation with several themes
    counts under each of its themes.
    """
    lang = sql_language(lang)
    group = {
        "funder": ("a.funder", ""),
        "region": (
            f"coalesce(r.name_{lang}, $missing)",
            "LEFT JOIN organisations g ON g.id = a.organisation_id "
            "LEFT JOIN regions r ON r.code = g.region_code",
        ),
        "theme": (
            f"coalesce(th.name_{lang}, $missing)",
            "LEFT JOIN innovation_themes it ON it.innovation_id = a.innovation_id "
            "LEFT JOIN themes th ON th.code = it.theme_code",
        ),
    }[by]
    return store.query(
        f"""SELECT {group[0]} AS label, count(DISTINCT a.id) AS awards,
                   sum(a.amount) AS amount,
                   count(DISTINCT a.id) FILTER (WHERE a.amount IS NULL) AS unknown_amounts
            FROM funding_awards a {group[1]}
            GROUP BY 1 ORDER BY amount DESC NULLS LAST, label""",
        {"missing": t("common.not_recorded", lang=lang)} if by != "funder" else {},
    )


def open_calls_by_theme(store: Store, today: date, lang: str) -> pd.DataFrame:
    """Calls taking applications today, per theme: how many, and their maximum amounts summed."""
    lang = sql_language(lang)
    return store.query(
        f"""WITH accepting AS (
              SELECT id, amount_max, unnest(CASE WHEN len(coalesce(themes, [])) = 0
                                            THEN [NULL] ELSE themes END) AS theme
              FROM funding_opportunities
              WHERE {funding.status_sql("$today")} IN (SELECT unnest($accepting)))
            SELECT coalesce(th.name_{lang}, $any) AS theme, count(DISTINCT c.id) AS calls,
                   sum(c.amount_max) AS total,
                   count(DISTINCT c.id) FILTER (WHERE c.amount_max IS NULL) AS unknown_amounts
            FROM accepting c LEFT JOIN themes th ON th.code = c.theme
            GROUP BY 1 ORDER BY total DESC NULLS LAST, theme""",
        {
            "today": today,
            "accepting": list(funding.ACCEPTING),
            "any": t("funding.no_restriction", lang=lang),
        },
    )


def money_sentence(df: pd.DataFrame, what: str, lang: str) -> str:
    """E.g. "Most money: STEA, €1,200,000 in 8 awards, of €3,300,000 recorded in total."."""
    amount, count = ("amount", "awards") if what == "awards" else ("total", "calls")
    if df.empty:
        return t(f"ecosystem.money.none_{what}", lang=lang)
    top = df.iloc[0]
    text = t(
        f"ecosystem.money.top_{what}",
        lang=lang,
        label=top.label if what == "awards" else top.theme,
        amount=format_number(top[amount], lang),
        count=int(top[count]),
        total=format_number(df[amount].sum(), lang),
    )
    unknown = int(df.unknown_amounts.sum())
    if unknown:
        text += " " + t(f"ecosystem.money.unknown_{what}", lang=lang, count=unknown)
    return text


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


# data quality --------------------------------------------------------------------------------
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


def never_assessed(store: Store) -> pd.DataFrame:
    """Innovations without any active assessment (of any type)."""
    return store.query(
        """SELECT i.id, i.name, i.created_on FROM innovations i ANTI JOIN (
             SELECT innovation_id FROM assessments WHERE superseded_by_batch IS NULL) a
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


def sparse_assessments(store: Store, lang: str) -> pd.DataFrame:
    """Active assessments that leave at least half of their framework's criteria unscored."""
    lang = sql_language(lang)
    return store.query(
        f"""WITH totals AS (SELECT framework_code, count(*) AS total FROM criteria
                            WHERE NOT retired GROUP BY 1),
                 scored AS (SELECT assessment_id, count(*) AS scored FROM scores
                            WHERE normalised IS NOT NULL GROUP BY 1)
            SELECT a.id AS assessment_id, a.innovation_id, i.name, f.name_{lang} AS framework,
                   r.name AS assessor, a.round, a.assessed_on,
                   coalesce(s.scored, 0) AS scored, t.total, b.file_name, a.source_row
            FROM assessments a JOIN innovations i ON i.id = a.innovation_id
            JOIN totals t ON t.framework_code = a.framework_code
            JOIN frameworks f ON f.code = a.framework_code
            LEFT JOIN scored s ON s.assessment_id = a.id
            LEFT JOIN assessors r ON r.id = a.assessor_id
            LEFT JOIN import_batches b ON b.id = a.batch_id
            WHERE a.superseded_by_batch IS NULL
              AND t.total - coalesce(s.scored, 0) >= $share * t.total
            ORDER BY coalesce(s.scored, 0) / t.total, i.name""",
        {"share": SPARSE_SHARE},
    )
