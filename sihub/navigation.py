"""The pages of the app: one declaration each, read by the frame (app.py) and the tests.

A page's title is ``t("nav.<key>")``; its section title ``t("nav.section.<section>")``. Each
page names the least role that may open it (``sihub.access``): the frame lists a page only for
those roles, and a direct address of it says politely that it needs another role.
Streamlit-free, so that tests can check every page has a script, titles and a test.
"""

from __future__ import annotations

from dataclasses import dataclass

from sihub.access import ROLES, Role, at_least

SECTIONS = ("explore", "assess", "funding", "data")


@dataclass(frozen=True)
class PageDef:
    key: str
    script: str  # relative to the project directory
    url_path: str  # "" is the home page at "/"
    icon: str  # a Material Symbols name as Streamlit writes it
    section: str
    visible: bool = True  # hidden pages are reached by links (an innovation's profile)
    role: Role = Role.PUBLIC  # the least role that may open it

    def open_to(self, role: str) -> bool:
        return at_least(role, self.role)

    @property
    def roles(self) -> tuple[Role, ...]:
        """The roles that may open the page, least first."""
        return ROLES[ROLES.index(self.role) :]


PAGES: tuple[PageDef, ...] = (
    # Explore: the whole picture, then the pipeline and its records
    PageDef("overview", "pages/overview.py", "", ":material/dashboard:", "explore"),
    PageDef("pipeline", "pages/pipeline.py", "pipeline", ":material/filter_alt:", "explore"),
    PageDef(
        "ecosystem",
        "pages/ecosystem.py",
        "ecosystem",
        ":material/insights:",
        "explore",
        role=Role.FUNDER,
    ),
    PageDef(
        "profile",
        "pages/innovation.py",
        "innovation",
        ":material/lightbulb:",
        "explore",
        visible=False,
    ),
    # Compare: criterion by criterion, and by a funder's own priorities
    PageDef(
        "compare",
        "pages/compare.py",
        "compare",
        ":material/compare_arrows:",
        "assess",
        role=Role.FUNDER,
    ),
    PageDef(
        "funders",
        "pages/funders.py",
        "funders",
        ":material/leaderboard:",
        "assess",
        role=Role.FUNDER,
    ),
    # The lion's den: staff run the session and the room's screen; members join by link
    PageDef(
        "panel_control",
        "pages/panel_control.py",
        "panel_control",
        ":material/gavel:",
        "assess",
        role=Role.STAFF,
    ),
    PageDef(
        "panel_screen",
        "pages/panel_screen.py",
        "panel_screen",
        ":material/tv:",
        "assess",
        role=Role.STAFF,
    ),
    PageDef(
        "panel_member",
        "pages/panel.py",
        "panel",
        ":material/how_to_vote:",
        "assess",
        visible=False,  # reached by the short link or QR code on the room's screen
    ),
    PageDef("funding", "pages/funding.py", "funding", ":material/euro:", "funding"),
    # Data: bringing results in, and how they are read
    PageDef(
        "importing",
        "pages/import.py",
        "import",
        ":material/upload_file:",
        "data",
        role=Role.STAFF,
    ),
    PageDef("method", "pages/method.py", "method", ":material/menu_book:", "data"),
)


def offered_to(role: str | None) -> tuple[PageDef, ...]:
    """The pages the navigation lists for ``role`` (None: nobody has signed in where sign-in
    is required, so none): those the role may open, less those reached only by links."""
    return tuple(p for p in PAGES if role is not None and p.visible and p.open_to(role))


def page(key: str) -> PageDef:
    return next(p for p in PAGES if p.key == key)


def page_at(url_path: str) -> PageDef:
    """The page at an address path ("" for the home page)."""
    return next(p for p in PAGES if p.url_path == url_path)
