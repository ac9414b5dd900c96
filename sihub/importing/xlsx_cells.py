"""Where calamine puts each cell of an xlsx sheet, and what it reads from it.

Measured on python-calamine 0.9.1 (and read in calamine's cell reader): a cell goes where its
``r`` says (the last ``r`` when a tag has two, any case of letters), else after the cell
before it in its row, the row being the last ``<row r>`` plus the rows closed since. Its
value is what its ``<v>`` or ``<is>`` holds: nothing (a formatted empty cell, an empty
``<v>``, a formula without a stored value) costs nothing, but an empty string stretches the
grid like any value. ``xlsx_scan`` uses this where its quick search cannot decide.
"""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass, field

from sihub.importing.limits import MAX_CELL_BYTES, MAX_CELL_CHARS, MB

CHUNK = 4 * MB  # unpacked bytes read at a time
EMPTY, BLANK, VALUE = 0, 1, 2  # what calamine makes of a cell: nothing, "", a value
_ATTRIBUTE = {
    name: re.compile(rb"(?:^|\s)" + name + rb"""\s*=\s*(?:"([^"]*)"|'([^']*)')""")
    for name in (b"r", b"t")
}
_REF = re.compile(rb"([A-Za-z]+)([0-9]+)$")
_TAGS = re.compile(rb"<[^>]*>")


class LongCell(Exception):
    """A cell or shared string past MAX_CELL_BYTES / MAX_CELL_CHARS (where: (row, col) or the
    shared string's index)."""

    def __init__(self, where: object) -> None:
        super().__init__(where)
        self.where = where


def too_long(piece: bytes, start: int, end: int) -> bool:
    """Whether the item at ``piece[start:end]`` (``end`` -1: it does not end in the piece) is
    longer than a cell may be."""
    if end < 0:
        return True
    return end - start > MAX_CELL_BYTES or text_chars(piece[start:end]) > MAX_CELL_CHARS


def text_chars(item: bytes) -> int:
    """Characters of text in an item's XML (tags left out; entities count as written)."""
    if len(item) <= MAX_CELL_CHARS:
        return len(item)  # no more characters than bytes: no need to look
    return len(_TAGS.sub(b"", item).decode("utf-8", "replace"))


@dataclass
class Extent:
    """The rows and columns a set of cells spans from A1, and the cells farthest out."""

    rows: int = 0
    cols: int = 0
    row_corner: tuple[int, int] = (0, 0)
    col_corner: tuple[int, int] = (0, 0)

    @property
    def area(self) -> int:
        return self.rows * self.cols

    def add(self, row: int, col: int) -> None:
        if row >= self.rows:
            self.rows, self.row_corner = row + 1, (row, col)
        if col >= self.cols:
            self.cols, self.col_corner = col + 1, (row, col)


def cell_position(ref: bytes) -> tuple[int | None, int | None]:
    """``B2`` (any case) -> (1, 1) as calamine reads it; (None, None) for what it cannot."""
    match = _REF.match(ref.strip())
    if not match or int(match.group(2)) == 0:
        return None, None
    col = 0
    for letter in match.group(1).upper():
        col = col * 26 + letter - 64
    return int(match.group(2)) - 1, col - 1


def attribute(tag: bytes, name: bytes, last: bool = False) -> bytes | None:
    """An attribute's value: the first, as calamine reads a row's; or with ``last`` the last,
    as it reads a cell's (it loops over them all and keeps what it saw last)."""
    if last:
        *_, match = (None, *_ATTRIBUTE[name].finditer(tag))
    else:
        match = _ATTRIBUTE[name].search(tag)
    if match is None:
        return None
    return match.group(1) if match.group(1) is not None else match.group(2)


# sheets, exactly --------------------------------------------------------------------------------
_TOKEN = re.compile(
    rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>"
    rb"|<(/?)(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>",
    re.S,
)
CELL_END = re.compile(rb"</(?:[\w.-]+:)?c>")
_INLINE = re.compile(rb"<(?:[\w.-]+:)?is[\s/>]")
_VALUE = re.compile(rb"<(?:[\w.-]+:)?v(?:\s[^>]*)?(/?)>")


