"""Calls in words: amounts, deadlines with the days left, a call's facts in the order people
look for them, and where an entry came from."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pandas as pd

from sihub.i18n import format_date, format_money, format_score, format_share, t
from sihub.reference.scales import Scale


def amount_text(low: float | None, high: float | None, lang: str) -> str:
    """An amount range as people write it: "€100,000–€600,000", "100 000 €–600 000 €"."""
    low_ok, high_ok = _given(low), _given(high)
    if not low_ok and not high_ok:
        return t("funding.not_recorded", lang=lang)
    if low_ok and high_ok and low != high:
        return t(
            "funding.amount.range",
            lang=lang,
            low=format_money(low, lang),
            high=format_money(high, lang),
        )
    if high_ok and not low_ok:
        return t("funding.amount.up_to", lang=lang, high=format_money(high, lang))
    if low_ok and not high_ok:
        return t("funding.amount.from", lang=lang, low=format_money(low, lang))
    return t("funding.amount.exactly", lang=lang, amount=format_money(high, lang))


def _given(value: object) -> bool:
    return value is not None and not pd.isna(value)


def _range_text(low: object, high: object, key: str, lang: str) -> str:
    if not _given(low) and not _given(high):
        return t("funding.not_recorded", lang=lang)
    low, high = (int(low) if _given(low) else None), (int(high) if _given(high) else None)
    if low is None or high is None or low == high:
        return t(f"{key}.one", lang=lang, value=high if low is None else low)
    return t(f"{key}.range", lang=lang, low=low, high=high)


def _names_text(names: list[str], lang: str) -> str:
    return ", ".join(names) if names else t("funding.no_restriction", lang=lang)


def _yes_no(value: object, lang: str) -> str:
    if not _given(value):
        return t("funding.not_recorded", lang=lang)
    return t("funding.yes" if value else "funding.no", lang=lang)


def date_or_none(value: object) -> date | None:
    """A stored date as DuckDB and pandas give it (Timestamp, date, NaT, None) as a date, or
    None when there is none."""
    return pd.Timestamp(value).date() if _given(value) else None


def deadline_text(call: Mapping, lang: str) -> str:
    """The deadline with the days left, e.g. "24.12.2026 (25 days left)"."""
    deadline = date_or_none(call.get("deadline"))
    if deadline is None:
        key = "funding.deadline.continuous" if call.get("continuous") else "funding.not_recorded"
        return t(key, lang=lang)
    days = call.get("days_left")
    if call.get("status") == "closed":
        return t("funding.deadline.closed", lang=lang, date=deadline)
    return t("funding.deadline.days_left", lang=lang, date=deadline, days=int(days))


def call_facts(call: Mapping, lang: str, scale: Scale | None = None) -> list[tuple[str, str]]:
    """A call's facts as (label, text) rows, in the order people look for them; a minimum
    score on ``scale`` (the default framework's, as scores are shown)."""
    rate = call.get("funding_rate_max")
    checked = date_or_none(call.get("last_checked"))
    regions = call.get("regions_names") or []
    scope = call.get("geographic_scope_name") or t("funding.not_recorded", lang=lang)
    minimum = call.get("min_normalised_score")
    rows = [
        ("field.Funding.funder", call.get("funder")),
        ("field.Funding.funder_type", call.get("funder_type_name")),
        ("field.Funding.programme", call.get("programme")),
        ("field.Funding.instrument", call.get("instrument_name")),
        ("funding.fact.amount", amount_text(call.get("amount_min"), call.get("amount_max"), lang)),
        (
            "field.Funding.funding_rate_max",
            t("funding.rate", lang=lang, rate=format_share(rate, lang)) if _given(rate) else None,
        ),
        (
            "funding.fact.duration",
            _range_text(
                call.get("duration_months_min"),
                call.get("duration_months_max"),
                "funding.months",
                lang,
            ),
        ),
        ("field.Funding.consortium_required", _yes_no(call.get("consortium_required"), lang)),
        ("field.Funding.consortium_rule", call.get("consortium_rule")),
        ("field.Funding.min_partners", _count_text(call.get("min_partners"))),
        ("field.Funding.min_countries", _count_text(call.get("min_countries"))),
        ("field.Funding.lead_type", call.get("lead_type_name")),
        (
            "field.Funding.eligible_applicant_types",
            _names_text(call.get("eligible_applicant_types_names") or [], lang),
        ),
        ("field.Funding.themes", _names_text(call.get("themes_names") or [], lang)),
        ("field.Funding.target_groups", _names_text(call.get("target_groups_names") or [], lang)),
        ("field.Funding.stage_fit", _names_text(call.get("stage_fit_names") or [], lang)),
        (
            "field.Funding.geographic_scope",
            f"{scope}: {', '.join(regions)}" if regions else scope,
        ),
        (
            "field.Funding.min_normalised_score",
            format_score(minimum, scale, lang) if _given(minimum) else None,
        ),
        ("field.Funding.opens_on", format_date(date_or_none(call.get("opens_on")), lang)),
        ("field.Funding.deadline", deadline_text(call, lang)),
        ("field.Funding.description", call.get("description")),
        ("field.Funding.source_url", call.get("source_url")),
        ("field.Funding.last_checked", format_date(checked, lang)),
    ]
    if "file_name" in call:  # left out of the call for viewers who may not see provenance
        rows.append(("funding.fact.imported_from", provenance_text(call, lang)))
    missing = t("funding.not_recorded", lang=lang)
    return [(t(key, lang=lang), missing if not _given(v) or v == "" else str(v)) for key, v in rows]


def _count_text(value: object) -> str | None:
    """A minimum as a whole number; not recorded (unknown) stays None."""
    return str(int(value)) if _given(value) else None  # type: ignore[arg-type]


def provenance_text(call: Mapping, lang: str) -> str | None:
    """Where the entry came from: file, sheet and row of its import."""
    if not call.get("file_name"):
        return None
    return t(
        "funding.fact.provenance",
        lang=lang,
        file=call.get("file_name"),
        sheet=call.get("source_sheet") or "",
        row=int(call.get("source_row")) if _given(call.get("source_row")) else "–",
    )
