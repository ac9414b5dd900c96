"""The calls a user asked for, as the catalogue's filter and as URL parameters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from sihub.funding.status import STATUSES
from sihub.urls import Codes, Float, Text, UrlState

NOT_RECORDED = "none"  # a facet value that selects calls without a value for it
MAX_AMOUNT = 1e12  # euros; a larger amount in a link is a typing slip


@dataclass(frozen=True)
class CallFilter(UrlState):
    """The calls a user asked for; shareable as URL parameters (codes, never names).

    List facets (themes, target groups, applicant types) also keep calls that set no
    restriction on them: a call open to every theme fits any theme. The amount range keeps
    calls whose range overlaps it; calls without any amount recorded are left out and counted.
    """

    PARAMS: ClassVar[dict[str, tuple[str, Any]]] = {
        "q": ("q", Text()),
        "statuses": ("status", Codes(STATUSES)),
        "funder_types": ("ftype", Codes()),
        "instruments": ("instrument", Codes()),
        "themes": ("theme", Codes()),
        "target_groups": ("tg", Codes()),
        "applicant_types": ("applicant", Codes()),
        "scopes": ("scope", Codes()),
        "amount_from": ("amount_from", Float(0, MAX_AMOUNT)),
        "amount_to": ("amount_to", Float(0, MAX_AMOUNT)),
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
