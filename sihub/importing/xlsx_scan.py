"""Know an xlsx workbook's real size before calamine builds anything from it.

Every part of the zip is streamed once, in pieces, and searched with byte patterns (never a
DOM): its true unpacked size (the zip's own figures can lie; zipfile checks them against the
CRC), each sheet's extent from its cells with content, the length of every cell and shared
string, the number of merged ranges.

What calamine does with a sheet, measured on python-calamine 0.9.1: it ignores the dimension
record (``A1:XFD1048576`` over four rows costs nothing) and sizes its grid from the cells that
hold a value, an empty string included, but not from formatted empty cells (``<c s="1"/>``,
``<v></v>``, a formula without a stored value). Hence:

- a sheet whose cells with content stay within the limits is read as it is (the usual case,
  decided by a few searches a piece: calamine's grid can only be smaller than that extent);
- otherwise its cells are classified exactly as calamine reads them: a value beyond a limit
  refuses the file at that cell (``Vastaukset!XFD1048576``); empty strings beyond it (a
  formula ``=""`` filled down to row 1,048,576) are dropped from a copy of the part, which is
  what calamine then reads: for the importer an empty string and an empty cell are the same.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sihub.errors import ImportFileError
from sihub.importing.limits import (
    MAX_CELL_BYTES,
    MAX_CELL_CHARS,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_MERGED_RANGES,
    MAX_ROWS,
    MAX_UNPACKED,
    MB,
    far_cell,
    grid_too_large,
    located,
    refuse,
    unpacked_allowance,
)
from sihub.importing.xlsx_cells import (
    CELL_END,
    CHUNK,
    CellReader,
    Extent,
    LongCell,
    attribute,
    cell_position,
    emptied,
    empty_cell_pattern,
    empty_row_pattern,
    too_long,
)

# Windows of a piece are checked for an item (cell, shared string) starting in them: an item
# longer than two windows always leaves one without, and MAX_CELL_CHARS is longer than two.
WINDOW = 32 * 1024
SHEET_ROOTS = (b"worksheet", b"dialogsheet", b"macrosheet")
# what zipfile raises for a damaged or unreadable zip (RuntimeError: an encrypted part)
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    NotImplementedError,
    RuntimeError,
    ValueError,
)

_ROOT = re.compile(rb"<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)[\s/>]")
_ANY_SHARED_STRING = re.compile(rb"<(?:[\w.-]+:)?si[\s>/]")


def checked_xlsx(data: bytes, file_name: str) -> bytes:
    """The bytes calamine may read for the xlsx/xlsm ``data``: the same bytes, or a copy whose
    sheets lost the empty-string cells that would have stretched their grid past the limits.

    Raises ImportFileError: zip_bomb, sheet_too_large, cell_too_long, too_many_merged_ranges,
    corrupt_file.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            trimmed = _WorkbookScan(book, file_name, len(data)).run()
            return _rewritten(book, trimmed) if trimmed else data
    except ZIP_ERRORS as e:
        raise refuse("corrupt_file", file_name, str(e)[:160]) from e


# the whole workbook -----------------------------------------------------------------------------
@dataclass
class _Budget:
    """Unpacked bytes actually read, against what a zip of this size may unpack to."""

    file_name: str
    allowance: int
    declared: int
    spent: int = 0

    def spend(self, count: int) -> None:
        self.spent += count
        if self.spent > self.allowance:
            raise self.bomb(max(self.spent, self.declared))

    def bomb(self, size: int) -> ImportFileError:
        return refuse("zip_bomb", self.file_name, f"{size / MB:.0f} MB")


