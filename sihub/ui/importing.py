"""Widgets of the Import page: upload, layout and mapping, near matches, report, preview and
commit, history with undo. The page calls these in order; each keeps its state in the session
under keys that start with ``import_`` and carry the file's hash, so a new file starts afresh.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import TypeVar

import pandas as pd
import pyarrow as pa
import streamlit as st
from streamlit import config

from sihub import importing
from sihub.access import Viewer
from sihub.db.store import Store
from sihub.errors import ImportFileError, SihubError
from sihub.exports import XLSX_MIME, is_demo
from sihub.i18n import current_language, datetime_pattern, format_datetime, format_number, t
from sihub.importing import history as batches_history
from sihub.importing.annotate import annotated_workbook
from sihub.importing.context import Context
from sihub.importing.demo_files import demo_mark
from sihub.importing.history import UndoPreview, batch_assessors, undo_preview
from sihub.importing.layout import SKIP, Mapping, plan_workbook, target_label, target_options
from sihub.importing.mappings import load_mapping, mapping_names, save_mapping
from sihub.importing.matching import NEW, SAME
from sihub.importing.present import (
    LISTED_NEW,
    count_text,
    framework_names,
    issue_counts,
    issue_frame,
    mapping_frame,
    near_frame,
    new_names,
    preview_counts,
    question_text,
    replaced_frame,
    sheet_facts,
    sheets_to_fill,
    skipped_frame,
)
from sihub.importing.questions import QUESTION_CODES, Question, answer, option_label, questions
from sihub.importing.reading import SUFFIXES, Workbook
from sihub.importing.specs import EXPORT_SPECS, SPECS
from sihub.importing.template import write_template
from sihub.importing.validation import ParsedWorkbook
from sihub.importing.writer import store_errors_translated
from sihub.scores import IMPORTED_TYPES
from sihub.settings import MAX_UPLOAD_VARIABLE, max_upload_mb
from sihub.text import escape_markdown
from sihub.ui import EMPTY_CELL, arrow_table, cached, shared, show_error, t_escaped, today

AUTO = "auto"
KINDS = (AUTO, *(s.entity for s in SPECS), *(s.entity for s in EXPORT_SPECS), SKIP)
TYPES = ("expert", *(kind for kind in IMPORTED_TYPES if kind != "expert"))  # the default first
OPEN = "open"  # a near match not answered yet
# Blocking issues a choice on this page settles: the report then asks for the choices, not for
# the file to be fixed and uploaded again.
ANSWERED_ON_PAGE = frozenset({*QUESTION_CODES, "near_match", "missing_required_column"})
T = TypeVar("T")


def _key(book: Workbook, name: str) -> str:
    return f"import_{name}_{book.sha256[:12]}"


class Steps:
    """Numbered step headings; a step that does not apply to a file takes no number."""

    def __init__(self) -> None:
        self.number = 0

    def __call__(self, name: str) -> None:
        self.number += 1
        st.subheader(t("import.step.title", number=self.number, title=t(f"import.step.{name}")))


# upload --------------------------------------------------------------------------------------
def apply_upload_limit() -> None:
    """Make Streamlit's server refuse what the page would refuse (the frame calls this on every
    run; a bad SIHUB_MAX_UPLOAD_MB stops the app with a message naming it).

    The page's uploader checks its size in the browser only; a script can send any body
    straight to Streamlit's upload endpoint, which reads ``server.maxUploadSize`` (whole MB)
    at each request. Public ``st.set_option`` cannot set server options, hence
    ``streamlit.config``; .streamlit/config.toml holds the default until the first run.
    """
    try:
        limit = math.ceil(max_upload_mb())
    except SihubError as e:
        show_error(e)
        st.stop()
    if config.get_option("server.maxUploadSize") != limit:
        config.set_option("server.maxUploadSize", limit, where_defined=MAX_UPLOAD_VARIABLE)


def done_message() -> None:
    """The outcome of the last commit or undo, shown once after the page reloads."""
    done = st.session_state.pop("import_done", None)
    if done:
        st.success(escape_markdown(done), icon=":material/check_circle:")


def upload() -> Workbook | None:
    """The file uploader; the read workbook, or None with what to do shown: upload a file while
    none is attached, or why the attached one cannot be read (not both)."""
    limit = max_upload_mb()
    upload_file = st.file_uploader(
        t("import.upload.label"),
        type=[s.lstrip(".") for s in SUFFIXES],
        key=f"import_upload_{st.session_state.get('import_uploads', 0)}",
        max_upload_size=max(1, math.ceil(limit)),
        # The drop zone states the limit and the types in Streamlit's English, which cannot be
        # translated; the help says them in the page's language, once (README, "Streamlit's
        # own words").
        help=t("import.upload.help", limit=f"{limit:g}"),
    )
    if upload_file is None:
        st.info(t("import.empty"), icon=":material/upload_file:")
        return None
    ident = (upload_file.file_id, upload_file.name, upload_file.size)
    cache = st.session_state.get("import_read")
    if not cache or cache[0] != ident:
        shown = escape_markdown(upload_file.name)  # a file name may hold Markdown
        with st.status(t("import.reading", file=shown)) as status:
            try:
                result: Workbook | ImportFileError = importing.read(
                    upload_file.getvalue(), upload_file.name
                )
                status.update(label=t("import.read_done", file=shown), state="complete")
            except ImportFileError as e:
                result = e
                status.update(label=t("import.read_failed"), state="error")
        st.session_state["import_read"] = (ident, result)
    result = st.session_state["import_read"][1]
    if isinstance(result, ImportFileError):
        issue = importing.file_issue(result)
        st.error(escape_markdown(issue.message()), icon=":material/block:")
        st.caption(t("import.nothing_written"))
        return None
    return result


def template_download(store: Store) -> None:
    lang = current_language()
    st.download_button(
        t("import.template.download"),
        data=lambda: write_template(store, lang=lang),
        file_name=t("import.template.file_name"),
        mime=XLSX_MIME,
        icon=":material/download:",
        on_click="ignore",
    )


# mapping -------------------------------------------------------------------------------------
def choices(store: Store, book: Workbook) -> Mapping:
    """A saved mapping to start from, and the defaults for rows that do not say."""
    lang = current_language()  # captured: widgets format their options later
    names = mapping_names(store)
    left, right = st.columns(2)
    pilot_of_file = importing.pilot_from_file_name(book.file_name).casefold()
    # the answers given for the pilot's earlier file come back for its next one
    same_pilot = next((i for i, n in enumerate(names, 1) if n.casefold() == pilot_of_file), 0)
    chosen = left.selectbox(
        t("import.map.saved"),
        ["", *names],
        index=same_pilot,
        format_func=lambda n: n or t("import.map.none", lang=lang),
        key=_key(book, "saved"),
        help=t("import.map.saved_help"),
    )
    mapping = load_mapping(store, chosen) if chosen else Mapping()
    pilot_default = str(
        mapping.defaults.get("pilot") or importing.pilot_from_file_name(book.file_name)
    )
    pilot = right.text_input(
        t("import.pilot"),
        value=pilot_default,
        key=_key(book, f"pilot_{chosen}"),
        help=t("import.pilot_help"),
    )
    a, b, c = st.columns(3)
    kind = a.selectbox(
        t("import.default_type"),
        TYPES,
        index=TYPES.index(mapping.defaults.get("assessment_type", "expert"))
        if mapping.defaults.get("assessment_type") in TYPES
        else 0,
        format_func=lambda code: t(f"import.type.{code}", lang=lang),
        key=_key(book, f"type_{chosen}"),
        help=t("import.default_type_help"),
    )
    round_no = b.number_input(
        t("import.default_round"),
        min_value=1,
        max_value=99,
        value=mapping.defaults.get("round"),
        step=1,
        key=_key(book, f"round_{chosen}"),
        help=t("import.default_round_help"),
    )
    names_of = framework_names(store, lang)
    codes = ["", *names_of]
    framework = c.selectbox(
        t("import.default_framework"),
        codes,
        index=(
            codes.index(mapping.defaults.get("framework"))
            if mapping.defaults.get("framework") in names_of
            else 0
        ),
        format_func=lambda code: (
            names_of.get(code, code) if code else t("import.framework_auto", lang=lang)
        ),
        key=_key(book, f"framework_{chosen}"),
        help=t("import.default_framework_help"),
    )
    mapping.defaults.update(
        {
            "pilot": pilot.strip() or pilot_default,
            "assessment_type": kind,
            "round": int(round_no) if round_no is not None else None,
            "framework": framework or None,
        }
    )
    return mapping


def _digest(*parts: object) -> str:
    return hashlib.sha1(json.dumps(parts, default=str).encode()).hexdigest()[:10]


def editor_key(book: Workbook, mapping: Mapping, sheet: str, kind: str) -> str:
    """The mapping editor of a sheet; a new one when the file, saved mapping or kind change."""
    return _key(book, f"map_{_digest(mapping.defaults.get('name') or '', sheet, kind)}")


def context(store: Store) -> Context:
    """What checking needs of the store, kept while the store and the date stay the same.

    Loading it takes a dozen queries, and it remembers which target each header cell has:
    every rerun of the page (each widget touched) would otherwise start both afresh.
    """
    fingerprint = (store.path, store.data_version(), today())
    cache = st.session_state.get("import_context")
    if not cache or cache[0] != fingerprint:
        cache = (fingerprint, _or_stop(_load_context, store, fingerprint[2]))
        st.session_state["import_context"] = cache
    return cache[1]


def _load_context(store: Store, day: date) -> Context:
    with store_errors_translated():
        return Context.load(store, day)


def _or_stop(fn: Callable[..., T], *args: object, **kwargs: object) -> T:
    """``fn(*args)``; an error (the store's included, translated) is shown and ends the run."""
    try:
        return fn(*args, **kwargs)
    except SihubError as e:
        show_error(e)
        st.stop()
        raise  # unreachable: st.stop() ends the run


def mapping_step(store: Store, book: Workbook, mapping: Mapping) -> tuple[Mapping, Context]:
    """Detected layout and the proposed target of every column, editable; the final mapping."""
    ctx = context(store)
    kinds = {
        s.name: st.session_state[_key(book, f"kind_{i}")]
        for i, s in enumerate(book.sheets)
        if st.session_state.get(_key(book, f"kind_{i}"), AUTO) != AUTO
    }
    mapping = mapping.copy(sheet_kinds={**mapping.sheet_kinds, **kinds})
    base = plan_workbook(book, ctx, mapping)
    st.markdown(t(f"import.layout.{base.layout}"))
    final = mapping
    for i, plan in enumerate(base.sheets):
        sheet = book.sheets[i]
        label = t(
            "import.sheet_label",
            sheet=escape_markdown(sheet.name),
            kind=_kind_label(plan.kind, plan.reason),
        )
        if plan.tool:
            label += f" · {t(f'import.tool.{plan.tool}')}"
        with st.expander(label, expanded=bool(plan.kind) and len(base.sheets) <= 3):
            st.selectbox(
                t("import.sheet_kind"),
                KINDS,
                format_func=partial(_kind_option, lang=current_language()),
                key=_key(book, f"kind_{i}"),
                help=t("import.sheet_kind_help"),
            )
            if plan.kind and plan.header_row is not None:
                facts = [t("import.header_row", row=plan.header_row + 1), *sheet_facts(plan, ctx)]
                st.caption(" · ".join(escape_markdown(f) for f in facts))
                final = _sheet_editor(book, mapping, plan, sheet, ctx, final)
            elif plan.kind:
                st.warning(t("issue.no_header"))
    return final, ctx


def _sheet_editor(book, mapping, plan, sheet, ctx, final: Mapping) -> Mapping:
    frame = mapping_frame(plan, sheet)
    options = target_options(plan.kind, ctx)
    edited = st.data_editor(
        frame,
        key=editor_key(book, mapping, plan.sheet, plan.kind),
        hide_index=True,
        width="stretch",
        disabled=["column", "header", "samples", "how"],
        column_order=["column", "header", "samples", "target", "how"],
        column_config={
            "column": st.column_config.TextColumn(t("import.map.column"), width="small"),
            "header": st.column_config.TextColumn(t("import.map.header")),
            "samples": st.column_config.TextColumn(t("import.map.samples")),
            "target": st.column_config.SelectboxColumn(
                t("import.map.target"),
                options=options,
                required=True,
                format_func=partial(target_label, kind=plan.kind, ctx=ctx, lang=current_language()),
                width="large",
            ),
            "how": st.column_config.TextColumn(t("import.map.how_title"), width="small"),
        },
        placeholder=EMPTY_CELL,
    )
    for key, before, after in zip(frame["key"], frame["target"], edited["target"], strict=True):
        if after != before and after in options:
            final = final.override(plan.kind, key, after)
    return final


def _kind_label(kind: str | None, reason: str | None) -> str:
    return t(f"import.kind.{kind}") if kind else t(f"import.left_out.{reason or 'unrecognised'}")


def _kind_option(kind: str, lang: str | None = None) -> str:
    return t("import.kind_auto", lang=lang) if kind == AUTO else t(f"import.kind.{kind}", lang=lang)


def save_step(store: Store, book: Workbook, mapping: Mapping, layout: str, by: Viewer) -> None:
    """Save the mapping under a name for the pilot's next file, as ``by`` (recorded as signed
    in)."""
    with st.popover(t("import.map.save"), icon=":material/bookmark_add:"):
        name = st.text_input(
            t("import.map.save_name"),
            value=str(mapping.defaults.get("name") or mapping.defaults.get("pilot") or ""),
            key=_key(book, "save_name"),
        )
        if st.button(t("import.map.save_button"), key=_key(book, "save")):
            try:
                saved = save_mapping(store, name, mapping, layout, by=by)
                st.success(t("import.map.saved_done", name=escape_markdown(saved)))
            except SihubError as e:
                show_error(e)


# questions -----------------------------------------------------------------------------------
CHOOSE = "__choose__"  # a question not answered yet


def _answers(book: Workbook) -> dict[str, tuple[Question, str]]:
    """The user's answers to the file's questions, kept while the file is on the page (a
    question answered is no longer asked, so its widget alone would forget the answer)."""
    return st.session_state.setdefault(_key(book, "answers"), {})


def with_answers(book: Workbook, mapping: Mapping) -> Mapping:
    """``mapping`` with every answer given on the page."""
    for question, option in _answers(book).values():
        mapping = answer(mapping, question, option)
    return mapping


def has_questions(book: Workbook, parsed: ParsedWorkbook) -> bool:
    return bool(_answers(book)) or bool(questions(parsed))


def questions_step(book: Workbook, parsed: ParsedWorkbook) -> None:
    """One choice per question the file raises (values the hub does not know, columns that wait
    for a mapping or a scale), answered in place; answered ones stay, to be changed."""
    lang = current_language()  # captured: widgets format their options later
    given = _answers(book)
    asked = questions(parsed)
    shown = [*asked, *(q for q, _ in given.values() if q.id not in {a.id for a in asked})]
    if not shown:
        return
    st.info(
        t("import.question.intro", count=len(shown)) + " " + t("import.question.kept"),
        icon=":material/help:",
    )
    ctx = parsed.context
    for question in shown:
        options = [CHOOSE, *question.options]
        key = _key(book, f"question_{_digest(question.id)}")
        if question.id in given and key not in st.session_state:
            st.session_state[key] = given[question.id][1]
        st.selectbox(
            escape_markdown(question_text(question, lang)),
            options,
            format_func=partial(_option_text, question=question, ctx=ctx, lang=lang),
            key=key,
            help=escape_markdown(question.issue.message(lang)) if question.issue else None,
            on_change=_remember_answer,
            args=(book, question, key),
        )


def _option_text(option: str, question: Question, ctx: Context, lang: str) -> str:
    if option == CHOOSE:
        return t("import.question.choose", lang=lang)
    text = option_label(question, option, ctx, lang)
    if option == question.proposed:
        return f"{text} ({t('import.question.proposed_mark', lang=lang)})"
    return text


def _remember_answer(book: Workbook, question: Question, key: str) -> None:
    option = st.session_state.get(key, CHOOSE)
    if option == CHOOSE:
        _answers(book).pop(question.id, None)
    else:
        _answers(book)[question.id] = (question, option)


def remember_answers(store: Store, parsed: ParsedWorkbook, by: Viewer) -> str | None:
    """After a commit, the page's answers saved with the mapping (by ``by``, as signed in),
    under its name or the pilot's, so that the pilot's next file goes through untouched; the
    name saved under."""
    if not _answers(parsed.workbook):
        return None
    defaults = parsed.mapping.defaults
    name = str(defaults.get("name") or defaults.get("pilot") or "")
    try:
        return save_mapping(store, name, parsed.mapping, parsed.layout, by=by)
    except SihubError as e:
        show_error(e)
        return None


# validation ----------------------------------------------------------------------------------
def demo_choice(store: Store, book: Workbook) -> bool:
    """For a file made from demo data going into a real store: a warning, and the choice to
    import it all the same (``importing.demo_files``); True when the user insists."""
    if is_demo(store) or demo_mark(book) is None:
        return False
    st.warning(t("import.demo.warning"), icon=":material/science:")
    return st.checkbox(
        t("import.demo.allow"), key=_key(book, "allow_demo"), help=t("import.demo.allow_help")
    )


def validate(
    store: Store, book: Workbook, mapping: Mapping, ctx: Context, allow_demo: bool = False
) -> ParsedWorkbook:
    """The file checked with this mapping (kept for the session until something changes)."""
    fingerprint = (book.sha256, mapping.to_json(), store.data_version(), allow_demo)
    cache = st.session_state.get("import_parsed")
    if cache and cache[0] == fingerprint:
        return cache[1]
    rows = sum(len(s.rows) for s in book.sheets)
    with st.status(t("import.checking", rows=format_number(rows))) as status:
        parsed = _or_stop(
            importing.prepare, store, book, mapping=mapping, context=ctx, allow_demo=allow_demo
        )
        status.update(label=t("import.checked", rows=format_number(rows)), state="complete")
    st.session_state["import_parsed"] = (fingerprint, parsed)
    return parsed


def near_key(book: Workbook, parsed: ParsedWorkbook) -> str:
    return _key(book, f"near_{_digest([m.id for m in parsed.near])}")


def near_step(book: Workbook, parsed: ParsedWorkbook) -> ParsedWorkbook:
    """Names that look like records the hub has (or like each other): the user decides."""
    lang = current_language()  # captured: widgets format their options later
    if not parsed.near:
        return parsed.decide({})
    key = "import.near.intro_one" if len(parsed.near) == 1 else "import.near.intro"
    st.info(t(key, count=len(parsed.near)), icon=":material/join:")
    everyone = st.segmented_control(
        t("import.near.all"),
        [SAME, NEW],
        format_func=lambda a: t(f"import.near.answer.{a}", lang=lang),
        key=_key(book, "near_all"),
    )
    frame = near_frame(parsed.near, {}, OPEN)
    edited = st.data_editor(
        frame,
        key=near_key(book, parsed),
        hide_index=True,
        width="stretch",
        disabled=["what", "name", "candidate", "where", "reason", "rows"],
        column_order=["what", "name", "candidate", "where", "reason", "rows", "answer"],
        column_config={
            "what": st.column_config.TextColumn(t("import.near.what")),
            "name": st.column_config.TextColumn(t("import.near.name")),
            "candidate": st.column_config.TextColumn(t("import.near.candidate")),
            "where": st.column_config.TextColumn(t("import.near.where")),
            "reason": st.column_config.TextColumn(t("import.near.reason_title")),
            "rows": st.column_config.NumberColumn(t("import.near.rows")),
            "answer": st.column_config.SelectboxColumn(
                t("import.near.answer_title"),
                options=[OPEN, SAME, NEW],
                required=True,
                format_func=lambda a: t(f"import.near.answer.{a}", lang=lang),
            ),
        },
        placeholder=EMPTY_CELL,
    )
    decisions = {
        i: answer if answer in (SAME, NEW) else everyone
        for i, answer in zip(edited["id"], edited["answer"], strict=True)
    }
    return parsed.decide({i: a for i, a in decisions.items() if a})


def report_step(book: Workbook, parsed: ParsedWorkbook) -> None:
    """Every problem found, as a table, and the file with the problems marked; a file with no
    rows yet is told what to fill in instead of being given an error."""
    lang = current_language()  # captured: widgets format their options later
    issues = parsed.issues
    if parsed.nothing_to_import:  # not an error in a cell: say what to fill in instead
        issues = [i for i in issues if i.code != "nothing_to_import"]
    counts = issue_counts(issues)
    summary = count_text(counts)
    if parsed.nothing_to_import:
        _what_to_fill_in(parsed)
    elif parsed.blocked:
        blocking = {i.code for i in issues if i.blocking}
        key = "blocked_questions" if blocking <= ANSWERED_ON_PAGE else "blocked"
        st.error(t(f"import.report.{key}", summary=summary), icon=":material/block:")
    elif counts["warning"]:
        st.warning(t("import.report.ok_with_notes", summary=summary), icon=":material/info:")
    elif issues:
        st.info(t("import.report.ok_with_hints", summary=summary), icon=":material/info:")
    else:
        st.success(t("import.report.clean"), icon=":material/check_circle:")
    if not issues:
        return
    shown = st.segmented_control(
        t("import.report.show"),
        [s for s, n in counts.items() if n],
        format_func=lambda s: "{} ({})".format(
            t(f"import.severity.{s}", lang=lang), format_number(counts[s], lang)
        ),
        selection_mode="multi",
        default=[s for s, n in counts.items() if n],
        key=_key(book, "report_filter"),
    )
    frame = issue_frame([i for i in issues if i.severity in (shown or [])])
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        column_config={
            "severity": st.column_config.TextColumn(t("import.report.severity")),
            "location": st.column_config.TextColumn(t("import.report.location")),
            "message": st.column_config.TextColumn(t("import.report.message"), width="large"),
            "value": st.column_config.TextColumn(t("import.report.value")),
            "code": st.column_config.TextColumn(t("import.report.code")),
        },
        placeholder=EMPTY_CELL,
    )
    st.download_button(
        t("import.report.download"),
        data=lambda: annotated_workbook(book, issues, lang),
        file_name=t("import.report.file_name", stem=Path(book.file_name).stem),
        mime=XLSX_MIME,
        icon=":material/download:",
        on_click="ignore",
        key=_key(book, "annotated"),
    )


