"""Importing workbooks: read -> validate -> load, one code path for the pages, the CLI and demo.

``import_file`` is the whole pipeline; ``prepare`` and ``commit`` split it for the Import page,
which shows the report and the preview between the two.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from sihub.errors import ImportFileError, SihubError
from sihub.importing.issues import Issue
from sihub.importing.journal import undo
from sihub.importing.loading import Summary, load
from sihub.importing.reading import read_workbook
from sihub.importing.validation import ParsedWorkbook, validate_workbook
from sihub.store import Store

IMPORTED = "imported"
DRY_RUN = "dry_run"
BLOCKED = "blocked"  # the file has blocking errors; nothing was written
UNREADABLE = "unreadable"
ALREADY_IMPORTED = "already_imported"


@dataclass
class ImportResult:
    status: str
    file_name: str
    issues: list[Issue] = field(default_factory=list)
    summary: Summary | None = None
    batch_id: int | None = None
    parsed: ParsedWorkbook | None = None

    @property
    def ok(self) -> bool:
        return self.status in (IMPORTED, DRY_RUN, ALREADY_IMPORTED)


class UndoError(SihubError):
    """A batch cannot be undone (unknown, already undone, or later batches changed its rows)."""

    key = "error.undo"


def prepare(
    store: Store,
    source: bytes | str | Path,
    file_name: str | None = None,
    today: date | None = None,
) -> ParsedWorkbook:
    """Read and validate a file; raises ImportFileError when it cannot be read at all."""
    workbook = read_workbook(source, file_name)
    return validate_workbook(workbook, store, today or date.today())


def already_imported(store: Store, sha256: str) -> int | None:
    return store.scalar(
        "SELECT id FROM import_batches WHERE file_sha256 = ? AND status = "
        "'committed' ORDER BY id DESC LIMIT 1",
        [sha256],
    )


def commit(
    store: Store,
    parsed: ParsedWorkbook,
    *,
    dry_run: bool = False,
    kind: str = "import",
    imported_by: str | None = None,
    pilot: str | None = None,
) -> ImportResult:
    """Write ``parsed`` as one batch in one transaction (or, with ``dry_run``, roll it back)."""
    book = parsed.workbook
    result = ImportResult(BLOCKED, book.file_name, parsed.issues, parsed=parsed)
    if parsed.blocked:
        return result
    previous = already_imported(store, book.sha256)
    if previous is not None:
        result.status, result.batch_id = ALREADY_IMPORTED, previous
        return result
    with store.transaction(rollback=dry_run) as cur:
        batch_id = cur.execute(
            "INSERT INTO import_batches (kind, file_name, file_sha256, file_size, sheets, layout, "
            "pilot, imported_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            [
                kind,
                book.file_name,
                book.sha256,
                book.size,
                ", ".join(parsed.sheets),
                parsed.layout,
                pilot or Path(book.file_name).stem,
                imported_by,
            ],
        ).fetchone()[0]
        summary = load(cur, parsed, batch_id)
        cur.execute(
            "UPDATE import_batches SET counts = ? WHERE id = ?",
            [json.dumps(dict(summary.counts)), batch_id],
        )
    result.status = DRY_RUN if dry_run else IMPORTED
    result.summary, result.batch_id = summary, None if dry_run else batch_id
    return result


def import_file(
    store: Store,
    source: bytes | str | Path,
    file_name: str | None = None,
    *,
    dry_run: bool = False,
    kind: str = "import",
    imported_by: str | None = None,
    today: date | None = None,
) -> ImportResult:
    """The whole pipeline. Bad input comes back as issues in the result, never as an exception."""
    try:
        parsed = prepare(store, source, file_name, today)
    except ImportFileError as e:
        name = file_name or Path(str(source)).name if not isinstance(source, bytes) else file_name
        issue = Issue(
            e.values.get("code", "unreadable_file"),
            value=e.detail,
            params={k: v for k, v in e.values.items() if k not in ("code", "file")},
        )
        return ImportResult(UNREADABLE, name or "", [issue])
    return commit(store, parsed, dry_run=dry_run, kind=kind, imported_by=imported_by)


def undo_batch(store: Store, batch_id: int) -> int:
    """Restore the store to its state before ``batch_id``; returns the number of writes undone."""
    batch = store.records("SELECT * FROM import_batches WHERE id = ?", [batch_id])
    if not batch or batch[0]["status"] != "committed":
        raise UndoError(str(batch_id), batch=batch_id)
    # A later batch that touched the same rows must be undone first, or undo would not be exact.
    later = store.rows(
        """SELECT DISTINCT later.batch_id FROM batch_journal later
           JOIN import_batches b ON b.id = later.batch_id AND b.status = 'committed'
           JOIN batch_journal mine ON mine.batch_id = ? AND mine.table_name = later.table_name
                AND mine.row_key = later.row_key
           WHERE later.batch_id > ? ORDER BY 1""",
        [batch_id, batch_id],
    )
    if later:
        raise UndoError(str(batch_id), batch=batch_id, later=later[0][0])
    with store.transaction() as cur:
        count = undo(cur, batch_id)
        cur.execute(
            "UPDATE import_batches SET status = 'undone', undone_at = current_timestamp "
            "WHERE id = ?",
            [batch_id],
        )
    return count


def batches(store: Store) -> pd.DataFrame:
    """Import history, newest first."""
    return store.query(
        "SELECT id, kind, file_name, imported_at, imported_by, layout, counts, "
        "status, undone_at FROM import_batches ORDER BY id DESC"
    )