class _WorkbookScan:
    def __init__(self, book: zipfile.ZipFile, file_name: str, packed: int) -> None:
        self.book, self.file_name = book, file_name
        infos = book.infolist()
        declared = sum(i.file_size for i in infos)
        self.budget = _Budget(file_name, unpacked_allowance(packed), declared)
        if declared > MAX_UNPACKED:
            raise self.budget.bomb(declared)
        if len({_normal(i.filename) for i in infos}) != len(infos):
            # calamine finds a part case-insensitively: of two by one name it might read the
            # one not scanned
            raise refuse("corrupt_file", file_name, "duplicate part names")
        self.names, shared = _workbook_parts(book, file_name)
        forced = dict.fromkeys(self.names, "sheet") | dict.fromkeys(shared, "sst")
        self.kinds = {i.filename: _part_kind(book, i, forced) for i in infos if not i.is_dir()}
        self.cells = 0  # grid cells of the sheets checked so far
        self.filled = 0  # cells with content (``</c>``) of the sheets scanned so far

    def run(self) -> dict[str, bytes]:
        """Scan every part; the sheets calamine should read from a trimmed copy."""
        trimmed = {}
        for info in sorted(self.book.infolist(), key=self._shared_strings_first):
            if info.is_dir():
                continue
            kind, prefix = self.kinds[info.filename]
            if kind == "sst":
                self._scan_shared_strings(info, prefix)
            elif kind == "sheet":
                part = self._scan_sheet(info, prefix)
                if part is not None:
                    trimmed[info.filename] = part
            else:
                self._scan_plain(info, xml=kind == "xml")
        return trimmed

    def _shared_strings_first(self, info: zipfile.ZipInfo) -> tuple[bool, str]:
        return (self.kinds.get(info.filename, ("",))[0] != "sst", info.filename)

    def sheet_name(self, info: zipfile.ZipInfo) -> str:
        return self.names.get(_normal(info.filename)) or info.filename.rsplit("/", 1)[-1]

    def sheets(self) -> Iterator[tuple[zipfile.ZipInfo, bytes]]:
        for info in self.book.infolist():
            kind, prefix = self.kinds.get(info.filename, ("", b""))
            if kind == "sheet":
                yield info, prefix

    def _scan_plain(self, info: zipfile.ZipInfo, xml: bool) -> None:
        """Any other part: read through (its true size counts and zipfile checks its CRC), and
        in XML refuse runs of text long enough to be padding."""
        scan = _ItemScan(_Markers.none(), self.budget, info.filename)
        for piece in _pieces(self.book, info, self.budget, scan.markers):
            if xml:
                scan.feed(piece)

    def _scan_shared_strings(self, info: zipfile.ZipInfo, prefix: bytes) -> None:
        scan = _SharedStringScan(_Markers.shared_strings(prefix), self.budget, info.filename)
        try:
            for piece in _pieces(self.book, info, self.budget, scan.markers):
                scan.feed(piece)
        except LongCell as long:
            raise self._long_string(long.where) from None

    def _long_string(self, index: int) -> ImportFileError:
        """cell_too_long at the first cell that shows shared string ``index``."""
        for info, prefix in self.sheets():
            found = _cell_showing_string(self.book, info, prefix, index)
            if found:
                sheet = self.sheet_name(info)
                return located("cell_too_long", self.file_name, sheet, *found, limit=MAX_CELL_CHARS)
        where = f"sharedStrings #{index + 1}"  # shown by no cell, read all the same
        return refuse("cell_too_long", self.file_name, where, cell=where, limit=MAX_CELL_CHARS)

    def _scan_sheet(self, info: zipfile.ZipInfo, prefix: bytes) -> bytes | None:
        sheet = self.sheet_name(info)
        scan = _SheetScan(_Markers.cells(prefix), self.budget, info.filename, prefix)
        try:
            for piece in _pieces(self.book, info, self.budget, scan.markers):
                scan.feed(piece)
                self._count_cells(scan.filled(piece), sheet)
        except LongCell as long:
            row, col = long.where
            raise located(
                "cell_too_long", self.file_name, sheet, row, col, limit=MAX_CELL_CHARS
            ) from None
        if scan.merged > MAX_MERGED_RANGES:
            raise located(
                "too_many_merged_ranges",
                self.file_name,
                sheet,
                None,
                None,
                count=scan.merged,
                limit=MAX_MERGED_RANGES,
            )
        if scan.uncertain:
            return self._read_exactly(info, prefix, sheet)
        if self._fits(scan.extent):
            self.cells += scan.extent.area
            return None
        return self._without_empty_cells(info, prefix, sheet)

    def _count_cells(self, count: int, sheet: str) -> None:
        """Cells with content, of all sheets: calamine lists them before it builds a grid."""
        self.filled += count
        if self.filled > MAX_CELLS:
            raise located(
                "too_many_cells",
                self.file_name,
                sheet,
                None,
                None,
                count=self.filled,
                limit=MAX_CELLS,
            )

    def _fits(self, extent: Extent) -> bool:
        return (
            extent.rows <= MAX_ROWS
            and extent.cols <= MAX_COLUMNS
            and self.cells + extent.area <= MAX_CELLS
        )

    def _without_empty_cells(self, info: zipfile.ZipInfo, prefix: bytes, sheet: str) -> bytes:
        """The part without the cells and rows that hold nothing (a formula without a stored
        value, an empty string, formatting), if the cells left fit; else sheet_too_large at
        the farthest of them.

        Every cell has its ``r`` here, so dropping some moves no other. A substitution a
        piece does it, in C: a million ``=""`` cells take a fraction of a second.
        """
        blank_strings = _blank_shared_strings(self.book, self.kinds)
        empty_cell = empty_cell_pattern(prefix, blank_strings)
        empty_row = empty_row_pattern(prefix)
        scan = _SheetScan(_Markers.cells(prefix), self.budget, info.filename, prefix)
        kept = []
        for piece in _pieces(self.book, info, None, scan.markers):
            piece = empty_row.sub(b"", empty_cell.sub(b"", piece))
            scan.feed(piece)
            kept.append(piece)
        extent = scan.extent
        if not self._fits(extent):
            corner = far_cell(extent.rows, extent.cols, extent.row_corner, extent.col_corner)
            raise grid_too_large(self.file_name, sheet, corner, extent.rows, extent.cols)
        self.cells += extent.area
        return b"".join(kept)

    def _read_exactly(self, info: zipfile.ZipInfo, prefix: bytes, sheet: str) -> bytes | None:
        """Place and classify every cell as calamine does (cells without ``r`` take their
        place from the cells before them); refuse a value past the limits, or return the part
        without its empty-string cells when only they stretch the grid. Slow (a few seconds
        a million cells), and only for sheets whose cells do not all say where they are."""
        cells = CellReader(_blank_shared_strings(self.book, self.kinds))
        try:
            for piece in _pieces(self.book, info, None, _Markers.cells(prefix)):
                cells.feed(piece)
                self._check_values(cells, sheet)  # values only grow: refuse as soon as seen
        except LongCell as long:
            row, col = long.where
            raise located(
                "cell_too_long", self.file_name, sheet, row, col, limit=MAX_CELL_CHARS
            ) from None
        if self._fits(cells.read):
            self.cells += cells.read.area
            return None
        self.cells += cells.values.area
        return emptied(self.book.read(info), cells.blank_spans)

    def _check_values(self, cells: CellReader, sheet: str) -> None:
        values = cells.values
        if not self._fits(values):
            corner = far_cell(values.rows, values.cols, values.row_corner, values.col_corner)
            raise grid_too_large(self.file_name, sheet, corner, values.rows, values.cols)
        if cells.tokens > MAX_ROWS + MAX_CELLS:  # rows and cells: the work of this path
            raise located(
                "too_many_cells",
                self.file_name,
                sheet,
                None,
                None,
                count=cells.tokens,
                limit=MAX_CELLS,
            )


