"""Consortium rules that funders check first: how many partners, from how many countries, and
who may lead. Each is a matching rule (``sihub.funding.matching``) over all pairs at once.

A call's rule that is not recorded is *unknown*: it is shown as something to check, never as
"not required". When none of a call's consortium rules is recorded, one finding says so (the
consortium rule's); when the call asks for a consortium, its unrecorded countries and lead
rules say so themselves (a single applicant's call needs neither: who may apply is the
applicant rule's). An innovation's partners are
the organisations of its consortium (lead and partners); a partner whose country is not
recorded leaves the number of countries open, not short.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

# matching's Calls, Innovations and Vocabulary (matching imports this module, not the reverse)
Calls = Innovations = Vocabulary = Any

REASON, MISMATCH, TO_CHECK, NO_CONDITION = 1, -1, 2, 0  # as sihub.funding.matching
CONSORTIUM_ROLES = ("lead", "partner")  # pilot sites and funders are not applicants
# Organisation types that are public bodies, and those that are non-profit without doubt.
# Universities, parishes, cooperatives and "other" may be either: their leads are to check.
PUBLIC_TYPES = ("municipality", "wellbeing_county", "state_agency")
NON_PROFIT_TYPES = (*PUBLIC_TYPES, "association", "foundation")
NEVER_PUBLIC = ("association", "foundation", "company", "social_enterprise", "cooperative")
NEVER_NON_PROFIT = ("company",)
ACCEPTED = {"public": PUBLIC_TYPES, "non_profit": NON_PROFIT_TYPES}
REFUSED = {"public": NEVER_PUBLIC, "non_profit": NEVER_NON_PROFIT}
CONSORTIUM_FIELDS = ("consortium_required", "min_partners", "min_countries", "lead_type")


def _column(calls: Calls, name: str) -> np.ndarray:
    """A call column as floats, NaN where not recorded."""
    return calls.frame[name].to_numpy(dtype=float, na_value=np.nan)


def rules_recorded(calls: Calls) -> np.ndarray:
    """Per call: is any of its consortium rules recorded?"""
    return calls.frame[list(CONSORTIUM_FIELDS)].notna().any(axis=1).to_numpy()


def needs_consortium(calls: Calls) -> np.ndarray:
    """Per call: does it ask for a consortium? Then its countries and its lead matter, and
    a rule of theirs that is not recorded is to check."""
    required = calls.frame.consortium_required.fillna(False).to_numpy(dtype=bool)
    with np.errstate(invalid="ignore"):
        return required | (_column(calls, "min_partners") > 1)


def consortium_rule(calls: Calls, inns: Innovations, vocab: Vocabulary) -> np.ndarray:
    """Enough partners for the call's minimum (or any partner where it only requires a
    consortium); no organisation recorded, or no rule recorded at all, is to check."""
    minimum = _column(calls, "min_partners")
    required = calls.frame.consortium_required.fillna(False).to_numpy(dtype=bool)
    members = inns.frame.members.to_numpy(dtype=float)[:, None]
    partners = inns.frame.partners.fillna(0).to_numpy(dtype=float)[:, None]
    counted = np.where(members >= minimum[None, :], REASON, MISMATCH)
    by_presence = np.where(partners > 0, REASON, MISMATCH)
    out = np.full((len(inns), len(calls)), NO_CONDITION, dtype=np.int8)
    out = np.where(required[None, :], by_presence, out)
    out = np.where((minimum > 1)[None, :], counted, out)
    out = np.where((out != NO_CONDITION) & (members == 0), TO_CHECK, out)
    return np.where(~rules_recorded(calls)[None, :], TO_CHECK, out).astype(np.int8)


def countries_rule(calls: Calls, inns: Innovations, vocab: Vocabulary) -> np.ndarray:
    """Partners in at least the call's number of countries; partners whose country is not
    recorded leave a shortfall open (to check)."""
    minimum = _column(calls, "min_countries")[None, :]
    known = inns.frame.member_countries.to_numpy(dtype=float)[:, None]
    unknown = inns.frame.members_without_country.to_numpy(dtype=float)[:, None] > 0
    short = np.where(unknown, TO_CHECK, MISMATCH)
    out = np.where(known >= minimum, REASON, short)
    out = np.where(minimum > 1, out, NO_CONDITION)
    not_recorded = np.isnan(minimum) & needs_consortium(calls)[None, :]
    return np.where(not_recorded, TO_CHECK, out).astype(np.int8)


def lead_rule(calls: Calls, inns: Innovations, vocab: Vocabulary) -> np.ndarray:
    """The lead organisation is public or non-profit where the call says it must be; a lead
    whose type is not recorded, or may be either, is to check."""
    wanted = calls.frame.lead_type.fillna("").to_numpy(dtype=object)
    out = np.full((len(inns), len(calls)), NO_CONDITION, dtype=np.int8)
    for kind in ACCEPTED:
        accepted = inns.lead_types[:, vocab.mask("org_types", ACCEPTED[kind])].any(1)
        refused = inns.lead_types[:, vocab.mask("org_types", REFUSED[kind])].any(1)
        per_innovation = np.where(accepted, REASON, np.where(refused, MISMATCH, TO_CHECK))
        out[:, wanted == kind] = per_innovation[:, None]
    not_recorded = (wanted == "") & needs_consortium(calls)
    out[:, not_recorded] = TO_CHECK
    return out


# explanations: (catalogue key under matching.<rule>., values) of one pair -------------------
def explain_consortium(matching, n: int, c: int, outcome: int, names) -> tuple[str, dict]:
    call = matching.calls.frame.iloc[c]
    inn = matching.innovations.frame.iloc[n]
    values = {
        "minimum": _whole(call.min_partners),
        "members": int(inn.members),
        "partners": int(inn.partners or 0),
        "rule": call.consortium_rule if isinstance(call.consortium_rule, str) else "–",
    }
    if outcome == TO_CHECK:
        return ("unknown" if not rules_recorded_row(call) else "no_organisations"), values
    counted = values["minimum"] is not None and values["minimum"] > 1
    key = "reason" if outcome == REASON else "mismatch"
    return (f"minimum_{key}" if counted else key), values


def explain_countries(matching, n: int, c: int, outcome: int, names) -> tuple[str, dict]:
    call = matching.calls.frame.iloc[c]
    inn = matching.innovations.frame.iloc[n]
    values = {
        "minimum": _whole(call.min_countries),
        "countries": int(inn.member_countries),
        "unknown": int(inn.members_without_country),
    }
    if outcome == TO_CHECK:
        return ("not_recorded" if values["minimum"] is None else "open"), values
    return ("reason" if outcome == REASON else "mismatch"), values


def explain_lead(matching, n: int, c: int, outcome: int, names) -> tuple[str, dict]:
    call = matching.calls.frame.iloc[c]
    lead = matching.vocab.codes_of("org_types", matching.innovations.lead_types[n])
    wanted = call.lead_type if isinstance(call.lead_type, str) else None
    values = {"lead": names.list("org_types", lead)}
    if wanted is None:
        return "not_recorded", values
    key = {REASON: "reason", MISMATCH: "mismatch", TO_CHECK: "check"}[outcome]
    return f"{wanted}_{key}", values


def rules_recorded_row(call: pd.Series) -> bool:
    """Is any of this one call's consortium rules recorded?"""
    return any(not pd.isna(call[name]) for name in CONSORTIUM_FIELDS)


def _whole(value: object) -> int | None:
    return None if pd.isna(value) else int(value)  # type: ignore[arg-type]
