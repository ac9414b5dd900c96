"""What the comparison page compares and how it shows it; both live in the URL.

``Selection`` is what to compare (innovations or groups of them, framework, basis) and
``CompareView`` how the page shows it (order of columns and criteria, printed values, the
open view). Both are ``sihub.urls.UrlState``: a link names them, and a value in it that cannot
be used is left out and reported.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, ClassVar, Self

from sihub import scores
from sihub.access import Sight, Visibility, sight_of
from sihub.urls import Code, Codes, Flag, Ints, LeftOut, UrlState

MIN_ITEMS, MAX_ITEMS = 2, 30
BASES = scores.SCOPES  # external or self-assessments, as everywhere scores are summarised
GROUP_KINDS = ("theme", "target_group", "stage", "region", "org_type", "round")
COLUMN_SORTS = ("mean", "name", "chosen")  # and "criterion:<code>"
CRITERION_SORT = "criterion:"
CRITERIA_SORTS = ("dimension", "spread")
DISPLAYS = ("scale", "pct")
VIEWS = ("heatmap", "dots", "agreement", "rounds", "self")


@dataclass(frozen=True)
class Selection(UrlState):
    """What to compare: innovations (``ids``) or the groups of one kind (``groups``)."""

    PARAMS: ClassVar[dict[str, tuple[str, Any]]] = {
        "ids": ("ids", Ints(MAX_ITEMS)),
        "group_by": ("by", Code(GROUP_KINDS)),
        "groups": ("groups", Codes(max_items=MAX_ITEMS)),  # checked against the store's groups
        "framework": ("fw", Code()),  # checked against the frameworks with scores
        "basis": ("basis", Code(tuple(BASES))),
        "shared_only": ("shared", Flag()),
    }

    ids: tuple[int, ...] = ()
    group_by: str = ""  # "" compares innovations; else one of GROUP_KINDS
    groups: tuple[str, ...] = ()
    framework: str = scores.DEFAULT_FRAMEWORK
    basis: str = "external"  # a key of BASES
    shared_only: bool = False

    @property
    def types(self) -> tuple[str, ...]:
        return BASES[self.basis]

    def visibility_for(self, seen: Sight | str) -> Sight:
        """The assessments compared for a viewer who sees ``seen`` (a visibility or a
        ``Sight``): "shared only" narrows it; nothing in a selection (a link, a widget) can
        widen it."""
        sight = sight_of(seen)
        return sight.narrowed(Visibility.SHARED) if self.shared_only else sight

    @property
    def keys(self) -> tuple[str, ...]:
        """The compared columns' keys: innovation ids as text, or group codes."""
        return self.groups if self.group_by else tuple(map(str, self.ids))

    def _unused(self) -> str:
        return "ids" if self.group_by else "groups"  # a selection compares one or the other

    def to_query(self) -> dict[str, str]:
        query = super().to_query()
        query.pop(self.PARAMS[self._unused()][0], None)
        return query

    @classmethod
    def parse_query(cls, params: Mapping[str, object]) -> tuple[Self, tuple[LeftOut, ...]]:
        selection, left_out = super().parse_query(params)
        unused = selection._unused()
        if getattr(selection, unused):
            param, kind = cls.PARAMS[unused]
            left_out += (LeftOut(param, kind.format(getattr(selection, unused))),)
            selection = replace(selection, **{unused: ()})
        return selection, left_out

    def with_(self, **changes: object) -> Selection:
        return replace(self, **changes)


@dataclass(frozen=True)
class CompareView(UrlState):
    """How the comparison is shown: order of columns and criteria, printed values, open view."""

    PARAMS: ClassVar[dict[str, tuple[str, Any]]] = {
        "sort": ("sort", Code(COLUMN_SORTS, prefixes=(CRITERION_SORT,))),
        "criteria_sort": ("csort", Code(CRITERIA_SORTS)),
        "display": ("show", Code(DISPLAYS)),
        "view": ("view", Code(VIEWS)),
    }

    sort: str = "mean"
    criteria_sort: str = "dimension"
    display: str = "scale"
    view: str = "heatmap"
