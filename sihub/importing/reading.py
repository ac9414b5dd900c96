"""Read a workbook or CSV file into plain rows of cell values, with python-calamine.

The file's content decides how it is read, not its name: a workbook renamed to ``.xls`` still
reads, a PNG renamed to ``.xlsx`` is refused with a clear reason. Rows start at Excel row 1 and
column A (``skip_empty_area=False``), so that an index into them is the cell the user sees.
Formulas are never evaluated: calamine returns the value the spreadsheet program stored.
Merged cells are filled with their top-left value, as the user sees them on screen.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine as pc

from sihub.errors import ImportFileError

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
SUFFIXES = (*EXCEL_SUFFIXES, ".csv")
DEFAULT_MAX_MB = 50.0  # uploads above SIHUB_MAX_UPLOAD_MB (default 50) are refused before reading
# A zip that unpacks to more than this many times its size (and more than 200 MB) is refused
# as a zip bomb; real workbooks compress about 5-15 times.
MAX_EXPANSION = 100
MAX_UNPACKED = 2_000_000_000  # nor more than 2 GB whatever its size
MAX_MERGED_FILL = 1_000_000  # cells filled from merged ranges; beyond this a range is odd
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and encrypted .xlsx
_ENCRYPTED_OOXML = "EncryptionInfo".encode("utf-16-le")


def max_upload_mb() -> float:
    """The configured upload limit in MB (``SIHUB_MAX_UPLOAD_MB``), read at each call."""
    try:
        return float(os.environ.get("SIHUB_MAX_UPLOAD_MB", DEFAULT_MAX_MB))
    except ValueError:
        return DEFAULT_MAX_MB


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
    data: bytes = field(default=b"", repr=False, compare=False)  # kept for the annotated copy

    def sheet(self, name: str) -> Sheet | None:
        return next((s for s in self.sheets if s.name == name), None)


def _refuse(code: str, file_name: str, detail: str = "", **values: object) -> ImportFileError:
    return ImportFileError(detail or code, code=code, file=file_name, **values)


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
        sheets = _read_excel(data, file_name, meanwhile)
    return Workbook(file_name, hashlib.sha256(data).hexdigest(), len(data), sheets, kind, data)


def _check_size(size: int, file_name: str, max_mb: float | None) -> None:
    limit = max_upload_mb() if max_mb is None else max_mb
    if size > limit * 1024 * 1024:
        raise _refuse(
            "file_too_large",
            file_name,
            f"{size / 1024 / 1024:.1f} MB",
            limit_mb=f"{limit:g}",
        )


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
            mimetype = z.read("mimetype")[:100] if "mimetype" in names else b""
            manifest = z.read("META-INF/manifest.xml") if "META-INF/manifest.xml" in names else b""
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, KeyError) as e:
        raise _refuse("corrupt_file", file_name, str(e)[:120]) from e
    unpacked = sum(i.file_size for i in infos)
    if unpacked > MAX_UNPACKED or (unpacked > 200_000_000 and unpacked > len(data) * MAX_EXPANSION):
        raise _refuse("zip_bomb", file_name, f"{unpacked / 1024 / 1024:.0f} MB")
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


def _read_excel(
    data: bytes, file_name: str, meanwhile: Callable[[], object] | None = None
) -> tuple[Sheet, ...]:
    with ThreadPoolExecutor(max_workers=1) as pool:
        parsing = pool.submit(_parse_excel, data)
        if meanwhile:
            meanwhile()
        try:
            return parsing.result()
        except pc.PasswordError as e:
            raise _refuse("encrypted_file", file_name) from e
        except Exception as e:  # calamine raises several unrelated types for broken files
            raise _refuse("corrupt_file", file_name, str(e)[:160]) from e


def _parse_excel(data: bytes) -> tuple[Sheet, ...]:
    book = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    sheets = []
    for meta in book.sheets_metadata:
        if meta.typ != pc.SheetTypeEnum.WorkSheet:
            continue
        raw = book.get_sheet_by_name(meta.name)
        rows = _trim(raw.to_python(skip_empty_area=False))
        merged = tuple((a, b, c, d) for (a, b), (c, d) in raw.merged_cell_ranges or ())
        _fill_merged(rows, merged)
        visible = meta.visible == pc.SheetVisibleEnum.Visible
        sheets.append(Sheet(meta.name, rows, visible, merged))
    return tuple(sheets)


def _trim(rows: list[list[object]]) -> list[list[object]]:
    """Trailing blank rows (formatted but empty) are dropped."""
    end = len(rows)
    while end and all(v is None or v == "" for v in rows[end - 1]):
        end -= 1
    del rows[end:]
    return rows


def _fill_merged(rows: list[list[object]], merged: tuple[tuple[int, int, int, int], ...]) -> None:
    """Give every cell of a merged range the value of its top-left cell."""
    for r0, c0, r1, c1 in merged:
        if r0 >= len(rows) or (r1 - r0 + 1) * (c1 - c0 + 1) > MAX_MERGED_FILL:
            continue
        value = rows[r0][c0] if c0 < len(rows[r0]) else None
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            row = rows[r]
            for c in range(c0, min(c1, len(row) - 1) + 1):
                if row[c] is None or row[c] == "":
                    row[c] = value


def _read_csv(data: bytes, file_name: str) -> tuple[Sheet, ...]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise _refuse("csv_encoding", file_name) from e
    if "\x00" in text:
        raise _refuse("wrong_file_type", file_name, "binary")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        rows = [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as e:
        raise _refuse("corrupt_file", file_name, str(e)) from e
    return (Sheet(Path(file_name).stem, _trim(rows)),)
