"""What the layout step decides about a workbook, as data: per sheet its kind, header row and
a target for every column (``Plan``), and what the user changed (``Mapping``), which is what
gets saved under a name for the pilot's next file. How it is decided: ``layout`` and
``resolve``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace

from sihub.i18n import t
from sihub.importing.headers import Meaning
from sihub.importing.issues import column_letter
from sihub.importing.specs import FORM, LONG, SPECS_BY_ENTITY, SheetSpec
from sihub.text import fold

IGNORE = "ignore"
SKIP = "skip"  # a sheet kind: leave the sheet out


@dataclass
class ColumnPlan:
    index: int
    header: str  # as the file shows it; "" for a column with data but no header
    key: str  # the header folded: what user changes and saved mappings are keyed on
    target: str  # "field:<name>", "criterion:<framework>.<code>", "comment:…" or "ignore"
    how: str = "auto"  # auto | fuzzy | tool | saved | user | none
    rejected: str | None = None  # a mapping's target for it that this hub does not have
    meaning: Meaning = field(default_factory=Meaning, repr=False)  # what its header may say
    sure: float = 0  # how surely the header names its target (specs.SURE_*)
    stated_scale: tuple[int, int] | None = None  # "(0–5)" in its header (or its group's)
    read_scale: str | None = None  # the scale its values are read on, when not its criterion's
    # An automatic match set aside, and why: "respondent_number" (its values are 1, 2, 3…, not
    # names), "weaker" (another column names the same target more surely: ``instead``),
    # "scale" (its header states another scale than its criterion's), "other_framework" (its
    # criterion is of another framework than the sheet's others) or "unknown_criterion" (it
    # looks like a criterion but names none). ``suggested`` is what the question proposes.
    left_out: str | None = None
    instead: int | None = None
    suggested: str | None = None
    proposed: str | None = None  # what its header names, when the mapping chose otherwise

    @property
    def explicit(self) -> bool:
        """Chosen by the user (now or in a saved mapping), not guessed."""
        return self.how in ("saved", "user")

    @property
    def letter(self) -> str:
        return column_letter(self.index)

    @property
    def title(self) -> str:
        """The header as reports name it (a column without one by that fact)."""
        return self.header or t("import.map.no_header")


def unnamed_key(index: int) -> str:
    """The key of a column without a header: its letter. A folded header has no capitals, so
    ``column:F`` never clashes with a header's key."""
    return f"column:{column_letter(index)}"


@dataclass
class SheetPlan:
    sheet: str
    kind: str | None  # an entity of SPECS_BY_ENTITY, or None when the sheet is left out
    header_row: int | None = None  # 0-based; the last row of the header, data start below it
    columns: list[ColumnPlan] = field(default_factory=list)
    reason: str | None = None  # why a sheet is left out: hidden | unrecognised | template | user
    tool: str | None = None  # the survey tool whose export it is (shapes.Tool.code)
    framework: str | None = None  # the framework of most of its criterion columns
    month_first: bool = False  # its dates are month/day/year (the tool's way)

    @property
    def spec(self) -> SheetSpec | None:
        return SPECS_BY_ENTITY.get(self.kind) if self.kind else None

    def targets(self) -> dict[str, int]:
        """Target -> column index of the first column mapped to it (ignored ones left out)."""
        found: dict[str, int] = {}
        for c in self.columns:
            if c.target != IGNORE:
                found.setdefault(c.target, c.index)
        return found

    def duplicates(self) -> list[ColumnPlan]:
        """Columns mapped to a target an earlier column already has (only the first is read)."""
        first = self.targets()
        return [c for c in self.columns if c.target != IGNORE and first[c.target] != c.index]

    def columns_by_index(self) -> dict[int, ColumnPlan]:
        return {c.index: c for c in self.columns}


@dataclass
class Plan:
    sheets: list[SheetPlan]

    @property
    def mapped(self) -> list[SheetPlan]:
        return [s for s in self.sheets if s.kind]

    @property
    def layout(self) -> str:
        """hub, wide, long, mixed or none: what the user is told was detected."""
        kinds = {s.kind for s in self.mapped}
        if not kinds:
            return "none"
        if kinds <= {FORM}:
            return "wide"
        if kinds <= {LONG}:
            return "long"
        if kinds.isdisjoint({FORM, LONG}):
            return "hub"
        return "mixed"


@dataclass
class Mapping:
    """What the user decided about a file's layout; saved under a name for the next file.

    ``values`` holds what a cell the hub does not know means: field -> the cell folded -> a
    code, or "" to leave it empty (``vocabulary.LEAVE_EMPTY``). ``scales`` says that a
    criterion column's values are on the scale its header states, not on the criterion's.
    """

    columns: dict[str, dict[str, str]] = field(default_factory=dict)  # kind -> key -> target
    sheet_kinds: dict[str, str] = field(default_factory=dict)  # sheet -> kind or "skip"
    defaults: dict[str, object] = field(default_factory=dict)  # assessment_type, round, …
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # field -> value -> code
    scales: dict[str, dict[str, str]] = field(default_factory=dict)  # kind -> key -> scale

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str | None) -> Mapping:
        data = json.loads(text) if text else {}
        return cls(
            {k: dict(v) for k, v in data.get("columns", {}).items()},
            dict(data.get("sheet_kinds", {})),
            dict(data.get("defaults", {})),
            {k: dict(v) for k, v in data.get("values", {}).items()},
            {k: dict(v) for k, v in data.get("scales", {}).items()},
        )

    def copy(self, **changes: object) -> Mapping:
        """A deep copy, with ``changes`` (fields given anew)."""
        return replace(Mapping.from_json(self.to_json()), **changes)

    @property
    def answered(self) -> bool:
        """Whether the user chose anything a saved mapping would keep."""
        return any((self.columns, self.sheet_kinds, self.values, self.scales))

    def override(self, kind: str, key: str, target: str) -> Mapping:
        changed = self.copy()
        changed.columns.setdefault(kind, {})[key] = target
        return changed

    def value(self, field_name: str, text: str, code: str) -> Mapping:
        """What the cell ``text`` of ``field_name`` means: ``code``, or "" to leave it empty."""
        changed = self.copy()
        changed.values.setdefault(field_name, {})[fold(text)] = code
        return changed

    def scale(self, kind: str, key: str, scale: str | None) -> Mapping:
        """Read the column ``key`` on ``scale`` (None: on its criterion's own scale)."""
        changed = self.copy()
        if scale:
            changed.scales.setdefault(kind, {})[key] = scale
        else:
            changed.scales.get(kind, {}).pop(key, None)
        return changed
