"""The selection of innovations that pages share and put in the URL.

``InnovationFilter`` is the contract between pages: the pipeline explorer reads it from its
query parameters, and other pages (ecosystem statistics, funding matches) link to the explorer
with ``to_query()``. The value ``NOT_RECORDED`` in a facet selects innovations that have no
value recorded for it, so that a filter never silently drops records.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import ClassVar

NOT_RECORDED = "none"
ASSESSMENT_STATUSES = ("not_assessed", "self_only", "external")
MAX_TEXT = 200  # longer search text in a URL is cut: no one types more


class UrlState:
    """A frozen dataclass whose fields travel as URL query parameters.

    Subclasses declare ``PARAMS``: field name -> (query parameter, kind), where kind is
    text, codes, ints, float (0-1), int (>= 0) or amount (euros). Defaults are left out of
    links to keep them short; malformed values in a URL are ignored, never fatal.
    """

    PARAMS: ClassVar[dict[str, tuple[str, str]]] = {}

    def is_empty(self) -> bool:
        return self == type(self)()

    def to_query(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value not in ("", (), None):
                param, kind = self.PARAMS[f.name]
                out[param] = _format(value, kind)
        return out

    @classmethod
    def from_query(cls, params: Mapping[str, object]):
        """The state in ``params`` (e.g. ``st.query_params``)."""
        values: dict[str, object] = {}
        for name, (param, kind) in cls.PARAMS.items():
            raw = params.get(param)
            if isinstance(raw, list):
                raw = ",".join(map(str, raw))
            if raw in (None, ""):
                continue
            parsed = parse_param(str(raw), kind)
            if parsed not in (None, (), ""):
                values[name] = parsed
        return cls(**values)

    @classmethod
    def params(cls) -> tuple[str, ...]:
        """Every URL parameter the state owns (to clear those no longer set)."""
        return tuple(param for param, _ in cls.PARAMS.values())


def _format(value: object, kind: str) -> str:
    if kind in ("codes", "ints"):
        return ",".join(map(str, value))
    if kind == "amount" and float(value).is_integer():
        return str(int(value))
    return str(value)


def parse_param(raw: str, kind: str) -> object:
    """One URL parameter of ``kind``; None when it does not parse or is out of range."""
    try:
        if kind == "text":
            return raw.strip()[:MAX_TEXT]
        if kind == "codes":
            return tuple(dict.fromkeys(v.strip() for v in raw.split(",") if v.strip()))
        if kind == "ints":
            return tuple(dict.fromkeys(int(v) for v in raw.split(",") if v.strip()))
        if kind == "int":
            return max(0, int(raw))
        value = float(raw)
    except ValueError:
        return None
    if kind == "float":
        return value if 0 <= value <= 1 else None
    if kind == "amount":
        return value if 0 <= value < 1e12 else None
    raise ValueError(kind)


@dataclass(frozen=True)
class InnovationFilter(UrlState):
    PARAMS: ClassVar[dict[str, tuple[str, str]]] = {
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
        "score_on": ("scoreon", "text"),  # "" = mean; "criterion:<code>"; "dimension:<code>"
        "min_criteria": ("mincrit", "int"),
        "score_framework": ("scorefw", "text"),  # framework of the score filters; "" = default
        "ids": ("ids", "ints"),  # an explicit set of innovations (links from data-quality lists)
    }

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
