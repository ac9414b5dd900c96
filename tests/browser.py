"""A real server and a real browser: ``streamlit run app.py`` on a free port, polled until it
answers, its output kept for failure messages (as Datasette's browser tests do), the chromium
that Playwright drives, and a real OpenID Connect provider on localhost for signing in
(``oidc-provider-mock``, with predefined users and their claims). The fixtures that share
them are in conftest.py."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
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


def _wait_for(url: str, process: subprocess.Popen, output, timeout: float, what: str) -> None:
    """Poll ``url`` until it answers 200; the process's output in the error otherwise."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited:\n{output()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{what} did not answer in {timeout} s:\n{output()}")


class _Process:
    """A child process the tests start, its output going to ``self.log``."""

    process: subprocess.Popen
    log: Path

    def output(self) -> str:
        """The end of what the process printed (for a failing test's message)."""
        return self.log.read_text(errors="replace")[-4000:]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


class Server(_Process):
    """``streamlit run app.py`` (or ``script``) on a free port; its output is kept for failure
    messages. ``args`` are more command-line options (``--secrets.files``), ``env`` more
    variables."""

    def __init__(
        self,
        db: Path | str,  # a PostgreSQL URL as it is
        log: Path,
        args: Sequence[str] = (),
        env: Mapping[str, str] | None = None,
        port: int | None = None,
        script: str = "app.py",
    ) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.db = db
        env = {
            **os.environ,
            "SIHUB_DB": str(db),
            "PYTHONPATH": str(PROJECT_DIR),
            **(env or {}),
        }
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                script,
                "--server.port",
                str(self.port),
                "--server.headless",
                "true",
                "--server.fileWatcherType",
                "none",
                *args,
            ],
            cwd=PROJECT_DIR,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )

    def wait_until_ready(self, timeout: float = 60) -> None:
        _wait_for(f"{self.url}/_stcore/health", self.process, self.output, timeout, "streamlit")


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


class SignInProvider(_Process):
    """A real OpenID Connect provider on a free port of localhost (``oidc-provider-mock``):
    its sign-in page has a button per predefined user, whose claims go into the ID token."""

    def __init__(self, users: Sequence[Mapping[str, object]], log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        claims = [arg for user in users for arg in ("--user-claims", json.dumps(dict(user)))]
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "oidc_provider_mock",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                *claims,
            ],
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )

    @property
    def metadata_url(self) -> str:
        return f"{self.url}/.well-known/openid-configuration"

    def wait_until_ready(self, timeout: float = 30) -> None:
        _wait_for(self.metadata_url, self.process, self.output, timeout, "the sign-in provider")


def auth_secrets(path: Path, provider: SignInProvider, app_port: int) -> Path:
    """A ``secrets.toml`` with Streamlit's ``[auth]`` section for ``provider``, as a deployment
    writes it (the README's generic provider)."""
    path.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{app_port}/oauth2callback"\n'
        f'cookie_secret = "{os.urandom(16).hex()}"\n'
        'client_id = "sihub"\n'
        'client_secret = "secret"\n'
        f'server_metadata_url = "{provider.metadata_url}"\n'
        'client_kwargs = { scope = "openid email profile" }\n',
        encoding="utf-8",
    )
    return path
