"""Signing in for real: ``streamlit run`` with an ``[auth]`` configuration that points at a real
OpenID Connect provider on localhost (``oidc-provider-mock``), and Chromium clicking through
its sign-in page. Anna (staff by her ``groups`` claim) and Fanni (a funder by her address)
see what their roles allow; a visitor who has not signed in gets the sign-in page or, when
``access.anonymous`` says so, the public view; no cookie but the signed one raises a role."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser import Server, SignInProvider, auth_secrets, free_port
from tests.builders.visibility import INTERNAL_TEXTS, TODAY, visibility_store

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
DONE = 60_000  # ms; the server shares two cores with the rest of the suite
ANNA = {"sub": "anna", "email": "anna@example.org", "name": "Anna Staff", "groups": ["staff"]}
FANNI = {"sub": "fanni", "email": "fanni@rahasto.example", "name": "Fanni Funder"}
ACCESS = """[access]
anonymous = "{anonymous}"
signed_in = "public"
claim = "groups"

[roles.staff]
claim_values = ["staff"]

[roles.funder]
emails = ["fanni@rahasto.example"]
"""


class SignedInHub:
    """The visibility hub served with sign-in configured, and the provider it trusts."""

    def __init__(self, server: Server, provider: SignInProvider, access: Path, ids: dict):
        self.server, self.provider, self.access, self.ids = server, provider, access, ids

    def anonymous(self, setting: str) -> None:
        """Change ``access.anonymous``: the app reads the mapping again when the file changes."""
        self.access.write_text(ACCESS.format(anonymous=setting), encoding="utf-8")


@pytest.fixture(scope="module")
def hub(template_db, tmp_path_factory) -> Iterator[SignedInHub]:
    folder = tmp_path_factory.mktemp("signin")
    store, ids = visibility_store(template_db, folder)
    db = Path(store.path)
    store.close()
    provider = SignInProvider([ANNA, FANNI], folder / "provider.log")
    access = folder / "access.toml"
    access.write_text(ACCESS.format(anonymous="none"), encoding="utf-8")
    port = free_port()
    secrets = auth_secrets(folder / "secrets.toml", provider, port)
    server = Server(
        db,
        folder / "streamlit.log",
        args=["--secrets.files", str(secrets)],
        env={"SIHUB_ACCESS": str(access), "SIHUB_TODAY": TODAY.isoformat()},
        port=port,
    )
    try:
        provider.wait_until_ready()
        server.wait_until_ready()
        yield SignedInHub(server, provider, access, ids)
    except Exception:
        print(server.output(), provider.output())
        raise
    finally:
        server.stop()
        provider.stop()


@pytest.fixture
def visitor(browser, hub, request):
    """A fresh browser (no cookies); the server's and the provider's output on failure."""
    context = browser.new_context(locale="en-GB", viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(DONE)
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        print(
            f"--- streamlit ---\n{hub.server.output()}\n--- provider ---\n{hub.provider.output()}"
        )
    context.close()


def settle(page) -> None:
    """Wait until Streamlit has finished the run the last action started."""
    page.wait_for_timeout(300)
    page.wait_for_function(
        "!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=DONE
    )
    page.wait_for_timeout(300)


def sign_in(page, hub: SignedInHub, user: str) -> None:
    """From the sign-in page, through the provider's page (choose the user, authorise), back
    to the hub signed in."""
    page.goto(f"{hub.server.url}/?lang=en")
    page.get_by_role("heading", name="Sign in to SI Hub").wait_for()
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{hub.provider.url}/**")
    page.get_by_role("button", name=user).click()
    page.wait_for_url(f"{hub.server.url}/**")
    page.get_by_text("Signed in as").wait_for()
    settle(page)


def sidebar_links(page) -> set[str]:
    nav = page.locator('[data-testid="stSidebarNav"]')
    # each link reads "<icon name>\n<title>"
    return {t.strip().splitlines()[-1] for t in nav.get_by_role("link").all_inner_texts()}


def shown(page) -> str:
    return page.locator("body").inner_text()


def marks(text: str) -> list[str]:
    # the rating as the pages round it: 4.8 on its scale, 0.96 as a mean on 0-1, 95.8 on 0-100
    return [m for m in (*INTERNAL_TEXTS, "4.8", "0.96", "95.7", "95.8") if m in text]


def test_a_visitor_who_has_not_signed_in_gets_the_sign_in_page_only(visitor, hub):
    visitor.goto(f"{hub.server.url}/innovation?id={hub.ids['V1']}&lang=en")
    visitor.get_by_role("heading", name="Sign in to SI Hub").wait_for()
    settle(visitor)
    assert "Avoin polku" not in shown(visitor)
    assert not visitor.locator('[data-testid="stSidebarNav"]').count()


def test_staff_sign_in_and_see_everything_including_the_internal_rating(visitor, hub):
    sign_in(visitor, hub, "anna")
    assert "Signed in as Anna Staff (staff)" in shown(visitor)
    assert {"Import", "Compare innovations", "Funder view"} <= sidebar_links(visitor)
    visitor.goto(f"{hub.server.url}/innovation?id={hub.ids['V2']}&lang=en")
    visitor.get_by_role("tab", name="Assessments and scores").click()
    settle(visitor)
    assert marks(shown(visitor))
    visitor.goto(f"{hub.server.url}/import?lang=en")
    visitor.get_by_role("heading", name="Import assessment results").wait_for()


def test_a_funder_signs_in_and_never_sees_the_internal_rating(visitor, hub):
    sign_in(visitor, hub, "fanni")
    assert "Signed in as Fanni Funder (funder)" in shown(visitor)
    links = sidebar_links(visitor)
    assert {"Compare innovations", "Funder view"} <= links and "Import" not in links
    every = ",".join(str(hub.ids[r]) for r in ("V1", "V2", "V3"))
    for path in (
        f"/innovation?id={hub.ids['V2']}&lang=en",
        f"/compare?ids={every}&shared=0&lang=en",
        f"/funders?shortlist={every}&enough=1&lang=en",
    ):
        visitor.goto(f"{hub.server.url}{path}")
        settle(visitor)
        assert marks(shown(visitor)) == [], path
    visitor.goto(f"{hub.server.url}/import?lang=en&role=staff")
    visitor.get_by_role("heading", name="This page needs another role").wait_for()
    assert "Upload" not in shown(visitor)


def test_no_cookie_but_the_signed_one_raises_a_role(visitor, hub):
    sign_in(visitor, hub, "fanni")
    cookies = visitor.context.cookies()
    signed = [c for c in cookies if c["name"].startswith("_streamlit_user")]
    assert signed, cookies
    # a forged identity cookie and a role cookie of the browser's own making
    forged = [{**c, "value": c["value"][:-4] + "AAAA"} for c in signed] + [
        {"name": "role", "value": "staff", "url": hub.server.url}
    ]
    visitor.context.clear_cookies()
    visitor.context.add_cookies(
        [{k: v for k, v in c.items() if k in ("name", "value", "url", "domain", "path")}
         for c in forged]
    )  # fmt: skip
    visitor.goto(f"{hub.server.url}/import?lang=en&role=staff")
    visitor.get_by_role("heading", name="Sign in to SI Hub").wait_for()
    assert "Import assessment results" not in shown(visitor)


def test_the_public_view_for_visitors_when_the_setting_says_so(visitor, hub):
    hub.anonymous("public")
    try:
        visitor.goto(f"{hub.server.url}/innovation?id={hub.ids['V1']}&lang=en")
        visitor.get_by_role("heading", name="Avoin polku").wait_for()
        settle(visitor)  # the first run's elements are replaced when it ends
        visitor.get_by_role("tab", name="Assessments and scores").click()
        settle(visitor)
        text = shown(visitor)
        assert "published assessment results only" in text and marks(text) == []
        assert "Compare innovations" not in sidebar_links(visitor)
        visitor.goto(f"{hub.server.url}/compare?lang=en")
        visitor.get_by_role("heading", name="This page needs another role").wait_for()
    finally:
        hub.anonymous("none")