def _what_to_fill_in(parsed: ParsedWorkbook) -> None:
    """A file with headers and no rows yet (the hub template as downloaded): which sheets to
    fill in, as the template's instructions say, rather than an error to fix in its cells."""
    sheets = "\n".join(
        f"- **{escape_markdown(name)}**: {escape_markdown(holds)}"
        for name, holds in sheets_to_fill(parsed.plan)
    )
    st.info(f"{t('import.report.no_rows')}\n\n{sheets}", icon=":material/edit_note:")


# preview and commit --------------------------------------------------------------------------
def _fingerprint(store: Store, parsed: ParsedWorkbook) -> str:
    return json.dumps(
        [parsed.workbook.sha256, parsed.mapping.to_json(), parsed.decisions, store.data_version()],
        sort_keys=True,
    )


def preview_and_commit(store: Store, parsed: ParsedWorkbook, by: Viewer) -> None:
    """A dry run on the real code path, then the commit: one transaction, all or nothing."""
    fingerprint = _fingerprint(store, parsed)
    if st.button(
        t("import.preview.button"),
        disabled=parsed.blocked,
        icon=":material/preview:",
        key="import_preview_button",
    ):
        with st.status(t("import.preview.running")) as status:
            try:
                result = importing.commit(
                    store,
                    parsed,
                    dry_run=True,
                    by=by,
                    on_wait=waiting(status, "import.preview.waiting"),
                )
                status.update(label=t("import.preview.done"), state="complete")
                st.session_state["import_preview"] = (fingerprint, result)
            except SihubError as e:
                status.update(label=t("import.preview.failed"), state="error")
                show_error(e)
    cached_preview = st.session_state.get("import_preview")
    if not cached_preview or cached_preview[0] != fingerprint:
        if parsed.blocked and not parsed.nothing_to_import:  # rows to add, not errors to fix
            st.caption(t("import.preview.blocked"))
        return
    result = cached_preview[1]
    if result.status == importing.ALREADY_IMPORTED:
        st.info(t("import.preview.already", batch=result.batch_id), icon=":material/info:")
        return
    _show_preview(result)
    if st.button(
        t("import.commit.button"),
        type="primary",
        icon=":material/database_upload:",
        key="import_commit",
    ):
        _commit(store, parsed, by)


