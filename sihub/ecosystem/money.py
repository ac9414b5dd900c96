"""Where money goes: recorded funding awards per funder, region or theme, and the calls taking
applications today per theme (status as ``funding.status`` defines it)."""

from __future__ import annotations

from datetime import date

import pandas as pd

from sihub.db.sql import sql_language
from sihub.db.store import Store
from sihub.funding.status import ACCEPTING, status_sql
from sihub.i18n import format_money, t


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
              WHERE {status_sql("$today")} IN (SELECT unnest($accepting)))
            SELECT coalesce(th.name_{lang}, $any) AS theme, count(DISTINCT c.id) AS calls,
                   sum(c.amount_max) AS total,
                   count(DISTINCT c.id) FILTER (WHERE c.amount_max IS NULL) AS unknown_amounts
            FROM accepting c LEFT JOIN themes th ON th.code = c.theme
            GROUP BY 1 ORDER BY total DESC NULLS LAST, theme""",
        {
            "today": today,
            "accepting": list(ACCEPTING),
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
        amount=format_money(top[amount], lang),
        count=int(top[count]),
        total=format_money(df[amount].sum(), lang),
    )
    unknown = int(df.unknown_amounts.sum())
    if unknown:
        text += " " + t(f"ecosystem.money.unknown_{what}", lang=lang, count=unknown)
    return text
