"""The import test corpus, built by code: workbooks as pilots send them, and hostile files.

Files that must come from a real spreadsheet program (.xls, .ods, a password-protected
workbook) are committed under ``tests/files/``; ``tests/files/make_files.py`` says how they
were made from the workbooks built here.
"""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl

FILES = Path(__file__).resolve().parent / "files"
TODAY = date(2025, 6, 1)  # validation runs "today" on this date, so that dates stay stable

# Every table an import writes data to (not bookkeeping or derived tables): what a commit and
# its undo are compared on.
DATA_TABLES = (
    "organisations",
    "innovations",
    "innovation_regions",
    "innovation_themes",
    "innovation_target_groups",
    "innovation_organisations",
    "innovation_countries",
    "stage_history",
    "development_steps",
    "assessors",
    "assessments",
    "scores",
    "developer_answers",
    "funding_opportunities",
    "funding_awards",
)


def snapshot(store) -> dict[str, list[tuple]]:
    """Every row of every data table, in a stable order."""
    return {t: store.rows(f"SELECT * FROM {t} ORDER BY ALL") for t in DATA_TABLES}


# A form export as a survey tool writes it, with every quirk of the issue in it. The expected
# (location, code) pairs of its report are pinned in test_import_validation.py.
QUIRKS_SHEET = "Vastaukset"
QUIRKS_WIDTH = 13  # columns A:M
# row 5, and again as row 7: Excel serial date, blank and dash cells
_SERIAL_DATE_ROW = [
    3,
    45725,
    "Digitalkkari",
    "Kirjasto",
    "Anna Virtanen",
    None,
    "–",
    None,
    None,
    2,
    None,
    "",
    None,
]


def _padded(*cells: object, before: int = 0) -> list:
    """A row of QUIRKS_WIDTH cells: ``before`` blanks, then ``cells``, then blanks."""
    return [*([None] * before), *cells, *([None] * (QUIRKS_WIDTH - before - len(cells)))]


QUIRKS_ROWS = [
    # row 1: a group title over the criteria (merged G1:I1), row 2: the real header
    [
        "Vastaustunnus",
        "Valmistumisaika",
        "Arvioitava innovaatio",
        "Kehittäjäorganisaatio",
        "Arvioijan nimi",
        "Sähköposti",
        "Arviointikriteerit",
        None,
        None,
        "Q4 Nyhetsvärde",
        "Uutuusarvo – perustelut",
        "Effectiveness",
        "11. Kustannustehokkuus (1–5)",
    ],
    _padded(
        "1. Yhteiskunnallinen tarve (1–5)",
        "2. Käytäntöön vienti (1–5)",
        "Perustelut",
        before=6,
    ),
    # row 3: clean row: numbers, a datetime cell
    [
        1,
        datetime(2025, 3, 5, 10, 12),
        "Nuorten kohtaamo",
        "Kohtaamo ry",
        "Anna Virtanen",
        "anna@example.fi",
        4,
        5,
        "Hyvä kokeilu",
        3,
        "Uutta on se, että",
        4,
        3,
    ],
    # row 4: scale labels, decimal comma, number as text, dd.mm.yyyy text date, spaces/case
    [
        2,
        "6.3.2025",
        "  nuorten KOHTAAMO ",
        "Kohtaamo ry",
        "Mikko Korhonen",
        None,
        "4 – hyvä",
        "3,5",
        None,
        "4",
        None,
        "hyvä",
        None,
    ],
    _SERIAL_DATE_ROW,  # row 5
    # row 6: out of scale, unparseable date
    [
        4,
        "31.2.2025",
        "Digitalkkari",
        "Kirjasto",
        "Mikko Korhonen",
        None,
        7,
        3,
        None,
        3,
        None,
        3,
        None,
    ],
    # row 7: exact repeat of row 5
    list(_SERIAL_DATE_ROW),
    # row 8: same assessment as row 3 (same innovation and assessor), future date
    [
        5,
        "1.1.2026",
        "Nuorten kohtaamo",
        "Kohtaamo ry",
        "Anna Virtanen",
        None,
        2,
        2,
        None,
        2,
        None,
        2,
        None,
    ],
    # row 9: a row with nothing scored
    _padded(6, "7.3.2025", "Olohuone", "Kylätalo", "Laura Nieminen"),
    _padded(),
    # row 11: a note below the data
    _padded("Yhteensä 6 vastausta"),
]
QUIRKS_MERGED = ("G1:I1",)


def write_book(path: Path, sheets: dict[str, list[list]], *, hidden=(), merged=None) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(row)
        for cells in (merged or {}).get(title, ()):
            ws.merge_cells(cells)
        if title in hidden:
            ws.sheet_state = "hidden"
    book.save(path)
    return path


