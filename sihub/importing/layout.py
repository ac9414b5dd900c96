"""Which layout a workbook has, where each sheet's header row is, and what each column means.

``plan_workbook`` proposes a ``Plan``: per sheet its kind (a hub entity such as
``Innovations``, or ``Form`` / ``Long`` for exports of form tools), its header row and a target
for every column (a field, a criterion, a criterion's comment, or ``ignore``). A ``Mapping``
holds what the user changed (per header, so that it fits the next file from the same pilot)
and is what gets saved under a name.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import asdict, dataclass, field, replace
from functools import cache

from sihub.i18n import LANGUAGES, current_language, t
from sihub.importing.context import Context
from sihub.importing.issues import column_letter
from sihub.importing.reading import Sheet, Workbook
from sihub.importing.specs import (
    FORM,
    LONG,
    SPECS,
    SPECS_BY_ENTITY,
    TEMPLATE_EXTRA_SHEETS,
    SheetSpec,
    clean_header,
    synonyms,
)
from sihub.importing.values import is_blank
from sihub.text import fold

HEADER_SCAN_ROWS = 20  # header rows further down than this are not looked for
# A longer cell is no header (a survey question with its instructions is a few hundred
# characters): it is not matched, and is shown and keyed by its start only. Finding the header
# row tries every cell of the first rows, names and texts of the data included.
MAX_HEADER = 1_000
IGNORE = "ignore"
SKIP = "skip"  # a sheet kind: leave the sheet out
FUZZY_CUTOFF = 0.82  # similarity above which a misspelt header is proposed (and flagged)
_SCALE_HINT = re.compile(r"[(\[]\s*\d+\s*[-–—]\s*\d+\s*[)\]]|\b\d\s*[-–—]\s*\d+\s*$")
_SPLIT = re.compile(r"\s+[/|–—-]\s+|\s*:\s+|\s*/\s*")


@dataclass
class ColumnPlan:
    index: int
    header: str  # as the file shows it; "" for a column with data but no header
    key: str  # the header folded: what user changes and saved mappings are keyed on
    target: str  # "field:<name>", "criterion:<framework>.<code>", "comment:…" or "ignore"
    how: str = "auto"  # auto | fuzzy | saved | user | none
    rejected: str | None = None  # a mapping's target for it that this hub does not have

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


# header matching -------------------------------------------------------------------------------
@cache
def _word_pattern(section: str) -> re.Pattern:
    words = sorted((clean_header(w) for w in synonyms()["words"][section]), key=len, reverse=True)
    alternatives = "|".join(re.escape(w) for w in words)
    # (?<!…): a run of separators is tried from its start only (from each of its characters, a
    # cell of 32,767 dashes took 12 s)
    return re.compile(
        rf"^(?:{alternatives})(?:$|[\s:,/)–—_-]+)"
        rf"|(?:^|(?<![\s:,/(–—_-])[\s:,/(–—_-]+)(?:{alternatives})\)?$"
    )


def _strip_words(cleaned: str, section: str) -> str | None:
    """``uutuusarvo perustelut`` -> ``uutuusarvo`` (None when no such word is there)."""
    stripped = _word_pattern(section).sub("", cleaned).strip()
    return stripped if stripped != cleaned else None


def _bracket_code(text: str, ctx: Context) -> str | None:
    """``Uutuusarvo [novelty]``: the template writes the criterion code in brackets."""
    found = re.search(r"\[([a-z0-9_.]+)\]\s*$", fold(text))
    if not found:
        return None
    code = found.group(1)
    key = ctx.criterion_lookup.get(code)
    return f"criterion:{key[0]}.{key[1]}" if key else None


def _criterion(cleaned: str, ctx: Context) -> str | None:
    key = ctx.criterion_lookup.get(cleaned)
    return f"criterion:{key[0]}.{key[1]}" if key else None


def match_header(text: object, spec: SheetSpec, ctx: Context) -> str | None:
    """The target a header names (exact matches only), or None.

    Remembered per file: finding the header row tries the first rows of a sheet against
    several kinds of sheet, so the same cells are asked about again and again.
    """
    if not isinstance(text, str) or is_blank(text) or len(text) > MAX_HEADER:
        return None
    key = (text, spec.entity)
    if key not in ctx.header_targets:
        ctx.header_targets[key] = _match_header(text, spec, ctx)
    return ctx.header_targets[key]


def _match_header(text: str, spec: SheetSpec, ctx: Context) -> str | None:
    cleaned = clean_header(text)
    fields = spec.header_synonyms()
    if cleaned in fields:
        return f"field:{fields[cleaned]}"
    if not spec.takes_criteria:
        return None
    found = _bracket_code(text, ctx) or _criterion(cleaned, ctx)
    if found:
        return found
    without_comment = _strip_words(cleaned, "comment")
    if without_comment is not None:
        base = _criterion(without_comment, ctx)
        if base:
            return base.replace("criterion:", "comment:")
        return None if without_comment else "comment:?"
    without_score = _strip_words(cleaned, "score")
    if without_score:
        return _criterion(without_score, ctx)
    parts = {p.strip() for p in _SPLIT.split(cleaned) if p.strip()}
    found_parts = {_criterion(p, ctx) for p in parts} - {None}
    return found_parts.pop() if len(found_parts) == 1 else None


def _fuzzy(text: str, spec: SheetSpec, ctx: Context) -> str | None:
    """A misspelt header ("Uutusarvo"): the closest known name, if it is close enough."""
    if len(text) > MAX_HEADER:
        return None
    cleaned = clean_header(text)
    if len(cleaned) < 5:
        return None
    options = {k: f"field:{v}" for k, v in spec.header_synonyms().items()}
    if spec.takes_criteria:
        options.update({k: f"criterion:{v[0]}.{v[1]}" for k, v in ctx.criterion_lookup.items()})
    close = difflib.get_close_matches(cleaned, list(options), n=1, cutoff=FUZZY_CUTOFF)
    return options[close[0]] if close else None


def header_cells(sheet: Sheet, row: int, band: int = 1) -> list[tuple[int, str, list[str]]]:
    """(column, header as shown, texts to match) of a header row, or of a two-row header.

    In a two-row header (``band=2``: rows ``row-1`` and ``row``) a column's header is its lower
    cell, or its upper cell where the lower one is blank; a group title above ("Uutuusarvo"
    over "Pisteet" and "Perustelut") is tried joined to the cell below it first.
    """
    width = len(sheet.rows[row]) if row < len(sheet.rows) else 0
    if band == 2:
        width = max(width, len(sheet.rows[row - 1]))
    found = []
    for col in range(width):
        cell = sheet.cell(row, col)
        above = sheet.cell(row - 1, col) if row > 0 else None
        texts: list[str] = []
        grouped = band == 2 or _merged_above(sheet, row, col)
        if grouped and isinstance(above, str) and not is_blank(above):
            if is_blank(cell):
                cell = above
            elif isinstance(cell, str) and above.strip() != cell.strip():
                texts.append(f"{above} {cell}")
        if is_blank(cell) or not isinstance(cell, str):
            continue
        shown = f"{above} – {cell}" if texts else cell
        found.append((col, shown[:MAX_HEADER], [*texts, cell]))
    return found


def _merged_above(sheet: Sheet, row: int, col: int) -> bool:
    """Whether the cell above lies in a merged group title spanning several columns."""
    return any(
        r0 <= row - 1 <= r1 < row and c0 <= col <= c1 and c1 > c0 for r0, c0, r1, c1 in sheet.merged
    )


def _hits(sheet: Sheet, row: int, band: int, spec: SheetSpec, ctx: Context) -> set[str]:
    targets = set()
    for _, _, texts in header_cells(sheet, row, band):
        found = next((m for m in (match_header(x, spec, ctx) for x in texts) if m), None)
        if found:
            targets.add(found)
    return targets


def _best_row(sheet: Sheet, spec: SheetSpec, ctx: Context) -> tuple[int | None, set[str], int]:
    """(last header row, targets found, rows in the header) of the best header candidate."""
    best: tuple[int | None, set[str], int] = (None, set(), 1)
    for row in range(min(HEADER_SCAN_ROWS, len(sheet.rows))):
        for band in (1, 2) if row > 0 else (1,):
            hits = _hits(sheet, row, band, spec, ctx)
            if len(hits) > len(best[1]):
                best = (row, hits, band)
    return best


# sheets ----------------------------------------------------------------------------------------
def entity_by_sheet_name(name: str) -> str | None:
    folded = fold(name)
    return next((spec.entity for spec in SPECS if folded in spec.sheet_names()), None)


@cache
def template_sheet_names() -> frozenset[str]:
    return frozenset(
        fold(name)
        for key in TEMPLATE_EXTRA_SHEETS
        for lang in LANGUAGES
        for name in (key, t(f"sheet.{key}", lang=lang))
    )


def detect_kind(sheet: Sheet, ctx: Context) -> str | None:
    """The kind of a sheet whose name does not say what it holds, from its headers."""
    if {"field:criterion", "field:score"} <= _best_row(sheet, SPECS_BY_ENTITY[LONG], ctx)[1]:
        return LONG
    if any(h.startswith("criterion:") for h in _best_row(sheet, SPECS_BY_ENTITY[FORM], ctx)[1]):
        return FORM
    best: tuple[str | None, int] = (None, 1)
    for spec in SPECS:
        hits = _best_row(sheet, spec, ctx)[1]
        required = {f"field:{c.field}" for c in spec.columns if c.required}
        if len(hits) > best[1] and required <= hits:
            best = (spec.entity, len(hits))
    return best[0]


def plan_sheet(sheet: Sheet, ctx: Context, mapping: Mapping) -> SheetPlan:
    chosen = mapping.sheet_kinds.get(sheet.name)
    if chosen == SKIP:
        return SheetPlan(sheet.name, None, reason="user")
    if fold(sheet.name) in template_sheet_names() and not chosen:
        return SheetPlan(sheet.name, None, reason="template")
    if not sheet.visible and not chosen:
        return SheetPlan(sheet.name, None, reason="hidden")
    if not sheet.rows:
        return SheetPlan(sheet.name, None, reason="empty")
    if chosen in SPECS_BY_ENTITY:
        kind = chosen
    else:
        kind = entity_by_sheet_name(sheet.name) or detect_kind(sheet, ctx)
    if kind is None:
        return SheetPlan(sheet.name, None, reason="unrecognised")
    header_row, _, band = _best_row(sheet, SPECS_BY_ENTITY[kind], ctx)
    plan = SheetPlan(sheet.name, kind, header_row)
    if header_row is not None:
        plan.columns = map_columns(sheet, header_row, band, SPECS_BY_ENTITY[kind], ctx, mapping)
    return plan


def map_columns(
    sheet: Sheet, header_row: int, band: int, spec: SheetSpec, ctx: Context, mapping: Mapping
) -> list[ColumnPlan]:
    """A target for every header cell, and for every column with data but no header: the
    user's, else a saved one, else matched by name (a column without a header: ignored)."""
    chosen = mapping.columns.get(spec.entity, {})
    valid = set(target_options(spec.entity, ctx))
    columns: list[ColumnPlan] = []
    seen: dict[str, int] = {}
    cells = header_cells(sheet, header_row, band)
    for col, header, texts in cells:
        base = clean_header(header) or fold(header)
        seen[base] = seen.get(base, 0) + 1
        key = base if seen[base] == 1 else f"{base}#{seen[base]}"
        if chosen.get(key) in valid:
            columns.append(ColumnPlan(col, header, key, chosen[key], "saved"))
            continue
        target = next((m for m in (match_header(x, spec, ctx) for x in texts) if m), None)
        how = "auto"
        if target is None:
            target, how = _fuzzy(header, spec, ctx), "fuzzy"
        plan = ColumnPlan(col, header, key, target or IGNORE, how if target else "none")
        plan.rejected = chosen.get(key)
        columns.append(plan)
    for col in unnamed_columns(sheet, header_row, {c for c, _, _ in cells}):
        key = unnamed_key(col)
        target = chosen.get(key) if chosen.get(key) in valid else None
        plan = ColumnPlan(col, "", key, target or IGNORE, "saved" if target else "none")
        plan.rejected = None if target else chosen.get(key)
        columns.append(plan)
    columns.sort(key=lambda c: c.index)
    _attach_bare_comments(columns)
    return columns


