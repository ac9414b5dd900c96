"""The hub template: an .xlsx with one sheet per entity, an instructions sheet and drop-down
lists (data validation) for criteria scores, stages, regions, target groups and the other
coded fields, in one of the three languages. The importer reads it back in any language.
"""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from sihub.db.store import Store
from sihub.i18n import localized, t
from sihub.importing.specs import SPECS, SheetSpec

TEMPLATE_ENTITIES = frozenset(spec.entity for spec in SPECS)
ROWS = 2000  # rows that carry the drop-down lists
DEFAULT_FRAMEWORK = "si_tool"  # the framework whose criteria get comment columns
HEADER_FILL = "D9E4EE"
# Coded fields and the vocabulary table their drop-down lists come from
VOCABULARY_OF = {
    "org_types": "org_types",
    "regions": "regions",
    "scopes": "scopes",
    "stages": "stages",
    "themes": "themes",
    "target_groups": "target_groups",
    "funder_types": "funder_types",
    "instruments": "instruments",
    "assessment_types": "assessment_types",
    "countries": "countries",
    "initiative_types": "initiative_types",
    "funding_sources": "funding_sources",
    "participant_roles": "participant_roles",
    "lead_types": "lead_types",
}


def write_template(store: Store, out: str | Path | None = None, lang: str = "fi") -> bytes:
    """The template as bytes (and written to ``out`` when given)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    _instructions(book.create_sheet(t("sheet.Instructions", lang=lang)), lang)
    lists = _lists(book, store, lang)
    for spec in SPECS:
        _entity_sheet(
            book.create_sheet(t(f"sheet.{spec.entity}", lang=lang)), spec, store, lists, lang
        )
    book.move_sheet(lists.title, offset=len(book.sheetnames))
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    if out is not None:
        Path(out).write_bytes(data)
    return data


class Lists:
    """The hidden sheet of drop-down values: one column per list, referenced by validations."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.ranges: dict[str, str] = {}

    @property
    def title(self) -> str:
        return self.ws.title

    def add(self, key: str, title: str, values: list[str]) -> None:
        col = len(self.ranges) + 1
        self.ws.cell(1, col, title).font = Font(bold=True)
        for row, value in enumerate(values, start=2):
            self.ws.cell(row, col, value)
        letter = get_column_letter(col)
        self.ranges[key] = f"{quote_sheetname(self.title)}!${letter}$2:${letter}${len(values) + 1}"


def _lists(book: openpyxl.Workbook, store: Store, lang: str) -> Lists:
    lists = Lists(book.create_sheet(t("sheet.Lists", lang=lang)))
    lists.ws.sheet_state = "hidden"
    for key, table in VOCABULARY_OF.items():
        names = [
            localized(r, "name", lang)
            for r in store.records(f"SELECT * FROM {table} ORDER BY sort_order")
        ]
        lists.add(key, t(f"import.template.list.{key}", lang=lang), names)
    frameworks = store.records("SELECT * FROM frameworks ORDER BY sort_order, code")
    lists.add(
        "frameworks",
        t("field.Assessments.framework", lang=lang),
        [localized(f, "name", lang) for f in frameworks],
    )
    for scale in store.records("SELECT code FROM scales ORDER BY code"):
        labels = [
            localized(r, "label", lang)
            for r in store.records(
                "SELECT * FROM scale_levels WHERE scale_code = ? ORDER BY sort_order",
                [scale["code"]],
            )
        ]
        lists.add(f"scale:{scale['code']}", scale["code"], labels)
    lists.add(
        "bool",
        t("import.template.list.bool", lang=lang),
        [t("import.template.yes", lang=lang), t("import.template.no", lang=lang)],
    )
    return lists


