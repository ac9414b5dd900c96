"""A copy of an uploaded workbook with the cells that have problems highlighted and commented,
and a report sheet that lists every problem with a link to its cell.

Workbooks of Excel's own format are copied with their formatting (openpyxl); a ``.xls``,
``.ods`` or ``.csv`` file is rebuilt as ``.xlsx`` from the values that were read. Text that a
spreadsheet would run as a formula stays text.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook as OpenpyxlWorkbook

from sihub.exports import escape_formula
from sihub.i18n import current_language, t
from sihub.importing.issues import ERROR, HINT, WARNING, Issue
from sihub.importing.reading import Workbook

FILLS = {ERROR: "FFC7CE", WARNING: "FFEB9C", HINT: "DDEBF7"}  # Excel's own "bad/neutral" tints
MAX_COMMENTS = 5_000  # beyond this, cells are only coloured: comments make Excel slow
REPORT_COLUMNS = ("severity", "location", "code", "message", "value")


def annotated_workbook(
    workbook: Workbook, issues: Iterable[Issue], lang: str | None = None
) -> bytes:
    """The uploaded file as .xlsx with issues marked, and a report sheet in front."""
    lang = lang or current_language()
    issues = list(issues)
    book = _copy(workbook)
    _mark(book, issues, lang)
    _report_sheet(book, issues, lang)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _copy(workbook: Workbook) -> OpenpyxlWorkbook:
    if workbook.format == "xlsx" and workbook.data:
        try:
            return openpyxl.load_workbook(io.BytesIO(workbook.data), rich_text=False)
        except (InvalidFileException, KeyError, ValueError, OSError, TypeError):
            pass  # a workbook calamine reads and openpyxl does not: rebuild it from values
    return _rebuilt(workbook)


def _rebuilt(workbook: Workbook) -> OpenpyxlWorkbook:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for sheet in workbook.sheets:
        ws = book.create_sheet(_title(sheet.name, book))
        for r, row in enumerate(sheet.rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None or value == "":
                    continue
                cell = ws.cell(r, c, value)
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"  # a value typed as text stays text
        if not sheet.visible:
            ws.sheet_state = "hidden"
    return book


def _title(name: str, book: OpenpyxlWorkbook) -> str:
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:31] or "Sheet"
    while cleaned in book.sheetnames:
        cleaned = cleaned[:28] + "_"
    return cleaned


def _mark(book: OpenpyxlWorkbook, issues: list[Issue], lang: str) -> None:
    by_cell: dict[tuple[str, str], list[Issue]] = {}
    for issue in issues:
        if issue.sheet in book.sheetnames and issue.row:
            by_cell.setdefault((issue.sheet, f"{issue.column or 'A'}{issue.row}"), []).append(issue)
    order = (ERROR, WARNING, HINT)
    for n, ((sheet, address), found) in enumerate(by_cell.items()):
        worst = min((i.severity for i in found), key=order.index)
        cell = book[sheet][address]
        cell.fill = PatternFill("solid", fgColor=FILLS[worst])
        if n < MAX_COMMENTS:
            text = "\n".join(i.message(lang) for i in found)[:2000]
            cell.comment = Comment(text, "SI Hub", width=320, height=120)


def _report_sheet(book: OpenpyxlWorkbook, issues: list[Issue], lang: str) -> None:
    ws = book.create_sheet(_title(t("import.annotated.sheet", lang=lang), book), 0)
    ws.append([t(f"import.report.{c}", lang=lang) for c in REPORT_COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for issue in issues:
        ws.append(
            [
                t(f"import.severity.{issue.severity}", lang=lang),
                escape_formula(issue.location),
                issue.code,
                escape_formula(issue.message(lang)),
                escape_formula(issue.as_row(lang)["value"]),
            ]
        )
        if issue.sheet in book.sheetnames and issue.row:
            link = ws.cell(ws.max_row, 2)
            link.hyperlink = f"#{_quoted(issue.sheet)}!{issue.column or 'A'}{issue.row}"
            link.font = Font(color="2F6690", underline="single")
        ws.cell(ws.max_row, 1).fill = PatternFill("solid", fgColor=FILLS[issue.severity])
    if not issues:
        ws.append([t("import.report.none", lang=lang)])
    for letter, width in zip("ABCDE", (12, 22, 26, 90, 40), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    book.active = 0


def _quoted(sheet: str) -> str:
    return "'{}'".format(sheet.replace("'", "''"))
