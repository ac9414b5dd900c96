"""Problems found in an imported file, as data: code, severity and the cell as Excel shows it.

Messages come from the locale catalogues (``issue.<code>``), so a report reads in the user's
language and every code is guaranteed a message by a completeness test.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sihub.i18n import t

ERROR = "error"  # blocks the commit
WARNING = "warning"  # imported, but look at it
HINT = "hint"  # a suggestion

# Every issue code the importer can raise, with its severity. A test checks each has a message.
ISSUE_CODES: dict[str, str] = {
    "unreadable_file": ERROR,
    "encrypted_file": ERROR,
    "file_too_large": ERROR,
    "empty_workbook": ERROR,
    "no_known_sheet": ERROR,
    "no_header": ERROR,
    "missing_required_column": ERROR,
    "duplicate_column": WARNING,
    "ignored_column": HINT,
    "required_value_missing": ERROR,
    "unknown_code": ERROR,
    "unknown_criterion": ERROR,
    "criterion_not_in_framework": ERROR,
    "unknown_framework": ERROR,
    "score_not_on_scale": ERROR,
    "score_out_of_range": ERROR,
    "bad_date": ERROR,
    "bad_number": ERROR,
    "bad_boolean": ERROR,
    "bad_url": WARNING,
    "future_date": WARNING,
    "unknown_innovation": ERROR,
    "unknown_organisation": WARNING,
    "duplicate_row": WARNING,
    "duplicate_assessment": ERROR,
    "no_scores": WARNING,
    "formula_text": HINT,
    "text_too_long": WARNING,
    "amount_range_reversed": ERROR,
    "deadline_before_opening": ERROR,
    "hidden_sheet_skipped": HINT,
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
        """``Arvioinnit!F12`` as Excel names a cell; shorter when the issue concerns less."""
        if self.sheet is None:
            return ""
        sheet = self.sheet if self.sheet.replace("_", "").isalnum() else f"'{self.sheet}'"
        cell = f"{self.column or ''}{self.row or ''}"
        return f"{sheet}!{cell}" if cell else sheet

    def message(self, lang: str | None = None) -> str:
        return t(f"issue.{self.code}", lang=lang, value=_shown(self.value), **self.params)

    def as_row(self, lang: str | None = None) -> dict:
        return {
            "severity": self.severity,
            "code": self.code,
            "location": self.location,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": _shown(self.value),
            "message": self.message(lang),
        }


def _shown(value: object) -> str:
    if value is None:
        return ""
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "…"