def waiting(status, label_key: str) -> Callable[[], None]:
    """What a write does when another import holds the store: say so in its status box (the
    box stays open while this session waits its turn)."""

    def show() -> None:
        status.update(label=t(label_key), state="running", expanded=True)
        st.caption(t(label_key))

    return show


def _show_preview(result: importing.ImportResult) -> None:
    summary = result.summary
    counts = preview_counts(summary)
    st.markdown(t("import.preview.title"))
    columns = st.columns(min(4, max(1, len(counts))))
    for n, (label, value) in enumerate(counts):
        columns[n % len(columns)].metric(label, format_number(value), border=True)
    for what in LISTED_NEW:
        names = new_names(summary, what)
        if names:
            with st.expander(
                t(f"import.preview.list.{what}", count=format_number(summary.counts[what]))
            ):
                st.dataframe(
                    pd.DataFrame({t("import.preview.name"): names}),
                    hide_index=True,
                    width="stretch",
                    placeholder=EMPTY_CELL,
                )
    if summary.replaced:
        with st.expander(
            t(
                "import.preview.replaced",
                count=format_number(summary.counts["assessments_replaced"]),
            ),
            expanded=True,
        ):
            replaced = replaced_frame(summary)
            st.dataframe(
                replaced,
                hide_index=True,
                width="stretch",
                column_config={
                    c: st.column_config.Column(t(f"import.replaced.{c}")) for c in replaced.columns
                },
                placeholder=EMPTY_CELL,
            )
    if summary.skipped:
        with st.expander(
            t("import.preview.skipped", count=format_number(summary.counts["rows_skipped"]))
        ):
            st.dataframe(
                skipped_frame(summary),
                hide_index=True,
                width="stretch",
                column_config={
                    c: st.column_config.Column(t(f"import.skipped_col.{c}"))
                    for c in ("sheet", "row", "reason")
                },
                placeholder=EMPTY_CELL,
            )


