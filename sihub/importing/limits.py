"""What reading one file may cost, as named limits with the reason for each.

A spreadsheet declares its size in ways that cost the reader far more than the file's bytes:
one cell at ``XFD1048576`` makes calamine allocate a grid of 17 billion cells (512 GB, an
abort that no ``try`` can catch), a 198 KB file can hold a 190 MB cell, one merged range
repeated 2,000 times is two billion cells to fill. Each limit below is far above what an
assessment export or the hub template needs and far below what would hurt the server; a file
beyond one is refused before the costly step, with the sheet and cell that crossed it.
"""

from __future__ import annotations

from sihub.errors import ImportFileError
from sihub.importing.issues import column_letter

MB = 1024 * 1024

# The grid of a sheet runs from A1 to its farthest cell that holds a value; calamine allocates
# 32 bytes for every cell of it and Python then a list slot (8 bytes) and a value.
MAX_ROWS = 200_000  # twice the 100,000-row export of the import benchmark (bench/import_speed)
MAX_COLUMNS = 1_024  # column AMJ: a form export has a few hundred columns at most
# All sheets of a workbook together. The benchmark's 100,000 rows x 31 columns are 3.1 million
# cells and peak at about 760 MB for the whole import; 4 million keeps a file under ~1 GB.
# The same bounds the cells with content and the shared strings: calamine keeps each in a
# list before it builds a grid, and a million copies of A1 would make a grid of one cell.
MAX_CELLS = 4_000_000

# Excel holds at most 32,767 characters in a cell and Google Sheets 50,000; validation reports
# anything past 32,767 at its cell. A longer value was not typed into a spreadsheet, and one of
# hundreds of MB would cost minutes in every later step, so it is refused while reading.
MAX_CELL_CHARS = 100_000
# ... and a cell's XML (text, rich-text runs, formula) may take at most this many bytes: four
# bytes a character of UTF-8 and room for formatting runs.
MAX_CELL_BYTES = 1 * MB

# Merged ranges: a form export has a handful, the template none. Each range costs calamine a few
# bytes and Python a tuple; filling a range costs its area, so the areas of all ranges of a
# sheet together may not exceed the sheet's grid (ranges that Excel writes never overlap).
MAX_MERGED_RANGES = 50_000

# Zip expansion. Real workbooks unpack to 3-15 times their size (Excel's formatted empty rows
# up to ~50 times); any file may unpack to the floor, which is read in a fraction of a second.
MAX_EXPANSION = 100
UNPACKED_FLOOR = 16 * MB
# Whatever the file's size: three times the 166 MB of the benchmark's 100,000-row export, a
# few seconds of reading, and what calamine keeps of it (text, lists) stays near a gigabyte.
MAX_UNPACKED = 512 * MB


def unpacked_allowance(packed_size: int) -> int:
    """How many bytes a zip of ``packed_size`` bytes may unpack to."""
    return min(MAX_UNPACKED, max(UNPACKED_FLOOR, MAX_EXPANSION * packed_size))


def cell_name(row: int, col: int) -> str:
    """0-based ``row``/``col`` as Excel names the cell: (1, 2) -> ``C2``."""
    return f"{column_letter(col)}{row + 1}"


def sheet_cell(sheet: str, row: int | None = None, col: int | None = None) -> str:
    """``Vastaukset!XFD1048576`` (quoted as Excel quotes a sheet name when it must)."""
    from sihub.importing.issues import Issue

    column = column_letter(col) if col is not None else None
    return Issue("sheet_too_large", sheet, None if row is None else row + 1, column).location


def refuse(code: str, file_name: str, detail: str = "", **values: object) -> ImportFileError:
    """The ImportFileError of a file that cannot be read, with the values its message needs."""
    return ImportFileError(detail or code, code=code, file=file_name, **values)


def located(
    code: str, file_name: str, sheet: str, row: int | None, col: int | None, **values: object
) -> ImportFileError:
    """A refusal at a cell (0-based ``row``/``col``) or a sheet (None), named in its message."""
    where = sheet_cell(sheet, row, col)
    error = refuse(code, file_name, where, cell=where, sheet=sheet, **values)
    error.values["row"] = None if row is None else row + 1
    error.values["column"] = None if col is None else column_letter(col)
    return error


def grid_too_large(
    file_name: str, sheet: str, far: tuple[int, int], rows: int, cols: int
) -> ImportFileError:
    """The refusal of a sheet whose grid (``rows`` x ``cols``) passes a limit; ``far`` is the
    0-based cell that makes it so."""
    return located(
        "sheet_too_large",
        file_name,
        sheet,
        *far,
        rows=rows,
        columns=cols,
        max_rows=MAX_ROWS,
        max_columns=MAX_COLUMNS,
        max_cells=MAX_CELLS,
    )


def far_cell(
    rows: int, cols: int, row_corner: tuple[int, int], col_corner: tuple[int, int]
) -> tuple[int, int]:
    """Which of two cells to name for a grid that is too large: the one that sets the extent
    past its own limit, else the one relatively farther out (``row_corner`` has the largest
    row, ``col_corner`` the largest column)."""
    if rows > MAX_ROWS:
        return row_corner
    if cols > MAX_COLUMNS:
        return col_corner
    return row_corner if rows / MAX_ROWS >= cols / MAX_COLUMNS else col_corner
