"""Problems found in an imported file, as data: code, severity and the cell as Excel shows it.

Messages come from the locale catalogues (``issue.<code>``), so a report reads in the user's
language and every code is guaranteed a message by a completeness test.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sihub.i18n import LANGUAGES, current_language, format_date, t

ERROR = "error"  # blocks the commit
WARNING = "warning"  # imported, but look at it
HINT = "hint"  # a suggestion

# Every issue code the importer can raise, with its severity. A test checks each has a message
# in every language and that the report uses no other code.
ISSUE_CODES: dict[str, str] = {
    # the file as a whole
    "unreadable_file": ERROR,
    "empty_file": ERROR,
    "file_too_large": ERROR,
    "encrypted_file": ERROR,
    "corrupt_file": ERROR,
    "wrong_file_type": ERROR,
    "unsupported_type": ERROR,
    "csv_encoding": ERROR,
    "zip_bomb": ERROR,
    "sheet_too_large": ERROR,  # a value far beyond an export's size (limits.MAX_ROWS, …)
    "cell_too_long": ERROR,  # past limits.MAX_CELL_CHARS: refused while reading
    "too_many_cells": ERROR,  # cells with content or shared strings past limits.MAX_CELLS
    "too_many_merged_ranges": ERROR,
    "merged_cells_overlap": ERROR,
    "file_too_complex": ERROR,  # an .xls/.ods that needs more memory or time than allowed
    "empty_workbook": ERROR,
    "no_known_sheet": ERROR,
    "nothing_to_import": ERROR,  # headers, but not one row to write: no empty batch
    "demo_export": ERROR,  # made from demo data, for a real store (``demo_files``)
    # sheets and their header rows
    "no_header": ERROR,
    "sheet_skipped": HINT,
    "hidden_sheet_skipped": HINT,
    "missing_required_column": ERROR,
    "duplicate_column": WARNING,
    "ignored_column": HINT,
    "unnamed_column": WARNING,  # data under a blank header: not imported unless mapped
    "unknown_mapping_target": WARNING,  # a saved mapping names a field or criterion not here
    "unknown_criterion_column": WARNING,  # until mapped, or confirmed to be left out
    "respondent_number_column": HINT,  # 1, 2, 3… under an assessor-like header: left out
    "column_left_out": HINT,  # another column names the same field more surely
    "header_scale_mismatch": ERROR,  # "(0–5)" over a 1–5 criterion: until the user says which
    "other_framework_column": ERROR,  # a criterion of another framework than the sheet's
    "counting_column_left_out": WARNING,  # the type, assessor or round column left out
    "fuzzy_header": HINT,
    "default_assessment_type": HINT,
    # rows and cells
    "required_value_missing": ERROR,
    "unknown_code": ERROR,  # until the user says what it means (Mapping.values)
    "value_variant": HINT,  # read as the one code it is a variant of ("asiantuntija": expert)
    "unknown_criterion": ERROR,
    "criterion_not_in_framework": ERROR,
    "unknown_framework": ERROR,
    "score_not_on_scale": ERROR,
    "score_out_of_range": ERROR,
    "bad_date": ERROR,
    "bad_number": ERROR,
    "score_above_scale": ERROR,  # a minimum score above the top of the scale it is typed on
    "bad_boolean": ERROR,
    "bad_url": WARNING,
    "future_date": WARNING,
    "unknown_innovation": ERROR,
    "near_match": ERROR,  # until the user says whether it is the same record or a new one
    "duplicate_row": WARNING,
    "duplicate_record": ERROR,
    "duplicate_assessment": ERROR,
    "no_scores": WARNING,
    "note_row_skipped": HINT,
    "formula_text": HINT,
    "text_too_long": WARNING,
    "value_too_long": ERROR,  # past what a cell of its column may hold (values.max_length)
    "amount_range_reversed": ERROR,
    "deadline_before_opening": ERROR,
    "duration_range_reversed": ERROR,
    "negative_amount": ERROR,
    "share_out_of_range": ERROR,  # a funding rate or minimum score beyond 0-100 %
    "no_deadline": WARNING,  # neither a deadline nor "continuous": it would look open for ever
    "regional_call_without_regions": WARNING,
    "not_checked": HINT,
    "minimum_below_one": ERROR,  # a consortium of no partners or from no country
    "more_countries_than_partners": ERROR,
    # an innovation's SIM case-study fields
    "project_end_before_start": ERROR,
    "budget_without_currency": ERROR,  # an amount in no currency cannot be compared or sent
    "bad_currency": ERROR,  # not a three-letter ISO 4217 code ("EUR")
    "bad_programming_period": ERROR,  # not "2021–2027"
}


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: the column as Excel labels it."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True)
class Issue:
    """One problem at one place. ``row`` is the Excel row number (1-based), ``column`` a letter."""

    code: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: object = None
    params: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def severity(self) -> str:
        return ISSUE_CODES[self.code]

    @property
    def blocking(self) -> bool:
        return self.severity == ERROR

    @property
    def location(self) -> str:
        """``Arvioinnit!F12`` as Excel names a cell; ``Arvioinnit!12:12`` for a whole row."""
        if self.sheet is None:
            return ""
        sheet = (
            self.sheet
            if _plain_sheet_name(self.sheet)
            else "'{}'".format(self.sheet.replace("'", "''"))
        )
        if self.column and self.row:
            return f"{sheet}!{self.column}{self.row}"
        if self.row:
            return f"{sheet}!{self.row}:{self.row}"
        if self.column:
            return f"{sheet}!{self.column}:{self.column}"
        return sheet

    def sort_key(self) -> tuple:
        return (self.row or 0, len(self.column or ""), self.column or "", self.code)

    def message(self, lang: str | None = None) -> str:
        lang = lang or current_language()
        params = {  # names from the data, per language: the reader's
            k: v.get(lang, "") if isinstance(v, dict) and set(v) <= set(LANGUAGES) else v
            for k, v in self.params.items()
        }
        if "label_key" in params:  # a name from the catalogue, in the reader's language
            params["label"] = t(str(params.pop("label_key")), lang=lang)
        return t(f"issue.{self.code}", lang=lang, value=shown(self.value, lang), **params)

    def as_row(self, lang: str | None = None) -> dict:
        return {
            "severity": self.severity,
            "code": self.code,
            "location": self.location,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": shown(self.value, lang),
            "message": self.message(lang),
        }


def _plain_sheet_name(name: str) -> bool:
    """Excel leaves a sheet name unquoted only when it is one word not starting with a digit."""
    return name.replace("_", "").isalnum() and not name[0].isdigit()


def shown(value: object, lang: str | None = None) -> str:
    """A cell value as the user typed or sees it, shortened to fit a report line."""
    if value is None:
        return ""
    if isinstance(value, float):
        text = f"{value:g}"
        text = text if (lang or current_language()) == "en" else text.replace(".", ",")
    elif isinstance(value, (date, datetime)):
        text = format_date(value, lang)
    else:
        text = str(value)
    return text if len(text) <= 80 else text[:77] + "…"
