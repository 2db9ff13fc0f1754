"""The command line: the only module that prints or exits.

Library errors (ReconcileError) become one line on stderr and exit code 2. Heavy modules are imported
inside the commands, so `reconcile --help` stays instant.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, Protocol

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from .errors import ReconcileError, UsageError
from .version import __version__

if TYPE_CHECKING:
    # typer carries its own copy of click (typer._click), whose types its classes use.
    from contextlib import AbstractContextManager

    from typer._click.core import Context, Parameter

    from .documents import Document
    from .embed import Embedder
    from .report import Report


class _Argument(TyperArgument):
    """Help names an argument by its metavar alone ("OUTLET", "[SOURCE]..."), without typer's type placeholder
    ("<str>") or its braces around required ones ("{outlet}")."""

    def display_type_rich(self, ctx: Context) -> str | None:
        return None

    def _usage_display_name(self) -> str:
        name = self.display_name_raw if self.required else f"[{self.display_name_raw}]"
        return name + ("..." if self.nargs != 1 else "")


class _Option(TyperOption):
    """Help shows an option's metavar ("FILE", "SECONDS") and nothing for a flag, not "<path>" or "<bool>"."""

    def display_type_rich(self, ctx: Context) -> str | None:
        if self.metavar is not None:
            return self.metavar
        if self.is_flag or self.count:
            return None
        shown = (super().display_type_rich(ctx) or "").strip("<>")  # a choice: "text|json|markdown|html"
        return _PLAIN_TYPES.get(shown, shown) or None


# typer's own type names, as click words them, for an option given no metavar.
_PLAIN_TYPES = {"str": "TEXT", "int": "N", "float": "NUMBER", "path": "PATH", "float range": "NUMBER"}


def _plain_help(params: Sequence[Parameter]) -> None:
    # typer builds its own parameter classes; these subclasses change only how help shows them.
    for param in params:
        if type(param) is TyperArgument:
            param.__class__ = _Argument
        elif type(param) is TyperOption:
            param.__class__ = _Option


# For the type checker the mixin is a command (it calls the command's own methods); at run time it adds
# only its two methods, ahead of TyperCommand or TyperGroup.
if TYPE_CHECKING:
    _CommandBase = TyperCommand
else:
    _CommandBase = object


class _PlainHelp(_CommandBase):
    """Help with metavars, not type placeholders; ``--help`` is a flag like the others."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _plain_help(self.params)

    def get_help_option(self, ctx: Context) -> TyperOption | None:
        option = super().get_help_option(ctx)
        if option is not None:
            _plain_help([option])
        return option


class _Command(_PlainHelp, TyperCommand):
    pass


class _Group(_PlainHelp, TyperGroup):
    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        """Usage errors (an unknown option, --format xml, --timeout -1) as one line and exit 2, like every
        other error, not typer's usage block and boxed message."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        from typer._click.exceptions import ClickException
        from typer._click.exceptions import UsageError as ClickUsageError
        from typer.exceptions import Abort

        try:
            code = super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        except ClickException as exc:
            where = exc.ctx.command_path if isinstance(exc, ClickUsageError) and exc.ctx else "reconcile"
            _echo_error(f"{exc.format_message()} (see {where} --help)")
            sys.exit(exc.exit_code)
        except Abort:
            _echo_error("aborted")
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


