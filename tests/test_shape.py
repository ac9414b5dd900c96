"""The tests keep their own shape: builders and app helpers live in helper modules, fixtures in
conftest.py, and no test module depends on another (each can be run, moved or deleted alone)."""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
TEST_MODULES = sorted(TESTS.rglob("test_*.py"))
HELPER_MODULES = sorted(
    p for p in TESTS.rglob("*.py") if p not in TEST_MODULES and p.name != "conftest.py"
)


def imported_modules(path: Path) -> set[str]:
    """Every module (and name) that ``path`` imports, at the top or inside a function, dotted;
    a relative import counts as one from ``tests``."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(["tests"] * bool(node.level) + [node.module] * bool(node.module))
            found |= {base} | {f"{base}.{alias.name}" for alias in node.names}
    return found


def defines_tests(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(
        isinstance(node, ast.FunctionDef | ast.ClassDef) and node.name.lower().startswith("test")
        for node in tree.body
    )


def test_no_test_module_imports_another_or_conftest():
    test_names = {p.stem for p in TEST_MODULES} | {"conftest"}
    offenders = {}
    for path in [*TEST_MODULES, *HELPER_MODULES]:
        for name in imported_modules(path):
            parts = name.split(".")
            if parts[0] in {"tests", *test_names} and set(parts) & test_names:
                offenders.setdefault(str(path.relative_to(TESTS)), set()).update(
                    set(parts) & test_names
                )
    assert offenders == {}, "import builders from tests.builders, app helpers from tests.apptools"


def test_helper_modules_hold_no_tests_and_test_modules_hold_tests():
    """A test in a helper module is never collected; a test module without tests is a builder
    under the wrong name (others would import it)."""
    assert {"apptools.py", "browser.py", "import_corpus.py"} <= {p.name for p in HELPER_MODULES}
    assert [str(p.relative_to(TESTS)) for p in HELPER_MODULES if defines_tests(p)] == []
    assert [str(p.relative_to(TESTS)) for p in TEST_MODULES if not defines_tests(p)] == []
