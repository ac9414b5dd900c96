"""Who gets which role: a small data file, never code.

``data/access.toml`` (or the file ``SIHUB_ACCESS`` names) maps e-mail addresses, e-mail
domains and the values of one ID-token claim (such as ``groups`` or ``roles``) to roles, and
says what a visitor who has not signed in gets (``access.anonymous``: the public view or only
the sign-in page) and what a signed-in user whom no rule names gets (``access.signed_in``).
A user gets the highest role any rule gives them. The file is used only when sign-in is
configured (``[auth]`` in ``.streamlit/secrets.toml``); without it the hub runs in local
mode, as staff for the person at the machine.

The role comes from the claims of the signed identity alone: nothing a browser sends besides
the sign-in cookie (no URL parameter, widget or other cookie) reaches ``viewer_for``.
"""

from __future__ import annotations

import getpass
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from sihub import DATA_DIR
from sihub.access import ROLES, Role, Viewer, local_viewer
from sihub.errors import DataFileError

ACCESS_VARIABLE = "SIHUB_ACCESS"
DEFAULT_FILE = DATA_DIR / "access.toml"
ANONYMOUS = ("public", "none")  # the public view, or only the sign-in page


@dataclass(frozen=True)
class RoleRule:
    """Who gets one role: exact addresses, whole domains, values of the claim."""

    emails: frozenset[str] = frozenset()
    domains: frozenset[str] = frozenset()
    claim_values: frozenset[str] = frozenset()


@dataclass(frozen=True)
class AccessSettings:
    anonymous: str = "none"  # what a visitor who has not signed in gets: "public" or "none"
    signed_in: Role = Role.PUBLIC  # the role of a signed-in user whom no rule names
    claim: str = ""  # an ID-token claim whose values name roles ("" for none)
    rules: Mapping[Role, RoleRule] = field(default_factory=dict)


def settings_path() -> Path:
    """The role mapping in use: ``SIHUB_ACCESS`` if set, else ``data/access.toml``."""
    chosen = os.environ.get(ACCESS_VARIABLE, "").strip()
    return Path(chosen).expanduser() if chosen else DEFAULT_FILE


def load_settings(path: Path | None = None) -> AccessSettings:
    """The role mapping of ``path`` (default ``settings_path()``), read again when the file
    changes; DataFileError when it cannot be used. A missing default file gives no rules."""
    path = path or settings_path()
    try:
        stamp = path.stat().st_mtime_ns
    except OSError as e:
        if path == DEFAULT_FILE:
            return AccessSettings()
        raise DataFileError(f"{path}: {e.strerror or e}") from e
    return _parsed(str(path), stamp)


@cache
def _parsed(path: str, stamp: int) -> AccessSettings:
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        return _settings(data)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, ValueError, AttributeError) as e:
        raise DataFileError(f"{path}: {e}") from e


def _texts(table: Mapping, key: str) -> frozenset[str]:
    values = table.get(key, [])
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ValueError(f"{key} must be a list of texts")
    return frozenset(v.strip().lower() for v in values if v.strip())


def _settings(data: Mapping) -> AccessSettings:
    access = data.get("access", {})
    anonymous = str(access.get("anonymous", "none"))
    if anonymous not in ANONYMOUS:
        raise ValueError(f"access.anonymous must be one of {', '.join(ANONYMOUS)}")
    roles = data.get("roles", {})
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown role {sorted(unknown)[0]!r}; roles are {', '.join(ROLES)}")
    rules = {
        Role(name): RoleRule(
            _texts(rule, "emails"),
            frozenset(d.lstrip("@") for d in _texts(rule, "domains")),
            _texts(rule, "claim_values"),
        )
        for name, rule in roles.items()
    }
    return AccessSettings(
        anonymous, Role(access.get("signed_in", "public")), str(access.get("claim", "")), rules
    )


def local_user() -> str:
    """The name of the person at the machine (local mode and the command line)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # a container user without a name
        return "local"


# --- from the signed identity to a role --------------------------------------------------------
def _claim_values(claims: Mapping, claim: str) -> set[str]:
    value = claims.get(claim) if claim else None
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple):
        return set()
    return {str(v).strip().lower() for v in value}


def _verified_email(claims: Mapping) -> str | None:
    """The user's e-mail address, unless the provider says it is not verified."""
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email or claims.get("email_verified") is False:
        return None
    return email.strip().lower()


def role_of(claims: Mapping, settings: AccessSettings) -> Role:
    """The highest role that a rule gives the signed-in user with ``claims``; the setting
    ``signed_in`` when none does."""
    email = _verified_email(claims)
    domain = email.rpartition("@")[2] if email else None
    values = _claim_values(claims, settings.claim)
    given = [settings.signed_in]
    for role, rule in settings.rules.items():
        if (email and (email in rule.emails or domain in rule.domains)) or (
            values & rule.claim_values
        ):
            given.append(role)
    return max(given, key=ROLES.index)


def identity_of(claims: Mapping) -> str | None:
    """Who signed in, as records keep it: the e-mail address, else the token's subject."""
    for key in ("email", "sub"):
        value = claims.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def viewer_for(
    claims: Mapping | None, settings: AccessSettings, sign_in: bool, user: str = "local"
) -> Viewer | None:
    """The viewer of a run: ``claims`` are the signed identity's (``st.user``), ``sign_in``
    whether sign-in is configured. Without sign-in: local mode, staff. Signed in: the role
    the rules give. Not signed in: the public view, or None when the setting wants sign-in."""
    if not sign_in:
        return local_viewer(user)
    claims = claims or {}
    if claims.get("is_logged_in") is True:
        name = claims.get("name")
        return Viewer(
            role_of(claims, settings),
            identity=identity_of(claims),
            name=name if isinstance(name, str) else None,
        )
    return Viewer(Role.PUBLIC) if settings.anonymous == "public" else None
