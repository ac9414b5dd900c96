"""Which layout a workbook has, where each sheet's header row is, and what each column means.

``plan_workbook`` proposes a ``Plan`` (``plans``): per sheet its kind (a hub entity such as
``Innovations``, or ``Form`` / ``Long`` for exports of form tools), its header row, the survey
tool whose export it is, and a target for every column (a field, a criterion, a criterion's
comment, or ``ignore``). What a header may mean is ``headers``' to say; which column is which,
when several could be, is decided sheet by sheet in ``resolve``. A ``Mapping`` holds what the
user changed (per header, so that it fits the next file from the same pilot).
"""

from __future__ import annotations

from functools import cache

from sihub.i18n import LANGUAGES, current_language, t
from sihub.importing.context import Context
from sihub.importing.headers import MAX_HEADER, strip_words
from sihub.importing.meaning import header_meaning
from sihub.importing.plans import (
    IGNORE,
    SKIP,
    ColumnPlan,
    Mapping,
    Plan,
    SheetPlan,
    unnamed_key,
)
from sihub.importing.reading import Sheet, Workbook
from sihub.importing.resolve import resolve_sheet
from sihub.importing.shapes import Tool, detect_tool
from sihub.importing.specs import (
    FORM,
    LONG,
    SPECS,
    SPECS_BY_ENTITY,
    SURE_CODE,
    SURE_NAME,
    TEMPLATE_EXTRA_SHEETS,
    SheetSpec,
    clean_header,
)
from sihub.importing.values import is_blank
from sihub.text import fold

HEADER_SCAN_ROWS = 20  # header rows further down than this are not looked for

__all__ = [
    "IGNORE",
    "MAX_HEADER",
    "SKIP",
    "ColumnPlan",
    "Mapping",
    "Plan",
    "SheetPlan",
    "plan_workbook",
    "target_label",
    "target_options",
    "unnamed_key",
]


# header rows ---------------------------------------------------------------------------------
def match_header(text: object, spec: SheetSpec, ctx: Context) -> str | None:
    """The target a header most likely names on its own (no misspellings), or None."""
    return header_meaning(text, spec, ctx).best(ctx.framework_order)[0]