FIELD_LISTS = {  # field -> (list, several values allowed)
    "org_type": ("org_types", False),
    "region": ("regions", False),
    "scope": ("scopes", False),
    "stage": ("stages", False),
    "regions": ("regions", True),
    "themes": ("themes", True),
    "target_groups": ("target_groups", True),
    "funder_type": ("funder_types", False),
    "instrument": ("instruments", False),
    "eligible_applicant_types": ("org_types", True),
    "stage_fit": ("stages", True),
    "geographic_scope": ("scopes", False),
    "assessment_type": ("assessment_types", False),
    "framework": ("frameworks", False),
    "country": ("countries", False),
    "countries": ("countries", True),
    "initiative_type": ("initiative_types", False),
    "funding_source": ("funding_sources", False),
    "role": ("participant_roles", False),
    "lead_type": ("lead_types", False),
}


def _criteria(store: Store) -> list[dict]:
    return store.records(
        "SELECT c.* FROM criteria c JOIN frameworks f ON f.code = c.framework_code "
        "WHERE NOT c.retired ORDER BY f.sort_order, f.code, c.sort_order"
    )


def _entity_sheet(ws: Worksheet, spec: SheetSpec, store: Store, lists: Lists, lang: str) -> None:
    headers: list[tuple[str, str | None, bool, str]] = []  # text, list, several, help
    for column in spec.columns:
        listed, several = FIELD_LISTS.get(column.field, (None, False))
        if column.kind == "bool":
            listed = "bool"
        help_key = "import.template.help_several" if several else "import.template.help_list"
        headers.append((spec.label(column.field, lang), listed, several, t(help_key, lang=lang)))
    if spec.takes_criteria:
        criteria = _criteria(store)
        codes = [c["code"] for c in criteria]
        for c in criteria:
            code = (
                c["code"] if codes.count(c["code"]) == 1 else f"{c['framework_code']}.{c['code']}"
            )
            name = localized(c, "name", lang)
            headers.append(
                (
                    f"{name} [{code}]",
                    f"scale:{c['scale_code']}",
                    False,
                    t("import.template.help_score", lang=lang),
                )
            )
        for c in criteria:
            if c["framework_code"] == DEFAULT_FRAMEWORK:
                text = t("import.template.comment", lang=lang, criterion=localized(c, "name", lang))
                headers.append((text, None, False, ""))
    for col, (text, listed, _, help_text) in enumerate(headers, start=1):
        cell = ws.cell(1, col, text)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(col)].width = max(14, min(40, len(text) + 2))
        if listed:
            _validation(ws, col, lists.ranges[listed], help_text)
    ws.freeze_panes = "B2"


def _validation(ws: Worksheet, col: int, source: str, help_text: str) -> None:
    """A drop-down list; other values only warn (decimals, several regions, other languages)."""
    rule = DataValidation(
        type="list",
        formula1=f"={source}",
        allow_blank=True,
        showDropDown=False,  # openpyxl's name is inverted: False shows the arrow
        showErrorMessage=True,
        errorStyle="warning",  # the importer checks; a typed value (3,5; two regions) may stay
        promptTitle="SI Hub",
        prompt=help_text[:250],
        showInputMessage=bool(help_text),
    )
    letter = get_column_letter(col)
    rule.add(f"{letter}2:{letter}{ROWS + 1}")
    ws.add_data_validation(rule)


def sheet_help(entity: str, lang: str | None = None) -> str | None:
    """What a sheet of the template holds, as its instructions say; None for a sheet of another
    kind (a form export)."""
    if entity not in TEMPLATE_ENTITIES:
        return None
    return t(f"import.template.sheet_help.{entity}", lang=lang)


def _instructions(ws: Worksheet, lang: str) -> None:
    ws.column_dimensions["A"].width = 110
    ws.cell(1, 1, t("import.template.title", lang=lang)).font = Font(bold=True, size=14)
    lines = [t(f"import.template.instructions.{n}", lang=lang) for n in range(1, 9)]
    sheets = [
        "• {}: {}".format(t(f"sheet.{spec.entity}", lang=lang), sheet_help(spec.entity, lang))
        for spec in SPECS
    ]
    for row, text in enumerate([*lines[:3], *sheets, *lines[3:]], start=3):
        cell = ws.cell(row, 1, text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