def unnamed_columns(sheet: Sheet, header_row: int, named: set[int]) -> list[int]:
    """Columns whose header cell is blank but that hold data in some row below it.

    Dropping them silently lost an e-mail and two comment columns of a pilot's export; they
    are reported and can be mapped by their letter. One pass over the rows, looking only at
    the columns not found yet.
    """
    data = sheet.rows[header_row + 1 :]
    width = max(map(len, data), default=0)
    pending = [col for col in range(width) if col not in named]
    found: list[int] = []
    for row in data:
        if not pending:
            break
        hits = [col for col in pending if col < len(row) and not is_blank(row[col])]
        if hits:
            found += hits
            pending = [col for col in pending if col not in hits]
    return sorted(found)


def _attach_bare_comments(columns: list[ColumnPlan]) -> None:
    """A column headed just "Perustelut" comments the nearest criterion to its left."""
    taken = {c.target for c in columns}
    last_criterion: str | None = None
    for c in columns:
        if c.target.startswith("criterion:"):
            last_criterion = c.target
        elif c.target == "comment:?":
            comment = last_criterion.replace("criterion:", "comment:") if last_criterion else None
            if comment and comment not in taken:
                c.target = comment
                taken.add(comment)
            else:
                c.target, c.how = IGNORE, "none"


