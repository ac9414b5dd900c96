"""Sentences that say in words what a chart shows (every chart has one beside it)."""

from __future__ import annotations

import pandas as pd

from sihub.i18n import t


def and_joined(items: list, lang: str | None = None) -> str:
    """ "A", "A and B", "A, B and C" in ``lang``."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return t("narrative.and_join", lang=lang, head=", ".join(items[:-1]), last=items[-1])


def distribution_sentence(
    df: pd.DataFrame,
    label: str,
    count: str,
    what: str,
    missing: int | None = None,
    lang: str | None = None,
) -> str:
    """E.g. "Most innovations: Employment (23), then Youth inclusion (19) and Housing (8)."

    ``what`` picks the phrasing (``narrative.<what>.*`` keys); rows with zero are left out.
    """
    ranked = df[df[count] > 0].sort_values(count, ascending=False, kind="stable")
    if ranked.empty:
        return t(f"narrative.{what}.none", lang=lang)
    top = [f"{r[label]} ({int(r[count])})" for _, r in ranked.head(3).iterrows()]
    if len(top) == 1:
        text = t(f"narrative.{what}.one", lang=lang, first=top[0])
    else:
        text = t(f"narrative.{what}.many", lang=lang, first=top[0], rest=and_joined(top[1:], lang))
    empty = df[df[count] == 0][label].tolist()
    if empty:
        text += " " + t(f"narrative.{what}.empty", lang=lang, names=", ".join(map(str, empty)))
    if missing:
        text += " " + t(f"narrative.{what}.missing", lang=lang, count=missing)
    return text
