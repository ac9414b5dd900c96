"""Text folding shared by matching, search and header recognition."""

from __future__ import annotations

import re
import unicodedata

_PUNCTUATION = re.compile(r"[^\w\s]", re.UNICODE)
_SPACES = re.compile(r"\s+")


def fold(text: object) -> str:
    """Case- and accent-blind form for comparing (``"  Äänekoski "`` -> ``"aanekoski"``)."""
    if text is None:
        return ""
    decomposed = unicodedata.normalize("NFKD", str(text).casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped).strip()


def name_key(text: object) -> str:
    """Key for matching names of records: folded, punctuation dropped, spaces collapsed."""
    return _SPACES.sub(" ", _PUNCTUATION.sub(" ", fold(text))).strip()


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def escape_markdown(text: object) -> str:
    """Data shown inside Markdown is shown as written, never rendered as markup or HTML."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", "" if text is None else str(text))
