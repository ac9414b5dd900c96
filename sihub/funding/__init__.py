"""Funding opportunities: the catalogue of calls and the one definition of a call's status.

A call's status depends on the day: it is *forthcoming* before its opening day, *open* until
the end of its deadline day (the deadline day itself is open), *closing* when the deadline is
at most ``CLOSING_WITHIN_DAYS`` days away, *closed* after the deadline, and *continuous* when
it takes applications all the time. "Today" is the day in Finland (Europe/Helsinki), whatever
the server's clock or time zone says: a call closing on 30 June is still open at 23:30 in
Helsinki, when it is already 1 July in Tokyo and still 30 June in UTC.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import ClassVar
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from sihub.db.store import Store
from sihub.errors import NotFoundError
from sihub.i18n import format_date, format_number, t
from sihub.pipeline.filters import UrlState, parse_param
from sihub.reference.vocabularies import all_vocabulary_names

FINLAND = ZoneInfo("Europe/Helsinki")
CLOSING_WITHIN_DAYS = 30  # "closing soon": a month is the least time to write an application
OUTDATED_AFTER_DAYS = 365  # calls repeat yearly; an entry unchecked for a year may be stale
STATUSES = ("open", "closing", "continuous", "forthcoming", "closed")  # display order
ACCEPTING = ("open", "closing", "continuous")  # statuses that take applications today
NOT_RECORDED = "none"  # a facet value that selects calls without a value for it


# today and status ---------------------------------------------------------------------------
def today_in_finland(now: datetime | None = None) -> date:
    """The date in Finland at ``now`` (default: this instant); naive times are taken as UTC."""
    now = now or datetime.now(UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    return now.astimezone(FINLAND).date()


def call_status(
    opens_on: date | None, deadline: date | None, continuous: bool | None, today: date
) -> str:
    """A call's status on ``today`` (see the module docstring); ``status_sql`` says the same."""
    if deadline is not None and deadline < today:
        return "closed"
    if opens_on is not None and opens_on > today:
        return "forthcoming"
    if deadline is not None and deadline <= today + timedelta(days=CLOSING_WITHIN_DAYS):
        return "closing"
    return "continuous" if continuous else "open"


def status_sql(today: str = "?") -> str:
    """SQL for ``call_status`` over ``funding_opportunities``; ``today`` is a DATE parameter."""
    return (
        f"CASE WHEN deadline IS NOT NULL AND deadline < {today} THEN 'closed' "
        f"WHEN opens_on IS NOT NULL AND opens_on > {today} THEN 'forthcoming' "
        f"WHEN deadline IS NOT NULL AND deadline <= {today} + INTERVAL {CLOSING_WITHIN_DAYS} DAY "
        f"THEN 'closing' WHEN continuous THEN 'continuous' ELSE 'open' END"
    )


def _named(codes: object, names: dict[str, str]) -> list[str]:
    """Names of a list of codes; unknown codes are shown as written rather than dropped."""
    if not isinstance(codes, (list, tuple, np.ndarray)):
        return []  # NULL in the store
    return [names.get(c, c) for c in codes]


# the filter in the URL ----------------------------------------------------------------------
@dataclass(frozen=True)
class CallFilter(UrlState):
    """The calls a user asked for; shareable as URL parameters (codes, never names).

    List facets (themes, target groups, applicant types) also keep calls that set no
    restriction on them: a call open to every theme fits any theme. The amount range keeps
    calls whose range overlaps it; calls without any amount recorded are left out and counted.
    """

    PARAMS: ClassVar[dict[str, tuple[str, str]]] = {
        "q": ("q", "text"),
        "statuses": ("status", "codes"),
        "funder_types": ("ftype", "codes"),
        "instruments": ("instrument", "codes"),
        "themes": ("theme", "codes"),
        "target_groups": ("tg", "codes"),
        "applicant_types": ("applicant", "codes"),
        "scopes": ("scope", "codes"),
        "amount_from": ("amount_from", "amount"),
        "amount_to": ("amount_to", "amount"),
    }

    q: str = ""
    statuses: tuple[str, ...] = ()
    funder_types: tuple[str, ...] = ()
    instruments: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()
    applicant_types: tuple[str, ...] = ()
    scopes: tuple[str, ...] = ()
    amount_from: float | None = None
    amount_to: float | None = None


def parse_amount(raw: str) -> float | None:
    """An amount in euros from a URL; None unless a plain non-negative number."""
    return parse_param(raw, "amount")


