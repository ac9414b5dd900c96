"""The answers every session shares (``sihub.ui.memo``): kept by their bytes, so that a visit's
pages do not push each other's answers out, and computed once however many ask at once."""

import threading
import time

import pandas as pd
import pytest

from sihub.ui.memo import Memo, size_of


def rows(n: int) -> pd.DataFrame:
    return pd.DataFrame({"id": range(n), "name": [f"Innovation {i}" for i in range(n)]})


def test_answers_are_kept_within_the_budget_least_recently_used_dropped_first():
    one = size_of(rows(1_000))
    memo = Memo(budget=int(3.5 * one))
    computed = []

    def answer(key):
        computed.append(key)
        return rows(1_000)

    for key in ("a", "b", "c"):
        memo.get(key, lambda key=key: answer(key))
    memo.get("a", lambda: answer("a"))  # a hit: "a" is now the most recently used
    memo.get("d", lambda: answer("d"))  # over the budget: "b", the least recently used, goes
    assert computed == ["a", "b", "c", "d"]
    assert "a" in memo and "b" not in memo and "c" in memo and "d" in memo
    assert memo.kept_bytes <= memo.budget


def test_many_small_answers_stay_beside_a_large_one():
    """The reason for a budget in bytes: a page's dozen small answers (words, charts) are not
    pushed out by the count of entries, only by what they weigh."""
    memo = Memo(budget=size_of(rows(10_000)) + 200 * size_of(("a sentence about 80 bytes",)))
    memo.get("explorer rows", lambda: rows(10_000))
    for n in range(100):
        memo.get(("words", n), lambda n=n: (f"sentence {n}",))
    assert "explorer rows" in memo and all(("words", n) in memo for n in range(100))


def test_an_answer_asked_for_by_many_at_once_is_computed_once():
    memo = Memo(budget=10**8)
    calls = []

    def slow():
        calls.append(1)
        time.sleep(0.2)
        return rows(10)

    got = []
    threads = [threading.Thread(target=lambda: got.append(memo.get("k", slow))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1 and len(got) == 8 and all(g is got[0] for g in got)


def test_a_failed_computation_keeps_nothing_and_the_next_ask_computes_again():
    memo = Memo(budget=10**8)

    def broken():
        raise RuntimeError("store went away")

    with pytest.raises(RuntimeError):
        memo.get("k", broken)
    assert "k" not in memo and memo.kept_bytes == 0
    assert memo.get("k", lambda: 42) == 42


def test_an_answer_larger_than_the_budget_is_returned_not_kept():
    memo = Memo(budget=1_000)
    big = rows(10_000)
    assert memo.get("big", lambda: big) is big
    assert "big" not in memo and memo.kept_bytes == 0


def test_arguments_python_cannot_hash_still_find_their_answer():
    memo = Memo(budget=10**8)
    computed = []
    for _ in range(2):
        memo.get(("ranking", {"weights": [1, 2]}), lambda: computed.append(1) or "ranked")
    assert computed == [1]
    assert memo.get(("ranking", {"weights": [2, 1]}), lambda: "other") == "other"


def test_sizes_follow_what_an_answer_holds():
    assert size_of(rows(10_000)) > 5 * size_of(rows(1_000))
    table = rows(1_000)
    assert size_of({"table": table, "again": table}) < 1.1 * size_of(table)  # counted once
    assert size_of(("a", "b" * 10_000)) > 10_000
