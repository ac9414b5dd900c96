"""The explorer's search: case and accents ignored, and Finnish and Swedish inflection too.

"nuoret" and "nuorten" find the same innovations ("Nuorten kesäduuni-seteli" among them), as do
"ungdomar" and "ungdomarna". Each word of a search matches where the text holds its stem
(within a compound too: "kesänuoret"), which the word itself holds: the shorter of its Finnish
and Swedish Snowball stems (the algorithm of the store's "similar innovations" index), less one
final letter where that leaves at least ``MIN_STEM`` letters, because Finnish inflection changes the
stem's end ("nuore-t", "nuort-en"). Results rank the innovations whose name holds the whole
search first, then those whose name holds every word (as written, then by stem), then those
whose text holds every word as written, then those found through stems only.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import snowballstemmer

from sihub.text import fold

MIN_STEM = 4  # shorter stems find unrelated words ("las" of "lasten" in "lasi")
STEMMERS = ("finnish", "swedish")


@dataclass(frozen=True)
class Word:
    folded: str  # as typed, case and accents ignored
    start: str  # what a matching text holds: the word's stem, or the word where it is short


@cache
def _stemmer(language: str):
    return snowballstemmer.stemmer(language)


def start_of(word: str) -> str:
    """The folded start that ``word``'s inflected forms share with it (the word itself, folded,
    when it is too short to have one worth matching on)."""
    lowered = word.casefold()
    stems = [_stemmer(lang).stemWord(lowered) for lang in STEMMERS]
    shortest = min(stems, key=len)
    if len(shortest) > MIN_STEM:
        shortest = shortest[:-1]
    return fold(shortest if len(shortest) >= MIN_STEM else word)


def search_words(q: str) -> list[Word]:
    """The distinct words of a search, each with the start its forms share."""
    found = {fold(w): start_of(w) for w in q.split() if fold(w)}
    return [Word(folded, start) for folded, start in found.items()]


def _every(column: str, words: list[Word]) -> str:
    """SQL: ``column`` holds each of as many texts as ``words`` (given as parameters)."""
    return " AND ".join(f"contains({column}, ?)" for _ in words)


def text_condition(q: str) -> tuple[str, list]:
    """SQL over ``i`` (innovations): the innovation's text holds every word of ``q``, or the
    start its forms share."""
    words = search_words(q)
    if not words:
        return "TRUE", []
    return (
        "i.id IN (SELECT x.innovation_id FROM innovation_text x "
        f"WHERE {_every('x.text_folded', words)})",
        [w.start for w in words],
    )


def rank_sql(q: str) -> tuple[str, list]:
    """0: the name holds the whole search as written; 1: every word as written; 2: every word
    or its stem; 3: the text holds every word as written; 4: found through stems only."""
    words = search_words(q)
    if not words:
        return "0", []
    folded = [w.folded for w in words]
    name, text = _every("x.name_folded", words), _every("x.text_folded", words)
    return (
        "(SELECT CASE WHEN contains(x.name_folded, ?) THEN 0 "
        f"WHEN {name} THEN 1 WHEN {name} THEN 2 WHEN {text} THEN 3 ELSE 4 END "
        "FROM innovation_text x WHERE x.innovation_id = i.id)",
        [" ".join(folded), *folded, *[w.start for w in words], *folded],
    )
