"""Cut a mapped sheet into data rows and typed columns; shared by every kind of sheet.

Data rows are the rows below the header that are not blank, not trailing notes ("Yhteensä 25
vastausta") and not exact repeats of an earlier row. Columns are converted whole (see
``values.convert_column``); every cell that fails becomes an issue at its Excel address.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from sihub.importing.context import Context
from sihub.importing.issues import Issue, column_letter
from sihub.importing.layout import IGNORE, SheetPlan
from sihub.importing.reading import Sheet
from sihub.importing.specs import Column
from sihub.importing.values import (
    MAX_SHORT_TEXT,
    Notes,
    ValueProblem,
    as_bool,
    as_date,
    as_int,
    as_list,
    as_names,
    as_number,
    as_rate,
    as_score_minimum,
    as_text,
    convert_column,
    is_blank,
    slash_order,
    text_notes,
    url_notes,
)
from sihub.importing.vocabulary import Vocabulary
from sihub.scores import DEFAULT_FRAMEWORK
from sihub.text import fold

NOTE_SAMPLE = 200  # rows sampled to learn how many cells a data row usually fills


@dataclass
class SheetData:
    """The data rows of one sheet, and its mapped columns' raw cells (aligned with ``rows``)."""

    plan: SheetPlan
    sheet: Sheet
    rows: list[int]  # 0-based row indices; the Excel row is index + 1
    cells: dict[int, list[object]] = field(default_factory=dict)  # column index -> cells
    chosen_values: dict[str, dict[str, str]] = field(default_factory=dict)  # Mapping.values

    @property
    def name(self) -> str:
        return self.sheet.name

    def excel_rows(self) -> list[int]:
        return [i + 1 for i in self.rows]


def _filled(row: list[object]) -> int:
    return len(row) - row.count(None) - row.count("")


def _blank(row: list[object]) -> bool:
    # a filled first cell settles most rows without counting the others
    return not row or (row[0] in _EMPTY and not _filled(row))


_EMPTY = (None, "")


def sheet_data(
    plan: SheetPlan,
    sheet: Sheet,
    issues: list[Issue],
    chosen_values: dict[str, dict[str, str]] | None = None,
) -> SheetData:
    """The data rows of a mapped sheet; notes and repeated rows become hints and warnings.

    ``chosen_values`` are the user's answers about values the hub does not know
    (``Mapping.values``)."""
    rows = sheet.rows
    start = (plan.header_row or 0) + 1
    candidates = [i for i in range(start, len(rows)) if not _blank(rows[i])]
    sample = [_filled(rows[i]) for i in candidates[:NOTE_SAMPLE]]
    if len(sample) > 1 and statistics.median(sample) >= 2:
        while len(candidates) > 1 and _filled(rows[candidates[-1]]) == 1:
            index = candidates.pop()
            value = next(v for v in rows[index] if v is not None and v != "")
            issues.append(Issue("note_row_skipped", sheet.name, index + 1, value=value))
    kept: list[int] = []
    first_seen: dict[tuple, int] = {}
    for i in candidates:
        key = tuple(rows[i])
        if key in first_seen:
            issues.append(
                Issue("duplicate_row", sheet.name, i + 1, params={"first_row": first_seen[key]})
            )
            continue
        first_seen[key] = i + 1
        kept.append(i)
    data = SheetData(plan, sheet, kept, chosen_values=chosen_values or {})
    wanted = [c.index for c in plan.columns if c.target != IGNORE]
    if kept and wanted:
        width = max(wanted) + 1
        picked = [_padded(rows[i], width) for i in kept]
        transposed = list(zip(*picked, strict=True))
        data.cells = {col: list(transposed[col]) for col in wanted}
    else:
        data.cells = {col: [] for col in wanted}
    return data


def _padded(row: list[object], width: int) -> list[object]:
    return row if len(row) >= width else [*row, *([None] * (width - len(row)))]


def converter(
    column: Column, ctx: Context, chosen: dict[str, str] | None = None
) -> Callable[[object], object]:
    """What reads a cell of ``column``; ``chosen``: the user's answers about its values."""
    kind, _, vocabulary = column.kind.partition(":")
    if kind == "code":
        return partial(ctx.vocabularies[vocabulary].code, chosen=chosen)
    if kind == "codes":
        return partial(ctx.vocabularies[vocabulary].codes, chosen=chosen)
    if kind == "score":  # on the scale of the framework the hub's scores are shown on
        default = ctx.frameworks.get(DEFAULT_FRAMEWORK)
        return partial(as_score_minimum, scale=ctx.scales.get(default.scale if default else ""))
    return {
        "date": as_date,
        "int": as_int,
        "number": as_number,
        "rate": as_rate,
        "bool": as_bool,
        "list": as_list,
        "names": as_names,
        "raw": lambda v: v,
    }.get(kind, as_text)