app = typer.Typer(
    name="reconcile",
    cls=_Group,
    help="Check what a news article says against the official sources it rests on, sentence by sentence.",
    epilog="Start with: reconcile compare ARTICLE SOURCE (reconcile compare --help shows examples).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


# Options several commands take, declared once: typer reads each from the Annotated metadata.
ModelFolder = Annotated[
    str | None,
    typer.Option(
        "--model",
        metavar="FOLDER",
        help="A local sentence-transformers model folder (default: the packaged all-MiniLM-L6-v2).",
    ),
]
CacheFolder = Annotated[
    Path | None,
    typer.Option(
        "--cache-dir", metavar="FOLDER", help="Folder of the on-disk embedding cache (default: the user cache folder)."
    ),
]
NoCache = Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the embedding cache.")]
Precision = Annotated[
    str,
    typer.Option(
        "--precision",
        metavar="fp32|bf16",
        help="fp32 (default) or bf16: bf16 autocast encodes faster on CPUs with bf16 support.",
    ),
]
ResultsDb = Annotated[
    Path | None,
    typer.Option(
        "--db",
        metavar="FILE",
        help="Also write the results into this SQLite database (created if new; see docs/database.md).",
    ),
]


class OutputFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"
    html = "html"


# A report's format and file, the same for compare and diff (a bad format is one line naming the formats).
ReportFormat = Annotated[
    OutputFormat,
    typer.Option(
        "--format",
        "-f",
        parser=lambda value: _choice(OutputFormat, value, "--format"),
        metavar="|".join(f.value for f in OutputFormat),
        help="Report format.",
    ),
]
OutputFile = Annotated[
    Path | None,
    typer.Option("--output", "-o", metavar="FILE", help="Write the report to this file instead of stdout."),
]


class EngineName(str, Enum):
    local = "local"
    ray = "ray"


class FailOn(str, Enum):
    partial = "partial"
    unsupported = "unsupported"
    contradicted = "contradicted"
    error = "error"
    check = "check"


# --fail-on names the least severe verdict, or the least severe problem, that fails the run.
SEVERITY = {"supported": 0, "partial": 1, "unsupported": 2, "contradicted": 3}
PROBLEM_SEVERITY = {"error": 2, "check": 1, "context": 0}


def _fails(report: Report, fail_on: FailOn) -> bool:
    """Whether the report has a sentence at least as bad as --fail-on's verdict, or a problem of its severity."""
    if fail_on.value in PROBLEM_SEVERITY:
        wanted = PROBLEM_SEVERITY[fail_on.value]
        return any(PROBLEM_SEVERITY[p.severity.value] >= wanted for p in report.problems)
    worst = max((SEVERITY[s.verdict.value] for s in report.sentences), default=0)
    return worst >= SEVERITY[fail_on.value]


class EmbedderFactory(Protocol):
    """Makes the embedder of a run from the command's --model, cache folder and --precision."""

    def __call__(self, model: str | None, *, cache_dir: Path | None, precision: str) -> Embedder: ...


def make_embedder(model: str | None, *, cache_dir: Path | None, precision: str) -> Embedder:
    """The sentence-transformers model of --model (the packaged one by default), loaded when first needed."""
    from .embed import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(model, cache_dir=cache_dir, precision=precision)


@dataclass(frozen=True)
class Runtime:
    """What the commands build their heavy parts with; typer's context obj, so a caller can pass its own.

    The tests run the commands in-process (typer's CliRunner, ``obj=Runtime(...)``) with an embedder
    factory that reuses the model their session has loaded once.
    """

    make_embedder: EmbedderFactory = make_embedder


def _runtime(ctx: typer.Context) -> Runtime:
    return ctx.obj if isinstance(ctx.obj, Runtime) else Runtime()


# A line of an error message longer than this is cut: a value quoted in it (a name, a path) may be any size,
# and a message is read by a person.
MAX_LINE_CHARS = 1_000


def _echo_error(message: str) -> None:
    from .render.printable import printable  # a file name may hold an escape sequence

    lines = [
        line if len(line) <= MAX_LINE_CHARS else f"{line[: MAX_LINE_CHARS - 40]}... ({len(line):,} characters)"
        for line in printable(message).split("\n")
    ]
    typer.echo("reconcile: error: " + "\n".join(lines), err=True)


def _fail(message: str) -> NoReturn:
    _echo_error(message)
    raise typer.Exit(2)


def _choice(kind: type[Enum], value: object, option: str) -> Any:
    """An option's value among its choices, or one line naming them (not click's framed usage error)."""
    if isinstance(value, kind):
        return value
    try:
        return kind(str(value).lower())
    except ValueError:
        _fail(f"{option} {value}: not a format reconcile writes; use one of {', '.join(str(c.value) for c in kind)}")


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


@app.command(
    "compare",
    cls=_Command,
    epilog="""Examples:
  reconcile compare article.txt readout.txt
  reconcile compare article.html --source "Xi Jinping: MFA=mfa.txt" --format html -o report.html
  reconcile compare https://example.com/story --source "White House=https://example.com/readout"
  reconcile compare - readout.txt < article.txt""",
)
def compare_command(
    ctx: typer.Context,
    outlet: Annotated[
        str,
        typer.Argument(
            metavar="OUTLET", help="The outlet's text (.txt, .md, .html), a web page's http(s) URL, or - for stdin."
        ),
    ],
    sources: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="SOURCE",
            help="Source files (or URLs), each named by its file stem. Same forms as --source.",
            show_default=False,
        ),
    ] = None,
    source: Annotated[
        list[str] | None,
        typer.Option(
            "--source",
            "-s",
            metavar='"NAME=PATH"',
            help='A named source: "NAME=PATH", or "SPEAKER: NAME=PATH" to say who speaks in it. Repeatable.',
            show_default=False,
        ),
    ] = None,
    fmt: ReportFormat = OutputFormat.text,
    output: OutputFile = None,
    model: ModelFolder = None,
    cache_dir: CacheFolder = None,
    no_cache: NoCache = False,
    precision: Precision = "fp32",
    fail_on: Annotated[
        FailOn | None,
        typer.Option(
            "--fail-on",
            help="Exit 1 if any sentence is at least this bad (partial < unsupported < contradicted), "
            "or (error, check) if the report lists a problem of at least that severity (check < error).",
        ),
    ] = None,
    db: ResultsDb = None,
    only_problems: Annotated[
        bool,
        typer.Option(
            "--only-problems", help="Text and Markdown: after the list to check, only the sentences with a problem."
        ),
    ] = False,
    timeout: Annotated[
        float,
        typer.Option(
            min=0.1,
            max=3600.0,
            metavar="SECONDS",
            help="Seconds a web page (an http:// or https:// input) may take to arrive, headers to last byte.",
        ),
    ] = 20.0,
    no_pager: Annotated[
        bool,
        typer.Option("--no-pager", help="On a terminal, print the report whole; by default a long one goes to $PAGER."),
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Say nothing on stderr while it works (errors still are).")
    ] = False,
) -> None:
    """Compare an outlet's article with one or more official sources."""
    from .compare import compare
    from .documents import parse_source_spec, read_document
    from .embed import default_cache_dir
    from .fetch import FetchLimits
    from .render import render

    specs = [*(sources or []), *(source or [])]
    if output is not None and output.is_dir():  # found out before the comparison, not after it
        _fail(f"{output}: is a directory; give the report's file name, e.g. --output {output / 'report.txt'}")
    if output is not None and output.parent.exists() and not output.parent.is_dir():
        _fail(f"{output.parent}: is a file, not a folder; choose another path for --output")
    if not specs:
        _fail('no source given; pass the source files after the outlet, or --source "NAME=PATH"')
    results_db = None
    try:
        if db is not None:  # a database that cannot be written is found out before the comparison, as batch does
            from .results_db import ResultsDB

            results_db = ResultsDB(db)
        parsed = [parse_source_spec(spec) for spec in specs]  # a bad spec is one line, like a bad file
        if outlet == "-" and any(path == "-" for _, _, path in parsed):
            _fail("only one input can be read from stdin; give the sources as files")
        limits = FetchLimits(timeout=timeout)
        outlet_doc = read_document(outlet, limits=limits)
        source_docs = [read_document(p, name=name, speaker=speaker, limits=limits) for name, speaker, p in parsed]
        embedder = _runtime(ctx).make_embedder(
            model, cache_dir=None if no_cache else (cache_dir or default_cache_dir()), precision=precision
        )
        with _working(outlet_doc, source_docs, quiet=quiet):
            report = compare(outlet_doc, source_docs, embedder=embedder)
        to_terminal = output is None and sys.stdout.isatty()
        rendered = render(
            report,
            fmt.value,
            # https://no-color.org: any non-empty NO_COLOR turns colour off
            color=to_terminal and not os.environ.get("NO_COLOR"),
            width=_text_width(to_terminal),
            texts={outlet_doc.name: outlet_doc.text, **{d.name: d.text for d in source_docs}},
            only_problems=only_problems,
        )
        if output is not None:
            _write_atomically(output, rendered)
        elif to_terminal and not no_pager and fmt is OutputFormat.text:
            _page(rendered)
        else:
            sys.stdout.write(rendered)
        if results_db is not None:
            from .results_db import inputs_key

            results_db.record(report, key=inputs_key(outlet_doc, source_docs), name=outlet_doc.name)
    except ReconcileError as exc:
        _fail(str(exc))
    finally:
        if results_db is not None:
            results_db.close()
    if fail_on is not None and _fails(report, fail_on):
        raise typer.Exit(1)


