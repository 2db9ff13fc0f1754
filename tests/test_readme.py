"""The README's promises: its two set-up commands, its sample command, and help for every command."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from reconcile.cli import app

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_two_setup_commands_and_ci_runs_the_test_one():
    setup = re.search(r"## Set-up: two commands\s+```sh\n(.*?)```", README, re.S)
    assert setup is not None
    commands = [line.split("#")[0].strip() for line in setup.group(1).splitlines() if line.strip()]
    assert commands == ["make demo", "make test"]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^demo:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", ["compare", "batch", "serve"])
def test_every_command_has_help(command):
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0 and "Usage" in result.output


@pytest.mark.model
def test_readme_sample_command_runs():
    line = next(row for row in README.splitlines() if row.startswith("reconcile compare samples/"))
    args = line.split()[1:]
    result = subprocess.run(
        [sys.executable, "-m", "reconcile", *args, "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert '"schema_version": "1.1"' in result.stdout


def test_console_script_is_installed():
    # make demo's promise: .venv/bin/reconcile (here: the environment running the tests).
    script = shutil.which("reconcile", path=str(ROOT / ".venv" / "bin")) or shutil.which("reconcile")
    assert script is not None
