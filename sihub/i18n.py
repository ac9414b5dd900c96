"""Translations: ``t("key", **values)`` over the fi / sv / en catalogues in ``sihub/locales``.

Each language has a folder of TOML files (one per area of the product); nested tables are
flattened into dotted keys, so ``[overview] title = ...`` is ``t("overview.title")``.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from functools import cache
from typing import TYPE_CHECKING

import numpy as np

from sihub import PACKAGE_DIR

if TYPE_CHECKING:  # only a type: sihub.reference imports this module
    from sihub.reference.scales import Scale

LANGUAGES = ("fi", "sv", "en")
DEFAULT_LANGUAGE = "fi"  # the centre's working language
LOCALES_DIR = PACKAGE_DIR / "locales"

# Outside the app (command line, tests) the language is a ContextVar, so that threads never
# share it. In the app, Streamlit may run the frame and the page in different threads, so
# sihub.ui registers a provider that reads the user's session instead.
_current: ContextVar[str] = ContextVar("sihub_language", default=DEFAULT_LANGUAGE)
_provider: Callable[[], str | None] | None = None


def set_language_provider(provider: Callable[[], str | None] | None) -> None:
    """Let the app say which language the current user chose (None: not in a user's run)."""
    global _provider
    _provider = provider


@contextmanager
def speaking(lang: str) -> Iterator[str]:
    """``t()`` in ``lang`` inside the block, in this thread: for a file made after the page ran
    (a download is made when pressed, in a thread that knows no user's session)."""
    token = _current.set(lang if lang in LANGUAGES else DEFAULT_LANGUAGE)
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def set_language(lang: str) -> str:
    """Make ``lang`` the language of ``t()`` calls in this thread; returns the language used."""
    lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    _current.set(lang)
    return lang


# Where a shell says its language, in POSIX order: LC_ALL overrides LC_MESSAGES (the category
# of messages), which overrides LANG. "C" and "POSIX" say nothing about a language.
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")


def language_from_environment(environ: Mapping[str, str]) -> str:
    """The language a command prints in without ``--lang``: SIHUB_LANG (the hub's own
    setting), else the shell's locale (``LANG=en_US.UTF-8`` -> en), else Finnish.

    The first locale variable that is set decides, as for any POSIX program: an unsupported
    one (``de_DE.UTF-8``) means the default language, not a look further down the list.
    """
    chosen = environ.get("SIHUB_LANG", "").strip().lower()
    if chosen in LANGUAGES:
        return chosen
    for variable in LOCALE_VARIABLES:
        value = environ.get(variable, "").strip()
        if value:
            prefix = value.replace("-", "_").split(".")[0].split("_")[0].split("@")[0].lower()
            return prefix if prefix in LANGUAGES else DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def current_language() -> str:
    if _provider is not None:
        chosen = _provider()
        if chosen in LANGUAGES:
            return chosen
    return _current.get()


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        full = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, full + "."))
        else:
            flat[full] = str(value)
    return flat


@cache
def catalogue(lang: str) -> dict[str, str]:
    """All strings of one language, from every TOML file in its folder."""
    strings: dict[str, str] = {}
    for path in sorted((LOCALES_DIR / lang).glob("*.toml")):
        with path.open("rb") as f:
            strings.update(_flatten(tomllib.load(f)))
    return strings


class _KeepMissing(dict):
    """Leaves unknown ``{placeholders}`` visible instead of raising mid-page."""

    def __missing__(self, key: str) -> _Unfilled:
        return _Unfilled(key)


