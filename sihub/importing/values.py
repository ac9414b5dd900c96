"""Turn cell values, as people type them, into typed values; raise ``ValueProblem`` otherwise."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from sihub.scales import MISSING_MARKS
from sihub.text import fold

EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01, counting Excel's phantom 29 Feb 1900
_DMY = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t].*)?$")
_TRUE = frozenset({"kylla", "k", "ja", "j", "yes", "y", "true", "tosi", "x", "1", "sant"})
_FALSE = frozenset({"ei", "e", "nej", "n", "no", "false", "epatosi", "0", "falskt"})
_LIST_SPLIT = re.compile(r"\s*[;\n|]\s*|\s*,\s+")


class ValueProblem(ValueError):
    """A cell that cannot be read as its column's type; ``code`` is the issue code."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and fold(value) in MISSING_MARKS)


def as_text(value: object) -> str | None:
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    return str(value).strip()


def as_date(value: object) -> date | None:
    """Dates as Excel stores them, Excel serial numbers, ``7.11.2023`` and ``2023-11-07``."""
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # Excel's valid serial range (to 9999-12-31)
            return EXCEL_EPOCH + timedelta(days=int(value))
        raise ValueProblem("bad_date")
    text = str(value).strip()
    for pattern, order in ((_DMY, (3, 2, 1)), (_ISO, (1, 2, 3))):
        match = pattern.match(text)
        if match:
            y, m, d = (int(match.group(i)) for i in order)
            try:
                return date(y, m, d)
            except ValueError as e:
                raise ValueProblem("bad_date") from e
    if text.replace(".", "", 1).isdigit():
        return as_date(float(text))
    raise ValueProblem("bad_date")


def as_number(value: object) -> float | None:
    """``3,5``, ``1 000 000``, ``€200 000`` and numbers stored as text."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueProblem("bad_number")
    if isinstance(value, (int, float)):
        return float(value)
    text = re.sub(r"[\s\u00a0€]|eur$", "", str(value).strip().lower())
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError as e:
        raise ValueProblem("bad_number") from e


def as_int(value: object) -> int | None:
    number = as_number(value)
    if number is None:
        return None
    if not number.is_integer():
        raise ValueProblem("bad_number")
    return int(number)


def as_rate(value: object) -> float | None:
    """A share of costs: ``80 %``, ``80`` and ``0,8`` are all 0.8."""
    if isinstance(value, str) and value.strip().endswith("%"):
        value = value.strip()[:-1]
        number = as_number(value)
        return None if number is None else number / 100
    number = as_number(value)
    if number is None:
        return None
    return number / 100 if number > 1 else number


def as_bool(value: object) -> bool | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    key = fold(as_text(value))
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValueProblem("bad_boolean")


def as_list(value: object) -> list[str]:
    """Items separated by semicolons, new lines, bars or ``, `` (comma and space)."""
    text = as_text(value)
    if not text:
        return []
    return [item for item in _LIST_SPLIT.split(text) if item and not is_blank(item)]


class Vocabulary:
    """Codes of one vocabulary table, recognised by code or by any language's name."""

    def __init__(self, table: str, entries: list[dict]) -> None:
        self.table = table
        self._lookup: dict[str, str] = {}
        for e in entries:
            for label in (e["code"], e.get("name_fi"), e.get("name_sv"), e.get("name_en")):
                if label:
                    self._lookup.setdefault(fold(label), e["code"])
                    # stage names carry a leading number ("3 Prototypes and pilots")
                    self._lookup.setdefault(fold(re.sub(r"^\d+\s+", "", label)), e["code"])

    def code(self, value: object) -> str | None:
        text = as_text(value)
        if text is None:
            return None
        found = self._lookup.get(fold(text))
        if found is None:
            raise ValueProblem("unknown_code", vocabulary=self.table)
        return found

    def codes(self, value: object) -> list[str]:
        return [self.code(item) for item in as_list(value)]
