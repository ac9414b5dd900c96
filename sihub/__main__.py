"""The command line: ``python -m sihub COMMAND``. A thin skin over the same library functions
the pages use; library errors become messages and exit codes, never tracebacks.

Exit codes: 0 done, 1 the file has blocking errors or nothing to import (nothing written), 2
unreadable input or misuse of the command.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date

from sihub.db import db_path
from sihub.errors import SihubError
from sihub.i18n import LANGUAGES, language_from_environment, set_language, t
from sihub.settings import check_settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m sihub", description="SI Hub command line")
    parser.add_argument(
        "--db",
        help="the store: a DuckDB file or a postgresql://user@host/db URL "
        "(default: $SIHUB_DB or data/sihub.duckdb)",
    )
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=None,
        help="language of messages (default: $SIHUB_LANG, else the shell's LC_ALL, "
        "LC_MESSAGES or LANG, else fi)",
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
    imp.add_argument(
        "--mapping",
        help="a mapping saved on the Import page, or a .json file of one "
        '(e.g. {"columns": {"Form": {"column:F": "field:assessor_email"}}})',
    )
    imp.add_argument(
        "--map-value",
        action="append",
        default=[],
        metavar="FIELD:VALUE=CODE",
        help="what a value the hub does not know means, e.g. assessment_type:asiantuntija=expert "
        "(an empty CODE leaves it empty); the import prints the ones it needs",
    )
    imp.add_argument(
        "--map-column",
        action="append",
        default=[],
        metavar="[KIND:]HEADER=TARGET",
        help="what a column holds, by its header as the import prints it, e.g. "
        '"Form:kustannustehokkuus=ignore" or "column:F=field:assessor_email"',
    )
    imp.add_argument(
        "--map-scale",
        action="append",
        default=[],
        metavar="[KIND:]HEADER=SCALE",
        help="the scale a criterion column's values are on, "
        'e.g. "Form:yhteiskunnallinen tarve=0-5"',
    )
    imp.add_argument(
        "--save-mapping",
        metavar="NAME",
        help="save the mapping with these answers under NAME for the pilot's next file",
    )
    imp.add_argument("--pilot", help="pilot the file belongs to (default: from its name)")
    imp.add_argument(
        "--by", default=None, help="who imports (default: local:<your user name>; in the history)"
    )
    imp.add_argument(
        "--near-matches",
        choices=("same", "new"),
        default=None,
        help="answer every near match: the same record, or a new one (default: stop and ask)",
    )
    imp.add_argument(
        "--allow-demo",
        action="store_true",
        help="import a file made from demo data into a store of real data all the same",
    )
    sub.add_parser("imports", help="list import batches")
    undo = sub.add_parser("undo", help="undo an import batch")
    undo.add_argument("batch_id", type=int)
    template = sub.add_parser("template", help="write the hub template workbook")
    template.add_argument("out", help="the .xlsx file to write")
    sub.add_parser("reload", help="reload frameworks and vocabularies from data/")
    copy = sub.add_parser("copy", help="copy a whole store to another (e.g. to PostgreSQL)")
    copy.add_argument("--from", dest="source", required=True, help="the store to copy")
    copy.add_argument("--to", dest="target", required=True, help="the store to write")
    copy.add_argument("--replace", action="store_true", help="replace a target that has data")
    for p in sub.choices.values():  # --db and --lang are accepted after the command too
        p.add_argument("--db", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        p.add_argument(
            "--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help=argparse.SUPPRESS
        )
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = _parser().parse_args(argv)
    args.argv = argv  # what the user typed: the command the import proposes repeats it
    set_language(args.lang or language_from_environment(os.environ))
    try:
        check_settings()  # a setting that would switch a protection off stops every command
        return COMMANDS[args.command](args)
    except SihubError as e:
        print(e.message(), file=sys.stderr)
        return 2


def _open(args: argparse.Namespace):
    from sihub.db import open_store
    from sihub.reference import sync_reference_data

    store = open_store(args.db)
    sync_reference_data(store)
    return store


def cmd_demo(args: argparse.Namespace) -> int:
    from sihub.db.locations import redacted
    from sihub.demo import build_demo_store

    path = db_path(args.db)
    counts = build_demo_store(path, args.date, replace=args.replace)
    print(t("cli.demo_built", path=redacted(path), **counts))
    return 0


def _local_viewer(by: str | None = None):
    """Who runs a command: the person at the machine, staff as in the app's local mode (a
    command line reaches the store's files or password already), recorded as ``by`` when
    given, else as local mode records them."""
    from dataclasses import replace

    from sihub.access import local_viewer
    from sihub.access.settings import local_user

    viewer = local_viewer(local_user())
    return replace(viewer, identity=by) if by else viewer


def cmd_import(args: argparse.Namespace) -> int:
    from sihub.importing import BLOCKED, NOTHING_TO_IMPORT, UNREADABLE, import_file
    from sihub.importing.mappings import save_mapping, with_answers
    from sihub.importing.reading import SUFFIXES

    store = _open(args)
    mapping = with_answers(
        _mapping(store, args.mapping) if args.mapping else _pilot_mapping(store, args),
        args.map_value,
        args.map_column,
        args.map_scale,
    )
    result = import_file(
        store,
        args.path,
        dry_run=args.dry_run,
        by=_local_viewer(args.by),
        mapping=mapping,
        near_matches=args.near_matches,
        pilot=args.pilot,
        allow_demo=args.allow_demo,
    )
    if result.parsed is not None:
        _print_layout(result.parsed)
    _print_issues(result.issues)
    if result.status == UNREADABLE and result.issues[0].code == "unsupported_type":
        print(t("cli.import_types", types=", ".join(SUFFIXES)))
    if result.parsed is not None:
        _print_questions(result.parsed, args)
    if any(issue.code == "near_match" for issue in result.issues):
        print(t("cli.import_near_hint"))
    if any(issue.code == "demo_export" for issue in result.issues):
        print(t("cli.import_demo_hint"))
    print(t(f"cli.import_{result.status}", file=result.file_name, batch=result.batch_id or ""))
    if result.summary:
        _print_summary(result.summary)
    if args.save_mapping and result.ok:
        layout = result.parsed.layout if result.parsed else None
        saved = save_mapping(store, args.save_mapping, mapping, layout, by=_local_viewer(args.by))
        print(t("cli.mapping_saved", name=saved))
    return {BLOCKED: 1, NOTHING_TO_IMPORT: 1, UNREADABLE: 2}.get(result.status, 0)


def _mapping(store, name: str):
    """A mapping saved under ``name``, or the one in the JSON file ``name``."""
    from pathlib import Path

    from sihub.importing.mappings import load_mapping, mapping_from_file

    if name.lower().endswith(".json"):
        return mapping_from_file(Path(name))
    return load_mapping(store, name)


def _pilot_mapping(store, args: argparse.Namespace):
    """The mapping saved under the file's pilot, if there is one (said aloud), else none."""
    from pathlib import Path

    from sihub.importing import Mapping, pilot_from_file_name
    from sihub.importing.mappings import pilot_mapping

    pilot = args.pilot or pilot_from_file_name(Path(args.path).name)
    found = pilot_mapping(store, pilot)
    if found is None:
        return Mapping()
    print(t("cli.import_pilot_mapping", name=found.defaults["name"], pilot=pilot))
    return found


