"""Import history and exact undo.

A batch can be undone when no later batch that is still in the store touched the rows it
wrote or refers to rows it added (an assessment of an innovation the batch created, say):
undoing it would otherwise leave the later batch's rows dangling. Undo those later batches
first; the message names the one in the way.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from sihub.access import Viewer, require
from sihub.db import derived
from sihub.db.store import Store
from sihub.errors import SihubError
from sihub.funding.status import finnish_time, finnish_times, now_to_store
from sihub.importing.journal import undo
from sihub.importing.writer import one_writer, retried
from sihub.personal import shown_assessor_sql

# Which columns refer to which table's ids: a later batch's row referring to a row this batch
# inserted blocks the undo. (Tables of other features that refer to innovations should be
# listed here when they are written by imports.)
REFERENCES: dict[str, tuple[tuple[str, str], ...]] = {
    "innovations": (
        ("assessments", "innovation_id"),
        ("stage_history", "innovation_id"),
        ("developer_answers", "innovation_id"),
        ("development_steps", "innovation_id"),
        ("innovation_countries", "innovation_id"),
        ("innovation_regions", "innovation_id"),
        ("innovation_themes", "innovation_id"),
        ("innovation_target_groups", "innovation_id"),
        ("innovation_organisations", "innovation_id"),
        ("funding_awards", "innovation_id"),
    ),
    "organisations": (
        ("innovation_organisations", "organisation_id"),
        ("funding_awards", "organisation_id"),
    ),
    "assessors": (("assessments", "assessor_id"),),
    "assessments": (("scores", "assessment_id"),),
    "funding_opportunities": (("funding_awards", "opportunity_id"),),
}
COUNT_COLUMNS = (
    "assessments_new",
    "scores_new",
    "assessments_replaced",
    "innovations_new",
    "organisations_new",
    "assessors_new",
    "funding_new",
)


class UndoError(SihubError):
    """A batch cannot be undone (unknown, already undone, or later batches changed its rows)."""

    key = "error.undo"


class UnknownBatchError(UndoError):
    """No import batch has this number."""

    key = "error.undo_unknown"


class AlreadyUndoneError(UndoError):
    """The batch was undone before."""

    key = "error.undo_already"


class LaterBatchError(UndoError):
    """A later batch changed or refers to this batch's rows; undo that one first."""

    key = "error.undo_later"


def blocking_batch(store: Store, batch_id: int) -> int | None:
    """The first later, still committed batch that stands in the way of undoing ``batch_id``."""
    same_rows = store.scalar(
        """SELECT min(later.batch_id) FROM batch_journal later
           JOIN import_batches b ON b.id = later.batch_id AND b.status = 'committed'
           JOIN batch_journal mine ON mine.batch_id = ? AND mine.table_name = later.table_name
                AND json(mine.row_key) = json(later.row_key)
           WHERE later.batch_id > ?""",
        [batch_id, batch_id],
    )
    found = [same_rows] if same_rows is not None else []
    for table, referring in REFERENCES.items():
        for other, column in referring:
            found.append(
                store.scalar(
                    f"""SELECT min(o.batch_id) FROM {other} o
                        JOIN import_batches b ON b.id = o.batch_id AND b.status = 'committed'
                        WHERE o.batch_id <> ? AND o.{column} IN (
                            SELECT CAST(row_key->>'id' AS INTEGER) FROM batch_journal
                            WHERE batch_id = ? AND table_name = ? AND action = 'insert')""",
                    [batch_id, batch_id, table],
                )
            )
    found = [b for b in found if b is not None]
    return min(found) if found else None