def _commit(store: Store, parsed: ParsedWorkbook, by: Viewer) -> None:
    with st.status(t("import.commit.running")) as status:
        try:
            result = importing.commit(
                store, parsed, by=by, on_wait=waiting(status, "import.commit.waiting")
            )
        except SihubError as e:
            status.update(label=t("import.commit.failed"), state="error")
            show_error(e)
            return
        status.update(label=t("import.commit.done"), state="complete")
    if result.status == importing.IMPORTED:
        message = t(
            "import.commit.success",
            file=result.file_name,
            batch=result.batch_id,
            assessments=format_number(result.summary.counts["assessments_new"]),
            scores=format_number(result.summary.counts["scores_new"]),
        )
        remembered = remember_answers(store, parsed, by)
        if remembered:
            message += " " + t("import.question.remembered", name=remembered)
    else:
        message = t(
            f"cli.import_{result.status}", file=result.file_name, batch=result.batch_id or ""
        )
    st.session_state["import_done"] = message
    if result.batch_id is not None:  # the undo box offers the batch just committed
        st.session_state[UNDO_CHOICE] = int(result.batch_id)
        st.session_state.pop(UNDO_ASKED, None)
    st.session_state["import_uploads"] = st.session_state.get("import_uploads", 0) + 1
    for key in ("import_read", "import_parsed", "import_preview"):
        st.session_state.pop(key, None)
    st.rerun()