def _rewritten(book: zipfile.ZipFile, parts: dict[str, bytes]) -> bytes:
    """A copy of the zip with ``parts`` replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as copy:
        for info in book.infolist():
            copy.writestr(info.filename, parts.get(info.filename) or book.read(info))
    return out.getvalue()


def _normal(name: str) -> str:
    """A part name as calamine compares them: case-insensitive, forward slashes, no leading /."""
    return name.replace("\\", "/").lstrip("/").lower()


def _workbook_parts(book: zipfile.ZipFile, file_name: str) -> tuple[dict[str, str], set[str]]:
    """The parts calamine reads as sheets (normalised name -> sheet name) and as shared
    strings, found as calamine finds them: xl/workbook.xml, its relationships, and
    xl/sharedStrings.xml."""
    parts = {_normal(i.filename): i for i in book.infolist()}
    workbook, rels = parts.get("xl/workbook.xml"), parts.get("xl/_rels/workbook.xml.rels")
    shared = {"xl/sharedstrings.xml"}
    if workbook is None or rels is None:
        return {}, shared
    if max(workbook.file_size, rels.file_size) > 16 * MB:  # a workbook of 1,000 sheets: 100 kB
        raise refuse("corrupt_file", file_name, "workbook.xml")
    targets = {}
    for tag in re.findall(rb"<(?:\w+:)?Relationship\s[^>]*>", book.read(rels)):
        ident, target = re.search(rb'\bId="([^"]*)"', tag), re.search(rb'\bTarget="([^"]*)"', tag)
        if ident and target:
            path = html.unescape(target.group(1).decode("utf-8", "replace"))
            targets[ident.group(1)] = _normal(path if path.startswith("/") else "xl/" + path)
            if b"/sharedStrings" in tag:
                shared.add(targets[ident.group(1)])
    names = {}
    for tag in re.findall(rb"<(?:\w+:)?sheet\s[^>]*>", book.read(workbook)):
        name, ident = re.search(rb'\bname="([^"]*)"', tag), re.search(rb':id="([^"]*)"', tag)
        if name and ident and ident.group(1) in targets:
            names[targets[ident.group(1)]] = html.unescape(name.group(1).decode("utf-8", "replace"))
    return names, shared


_PROLOG = re.compile(rb"(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*", re.S)


def _part_kind(
    book: zipfile.ZipFile, info: zipfile.ZipInfo, forced: dict[str, str]
) -> tuple[str, bytes]:
    """``sheet``, ``sst``, ``xml`` or ``binary``, and the namespace prefix of its elements.

    The parts calamine reads as sheets and shared strings are that, whatever they hold; any
    other part is what its root element says (not its name).
    """
    kind, prefix = _root(book, info)
    return forced.get(_normal(info.filename), kind), prefix


def _root(book: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[str, bytes]:
    """The kind of part its root element says, past a byte-order mark, the XML declaration,
    comments and any text before it (which the XML reader skips too)."""
    with book.open(info) as stream:
        head = stream.read(64 * 1024)
    if b"\x00" in head[:200]:
        return "binary", b""  # UTF-16 or binary: calamine reads no cells from it
    text = head.removeprefix(b"\xef\xbb\xbf")
    root = _ROOT.search(text, _PROLOG.match(text).end())
    if root is None:
        return "binary", b""
    name = root.group(2)
    kind = "sheet" if name in SHEET_ROOTS else "sst" if name == b"sst" else "xml"
    return kind, root.group(1) or b""


# pieces of a part -------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Markers:
    """The byte strings an item (a cell, a shared string) starts with, and how it ends."""

    starts: tuple[bytes, ...]
    end: re.Pattern

    @classmethod
    def cells(cls, prefix: bytes) -> _Markers:
        return cls((b"<" + prefix + b"c ", b"<" + prefix + b"c>"), CELL_END)

    @classmethod
    def shared_strings(cls, prefix: bytes) -> _Markers:
        end = re.compile(rb"</(?:[\w.-]+:)?si>")
        starts = (b"<" + prefix + b"si>", b"<" + prefix + b"si ", b"<" + prefix + b"si/")
        return cls(starts, end)

    @classmethod
    def none(cls) -> _Markers:
        return cls((), re.compile(b"(?!)"))

    def last_start(self, piece: bytes, start: int, end: int) -> int:
        """The last item start in ``piece[start:end]``, -1 if none; each marker after the
        start found so far only (the second marker is rare, and searching all of a piece
        for it would double the cost)."""
        last = -1
        for marker in self.starts:
            last = max(last, piece.rfind(marker, max(start, last + 1), end))
        return last

    def count(self, piece: bytes, end: int) -> int:
        return sum(piece.count(m, 0, end) for m in self.starts)

    def item_end(self, piece: bytes, start: int) -> int:
        """Where the item starting at ``start`` ends (past its last byte), -1 if not in piece."""
        tag_end = piece.find(b">", start)
        if tag_end < 0:
            return -1
        if piece[tag_end - 1] == ord("/"):
            return tag_end + 1
        closing = self.end.search(piece, tag_end)
        return closing.end() if closing else -1


def _pieces(
    book: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget | None, markers: _Markers
) -> Iterator[bytes]:
    """A part's unpacked bytes in pieces (``_pieces_of``), each read counted by ``budget``."""
    return _pieces_of(_reads(book, info, budget), markers)


