"""Text folding shared by matching, search and header recognition, and the escaping that shows
data as written wherever it is drawn: Markdown (``escape_markdown``: every Streamlit text,
message, label and ``st.table`` cell) and plotly's text (``escape_html``: titles, ticks,
legends, hovers and labels in charts)."""

from __future__ import annotations

import html
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


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")
# GitHub-flavoured Markdown, as Streamlit renders it, also makes links of addresses in plain
# text (http://…, https://…, www.…, name@host), after the escapes are read. An invisible word
# joiner after the scheme's colon, after "www" and after the @ keeps them text.
_AUTOLINKED = re.compile(r"(?:(?<=https:)|(?<=http:))(?=//)|(?<=www)(?=\.)|(?<=@)", re.IGNORECASE)
WORD_JOINER = "\u2060"


def escape_markdown(text: object) -> str:
    """Data shown inside Markdown is shown as written, never rendered as markup or HTML.

    Every value from a URL, a file or the store passes here before Streamlit renders it as
    Markdown, so that ``[x](//site)``, ``![p](//site/px.png)`` or ``https://site`` in a name
    never becomes a link or an image. Catalogue text is not escaped (it may use Markdown); only
    the values put in it.
    """
    text = _AUTOLINKED.sub(WORD_JOINER, "" if text is None else str(text))
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def markdown_link(url: object) -> str | None:
    """An http(s) address from the data as a Markdown link that shows the address as written
    (no word joiners in it: a copied address works), or None for anything else, which is
    then shown as text with ``escape_markdown``."""
    address = str(url).strip() if isinstance(url, str) else ""
    if not address.lower().startswith(("https://", "http://")):
        return None
    target = "".join(_LINK_TARGET_ESCAPES.get(ch, ch) for ch in address)
    shown = _MARKDOWN_SPECIAL.sub(r"\\\1", address)
    return f"[{shown}]({target})"


# In a link's target these would end it or break it; percent-encoded, the address is the same.
_LINK_TARGET_ESCAPES = {" ": "%20", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E", "\\": "%5C"}


def escape_html(text: object) -> str:
    """Data shown in a plotly chart is shown as written: plotly reads ``<a href>``, ``<b>``,
    ``<br>`` and entities in every text it draws, and shows ``&lt;`` as ``<``."""
    return html.escape("" if text is None else str(text), quote=False)