# history -------------------------------------------------------------------------------------
UNDO_CHOICE = "import_undo_batch"  # the batch the undo box offers
UNDO_ASKED = "import_undo_asked"  # the batch whose undo was asked for and awaits a yes


def history_step(store: Store, by: Viewer) -> None:
    """The import history (who imported and who undid each batch, as signed in) and undo,
    recorded as ``by``."""
    frame, shown = shared(_history_shown, current_language())
    if frame.empty:
        st.info(t("import.history.empty"), icon=":material/history:")
        return
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        column_order=[
            "id",
            "file_name",
            "imported_at",
            "imported_by",
            "kind",
            "layout",
            "pilot",
            "assessments_new",
            "scores_new",
            "assessments_replaced",
            "innovations_new",
            "status",
            "undone_at",
            "undone_by",
        ],
        column_config={
            "id": st.column_config.NumberColumn(t("import.history.id"), format="%d"),
            "file_name": st.column_config.TextColumn(t("import.history.file")),
            "imported_at": st.column_config.DatetimeColumn(
                t("import.history.when"), format=datetime_pattern()
            ),
            "imported_by": st.column_config.TextColumn(t("import.history.who")),
            "kind": st.column_config.TextColumn(t("import.history.kind")),
            "layout": st.column_config.TextColumn(t("import.history.layout")),
            "pilot": st.column_config.TextColumn(t("import.pilot")),
            "assessments_new": st.column_config.NumberColumn(t("import.count.assessments_new")),
            "scores_new": st.column_config.NumberColumn(t("import.count.scores_new")),
            "assessments_replaced": st.column_config.NumberColumn(
                t("import.count.assessments_replaced")
            ),
            "innovations_new": st.column_config.NumberColumn(t("import.count.innovations_new")),
            "status": st.column_config.TextColumn(t("import.history.status")),
            "undone_at": st.column_config.DatetimeColumn(
                t("import.history.undone_at"), format=datetime_pattern()
            ),
            "undone_by": st.column_config.TextColumn(t("import.history.undone_by")),
        },
        placeholder=EMPTY_CELL,
    )
    _assessors_added()
    _undo(store, frame, by)


