"""The hub template: sheets, instructions, drop-down lists, and reading it back."""

from __future__ import annotations

import io

import openpyxl
import pytest

from sihub import importing
from sihub.i18n import t
from sihub.importing.annotate import annotated_workbook
from sihub.importing.present import sheets_to_fill
from sihub.importing.template import write_template
from tests.builders import BY_STAFF
from tests.import_corpus import TODAY, csv_bytes, quirks_workbook


def _validations(ws) -> dict[str, str]:
    """Header of each validated column -> the list it draws from."""
    found = {}
    for rule in ws.data_validations.dataValidation:
        letter = str(rule.sqref).split(":")[0].rstrip("0123456789")
        found[ws[f"{letter}1"].value] = rule.formula1
    return found


def test_template_has_a_sheet_per_entity_instructions_and_lists(store):
    book = openpyxl.load_workbook(io.BytesIO(write_template(store, lang="fi")))
    assert book.sheetnames == [
        "Ohjeet",
        "Organisaatiot",
        "Innovaatiot",
        "Vaihehistoria",
        "Kehittämispolku",
        "Osallistujat",
        "Arvioinnit",
        "Kehittäjien vastaukset",
        "Rahoitus",
        "Myönnetty rahoitus",
        "Luettelot",
    ]
    assert book["Luettelot"].sheet_state == "hidden"
    assert book["Ohjeet"]["A1"].value == "SI Hubin tuontipohja"
    innovations = _validations(book["Innovaatiot"])
    assert innovations["Vaihe"] == "='Luettelot'!$D$2:$D$7"  # the six stages
    assert {"Alueet", "Kohderyhmät", "Teemat"} <= set(innovations)
    assessments = _validations(book["Arvioinnit"])
    assert "Uutuusarvo [novelty]" in assessments  # a drop-down for each criterion's scale
    assert "Arvioinnin tyyppi" in assessments
    lists = book["Luettelot"]
    column = next(c for c in lists[1] if c.value == "1-5").column_letter
    assert [lists[f"{column}{r}"].value for r in (2, 6)] == ["1 – heikko", "5 – erinomainen"]
    assert "Rahoittajan tyyppi" in _validations(book["Rahoitus"])


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_filled_template_reads_back_in_every_language(store, lang):
    book = openpyxl.load_workbook(io.BytesIO(write_template(store, lang=lang)))
    title = lambda entity: t(f"sheet.{entity}", lang=lang)  # noqa: E731
    innovations = book[title("Innovations")]
    header = [c.value for c in innovations[1]]
    row = [None] * len(header)
    row[header.index(t("field.Innovations.name", lang=lang))] = "Olohuone"
    row[header.index(t("field.Innovations.stage", lang=lang))] = _level(book, lang, "stages", 2)
    innovations.append(row)
    assessments = book[title("Assessments")]
    header = [c.value for c in assessments[1]]
    row = [None] * len(header)
    row[header.index(t("field.Assessments.innovation", lang=lang))] = "Olohuone"
    row[header.index(t("field.Assessments.assessor", lang=lang))] = "Åsa Öberg"
    row[header.index(t("field.Assessments.assessment_type", lang=lang))] = _level(
        book, lang, "assessment_types", 2
    )
    novelty = next(h for h in header if h.endswith("[novelty]"))
    row[header.index(novelty)] = _scale_label(book, lang, "1-5", 4)
    comment = next(h for h in header if h.startswith(novelty.split(" [")[0]) and h != novelty)
    row[header.index(comment)] = "Uusi tapa"
    assessments.append(row)
    out = io.BytesIO()
    book.save(out)
    parsed = importing.prepare(store, out.getvalue(), f"template-{lang}.xlsx", today=TODAY)
    assert parsed.layout == "hub"
    assert [(i.location, i.code) for i in parsed.issues if i.severity != "hint"] == []
    result = importing.commit(store, parsed, by=BY_STAFF)
    assert result.status == importing.IMPORTED
    assert store.rows("SELECT name, stage_code FROM innovations") == [("Olohuone", "proposals")]
    assert store.rows(
        "SELECT a.assessment_type, s.criterion_code, s.value, s.comment FROM scores s "
        "JOIN assessments a ON a.id = s.assessment_id"
    ) == [("peer", "novelty", 4.0, "Uusi tapa")]


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_template_as_downloaded_has_nothing_to_import_and_names_its_sheets(store, lang):
    """Not a file with errors: the page says which sheets to fill in, in the words of the
    template's own instructions sheet."""
    data = write_template(store, lang=lang)
    parsed = importing.prepare(store, data, f"template-{lang}.xlsx", today=TODAY)
    assert parsed.nothing_to_import and parsed.blocked
    assert [(i.location, i.code) for i in parsed.issues] == [("", "nothing_to_import")]
    book = openpyxl.load_workbook(io.BytesIO(data))
    instructions = [
        r[0] for r in book[t("sheet.Instructions", lang=lang)].iter_rows(values_only=True)
    ]
    listed = [f"• {sheet}: {holds}" for sheet, holds in sheets_to_fill(parsed.plan, lang)]
    assert len(listed) == 9 and set(listed) <= set(instructions)
    assert importing.commit(store, parsed, by=BY_STAFF).status == importing.NOTHING_TO_IMPORT


def _level(book, lang, key, n) -> str:
    lists = book[t("sheet.Lists", lang=lang)]
    column = next(c for c in lists[1] if c.value == t(f"import.template.list.{key}", lang=lang))
    return lists.cell(n + 1, column.column).value


def _scale_label(book, lang, scale, level) -> str:
    lists = book[t("sheet.Lists", lang=lang)]
    column = next(c for c in lists[1] if c.value == scale)
    return lists.cell(level + 1, column.column).value


def test_annotated_copy_marks_cells_and_lists_every_problem(store, tmp_path):
    parsed = importing.prepare(store, quirks_workbook(tmp_path / "q.xlsx"), today=TODAY)
    data = annotated_workbook(parsed.workbook, parsed.issues, "en")
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames[0] == "Check report"
    report = book["Check report"]
    rows = [[c.value for c in r] for r in report.iter_rows(min_row=2)]
    assert [(r[1], r[2]) for r in rows] == [(i.location, i.code) for i in parsed.issues]
    assert report["B2"].hyperlink.location or report["B2"].hyperlink.target
    cell = book["Vastaukset"]["G6"]  # the score 7
    assert cell.fill.fgColor.rgb.endswith("FFC7CE")
    assert "outside the scale" in cell.comment.text
    assert book["Vastaukset"]["B8"].fill.fgColor.rgb.endswith("FFEB9C")  # a warning
    assert book["Vastaukset"]["C3"].value == "Nuorten kohtaamo"  # the data stays as it was


def test_annotated_copy_of_a_csv_keeps_formula_text_as_text(store):
    rows = [["Innovaatio", "Arvioija", "Uutuusarvo (1–5)"], ["Olohuone", "=cmd|' /C calc'!A0", "9"]]
    parsed = importing.prepare(store, csv_bytes(rows), "vienti.csv", today=TODAY)
    book = openpyxl.load_workbook(
        io.BytesIO(annotated_workbook(parsed.workbook, parsed.issues, "fi"))
    )
    sheet = book["vienti"]
    assert sheet["B2"].data_type == "s" and sheet["B2"].value == "=cmd|' /C calc'!A0"
    assert "asteikon" in sheet["C2"].comment.text
    report = [[c.value for c in r] for r in book["Tarkistusraportti"].iter_rows(min_row=2)]
    assert all(not str(v).startswith("=") for r in report for v in r if v)
