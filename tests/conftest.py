"""Shared fixtures: real DuckDB files, a real PostgreSQL, real xlsx workbooks, a real server
and browser.

Tests marked ``both_stores`` that take the ``store`` (or ``demo_copy``) fixture run twice: on a
DuckDB file and on a PostgreSQL database of a throwaway cluster (``tests/pg.py``, one per test
process).

Fixtures only: the builders they use are in ``tests/builders``, the helpers that drive the app
in ``tests/apptools.py`` and ``tests/browser.py``, which test modules import directly.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import app_test as streamlit_app_test

from sihub.db import connect
from sihub.db.copying import copy_store as copy_whole_store
from sihub.db.store import Store
from sihub.demo import build_demo_store
from sihub.funding.status import today_in_finland
from tests.apptools import ServerLikePagesManager
from tests.browser import CHROMIUM, CHROMIUM_ARGS, Server, demo_server
from tests.builders import build_template, copy_store
from tests.builders.hostile_hub import hostile_store
from tests.builders.mixed_scales import mixed_template
from tests.pg import Cluster, database_name, postgres_bin

REFERENCE_DATE = today_in_finland()  # the one definition of today (SIHUB_TODAY fixes it)


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty, migrated store with frameworks and vocabularies, built once per test process
    (per xdist worker) and never opened again: tests get copies (``copy_store``)."""
    return build_template(tmp_path_factory.mktemp("template") / "template.duckdb")


@pytest.fixture(scope="session")
def mixed_template_db(template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The template with the four-scale framework of ``tests.builders.mixed_scales`` added."""
    return mixed_template(template_db, tmp_path_factory.mktemp("mixed"))


BACKENDS = ("duckdb", "postgres")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames and metafunc.definition.get_closest_marker("both_stores"):
        metafunc.parametrize("backend", BACKENDS, indirect=True)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """The kind of store a test runs on: DuckDB, or both for tests marked ``both_stores``."""
    return getattr(request, "param", "duckdb")


@pytest.fixture(scope="session")
def postgres() -> Iterator[Cluster]:
    """A throwaway PostgreSQL server for this test process, stopped and removed at the end."""
    bin_dir = postgres_bin()
    if bin_dir is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is missing; `make test` installs Debian's postgresql")
        pytest.skip("PostgreSQL is missing (install Debian's postgresql, or run `make test`)")
    cluster = Cluster(bin_dir)
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def pg_template(postgres: Cluster) -> str:
    """The template store in PostgreSQL (migrated, reference data): a database name."""
    url = postgres.new_database()
    build_template(url)
    return database_name(url)


@pytest.fixture(scope="session")
def pg_demo(postgres: Cluster, demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The demo store copied into PostgreSQL once per test process: a database name."""
    url = postgres.new_database()
    # From a copy: another fixture of this process may hold demo_db open, and DuckDB will not
    # attach a file that the process already has open under another name.
    source = tmp_path_factory.mktemp("pg_demo") / "demo.duckdb"
    shutil.copy(demo_db, source)
    copy_whole_store(str(source), url)
    return database_name(url)


@pytest.fixture
def pg_demo_url(postgres: Cluster, pg_demo: str) -> str:
    """A PostgreSQL database of its own holding the demo store."""
    return postgres.new_database(pg_demo)


@pytest.fixture
def store(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    """An empty, migrated store with frameworks and vocabularies (a copy of the template): a
    real DuckDB file, or a PostgreSQL database for ``backend`` postgres."""
    if backend == "postgres":
        cluster = request.getfixturevalue("postgres")
        s = connect(cluster.new_database(request.getfixturevalue("pg_template")))
    else:
        s = copy_store(request.getfixturevalue("template_db"), tmp_path / "test.duckdb")
    yield s
    s.close()


@pytest.fixture(scope="session")
def hostile_db(template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The store of ``tests.builders.hostile_hub`` (Markdown and HTML in every text, assessors
    known by e-mail address), built once per test process; copy it before writing."""
    store = hostile_store(template_db, tmp_path_factory.mktemp("hostile"))
    path = Path(store.path)
    store.close()
    return path


@pytest.fixture(scope="session")
def reference_store(template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Store:
    """A read-only store with frameworks and vocabularies, shared by a whole test process."""
    return copy_store(template_db, tmp_path_factory.mktemp("reference") / "reference.duckdb")


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo store built once per test process; copy it (``demo_copy``) before writing."""
    folder = tmp_path_factory.mktemp("demo")
    path = folder / "demo.duckdb"
    build_demo_store(path, REFERENCE_DATE, workbook_dir=folder / "workbooks")
    return path


@pytest.fixture
def demo_copy(demo_db: Path, tmp_path: Path, backend: str, request: pytest.FixtureRequest):
    """A demo store of the test's own: a DuckDB file's path, or a PostgreSQL URL."""
    if backend == "postgres":
        return request.getfixturevalue("pg_demo_url")
    target = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, target)
    return target


@pytest.fixture
def demo_store(demo_copy: Path) -> Store:
    s = connect(str(demo_copy))
    yield s
    s.close()


# --- the app in AppTest ----------------------------------------------------------------------
@pytest.fixture(autouse=True)
def _apptest_runs_through_the_frame(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(streamlit_app_test, "PagesManager", ServerLikePagesManager)


# --- a real server and a real browser ---------------------------------------------------------
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
