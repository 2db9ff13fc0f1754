"""The README's promises: its two set-up commands, its sample command, and help for every command."""

from __future__ import annotations

import re
import subprocess
import sysconfig
from importlib import metadata
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reconcile.cli import app
from reconcile.report import SCHEMA_VERSION

from .conftest import ROOT, Cli

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_two_setup_commands_and_ci_runs_the_test_one() -> None:
    setup = re.search(r"## Set-up: two commands\s+```sh\n(.*?)```", README, re.S)
    assert setup is not None
    commands = [line.split("#")[0].strip() for line in setup.group(1).splitlines() if line.strip()]
    assert commands == ["make demo", "make test"]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^demo:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", ["compare", "diff", "batch", "serve", "verify"])
def test_every_command_has_help(command: str) -> None:
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0 and "Usage" in result.output


def test_readme_sample_command_runs(model_cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    line = next(row for row in README.splitlines() if row.startswith("reconcile compare samples/"))
    args = line.split()[1:]
    monkeypatch.chdir(ROOT)  # the README's paths are relative to the repository
    result = model_cli(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert f'"schema_version": "{SCHEMA_VERSION}"' in result.stdout
    # The output the README shows is the command's own, line for line (a "..." line stands for the rest).
    shown = re.search(r"```text\n(.*?)```", README, re.S)
    assert shown is not None
    text = model_cli(*args)
    assert text.exit_code == 0, text.stderr
    lines = text.stdout.splitlines()
    for line in shown.group(1).splitlines():
        if not line.strip().startswith("..."):
            assert line in lines, f"README shows a line the command does not print: {line!r}"


def test_readme_is_short_and_says_how_to_read_a_report() -> None:
    assert len(README.splitlines()) <= 150
    for word in ("supported", "partial", "unsupported", "contradicted", "error", "check", "context"):
        assert f"**{word}**" in README, word
    assert "docs/report.png" in README and (ROOT / "docs" / "report.png").is_file()


def test_console_script_is_installed() -> None:
    # make demo's promise: .venv/bin/reconcile. Checked in the environment running the tests, whichever
    # checkout or venv that is; a bare checkout on PYTHONPATH has no console script to check.
    try:
        (entry,) = metadata.entry_points(group="console_scripts", name="reconcile")
    except ValueError:
        pytest.skip("reconcile is not installed in this environment (pip install -e . or make demo installs it)")
    assert entry.value == "reconcile.cli:main"
    script = Path(sysconfig.get_path("scripts")) / "reconcile"
    assert script.is_file(), f"{script} missing: reinstall with pip install -e ."
    result = subprocess.run([str(script), "--version"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.startswith("reconcile "), result.stderr
