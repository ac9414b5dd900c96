"""Likely near-matches between names in a file and records in the store (or other names in
the same file): the same innovation, organisation or assessor written differently.

Exact matches go by ``record_key`` (case, accents, punctuation and spacing folded; a leading
formula character kept). A name that has no exact match but differs from a known one only by
joined or split words ("Walk-in" / "Walkin"), word order ("Virtanen Anna") or a one-letter typo
is a *near match*: the user says whether it is the same record; until then the import is
blocked rather than silently creating a duplicate. Typos are found with a one-deletion index
(symmetric-delete) over the first ``TYPO_PREFIX`` characters of each name, so the cost grows
with the number of distinct names, not with their square, nor with the square of a name's
length. Names that differ in a number ("Kohtaamo 2" / "Kohtaamo 3") or in a leading formula
character ("+Kohtaamo" / "Kohtaamo") are never near matches.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from sihub.importing.cache import bytes_cache
from sihub.importing.context import Known
from sihub.text import FORMULA_MARKS

SAME = "same"
NEW = "new"
MIN_TYPO_LENGTH = 6  # shorter names differ by one letter too often to be the same thing
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class Place:
    sheet: str
    row: int
    column: str | None


@dataclass(frozen=True)
class NearMatch:
    kind: str  # innovation | organisation | assessor
    name: str  # as the file writes it
    key: str
    candidate: str  # the name it resembles
    candidate_key: str
    candidate_id: int | None  # the existing record, or None for another name in this file
    reason: str  # joined | word_order | typo
    place: Place  # its first appearance
    count: int  # rows that use the name

    @property
    def id(self) -> str:
        return f"{self.kind}:{self.key}"


def compact(key: str) -> str:
    return key.replace(" ", "")


def word_order(key: str) -> str:
    return " ".join(sorted(key.split()))


def deletions(text: str) -> set[str]:
    return {text[:i] + text[i + 1 :] for i in range(len(text))} | {text}


# Typos are indexed on this many characters at the start of a compacted name: the deletions of
# a whole 32,767-character name would be a gigabyte. Every hit of the index is checked on the
# whole names (``_one_deletion_apart``); real names seldom reach this length.
TYPO_PREFIX = 48
# The deletions of some 4,000 names, kept between files: the store's names are indexed again
# for every file (and every rerun of the Import page).
VARIANTS_BUDGET = 16 * 1024 * 1024
Index = dict[tuple[str, str], dict[int, "str | set[str]"]]


def _signature(key: str) -> tuple[str, str]:
    """What two names must share to be near matches: a leading formula mark, and numbers."""
    mark = key[0] if key[:1] in FORMULA_MARKS else ""
    return mark, " ".join(_DIGITS.findall(key))


@bytes_cache("typo variants", VARIANTS_BUDGET)
def _variants(key: str) -> tuple[tuple[str, str], frozenset[int]]:
    """A key's signature and its prefix's one-letter deletions, by their hashes (a third of
    the memory of the strings; two deletions that share a hash by chance are caught by the
    check on the whole names)."""
    body = compact(key)[1:] if key[:1] in FORMULA_MARKS else compact(key)
    return _signature(key), frozenset(map(hash, deletions(body[:TYPO_PREFIX])))


def _one_deletion_apart(a: str, b: str) -> bool:
    """Whether deleting at most one character from each makes them equal (what the deletion
    index finds), checked in one pass over the strings."""
    if len(a) < len(b):
        a, b = b, a
    if len(a) - len(b) > 1:
        return False
    start, n = 0, len(b)
    while start < n and a[start] == b[start]:
        start += 1
    if len(a) > n:
        return a[start + 1 :] == b[start:]
    if start == n:
        return True
    end = n - 1
    while end > start and a[end] == b[end]:
        end -= 1
    return a[start + 1 : end + 1] == b[start:end] or a[start:end] == b[start + 1 : end + 1]


def _typo_index(keys: list[str]) -> Index:
    """Signature -> hash of a one-letter deletion -> the key (or keys) that have both.

    Most deletions belong to one name: that name is the entry itself, not a set of one (a set
    costs 216 bytes, for each of the 49 deletions of every name).
    """
    index: Index = {}
    for key in keys:
        if len(compact(key)) >= MIN_TYPO_LENGTH:
            signature, variants = _variants(key)
            same = index.setdefault(signature, {})
            for variant in variants:
                found = same.get(variant)
                if found is None:
                    same[variant] = key
                elif found.__class__ is str:
                    same[variant] = {found, key}
                else:
                    found.add(key)
    return index


def _differ_by_an_initial(a: str, b: str) -> bool:
    """ "Arvioija A" and "Arvioija B", "Anna K" and "Anna M": a letter that tells people apart."""
    words_a, words_b = a.split(), b.split()
    if len(words_a) != len(words_b):
        return False
    differing = [(x, y) for x, y in zip(words_a, words_b, strict=True) if x != y]
    return len(differing) == 1 and max(map(len, differing[0])) <= 2


def _reason(a: str, b: str) -> str | None:
    if _signature(a) != _signature(b):
        return None
    if compact(a) == compact(b):
        return "joined"
    if word_order(a) == word_order(b):
        return "word_order"
    if _differ_by_an_initial(a, b):
        return None
    return "typo"


class Candidates:
    """Names a new name may be the same as: existing records, then more frequent file names."""

    def __init__(self, known: Known, file_keys: Counter) -> None:
        self.known = known
        self.file_keys = file_keys
        self.names = {key: known.names[i] for key, i in known.by_key.items()}
        self.by_compact = {compact(k): k for k in self.names}
        self.by_order = {word_order(k): k for k in self.names}
        self.typos = _typo_index(list(self.names))
        self.file_compact: dict[str, str] = {}
        self.file_order: dict[str, str] = {}
        by_use = [k for k, _ in file_keys.most_common()]  # the most used spelling is proposed
        for key in by_use:
            self.file_compact.setdefault(compact(key), key)
            self.file_order.setdefault(word_order(key), key)
        self.file_typos = _typo_index(by_use)

    def existing(self, key: str) -> str | None:
        for found in (self.by_compact.get(compact(key)), self.by_order.get(word_order(key))):
            if found and found != key and _reason(key, found):
                return found
        return _typo_hit(key, self.typos)

    def in_file(self, key: str) -> str | None:
        """A more used spelling of ``key`` in the same file, if there is one."""
        for found in (self.file_compact.get(compact(key)), self.file_order.get(word_order(key))):
            if found and found != key and _reason(key, found) and self._more_used(found, key):
                return found
        return _typo_hit(key, self.file_typos, lambda k: self._more_used(k, key))

    def _more_used(self, other: str, key: str) -> bool:
        a, b = self.file_keys[other], self.file_keys[key]
        return a > b or (a == b and other < key)


def _typo_hit(key: str, index: Index, accept=lambda k: True) -> str | None:
    if len(compact(key)) < MIN_TYPO_LENGTH:
        return None
    signature, variants = _variants(key)
    same = index.get(signature)
    if not same:
        return None
    hits: set[str] = set()
    for variant in variants:
        found = same.get(variant)
        if found is None:
            continue
        if found.__class__ is str:
            hits.add(found)
        else:
            hits.update(found)
    hits.discard(key)
    whole = compact(key)
    ranked = sorted(
        h for h in hits if _one_deletion_apart(whole, compact(h)) and _reason(key, h) and accept(h)
    )
    return ranked[0] if ranked else None


def near_matches(
    kind: str,
    known: Known,
    uses: dict[str, tuple[str, Place, int]],
) -> list[NearMatch]:
    """Near matches of the names in ``uses`` (key -> (name, first place, count)) not known."""
    new = {k: v for k, v in uses.items() if k and k not in known.by_key}
    candidates = Candidates(known, Counter({k: v[2] for k, v in new.items()}))
    found: list[NearMatch] = []
    for key, (name, place, count) in new.items():
        other = candidates.existing(key)
        if other is not None:
            record_id = known.by_key[other]
            candidate = known.names[record_id]
        else:
            other = candidates.in_file(key)
            if other is None:
                continue
            record_id, candidate = None, new[other][0]
        reason = _reason(key, other) or "typo"
        found.append(NearMatch(kind, name, key, candidate, other, record_id, reason, place, count))
    return found
