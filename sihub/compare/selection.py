"""What the comparison page compares; it lives in the URL (``Selection``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from sihub import scores

MIN_ITEMS, MAX_ITEMS = 2, 30
BASES = {"external": scores.EXTERNAL_TYPES, "self": ("self",)}
GROUP_KINDS = ("theme", "target_group", "stage", "region", "org_type", "round")
COLUMN_SORTS = ("mean", "name", "chosen")  # and "criterion:<code>"
CRITERION_SORT = "criterion:"
CRITERIA_SORTS = ("dimension", "spread")
DISPLAYS = ("scale", "pct")


def param_text(raw: object) -> str:
    """A URL parameter as text: a repeated parameter joined by commas, a missing one empty."""
    if isinstance(raw, list):
        raw = ",".join(map(str, raw))
    return "" if raw is None else str(raw).strip()


def parse_ids(raw: object) -> tuple[int, ...]:
    """Innovation ids of a URL parameter ("5,3,x,3" -> (5, 3)): the rest is ignored."""
    return tuple(dict.fromkeys(int(v) for v in param_text(raw).split(",") if v.strip().isdigit()))


@dataclass(frozen=True)
class Selection:
    """What to compare; lives in the URL (``to_query`` / ``from_query``)."""

    ids: tuple[int, ...] = ()
    group_by: str = ""  # "" compares innovations; else one of GROUP_KINDS
    groups: tuple[str, ...] = ()
    framework: str = scores.DEFAULT_FRAMEWORK
    basis: str = "external"  # a key of BASES
    shared_only: bool = False

    @property
    def types(self) -> tuple[str, ...]:
        return BASES[self.basis]

    @property
    def keys(self) -> tuple[str, ...]:
        """The compared columns' keys: innovation ids as text, or group codes."""
        return self.groups if self.group_by else tuple(map(str, self.ids))

    def to_query(self) -> dict[str, str]:
        """URL parameters; defaults are left out to keep links short."""
        out = {
            "ids": "" if self.group_by else ",".join(map(str, self.ids)),
            "by": self.group_by,
            "groups": ",".join(self.groups) if self.group_by else "",
            "fw": "" if self.framework == scores.DEFAULT_FRAMEWORK else self.framework,
            "basis": "" if self.basis == "external" else self.basis,
            "shared": "1" if self.shared_only else "",
        }
        return {k: v for k, v in out.items() if v}

    @classmethod
    def from_query(cls, params: Mapping[str, object]) -> Selection:
        """The selection in ``params``; malformed or unknown values fall back to defaults."""

        def text(name: str) -> str:
            return param_text(params.get(name))

        ids = parse_ids(params.get("ids"))
        group_by = text("by") if text("by") in GROUP_KINDS else ""
        groups = tuple(dict.fromkeys(g.strip() for g in text("groups").split(",") if g.strip()))
        return cls(
            ids=() if group_by else ids[:MAX_ITEMS],
            group_by=group_by,
            groups=groups[:MAX_ITEMS] if group_by else (),
            framework=text("fw") or scores.DEFAULT_FRAMEWORK,
            basis=text("basis") if text("basis") in BASES else "external",
            shared_only=text("shared") == "1",
        )

    def with_(self, **changes: object) -> Selection:
        return replace(self, **changes)
