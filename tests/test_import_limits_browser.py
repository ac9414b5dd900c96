"""Issue 10 against a real ``streamlit run`` with SIHUB_MAX_UPLOAD_MB=1: the worst hostile file
uploaded on the Import page is refused at its cell and the app keeps serving; a body larger
than the limit sent straight to Streamlit's upload endpoint is refused by the server itself."""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pytest

from bench import hostile_files as hostile
from tests.browser import demo_server

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
UPLOAD_ROUTE = "/_stcore/upload_file/"


@pytest.fixture(scope="module")
def limited_server(demo_db: Path, tmp_path_factory: pytest.TempPathFactory):
    """A server whose upload limit is 1 MB (its environment is read when it starts)."""
    servers = demo_server(demo_db, tmp_path_factory.mktemp("limited"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SIHUB_MAX_UPLOAD_MB", "1")
        server = servers.__enter__()
    try:
        yield server
    finally:
        servers.__exit__(None, None, None)


@pytest.fixture
def import_page(browser, limited_server, tmp_path):
    context = browser.new_context(locale="en-GB", viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{limited_server.url}/?lang=en")
    page.get_by_role("heading", name="Overview").wait_for()  # the app has drawn: links work
    page.get_by_role("link", name="Import").click()
    page.get_by_role("heading", name="Import assessment results").wait_for()
    try:
        yield page
    except Exception:
        page.screenshot(path=str(tmp_path / "failure.png"), full_page=True)
        print(limited_server.output())
        raise
    finally:
        context.close()


def _healthy(url: str) -> bool:
    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=10) as answer:
        return answer.status == 200


def test_the_worst_file_is_refused_on_the_page_and_the_app_keeps_serving(
    import_page, limited_server, tmp_path
):
    worst = hostile.form_export_with_far_cell(tmp_path / "Vastaukset.xlsx", "XFD1048576")
    import_page.locator("input[type=file]").set_input_files(str(worst))
    import_page.get_by_text("Vastaukset!XFD1048576").first.wait_for()
    assert limited_server.process.poll() is None, limited_server.output()
    assert _healthy(limited_server.url)
    import_page.goto(f"{limited_server.url}/?lang=en")
    import_page.get_by_role("heading", name="Overview").wait_for()


def test_the_server_refuses_a_body_over_the_limit_sent_past_the_page(import_page, tmp_path):
    """The page's uploader checks sizes in the browser; a script talks to the endpoint."""
    small = hostile.form_export_with_far_cell(tmp_path / "pieni.xlsx", "A1")
    with import_page.expect_request(lambda r: UPLOAD_ROUTE in r.url) as sent:
        import_page.locator("input[type=file]").set_input_files(str(small))
    endpoint = sent.value.url.rsplit("/", 1)[0]  # .../upload_file/<session>
    cookies = {c["name"]: c["value"] for c in import_page.context.cookies()}
    headers = {"X-Xsrftoken": cookies.get("_streamlit_xsrf", "")}

    def put(name: str, size: int) -> int:
        body = {"name": name, "mimeType": "text/csv", "buffer": b"x" * size}
        answer = import_page.request.put(
            f"{endpoint}/{name}", multipart={"file": body}, headers=headers
        )
        return answer.status

    assert put("under-the-limit", 500_000) == 204
    assert put("over-the-limit", 3 * 1024 * 1024) == 413
