"""Text folding shared by matching, search and header recognition."""

from __future__ import annotations

import re
import unicodedata

_PUNCTUATION = re.compile(r"[^\w\s]", re.UNICODE)
_ACCENTS = re.compile("[\u0300-\u034e\u0350-\u036f]")  # combining diacritical marks
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _without_marks(text: str) -> str:
    """``text`` (decomposed) without its combining marks.

    The usual accents go with one regular expression; only a string that still holds some
    other combining mark is walked character by character.
    """
    text = _ACCENTS.sub("", text)
    if text.isascii():
        return text
    if any(unicodedata.combining(ch) for ch in set(_NON_ASCII.findall(text))):
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text


def fold(text: object) -> str:
    """Case- and accent-blind form for comparing (``"  Äänekoski "`` -> ``"aanekoski"``)."""
    if text is None:
        return ""
    folded = str(text).casefold()
    if not folded.isascii():
        folded = _without_marks(unicodedata.normalize("NFKD", folded))
    return " ".join(folded.split())  # the same whitespace as \s+, and faster


def name_key(text: object) -> str:
    """Key for matching names of records: folded, punctuation dropped, spaces collapsed."""
    return " ".join(_PUNCTUATION.sub(" ", fold(text)).split())


FORMULA_MARKS = ("=", "+", "-", "@")  # a leading one makes a spreadsheet read text as a formula


def record_key(text: object) -> str:
    """``name_key`` that keeps a leading formula character: the identity of a record's name.

    ``+Kohtaamo`` and ``Kohtaamo`` are two names; exports escape the first as ``'+Kohtaamo``,
    and that escape reads back as the name it escapes. A mark followed by a space
    (``- Kohtaamo``, a bullet) is punctuation, as in ``name_key``, which search keeps using.
    """
    text = "" if text is None else str(text).strip()
    if text[:1] == "'" and text[1:2] in FORMULA_MARKS:
        text = text[1:]
    key = name_key(text)
    if key and text[:1] in FORMULA_MARKS and not text[1:2].isspace():
        return text[0] + key
    return key


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def escape_markdown(text: object) -> str:
    """Data shown inside Markdown is shown as written, never rendered as markup or HTML."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", "" if text is None else str(text))
