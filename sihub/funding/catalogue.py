"""The catalogue of calls: the calls that pass a filter, with their status on a day and names in
a language, ordered as people read a catalogue; one call; what the amount range left out."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd

from sihub.access import unseen_provenance
from sihub.db.store import Store
from sihub.errors import NotFoundError
from sihub.funding.filters import NOT_RECORDED, CallFilter
from sihub.funding.status import ACCEPTING, status_sql
from sihub.i18n import t
from sihub.reference.vocabularies import vocabulary_names

OUTDATED_AFTER_DAYS = 365  # calls repeat yearly; an entry unchecked for a year may be stale

_CALL_COLUMNS = f"""
    f.id, f.ref, f.funder, f.funder_type, f.programme, f.call_name, f.instrument,
    f.amount_min, f.amount_max, f.currency, f.funding_rate_max, f.duration_months_min,
    f.duration_months_max, f.consortium_required, f.consortium_rule,
    f.min_partners, f.min_countries, f.lead_type,
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
    CASE WHEN list_contains($accepting, {status_sql("$today")}) THEN 0
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


def calls(
    store: Store, visibility: str, today: date, lang: str, flt: CallFilter | None = None
) -> pd.DataFrame:
    """The calls that pass ``flt``, with status on ``today``, names in ``lang`` and, for
    viewers who see provenance (``sihub.access``), the file, sheet and row each came from.

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
        {"today": today, "accepting": list(ACCEPTING), **params},
    )
    return _with_names(store, _seen(df, visibility), lang)


def _seen(df: pd.DataFrame, visibility: str) -> pd.DataFrame:
    """``df`` without the provenance ``visibility`` may not see."""
    return df.drop(columns=list(unseen_provenance(visibility)), errors="ignore")


def _with_names(store: Store, df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Names in ``lang`` beside the codes, and the status in words."""
    single = (
        ("funder_type", "funder_types"),
        ("instrument", "instruments"),
        ("geographic_scope", "scopes"),
        ("lead_type", "lead_types"),
    )
    lists = (
        ("eligible_applicant_types", "org_types"),
        ("themes", "themes"),
        ("target_groups", "target_groups"),
        ("stage_fit", "stages"),
        ("regions", "regions"),
    )
    names = {table: vocabulary_names(store, table, lang) for _, table in (*single, *lists)}
    for column, table in single:
        df[f"{column}_name"] = [
            names[table].get(c, c) if isinstance(c, str) else None for c in df[column]
        ]
    for column, table in lists:
        df[f"{column}_names"] = [_named(codes, names[table]) for codes in df[column]]
    df["status_name"] = [t(f"funding.status.{s}", lang=lang) for s in df.status]
    return df


def call(store: Store, visibility: str, call_id: int, today: date, lang: str) -> dict:
    """One call with its status, names and (as ``calls``) the provenance ``visibility`` sees;
    ``NotFoundError`` if there is no such call."""
    df = store.query(
        f"""SELECT {_CALL_COLUMNS}
            FROM funding_opportunities f LEFT JOIN import_batches b ON b.id = f.batch_id
            WHERE f.id = $id""",
        {"today": today, "id": int(call_id)},
    )
    if df.empty:
        raise NotFoundError(str(call_id), what="call", id=call_id)
    return _with_names(store, _seen(df, visibility), lang).iloc[0].to_dict()


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


def _named(codes: object, names: dict[str, str]) -> list[str]:
    """Names of a list of codes; unknown codes are shown as written rather than dropped."""
    if not isinstance(codes, (list, tuple, np.ndarray)):
        return []  # NULL in the store
    return [names.get(c, c) for c in codes]
