"""Write docs/cli.md, the CLI reference, from the commands' own --help: `python docs/cli.py`.

tests/test_docs.py fails when the committed page is not what this writes, so a new command or option
is documented by running this script.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

PAGE = Path(__file__).with_name("cli.md")


def _command() -> Any:
    """The click command that typer builds of the app: what --help reads."""
    import typer

    from reconcile.cli import app

    return typer.main.get_command(app)


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|").replace("\\[", "[")


def _section(name: str, command: Any, context: Any) -> str:
    """One command's usage, description and every argument and option, in one table."""
    ctx = _context_class()(command, info_name=name, parent=context)
    usage = " ".join(command.collect_usage_pieces(ctx))
    lines = [f"## {ctx.command_path}\n", "```\n" + f"{ctx.command_path} {usage}".rstrip() + "\n```\n"]
    lines.append((command.help or "").strip() + "\n")
    if command.epilog:
        lines.append("```\n" + command.epilog.strip() + "\n```\n")
    rows = ["| argument or option | value | what it does |", "|---|---|---|"]
    for param in [*command.get_params(ctx)]:
        if param.param_type_name == "argument":
            names, value = f"`{param.metavar or (param.name or '').upper()}`", ""
        else:
            names = ", ".join(f"`{o}`" for o in (*param.opts, *param.secondary_opts))
            value = "" if param.is_flag or param.count else _value(param, ctx)
        default = "" if param.default in (None, False, ()) or getattr(param, "is_flag", False) else param.default
        said = _cell(getattr(param, "help", None) or "")
        if default != "" and "default" not in said.lower():
            said += f" Default: {getattr(default, 'value', default)}."
        rows.append(f"| {names} | {_cell(value)} | {said} |")
    lines.append("\n".join(rows) + "\n")
    return "\n".join(lines)


def _context_class() -> Any:
    # typer carries its own copy of click; its Context is the one its commands take.
    from typer.core import TyperCommand

    return TyperCommand.context_class


def _value(param: Any, ctx: Any) -> str:
    """The option's value as its help shows it: FILE, SECONDS, text|json|markdown|html."""
    return str(param.metavar or param.display_type_rich(ctx) or "")


def commands() -> list[str]:
    """The commands, in the order `reconcile --help` lists them."""
    group = _command()
    return list(group.commands)


def page() -> str:
    """The whole reference page."""
    group = _command()
    root = _context_class()(group, info_name="reconcile")
    parts = [
        "# CLI reference\n",
        "Generated from the commands' own help (`reconcile COMMAND --help` says the same) by "
        "`python docs/cli.py`; a test keeps it current.\n",
        "```\nreconcile [--version] [--help] COMMAND [ARGS]...\n```\n",
        (group.help or "").strip() + "\n",
    ]
    for name, command in group.commands.items():
        parts.append(_section(name, command, root))
    return "\n".join(parts)


def main() -> None:
    PAGE.write_text(page(), encoding="utf-8")
    print(f"wrote {PAGE}", file=sys.stderr)


if __name__ == "__main__":
    main()
