"""Who is looking, and what they may see: the one definition for the whole hub.

Three roles, each seeing everything the one before sees, and more:

- **public** (not signed in): the overview, the method, the funding catalogue, and innovations
  with the assessment results that are published (an assessment says so itself);
- **funder**: also the assessments shared with funders, the comparison, the funder view,
  shortlists and briefing packs; never internal assessments, never imports;
- **staff**: everything: internal assessments, self-assessments in full (the developers'
  answers), import, undo, saved mappings, data quality and the import history.

A ``Viewer`` is who is looking (a role and the signed-in identity). Its ``visibility`` says
which assessments it sees, and ``visible_assessments_sql`` is the one rule that turns a
visibility into SQL. Every query that returns scores, assessments, answers, comments or
exports takes the visibility as an argument (so that a cached answer is keyed on it), and the
derived score summaries are built once per visibility (``sihub.db.derived``). Pages say which
roles may open them in ``sihub.navigation``; the parts of a page that need more than the page
are in ``LEAST_ROLE`` here. How a signed-in user gets a role: ``sihub.access.settings``.

A funder panel's assessments (``sihub.panel``) follow the same rule: each carries its
session's ``shared`` flag, so funders outside the panel see them once staff share the session,
and ``sees_panel`` says who sees a session's own results (staff, its members, and every funder
once it is shared). A member funder sees their unshared session's revealed ratings wherever
scores are compared too: a ``Sight`` is a visibility plus those pitches
(``sihub.panel.sessions.sight``), and ``visible_assessments_sql`` takes either, so the one rule
stays one.

Changes follow the same rule: every function that writes data takes the viewer (``by``) and
calls ``require`` first, and records ``by.identity`` as who did it; a funder panel member's
scores are written with their member token instead (``sihub.panel.scoring``).

Streamlit-free: the frame decides the viewer from ``st.user``; the library only ever sees it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sihub.errors import NotAllowedError
from sihub.i18n import t


class Role(StrEnum):
    PUBLIC = "public"
    FUNDER = "funder"
    STAFF = "staff"


ROLES = (Role.PUBLIC, Role.FUNDER, Role.STAFF)  # each a strict superset of the one before


class Visibility(StrEnum):
    """Which active assessments a viewer sees (and derived summaries are built from)."""

    PUBLISHED = "published"  # published results only (the assessment says it is published)
    SHARED = "shared"  # every assessment shared with funders
    ALL = "all"  # every assessment, internal ones included


VISIBILITIES = (Visibility.PUBLISHED, Visibility.SHARED, Visibility.ALL)  # narrowest first
VISIBILITY_OF = {
    Role.PUBLIC: Visibility.PUBLISHED,
    Role.FUNDER: Visibility.SHARED,
    Role.STAFF: Visibility.ALL,
}

# The one visibility rule, over an assessment row aliased ``{a}``. A published assessment is
# visible only when it is also shared, so that each visibility sees everything the narrower
# one sees (an assessment marked both internal and published stays internal).
_RULE = {
    Visibility.PUBLISHED: "({a}.shared AND {a}.published IS TRUE)",
    Visibility.SHARED: "{a}.shared",
    Visibility.ALL: "TRUE",
}

# Parts of a page that need more than the page itself (pages: ``sihub.navigation``).
LEAST_ROLE: dict[str, Role] = {
    "developer_answers": Role.STAFF,  # self-assessments in full: the developers' own answers
    "include_internal": Role.STAFF,  # the comparison's choice of internal assessments
    "data_quality": Role.STAFF,  # lists of records to fix, with links into the explorer
    "import": Role.STAFF,  # upload, commit, undo, saved mappings and the import history
    "provenance": Role.FUNDER,  # the files, sheets and rows behind every score
    "run_panel": Role.STAFF,  # a funder panel's sessions, pitches, their moves and sharing
}


def visibility(value: str) -> Visibility:
    """A visibility from its name; ValueError for anything else (never guessed at)."""
    return Visibility(value)


@dataclass(frozen=True)
class Sight:
    """What a viewer sees of the assessments: their visibility and, for a funder on a panel,
    the revealed pitches of the unshared panel sessions they sat on, as (session id,
    innovation id) pairs. Hashable, so a cached answer is keyed on all of it."""

    visibility: Visibility
    panel_pitches: tuple[tuple[int, int], ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "visibility", Visibility(self.visibility))
        # Integers (written into SQL as literals), sorted: one sight, one cache key.
        pairs = tuple(sorted({(int(s), int(i)) for s, i in self.panel_pitches}))
        object.__setattr__(self, "panel_pitches", pairs)

    def __str__(self) -> str:  # read as its visibility wherever one is named ("rests on")
        return self.visibility.value

    def narrowed(self, visibility: str) -> Sight:
        """This sight narrowed to ``visibility`` at most, without the panel's unshared pitches
        (asking for "shared with funders only" leaves out what is shared with no funder)."""
        return Sight(narrowest(self.visibility, visibility))


def sight_of(seen: Sight | str) -> Sight:
    """A sight from a sight or a visibility's name (which sees no unshared panel ratings)."""
    return seen if isinstance(seen, Sight) else Sight(Visibility(seen))


