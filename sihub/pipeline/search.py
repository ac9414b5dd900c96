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
    stem: str  # the start a matching word of the text has (folded), or "" for short words


@cache
def _stemmer(language: str):
    return snowballstemmer.stemmer(language)


def stem_of(word: str) -> str:
    """The folded start an inflected form of ``word`` shares with it, or "" when the word is
    too short to have one worth matching on."""
    lowered = word.casefold()
    stems = [_stemmer(lang).stemWord(lowered) for lang in STEMMERS]
    shortest = min(stems, key=len)
    if len(shortest) > MIN_STEM:
        shortest = shortest[:-1]
    return fold(shortest) if len(shortest) >= MIN_STEM else ""


def search_words(q: str) -> list[Word]:
    """The distinct words of a search, each with its stem."""
    words = dict.fromkeys(q.split())
    found = {fold(w): stem_of(w) for w in words if fold(w)}
    return [Word(folded, stem) for folded, stem in found.items()]


def _matches(word: Word, column: str) -> tuple[str, list]:
    """SQL: ``column`` holds the word, or its stem (which the word itself holds)."""
    return f"contains({column}, ?)", [word.stem or word.folded]


def text_condition(q: str) -> tuple[str, list]:
    """SQL over ``i`` (innovations): the innovation's text holds every word of ``q``."""
    words = search_words(q)
    if not words:
        return "TRUE", []
    parts, params = zip(*(_matches(w, "x.text_folded") for w in words), strict=True)
    each = " AND ".join(parts)
    return (
        f"i.id IN (SELECT x.innovation_id FROM innovation_text x WHERE {each})",
        [p for group in params for p in group],
    )


def rank_sql(q: str) -> tuple[str, list]:
    """0: the name holds the whole search as written; 1: every word as written; 2: every word
    or its stem; 3: the text holds every word as written; 4: found through stems only."""
    words = search_words(q)
    if not words:
        return "0", []
    folded = [w.folded for w in words]
    stems = [w.stem or w.folded for w in words]

    def every(column: str) -> str:
        return " AND ".join(f"contains({column}, ?)" for _ in words)

    return (
        "(SELECT CASE WHEN contains(x.name_folded, ?) THEN 0 "
        f"WHEN {every('x.name_folded')} THEN 1 WHEN {every('x.name_folded')} THEN 2 "
        f"WHEN {every('x.text_folded')} THEN 3 ELSE 4 END "
        "FROM innovation_text x WHERE x.innovation_id = i.id)",
        [" ".join(folded), *folded, *stems, *folded],
    )
