"""Read a workbook or CSV file into plain rows of cell values, with python-calamine.

The file's content decides how it is read, not its name: a workbook renamed to ``.xls`` still
reads, a PNG renamed to ``.xlsx`` is refused with a clear reason. Rows start at Excel row 1 and
column A (``skip_empty_area=False``), so that an index into them is the cell the user sees.
Formulas are never evaluated: calamine returns the value the spreadsheet program stored.
Merged cells are filled with their top-left value, as the user sees them on screen.

Reading is bounded by construction (``limits``): an xlsx is scanned before calamine sees it
(``xlsx_scan``), so that no sheet's grid, cell or merged area can cost more than the limits;
.xls and .ods, whose sizes calamine alone knows, are parsed in a child process with a memory
limit (``isolated``), where an abort cannot take the app with it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import re
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine as pc

from sihub.errors import ImportFileError
from sihub.importing.isolated import parse_isolated
from sihub.importing.limits import (
    MAX_CELL_CHARS,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_ROWS,
    MB,
    cell_name,
    far_cell,
    grid_too_large,
    located,
    unpacked_allowance,
)
from sihub.importing.limits import refuse as _refuse
from sihub.settings import max_upload_mb

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
SUFFIXES = (*EXCEL_SUFFIXES, ".csv")
# openpyxl loads every cell of a workbook, formatted empty ones too: about 4 s and 300 MB for
# 16 MB of XML (a 10,000-row export), 87 s and 1.2 GB for a sheet of a million formatted rows.
# Past this, the annotated copy is rebuilt from the values read (bounded by the limits).
COPY_UNPACKED_LIMIT = 16 * MB
CSV_DELIMITERS = (",", ";", "\t")  # on a tie the first: a one-column file is read with ","
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and encrypted .xlsx
_ENCRYPTED_OOXML = "EncryptionInfo".encode("utf-16-le")


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: list[list[object]]
    visible: bool = True
    merged: tuple[tuple[int, int, int, int], ...] = ()  # (row0, col0, row1, col1), inclusive

    def cell(self, row: int, col: int) -> object:
        """The value at 0-based ``row``/``col``, or None beyond the data."""
        if row < len(self.rows) and col < len(self.rows[row]):
            return self.rows[row][col]
        return None


@dataclass(frozen=True)
class Workbook:
    file_name: str
    sha256: str
    size: int
    sheets: tuple[Sheet, ...]
    format: str = "xlsx"  # xlsx | xls | ods | csv: what the content turned out to be
    # kept for the annotated copy (openpyxl copies it with its formatting); empty when that
    # copy would cost too much (COPY_UNPACKED_LIMIT), and it is rebuilt from the values
    data: bytes = field(default=b"", repr=False, compare=False)

    def sheet(self, name: str) -> Sheet | None:
        return next((s for s in self.sheets if s.name == name), None)


def read_workbook(
    source: bytes | str | Path,
    file_name: str | None = None,
    max_mb: float | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> Workbook:
    """Read ``source`` (bytes of an upload, or a path) into a Workbook, or raise ImportFileError.

    ``meanwhile`` runs in the calling thread while calamine parses the sheets in another one
    (calamine releases the GIL), so that what validation needs can be loaded at the same time.
    """
    if isinstance(source, (str, Path)):
        path = Path(source)
        file_name = file_name or path.name
        try:
            size = path.stat().st_size
            _check_size(size, file_name, max_mb)
            data = path.read_bytes()
        except OSError as e:
            raise _refuse("unreadable_file", file_name, e.strerror or str(e)) from e
    else:
        data = source
        file_name = file_name or "upload"
        _check_size(len(data), file_name, max_mb)
    if not data:
        raise _refuse("empty_file", file_name)
    kind = sniff(data, file_name)
    if kind == "csv":
        sheets = _read_csv(data, file_name)
        if meanwhile:
            meanwhile()
    else:
        sheets = _read_excel(data, file_name, kind, meanwhile)
    copy = data if kind != "xlsx" or _unpacked(data) <= COPY_UNPACKED_LIMIT else b""
    return Workbook(file_name, hashlib.sha256(data).hexdigest(), len(data), sheets, kind, copy)


def _unpacked(data: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return sum(i.file_size for i in book.infolist())


def _check_size(size: int, file_name: str, max_mb: float | None) -> None:
    limit = max_upload_mb() if max_mb is None else max_mb
    if size > limit * MB:
        shown = f"{megabytes_above(size, limit)} MB"
        raise _refuse("file_too_large", file_name, shown, limit_mb=f"{limit:g}")


def megabytes_above(size: int, limit_mb: float) -> str:
    """A file's size in MB, written with the limit's decimals (at least one) and rounded up,
    so that a file over the limit never reads as the limit: 1.2 (limit 1), 0.006 (0.001)."""
    shown = f"{limit_mb:g}"
    decimals = max(1, len(shown.split(".")[1]) if "." in shown else 0)
    scale = 10**decimals
    return f"{math.ceil(size / MB * scale) / scale:.{decimals}f}"


def sniff(data: bytes, file_name: str) -> str:
    """What the bytes are: ``xlsx``, ``ods``, ``xls`` or ``csv``; refuses anything else."""
    suffix = Path(file_name).suffix.lower()
    if data.startswith(_ZIP_MAGIC) or data[:4] == b"PK\x05\x06":
        return _sniff_zip(data, file_name)
    if data.startswith(_OLE_MAGIC):
        if _ENCRYPTED_OOXML in data[:1_000_000]:
            raise _refuse("encrypted_file", file_name)
        return "xls"
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")):
        raise _refuse("wrong_file_type", file_name, "HTML/XML")
    if suffix == ".csv" or (suffix in ("", ".txt") and _looks_like_text(data)):
        return "csv"
    if suffix in EXCEL_SUFFIXES:
        raise _refuse("wrong_file_type", file_name, suffix)
    raise _refuse("unsupported_type", file_name, suffix or file_name, types=", ".join(SUFFIXES))


def _looks_like_text(data: bytes) -> bool:
    sample = data[:4096]
    return b"\x00" not in sample and sum(b < 9 for b in sample) == 0


def _sniff_zip(data: bytes, file_name: str) -> str:
    """xlsx or ods by the parts the zip holds; refuse corrupt zips, bombs and encrypted ods."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
            names = {i.filename for i in infos}
            mimetype = _head(z, "mimetype", 100) if "mimetype" in names else b""
            manifest = (
                _head(z, "META-INF/manifest.xml", MB) if "META-INF/manifest.xml" in names else b""
            )
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, KeyError, RuntimeError) as e:
        raise _refuse("corrupt_file", file_name, str(e)[:120]) from e
    # How far an xlsx unpacks is learnt by reading it (xlsx_scan), where a cell can be named;
    # an .ods is parsed in a child process with a memory limit, but need not be read at all.
    unpacked = sum(i.file_size for i in infos)
    if "xl/workbook.xml" not in names and unpacked > unpacked_allowance(len(data)):
        raise _refuse("zip_bomb", file_name, f"{unpacked / MB:.0f} MB")
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        if "xl/workbook.bin" in names:
            raise _refuse("wrong_file_type", file_name, ".xlsb")
        return "xlsx"
    if b"opendocument.spreadsheet" in mimetype or "content.xml" in names:
        if b"encryption-data" in manifest:
            raise _refuse("encrypted_file", file_name)
        return "ods"
    if "word/document.xml" in names or "ppt/presentation.xml" in names:
        raise _refuse("wrong_file_type", file_name, "Word/PowerPoint")
    raise _refuse("wrong_file_type", file_name, "zip")