class _Unfilled:
    """A placeholder without a value, shown as written (``{n:assessor|assessors}`` too)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __format__(self, spec: str) -> str:
        return "{" + self.name + (":" + spec if spec else "") + "}"


def t(key: str, lang: str | None = None, **values: object) -> str:
    """The string ``key`` in ``lang`` (default: this thread's language), with ``values`` filled in.

    A key missing from the catalogue comes back as itself, so that the completeness test
    and the page tests can see it; it never raises in front of a user.
    """
    text = catalogue(lang or current_language()).get(key)
    if text is None:
        return key
    if not values:
        return text
    shown = {k: _Shown(v, lang) for k, v in values.items()}
    return text.format_map(_KeepMissing(shown))


class _Shown:
    """A value as the language writes it; ``{n:assessor|assessors}`` picks a word by count."""

    def __init__(self, value: object, lang: str | None) -> None:
        self.value, self.lang = value, lang

    def __format__(self, spec: str) -> str:
        if "|" in spec:
            one, other = spec.split("|", 1)
            return one if self.value == 1 else other
        return format_value(self.value, self.lang)

    def __str__(self) -> str:
        return format_value(self.value, self.lang)


def has_key(key: str, lang: str | None = None) -> bool:
    return key in catalogue(lang or current_language())


def pick_language(
    from_url: str | None, from_session: str | None, browser_locale: str | None
) -> str:
    """The language to use: the URL wins (shared links), then the session, then the browser."""
    for candidate in (from_url, from_session):
        if candidate in LANGUAGES:
            return candidate
    if browser_locale:
        prefix = browser_locale.replace("_", "-").split("-")[0].lower()
        if prefix in LANGUAGES:
            return prefix
    return DEFAULT_LANGUAGE


def format_number(value: float | int | None, lang: str | None = None, decimals: int = 0) -> str:
    """A number as the language writes it: ``12 345,6`` in fi/sv, ``12,345.6`` in en."""
    if value is None or value != value:  # NaN is missing, shown as a dash, never 0
        return "–"
    text = f"{value:,.{decimals}f}"
    if (lang or current_language()) == "en":
        return text
    return text.replace(",", "\u00a0").replace(".", ",")


# --- one function per kind of figure ---------------------------------------------------------
# Every page and export shows a figure through these, so that a score, a share or a sum of
# money reads the same everywhere, with the language's decimal and thousands separators.
MISSING_FIGURE = "–"  # a missing figure is a dash, never 0
SCORE_DECIMALS = 1  # "4,2 / 5": one decimal is what a 1-5 mean can honestly claim


def half_up(value: float, decimals: int = 0) -> float:
    """Rounded the way people round (62.5 -> 63), not to even as Python's formatting does."""
    factor = 10**decimals
    return math.floor(value * factor + 0.5 + 1e-9) / factor


def half_up_all(values: np.ndarray, decimals: int = 0) -> np.ndarray:
    """``half_up`` of every value of an array at once (NaN stays NaN)."""
    factor = 10**decimals
    return np.floor(values * factor + 0.5 + 1e-9) / factor


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def format_score(
    normalised: float | None,
    scale: Scale | None,
    lang: str | None = None,
    decimals: int = SCORE_DECIMALS,
) -> str:
    """A stored 0-1 score on its own scale: "4,2 / 5" (fi, sv), "4.2 / 5" (en); on a scale
    without numbers its level's label ("green – carry on"), or 0-100 for a mean between levels
    (and where no scale is known). A "1 – poor" is "1,0 / 5", never 0."""
    if _missing(normalised):
        return MISSING_FIGURE
    if scale is None:
        return format_common(normalised, lang)
    value = scale.value_of(normalised)
    if value is None:
        level = scale.level_at(normalised)
        if level is not None:
            return level.names.get(lang or current_language()) or level.code
        return format_common(normalised, lang)
    return format_on_scale(value, scale, lang, decimals)


def format_on_scale(
    value: float | None, scale: Scale, lang: str | None = None, decimals: int = SCORE_DECIMALS
) -> str:
    """A point on a numeric scale (a mean, a typed minimum): "4,0 / 5" (fi, sv), "4.0 / 5"."""
    if _missing(value) or scale.top is None:
        return MISSING_FIGURE
    top = format_number(scale.top, lang, 0 if float(scale.top).is_integer() else decimals)
    return f"{format_number(half_up(value, decimals), lang, decimals)} / {top}"


def format_rating(normalised: float | None, scale: Scale, lang: str | None = None) -> str:
    """One assessor's rating: its level's label where it lies on one ("4 – hyvä"), else as
    ``format_score``."""
    level = None if _missing(normalised) else scale.level_at(normalised)
    if level is not None and level.names.get(lang or current_language()):
        return level.names[lang or current_language()]
    return format_score(normalised, scale, lang)


def score_on_scale(normalised: float | None, scale: Scale) -> float | None:
    """A stored 0-1 score as a number on its scale (exports), rounded as shown plus one."""
    value = None if _missing(normalised) else scale.value_of(normalised)
    return None if value is None else half_up(value, SCORE_DECIMALS + 1)


def format_common(normalised: float | None, lang: str | None = None) -> str:
    """A 0-1 score on the common 0-100 scale ("82 / 100"): only where frameworks with different
    scales stand side by side, and labelled so."""
    if _missing(normalised):
        return MISSING_FIGURE
    return f"{format_number(half_up(100 * normalised), lang)} / 100"


def format_share(fraction: float | None, lang: str | None = None, decimals: int = 0) -> str:
    """A share of a whole, 0-1 in: "34 %" (fi, sv, with a no-break space), "34%" (en)."""
    if _missing(fraction):
        return MISSING_FIGURE
    number = format_number(half_up(100 * fraction, decimals), lang, decimals)
    return f"{number}%" if (lang or current_language()) == "en" else f"{number}\u00a0%"


def format_count(count: int | None, lang: str | None = None) -> str:
    """A count of things: "12 345" (fi, sv), "12,345" (en)."""
    return MISSING_FIGURE if _missing(count) else format_number(int(count), lang)


def format_money(euros: float | None, lang: str | None = None) -> str:
    """Euros, whole: "12 345 €" (fi, sv), "€12,345" (en)."""
    if _missing(euros):
        return MISSING_FIGURE
    number = format_number(half_up(euros), lang)
    return f"€{number}" if (lang or current_language()) == "en" else f"{number}\u00a0€"


def format_date(value: date | datetime | None, lang: str | None = None) -> str:
    """A date as the language writes it: 7.11.2023 (fi), 7.11.2023 (sv), 2023-11-07 (en)."""
    if value is None:
        return "–"
    if isinstance(value, datetime):
        value = value.date()
    if (lang or current_language()) == "en":
        return value.isoformat()
    return f"{value.day}.{value.month}.{value.year}"


def format_datetime(value: datetime | None, lang: str | None = None) -> str:
    """A moment to the minute as the language writes it: 4.12.2026 klo 15.26 (fi),
    4.12.2026 kl. 15.26 (sv), 2026-12-04 15:26 (en)."""
    if value is None or _missing(value):
        return "–"
    lang = lang or current_language()
    if lang == "en":
        return f"{value.date().isoformat()} {value:%H:%M}"
    word = "klo" if lang == "fi" else "kl."
    return f"{format_date(value, lang)} {word} {value.hour}.{value.minute:02d}"


def format_time(value: datetime, lang: str | None = None) -> str:
    """A time of day to the second as the language writes it: 9.05.03 (fi, sv), 09:05:03 (en)."""
    if (lang or current_language()) == "en":
        return f"{value:%H:%M:%S}"
    return f"{value.hour}.{value.minute:02d}.{value.second:02d}"


# format_date and format_datetime as moment.js patterns, for the dates and times a browser
# table writes (Streamlit's "localized" follows the browser's locale, not the page's language).
DATE_PATTERNS = {"fi": "D.M.YYYY", "sv": "D.M.YYYY", "en": "YYYY-MM-DD"}
DATETIME_PATTERNS = {
    "fi": "D.M.YYYY [klo] H.mm",
    "sv": "D.M.YYYY [kl.] H.mm",
    "en": "YYYY-MM-DD HH:mm",
}


def date_pattern(lang: str | None = None) -> str:
    return DATE_PATTERNS[lang or current_language()]


def datetime_pattern(lang: str | None = None) -> str:
    return DATETIME_PATTERNS[lang or current_language()]


def format_value(value: object, lang: str | None = None) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return format_number(value, lang)
    if isinstance(value, float):
        return format_number(value, lang, decimals=0 if value.is_integer() else 2)
    if isinstance(value, (date, datetime)):
        return format_date(value, lang)
    return str(value)


def localized(row: dict, field: str, lang: str | None = None) -> str:
    """``row[field_<lang>]`` with English then Finnish as fallbacks (data names, not UI strings)."""
    lang = lang or current_language()
    for candidate in (lang, "en", "fi"):
        value = row.get(f"{field}_{candidate}")
        if value:
            return str(value)
    return ""
