"""The short link and QR code a member's phone opens the session with; what staff pick from."""

from __future__ import annotations

import io
from urllib.parse import urlencode, urlsplit

import segno

from sihub.db.store import Store

MEMBER_PATH = "panel"  # the member page's URL path (sihub.navigation)


def join_link(page_url: str | None, join_code: str) -> str:
    """``https://host/panel?code=ABC123``: the page's own origin, the member page, the code
    (nothing else of the address travels: never a token or a language); without an
    address (no browser asked), the path alone."""
    path = f"/{MEMBER_PATH}?{urlencode({'code': join_code})}"
    parts = urlsplit(page_url or "")
    return f"{parts.scheme}://{parts.netloc}{path}" if parts.netloc else path


def qr_png(link: str, scale: int = 8) -> bytes:
    """A QR code of ``link`` as PNG (segno: pure Python, medium error correction so that a
    projector's glare still reads)."""
    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


def innovation_choices(store: Store) -> list[tuple[int, str]]:
    """Innovations of the hub a session can add as pitches: (id, name), by name."""
    return [tuple(r) for r in store.rows("SELECT id, name FROM innovations ORDER BY name_key, id")]


def framework_choices(store: Store, lang: str) -> list[tuple[str, str]]:
    """Every framework in the store: (code, name in ``lang``), the panel's own first."""
    return [
        tuple(r)
        for r in store.rows(
            f"SELECT code, coalesce(name_{lang}, name_fi, code) FROM frameworks "
            "ORDER BY code <> 'panel', sort_order, code"
        )
    ]