def undo_batch(
    store: Store,
    batch_id: int,
    on_wait: Callable[[], object] | None = None,
    *,
    by: Viewer,
) -> int:
    """Restore the store to its state before ``batch_id``; returns the number of writes undone.
    ``by`` is who asked: staff only (NotAllowedError otherwise), recorded as signed in (the
    import history shows it).

    In turn with imports (``writer.one_writer``); database errors come as SihubErrors.
    """
    require(by, "import")
    undone_by = by.identity
    with one_writer(store, on_wait):
        batch = retried(
            lambda: store.records("SELECT status FROM import_batches WHERE id = ?", [batch_id])
        )
        if not batch:
            raise UnknownBatchError(str(batch_id), batch=batch_id)
        if batch[0]["status"] != "committed":
            raise AlreadyUndoneError(str(batch_id), batch=batch_id)
        later = retried(lambda: blocking_batch(store, batch_id))
        if later is not None:
            raise LaterBatchError(str(batch_id), batch=batch_id, later=later)
        return retried(lambda: _undo(store, batch_id, undone_by))


def _undo(store: Store, batch_id: int, undone_by: str | None) -> int:
    with store.transaction() as cur:
        touched = derived.touched_by(cur, batch_id)  # while the batch's rows are all there
        count = undo(cur, batch_id)
        cur.execute(
            "UPDATE import_batches SET status = 'undone', undone_at = ?, undone_by = ? "
            "WHERE id = ?",
            [now_to_store(), undone_by, batch_id],
        )
        derived.refresh_in(cur, touched)
    return count


@dataclass(frozen=True)
class UndoPreview:
    """What undoing a batch would take back, for the question asked before it is done."""

    batch_id: int
    file_name: str
    imported_at: datetime  # Finnish wall time, as the question shows it
    counts: dict[str, int]  # of COUNT_COLUMNS and the updates: only those above 0, in order


# What an undo takes back, in the order a person reads it: what the batch added (removed), then
# what it replaced or changed (restored).
UNDONE_COUNTS = (
    "innovations_new",
    "organisations_new",
    "assessors_new",
    "assessments_new",
    "scores_new",
    "stage_history_new",
    "answers_new",
    "funding_new",
    "awards_new",
    "assessments_replaced",
    "innovations_updated",
    "organisations_updated",
    "answers_updated",
    "funding_updated",
)


def undo_preview(store: Store, batch_id: int) -> UndoPreview | None:
    """The file, time and counts of ``batch_id`` if it is committed (else None)."""
    rows = store.records(
        "SELECT file_name, imported_at, counts FROM import_batches "
        "WHERE id = ? AND status = 'committed'",
        [batch_id],
    )
    if not rows:
        return None
    row = rows[0]
    counts = json.loads(row["counts"]) if row["counts"] else {}
    shown = {k: int(counts[k]) for k in UNDONE_COUNTS if int(counts.get(k) or 0) > 0}
    return UndoPreview(batch_id, row["file_name"], finnish_time(row["imported_at"]), shown)


def history(store: Store) -> pd.DataFrame:
    """Import history, newest first, with the main counts as columns (page and command line);
    its times in Finnish wall time."""
    frame = store.query(
        "SELECT id, kind, file_name, imported_at, imported_by, layout, pilot, mapping_name, "
        "counts, status, undone_at, undone_by FROM import_batches ORDER BY id DESC"
    )
    for column in ("imported_at", "undone_at"):
        frame[column] = finnish_times(frame[column])
    counts = [json.loads(c) if isinstance(c, str) and c else {} for c in frame["counts"]]
    for column in COUNT_COLUMNS:
        frame[column] = [int(c.get(column, 0)) for c in counts]
    return frame.drop(columns=["counts"])


def batch_assessors(store: Store) -> pd.DataFrame:
    """The assessors each batch added, as pages show them and as the file named them: the one
    place that pairs an assessor's number with the e-mail address they are known by, for staff
    (``sihub.personal``). Columns: batch_id, shown_as, imported_as, organisation."""
    return store.query(
        f"""SELECT r.batch_id, {shown_assessor_sql("r")} AS shown_as, r.name AS imported_as,
                   r.organisation
            FROM assessors r JOIN import_batches b ON b.id = r.batch_id
            ORDER BY r.batch_id DESC, r.id"""
    )