def looks_like_criterion(header: str) -> bool:
    """A header with a scale hint ("(1–5)") that names no known criterion."""
    return bool(_SCALE_HINT.search(fold(header)))


def plan_workbook(workbook: Workbook, ctx: Context, mapping: Mapping | None = None) -> Plan:
    mapping = mapping or Mapping()
    plans = [plan_sheet(sheet, ctx, mapping) for sheet in workbook.sheets]
    # A hub workbook names its sheets; a second sheet of one entity is not read twice.
    seen: set[str] = set()
    for p in plans:
        if p.kind in seen and p.kind not in (FORM, LONG):
            p.kind, p.reason = None, "duplicate"
        elif p.kind:
            seen.add(p.kind)
    return Plan(plans)


def target_options(kind: str, ctx: Context) -> list[str]:
    """Every target a column of a sheet of ``kind`` may be mapped to, ``ignore`` first."""
    spec = SPECS_BY_ENTITY[kind]
    options = [IGNORE, *(f"field:{c.field}" for c in spec.columns)]
    if spec.takes_criteria:
        for (framework, code), _ in ctx.criteria.items():
            options.append(f"criterion:{framework}.{code}")
        for (framework, code), _ in ctx.criteria.items():
            options.append(f"comment:{framework}.{code}")
    return options


def target_label(target: str, kind: str, ctx: Context, lang: str | None = None) -> str:
    """A target as the mapping table shows it, in the user's language."""
    lang = lang or current_language()
    if target == IGNORE:
        return t("import.map.ignored", lang=lang)
    what, _, name = target.partition(":")
    if what == "field":
        return t(f"field.{kind}.{name}", lang=lang)
    framework, _, code = name.partition(".")
    label = ctx.criterion_name(framework, code, lang)
    fw = ctx.frameworks.get(framework)
    fw_name = (fw.names.get(lang) or framework) if fw else framework
    key = "import.map.criterion" if what == "criterion" else "import.map.comment"
    return t(key, lang=lang, criterion=label, framework=fw_name)