def _print_layout(parsed) -> None:
    from sihub.importing.present import mapping_lines, sheet_facts

    print(t("cli.import_layout", layout=t(f"import.layout_short.{parsed.layout}")))
    for plan in parsed.plan.sheets:
        if plan.kind:
            print(t("cli.import_sheet", sheet=plan.sheet, kind=t(f"import.kind.{plan.kind}")))
            if parsed.context is not None and plan.header_row is not None:
                for fact in sheet_facts(plan, parsed.context):
                    print(f"  {fact}")
                print("\n".join(mapping_lines(plan, parsed.context)))
        else:
            print(t("cli.import_sheet", sheet=plan.sheet, kind=t(f"import.left_out.{plan.reason}")))


def _print_questions(parsed, args: argparse.Namespace) -> None:
    """The questions the file raises, each with the importer's proposal and the other answers,
    and the command that imports the file with the proposals (never applied unasked)."""
    import shlex

    from sihub.importing.present import question_text
    from sihub.importing.questions import cli_options, option_label, questions

    asked = questions(parsed)
    if not asked:
        return
    print(t("import.question.intro", count=len(asked)))
    options: list[str] = []
    for q in asked:
        print(f"  {question_text(q)}")
        for option in q.options:
            mark = "*" if option == q.proposed else " "
            given = shlex.join(cli_options(q, option))
            print(f"    {mark} {option_label(q, option, parsed.context)}:  {given}")
        options += cli_options(q, q.proposed)
    argv = [a for a in (args.argv or []) if a]
    unanswered = sum(q.proposed is None for q in asked)
    print(
        t("cli.import_proposed")
        + (" " + t("cli.import_choose", count=unanswered) if unanswered else "")
    )
    print("  " + shlex.join(["python", "-m", "sihub", *argv, *options]))
    if not args.save_mapping:
        print(t("cli.import_keep"))


