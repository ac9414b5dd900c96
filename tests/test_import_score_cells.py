"""Score cells as form tools and people write them: decimal commas, "4 – hyvä", "4/5", a
level's label alone, and the marks of a missing score; anything else is a located error."""

from __future__ import annotations

from sihub import importing
from tests.import_corpus import TODAY, write_book

MISSING = (None, None)
CELLS = [  # (typed, (value, normalised) on 1–5, or the issue code at its cell)
    (4, (4.0, 0.75)),
    ("3,5", (3.5, 0.625)),
    ("4 – hyvä", (4.0, 0.75)),
    ("4/5", (4.0, 0.75)),
    ("4 / 5", (4.0, 0.75)),
    ("2/3", "score_not_on_scale"),  # two thirds is not 2 of 5
    ("hyvä", (4.0, 0.75)),
    ("Erinomainen", (5.0, 1.0)),
    ("hyvä (4)", (4.0, 0.75)),
    ("5 = erinomainen", (5.0, 1.0)),
    ("–", MISSING),
    ("ei arvioitu", MISSING),
    ("n/a", MISSING),
    ("N/A", MISSING),
    ("En osaa sanoa", MISSING),
    ("ej bedömd", MISSING),
    (0, "score_out_of_range"),
    ("paljon", "score_not_on_scale"),
]


def test_score_cells_as_typed(reference_store, tmp_path):
    rows = [["Innovaatio", "Arvioija", "Uutuusarvo"]]
    rows += [["Olohuone", f"Arvioija {n}", typed] for n, (typed, _) in enumerate(CELLS)]
    path = write_book(tmp_path / "pisteet.xlsx", {"Vastaukset": rows})
    parsed = importing.prepare(reference_store, path, today=TODAY)
    s = parsed.assessments.s
    got = {
        row: (value, norm)
        for row, value, norm in zip(s["row"], s["value"], s["normalised"], strict=True)
    }
    errors = {i.row: i.code for i in parsed.issues if i.column == "C"}
    for n, (typed, expected) in enumerate(CELLS):
        row = n + 2
        if isinstance(expected, str):
            assert errors.get(row) == expected, typed
        else:
            assert got.get(row, MISSING) == expected and row not in errors, typed