def _reads(book: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget | None) -> Iterator[bytes]:
    with book.open(info) as stream:
        while data := stream.read(CHUNK):
            if budget is not None:
                budget.spend(len(data))
            yield data


def _pieces_of(chunks: Iterable[bytes], markers: _Markers) -> Iterator[bytes]:
    """Bytes in pieces of about CHUNK that never cut a tag and start with an item (given the
    markers items start with), so that each item is whole in one piece.

    A piece grows past CHUNK while one item runs on; past MAX_CELL_BYTES more it is handed
    over anyway (its item is too long, which the scanner then finds).
    """
    carry = b""
    for data in chunks:
        buf = carry + data
        cut = _cut(buf, markers)
        if cut is None and len(buf) > MAX_CELL_BYTES + CHUNK:
            cut = len(buf)
        if cut:
            yield buf[:cut]
        carry = buf[cut or 0 :]
    if carry:
        yield carry


def _cut(buf: bytes, markers: _Markers) -> int | None:
    """Where to end a piece: before the last item's start, or when no item is open, before a
    tag that is not complete yet (None: keep reading)."""
    last = markers.last_start(buf, 0, len(buf))
    if last > 0:
        return last
    if last == 0 and markers.item_end(buf, 0) < 0:
        return None
    lt = buf.rfind(b"<")
    if lt >= 0 and buf.find(b">", lt) < 0:
        return lt or None
    return len(buf)


