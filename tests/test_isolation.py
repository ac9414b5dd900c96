"""The library, the command line and the tests share one Streamlit-free code path."""

import subprocess
import sys

from sihub import PROJECT_DIR


def test_library_modules_do_not_import_streamlit():
    code = (
        "import sys, sihub.store, sihub.analytics, sihub.importing, sihub.scores, "
        "sihub.demo, sihub.charts, sihub.filters, sihub.exports, sihub.__main__; "
        "print('streamlit' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_DIR, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


def test_only_the_store_module_opens_duckdb():
    offenders = [
        str(p.relative_to(PROJECT_DIR))
        for p in [
            *PROJECT_DIR.glob("sihub/**/*.py"),
            *PROJECT_DIR.glob("pages/*.py"),
            PROJECT_DIR / "app.py",
        ]
        if "duckdb.connect(" in p.read_text() and p.name != "store.py"
    ]
    assert offenders == []


def test_pages_do_not_talk_to_duckdb_or_excel():
    for page in [*PROJECT_DIR.glob("pages/*.py"), PROJECT_DIR / "app.py"]:
        text = page.read_text()
        for forbidden in ("duckdb", "openpyxl", "read_excel", "SELECT "):
            assert forbidden not in text, (page.name, forbidden)