def _head(book: zipfile.ZipFile, name: str, size: int) -> bytes:
    """The first ``size`` bytes of a part (a hostile manifest may unpack to gigabytes)."""
    with book.open(name) as part:
        return part.read(size)


def _read_excel(
    data: bytes, file_name: str, kind: str, meanwhile: Callable[[], object] | None = None
) -> tuple[Sheet, ...]:
    """The sheets of a workbook, parsed in another thread (calamine releases the GIL) while
    ``meanwhile`` runs in this one."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        parsing = pool.submit(_parse_bounded, data, file_name, kind)
        if meanwhile:
            meanwhile()
        return parsing.result()


def _parse_bounded(data: bytes, file_name: str, kind: str) -> tuple[Sheet, ...]:
    """An xlsx after its scan, here; .xls and .ods in a child process with a memory limit."""
    if kind != "xlsx":
        return tuple(Sheet(*fields) for fields in parse_isolated(data, file_name))
    from sihub.importing.xlsx_scan import checked_xlsx

    return parse_excel(checked_xlsx(data, file_name), file_name)


def parse_excel(data: bytes, file_name: str) -> tuple[Sheet, ...]:
    """Every worksheet, as rows from A1; ImportFileError for a workbook calamine cannot read,
    or whose grids pass the limits (known only now for .xls and .ods)."""
    try:
        return _parse_sheets(pc.CalamineWorkbook.from_filelike(io.BytesIO(data)), file_name)
    except pc.PasswordError as e:
        raise _refuse("encrypted_file", file_name) from e
    except ImportFileError:
        raise
    except Exception as e:  # calamine raises several unrelated types for broken files
        raise _refuse(_calamine_code(e), file_name, str(e)[:160]) from e
    except BaseException as e:  # a panic in calamine's Rust code arrives as a BaseException
        if type(e).__name__ != "PanicException":
            raise
        raise _refuse("corrupt_file", file_name, str(e)[:160]) from e


def _calamine_code(error: Exception) -> str:
    """calamine refuses a sheet of more than 100 million cells itself (.ods): too much to read."""
    return "file_too_complex" if "Cell limit exceeded" in str(error) else "corrupt_file"


def _parse_sheets(book: pc.CalamineWorkbook, file_name: str) -> tuple[Sheet, ...]:
    sheets, cells = [], 0
    for meta in book.sheets_metadata:
        if meta.typ != pc.SheetTypeEnum.WorkSheet:
            continue
        raw = book.get_sheet_by_name(meta.name)
        cells += _checked_grid(raw, meta.name, file_name, cells)
        rows = _trim(raw.to_python(skip_empty_area=False))
        merged = tuple((a, b, c, d) for (a, b), (c, d) in raw.merged_cell_ranges or ())
        _fill_merged(rows, merged, meta.name, file_name)
        visible = meta.visible == pc.SheetVisibleEnum.Visible
        sheets.append(Sheet(meta.name, rows, visible, merged))
    return tuple(sheets)


def _checked_grid(raw: pc.CalamineSheet, sheet: str, file_name: str, cells_before: int) -> int:
    """The cells of a sheet's grid from A1, or sheet_too_large at its far corner.

    For an xlsx the scan has made sure already; for .xls and .ods calamine has just built the
    grid (in the child process), and the check keeps it from growing into Python lists.
    """
    end = raw.end
    if end is None:
        return 0
    rows, cols = end[0] + 1, end[1] + 1
    if rows > MAX_ROWS or cols > MAX_COLUMNS or cells_before + rows * cols > MAX_CELLS:
        far = far_cell(rows, cols, *_corner_cells(raw))
        raise grid_too_large(file_name, sheet, far, rows, cols)
    return rows * cols


def _corner_cells(raw: pc.CalamineSheet) -> tuple[tuple[int, int], tuple[int, int]]:
    """The cells that hold the sheet's last row and last column (the grid's corner itself
    may be empty), found a row at a time: this runs only to name them in a refusal."""
    last_row = last_col = (0, 0)
    start_col = (raw.start or (0, 0))[1]
    for r, row in enumerate(raw.iter_rows()):
        filled = [c for c, value in enumerate(row) if value != ""]
        if filled:
            last_row = (r, start_col + filled[0])
            if start_col + filled[-1] >= last_col[1]:
                last_col = (r, start_col + filled[-1])
    return last_row, last_col


def _trim(rows: list[list[object]]) -> list[list[object]]:
    """Trailing blank rows (formatted but empty) are dropped."""
    end = len(rows)
    while end and all(v is None or v == "" for v in rows[end - 1]):
        end -= 1
    del rows[end:]
    return rows


def _fill_merged(
    rows: list[list[object]],
    merged: tuple[tuple[int, int, int, int], ...],
    sheet: str,
    file_name: str,
) -> None:
    """Give every empty cell of a merged range the value of its top-left cell.

    Ranges that Excel writes never overlap, so together they cover each cell of the grid at
    most once: the work is bounded by the grid. A cell covered twice refuses the file at the
    range (2,000 copies of ``A1:ALL1000`` would otherwise be two billion cells to fill).
    """
    width = len(rows[0]) if rows else 0
    covered = bytearray(len(rows) * width)
    for declared in merged:
        r0, c0, r1, c1 = declared
        if r0 >= len(rows) or c0 >= width:
            continue
        r1, c1 = min(r1, len(rows) - 1), min(c1, width - 1)
        value = rows[r0][c0]
        for r in range(r0, r1 + 1):
            start, end = r * width + c0, r * width + c1 + 1
            if 1 in covered[start:end]:
                raise _overlap(file_name, sheet, declared)
            covered[start:end] = b"\x01" * (end - start)
            row = rows[r]
            for c in range(c0, c1 + 1):
                if row[c] is None or row[c] == "":
                    row[c] = value


def _overlap(file_name: str, sheet: str, merged: tuple[int, int, int, int]) -> ImportFileError:
    """merged_cells_overlap, naming the range (``Vastaukset!A1:ALL1000``)."""
    r0, c0, r1, c1 = merged
    error = located("merged_cells_overlap", file_name, sheet, r0, c0)
    error.values["cell"] = f"{error.values['cell']}:{cell_name(r1, c1)}"
    return error


def _read_csv(data: bytes, file_name: str) -> tuple[Sheet, ...]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise _refuse("csv_encoding", file_name) from e
    if "\x00" in text:
        raise _refuse("wrong_file_type", file_name, "binary")
    sheet = Path(file_name).stem
    delimiter = csv_delimiter(text.split("\n", 1)[0])
    if text.count(delimiter) > MAX_CELLS:  # before csv builds a row of millions of fields
        raise _refuse("too_many_cells", file_name, count=text.count(delimiter), limit=MAX_CELLS)
    rows = _csv_rows(text, delimiter, file_name, sheet)
    if len(text) > MAX_CELL_CHARS:
        _check_cell_lengths(rows, file_name, sheet)
    return (Sheet(sheet, _trim(rows)),)


def csv_delimiter(first_line: str) -> str:
    """The delimiter the header line uses most: ``,``, ``;`` (Excel in Finnish) or a tab."""
    return max(CSV_DELIMITERS, key=first_line.count)


def _csv_rows(text: str, delimiter: str, file_name: str, sheet: str) -> list[list[object]]:
    """The records of a CSV text; a field past the csv module's own limit is a too-long cell
    at its row and column, not a damaged file."""
    start = [0]  # where the next line starts in ``text``

    def lines():
        for line in io.StringIO(text, newline=""):
            start[0] += len(line)
            yield line

    rows: list[list[object]] = []
    reader = csv.reader(lines(), delimiter=delimiter)
    while True:
        record_start = start[0]
        try:
            rows.append(list(next(reader)))
        except StopIteration:
            return rows
        except csv.Error as e:
            if "field larger than field limit" not in str(e):
                raise _refuse("corrupt_file", file_name, str(e)) from e
            col = _long_field(text, record_start, delimiter)
            raise located(
                "cell_too_long", file_name, sheet, len(rows), col, limit=MAX_CELL_CHARS
            ) from e
        if len(rows) > MAX_ROWS:  # a file of empty lines would be millions of lists
            raise grid_too_large(file_name, sheet, (MAX_ROWS, 0), len(rows), len(rows[-1]))


_CSV_FIELD = {d: re.compile(rf'"(?:[^"]|"")*"|[^{re.escape(d)}"\r\n]*') for d in CSV_DELIMITERS}


def _long_field(text: str, start: int, delimiter: str) -> int | None:
    """The column of the first field longer than MAX_CELL_CHARS in the record at ``start``."""
    pos, col = start, 0
    while True:
        found = _CSV_FIELD[delimiter].match(text, pos)
        if len(found.group()) > MAX_CELL_CHARS:
            return col
        pos = found.end()
        if pos >= len(text) or text[pos] != delimiter:
            return None
        pos, col = pos + 1, col + 1


def _check_cell_lengths(rows: list[list[object]], file_name: str, sheet: str) -> None:
    """cell_too_long at the first cell past MAX_CELL_CHARS (only rows that long are looked at)."""
    for r, row in enumerate(rows):
        if sum(map(len, row)) > MAX_CELL_CHARS:
            for c, value in enumerate(row):
                if len(value) > MAX_CELL_CHARS:
                    raise located("cell_too_long", file_name, sheet, r, c, limit=MAX_CELL_CHARS)
