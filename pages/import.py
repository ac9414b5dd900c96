"""Import: Excel and CSV files from pilots into the hub, checked, previewed and undoable."""

import streamlit as st

from sihub import ui
from sihub.i18n import t
from sihub.ui import importing

store = ui.get_store()
who = ui.viewer()  # staff (the frame opens this page to no one else; the library checks again)
st.title(t("import.title"))
st.caption(t("import.intro"))
importing.done_message()

book = importing.upload()
if book is None:  # no file yet, or one that cannot be read: the template is the way to begin
    importing.template_download(store)
else:
    allow_demo = importing.demo_choice(store, book)
    step = importing.Steps()
    step("layout")
    mapping = importing.choices(store, book)
    mapping, ctx = importing.mapping_step(store, book, mapping)
    mapping = importing.with_answers(book, mapping)
    parsed = importing.validate(store, book, mapping, ctx, allow_demo)
    importing.save_step(store, book, mapping, parsed.layout, who)

    if importing.has_questions(book, parsed):
        step("questions")
    importing.questions_step(book, parsed)

    if parsed.near:
        step("near")
    parsed = importing.near_step(book, parsed)

    step("report")
    importing.report_step(book, parsed)

    step("preview")
    importing.preview_and_commit(store, parsed, who)

st.divider()
st.subheader(t("import.history.title"))
importing.history_step(store, who)
