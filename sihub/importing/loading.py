"""Writes a validated workbook into the store as one journalled batch, part by part, in order.

Records are matched to existing ones (innovations and organisations by reference, else by
normalised name, or as the user decided for a near match; assessors by name) and updated in
place; new ones get ids from their sequence in one query and arrive in one insert per table.
The machinery is in ``upsert``; each part in ``load_catalogue``, ``load_assessments`` (with
``supersede``, which earlier assessments a batch replaces) and ``load_funding``.
"""

from __future__ import annotations

from sihub.importing.load_assessments import load_assessments
from sihub.importing.load_catalogue import (
    load_answers,
    load_development_path,
    load_innovations,
    load_organisations,
    load_participants,
    load_stage_history,
)
from sihub.importing.load_funding import load_awards, load_calls
from sihub.importing.upsert import Cursor, LoadState, Summary, skip_what_validation_left_out
from sihub.importing.validation import ParsedWorkbook


def load(cur: Cursor, parsed: ParsedWorkbook, batch_id: int, pilot: str) -> Summary:
    """Write every part of ``parsed`` in dependency order; the caller owns the transaction."""
    state = LoadState.start(cur, parsed, batch_id, pilot)
    skip_what_validation_left_out(state)
    # Order matters: organisations before the innovations that name them, innovations before
    # everything that refers to them, funding calls before the awards that cite them.
    load_organisations(state)
    load_innovations(state)
    load_stage_history(state)
    load_development_path(state)
    load_participants(state)
    load_answers(state)
    load_assessments(state)
    load_calls(state)
    load_awards(state)
    return state.summary
