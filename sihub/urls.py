"""State in the address bar: typed URL parameters, read and written in one place.

A page's state is a frozen dataclass (``UrlState``) whose fields travel as URL query
parameters; each parameter has a kind (``Text``, ``Int``, ``Float``, ``Code``, ``Codes``,
``Ints``, ``Flag``, ``Pairs``) that parses and formats it. A value is used whole or left out:
one that does not parse, is out of range, too long or not among the allowed codes is dropped
and reported back as data (``LeftOut``: the parameter and the value as written), so that the
page can say so in its notice. Nothing in a URL can raise. Defaults are left out of links to
keep them short. Also here: the address of a page of the app (``page_url``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, fields
from typing import Any, ClassVar, Self
from urllib.parse import urlencode

from sihub.navigation import page

MAX_TEXT = 200  # longer search text in a URL is left out: no one types more
MAX_CODE = 100  # a code (vocabulary, framework, organisation id, level) is never longer
MAX_ID = 2**31 - 1  # ids are INTEGER in the store; a larger number names nothing
MAX_LIST = 1000  # items of one list parameter; more come only from a made-up link
SHOWN = 40  # characters of a left-out value that a notice repeats
_INT = re.compile(r"[+-]?[0-9]{1,19}")  # ASCII digits only: "²".isdigit() is True
_FLOAT = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]{1,4})?")  # no nan, inf, _


@dataclass(frozen=True)
class LeftOut:
    """A URL value that could not be used: the parameter and the value as written."""

    param: str
    value: str

    def __str__(self) -> str:
        return f"{self.param}={shortened(self.value)}"


def shortened(text: str) -> str:
    """A value from a URL as a notice repeats it: cut to ``SHOWN`` characters."""
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


class Unusable(ValueError):
    """A URL value that does not parse, is out of range or is not an allowed code."""


def param_text(raw: object) -> str:
    """A URL parameter as text: a repeated parameter joined by commas, a missing one empty."""
    if isinstance(raw, (list, tuple)):
        raw = ",".join(map(str, raw))
    return "" if raw is None else str(raw).strip()


def _number_text(value: float) -> str:
    """A number as a URL writes it: whole numbers without ".0"."""
    return str(int(value)) if float(value).is_integer() else str(value)


# kinds of parameters: parse(text) -> value or Unusable; format(value) -> text ----------------
@dataclass(frozen=True)
class Text:
    max_length: int = MAX_TEXT

    def parse(self, text: str) -> str:
        if len(text) > self.max_length:
            raise Unusable(text)
        return text

    def format(self, value: str) -> str:
        return value


@dataclass(frozen=True)
class Int:
    low: int = 1
    high: int = MAX_ID

    def parse(self, text: str) -> int:
        if not _INT.fullmatch(text) or not self.low <= int(text) <= self.high:
            raise Unusable(text)
        return int(text)

    def format(self, value: int) -> str:
        return str(int(value))


@dataclass(frozen=True)
class Float:
    low: float
    high: float

    def parse(self, text: str) -> float:
        value = float(text) if _FLOAT.fullmatch(text) else math.nan
        if not (math.isfinite(value) and self.low <= value <= self.high):
            raise Unusable(text)
        return value

    def format(self, value: float) -> str:
        return _number_text(value)


@dataclass(frozen=True)
class Code:
    """One code: from ``options`` when given (or starting with one of ``prefixes``), else any
    short text (a code from the data, which the page checks against the store)."""

    options: tuple[str, ...] | None = None
    prefixes: tuple[str, ...] = ()

    def parse(self, text: str) -> str:
        allowed = self.options is None or self._allowed(text)
        if not text or len(text) > MAX_CODE or not allowed:
            raise Unusable(text)
        return text

    def _allowed(self, text: str) -> bool:
        return text in self.options or any(
            text.startswith(p) and len(text) > len(p) for p in self.prefixes
        )

    def format(self, value: str) -> str:
        return value


@dataclass(frozen=True)
class Flag:
    """True as "1", False as "0" (the default, never written)."""

    def parse(self, text: str) -> bool:
        if text not in ("0", "1"):
            raise Unusable(text)
        return text == "1"

    def format(self, value: bool) -> str:
        return "1" if value else ""


class ListOf:
    """A comma list of ``item``: repeated items once, unusable ones left out one by one, and
    those beyond ``max_items`` too."""

    item: Any
    max_items: int

    def read(self, text: str) -> tuple[tuple, tuple[str, ...]]:
        kept: dict[object, None] = {}
        rejected: list[str] = []
        for part in (p.strip() for p in text.split(",")):
            if not part:
                continue
            try:
                value = self.item.parse(part)
            except Unusable:
                rejected.append(part)
                continue
            if value not in kept and len(kept) >= self.max_items:
                rejected.append(part)
                continue
            kept.setdefault(value)
        return tuple(kept), tuple(rejected)

    def format(self, value: tuple) -> str:
        return ",".join(self.item.format(v) for v in value)


@dataclass(frozen=True)
class Codes(ListOf):
    options: tuple[str, ...] | None = None
    max_items: int = MAX_LIST

    @property
    def item(self) -> Code:
        return Code(self.options)


@dataclass(frozen=True)
class Ints(ListOf):
    max_items: int = MAX_LIST
    item: ClassVar[Int] = Int()


@dataclass(frozen=True)
class Pair:
    """``code:value`` with a code and a value of kind ``value``."""

    value: Any

    def parse(self, text: str) -> tuple[str, object]:
        code, colon, rest = text.partition(":")
        if not colon:
            raise Unusable(text)
        return Code().parse(code.strip()), self.value.parse(rest.strip())

    def format(self, pair: tuple[str, object]) -> str:
        return f"{pair[0]}:{self.value.format(pair[1])}"


@dataclass(frozen=True)
class Pairs(ListOf):
    """A comma list of ``code:value``; a code given twice keeps its last value."""

    value: Any
    max_items: int = MAX_LIST

    @property
    def item(self) -> Pair:
        return Pair(self.value)

    def read(self, text: str) -> tuple[tuple, tuple[str, ...]]:
        pairs, rejected = super().read(text)
        return tuple(dict(pairs).items()), rejected


# reading and writing parameters ---------------------------------------------------------------
def parse_param(param: str, raw: object, kind: Any) -> tuple[Any, tuple[LeftOut, ...]]:
    """The value of one URL parameter (None when missing or unusable) and what was left out."""
    text = param_text(raw)
    if not text:
        return None, ()
    if isinstance(kind, ListOf):
        value, rejected = kind.read(text)
        return value or None, tuple(LeftOut(param, r) for r in rejected)
    try:
        return kind.parse(text), ()
    except Unusable:
        return None, (LeftOut(param, text),)


def parse_params(
    params: Mapping[str, object], spec: Mapping[str, tuple[str, Any]]
) -> tuple[dict[str, Any], tuple[LeftOut, ...]]:
    """Field -> value for the parameters of ``spec`` (field -> (parameter, kind)) that are
    present and usable, and everything left out."""
    values: dict[str, Any] = {}
    left_out: list[LeftOut] = []
    for name, (param, kind) in spec.items():
        value, dropped = parse_param(param, params.get(param), kind)
        left_out += dropped
        if value is not None:
            values[name] = value
    return values, tuple(left_out)


def known_only(
    values: tuple[str, ...], known: Collection[str], param: str
) -> tuple[tuple[str, ...], tuple[LeftOut, ...]]:
    """The codes of ``values`` in ``known``, and the others as left out (codes from the data
    that a link names but the store does not hold)."""
    kept = tuple(v for v in values if v in known)
    return kept, tuple(LeftOut(param, v) for v in values if v not in known)


class UrlState:
    """A frozen dataclass whose fields travel as URL query parameters.

    Subclasses declare ``PARAMS``: field name -> (query parameter, kind). A field equal to its
    default is left out of ``to_query``.
    """

    PARAMS: ClassVar[dict[str, tuple[str, Any]]] = {}

    def is_empty(self) -> bool:
        return self == type(self)()

    def to_query(self) -> dict[str, str]:
        default = type(self)()
        out: dict[str, str] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in self.PARAMS and value != getattr(default, f.name):
                param, kind = self.PARAMS[f.name]
                out[param] = kind.format(value)
        return {k: v for k, v in out.items() if v}

    @classmethod
    def parse_query(cls, params: Mapping[str, object]) -> tuple[Self, tuple[LeftOut, ...]]:
        """The state in ``params`` (e.g. ``st.query_params``), and the values left out."""
        values, left_out = parse_params(params, cls.PARAMS)
        return cls(**values), left_out

    @classmethod
    def from_query(cls, params: Mapping[str, object]) -> Self:
        """The state in ``params``; unusable values are dropped."""
        return cls.parse_query(params)[0]

    @classmethod
    def params(cls) -> tuple[str, ...]:
        """Every URL parameter the state owns (to clear those no longer set)."""
        return tuple(param for param, _ in cls.PARAMS.values())


# addresses of the app's pages -----------------------------------------------------------------
def view_address(base: str, page_key: str, lang: str, query: Mapping[str, object]) -> str:
    """The full address of a page's view, for a file that leaves the app: ``base`` (the hub's
    address, ending in "/") and the page with every parameter of the view."""
    return base + page_url(page_key, lang, **query).removeprefix("./")


def page_url(page_key: str, lang: str, **query: object) -> str:
    """A page of the app (its key in ``navigation.PAGES``) with query parameters and the
    language, relative so that it works under any base path."""
    params = {**{k: str(v) for k, v in query.items()}, "lang": lang}
    return f"{page(page_key).url_path or './'}?{urlencode(params, safe=',:')}"
