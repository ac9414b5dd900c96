"""Turn cell values, as people type them, into typed values; raise ``ValueProblem`` otherwise.

``convert_column`` converts a whole column at once and parses each distinct value only once:
a form export of 100,000 rows has a few hundred distinct values per column, so validation
costs a dictionary lookup per cell.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sihub.reference.scales import MISSING_MARKS, Scale
from sihub.text import fold

EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01, counting Excel's phantom 29 Feb 1900
_TIME = (  # a time after the date, as form tools write timestamps; ignored
    r"(?:[ t,]+(?:klo\s*)?\d{1,2}[.:]\d{2}(?:[.:]\d{2}(?:[.,]\d+)?)?"
    r"(?:\s*[ap]\.?m\.?)?(?:\s*(?:z|[+-]\d{2}:?\d{2}|(?:gmt|utc)[+-]\d{1,2}(?::?\d{2})?|[a-z]{2,5}))?)?"
)
_DMY = re.compile(r"^(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})" + _TIME + "$", re.IGNORECASE)
_YMD = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})" + _TIME + "$", re.IGNORECASE)
# 05/03/2025: day first in Europe, month first in SurveyMonkey's and US exports (see slash_order)
_SLASHED = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})" + _TIME + "$", re.IGNORECASE)
_TRUE = frozenset({"kylla", "k", "ja", "j", "yes", "y", "true", "tosi", "x", "1", "sant"})
_FALSE = frozenset({"ei", "e", "nej", "n", "no", "false", "epatosi", "0", "falskt"})
_LIST_SPLIT = re.compile(r"\s*[;\n|]\s*|\s*,\s+")
_URL = re.compile(r"^(https?://|www\.)\S+\.\S+$", re.IGNORECASE)
FORMULA_START = ("=", "+", "@")  # "-" alone is a blank mark; "-x" is checked below
MAX_TEXT = 20_000  # longer cells are kept but flagged: usually a paste gone wrong

# The longest value a cell may hold, by the kind of its column. A longer one is a blocking error
# at its cell (value_too_long) and is never converted, matched or indexed: a name is folded,
# compared with every record and near-matched, so what it may cost must be bounded.
MAX_NAME = 300  # names and references; the longest real innovation names are about 150
MAX_SHORT_TEXT = 1_000  # codes, dates, numbers, scores and short texts (a municipality)
MAX_URL = 2_048  # the longest web address that browsers and servers reliably take
MAX_LIST = 5_000  # a cell that lists partner organisations, themes or regions
MAX_LONG_TEXT = 32_767  # descriptions, answers, comments: what one Excel cell can hold
_MAX_LENGTH = {
    "name": MAX_NAME,
    "url": MAX_URL,
    "names": MAX_LIST,
    "list": MAX_LIST,
    "codes": MAX_LIST,
    "long": MAX_LONG_TEXT,
}


def max_length(kind: str) -> int:
    """The longest text a column of ``kind`` (``name``, ``long``, ``codes:themes``…) takes."""
    return _MAX_LENGTH.get(kind.partition(":")[0], MAX_SHORT_TEXT)


class ValueProblem(ValueError):
    """A cell that cannot be read as its column's type; ``code`` is the issue code."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


_LONGEST_MARK = max(len(m) for m in MISSING_MARKS) + 4  # room for spaces around a mark


def is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value == "" or (len(value) <= _LONGEST_MARK and fold(value) in MISSING_MARKS)
    return False


def as_text(value: object) -> str | None:
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else str(value)
    return str(value).strip()


def raw_text(value: object) -> str | None:
    """A cell as typed, for keeping beside its parsed value ("–" stays "–", 4.0 is "4")."""
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def as_date(value: object, month_first: bool = False) -> date | None:
    """Dates as Excel stores them, Excel serial numbers, ``7.11.2023``, ``2023-11-07`` and
    ``7/11/2023`` (day first, or month first with ``month_first``: see ``slash_order``).

    A time after the date (form tools' timestamps, ``5.3.2024 klo 10.12``, Google Forms'
    ``2025/03/05 10:12:13 AM GMT+2``) is ignored.
    """
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise ValueProblem("bad_date")
    if isinstance(value, (int, float)):
        if 1 <= value < 2958466:  # Excel's valid serial range (to 9999-12-31)
            return EXCEL_EPOCH + timedelta(days=int(value))
        raise ValueProblem("bad_date")
    text = str(value).strip()
    slashed = (3, 1, 2) if month_first else (3, 2, 1)
    for pattern, order in ((_DMY, (3, 2, 1)), (_YMD, (1, 2, 3)), (_SLASHED, slashed)):
        match = pattern.match(text)
        if match:
            y, m, d = (int(match.group(i)) for i in order)
            try:
                return date(y, m, d)
            except ValueError as e:
                raise ValueProblem("bad_date") from e
    if re.fullmatch(r"\d{5}(\.\d+)?", text):  # a serial number stored as text
        return as_date(float(text))
    raise ValueProblem("bad_date")


