"""Run a command and measure its wall time and its own peak memory.

Linux counts a child's peak resident memory from the moment it is forked: a child of a big
process (pytest after a few hundred tests, say) reports at least its parent's size, whatever it
does itself. So the command is started by a small Python process, whose child it is, and that
process reports the command's figures from ``os.wait4``.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

_STARTER = """
import json, os, subprocess, sys, time
report, argv = sys.argv[1], sys.argv[2:]
started = time.perf_counter()
child = subprocess.Popen(argv, stdout=sys.stdout, stderr=subprocess.STDOUT)
_, status, usage = os.wait4(child.pid, 0)
with open(report, "w") as f:
    json.dump({"returncode": os.waitstatus_to_exitcode(status),
               "seconds": time.perf_counter() - started,
               "peak_mb": usage.ru_maxrss / 1024}, f)
"""


@dataclass(frozen=True)
class Measured:
    returncode: int
    output: str  # standard output and error, together
    seconds: float
    peak_mb: float


def measured(argv: list[str], cwd: Path, timeout: float = 600) -> Measured:
    """Run ``argv`` in ``cwd``; its exit code, output, wall time and peak memory."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        done = subprocess.run(
            [sys.executable, "-c", _STARTER, str(report), *argv],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        figures = json.loads(report.read_text())
    return Measured(
        figures["returncode"], done.stdout + done.stderr, figures["seconds"], figures["peak_mb"]
    )


def in_own_loop(coroutine):
    """``asyncio.run`` in a thread of its own: a test process may already run an event loop
    (Playwright's synchronous API keeps one in the main thread)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
