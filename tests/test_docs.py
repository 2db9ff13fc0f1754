"""The user docs: the CLI reference is generated and current, every option is in it, every link resolves."""

from __future__ import annotations

import importlib.util
import re
from types import ModuleType
from typing import Any

import pytest
import typer

from reconcile.cli import app

from .conftest import ROOT

DOCS = ROOT / "docs"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("docs_cli", DOCS / "cli.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_cli_reference_is_current() -> None:
    committed = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert committed == _generator().page(), "docs/cli.md is out of date: run python docs/cli.py"


def test_every_option_of_every_command_is_in_the_reference() -> None:
    page = (DOCS / "cli.md").read_text(encoding="utf-8")
    group: Any = typer.main.get_command(app)  # a group: typer builds one of an app with commands
    assert group.commands, "no commands found"
    for name, command in group.commands.items():
        section = page.split(f"## reconcile {name}\n", 1)
        assert len(section) == 2, f"docs/cli.md: no section for reconcile {name}"
        body = section[1].split("\n## ", 1)[0]
        for param in command.params:
            for option in (*param.opts, *param.secondary_opts) if param.param_type_name == "option" else ():
                assert f"`{option}`" in body, f"docs/cli.md: reconcile {name} {option} is not documented"


@pytest.mark.parametrize("page", sorted(p.name for p in DOCS.glob("*.md")) + ["../README.md"])
def test_links_between_the_docs_resolve(page: str) -> None:
    text = (DOCS / page).read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
        if re.match(r"[a-z]+:", target):
            continue  # a web address
        assert ((DOCS / page).parent / target).exists(), f"{page}: the link {target} goes nowhere"


def test_no_development_history_in_the_user_docs() -> None:
    for path in [ROOT / "README.md", *DOCS.glob("*.md")]:
        text = path.read_text(encoding="utf-8")
        for said in re.findall(r"\bissue \d+\b|\bnot met\b|--settings\b", text, flags=re.I):
            pytest.fail(f"{path.name}: says {said!r} (development history, or an option that does not exist)")


def test_every_option_the_docs_name_exists() -> None:
    # An option in backticks in the README or the docs is one some command has.
    group: Any = typer.main.get_command(app)  # a group: typer builds one of an app with commands
    known = {o for c in group.commands.values() for p in c.params for o in (*p.opts, *p.secondary_opts)}
    known |= {o for p in group.params for o in p.opts} | {"--help"}
    # and the test suite's own options (pytest --update-golden)
    conftest = (ROOT / "tests" / "conftest.py").read_text(encoding="utf-8")
    known |= set(re.findall(r'addoption\(\s*"(--[\w-]+)"', conftest))
    for path in [ROOT / "README.md", *DOCS.glob("*.md")]:
        for option in re.findall(r"`(--[a-z][a-z-]*)", path.read_text(encoding="utf-8")):
            assert option in known, f"{path.name}: names {option}, which no command has"