def quirks_workbook(path: Path) -> Path:
    """The form export with every quirk, plus a hidden lookup sheet."""
    return write_book(
        path,
        {QUIRKS_SHEET: QUIRKS_ROWS, "Piilo": [["Koodi", "Selite"], ["a", "b"]]},
        hidden=("Piilo",),
        merged={QUIRKS_SHEET: QUIRKS_MERGED},
    )


def wide_export(path: Path, rows: list[list], sheet: str = "Form responses 1") -> Path:
    """A small English form export: innovation, organisation, assessor, date, two criteria."""
    header = [
        "Timestamp",
        "Innovation name",
        "Organisation",
        "Assessor",
        "Round",
        "Q1 Societal need (1-5)",
        "Q2 Novelty (1-5)",
        "Novelty comment",
    ]
    return write_book(path, {sheet: [header, *rows]})


def long_export(path: Path) -> Path:
    """One row per (innovation, criterion, score), in Swedish, with two frameworks."""
    rows = [
        ["Innovation", "Bedömare", "Datum", "Kriterium", "Poäng", "Kommentar"],
        ["Nuorten kohtaamo", "Sanna Laine", "10.3.2025", "Nyhetsvärde", "4", "Ny modell"],
        ["Nuorten kohtaamo", "Sanna Laine", "10.3.2025", "Samhälleligt behov", 5, None],
        ["Nuorten kohtaamo", "Sanna Laine", "10.3.2025", "Införd i praktiken", "delvis", None],
        [
            "Nuorten kohtaamo",
            "Sanna Laine",
            "10.3.2025",
            "Ny jämfört med tidigare praxis",
            "yes",
            None,
        ],
        ["Digitalkkari", "Sanna Laine", "11.3.2025", "Nyhetsvärde", "3,5", None],
        ["Digitalkkari", "Sanna Laine", "11.3.2025", "Okänt kriterium", 3, None],
        ["Digitalkkari", "Sanna Laine", "11.3.2025", "Nyhetsvärde", 2, None],
    ]
    return write_book(path, {"Poäng": rows})


def csv_bytes(rows: list[list], delimiter: str = ";", bom: bool = True) -> bytes:
    text = "\r\n".join(delimiter.join("" if v is None else str(v) for v in row) for row in rows)
    return ("\ufeff" if bom else "").encode() + text.encode("utf-8")


# hostile files ---------------------------------------------------------------------------------
def truncated(path: Path) -> bytes:
    data = path.read_bytes()
    return data[: len(data) // 2]


def renamed_png() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


def empty_workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    book.active.title = "Sheet1"
    book.save(path)
    return path


def _rewrite(path: Path, out: Path, part: str, change, compresslevel: int | None = None) -> Path:
    """A copy of the workbook at ``path`` whose ``part`` (bytes) went through ``change``."""
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == part:
                data = change(data)
            dst.writestr(info, data, compresslevel=compresslevel)
    return out


def million_empty_rows(path: Path) -> Path:
    """A small export whose sheet carries 1,000,000 formatted but empty rows below the data."""
    base = wide_export(
        path.with_suffix(".base.xlsx"),
        [[datetime(2025, 3, 1), "Olohuone", "Kylätalo", "Laura Nieminen", 1, 4, 3, None]],
    )

    def pad(xml: bytes) -> bytes:
        rows = "".join(
            f'<row r="{n}" s="1" customFormat="1"><c r="A{n}" s="1"/></row>'
            for n in range(3, 1_000_001)
        )
        return xml.replace(b"</sheetData>", rows.encode() + b"</sheetData>")

    return _rewrite(base, path, "xl/worksheets/sheet1.xml", pad)


def zip_bomb(path: Path) -> Path:
    """A workbook whose sheet unpacks to 300 MB of blanks (a few hundred kB packed)."""
    base = wide_export(path.with_suffix(".base.xlsx"), [])

    def inflate(xml: bytes) -> bytes:
        return xml.replace(b"</worksheet>", b" " * 300_000_000 + b"</worksheet>")

    return _rewrite(base, path, "xl/worksheets/sheet1.xml", inflate, compresslevel=1)


def formulas_workbook(path: Path) -> Path:
    """Formulas (never evaluated), text that starts like a formula, long text, HTML names."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Responses"
    ws.append(["Innovation", "Assessor", "Novelty (1-5)", "Societal need (1-5)", "Summary"])
    ws.append(["<b>Bold</b> **idea**", '=HYPERLINK("x")', "=1+1", 4, "@SUM(A1)"])
    ws["B2"].data_type = "s"  # stored as text by the tool that exported it
    ws["E2"].data_type = "s"
    ws.append(["Plain [link](http://x)", "-Anna", 3, "=A1", "x" * 25_000])
    book.save(path)
    return path


def encrypted_bytes() -> bytes:
    return (FILES / "protected.xlsx").read_bytes()
