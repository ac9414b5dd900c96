"""The calls a user asked for, as the catalogue's filter and as URL parameters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from sihub.pipeline.filters import UrlState, parse_param

NOT_RECORDED = "none"  # a facet value that selects calls without a value for it


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
