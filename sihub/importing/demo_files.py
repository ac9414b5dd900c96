"""Files made from demo data, recognised so that fictional records never slip into a real store.

Every export of a demo store, and every workbook the demo is built from, carries the marks of
``sihub.exports``: ``-DEMO`` at the end of its name, and a cell ``dataset`` with ``demo`` beside
or below it (the first column of a CSV, the top of an about sheet). Imported into a store that
does not hold demo data itself, such a file is refused with an error at the mark unless the
user insists (``--allow-demo`` on the command line, a checkbox on the Import page).
"""

from __future__ import annotations

from pathlib import Path

from sihub.exports import DEMO_MARK, DEMO_SUFFIX
from sihub.importing.issues import Issue, column_letter
from sihub.importing.reading import Sheet, Workbook

# The marks are at the top left of a sheet; a wide or long file costs no more than this corner.
SCAN_ROWS = 50
SCAN_COLUMNS = 50


def _says(value: object, text: str) -> bool:
    return isinstance(value, str) and value.strip().lower() == text


def _mark_in(sheet: Sheet) -> Issue | None:
    """The ``dataset`` cell with ``demo`` to its right or below it, as an issue at that cell."""
    label, value = DEMO_MARK
    for r, row in enumerate(sheet.rows[:SCAN_ROWS]):
        for c, cell in enumerate(row[:SCAN_COLUMNS]):
            if _says(cell, label) and (
                _says(sheet.cell(r, c + 1), value) or _says(sheet.cell(r + 1, c), value)
            ):
                return Issue("demo_export", sheet.name, r + 1, column_letter(c), cell)
    return None


def demo_mark(workbook: Workbook) -> Issue | None:
    """Where ``workbook`` says it was made from demo data (a cell, else its name), or None."""
    for sheet in workbook.sheets:
        found = _mark_in(sheet)
        if found is not None:
            return found
    if DEMO_SUFFIX in Path(workbook.file_name).stem:  # "calls-DEMO (1).csv" too
        return Issue("demo_export", value=workbook.file_name)
    return None


def refusal(workbook: Workbook, store_is_demo: bool, allow_demo: bool) -> list[Issue]:
    """The error that stops a demo file from entering a real store, unless the user insists.

    A demo store takes demo files back without asking: nothing real is there to mix them with.
    """
    if allow_demo or store_is_demo:
        return []
    found = demo_mark(workbook)
    return [] if found is None else [found]
