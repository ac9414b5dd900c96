"""The selection of innovations that pages share and put in the URL.

``InnovationFilter`` is the contract between pages: the pipeline explorer reads it from its
query parameters, and other pages (ecosystem statistics, funding matches) link to the explorer
with ``to_query()``. The value ``NOT_RECORDED`` in a facet selects innovations that have no
value recorded for it, so that a filter never silently drops records.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields

NOT_RECORDED = "none"
ASSESSMENT_STATUSES = ("not_assessed", "self_only", "external")

# field name -> (query parameter, kind); kinds: text, codes, ints, float, int
_PARAMS: dict[str, tuple[str, str]] = {
    "q": ("q", "text"),
    "stages": ("stage", "codes"),
    "themes": ("theme", "codes"),
    "target_groups": ("tg", "codes"),
    "regions": ("region", "codes"),
    "organisations": ("org", "codes"),  # organisation ids as text, or NOT_RECORDED
    "org_types": ("orgtype", "codes"),
    "statuses": ("status", "codes"),  # values of ASSESSMENT_STATUSES
    "frameworks": ("fw", "codes"),
    "rounds": ("round", "codes"),  # round numbers as text, or NOT_RECORDED
    "min_score": ("minscore", "float"),  # 0-1, on the mean or on ``score_on``
    "score_on": ("scoreon", "text"),  # "" = overall mean; "criterion:<code>"; "dimension:<code>"
    "min_criteria": ("mincrit", "int"),
    "score_framework": ("scorefw", "text"),  # framework of the score filters; "" = the default
    "ids": ("ids", "ints"),  # an explicit set of innovations (links from data-quality lists)
}


@dataclass(frozen=True)
class InnovationFilter:
    q: str = ""
    stages: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    org_types: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    frameworks: tuple[str, ...] = ()
    rounds: tuple[str, ...] = ()
    min_score: float | None = None
    score_on: str = ""
    min_criteria: int | None = None
    ids: tuple[int, ...] = ()
    score_framework: str = ""

    def is_empty(self) -> bool:
        return self == InnovationFilter()

    def to_query(self) -> dict[str, str]:
        """Query parameters for this selection; defaults are left out to keep links short."""
        out: dict[str, str] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value in ("", (), None):
                continue
            param, kind = _PARAMS[f.name]
            out[param] = ",".join(map(str, value)) if kind in ("codes", "ints") else str(value)
        return out

    @classmethod
    def from_query(cls, params: Mapping[str, object]) -> InnovationFilter:
        """The selection in ``params`` (e.g. ``st.query_params``); malformed values are ignored."""
        values: dict[str, object] = {}
        for name, (param, kind) in _PARAMS.items():
            raw = params.get(param)
            if isinstance(raw, list):
                raw = ",".join(map(str, raw))
            if raw in (None, ""):
                continue
            parsed = _parse(str(raw), kind)
            if parsed is not None:
                values[name] = parsed
        return cls(**values)


def _parse(raw: str, kind: str) -> object:
    try:
        if kind == "text":
            return raw.strip()
        if kind == "codes":
            return tuple(dict.fromkeys(v.strip() for v in raw.split(",") if v.strip()))
        if kind == "ints":
            return tuple(dict.fromkeys(int(v) for v in raw.split(",") if v.strip()))
        if kind == "float":
            value = float(raw)
            return value if 0 <= value <= 1 else None
        if kind == "int":
            return max(0, int(raw))
    except ValueError:
        return None
    raise ValueError(kind)
