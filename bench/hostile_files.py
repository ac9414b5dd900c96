"""Hostile files of issue 10, and what reading each costs: exit code, time, peak memory.

Run: ``.venv/bin/python -m bench.hostile_files [--out DIR]``

Each file is built here (the tests build the same ones through these functions) and imported
with the command line (``python -m sihub import FILE --dry-run``) in a fresh process on a fresh
store, under an address-space limit of SAFETY_NET so that a regression cannot take the
machine with it. Peak memory is the largest resident size of the command and its children.

Targets (issue 10): every file refused (exit 1 or 2) with a message that names the cell where
there is one, in a few seconds and under 300 MB; the one whose far cells hold nothing read.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

import openpyxl

from bench import import_speed

ROOT = Path(__file__).resolve().parent.parent
FILES = ROOT / "tests" / "files"
SAFETY_NET = 4 * 1024**3  # address space of the measured command: a regression aborts, no more
TARGET_SECONDS, TARGET_MB = 5.0, 300
LOREM = b"Lorem ipsum dolor sit amet, consectetur adipiscing elit. "


# xlsx -------------------------------------------------------------------------------------------
def form_export_with_far_cell(path: Path, cell: str, value: object = "x") -> Path:
    """The form export's header, three answers, and one value at ``cell`` (e.g. XFD1048576)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Vastaukset"
    sheet.append(import_speed.header())
    for row in import_speed.rows(3, random.Random(3)):
        sheet.append(row)
    sheet[cell] = value
    book.save(path)
    return path


