"""A throwaway PostgreSQL for the tests: ``initdb`` into a temporary folder and ``pg_ctl`` on a
free localhost port, as an unprivileged user (``postgres`` when the tests run as root, which
PostgreSQL refuses), stopped and removed at the end. No external service: Debian's
``postgresql`` package provides the programs (``make test`` installs it where it is missing).

Databases are cheap copies: a template database is built once (migrated, reference data
loaded, or the demo copied in) and each test gets ``CREATE DATABASE … TEMPLATE``.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.browser import free_port

_names = itertools.count(1)


def postgres_bin() -> Path | None:
    """The folder of PostgreSQL's server programs (the newest installed), if any."""
    chosen = os.environ.get("SIHUB_PG_BIN")
    if chosen:
        return Path(chosen)
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_major, reverse=True)
    return Path(found[0]).parent if found else None


def _major(path: str) -> int:
    version = Path(path).parent.parent.name
    return int(version) if version.isdigit() else 0


def _as_owner() -> list[str]:
    """PostgreSQL's programs refuse to run as root: run them as ``postgres`` then."""
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


class Cluster:
    """One PostgreSQL server in its own temporary folder, on a free port of 127.0.0.1."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin = bin_dir
        self.folder = Path(tempfile.mkdtemp(prefix="sihub-pg-"))
        self.port = free_port()
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
        data = self.folder / "data"
        self._run("initdb", "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                  "--locale=C", "--no-sync")  # fmt: skip
        # a test server: durability off (fsync), small memory; listening on loopback only
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c shared_buffers=32MB "
            "-c max_connections=200"
        )
        self._run("pg_ctl", "-D", str(data), "-o", options, "-l", str(self.folder / "log"),
                  "-w", "start")  # fmt: skip

    def _run(self, program: str, *args: str) -> str:
        done = subprocess.run(
            [*_as_owner(), str(self.bin / program), *args],
            capture_output=True,
            text=True,
            cwd=self.folder,
        )
        if done.returncode:
            raise RuntimeError(f"{program} failed: {done.stdout}{done.stderr}{self.log()}")
        return done.stdout

    def log(self) -> str:
        log = self.folder / "log"
        return log.read_text(errors="replace")[-3000:] if log.exists() else ""

    def url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def sql(self, statement: str, database: str = "postgres") -> str:
        """Run one statement with psql (outside a transaction, as CREATE DATABASE needs)."""
        return self._run("psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                         "-d", database, "-XAtqc", statement)  # fmt: skip

    def new_database(self, template: str | None = None) -> str:
        """A new database (a copy of ``template``); returns its URL."""
        name = f"sihub_{os.getpid()}_{next(_names)}"
        if template:  # a template must have no other session open
            self.sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                f"WHERE datname = '{template}' AND pid <> pg_backend_pid()"
            )
        self.sql(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def database_name(url: str) -> str:
    return url.rsplit("/", 1)[1]