def read_column(
    data: SheetData,
    col: int,
    convert: Callable[[object], object],
    issues: list[Issue],
    notes: Notes | None = None,
    limit: int = MAX_SHORT_TEXT,
    about: dict | None = None,
) -> list[object]:
    """Convert one column whole; a cell that fails (it becomes None) or earns a note is an issue
    at its address. A text longer than ``limit`` fails without being converted. ``about`` is
    added to the issues' parameters (the field a value question is about)."""
    converted = convert_column(data.cells[col], convert, notes, limit)
    letter, cells = column_letter(col), data.cells[col]
    about = about or {}
    issues.extend(
        Issue(code, data.name, data.rows[position] + 1, letter, cells[position], params | about)
        for position, code, params in (*converted.problems, *converted.notes)
    )
    return converted.values


def typed_fields(data: SheetData, ctx: Context, issues: list[Issue]) -> dict[str, list[object]]:
    """Every mapped field of the sheet, typed; required fields left blank are errors."""
    spec = data.plan.spec
    values: dict[str, list[object]] = {}
    for name, col in field_columns(data.plan).items():
        column = spec.column(name)
        notes = url_notes if column.kind == "url" else text_notes
        chosen = data.chosen_values.get(name)
        convert = converter(column, ctx, chosen)
        if column.kind == "date":
            month_first = slash_order(data.cells[col], data.plan.month_first)
            convert = partial(as_date, month_first=month_first)
        about = {"field": name}
        values[name] = read_column(data, col, convert, issues, notes, column.max_length, about)
        if column.kind.startswith("code"):
            _variants_read(data, col, name, ctx.vocabularies[column.kind.split(":")[1]], issues)
        if column.required:
            letter = column_letter(col)
            header = data.plan.columns_by_index()[col].title
            cells = data.cells[col]
            issues.extend(
                Issue(
                    "required_value_missing",
                    data.name,
                    data.rows[position] + 1,
                    letter,
                    params={"column_name": header},
                )
                for position, value in enumerate(values[name])
                # a cell that holds something unreadable has its own issue already
                if (value is None or value == []) and is_blank(cells[position])
            )
    return values


def _variants_read(
    data: SheetData, col: int, name: str, vocabulary: Vocabulary, issues: list[Issue]
) -> None:
    """One hint per distinct value read as a variant of a code ("asiantuntija" as an expert
    assessment), at its first cell and with the number of cells: never a silent guess."""
    chosen = data.chosen_values.get(name)
    cells = data.cells[col]
    found: dict[str, tuple[str, int, int]] = {}  # text -> (code, first position, cells)
    first: dict[object, int] = {}
    for position, cell in enumerate(cells):
        if isinstance(cell, str):
            first.setdefault(cell, position)
    several = data.plan.spec.column(name).kind.startswith("codes")
    for cell, position in first.items():
        for item in as_list(cell) if several else [cell]:
            try:
                read = vocabulary.read(item, chosen)
            except ValueProblem:
                continue
            if read and read[1] == "variant":
                code, at, count = found.get(fold(item), (read[0], position, 0))
                found[fold(item)] = (code, min(at, position), count + cells.count(cell))
    letter = column_letter(col)
    for code, position, count in found.values():
        issues.append(
            Issue(
                "value_variant",
                data.name,
                data.rows[position] + 1,
                letter,
                cells[position],
                {
                    "field": name,
                    "code": code,
                    "count": count,
                    "meaning": vocabulary.names[code],
                    "label_key": f"import.template.list.{vocabulary.table}",
                },
            )
        )


def field_columns(plan: SheetPlan) -> dict[str, int]:
    """Field -> the column it is read from."""
    return {
        target.removeprefix("field:"): col
        for target, col in plan.targets().items()
        if target.startswith("field:")
    }


def field_letters(plan: SheetPlan) -> dict[str, str]:
    return {name: column_letter(col) for name, col in field_columns(plan).items()}
