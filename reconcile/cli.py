"""The command line: the only module that prints or exits.

Library errors (ReconcileError) become one line on stderr and exit code 2. Heavy modules are imported
inside the commands, so `reconcile --help` stays instant.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from . import __version__
from .errors import ReconcileError

app = typer.Typer(
    name="reconcile",
    help="Check what a news article says against the official sources it rests on, sentence by sentence.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class OutputFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"


class FailOn(str, Enum):
    partial = "partial"
    unsupported = "unsupported"
    contradicted = "contradicted"


# --fail-on names the least severe verdict that fails the run.
SEVERITY = {"supported": 0, "partial": 1, "unsupported": 2, "contradicted": 3}


def _fail(message: str) -> NoReturn:
    typer.echo(f"reconcile: error: {message}", err=True)
    raise typer.Exit(2)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"reconcile {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """reconcile: what a news story says that the official record does not."""


@app.command("compare")
def compare_command(
    outlet: Annotated[str, typer.Argument(help="The outlet's text (.txt, .md, .html) or - for stdin.")],
    sources: Annotated[
        list[str] | None,
        typer.Argument(help="Source files, each named by its file stem. Same forms as --source.", show_default=False),
    ] = None,
    source: Annotated[
        list[str] | None,
        typer.Option(
            "--source", "-s",
            help='A named source: "NAME=PATH", or "SPEAKER: NAME=PATH" to say who speaks in it. Repeatable.',
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Report format.")] = OutputFormat.text,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report to this file instead of stdout.")
    ] = None,
    model: Annotated[
        str | None,
        typer.Option(help="A local sentence-transformers model folder (default: the packaged all-MiniLM-L6-v2)."),
    ] = None,
    fail_on: Annotated[
        FailOn | None,
        typer.Option(
            "--fail-on",
            help="Exit 1 if any sentence is at least this bad (partial < unsupported < contradicted).",
        ),
    ] = None,
) -> None:
    """Compare an outlet's article with one or more official sources."""
    from .compare import compare
    from .documents import parse_source_spec, read_document
    from .embed import SentenceTransformerEmbedder
    from .render import render

    specs = [*(sources or []), *(source or [])]
    if not specs:
        _fail("no source given; pass the source files after the outlet, or --source \"NAME=PATH\"")
    if outlet == "-" and any(parse_source_spec(spec)[2] == "-" for spec in specs):
        _fail("only one input can be read from stdin; give the sources as files")
    try:
        outlet_doc = read_document(outlet)
        source_docs = []
        for spec in specs:
            name, speaker, path = parse_source_spec(spec)
            source_docs.append(read_document(path, name=name, speaker=speaker))
        report = compare(outlet_doc, source_docs, embedder=SentenceTransformerEmbedder(model))
        to_terminal = output is None and sys.stdout.isatty()
        rendered = render(report, fmt.value, color=to_terminal and "NO_COLOR" not in os.environ)
        if output is not None:
            _write_atomically(output, rendered)
        else:
            sys.stdout.write(rendered)
    except ReconcileError as exc:
        _fail(str(exc))
    if fail_on is not None:
        worst = max((SEVERITY[s.verdict.value] for s in report.sentences), default=0)
        if worst >= SEVERITY[fail_on.value]:
            raise typer.Exit(1)


def _write_atomically(path: Path, text: str) -> None:
    from .errors import InputError

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        raise InputError(f"{path}: cannot write the report ({exc.strerror}); choose a writable path") from exc


def main() -> None:
    """Console-script entry point."""
    app()