@dataclass
class CellReader:
    """Every cell of a sheet, placed as calamine places it (its ``r``, else after the previous
    cell) and classified as calamine reads it: EMPTY, BLANK (an empty string) or VALUE."""

    blank_strings: frozenset[int]
    values: Extent = field(default_factory=Extent)
    read: Extent = field(default_factory=Extent)  # what calamine's grid spans: values and ""
    # the empty-string cells: offsets of start, end of the start tag, end
    blank_spans: array = field(default_factory=lambda: array("q"))
    offset: int = 0  # of the pending bytes in the part
    pending: bytes = b""  # an unfinished cell or tag, carried to the next piece
    row: int = 0
    col: int = 0
    tokens: int = 0  # rows and cells read

    def feed(self, piece: bytes) -> None:
        data, pos, stop = self.pending + piece, 0, None
        while stop is None:
            token = _TOKEN.search(data, pos)
            if token is None:
                stop = _unfinished_tag(data, pos)
                break
            self.tokens += 1
            closing, name, attributes = token.groups()
            if name == b"c" and not closing:
                end = self._cell(data, token, attributes)
                if end < 0:  # the cell goes on in the next piece
                    stop = token.start()
                pos = end
            else:
                pos = token.end()
                if name == b"row":
                    self._row(closing, attributes)
        self.offset += stop
        self.pending = data[stop:]
        if len(self.pending) > MAX_CELL_BYTES + CHUNK:
            raise LongCell(cell_position(attribute(self.pending[:200], b"r", last=True) or b""))

    def _row(self, closing: bytes | None, attributes: bytes) -> None:
        if not closing:
            ref = attribute(attributes, b"r")
            if ref is not None and ref.strip().isdigit() and int(ref) > 0:
                self.row = int(ref) - 1
        if closing or attributes.endswith(b"/"):
            self.row, self.col = self.row + 1, 0

    def _cell(self, data: bytes, token: re.Match, attributes: bytes) -> int:
        """Place and classify one cell; where it ends in ``data``, -1 if not in it."""
        ref = attribute(attributes, b"r", last=True)
        row, col = cell_position(ref) if ref is not None else (None, None)
        if row is None:
            row, col = self.row, self.col
        if attributes.endswith(b"/"):
            self.col = col + 1
            return token.end()
        closing = CELL_END.search(data, token.end())
        if closing is None:
            return -1
        self.col = col + 1
        content = data[token.end() : closing.start()]
        if too_long(data, token.start(), closing.end()):
            raise LongCell((row, col))
        kind = _kind(content, attributes, self.blank_strings)
        if kind != EMPTY:
            self.read.add(row, col)
        if kind == VALUE:
            self.values.add(row, col)
        elif kind == BLANK:
            start = self.offset + token.start()
            self.blank_spans.extend((start, self.offset + token.end(), self.offset + closing.end()))
        return closing.end()


def empty_cell_pattern(prefix: bytes, blank_strings: frozenset[int]) -> re.Pattern:
    """Cells with an ``r`` that hold nothing for the importer: at most a formula, and an empty
    value, inline string or shared string (``<c r="Z9" t="str"><f t="shared" si="0"/><v></v>
    </c>``, ``<c r="Z9" t="s"><v>0</v></c>`` where string 0 is empty)."""
    p = re.escape(prefix)
    start = b"<" + p + rb'c r="[A-Za-z]+[0-9]+"'
    formula = b"(?:<" + p + rb"f\b[^>]*/>|<" + p + rb"f\b[^>]*>[^<]*</" + p + b"f>)?"
    value = b"(?:<" + p + rb"v\s*/>|<" + p + b"v></" + p + b"v>)?"
    text = b"(?:<" + p + rb"t\s*/>|<" + p + rb"t(?:\s[^>]*)?></" + p + b"t>)?"
    inline = b"(?:<" + p + rb"is\s*/>|<" + p + b"is>" + text + b"</" + p + b"is>)?"
    end = b"</" + p + b"c>"
    empty = start + rb"[^>]*(?<!/)>" + formula + value + inline + end
    if not blank_strings:
        return re.compile(empty)
    indexes = b"|".join(str(i).encode() for i in sorted(blank_strings)[:100])
    shared = (
        start
        + rb'(?=[^>]*\bt="s")[^>]*(?<!/)>'
        + formula
        + b"<"
        + p
        + b"v>(?:"
        + indexes
        + b")</"
        + p
        + b"v>"
        + end
    )
    return re.compile(empty + b"|" + shared)


def empty_row_pattern(prefix: bytes) -> re.Pattern:
    """Rows without cells (formatting only); only where every cell has its ``r``."""
    p = re.escape(prefix)
    return re.compile(b"<" + p + rb"row\b[^>]*(?:/>|(?<!/)></" + p + b"row>)")


def _unfinished_tag(data: bytes, pos: int) -> int:
    """Where a tag that the piece cuts short begins (after ``pos``), else the piece's end."""
    lt = data.rfind(b"<", pos)
    return lt if lt >= 0 and data.find(b">", lt) < 0 else len(data)


def _kind(content: bytes, attributes: bytes, blank_strings: frozenset[int]) -> int:
    """What calamine makes of a cell with this content: EMPTY, BLANK (an empty string), VALUE."""
    kind = attribute(attributes, b"t", last=True)
    if _INLINE.search(content):
        return VALUE if _TAGS.sub(b"", content) else BLANK
    value = _VALUE.search(content)
    if value is None or kind in (b"inlineStr", b"is"):
        return EMPTY
    text = b"" if value.group(1) else content[value.end() : content.find(b"<", value.end())]
    if kind in (None, b"n", b"b", b"e"):
        return VALUE if text else EMPTY
    if kind == b"s":
        index = text.strip()
        if not index:
            return EMPTY
        return BLANK if index.isdigit() and int(index) in blank_strings else VALUE
    return VALUE if text else BLANK


def emptied(part: bytes, spans: array) -> bytes:
    """``part`` with each cell of ``spans`` (start, end of start tag, end) made an empty cell
    (``<c r="Z9" t="str">…</c>`` -> ``<c r="Z9" t="str"/>``): a cell without ``r`` after it
    keeps its place, which dropping the cell would move."""
    kept, last = [], 0
    for i in range(0, len(spans), 3):
        start, tag_end, end = spans[i : i + 3]
        kept += (part[last:start], part[start : tag_end - 1], b"/>")
        last = end
    kept.append(part[last:])
    return b"".join(kept)