# long items and padding -------------------------------------------------------------------------
class _ItemScan:
    """Finds an item (a cell, a shared string) longer than the limits, and text outside items
    long enough to be padding, by looking only at windows without an item start in them.

    Padding is a run of text without markup longer than MAX_CELL_BYTES: the XML reader would
    hold it whole. A shorter one (a long comment, a note) is harmless and read.
    """

    def __init__(self, markers: _Markers, budget: _Budget, part: str) -> None:
        self.markers, self.budget, self.part = markers, budget, part
        self.quiet = 0  # windows in a row without markup, across pieces

    def feed(self, piece: bytes) -> None:
        last, item_end = -1, -1
        for start in range(0, len(piece), WINDOW):
            end = min(start + WINDOW, len(piece))
            if start < item_end:
                continue  # inside an item already measured
            found = self.markers.last_start(piece, start, end)
            if found >= 0:
                last = found
                continue
            if last >= 0:
                item_end = self.markers.item_end(piece, last)
                if item_end < 0 or item_end > start:
                    if too_long(piece, last, item_end):
                        raise LongCell(self.where(piece, last))
                    continue
            if piece.find(b"<", start, end) >= 0:
                self.quiet = 0
            elif end - start == WINDOW:
                self.quiet += 1
                if self.quiet * WINDOW > MAX_CELL_BYTES:
                    raise self._padding()

    def where(self, piece: bytes, start: int) -> object:
        return None

    def _padding(self) -> ImportFileError:
        """Text outside any cell longer than MAX_CELL_BYTES: padding that makes a part large."""
        if self.budget.declared > self.budget.allowance:
            return self.budget.bomb(self.budget.declared)
        return refuse("corrupt_file", self.budget.file_name, f"{self.part}: text outside cells")


