"""Where innovations work: the 22 areas of the tile map (with how many are scored and their
mean score), and those working nationally, internationally, in several regions or nowhere
recorded."""

from __future__ import annotations

import pandas as pd

from sihub import scores
from sihub.access import seen_text
from sihub.db.sql import sql_language
from sihub.db.store import Store
from sihub.i18n import format_number, format_score, t
from sihub.overview import NOT_RECORDED
from sihub.reference import framework_scale
from sihub.scores import EXTERNAL_TYPES

AREA_KINDS = ("county", "city")  # the 22 areas of the tile map
OTHER_AREAS = ("national", "international", "multi_region")  # counted beside the map


def _scores(store: Store, visibility: str) -> pd.DataFrame:
    """Each innovation's mean score as the hub defines it (external, latest round), of
    the assessments the viewer sees."""
    return scores.innovation_scores(store, visibility, types=EXTERNAL_TYPES)


def areas(store: Store, visibility: str, lang: str) -> pd.DataFrame:
    """The 22 areas with their innovations, how many are scored, and their mean score (0-1,
    and as shown: on the default framework's own scale).

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
    means = _scores(store, visibility)[["innovation_id", "mean_score"]]
    scored = links.merge(means, on="innovation_id")
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
    scale = framework_scale(store, scores.DEFAULT_FRAMEWORK)
    out["score_text"] = [format_score(v, scale, lang) for v in out.mean_score]
    return out


def score_ticks(store: Store, lang: str) -> list[tuple[float, str]]:
    """Where the levels of the main framework's scale sit on the stored 0-1 score, and how
    they read ("1" ... "5"; a scale without numbers by its levels' names), for the map's
    colour bar."""
    scale = framework_scale(store, scores.DEFAULT_FRAMEWORK)
    if scale is None:
        return []
    if scale.numeric:
        return [
            (lv.normalised, format_number(lv.value, lang, 0 if float(lv.value).is_integer() else 1))
            for lv in scale.levels
            if lv.value is not None
        ]
    return [(lv.normalised, lv.names.get(lang) or lv.code) for lv in scale.levels]


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


def scores_sentence(df: pd.DataFrame, visibility: str, lang: str) -> str:
    """The score map (``areas`` as ``visibility`` sees it) in words: highest and lowest area
    means, and what they rest on."""
    scored = df[df.scored > 0].sort_values("mean_score", ascending=False, kind="stable")
    if scored.empty:
        return t("ecosystem.where.no_scores", lang=lang, what=seen_text(visibility, lang))
    high, low = scored.iloc[0], scored.iloc[-1]
    return t(
        "ecosystem.where.scores",
        lang=lang,
        high=high["name"],
        high_score=high.score_text,
        high_n=int(high.scored),
        low=low["name"],
        low_score=low.score_text,
        low_n=int(low.scored),
        missing=int((df.scored == 0).sum()),
    )