# the catalogue ------------------------------------------------------------------------------
_CALL_COLUMNS = f"""
    f.id, f.ref, f.funder, f.funder_type, f.programme, f.call_name, f.instrument,
    f.amount_min, f.amount_max, f.currency, f.funding_rate_max, f.duration_months_min,
    f.duration_months_max, f.consortium_required, f.consortium_rule,
    f.eligible_applicant_types, f.themes, f.target_groups, f.stage_fit, f.geographic_scope,
    f.regions, f.min_normalised_score, f.opens_on, f.deadline, f.continuous, f.description,
    f.source_url, f.last_checked, f.batch_id, f.source_sheet, f.source_row,
    b.file_name,
    {status_sql("$today")} AS status,
    CAST(date_diff('day', $today, f.deadline) AS INTEGER) AS days_left,
    (f.last_checked IS NULL OR f.last_checked < $today - INTERVAL {OUTDATED_AFTER_DAYS} DAY)
        AS outdated"""


# Accepting calls by nearest deadline (continuous ones after dated ones), then forthcoming calls
# by opening day, then closed calls, the most recently closed first.
_CATALOGUE_ORDER = f"""
    CASE WHEN {status_sql("$today")} IN ('open', 'closing', 'continuous') THEN 0
         WHEN {status_sql("$today")} = 'forthcoming' THEN 1 ELSE 2 END,
    CASE WHEN {status_sql("$today")} = 'forthcoming' THEN f.opens_on END NULLS LAST,
    CASE WHEN {status_sql("$today")} = 'closed' THEN NULL ELSE f.deadline END NULLS LAST,
    f.deadline DESC NULLS LAST"""


def _facet(column: str, param: str, codes: tuple[str, ...], is_list: bool) -> str:
    """One facet's WHERE clause; ``codes`` may include NOT_RECORDED (no value recorded)."""
    wants_missing = NOT_RECORDED in codes
    if is_list:
        # A call without a restriction on this facet fits whatever the user chose.
        return f"(len(coalesce(f.{column}, [])) = 0 OR list_has_any(f.{column}, ${param}))"
    missing = f" OR f.{column} IS NULL" if wants_missing else ""
    return f"(list_contains(${param}, f.{column}){missing})"


_FACETS = (  # filter field, column, is a list column
    ("funder_types", "funder_type", False),
    ("instruments", "instrument", False),
    ("scopes", "geographic_scope", False),
    ("themes", "themes", True),
    ("target_groups", "target_groups", True),
    ("applicant_types", "eligible_applicant_types", True),
)


def _where(flt: CallFilter) -> tuple[str, dict]:
    clauses, params = ["TRUE"], {}
    for name, column, is_list in _FACETS:
        codes = getattr(flt, name)
        if codes:
            clauses.append(_facet(column, name, codes, is_list))
            params[name] = list(codes)
    if flt.statuses:
        clauses.append(f"list_contains($statuses, {status_sql('$today')})")
        params["statuses"] = list(flt.statuses)
    if flt.q:
        clauses.append(
            "strip_accents(lower(concat_ws(' ', f.funder, f.programme, f.call_name, "
            "f.description, f.ref))) LIKE '%' || strip_accents(lower($q)) || '%'"
        )
        params["q"] = flt.q
    if flt.amount_from is not None or flt.amount_to is not None:
        clauses.append(
            "(f.amount_min IS NOT NULL OR f.amount_max IS NOT NULL) "
            "AND coalesce(f.amount_max, f.amount_min) >= coalesce($amount_from, 0) "
            "AND coalesce(f.amount_min, f.amount_max) <= coalesce($amount_to, 1e15)"
        )
        params["amount_from"], params["amount_to"] = flt.amount_from, flt.amount_to
    return " AND ".join(clauses), params


def calls(store: Store, today: date, lang: str, flt: CallFilter | None = None) -> pd.DataFrame:
    """The calls that pass ``flt``, with status on ``today`` and names in ``lang``.

    Ordered as people read a catalogue: calls taking applications first, nearest deadline
    first; then forthcoming calls; closed calls last.
    """
    where, params = _where(flt or CallFilter())
    df = store.query(
        f"""
        SELECT {_CALL_COLUMNS}
        FROM funding_opportunities f LEFT JOIN import_batches b ON b.id = f.batch_id
        WHERE {where}
        ORDER BY {_CATALOGUE_ORDER}, f.funder, f.call_name""",
        {"today": today, **params},
    )
    return _with_names(store, df, lang)