class _SharedStringScan(_ItemScan):
    """Shared strings, counted so that a long one is known by its index."""

    def __init__(self, markers: _Markers, budget: _Budget, part: str) -> None:
        super().__init__(markers, budget, part)
        self.items = 0  # in the pieces before this one

    def feed(self, piece: bytes) -> None:
        super().feed(piece)
        items = self.markers.count(piece, len(piece))
        if len(_ANY_SHARED_STRING.findall(piece)) != items:
            # calamine reads <si> in any namespace prefix; a part that mixes prefixes is not
            # one a spreadsheet program wrote, and its items could not be counted here
            raise refuse("corrupt_file", self.budget.file_name, f"{self.part}: mixed prefixes")
        self.items += items
        if self.items > MAX_CELLS:
            raise refuse("too_many_cells", self.budget.file_name, count=self.items, limit=MAX_CELLS)

    def where(self, piece: bytes, start: int) -> int:
        return self.items + self.markers.count(piece, start)


# sheets, quickly --------------------------------------------------------------------------------
class _SheetScan(_ItemScan):
    """A worksheet's extent over its cells with content (not ``<c …/>``), a piece at a time.

    The first piece is searched cell by cell; after it, one pattern finds only the cells past
    the extent known so far (rows grow down a sheet, so there are few). Cells whose ``r`` does
    not come first, or in another namespace prefix, make the extent ``uncertain``.
    """

    def __init__(self, markers: _Markers, budget: _Budget, part: str, prefix: bytes) -> None:
        super().__init__(markers, budget, part)
        self.prefix = prefix
        self.extent = Extent()
        self.uncertain = False
        self.merged = 0
        self._data_end = -1  # where sheetData ends, once seen
        # r not first, or there twice (calamine takes the last: <c r="A1" r="XFD1048576">),
        # or a row number with a leading zero (A0999999), which the patterns below compare
        # by its digits
        self._unusual = re.compile(
            b"<" + prefix + rb'c(?:[\t\r\n/>]| (?!r=")| r="(?:[A-Za-z]+0|[^"]*"(?=[^>]*\sr\s*=)))'
        )
        self._foreign = re.compile(
            rb"<(?!" + re.escape(prefix) + rb"c[\s/>])[A-Za-z_][\w.-]*:c[\s/>]"
        )
        self._content_cell = re.compile(b"<" + prefix + rb'c r="([A-Za-z]+[0-9]+)"[^>]*(?<!/)>')

    def feed(self, piece: bytes) -> None:
        super().feed(piece)
        self.merged += self._merged_ranges(piece)
        self.uncertain = self.uncertain or self._has_unusual_cells(piece)
        # the last cell first (the lowest, in a sheet in order), so that only the cells past
        # it are searched for, and taken one by one: each can only narrow the search
        self._add_last_content_cell(piece)
        start = 0
        while found := self._beyond(self.extent).search(piece, start):
            self._add(found.group(1))
            start = found.end()

    def filled(self, piece: bytes) -> int:
        """Cells with content in the piece (each ends with ``</c>``; empty ones are ``<c/>``)."""
        return piece.count(b"</" + self.prefix + b"c>")

    def _merged_ranges(self, piece: bytes) -> int:
        """Merged ranges follow the cells: counted from the end of sheetData on."""
        if self._data_end < 0:
            self._data_end = piece.find(b"</" + self.prefix + b"sheetData>")
            if self._data_end < 0:
                return 0
            return piece.count(b"<" + self.prefix + b"mergeCell ", self._data_end)
        return piece.count(b"<" + self.prefix + b"mergeCell ")

    def where(self, piece: bytes, start: int) -> tuple[int | None, int | None]:
        ref = attribute(piece[start : piece.find(b">", start) + 1], b"r", last=True)
        return cell_position(ref) if ref else (None, None)

    def _has_unusual_cells(self, piece: bytes) -> bool:
        if self._unusual.search(piece):
            return True
        return b":c" in piece and self._foreign.search(piece) is not None

    def _add_last_content_cell(self, piece: bytes) -> None:
        """The last cell with content in the piece, which is the lowest in a sheet in order."""
        closing = piece.rfind(b"</" + self.prefix + b"c>")
        start = piece.rfind(b"<" + self.prefix + b'c r="', 0, max(closing, 0))
        match = self._content_cell.match(piece, start) if start >= 0 else None
        if match:
            self._add(match.group(1))

    def _add(self, ref: bytes) -> None:
        row, col = cell_position(ref)
        if row is None:
            self.uncertain = True
        else:
            self.extent.add(row, col)

    def _beyond(self, extent: Extent) -> re.Pattern:
        """Cells with content whose row or column lies past ``extent``."""
        return re.compile(
            b"<"
            + self.prefix
            + rb'c r="((?:'
            + _letters_above(extent.cols)
            + rb")[A-Za-z]*[0-9]+|[A-Za-z]+(?:"
            + _digits_above(extent.rows)
            + rb'))"[^>]*(?<!/)>'
        )


