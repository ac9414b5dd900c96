"""The deadline timeline: the first calls of the catalogue with a unique label each, the same
numbers as a table, and the timeline in words."""

from __future__ import annotations

import pandas as pd

from sihub.funding.status import ACCEPTING, status_counts
from sihub.funding.words import date_or_none
from sihub.i18n import t


def timeline_rows(df: pd.DataFrame, limit: int = 40) -> pd.DataFrame:
    """The first ``limit`` calls of the (ordered) catalogue, with a unique label each."""
    rows = df.head(limit).copy()
    labels = [_short(f"{r.call_name} · {r.funder}") for r in rows.itertuples()]
    seen: dict[str, int] = {}
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
    rows["label"] = [
        f"{label} (#{i})" if seen[label] > 1 else label
        for label, i in zip(labels, rows.id, strict=True)
    ]
    return rows


def timeline_table(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The timeline's numbers as a table beside it."""
    out = rows[["call_name", "funder", "status_name", "opens_on", "deadline", "days_left"]]
    out = out.copy()
    out.columns = [
        t(k, lang=lang)
        for k in (
            "field.Funding.call_name",
            "field.Funding.funder",
            "funding.col.status",
            "field.Funding.opens_on",
            "field.Funding.deadline",
            "funding.col.days_left",
        )
    ]
    return out


def _short(text: str, width: int = 70) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def timeline_sentence(df: pd.DataFrame, lang: str) -> str:
    """The timeline in words: how many calls take applications, and the next deadline."""
    counts = status_counts(df)
    accepting = sum(counts[s] for s in ACCEPTING)
    if len(df) == 1:  # not '1 av dessa 1 utlysningar', 'Näistä 1 hausta 1'
        only = "one_accepting" if accepting else "one_not_accepting"
        parts = [t(f"funding.timeline.{only}", lang=lang)]
    else:
        parts = [t("funding.timeline.accepting", lang=lang, count=accepting, total=len(df))]
    dated = df[df.status.isin(("open", "closing")) & df.deadline.notna()]
    if not dated.empty:
        first = dated.sort_values("deadline", kind="stable").iloc[0]
        parts.append(
            t(
                "funding.timeline.next_deadline",
                lang=lang,
                call=first.call_name,
                funder=first.funder,
                date=date_or_none(first.deadline),
                days=int(first.days_left),
            )
        )
    if counts["forthcoming"]:
        later = df[df.status == "forthcoming"].sort_values("opens_on", kind="stable").iloc[0]
        parts.append(
            t(
                "funding.timeline.next_opening",
                lang=lang,
                count=counts["forthcoming"],
                call=later.call_name,
                date=date_or_none(later.opens_on),
            )
        )
    return " ".join(parts)