def slash_order(cells: Sequence[object], month_first: bool = False) -> bool:
    """Whether a column's ``05/03/2025`` dates are month first: when one of them can only be
    (``03/25/2025``); day first when one can only be that (``25/03/2025``); else as its tool
    writes them (``month_first``)."""
    for cell in set(cells):
        found = _SLASHED.match(cell.strip()) if isinstance(cell, str) else None
        if found:
            first, second = int(found.group(1)), int(found.group(2))
            if first > 12 >= second:
                return False
            if second > 12 >= first:
                return True
    return month_first


def as_number(value: object) -> float | None:
    """``3,5``, ``1 000 000``, ``€200 000`` and numbers stored as text."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueProblem("bad_number")
    if isinstance(value, (int, float)):
        return float(value)
    text = re.sub(r"[\s\u00a0\u202f€]|eur$", "", str(value).strip().lower())
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    try:
        number = float(text)
    except ValueError as e:
        raise ValueProblem("bad_number") from e
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueProblem("bad_number")
    return number


def as_int(value: object) -> int | None:
    number = as_number(value)
    if number is None:
        return None
    if not number.is_integer() or abs(number) > 2**31 - 1:
        raise ValueProblem("bad_number")
    return int(number)


def as_rate(value: object) -> float | None:
    """A share of costs: ``80 %``, ``80`` and ``0,8`` are all 0.8."""
    if isinstance(value, str) and value.strip().endswith("%"):
        number = as_number(value.strip()[:-1])
        return None if number is None else number / 100
    number = as_number(value)
    if number is None:
        return None
    return number / 100 if number > 1 else number


def as_score_minimum(value: object, scale: Scale | None = None) -> float | None:
    """A minimum score, typed on the scale scores are shown on (``4`` on 1-5 is 0.75, stored
    0-1); a share (``75 %``) and a file written when minimums were 0-1 (``0,75`` where the scale
    starts at 1) are read as the stored 0-1 value."""
    if isinstance(value, str) and value.strip().endswith("%"):
        return as_rate(value)
    number = as_number(value)
    if number is None or scale is None or not scale.numeric:
        return number
    if number < scale.bottom and number <= 1:
        return number  # below the scale: already 0-1
    if number > scale.top:
        raise ValueProblem("score_above_scale", top=scale.top)
    return scale.normalised_of(number)


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


def as_names(value: object) -> list[str]:
    """A list of names (partner organisations): each one a name, at most MAX_NAME long."""
    names = as_list(value)
    for name in names:
        if len(name) > MAX_NAME:
            raise ValueProblem("value_too_long", limit=MAX_NAME, length=len(name))
    return names


def text_notes(value: object) -> tuple[tuple[str, dict], ...]:
    """Hints and warnings about a text cell that is nevertheless kept as typed."""
    if not isinstance(value, str):
        return ()
    notes: list[tuple[str, dict]] = []
    stripped = value.strip()
    if stripped.startswith(FORMULA_START) or (
        stripped.startswith("-")
        and len(stripped) > 1
        and not stripped[1:].replace(",", "").replace(".", "").strip().isdigit()
    ):
        notes.append(("formula_text", {}))
    if len(value) > MAX_TEXT:
        notes.append(("text_too_long", {"limit": MAX_TEXT}))
    return tuple(notes)


def url_notes(value: object) -> tuple[tuple[str, dict], ...]:
    text = as_text(value)
    if text and not _URL.match(text):
        return (("bad_url", {}),)
    return ()


@dataclass
class Converted:
    """A column converted: typed values, and the cells that failed or deserve a note."""

    values: list
    problems: list[tuple[int, str, dict]]  # (position, issue code, params): value set to None
    notes: list[tuple[int, str, dict]]  # (position, issue code, params): value kept


Notes = Callable[[object], tuple[tuple[str, dict], ...]]


def convert_column(
    cells: Sequence[object],
    convert: Callable[[object], object],
    notes: Notes | None = None,
    limit: int | None = None,
) -> Converted:
    """Convert every cell of a column, parsing each distinct value only once.

    A text longer than ``limit`` is a problem (value_too_long) and is not converted at all.
    """
    if bool in set(map(type, cells)):  # True == 1 == 1.0 as dictionary keys: keep them apart
        keys: Sequence[object] = [(bool, v) if v.__class__ is bool else v for v in cells]
    else:
        keys = cells
    results: dict[object, object] = {}
    bad: dict[object, tuple[str, dict]] = {}
    noted: dict[object, tuple] = {}
    for key in set(keys):
        raw = key[1] if key.__class__ is tuple and key[:1] == (bool,) else key
        if limit is not None and raw.__class__ is str and len(raw) > limit:
            results[key], bad[key] = None, ("value_too_long", {"limit": limit, "length": len(raw)})
            continue
        try:
            results[key] = convert(raw)
        except ValueProblem as p:
            results[key], bad[key] = None, (p.code, p.params)
            continue
        if notes is not None:
            found = notes(raw)
            if found:
                noted[key] = found
    values = list(map(results.__getitem__, keys))
    problems: list[tuple[int, str, dict]] = []
    found_notes: list[tuple[int, str, dict]] = []
    if bad or noted:
        for i, k in enumerate(keys):
            if k in bad:
                problems.append((i, *bad[k]))
            elif k in noted:
                found_notes.extend((i, code, params) for code, params in noted[k])
    return Converted(values, problems, found_notes)
