"""The tests keep their own shape: builders and app helpers live in helper modules, fixtures in
conftest.py, and no test module depends on another (each can be run, moved or deleted alone);
page tests find what they check by key, label or column, never by position or internals."""

import ast
from pathlib import Path

from streamlit.testing.v1 import AppTest

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


# What a page shows, as AppTest lists it (at.button, at.dataframe, at.title, ...).
APPTEST_ELEMENTS = {name for name, value in vars(AppTest).items() if isinstance(value, property)}


def by_position_or_internals(path: Path) -> list[str]:
    """``at.button[0]``-style lookups and private or proto attributes, as 'line: code'."""
    source = path.read_text(encoding="utf-8")
    found = []
    for node in ast.walk(ast.parse(source)):
        positional = (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Attribute)
            and node.value.attr in APPTEST_ELEMENTS
            and isinstance(index := getattr(node.slice, "operand", node.slice), ast.Constant)
            and isinstance(index.value, int)  # at.button[0], at.dataframe[-1]
        )
        internal = isinstance(node, ast.Attribute) and (
            node.attr == "proto" or (node.attr.startswith("_") and not node.attr.startswith("__"))
        )
        if positional or internal:
            found.append(f"{node.lineno}: {ast.get_source_segment(source, node)}")
    return found


def test_page_tests_find_elements_by_key_label_or_column():
    """``tests/apptools.py`` has ``table``, ``labelled``, ``keyed``, ``title`` and ``links``;
    the Streamlit internals that a link's target needs are read there and nowhere else."""
    page_tests = [
        p for p in TEST_MODULES if "AppTest" in p.read_text() or "tests.apptools" in p.read_text()
    ]
    assert len(page_tests) >= 7
    offenders = {
        p.name: found
        for p in page_tests
        if p != TESTS / "test_shape.py"
        if (found := by_position_or_internals(p))
    }
    assert offenders == {}