def _print_issues(issues) -> None:
    from sihub.importing.present import count_text, issue_counts

    if not issues:
        print(t("import.report.clean"))
        return
    for issue in issues:
        severity = t(f"import.severity.{issue.severity}")
        print(f"{severity:10} {issue.location:24} {issue.code:26} {issue.message()}")
    print(count_text(issue_counts(issues)))


def _print_summary(summary) -> None:
    from sihub.importing.present import LISTED_NEW, new_names, preview_counts

    for label, count in preview_counts(summary):
        print(f"  {label}: {count}")
    for what in LISTED_NEW:
        names = new_names(summary, what)
        if names:
            print(f"  {t(f'import.count.{what}')}: {', '.join(names[:20])}")
    for replaced in summary.replaced[:20]:
        print(
            "  "
            + t(
                "cli.import_replaced",
                **{k: v if v is not None else "–" for k, v in replaced.items()},
            )
        )


def cmd_imports(args: argparse.Namespace) -> int:
    from sihub.importing import history

    frame = history(_open(args))
    if frame.empty:
        print(t("cli.no_imports"))
        return 0
    shown = frame[
        [
            "id",
            "kind",
            "file_name",
            "imported_at",
            "imported_by",
            "layout",
            "pilot",
            "status",
            "undone_by",
            "assessments_new",
            "scores_new",
            "assessments_replaced",
            "innovations_new",
        ]
    ]
    print(shown.to_string(index=False))
    return 0


def cmd_undo(args: argparse.Namespace) -> int:
    from sihub.importing import undo_batch

    count = undo_batch(_open(args), args.batch_id, by=_local_viewer())
    print(t("cli.undone", batch=args.batch_id, count=count))
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from sihub.i18n import current_language
    from sihub.importing.template import write_template

    try:
        write_template(_open(args), args.out, lang=current_language())
    except OSError as e:
        print(t("cli.template_failed", path=args.out, detail=e.strerror or str(e)), file=sys.stderr)
        return 2
    print(t("cli.template_written", path=args.out))
    return 0


def cmd_reload(args: argparse.Namespace) -> int:
    from sihub.db import open_store
    from sihub.reference import sync_reference_data

    sync_reference_data(open_store(args.db), force=True)
    print(t("cli.reloaded"))
    return 0


def cmd_copy(args: argparse.Namespace) -> int:
    from sihub.db.copying import copy_store
    from sihub.db.locations import redacted

    counts = copy_store(db_path(args.source), db_path(args.target), replace=args.replace)
    print(
        t(
            "cli.copied",
            path=redacted(db_path(args.target)),
            tables=len(counts),
            rows=sum(counts.values()),
        )
    )
    return 0


COMMANDS = {
    "demo": cmd_demo,
    "import": cmd_import,
    "imports": cmd_imports,
    "undo": cmd_undo,
    "template": cmd_template,
    "reload": cmd_reload,
    "copy": cmd_copy,
}

if __name__ == "__main__":
    sys.exit(main())