def _history_shown(store: Store, lang: str) -> tuple[pd.DataFrame, pa.Table]:
    """The import history, and as its table shows it (kinds and statuses in words). For
    ``shared``: once per data version and language (converting it took 4 of the page
    script's 10 ms)."""
    frame = batches_history(store)
    shown = frame.assign(
        status=[t(f"import.status.{s}", lang=lang) for s in frame["status"]],
        kind=[t(f"import.batch_kind.{k}", lang=lang) for k in frame["kind"]],
        layout=[t(f"import.layout_short.{v}", lang=lang) if v else "" for v in frame["layout"]],
    )
    return frame, arrow_table(shown)


def _assessors_added() -> None:
    """Who the batches added, by the number pages show them by and as the file named them
    (the one place an assessor's e-mail address is shown, ``sihub.personal``)."""
    added = cached(batch_assessors)
    if added.empty:
        return
    with st.expander(t("import.history.assessors"), icon=":material/badge:"):
        st.caption(t("import.history.assessors_help"))
        st.dataframe(
            added,
            hide_index=True,
            width="stretch",
            column_config={
                "batch_id": st.column_config.NumberColumn(t("import.history.id"), format="%d"),
                "shown_as": st.column_config.TextColumn(t("import.history.shown_as")),
                "imported_as": st.column_config.TextColumn(t("import.history.imported_as")),
                "organisation": st.column_config.TextColumn(t("import.history.organisation")),
            },
            placeholder=EMPTY_CELL,
        )


