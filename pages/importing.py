"""Import: Excel and CSV files from pilots into the hub, checked, previewed and undoable."""

import streamlit as st

from sihub import ui
from sihub.i18n import t
from sihub.ui import importing as imp

store = ui.get_store()
st.title(t("import.title"))
st.caption(t("import.intro"))
imp.done_message()

who = imp.importer_name()
book = imp.upload()
if book is None:
    st.info(t("import.empty"), icon=":material/upload_file:")
    imp.template_download(store)
else:
    step = imp.Steps()
    step("layout")
    mapping = imp.choices(store, book)
    mapping, ctx = imp.mapping_step(store, book, mapping)
    mapping = imp.with_answers(book, mapping)
    parsed = imp.validate(store, book, mapping, ctx)
    imp.save_step(store, book, mapping, parsed.layout)

    if imp.has_questions(book, parsed):
        step("questions")
    imp.questions_step(book, parsed)

    if parsed.near:
        step("near")
    parsed = imp.near_step(book, parsed)

    step("report")
    imp.report_step(book, parsed)

    step("preview")
    imp.preview_and_commit(store, parsed, who)

st.divider()
st.subheader(t("import.history.title"))
imp.history_step(store)