def _with_names(store: Store, df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Names in ``lang`` beside the codes, and the status in words."""
    single = (
        ("funder_type", "funder_types"),
        ("instrument", "instruments"),
        ("geographic_scope", "scopes"),
    )
    lists = (
        ("eligible_applicant_types", "org_types"),
        ("themes", "themes"),
        ("target_groups", "target_groups"),
        ("stage_fit", "stages"),
        ("regions", "regions"),
    )
    names = all_vocabulary_names(store, lang)
    for column, table in single:
        df[f"{column}_name"] = [
            names[table].get(c, c) if isinstance(c, str) else None for c in df[column]
        ]
    for column, table in lists:
        df[f"{column}_names"] = [_named(codes, names[table]) for codes in df[column]]
    df["status_name"] = [t(f"funding.status.{s}", lang=lang) for s in df.status]
    return df


def call(store: Store, call_id: int, today: date, lang: str) -> dict:
    """One call with its status and names; ``NotFoundError`` if there is no such call."""
    df = store.query(
        f"""SELECT {_CALL_COLUMNS}
            FROM funding_opportunities f LEFT JOIN import_batches b ON b.id = f.batch_id
            WHERE f.id = $id""",
        {"today": today, "id": int(call_id)},
    )
    if df.empty:
        raise NotFoundError(str(call_id), what="call", id=call_id)
    return _with_names(store, df, lang).iloc[0].to_dict()


def call_count(store: Store) -> int:
    return int(store.scalar("SELECT count(*) FROM funding_opportunities"))


def call_choices(store: Store) -> pd.DataFrame:
    """Every call's id and name (for pickers and links)."""
    return store.query("SELECT id, call_name, funder FROM funding_opportunities ORDER BY id")


def left_out_without_amount(store: Store, flt: CallFilter, today: date) -> int:
    """Calls the amount range left out only because they record no amount (said, not hidden)."""
    if flt.amount_from is None and flt.amount_to is None:
        return 0
    where, params = _where(replace(flt, amount_from=None, amount_to=None))
    if "$today" in where:  # DuckDB refuses parameters a query does not use
        params["today"] = today
    return int(
        store.scalar(
            f"""SELECT count(*) FROM funding_opportunities f WHERE {where}
                AND f.amount_min IS NULL AND f.amount_max IS NULL""",
            params,
        )
    )


def status_counts(df: pd.DataFrame) -> dict[str, int]:
    """Calls per status, every status present (zero when none)."""
    counts = df.status.value_counts().to_dict() if not df.empty else {}
    return {s: int(counts.get(s, 0)) for s in STATUSES}


# words about calls ---------------------------------------------------------------------------
def amount_text(low: float | None, high: float | None, lang: str) -> str:
    """An amount range as people write it: "€100,000–600,000", "100 000–600 000 €"."""
    low_ok, high_ok = _given(low), _given(high)
    if not low_ok and not high_ok:
        return t("funding.not_recorded", lang=lang)
    if low_ok and high_ok and low != high:
        return t(
            "funding.amount.range",
            lang=lang,
            low=format_number(low, lang),
            high=format_number(high, lang),
        )
    if high_ok and not low_ok:
        return t("funding.amount.up_to", lang=lang, high=format_number(high, lang))
    if low_ok and not high_ok:
        return t("funding.amount.from", lang=lang, low=format_number(low, lang))
    return t("funding.amount.exactly", lang=lang, amount=format_number(high, lang))


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


def as_date(value: object) -> date | None:
    """A date from what DuckDB and pandas give (Timestamp, date, NaT, None)."""
    return pd.Timestamp(value).date() if _given(value) else None


def deadline_text(c: Mapping, lang: str) -> str:
    """The deadline with the days left, e.g. "24.12.2026 (25 days left)"."""
    deadline = as_date(c.get("deadline"))
    if deadline is None:
        key = "funding.deadline.continuous" if c.get("continuous") else "funding.not_recorded"
        return t(key, lang=lang)
    days = c.get("days_left")
    if c.get("status") == "closed":
        return t("funding.deadline.closed", lang=lang, date=deadline)
    return t("funding.deadline.days_left", lang=lang, date=deadline, days=int(days))


def call_facts(c: Mapping, lang: str) -> list[tuple[str, str]]:
    """A call's facts as (label, text) rows, in the order people look for them."""
    rate = c.get("funding_rate_max")
    checked = as_date(c.get("last_checked"))
    regions = c.get("regions_names") or []
    scope = c.get("geographic_scope_name") or t("funding.not_recorded", lang=lang)
    minimum = c.get("min_normalised_score")
    rows = [
        ("field.Funding.funder", c.get("funder")),
        ("field.Funding.funder_type", c.get("funder_type_name")),
        ("field.Funding.programme", c.get("programme")),
        ("field.Funding.instrument", c.get("instrument_name")),
        ("funding.fact.amount", amount_text(c.get("amount_min"), c.get("amount_max"), lang)),
        (
            "field.Funding.funding_rate_max",
            t("funding.rate", lang=lang, rate=format_number(100 * rate, lang))
            if _given(rate)
            else None,
        ),
        (
            "funding.fact.duration",
            _range_text(
                c.get("duration_months_min"), c.get("duration_months_max"), "funding.months", lang
            ),
        ),
        ("field.Funding.consortium_required", _yes_no(c.get("consortium_required"), lang)),
        ("field.Funding.consortium_rule", c.get("consortium_rule")),
        (
            "field.Funding.eligible_applicant_types",
            _names_text(c.get("eligible_applicant_types_names") or [], lang),
        ),
        ("field.Funding.themes", _names_text(c.get("themes_names") or [], lang)),
        ("field.Funding.target_groups", _names_text(c.get("target_groups_names") or [], lang)),
        ("field.Funding.stage_fit", _names_text(c.get("stage_fit_names") or [], lang)),
        (
            "field.Funding.geographic_scope",
            f"{scope}: {', '.join(regions)}" if regions else scope,
        ),
        (
            "field.Funding.min_normalised_score",
            format_number(minimum, lang, 2) if _given(minimum) else None,
        ),
        ("field.Funding.opens_on", format_date(as_date(c.get("opens_on")), lang)),
        ("field.Funding.deadline", deadline_text(c, lang)),
        ("field.Funding.description", c.get("description")),
        ("field.Funding.source_url", c.get("source_url")),
        ("field.Funding.last_checked", format_date(checked, lang)),
        ("funding.fact.imported_from", provenance_text(c, lang)),
    ]
    missing = t("funding.not_recorded", lang=lang)
    return [(t(key, lang=lang), missing if not _given(v) or v == "" else str(v)) for key, v in rows]


def provenance_text(c: Mapping, lang: str) -> str | None:
    """Where the entry came from: file, sheet and row of its import."""
    if not c.get("file_name"):
        return None
    return t(
        "funding.fact.provenance",
        lang=lang,
        file=c.get("file_name"),
        sheet=c.get("source_sheet") or "",
        row=int(c.get("source_row")) if _given(c.get("source_row")) else "–",
    )


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
                date=as_date(first.deadline),
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
                date=as_date(later.opens_on),
            )
        )
    return " ".join(parts)