def with_extra_cells(source: Path, out: Path, part: str, cells: str) -> Path:
    """A copy of the workbook ``source`` whose ``part`` ends with ``cells`` (sheet XML)."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == part:
                data = data.replace(b"</sheetData>", cells.encode() + b"</sheetData>")
            dst.writestr(info, data)
    return out


def template_with_far_row(template: Path, out: Path, row: int = 1_000_000) -> Path:
    """The hub template with one name typed at row ``row`` of its first data sheet."""
    cell = f'<row r="{row}"><c r="A{row}" t="inlineStr"><is><t>Kaukana</t></is></c></row>'
    return with_extra_cells(template, out, "xl/worksheets/sheet2.xml", cell)


def formula_filled_down(path: Path, rows: int = 1_048_576) -> Path:
    """A form export whose column Z holds ``=""`` (an empty string) down to row ``rows``, as a
    formula filled down the whole column leaves it: nothing to read, everything to allocate."""
    base = form_export_with_far_cell(path.with_suffix(".base.xlsx"), "A1", "Vastaustunnus")
    cells = "".join(
        f'<row r="{r}"><c r="Z{r}" t="str"><f t="shared" si="0"/><v></v></c></row>'
        for r in range(6, rows + 1)
    )
    return with_extra_cells(base, path, "xl/worksheets/sheet1.xml", cells)


def minimal_xlsx(path: Path, parts: dict[str, Callable[[IO[bytes]], None]]) -> Path:
    """An xlsx of one sheet ``Vastaukset`` whose sheet (and shared strings) ``parts`` write
    themselves into their stream, so that a part of hundreds of MB is never held whole."""
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    relationships = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    )
    fixed = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
        'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        "</Types>",
        "_rels/.rels": f'{relationships}<Relationship Id="rId1" Type="{rel}/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        f'2006/main" xmlns:r="{rel}"><sheets><sheet name="Vastaukset" sheetId="1" r:id="rId1"/>'
        "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": f'{relationships}<Relationship Id="rId1" Type="{rel}/'
        f'worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{rel}/'
        'sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, text in fixed.items():
            z.writestr(name, text)
        for name, write in parts.items():
            with z.open(name, "w", force_zip64=True) as stream:
                write(stream)
    return path


_SHEET_HEAD = (
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>Arvioitava innovaatio</t></is></c>'
    b'<c r="B1" t="inlineStr"><is><t>Arvioijan nimi</t></is></c>'
    b'<c r="C1" t="inlineStr"><is><t>Perustelut</t></is></c></row>'
    b'<row r="2"><c r="A2" t="inlineStr"><is><t>Olohuone</t></is></c>'
    b'<c r="B2" t="inlineStr"><is><t>Anna Virtanen</t></is></c>'
)
_SHEET_TAIL = b"</row></sheetData></worksheet>"


def long_cell(path: Path, size: int = 190 * 1024**2, inline: bool = False) -> Path:
    """An xlsx of about 200 KB whose cell C2 holds ``size`` bytes of text: a shared string,
    or with ``inline`` a string in the sheet itself."""

    def text(stream: IO[bytes]) -> None:
        repeats = size // len(LOREM)
        for _ in range(repeats // 4096):
            stream.write(LOREM * 4096)
        stream.write(LOREM * (repeats % 4096))

    def inline_sheet(stream: IO[bytes]) -> None:
        stream.write(_SHEET_HEAD + b'<c r="C2" t="inlineStr"><is><t>')
        text(stream)
        stream.write(b"</t></is></c>" + _SHEET_TAIL)

    def shared_sheet(stream: IO[bytes]) -> None:
        stream.write(_SHEET_HEAD + b'<c r="C2" t="s"><v>0</v></c>' + _SHEET_TAIL)

    def shared_strings(stream: IO[bytes]) -> None:
        stream.write(
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
            b'uniqueCount="1"><si><t>'
        )
        text(stream)
        stream.write(b"</t></si></sst>")

    if inline:
        return minimal_xlsx(path, {"xl/worksheets/sheet1.xml": inline_sheet})
    parts = {"xl/sharedStrings.xml": shared_strings, "xl/worksheets/sheet1.xml": shared_sheet}
    return minimal_xlsx(path, parts)


def merged_copies(path: Path, copies: int = 2000, far_value: bool = False) -> Path:
    """The form export with ``copies`` copies of the merged range A1:ALL1000 (and with
    ``far_value`` a value at ALL1000, so that the grid really is 1,000 x 1,000)."""
    base = form_export_with_far_cell(
        path.with_suffix(".base.xlsx"), "ALL1000" if far_value else "A1", "x"
    )

    def merge(xml: bytes) -> bytes:
        merges = b'<mergeCell ref="A1:ALL1000"/>' * copies
        tail = b'<mergeCells count="%d">' % copies + merges + b"</mergeCells>"
        return xml.replace(b"</sheetData>", b"</sheetData>" + tail, 1)

    with zipfile.ZipFile(base) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            dst.writestr(info, merge(data) if info.filename.endswith("sheet1.xml") else data)
    return path


# csv, ods, xls ----------------------------------------------------------------------------------
def long_csv_cell(path: Path, chars: int = 200_000) -> Path:
    """A CSV whose cell C3 is longer than the csv module's field limit (131,072)."""
    rows = ["Arvioitava innovaatio;Arvioijan nimi;Perustelut", "Olohuone;Anna;Hyvä"]
    rows.append("Kotiapu;Mikko;" + "x" * chars)
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def ods_with_repeats(path: Path, rows: int, columns: int = 1) -> Path:
    """An .ods whose last row holds a value after ``rows`` repeated empty rows, in column
    ``columns`` (both declared with number-…-repeated, a few bytes each)."""
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )

    def cell(value: str | None, repeat: int = 1) -> str:
        times = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
        if value is None:
            return f"<table:table-cell{times}/>"
        return (
            f'<table:table-cell office:value-type="string"{times}>'
            f"<text:p>{value}</text:p></table:table-cell>"
        )

    header = "".join(cell(v) for v in ("Arvioitava innovaatio", "Arvioijan nimi", "Perustelut"))
    body = f"<table:table-row>{header}</table:table-row>"
    body += f'<table:table-row table:number-rows-repeated="{rows}">{cell(None)}</table:table-row>'
    far = (cell(None, columns - 1) if columns > 1 else "") + cell("kaukana")
    body += f"<table:table-row>{far}</table:table-row>"
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} '
        'office:version="1.2"><office:body><office:spreadsheet><table:table '
        f'table:name="Vastaukset">{body}</table:table></office:spreadsheet></office:body>'
        "</office:document-content>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:'
            'oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:'
            'full-path="/" manifest:media-type="application/vnd.oasis.opendocument.'
            'spreadsheet"/></manifest:manifest>',
        )
        z.writestr("content.xml", content)
    return path