def seen_text(seen: Sight | str, lang: str | None = None) -> str:
    """Which assessments a figure rests on, in words ("assessments shared with funders only",
    and, for a panel's member, "and the revealed ratings of your unshared panel sessions")."""
    sight = sight_of(seen)
    what = t(f"access.visibility.{sight.visibility}", lang=lang)
    return t("access.with_panel", lang=lang, what=what) if sight.panel_pitches else what


def visible_assessments_sql(seen: Sight | str, alias: str = "a") -> str:
    """SQL that is TRUE for the assessments (table alias ``alias``, one of ours) a viewer who
    sees ``seen`` (a visibility, or a ``Sight``) may see; a constant expression, so it needs no
    parameters (a sight's pitches are integers, written as literals)."""
    if not alias.isidentifier():
        raise ValueError(f"not an alias: {alias!r}")
    sight = sight_of(seen)
    rule = _RULE[sight.visibility].format(a=alias)
    if not sight.panel_pitches:
        return rule
    pairs = ", ".join(f"({s}, {i})" for s, i in sight.panel_pitches)
    return f"({rule} OR ({alias}.panel_session_id, {alias}.innovation_id) IN ({pairs}))"


def narrowest(*visibilities: str) -> Visibility:
    """The narrowest of the given visibilities: asking for less than one may see is always
    allowed, asking for more never is."""
    return min((Visibility(v) for v in visibilities), key=VISIBILITIES.index)


def sees(visibility: str, part: str) -> bool:
    """Whether a viewer with ``visibility`` may see ``part`` (a key of ``LEAST_ROLE``): the
    library's side of ``Viewer.may``, for queries that are given only the visibility."""
    least = VISIBILITY_OF[LEAST_ROLE[part]]
    return VISIBILITIES.index(Visibility(visibility)) >= VISIBILITIES.index(least)


# Where a record came from, as the queries name it: the import batch, its file and the sheet,
# row and column read. Only for viewers who see "provenance"; the public never learns which
# files the centre imported.
PROVENANCE_COLUMNS = (
    "batch_id",
    "file_name",
    "imported_at",
    "source_sheet",
    "source_row",
    "source_column",
    "location",
)


def unseen_provenance(seen: Sight | str) -> tuple[str, ...]:
    """The provenance columns (``PROVENANCE_COLUMNS``) a viewer who sees ``seen`` (a
    visibility or a ``Sight``) may not see: all of them for the public, none for funders and
    staff. A query drops these from its answer."""
    return () if sees(sight_of(seen).visibility, "provenance") else PROVENANCE_COLUMNS


def at_least(role: str, least: str) -> bool:
    """Whether ``role`` is ``least`` or a role above it."""
    return ROLES.index(Role(role)) >= ROLES.index(Role(least))


@dataclass(frozen=True)
class Viewer:
    """Who is looking: a role, and who signed in (None when nobody did)."""

    role: Role = Role.PUBLIC
    identity: str | None = None  # the signed-in user's e-mail address, else the token's subject
    name: str | None = None  # the user's name as the sign-in provider gives it
    local: bool = False  # local mode: no sign-in configured, the person at the machine

    @property
    def visibility(self) -> Visibility:
        return VISIBILITY_OF[self.role]

    def at_least(self, role: str) -> bool:
        return at_least(self.role, role)

    def may(self, part: str) -> bool:
        """Whether this viewer may use ``part`` (a key of ``LEAST_ROLE``)."""
        return self.at_least(LEAST_ROLE[part])


def require(viewer: Viewer, part: str) -> None:
    """Stop a change ``viewer`` may not make: NotAllowedError unless they may use ``part`` (a
    key of ``LEAST_ROLE``). Every function that changes data calls it first, so that "only
    staff change data" holds for any caller, not only behind a page's navigation."""
    if not viewer.may(part):
        raise NotAllowedError(
            part, what=t(f"access.change.{part}"), role=t(f"access.role.{viewer.role}")
        )


def local_viewer(user: str) -> Viewer:
    """The person at the machine in local mode: staff, recorded as ``local:<user>``."""
    return Viewer(Role.STAFF, identity=f"local:{user}", name=user, local=True)


def sees_panel(viewer: Viewer, *, member: bool, shared: bool) -> bool:
    """Whether ``viewer`` sees a panel session's scores and comments: staff and the panel's
    own members always, other funders only once the session is shared (its assessments then
    carry ``shared`` and the rule above shows them everywhere), the public never."""
    if viewer.at_least(Role.STAFF) or member:
        return True
    return shared and viewer.at_least(Role.FUNDER)