@app.command(
    "diff",
    cls=_Command,
    epilog="""Examples:
  reconcile diff "Donald Trump: Truth Social=post.txt" "Xi Jinping: MFA=mfa.txt"
  reconcile diff "White House=https://example.com/readout" "MFA=mfa.txt" --format html -o diff.html""",
)
def diff_command(
    ctx: typer.Context,
    a: Annotated[
        str, typer.Argument(metavar="A", help='The first text: "NAME=PATH", "SPEAKER: NAME=PATH", a file or a URL.')
    ],
    b: Annotated[str, typer.Argument(metavar="B", help="The second text, in the same forms.")],
    fmt: ReportFormat = OutputFormat.text,
    output: OutputFile = None,
    model: ModelFolder = None,
    cache_dir: CacheFolder = None,
    no_cache: NoCache = False,
    precision: Precision = "fp32",
    fail_on: Annotated[
        FailOn | None,
        typer.Option(
            "--fail-on", help="Exit 1 if any sentence of either text, checked against the other, is this bad."
        ),
    ] = None,
    db: ResultsDb = None,
    timeout: Annotated[
        float,
        typer.Option(
            min=0.1,
            max=3600.0,
            metavar="SECONDS",
            help="Seconds a web page (an http:// or https:// input) may take to arrive.",
        ),
    ] = 20.0,
) -> None:
    """Compare two official texts of one event both ways: what both say, what only one says, where they disagree."""
    from .diff import diff
    from .documents import parse_source_spec, read_document
    from .embed import default_cache_dir
    from .fetch import FetchLimits
    from .render.diff import render_diff

    if output is not None and output.is_dir():
        _fail(f"{output}: is a directory; give the report's file name, e.g. --output {output / 'diff.txt'}")
    if output is not None and output.parent.exists() and not output.parent.is_dir():
        _fail(f"{output.parent}: is a file, not a folder; choose another path for --output")
    results_db = None
    try:
        if db is not None:  # a database that cannot be written is found out before the comparisons
            from .results_db import ResultsDB

            results_db = ResultsDB(db)
        (a_name, a_speaker, a_path), (b_name, b_speaker, b_path) = parse_source_spec(a), parse_source_spec(b)
        if a_path == "-" and b_path == "-":
            _fail("only one input can be read from stdin; give the other as a file")
        limits = FetchLimits(timeout=timeout)
        a_doc = read_document(a_path, name=a_name, speaker=a_speaker, limits=limits)
        b_doc = read_document(b_path, name=b_name, speaker=b_speaker, limits=limits)
        embedder = _runtime(ctx).make_embedder(
            model, cache_dir=None if no_cache else (cache_dir or default_cache_dir()), precision=precision
        )
        report = diff(a_doc, b_doc, embedder=embedder)
        to_terminal = output is None and sys.stdout.isatty()
        rendered = render_diff(report, fmt.value, width=_text_width(to_terminal))
        if output is not None:
            _write_atomically(output, rendered)
        else:
            sys.stdout.write(rendered)
        if results_db is not None:
            from .results_db import inputs_key

            for one_way, first, second in ((report.a_to_b, a_doc, b_doc), (report.b_to_a, b_doc, a_doc)):
                if one_way is not None:
                    name = f"{first.name} vs {second.name}"
                    results_db.record(one_way, key=inputs_key(first, [second]), name=name, kind="diff")
    except ReconcileError as exc:
        _fail(str(exc))
    finally:
        if results_db is not None:
            results_db.close()
    if fail_on is not None and any(_fails(r, fail_on) for r in (report.a_to_b, report.b_to_a) if r is not None):
        raise typer.Exit(1)


