"""Importing workbooks: read -> plan -> validate -> load; one code path for the Import page,
the command line and the demo.

``import_file`` is the whole pipeline and never raises for bad input: problems come back as
issues in the result. The Import page runs it in steps: ``read`` the upload, ``prepare`` it
with the user's mapping and near-match answers, look at the issues and a dry run of
``commit``, then ``commit`` for real. Undo and the history live in ``history``.
"""

from __future__ import annotations

import gc
import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sihub.access import Viewer, require
from sihub.db import derived
from sihub.db.store import Store
from sihub.errors import ImportFileError
from sihub.exports import is_demo
from sihub.funding.status import now_to_store, today_in_finland
from sihub.i18n import LANGUAGES, catalogue
from sihub.importing import demo_files
from sihub.importing.context import Context
from sihub.importing.history import UndoError, history, undo_batch
from sihub.importing.issues import Issue
from sihub.importing.journal import column_types
from sihub.importing.layout import Mapping, plan_workbook, template_sheet_names
from sihub.importing.loading import load
from sihub.importing.matching import NEW, SAME
from sihub.importing.reading import Workbook, read_workbook
from sihub.importing.specs import synonyms
from sihub.importing.upsert import Summary
from sihub.importing.validation import ParsedWorkbook, validate
from sihub.importing.writer import (
    ImportBusyError,
    ImportCommitError,
    ImportConflictError,
    ImportStoreError,
    one_writer,
    retried,
    store_errors_translated,
)

IMPORTED = "imported"
DRY_RUN = "dry_run"
BLOCKED = "blocked"  # the file has blocking errors; nothing was written
NOTHING_TO_IMPORT = "nothing_to_import"  # headers but no data rows; nothing was written
UNREADABLE = "unreadable"
ALREADY_IMPORTED = "already_imported"

__all__ = [
    "ALREADY_IMPORTED",
    "BLOCKED",
    "DRY_RUN",
    "IMPORTED",
    "NEW",
    "NOTHING_TO_IMPORT",
    "SAME",
    "UNREADABLE",
    "ImportBusyError",
    "ImportCommitError",
    "ImportConflictError",
    "ImportResult",
    "ImportStoreError",
    "Mapping",
    "UndoError",
    "commit",
    "history",
    "import_file",
    "pilot_from_file_name",
    "prepare",
    "read",
    "undo_batch",
]


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

    @property
    def layout(self) -> str | None:
        return self.parsed.layout if self.parsed else None


def read(source: bytes | str | Path, file_name: str | None = None) -> Workbook:
    """Read a file (bytes of an upload or a path); raises ImportFileError if it cannot be read."""
    with bulk_work():
        return read_workbook(source, file_name, meanwhile=warm_up)


def warm_up(store: Store | None = None) -> None:
    """Load, once per process, what checking and writing a file need (run while it parses).

    The catalogues of every language (sheet names of the template are recognised in all
    three), the synonym table, pyarrow's dataset module, which DuckDB imports the first time
    it is handed an Arrow table, and the store's column types, which the writes use.
    """
    import pyarrow.dataset  # noqa: F401

    for lang in LANGUAGES:
        catalogue(lang)
    template_sheet_names()
    synonyms()
    if store is not None:
        cur = store.cursor()
        try:
            column_types(cur)
        finally:
            cur.close()


