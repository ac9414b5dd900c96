"""The command line speaks the user's language: --lang, else SIHUB_LANG, else the shell's
locale (LC_ALL, LC_MESSAGES, LANG), else Finnish."""

from __future__ import annotations

import subprocess
import sys

import pytest

from sihub import PROJECT_DIR
from sihub.i18n import language_from_environment


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "fi"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "sv_FI.UTF-8"}, "sv"),
        ({"LANG": "fi_FI.UTF-8"}, "fi"),
        ({"LANG": "C.UTF-8"}, "fi"),  # says nothing about a language
        ({"LANG": "POSIX"}, "fi"),
        ({"LANG": "de_DE.UTF-8"}, "fi"),  # not one of ours: the default
        ({"LANG": "en_GB.UTF-8", "LC_ALL": "sv_SE.UTF-8"}, "sv"),  # LC_ALL wins
        ({"LANG": "sv_SE.UTF-8", "LC_MESSAGES": "en_US.UTF-8"}, "en"),
        ({"LANG": "en", "LC_ALL": ""}, "en"),  # an empty variable is not set
        ({"LANG": "en_US.UTF-8", "SIHUB_LANG": "sv"}, "sv"),  # the hub's own setting first
        ({"LANG": "sv_FI@euro"}, "sv"),
    ],
)
def test_the_language_of_the_environment(environ, expected):
    assert language_from_environment(environ) == expected


def imports(tmp_path, *flags: str, **environ: str) -> str:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(PROJECT_DIR), **environ}
    done = subprocess.run(
        [sys.executable, "-m", "sihub", *flags, "imports", "--db", str(tmp_path / "x.duckdb")],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_a_command_prints_in_the_shells_language_unless_told(tmp_path):
    assert imports(tmp_path, LANG="en_US.UTF-8") == "No imports yet."
    assert imports(tmp_path, LANG="sv_FI.UTF-8") == "Inga importer ännu."
    assert imports(tmp_path, LANG="C.UTF-8") == "Tuonteja ei vielä ole."
    assert imports(tmp_path, "--lang", "fi", LANG="en_US.UTF-8") == "Tuonteja ei vielä ole."
