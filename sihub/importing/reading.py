"""Read a workbook or CSV file into plain rows of cell values, with python-calamine.

Rows start at Excel row 1 and column A (``skip_empty_area=False``), so that an index into
them is the cell the user sees. Formulas are never evaluated: calamine returns the value the
spreadsheet program stored, or nothing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

import python_calamine as pc

from sihub.errors import ImportFileError

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
SUFFIXES = (*EXCEL_SUFFIXES, ".csv")
# Uploads larger than this are refused before reading; staff can raise it for big pilots.
MAX_FILE_MB = float(os.environ.get("SIHUB_MAX_UPLOAD_MB", "50"))
# A zip that unpacks to more than this many times its size is treated as a zip bomb.
MAX_EXPANSION = 200
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and encrypted .xlsx


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: list[list[object]]
    visible: bool = True

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

    def sheet(self, name: str) -> Sheet | None:
        return next((s for s in self.sheets if s.name == name), None)


def read_workbook(source: bytes | str | Path, file_name: str | None = None) -> Workbook:
    """Read ``source`` (bytes of an upload, or a path) into a Workbook, or raise ImportFileError."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        file_name = file_name or path.name
        try:
            data = path.read_bytes()
        except OSError as e:
            raise ImportFileError(str(e), code="unreadable_file", file=file_name) from e
    else:
        data = source
        file_name = file_name or "upload"
    _check_size(data, file_name)
    suffix = Path(file_name).suffix.lower()
    if suffix == ".csv":
        sheets = (_read_csv(data, Path(file_name).stem),)
    elif suffix in EXCEL_SUFFIXES:
        sheets = _read_excel(data, file_name)
    else:
        raise ImportFileError(suffix, code="unreadable_file", file=file_name)
    return Workbook(file_name, hashlib.sha256(data).hexdigest(), len(data), sheets)


def _check_size(data: bytes, file_name: str) -> None:
    if len(data) > MAX_FILE_MB * 1024 * 1024:
        raise ImportFileError(
            f"{len(data)} bytes", code="file_too_large", file=file_name, limit_mb=MAX_FILE_MB
        )
    if not data:
        raise ImportFileError("empty", code="unreadable_file", file=file_name)


def _check_zip(data: bytes, file_name: str) -> None:
    """Refuse a corrupt zip or one that would unpack to far more than it weighs."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            unpacked = sum(info.file_size for info in z.infolist())
    except zipfile.BadZipFile as e:
        raise ImportFileError(str(e), code="unreadable_file", file=file_name) from e
    if unpacked > max(len(data), 1_000_000) * MAX_EXPANSION:
        raise ImportFileError(
            f"{unpacked} bytes unpacked",
            code="file_too_large",
            file=file_name,
            limit_mb=MAX_FILE_MB,
        )


def _read_excel(data: bytes, file_name: str) -> tuple[Sheet, ...]:
    if data.startswith(_ZIP_MAGIC):
        _check_zip(data, file_name)
    elif data.startswith(_OLE_MAGIC) and b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00" in data[:65536]:
        raise ImportFileError("encrypted", code="encrypted_file", file=file_name)
    try:
        book = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        for meta in book.sheets_metadata:
            if meta.typ != pc.SheetTypeEnum.WorkSheet:
                continue
            raw = book.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
            sheets.append(Sheet(meta.name, _trim(raw), meta.visible == pc.SheetVisibleEnum.Visible))
    except pc.PasswordError as e:
        raise ImportFileError(str(e), code="encrypted_file", file=file_name) from e
    except Exception as e:  # calamine raises several unrelated types for broken files
        raise ImportFileError(str(e)[:200], code="unreadable_file", file=file_name) from e
    return tuple(sheets)


def _trim(rows: list[list[object]]) -> list[list[object]]:
    """Blank cells become None; trailing blank rows (formatted but empty) are dropped."""
    cleaned = [[None if v == "" else v for v in row] for row in rows]
    while cleaned and all(v is None for v in cleaned[-1]):
        cleaned.pop()
    return cleaned


def _read_csv(data: bytes, name: str) -> Sheet:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ImportFileError("not UTF-8", code="unreadable_file", file=name) from e
    if "\x00" in text:
        raise ImportFileError("binary", code="unreadable_file", file=name)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    rows = [list(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)]
    return Sheet(name, _trim(rows))
