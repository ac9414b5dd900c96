"""A real server and a real browser: ``streamlit run app.py`` on a free port, polled until it
answers, its output kept for failure messages (as Datasette's browser tests do), and the
chromium that Playwright drives. The fixtures that share them are in conftest.py."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sihub import PROJECT_DIR

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
