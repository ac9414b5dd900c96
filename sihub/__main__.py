"""The command line: ``python -m sihub COMMAND``. A thin skin over the same library functions
the pages use; library errors become messages and exit codes, never tracebacks.

Exit codes: 0 done, 1 the file has blocking errors (nothing written), 2 unreadable input or
misuse of the command.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date

from sihub.errors import SihubError
from sihub.i18n import DEFAULT_LANGUAGE, LANGUAGES, set_language, t
from sihub.store import db_path


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m sihub", description="SI Hub command line")
    parser.add_argument("--db", help="DuckDB store (default: $SIHUB_DB or data/sihub.duckdb)")
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=None,
        help="language of messages (default: $SIHUB_LANG or fi)",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="build the demo store from freshly generated workbooks")
    demo.add_argument("--replace", action="store_true", help="replace an existing store")
    demo.add_argument(
        "--date",
        type=date.fromisoformat,
        default=None,
        help="reference date YYYY-MM-DD (default: today)",
    )
    imp = sub.add_parser("import", help="import a workbook or CSV file")
    imp.add_argument("path")
    imp.add_argument("--dry-run", action="store_true", help="validate and preview only")
    sub.add_parser("imports", help="list import batches")
    undo = sub.add_parser("undo", help="undo an import batch")
    undo.add_argument("batch_id", type=int)
    sub.add_parser("reload", help="reload frameworks and vocabularies from data/")
    for p in sub.choices.values():  # --db and --lang are accepted after the command too
        p.add_argument("--db", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        p.add_argument(
            "--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help=argparse.SUPPRESS
        )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    import os

    set_language(args.lang or os.environ.get("SIHUB_LANG", DEFAULT_LANGUAGE))
    try:
        return COMMANDS[args.command](args)
    except SihubError as e:
        print(e.message(), file=sys.stderr)
        return 2


def _open(args: argparse.Namespace):
    from sihub.reference import sync_reference_data
    from sihub.store import open_store

    store = open_store(args.db)
    sync_reference_data(store)
    return store


def cmd_demo(args: argparse.Namespace) -> int:
    from sihub.demo import build_demo_store

    path = db_path(args.db)
    counts = build_demo_store(path, args.date, replace=args.replace)
    print(t("cli.demo_built", path=path, **counts))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from sihub.importing import BLOCKED, UNREADABLE, import_file

    store = _open(args)
    result = import_file(store, args.path, dry_run=args.dry_run, imported_by="cli")
    for issue in result.issues:
        print(f"{issue.severity:8} {issue.location:24} {issue.code:28} {issue.message()}")
    print(t(f"cli.import_{result.status}", file=result.file_name, batch=result.batch_id or ""))
    if result.summary:
        for what, count in sorted(result.summary.counts.items()):
            print(f"  {what}: {count}")
    return {BLOCKED: 1, UNREADABLE: 2}.get(result.status, 0)


def cmd_imports(args: argparse.Namespace) -> int:
    from sihub.importing import batches

    frame = batches(_open(args))
    print(frame.to_string(index=False) if not frame.empty else t("cli.no_imports"))
    return 0


def cmd_undo(args: argparse.Namespace) -> int:
    from sihub.importing import undo_batch

    count = undo_batch(_open(args), args.batch_id)
    print(t("cli.undone", batch=args.batch_id, count=count))
    return 0


def cmd_reload(args: argparse.Namespace) -> int:
    from sihub.reference import sync_reference_data
    from sihub.store import open_store

    sync_reference_data(open_store(args.db), force=True)
    print(t("cli.reloaded"))
    return 0


COMMANDS = {
    "demo": cmd_demo,
    "import": cmd_import,
    "imports": cmd_imports,
    "undo": cmd_undo,
    "reload": cmd_reload,
}

if __name__ == "__main__":
    sys.exit(main())