# exports ------------------------------------------------------------------------------------
_EXPORT = (  # column of ``calls`` -> label key; names rather than codes, as people read them
    ("ref", "field.Funding.ref"),
    ("status_name", "funding.col.status"),
    ("days_left", "funding.col.days_left"),
    ("funder", "field.Funding.funder"),
    ("funder_type_name", "field.Funding.funder_type"),
    ("programme", "field.Funding.programme"),
    ("call_name", "field.Funding.call_name"),
    ("instrument_name", "field.Funding.instrument"),
    ("amount_min", "field.Funding.amount_min"),
    ("amount_max", "field.Funding.amount_max"),
    ("funding_rate_max", "field.Funding.funding_rate_max"),
    ("duration_months_min", "field.Funding.duration_months_min"),
    ("duration_months_max", "field.Funding.duration_months_max"),
    ("consortium_required", "field.Funding.consortium_required"),
    ("consortium_rule", "field.Funding.consortium_rule"),
    ("eligible_applicant_types_names", "field.Funding.eligible_applicant_types"),
    ("themes_names", "field.Funding.themes"),
    ("target_groups_names", "field.Funding.target_groups"),
    ("stage_fit_names", "field.Funding.stage_fit"),
    ("geographic_scope_name", "field.Funding.geographic_scope"),
    ("regions_names", "field.Funding.regions"),
    ("min_normalised_score", "field.Funding.min_normalised_score"),
    ("opens_on", "field.Funding.opens_on"),
    ("deadline", "field.Funding.deadline"),
    ("continuous", "field.Funding.continuous"),
    ("source_url", "field.Funding.source_url"),
    ("last_checked", "field.Funding.last_checked"),
    ("outdated", "funding.col.outdated"),
    ("file_name", "funding.col.file"),
    ("source_row", "funding.col.row"),
)


def export_frame(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The call list as exported: labelled columns (the import template's labels), names.

    The labels are those the import recognises, so an exported list can be edited and
    imported back.
    """
    out = df[[c for c, _ in _EXPORT]].copy()
    for column in out.columns:
        if column.endswith("_names"):
            out[column] = ["; ".join(v) for v in out[column]]
    out.columns = [t(key, lang=lang) for _, key in _EXPORT]
    return out


def export_about(flt: CallFilter, today: date, count: int, lang: str) -> dict[str, object]:
    """What an export contains: the filter, the day the statuses refer to, when it was made."""
    return {
        t("funding.export.what", lang=lang): t("funding.export.calls", lang=lang, count=count),
        t("funding.export.filter", lang=lang): ", ".join(
            f"{k}={v}" for k, v in flt.to_query().items()
        )
        or t("funding.export.no_filter", lang=lang),
        t("funding.export.status_on", lang=lang): today.isoformat(),
        t("funding.export.made", lang=lang): datetime.now(FINLAND).replace(microsecond=0),
    }