def xls_far_cell(path: Path) -> Path:
    """tests/files/quirks.xls with its one NUMBER cell moved to IV65536, the last cell of an
    .xls sheet: a grid of 16.7 million cells declared by four bytes."""
    data = bytearray((FILES / "quirks.xls").read_bytes())
    number = data.find(b"\x03\x02\x0e\x00")  # NUMBER record: type, length, row, column, ...
    data[number + 4 : number + 8] = (65535).to_bytes(2, "little") + (255).to_bytes(2, "little")
    path.write_bytes(bytes(data))
    return path


# measuring --------------------------------------------------------------------------------------
def hostile_files(out: Path, template: Path) -> dict[str, tuple[Path, tuple[int, ...]]]:
    """Every hostile file of issue 10, built into ``out``, with the exit codes expected: 2
    unreadable, 1 blocked; 0 for the one that holds nothing far out and is read, trimmed."""
    refused = (1, 2)
    return {
        "XFD1048576 (6 KB)": (form_export_with_far_cell(out / "xfd.xlsx", "XFD1048576"), refused),
        "AX1048576 (6 KB)": (form_export_with_far_cell(out / "ax.xlsx", "AX1048576"), refused),
        "template, row 1,000,000": (template_with_far_row(template, out / "pohja.xlsx"), refused),
        "190 MB shared string": (long_cell(out / "pitka.xlsx"), refused),
        "190 MB inline string": (long_cell(out / "pitka-inline.xlsx", inline=True), refused),
        "2,000 x merged A1:ALL1000": (merged_copies(out / "yhdistetty.xlsx"), refused),
        "... over a 1,000 x 1,000 grid": (
            merged_copies(out / "yhdistetty2.xlsx", far_value=True),
            refused,
        ),
        '="" down to row 1,048,576': (formula_filled_down(out / "kaava.xlsx"), (0,)),
        "csv cell of 200,000 chars": (long_csv_cell(out / "pitka.csv"), refused),
        "ods, value at row 1,000,002": (ods_with_repeats(out / "rivit.ods", 1_000_000), refused),
        "ods, 90 M cells declared": (ods_with_repeats(out / "iso.ods", 90_000, 1000), refused),
        "xls, value at IV65536": (xls_far_cell(out / "kaukana.xls"), refused),
    }


def run_cli(path: Path, db: Path, extra_env: dict | None = None) -> dict:
    """``python -m sihub import path --dry-run`` in a child under SAFETY_NET: its exit code,
    output, wall time and peak memory (this process's children only: call it in a fresh one)."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (SAFETY_NET, SAFETY_NET))

    command = ["import", str(path), "--dry-run", "--db", str(db)]
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "sihub", "--lang", "en", *command],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        preexec_fn=limit,
        env={**os.environ, **(extra_env or {})},
    )
    return {
        "exit": done.returncode,
        "seconds": time.perf_counter() - started,
        "peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "output": done.stdout + done.stderr,
    }


def _measure_in_fresh_process(path: Path, db: Path) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "bench.hostile_files", "--child", str(path), str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.hostile_files")
    parser.add_argument("--out", help="where to build the files (default: a temporary folder)")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(run_cli(Path(args.child[0]), Path(args.child[1]))))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(args.out) if args.out else Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        db = out / "bench.duckdb"
        subprocess.run(
            [sys.executable, "-m", "sihub", "template", str(out / "template.xlsx"), "--db", db],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        missed = 0
        print(f"{'file':30} {'KB':>8} {'exit':>4} {'s':>6} {'peak MB':>8}  message")
        for name, (path, expected) in hostile_files(out, out / "template.xlsx").items():
            result = _measure_in_fresh_process(path, db)
            lines = [ln for ln in result["output"].splitlines() if "rror" in ln or "!" in ln]
            ok = (
                result["exit"] in expected
                and result["seconds"] <= TARGET_SECONDS
                and result["peak_mb"] <= TARGET_MB
            )
            missed += not ok
            print(
                f"{name:30} {path.stat().st_size / 1024:>8.0f} {result['exit']:>4} "
                f"{result['seconds']:>6.2f} {result['peak_mb']:>8.0f}  "
                f"{(lines[0] if lines else result['output'].strip()[-100:])[:150]}"
                f"{'' if ok else '  <- target missed'}",
                flush=True,
            )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