@contextmanager
def bulk_work() -> Iterator[None]:
    """Python's cycle collector paused while a file's rows are read and written.

    A read workbook is hundreds of thousands of small lists that live until the commit; the
    collector would walk them again and again for nothing (they hold no cycles).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def prepare(
    store: Store,
    source: bytes | str | Path | Workbook,
    file_name: str | None = None,
    today: date | None = None,
    mapping: Mapping | None = None,
    decisions: dict[str, str] | None = None,
    context: Context | None = None,
    allow_demo: bool = False,
) -> ParsedWorkbook:
    """Read (unless given a Workbook), lay out and validate a file, with the user's choices.

    ``context`` is what checking needs of the store, when the caller has it loaded already
    (the Import page keeps it while the store does not change); otherwise it is loaded here.
    A file made from demo data is refused for a real store unless ``allow_demo``.
    """
    today = today or today_in_finland()
    name = source.file_name if isinstance(source, Workbook) else file_name or ""
    with bulk_work(), store_errors_translated(name):
        if isinstance(source, Workbook):
            workbook, ctx = source, context or Context.load(store, today)
        else:
            loaded: list[Context] = []

            def meanwhile() -> None:
                warm_up(store)
                loaded.append(context or Context.load(store, today))

            workbook = read_workbook(source, file_name, meanwhile=meanwhile)
            ctx = loaded[0]
        mapping = mapping or Mapping()
        parsed = validate(workbook, plan_workbook(workbook, ctx, mapping), ctx, mapping)
    parsed.found.extend(demo_files.refusal(workbook, is_demo(store), allow_demo))
    parsed.context = ctx
    return parsed.decide(decisions or {})


def already_imported(store: Store, sha256: str) -> int | None:
    return store.scalar(
        "SELECT id FROM import_batches WHERE file_sha256 = ? AND status = 'committed' "
        "ORDER BY id DESC LIMIT 1",
        [sha256],
    )


_MARK = (  # what people add to a file name for a new version of the same file
    r"(?:\(\d+\)|\(?(?:v\d+|versio\s*\d+|version\s*\d+|korjattu|korjaus|corrected|final|"
    r"lopullinen|rättad|slutlig|kopio|copy|kopia|\d{4}-\d{2}-\d{2}|\d{1,2}\.\d{1,2}\.\d{4}|"
    r"\d{8})\)?)"
)
_VERSION_MARKS = re.compile(rf"(?:[\s_-]*{_MARK})+$", re.IGNORECASE)


def pilot_from_file_name(file_name: str) -> str:
    """The pilot a file belongs to, from its name without versions, copies and dates.

    ``SOILA arvioinnit v2 (1).xlsx`` -> ``SOILA arvioinnit``.
    """
    stem = Path(file_name).stem.strip()
    cleaned = _VERSION_MARKS.sub("", stem).strip(" _-")
    return cleaned or stem


def commit(
    store: Store,
    parsed: ParsedWorkbook,
    *,
    by: Viewer,
    dry_run: bool = False,
    kind: str = "import",
    pilot: str | None = None,
    on_wait: Callable[[], object] | None = None,
) -> ImportResult:
    """Write ``parsed`` as one batch in one transaction (or, with ``dry_run``, roll it back),
    for ``by``, who must be staff (NotAllowedError otherwise) and is recorded as who imported.

    One write to a store at a time: if another import is being written, ``on_wait`` is called
    (the page says so) and this one waits its turn. Database errors come as SihubErrors.
    """
    require(by, "import")
    book = parsed.workbook
    result = ImportResult(BLOCKED, book.file_name, parsed.issues, parsed=parsed)
    if parsed.blocked:
        if parsed.nothing_to_import:
            result.status = NOTHING_TO_IMPORT
        return result
    pilot = (
        pilot
        or str(parsed.mapping.defaults.get("pilot") or "")
        or pilot_from_file_name(book.file_name)
    )
    with one_writer(store, on_wait):
        # asked in turn: of two sessions committing the same file, the second is told so
        previous = retried(lambda: already_imported(store, book.sha256), book.file_name)
        if previous is not None:
            result.status, result.batch_id = ALREADY_IMPORTED, previous
            return result
        batch_id, summary = retried(
            lambda: write_batch(store, parsed, dry_run, kind, by.identity, pilot),
            book.file_name,
            ImportCommitError,
        )
    result.status = DRY_RUN if dry_run else IMPORTED
    result.summary, result.batch_id = summary, None if dry_run else batch_id
    return result


def write_batch(
    store: Store, parsed: ParsedWorkbook, dry_run: bool, kind: str, who: str | None, pilot: str
) -> tuple[int, Summary]:
    """The batch's one transaction: open the batch, load everything, record the counts, and
    refresh the derived rows of what it touched; when that is most of the store, the whole
    rebuild follows the commit instead (``sihub.db.derived``: memory)."""
    whole = False
    with bulk_work(), store.transaction(rollback=dry_run) as cur:
        batch_id = _open_batch(cur, parsed, kind, who, pilot)
        summary = load(cur, parsed, batch_id, pilot)
        cur.execute(
            "UPDATE import_batches SET counts = ? WHERE id = ?",
            [json.dumps(dict(summary.counts)), batch_id],
        )
        if not dry_run:  # a dry run is rolled back: nothing to derive
            touched = derived.touched_by(cur, batch_id)
            whole = derived.is_most(cur, touched)
            if not whole:
                derived.refresh_in(cur, touched)
    if whole:  # the records are written: their memory goes to the rebuild
        parsed.release_records()
        derived.rebuild_now(store)
    return batch_id, summary


def _open_batch(cur, parsed: ParsedWorkbook, kind: str, who: str | None, pilot: str) -> int:
    book = parsed.workbook
    mapping_name = parsed.mapping.defaults.get("name")
    # max + 1 rather than the sequence: a dry run (rolled back) must not use up batch numbers;
    # no RETURNING, which PostgreSQL through DuckDB's attachment lacks (writers run one at a time)
    batch_id = cur.execute("SELECT coalesce(max(id), 0) + 1 FROM import_batches").fetchone()[0]
    cur.execute(
        "INSERT INTO import_batches (id, kind, file_name, file_sha256, file_size, sheets, layout, "
        "pilot, mapping_name, imported_by, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            batch_id,
            kind,
            book.file_name,
            book.sha256,
            book.size,
            ", ".join(parsed.sheets),
            parsed.layout,
            pilot,
            mapping_name,
            who,
            now_to_store(),
        ],
    )
    return batch_id


def import_file(
    store: Store,
    source: bytes | str | Path,
    file_name: str | None = None,
    *,
    by: Viewer,
    dry_run: bool = False,
    kind: str = "import",
    today: date | None = None,
    mapping: Mapping | None = None,
    decisions: dict[str, str] | None = None,
    near_matches: str | None = None,
    pilot: str | None = None,
    allow_demo: bool = False,
) -> ImportResult:
    """The whole pipeline. Bad input comes back as issues in the result, never as an exception.

    ``near_matches`` (``same`` or ``new``) answers every near match the same way, for the
    command line; the page asks about each. ``by`` must be staff (see ``commit``), asked
    before the file is read.
    """
    require(by, "import")
    try:
        parsed = prepare(store, source, file_name, today, mapping, decisions, allow_demo=allow_demo)
    except ImportFileError as e:
        name = file_name or (Path(str(source)).name if not isinstance(source, bytes) else "")
        return ImportResult(UNREADABLE, name, [file_issue(e)])
    if near_matches in (SAME, NEW):
        parsed.decide({m.id: near_matches for m in parsed.near} | (decisions or {}))
    parsed.release_cells()
    return commit(store, parsed, by=by, dry_run=dry_run, kind=kind, pilot=pilot)


def file_issue(error: ImportFileError) -> Issue:
    """The one issue of a file that cannot be read at all, at its cell when it has one."""
    values = error.values
    params = {k: v for k, v in values.items() if k not in ("code", "file", "row", "column")}
    return Issue(
        str(values.get("code", "unreadable_file")),
        sheet=values.get("sheet"),
        row=values.get("row"),
        column=values.get("column"),
        value=error.detail,
        params=params,
    )
