""".xls and .ods parsed in a child process with a memory limit.

Their sizes are declared in ways only calamine reads (a BIFF record, ``number-rows-repeated``),
and calamine allocates a sheet's whole grid at once: past the memory it can get, Rust aborts
the process, which no ``try`` can catch. Here that process is a child with an address-space
limit, so an abort (or a MemoryError, or a timeout) becomes a refusal of the file instead of
the end of the app for every user. The child returns plain values, read back with an
unpickler that builds nothing but containers and date/time values.

An xlsx is not parsed here: its scan (``xlsx_scan``) bounds calamine's grid in advance, and
the child would cost the 100,000-row benchmark two seconds of pickling.
"""

from __future__ import annotations

import datetime
import io
import os
import pickle
import signal
import subprocess
import sys
from collections.abc import Callable

from sihub import PACKAGE_DIR
from sihub.errors import ImportFileError
from sihub.importing.limits import MB, refuse

# What the child may map. It starts at 25 MB (Python, calamine and the reader, without the
# rest of sihub); a small file gets room for a grid of a million cells and its values, a
# larger one 64 bytes more a byte of file (an .ods unpacks ~15 times, and a cell costs
# calamine and Python ~100 bytes). A file that declares a larger grid than that fails to
# allocate it and is refused, cheaply: the peak stays near the limit, never past it.
PARSE_ADDRESS_SPACE = 256 * MB
PARSE_ADDRESS_SPACE_PER_BYTE = 64
MAX_PARSE_ADDRESS_SPACE = 2048 * MB
PARSE_SECONDS = 60  # of CPU in the child, and again of waiting in the parent
# The child imports the reader without sihub.importing's __init__ (DuckDB, pandas, Arrow:
# 500 MB of address space before the first byte is parsed), then sets its limits.
_BOOTSTRAP = """
import resource, sys, types
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
resource.setrlimit(resource.RLIMIT_CPU, (int(sys.argv[2]), int(sys.argv[2])))
package = types.ModuleType("sihub.importing")
package.__path__ = [sys.argv[3]]
sys.modules["sihub.importing"] = package
from sihub.importing.isolated import answer
from sihub.importing.reading import parse_excel
sys.exit(answer(sys.argv[4], parse_excel))
"""
_SAFE_GLOBALS = {
    ("datetime", "datetime"): datetime.datetime,
    ("datetime", "date"): datetime.date,
    ("datetime", "time"): datetime.time,
    ("datetime", "timedelta"): datetime.timedelta,
}


def parse_isolated(data: bytes, file_name: str) -> list[tuple]:
    """The sheets of an .xls or .ods workbook, parsed in a child process, as the fields of
    ``reading.Sheet`` (the reader builds them: this module never imports it); ImportFileError
    (file_too_complex) when the child runs out of memory or time."""
    limit = min(
        MAX_PARSE_ADDRESS_SPACE, PARSE_ADDRESS_SPACE + PARSE_ADDRESS_SPACE_PER_BYTE * len(data)
    )
    arguments = [str(limit), str(PARSE_SECONDS), str(PACKAGE_DIR / "importing"), file_name]
    try:
        done = subprocess.run(
            [sys.executable, "-c", _BOOTSTRAP, *arguments],
            input=data,
            capture_output=True,
            timeout=PARSE_SECONDS,
            env={**os.environ, "PYTHONPATH": _python_path()},
        )
    except subprocess.TimeoutExpired as e:
        raise refuse("file_too_complex", file_name, f"> {PARSE_SECONDS} s") from e
    if done.returncode != 0:
        raise refuse("file_too_complex", file_name, _why(done, limit))
    try:
        kind, *result = _SafeUnpickler(io.BytesIO(done.stdout)).load()
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError) as e:
        raise refuse("file_too_complex", file_name, f"answer: {e}"[:160]) from e
    if kind == "error":
        detail, values = result
        raise ImportFileError(detail, **values)
    return result[0]


def _python_path() -> str:
    """The child imports this same ``sihub``, wherever the parent was started from."""
    return os.pathsep.join(p for p in (str(PACKAGE_DIR.parent), os.environ.get("PYTHONPATH")) if p)


def _why(done: subprocess.CompletedProcess, limit: int) -> str:
    """Why the child failed, for the message: the memory limit, CPU time, or its last words."""
    if done.returncode in (-signal.SIGXCPU, -signal.SIGKILL):  # what RLIMIT_CPU sends
        return f"> {PARSE_SECONDS} s"
    if done.returncode < 0 or b"memory allocation" in done.stderr or b"MemoryError" in done.stderr:
        return f"> {limit // MB} MB"
    lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
    return lines[-1][:160] if lines else f"exit {done.returncode}"


class _SafeUnpickler(pickle.Unpickler):
    """Builds lists, tuples, strings, numbers and date/time values; nothing else."""

    def find_class(self, module: str, name: str):
        try:
            return _SAFE_GLOBALS[(module, name)]
        except KeyError:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed") from None


def answer(file_name: str, parse_excel: Callable[[bytes, str], tuple]) -> int:
    """In the child (under its limits): parse stdin with the reader's ``parse_excel``, write the
    answer to stdout."""
    data = sys.stdin.buffer.read()
    try:
        sheets = parse_excel(data, file_name)
        result = ("ok", [(s.name, s.rows, s.visible, s.merged) for s in sheets])
    except ImportFileError as e:
        result = ("error", e.detail, e.values)
    sys.stdout.buffer.write(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    return 0
