"""Shared fixtures: real DuckDB files, real xlsx workbooks, a real server and browser."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1 import app_test as streamlit_app_test

from sihub import PROJECT_DIR
from sihub.db import connect
from sihub.db.store import Store
from sihub.demo import build_demo_store
from sihub.demo import write_workbook as write_workbook  # the tests' workbooks, as the demo's
from sihub.reference import sync_reference_data
from sihub.ui.pages_folder import claim_pages_folder

CHROMIUM = "/usr/bin/chromium"
# Flags that keep headless chromium off the (closed) network and quick to start.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
REFERENCE_DATE = date.today()


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """An empty, migrated store in a real DuckDB file, with frameworks and vocabularies."""
    s = connect(str(tmp_path / "test.duckdb"))
    sync_reference_data(s)
    yield s
    s.close()


@pytest.fixture(scope="session")
def reference_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """A read-only store with frameworks and vocabularies, shared by a whole test process."""
    s = connect(str(tmp_path_factory.mktemp("reference") / "reference.duckdb"))
    sync_reference_data(s)
    return s


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo store built once per test process; copy it (``demo_copy``) before writing."""
    folder = tmp_path_factory.mktemp("demo")
    path = folder / "demo.duckdb"
    build_demo_store(path, REFERENCE_DATE, workbook_dir=folder / "workbooks")
    return path


@pytest.fixture
def demo_copy(demo_db: Path, tmp_path: Path) -> Path:
    target = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, target)
    return target


@pytest.fixture
def demo_store(demo_copy: Path) -> Store:
    s = connect(str(demo_copy))
    yield s
    s.close()


# --- the app in AppTest ----------------------------------------------------------------------
class _ServerLikePagesManager(PagesManager):
    """AppTest resets Streamlit's pages/ flag before every run, so that each run after the first
    would execute the page script bare, as a v1 page, without the frame. A real server keeps
    the flag as the app sets it (``sihub.ui.pages_folder``); so does this one."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        claim_pages_folder()


@pytest.fixture(autouse=True)
def _apptest_runs_through_the_frame(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(streamlit_app_test, "PagesManager", _ServerLikePagesManager)


def run_app(
    monkeypatch: pytest.MonkeyPatch,
    db: Path,
    page: str | None = None,
    *,
    lang: str = "en",
    today: str | None = None,
    timeout: float = 60,
    **params: str,
) -> AppTest:
    """The app as a browser gets it: the frame (app.py), then ``page`` with URL ``params``.

    ``today`` (YYYY-MM-DD) fixes the app's date; by default a demo store's reference date.
    """
    monkeypatch.setenv("SIHUB_DB", str(db))
    if today is None and db.exists():
        probe = connect(str(db))
        today = probe.meta("demo_reference_date")
        probe.close()
    if today:
        monkeypatch.setenv("SIHUB_TODAY", today)
    at = AppTest.from_file(str(PROJECT_DIR / "app.py"), default_timeout=timeout)
    at.query_params["lang"] = lang
    at.run()
    if page:
        at.switch_page(page)  # a page switch starts with a clean address, as in the browser
        at.query_params["lang"] = lang
        for key, value in params.items():
            at.query_params[key] = value
        at.run()
    return at


RAW_KEY = re.compile(r"^[a-z_]+(\.[a-z_0-9]+)+$")  # a catalogue key shown instead of its text


def texts(at: AppTest) -> list[str]:
    """Everything a user reads on the page: text, messages, metrics, and the labels of widgets,
    tabs and expanders (markdown escapes removed)."""
    shown = ("title", "header", "subheader", "markdown", "caption", "info", "warning", "metric")
    labelled = ("metric", "selectbox", "multiselect", "button", "tabs", "expander")
    found = [str(element.value) for kind in shown for element in getattr(at, kind)]
    found += [str(element.label or "") for kind in labelled for element in getattr(at, kind)]
    return [f.replace("\\", "") for f in found if f]


# --- a real server and a real browser ---------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``streamlit run app.py`` on a free port; its output is kept for failure messages."""

    def __init__(self, db: Path, log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.db = db
        env = {**os.environ, "SIHUB_DB": str(db), "PYTHONPATH": str(PROJECT_DIR)}
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "app.py",
                "--server.port",
                str(self.port),
                "--server.headless",
                "true",
                "--server.fileWatcherType",
                "none",
            ],
            cwd=PROJECT_DIR,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    def wait_until_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited:\n{self.output()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"streamlit did not answer in {timeout} s:\n{self.output()}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


@contextmanager
def demo_server(demo_db: Path, folder: Path) -> Iterator[Server]:
    """A ready server on its own copy of the demo store in ``folder``; stopped afterwards, its
    output printed if the block fails."""
    db = folder / "served.duckdb"
    shutil.copy(demo_db, db)
    srv = Server(db, folder / "streamlit.log")
    try:
        srv.wait_until_ready()
        yield srv
    except Exception:
        print(srv.output())
        raise
    finally:
        srv.stop()


@pytest.fixture(scope="session")
def server(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server for the tests that only read: started on first use, shared by the process."""
    with demo_server(demo_db, tmp_path_factory.mktemp("server")) as srv:
        yield srv


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing; `make test` installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is missing (install Debian's chromium, or run `make test`)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server, request):
    """A fresh browser context (no cookies, no session) and page; server log on failure."""
    context = browser.new_context(locale="en-GB", viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    yield pg
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        print(f"--- streamlit output ---\n{server.output()}")
    context.close()


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)