def _text_width(to_terminal: bool) -> int | None:
    """The terminal's width (at least 40 columns); for a file or a pipe, None: no line is wrapped."""
    return max(40, shutil.get_terminal_size().columns) if to_terminal else None


def _page(text: str) -> None:
    """Show a report on the terminal: through the pager when it is taller than the window, as git does.

    The pager is $PAGER, else `less -R` (which shows the colours); with LESS unset, git's FRX: less
    quits at once when the text fits, and leaves it on the screen. A pager that cannot be started
    (not installed), or PAGER set to "" or "cat", prints the text as it is.
    """
    import shlex
    import subprocess

    pager = os.environ.get("PAGER", "less -R")
    if text.count("\n") < shutil.get_terminal_size().lines or pager.strip() in ("", "cat"):
        sys.stdout.write(text)
        return
    env = {**os.environ, "LESS": os.environ.get("LESS", "FRX")}
    sys.stdout.flush()
    try:
        process = subprocess.Popen(shlex.split(pager), stdin=subprocess.PIPE, env=env)
    except OSError:
        sys.stdout.write(text)
        return
    assert process.stdin is not None  # stdin=PIPE
    try:
        process.stdin.write(text.encode("utf-8"))
        process.stdin.close()
    except BrokenPipeError:  # the reader quit the pager before the end: nothing more to show
        pass
    process.wait()


