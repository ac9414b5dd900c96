"""The selection of innovations that pages share and put in the URL.

``InnovationFilter`` is the contract between pages: the pipeline explorer reads it from its
query parameters, and other pages (ecosystem statistics, funding matches) link to the explorer
with ``to_query()``. The value ``NOT_RECORDED`` in a facet selects innovations that have no
value recorded for it, so that a filter never silently drops records.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from sihub.urls import Code, Codes, Flag, Float, Int, Ints, Text, UrlState

NOT_RECORDED = "none"
ASSESSMENT_STATUSES = ("not_assessed", "self_only", "external")
MAX_CRITERIA = 100  # "at least n criteria scored": no framework comes near this many
MAX_SCALE_VALUE = 100  # no rating scale in this field goes past 100


@dataclass(frozen=True)
class InnovationFilter(UrlState):
    # Codes from the data (vocabularies, organisations, rounds) are checked against the store
    # by ``pipeline.clean_filter``; the kinds here check what can be checked without it.
    PARAMS: ClassVar[dict[str, tuple[str, Any]]] = {
        "q": ("q", Text()),
        "stages": ("stage", Codes()),
        "themes": ("theme", Codes()),
        "target_groups": ("tg", Codes()),
        "regions": ("region", Codes()),
        "organisations": ("org", Codes()),  # organisation ids as text, or NOT_RECORDED
        "org_types": ("orgtype", Codes()),
        "countries": ("country", Codes()),
        "scopes": ("scope", Codes()),  # the level of action
        "initiative_types": ("inittype", Codes()),
        "statuses": ("status", Codes(ASSESSMENT_STATUSES)),
        "frameworks": ("fw", Codes()),
        "rounds": ("round", Codes()),  # round numbers as text, or NOT_RECORDED
        # On the scale of the framework (or of the ``score_on`` criterion): 4 on 1-5 is "at
        # least 4". Links made before scores were shown on their scale gave 0-1 instead.
        "min_score": ("minscore", Float(0, MAX_SCALE_VALUE)),
        "score_on": ("scoreon", Code()),  # "" = mean; "criterion:<code>"; "dimension:<code>"
        "min_criteria": ("mincrit", Int(1, MAX_CRITERIA)),
        # only innovations that pass ``score_framework``, a pass/fail framework (no minimum)
        "passes": ("passes", Flag()),
        "score_framework": ("scorefw", Code()),  # framework of the score filters; "" = default
        "ids": ("ids", Ints()),  # an explicit set of innovations (links from data-quality lists)
    }

    q: str = ""
    stages: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    org_types: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    scopes: tuple[str, ...] = ()
    initiative_types: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    frameworks: tuple[str, ...] = ()
    rounds: tuple[str, ...] = ()
    min_score: float | None = None
    score_on: str = ""
    min_criteria: int | None = None
    passes: bool = False
    ids: tuple[int, ...] = ()
    score_framework: str = ""
