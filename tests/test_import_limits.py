"""What one value of a file may cost: bounded caches, a bounded near-match index, linear header
matching, and length limits on names and texts (issue 10). Figures: ``bench.import_limits``."""

from __future__ import annotations

import time

import pytest

from sihub.importing import cache
from sihub.importing.layout import _strip_words
from sihub.importing.matching import TYPO_PREFIX, _typo_hit, _typo_index
from sihub.importing.specs import clean_header
from sihub.text import fold


def test_a_byte_budget_cache_forgets_the_least_recently_used_past_its_budget():
    lru = cache.ByteBudgetLRU("test", budget=1000)
    for n in range(20):
        lru.put(n, "x", 100)
        assert lru.bytes <= 1000
    assert len(lru) == 10 and lru.get(19) == "x" and lru.get(9) is None
    lru.get(10)  # used again: kept when the next entry comes
    lru.put("new", "y", 100)
    assert lru.get(10) == "x" and lru.get(11) is None
    lru.put("huge", "z", 5000)  # larger than the whole budget: never kept
    assert lru.get("huge") is None and lru.bytes <= 1000


def test_the_importers_caches_hold_bytes_not_entries():
    @cache.bytes_cache("test long texts", 100_000)
    def shout(text: str) -> str:
        return text.upper()

    for n in range(50):
        shout(f"{n} " + "a" * 10_000)
    assert shout.cache.bytes <= 100_000 and len(shout.cache) < 10
    assert {c.name for c in cache.caches()} >= {"record keys", "typo variants", "clean headers"}


@pytest.mark.parametrize(
    ("name", "other", "near"),
    [
        # a typo past the indexed prefix is still found, checked on the whole name
        ("a" * TYPO_PREFIX + "kohtaamo nuorille", "a" * TYPO_PREFIX + "kohtamo nuorille", True),
        ("b" * 200 + "x", "b" * 200 + "y", True),
        # the same prefix, then a different name: not a typo
        ("c" * TYPO_PREFIX + "kuopion kohtaamo", "c" * TYPO_PREFIX + "oulun olohuone", False),
        ("nuorten kohtaamo", "nuorten kohtamo", True),
        ("nuorten kohtaamo", "vanhusten kohtaamo", False),
    ],
)
def test_typos_are_indexed_on_a_prefix_and_checked_whole(name, other, near):
    index = _typo_index([other])
    assert (_typo_hit(name, index) == other) is near


@pytest.mark.parametrize(
    "cell", ["1" * 32767, "-" * 32767, "1-" * 16000, "(a" * 16000, "perustelut " * 2900]
)
def test_a_huge_cell_costs_header_matching_no_more_than_its_length(cell):
    """A cell of 32,767 digits took 49 s, of dashes 12 s: regular expressions tried from each
    character of a run. Now each is one pass (well under a second; the bound is loose on
    purpose, the figures are the benchmark's)."""
    started = time.perf_counter()
    clean_header(cell)
    _strip_words(fold(cell), "comment")
    _strip_words(fold(cell), "score")
    assert time.perf_counter() - started < 5