def _undo(store: Store, frame: pd.DataFrame, by: Viewer) -> None:
    """A batch to undo (the one just committed, if any) and, before undoing it, a question
    that names its file, its time and what undoing takes back."""
    lang = current_language()  # captured: widgets format their options later
    committed = frame[frame["status"] == "committed"]
    if committed.empty:
        return
    files = dict(zip(committed["id"].astype(int), committed["file_name"], strict=True))
    if st.session_state.get(UNDO_CHOICE) not in files:
        st.session_state.pop(UNDO_CHOICE, None)  # undone meanwhile: the newest is offered
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    batch = left.selectbox(
        t("import.undo.choose"),
        list(files),
        format_func=lambda b: t("import.undo.option", lang=lang, batch=b, file=files[b]),
        key=UNDO_CHOICE,
        help=t("import.undo.help"),
    )
    if right.button(t("import.undo.button"), icon=":material/undo:", key="import_undo"):
        st.session_state[UNDO_ASKED] = batch
    if st.session_state.get(UNDO_ASKED) != batch:
        return  # nothing asked, or another batch chosen since: ask again
    preview = cached(undo_preview, batch)
    if preview is None:
        st.session_state.pop(UNDO_ASKED, None)
        return
    _ask_undo(preview, lang)
    yes, no = st.columns(2)
    if no.button(t("import.undo.cancel"), key="import_undo_cancel"):
        st.session_state.pop(UNDO_ASKED, None)
        st.rerun()
    if yes.button(
        t("import.undo.confirm_button", batch=batch),
        type="primary",
        icon=":material/undo:",
        key="import_undo_confirm",
    ):
        st.session_state.pop(UNDO_ASKED, None)
        _run_undo(store, batch, by)


def _ask_undo(preview: UndoPreview, lang: str) -> None:
    """The question before an undo: the batch's file and time, and each count it takes back."""
    named = {
        "batch": preview.batch_id,
        "file": preview.file_name,
        "when": format_datetime(preview.imported_at, lang),
    }
    if not preview.counts:
        st.warning(t_escaped("import.undo.confirm_nothing", **named), icon=":material/undo:")
        return
    parts = "\n".join(
        f"- {t(f'import.count.{k}')}: {format_number(n)}" for k, n in preview.counts.items()
    )
    st.warning(f"{t_escaped('import.undo.confirm', **named)}\n\n{parts}", icon=":material/undo:")


def _run_undo(store: Store, batch: int, by: Viewer) -> None:
    with st.status(t("import.undo.running", batch=batch)) as status:
        try:
            count = importing.undo_batch(
                store,
                int(batch),
                on_wait=waiting(status, "import.undo.waiting"),
                by=by,
            )
        except SihubError as e:
            status.update(state="error")
            show_error(e)
            return
    st.session_state["import_done"] = t("cli.undone", batch=batch, count=format_number(count))
    st.rerun()