def header_cells(sheet: Sheet, row: int, band: int = 1) -> list[tuple[int, str, list[str]]]:
    """(column, header as shown, texts to match) of a header row, or of a two-row header.

    In a two-row header (``band=2``: rows ``row-1`` and ``row``) a column's header is its lower
    cell, or its upper cell where the lower one is blank or only says "the answer"
    (SurveyMonkey's "Response" under each question); a group title above ("Uutuusarvo" over
    "Pisteet" and "Perustelut") is tried joined to the cell below it first.
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
            if is_blank(cell) or _only_the_answer(cell):
                cell = above
            elif isinstance(cell, str) and above.strip() != cell.strip():
                texts.append(f"{above} {cell}")
        if is_blank(cell) or not isinstance(cell, str):
            continue
        shown = f"{above} – {cell}" if texts else cell
        found.append((col, shown[:MAX_HEADER], [*texts, cell]))
    return found


def _only_the_answer(cell: object) -> bool:
    return isinstance(cell, str) and strip_words(clean_header(cell), "answer") == ""


def _merged_above(sheet: Sheet, row: int, col: int) -> bool:
    """Whether the cell above lies in a merged group title spanning several columns."""
    return any(
        r0 <= row - 1 <= r1 < row and c0 <= col <= c1 and c1 > c0 for r0, c0, r1, c1 in sheet.merged
    )


# (last header row, rows in the header, its header_cells): the rows a header may be in
HeaderRow = tuple[int, int, list[tuple[int, str, list[str]]]]


def header_rows(sheet: Sheet) -> list[HeaderRow]:
    """Every header candidate of a sheet, read once and tried against every kind of sheet."""
    return [
        (row, band, header_cells(sheet, row, band))
        for row in range(min(HEADER_SCAN_ROWS, len(sheet.rows)))
        for band in ((1, 2) if row > 0 else (1,))
    ]


def _hits(cells: list[tuple[int, str, list[str]]], spec: SheetSpec, ctx: Context) -> set[str]:
    targets = set()
    for _, _, texts in cells:
        found = next((m for m in (match_header(x, spec, ctx) for x in texts) if m), None)
        if found:
            targets.add(found)
    return targets


def _best_row(
    candidates: list[HeaderRow], spec: SheetSpec, ctx: Context
) -> tuple[int | None, set[str], int]:
    """(last header row, targets found, rows in the header) of the best header candidate."""
    best: tuple[int | None, set[str], int] = (None, set(), 1)
    for row, band, cells in candidates:
        hits = _hits(cells, spec, ctx)
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


def detect_kind(
    sheet: Sheet, ctx: Context, candidates: list[HeaderRow] | None = None
) -> str | None:
    """The kind of a sheet whose name does not say what it holds, from its headers."""
    candidates = header_rows(sheet) if candidates is None else candidates
    if {"field:criterion", "field:score"} <= _best_row(candidates, SPECS_BY_ENTITY[LONG], ctx)[1]:
        return LONG
    best: tuple[str | None, int] = (None, 1)
    for spec in SPECS:
        hits = _best_row(candidates, spec, ctx)[1]
        required = {f"field:{c.field}" for c in spec.columns if c.required}
        if len(hits) > best[1] and required <= hits:
            best = (spec.entity, len(hits))
    # A form export names criteria; but a data row of another export (a call's description)
    # may also read as a criterion, so the form wins only if it explains as many columns.
    form = _best_row(candidates, SPECS_BY_ENTITY[FORM], ctx)[1]
    if any(h.startswith("criterion:") for h in form) and len(form) >= best[1]:
        return FORM
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
    candidates = header_rows(sheet)
    if chosen in SPECS_BY_ENTITY:
        kind = chosen
    else:
        kind = entity_by_sheet_name(sheet.name) or detect_kind(sheet, ctx, candidates)
    if kind is None:
        return SheetPlan(sheet.name, None, reason="unrecognised")
    spec = SPECS_BY_ENTITY[kind]
    header_row, _, band = _best_row(candidates, spec, ctx)
    plan = SheetPlan(sheet.name, kind, header_row)
    if header_row is not None:
        cells = next(c for r, b, c in candidates if (r, b) == (header_row, band))
        tool = detect_tool([shown for _, shown, _ in cells]) if spec.creates_innovations else None
        plan.tool, plan.month_first = (tool.code, tool.month_first) if tool else (None, False)
        plan.columns = map_columns(sheet, header_row, cells, spec, ctx, mapping, tool)
        resolve_sheet(plan, sheet, ctx, mapping, _group_titles(sheet, header_row, band, cells))
    return plan


def _group_titles(
    sheet: Sheet, header_row: int, band: int, cells: list[tuple[int, str, list[str]]]
) -> dict[int, str]:
    """Column -> the question above it in a two-row header, carried right over the blank cells
    of its group (SurveyMonkey writes a grid's question over its first row only): where a scale
    stated in the question applies."""
    if band != 2:
        return {}
    titles: dict[int, str] = {}
    current: str | None = None
    for col, _, _ in cells:
        above = sheet.cell(header_row - 1, col)
        if isinstance(above, str) and not is_blank(above):
            current = above[:MAX_HEADER]
        if current:
            titles[col] = current
    return titles


def map_columns(
    sheet: Sheet,
    header_row: int,
    cells: list[tuple[int, str, list[str]]],
    spec: SheetSpec,
    ctx: Context,
    mapping: Mapping,
    tool: Tool | None = None,
) -> list[ColumnPlan]:
    """A target for every header cell, and for every column with data but no header: the
    user's, else a saved one, else the tool's for its own columns, else what the header most
    likely names (a column without a header: ignored). Which of several columns that could be
    the same target is that target is ``resolve``'s to decide."""
    chosen = mapping.columns.get(spec.entity, {})
    valid = set(target_options(spec.entity, ctx))
    columns: list[ColumnPlan] = []
    seen: dict[str, int] = {}
    for col, header, texts in cells:
        base = clean_header(header) or fold(header)
        seen[base] = seen.get(base, 0) + 1
        key = base if seen[base] == 1 else f"{base}#{seen[base]}"
        plan = _auto_column(col, header, key, texts, spec, ctx, tool)
        if chosen.get(key) in valid:
            plan.proposed = plan.target if plan.target != chosen[key] else None
            plan.target, plan.how = chosen[key], "saved"
        else:
            plan.rejected = chosen.get(key)
        columns.append(plan)
    for col in unnamed_columns(sheet, header_row, {c for c, _, _ in cells}):
        key = unnamed_key(col)
        target = chosen.get(key) if chosen.get(key) in valid else None
        plan = ColumnPlan(col, "", key, target or IGNORE, "saved" if target else "none")
        plan.rejected = None if target else chosen.get(key)
        columns.append(plan)
    columns.sort(key=lambda c: c.index)
    return columns


def _auto_column(
    col: int,
    header: str,
    key: str,
    texts: list[str],
    spec: SheetSpec,
    ctx: Context,
    tool: Tool | None,
) -> ColumnPlan:
    """What a header cell names without the user: the tool's meaning of its own columns, else
    the first of its texts that means something, else a misspelling of a name."""
    known = tool.target(header) if tool else None
    if known:
        return ColumnPlan(col, header, key, known, "tool", sure=SURE_NAME)
    meaning = next(
        (m for m in (header_meaning(x, spec, ctx) for x in texts) if m),
        None,
    ) or header_meaning(texts[-1], spec, ctx, misspelt=True)
    target, sure = meaning.best(ctx.framework_order)
    how = ("fuzzy" if meaning.misspelt else "auto") if target else "none"
    return ColumnPlan(col, header, key, target or IGNORE, how, meaning=meaning, sure=sure)


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


def plan_workbook(workbook: Workbook, ctx: Context, mapping: Mapping | None = None) -> Plan:
    mapping = mapping or Mapping()
    plans = [plan_sheet(sheet, ctx, mapping) for sheet in workbook.sheets]
    plans = _a_lone_assessments_sheet_is_a_form(plans, workbook, ctx, mapping)
    # A hub workbook names its sheets; a second sheet of one entity is not read twice.
    seen: set[str] = set()
    for p in plans:
        if p.kind in seen and p.kind not in (FORM, LONG):
            p.kind, p.reason = None, "duplicate"
        elif p.kind:
            seen.add(p.kind)
    return Plan(plans)


def _a_lone_assessments_sheet_is_a_form(
    plans: list[SheetPlan], workbook: Workbook, ctx: Context, mapping: Mapping
) -> list[SheetPlan]:
    """A workbook whose one sheet is named like the template's Assessments sheet ("Arvioinnit",
    "Bedömningar") is a pilot's own sheet, not the template, unless it has the template's
    marks (a framework column, criteria named by their codes in brackets): its innovations are
    new ones, as in any form export. The template has a sheet of every kind."""
    mapped = [p for p in plans if p.kind]
    if len(mapped) != 1 or mapped[0].kind != "Assessments":
        return plans
    if mapping.sheet_kinds.get(mapped[0].sheet) == "Assessments" or any(
        c.target == "field:framework" or c.sure >= SURE_CODE for c in mapped[0].columns
    ):
        return plans  # the user said so, or it is the template's
    as_form = mapping.copy(sheet_kinds={**mapping.sheet_kinds, mapped[0].sheet: FORM})
    return [plan_sheet(workbook.sheet(p.sheet), ctx, as_form) if p.kind else p for p in plans]


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
