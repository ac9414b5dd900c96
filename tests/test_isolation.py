"""The library, the command line and the tests share one Streamlit-free code path."""

import ast
import importlib
import subprocess
import sys
import types

from sihub import PROJECT_DIR


def library_modules() -> list[str]:
    """Every module of ``sihub`` outside ``sihub/ui/``, found on disk (a new one is covered)."""
    names = []
    for path in sorted((PROJECT_DIR / "sihub").rglob("*.py")):
        parts = path.relative_to(PROJECT_DIR).with_suffix("").parts
        if parts[:2] == ("sihub", "ui"):
            continue
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def test_library_modules_do_not_import_streamlit():
    modules = library_modules()
    assert len(modules) > 40 and "sihub.db.store" in modules and "sihub.__main__" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'streamlit')[:3])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_DIR, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


STORE_BACKENDS = {"store.py", "postgres.py"}  # the DuckDB file, and DuckDB attached to PostgreSQL


def test_only_the_store_modules_open_duckdb():
    offenders = [
        str(p.relative_to(PROJECT_DIR))
        for p in [
            *PROJECT_DIR.glob("sihub/**/*.py"),
            *PROJECT_DIR.glob("pages/*.py"),
            PROJECT_DIR / "app.py",
        ]
        if "duckdb.connect(" in p.read_text() and p.name not in STORE_BACKENDS
    ]
    assert offenders == []


def test_pages_do_not_talk_to_duckdb_or_excel():
    for page in [*PROJECT_DIR.glob("pages/*.py"), PROJECT_DIR / "app.py"]:
        text = page.read_text()
        for forbidden in ("duckdb", "openpyxl", "read_excel", "SELECT "):
            assert forbidden not in text, (page.name, forbidden)


def _widgets_of(stem: str) -> str:
    """A page's widgets module is named by its key in the navigation (``profile``), its file
    by its address (``innovation.py``, which Streamlit finds a first request by)."""
    from sihub.navigation import PAGES

    return next(p.key for p in PAGES if p.script == f"pages/{stem}.py")


def test_pages_import_their_widgets_by_name_and_library_names_one_by_one():
    """A page imports its own widgets module under its own name (``from sihub.ui import
    funding``) and from the library only functions and constants, never a library module, and
    no alias but ``st`` hides which module is meant (``sihub/ui/__init__.py``)."""
    offenders = []
    for page in sorted(PROJECT_DIR.glob("pages/*.py")):
        for node in ast.walk(ast.parse(page.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            module = getattr(node, "module", None) or ""
            for alias in node.names:
                where = f"{page.name}: {module} {alias.name}"
                if alias.asname and alias.asname != "st":
                    offenders.append(f"{where} as {alias.asname}")
                elif module == "sihub" and alias.name != "ui":
                    offenders.append(f"{where} (a library module)")
                elif module.startswith("sihub.") and module != "sihub.ui":
                    imported = getattr(importlib.import_module(module), alias.name, None)
                    if isinstance(imported, types.ModuleType):
                        offenders.append(f"{where} (a library module)")
                elif module == "sihub.ui" and alias.name not in ("ui", _widgets_of(page.stem)):
                    offenders.append(f"{where} (another page's widgets module)")
    assert offenders == []