def _digits_above(number: int) -> bytes:
    """A pattern for decimal numbers greater than ``number``."""
    text = str(number).encode()
    options = [rb"[1-9][0-9]{%d,}" % len(text)]
    for i, digit in enumerate(text):
        if digit < ord("9"):
            rest = len(text) - i - 1
            options.append(
                re.escape(text[:i])
                + b"[%c-9]" % (digit + 1)
                + (rb"[0-9]{%d}" % rest if rest else b"")
            )
    return b"|".join(options)


def _letters_above(count: int) -> bytes:
    """A pattern for column letters (any case) past the first ``count`` columns."""
    if count <= 0:
        return rb"[A-Za-z]"
    text = _column_letters(count - 1)
    options = [rb"[A-Za-z]{%d}" % (len(text) + 1)]
    for i, letter in enumerate(text):
        if letter < ord("Z"):
            rest = len(text) - i - 1
            same = b"".join(b"[%c%c]" % (c, c + 32) for c in text[:i])
            options.append(
                same
                + b"[%c-Z%c-z]" % (letter + 1, letter + 33)
                + (rb"[A-Za-z]{%d}" % rest if rest else b"")
            )
    return b"|".join(options)


def _column_letters(index: int) -> bytes:
    letters = b""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = bytes([65 + rest]) + letters
    return letters


def _blank_shared_strings(
    book: zipfile.ZipFile, kinds: dict[str, tuple[str, bytes]]
) -> frozenset[int]:
    """Indexes of the shared strings that are empty (``<si><t/></si>`` and the like)."""
    for name, (kind, prefix) in kinds.items():
        if kind != "sst":
            continue
        markers = _Markers.shared_strings(prefix)
        p = re.escape(prefix)
        blank = re.compile(
            b"<"
            + p
            + rb"si>(?:<"
            + p
            + rb"t(?:\s[^>]*)?/>|<"
            + p
            + rb"t(?:\s[^>]*)?></"
            + p
            + rb"t>)?</"
            + p
            + rb"si>"
        )
        found, before = set(), 0
        for piece in _pieces(book, book.getinfo(name), None, markers):
            for match in blank.finditer(piece):
                found.add(before + markers.count(piece, match.start()))
                if len(found) >= 10_000:  # more are treated as values: refused, not trimmed
                    return frozenset(found)
            before += markers.count(piece, len(piece))
        return frozenset(found)
    return frozenset()


def _cell_showing_string(
    book: zipfile.ZipFile, info: zipfile.ZipInfo, prefix: bytes, index: int
) -> tuple[int, int] | None:
    """The first cell of a sheet that shows shared string ``index``, if any."""
    p = re.escape(prefix)
    pattern = re.compile(
        b"<"
        + p
        + rb'c r="([A-Za-z]+[0-9]+)"[^>]*\bt="s"[^>]*>\s*<'
        + p
        + rb"v>\s*"
        + str(index).encode()
        + rb"\s*</"
    )
    for piece in _pieces(book, info, None, _Markers.cells(prefix)):
        match = pattern.search(piece)
        if match:
            row, col = cell_position(match.group(1))
            if row is not None:
                return row, col
    return None
