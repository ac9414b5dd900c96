"""An innovation's profile (``/innovation?id=…``): everything known about it, its assessments
and scores against a cohort with the provenance of every score, similar innovations and
matching funding."""

from sihub import ui
from sihub.i18n import current_language, t
from sihub.profile import tags
from sihub.ui import profile
from sihub.ui.funding import innovation_calls_section
from sihub.ui.panel import panel_ratings_section
from sihub.ui.sim import case_study
from sihub.ui.url import url_tabs

store = ui.get_store()
viewer = ui.viewer()
record = profile.load(viewer.visibility)
innovation_id = record["id"]
profile.back_link()
profile.header(record, ui.cached(tags, innovation_id, current_language()))
profile.headline(viewer.visibility, innovation_id)

sections = [
    "overview",
    "case_study",
    "scores",
    *(["answers"] if viewer.may("developer_answers") else []),
    "related",
]
# the open tab in the URL (tab=scores), so that a link or a reload opens it again
tabs = url_tabs(
    {s: t(f"profile.tab.{s}") for s in sections}, "profile.section", "profile_tab", "tab"
)
if tabs["overview"].open:
    with tabs["overview"]:
        profile.overview(record)
if tabs["case_study"].open:
    with tabs["case_study"]:
        case_study(viewer.visibility, innovation_id)
if tabs["scores"].open:
    with tabs["scores"]:
        profile.assessments(viewer, innovation_id)
        panel_ratings_section(viewer, innovation_id, current_language())
if "answers" in tabs and tabs["answers"].open:
    with tabs["answers"]:
        profile.developer_answers(viewer.visibility, innovation_id)
if tabs["related"].open:
    with tabs["related"]:
        profile.similar_innovations(innovation_id)
        innovation_calls_section(viewer.visibility, innovation_id)