def _working(outlet: Document, sources: Sequence[Document], *, quiet: bool) -> AbstractContextManager[object]:
    """What a run is doing, on stderr while it works, when stderr is a terminal (not with --quiet)."""
    import contextlib

    if quiet or not sys.stderr.isatty():
        return contextlib.nullcontext()
    from rich.console import Console

    from .segment import segment_input

    count = len(segment_input(outlet.text, outlet.path, outlet=True).sentences)
    said = f"{count} outlet sentence{'s' if count != 1 else ''} against {len(sources)} source"
    said += "s" if len(sources) != 1 else ""
    # the model and the support judge load at the first comparison of a process: seconds, said once
    return Console(stderr=True).status(f"reconcile: loading the model, then comparing {said}...")


def _write_atomically(path: Path, text: str) -> None:
    from .errors import InputError
    from .files import write_output

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{path.parent}: cannot create the folder ({exc.strerror}); choose a writable path") from exc
    write_output(path, text.encode("utf-8"), fix="choose a writable path")


@app.command(
    "batch",
    cls=_Command,
    epilog="""Examples:
  reconcile batch configs/example.yaml
  reconcile batch configs/example.yaml --output-dir out/today --resume --db results.sqlite""",
)
def batch_command(
    ctx: typer.Context,
    config: Annotated[Path, typer.Argument(metavar="CONFIG", help="The batch config (YAML); see docs/batch.md.")],
    output_dir: Annotated[
        Path | None,
        typer.Option(
            "--output-dir",
            metavar="FOLDER",
            help="Write here, not to the config's output_dir (relative to the current folder).",
        ),
    ] = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="Skip comparisons whose reports are complete for these inputs.")
    ] = False,
    no_cache: NoCache = False,
    cache_dir: CacheFolder = None,
    precision: Precision = "fp32",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or closing summary.")] = False,
    db: ResultsDb = None,
    engine: Annotated[
        EngineName,
        # "\[": typer reads help as rich markup, where [ray] would be a style and vanish.
        typer.Option(help="local: in this process; ray: over a Ray cluster (pip install 'reconcile\\[ray]')."),
    ] = EngineName.local,
    address: Annotated[
        str | None,
        typer.Option(
            metavar="ADDRESS",
            help="--engine ray: join this cluster (ray start --head prints it); default: start a local one.",
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(metavar="N", help="--engine ray: worker processes (default: one per CPU of the cluster)."),
    ] = None,
) -> None:
    """Run every comparison of a YAML config; write reports, summary.csv and summary.json.

    Exit status: 0 all compared; 1 some comparison failed (listed on stderr); 2 the config is invalid
    or the run cannot go on (the model will not load, the output folder is not writable).
    """
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from .batch import load_batch_config, run_batch
    from .embed import default_cache_dir
    from .render.printable import printable

    bar = Progress(
        TextColumn("{task.description:<30.30}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("eta"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        disable=quiet,
    )
    try:
        if engine is EngineName.local and (address is not None or workers is not None):
            raise UsageError("--address and --workers are for --engine ray; add --engine ray or leave them out")
        dispatch = None
        if engine is EngineName.ray:
            from .engine_ray import RayEngine

            dispatch = RayEngine(address=address, workers=workers)
        batch_config = load_batch_config(config)
        embedder = _runtime(ctx).make_embedder(
            batch_config.model, cache_dir=None if no_cache else (cache_dir or default_cache_dir()), precision=precision
        )
        with bar:
            task = bar.add_task("starting", total=len(batch_config.comparisons))

            def on_progress(done: int, total: int, name: str) -> None:
                bar.update(task, completed=done, description=name or "done")

            result = run_batch(
                batch_config,
                output_dir=output_dir,
                resume=resume,
                embedder=embedder,
                progress=on_progress,
                db=db,
                engine=dispatch,
            )
    except ReconcileError as exc:
        _fail(str(exc))
    for outcome in result.failed:
        typer.echo(f"reconcile: {outcome.name} failed: {printable(outcome.error or '')}", err=True)
    if not quiet:
        resumed = sum(c.resumed for c in result.comparisons)
        typer.echo(
            f"reconcile: {len(result.comparisons) - len(result.failed)} compared"
            + (f" ({resumed} complete from an earlier run)" if resumed else "")
            + f", {len(result.failed)} failed; summary in {result.summary_csv}"
            + (f"; index: {result.output_dir / 'index.html'}" if "html" in batch_config.formats else "")
            + (f"; database: {db}" if db is not None else ""),
            err=True,
        )
    if result.failed:
        raise typer.Exit(1)


@app.command(
    "verify",
    cls=_Command,
    epilog="""Example:
  reconcile compare article.txt readout.txt --format json -o report.json
  reconcile verify report.json""",
)
def verify_command(
    report: Annotated[
        Path, typer.Argument(metavar="REPORT", help="A JSON report (reconcile compare --format json, or a batch's).")
    ],
) -> None:
    """Re-read the inputs a JSON report names and say, one line each, whether they still match it.

    Exit status: 0 every input matches; 1 some input differs; 2 the report or an input cannot be read.
    """
    from .provenance import InputState, verify_report

    try:
        checks = verify_report(report)
    except ReconcileError as exc:
        _fail(str(exc))
    from .render.printable import printable

    for check in checks:
        line = f"{check.state.value:<10} {check.role} {check.name!r}: {check.path}"
        if check.state is InputState.DIFFERS:
            line += f" (sha256 now {(check.found or '')[:12]}..., recorded {check.recorded[:12]}...)"
        elif check.state is InputState.UNREADABLE:
            line += f" ({check.problem})"
        # A report's paths and names are its writer's: an escape sequence in one must not drive this terminal.
        typer.echo(printable(line).replace("\n", "\u2424"))
    unreadable = [c for c in checks if c.state is InputState.UNREADABLE]
    if unreadable:
        _fail(f"{report}: {len(unreadable)} of its {len(checks)} inputs cannot be read, so they cannot be verified")
    if any(c.state is InputState.DIFFERS for c in checks):
        raise typer.Exit(1)


@app.command(
    "serve",
    cls=_Command,
    epilog="""Examples:
  reconcile serve                      then open http://127.0.0.1:8000
  reconcile serve --port 8080 --time-limit 300""",
)
def serve_command(
    host: Annotated[
        str,
        typer.Option(metavar="ADDRESS", help="Address to listen on; the default, loopback, serves this machine only."),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(metavar="PORT", help="Port to listen on.")] = 8000,
    model: ModelFolder = None,
    time_limit: Annotated[
        float,
        typer.Option(
            min=1.0, metavar="SECONDS", help="Seconds a comparison may take; past them the page says it took too long."
        ),
    ] = 120.0,
    fetch_private: Annotated[
        bool,
        typer.Option(
            "--fetch-private",
            help="Let web address fields name loopback, link-local and private addresses (this machine, its network).",
        ),
    ] = False,
) -> None:
    """Serve a local web page: paste or upload an article and its sources, get the HTML report.

    The model is loaded once at start-up; nothing sent to the page is stored.
    """
    from .serve import is_loopback, serve

    if not is_loopback(host):
        typer.echo(f"reconcile: warning: serving on {host}: anyone who can reach this machine can use it", err=True)
    typer.echo("reconcile: loading the model...", err=True)
    try:
        serve(host=host, port=port, model=model, time_limit=time_limit, fetch_private=fetch_private)
    except ReconcileError as exc:
        _fail(str(exc))


def main() -> None:
    """Console-script entry point."""
    app()
