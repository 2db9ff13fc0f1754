"""Help and errors that tell the fix: metavars and examples in --help, "did you mean", PDFs, misordered
--source specs, and the warning when the outlet and a source look swapped."""

from __future__ import annotations

import os
import re
import shlex
import stat
import time
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from reconcile.batch import load_batch_config
from reconcile.cli import app
from reconcile.compare import compare
from reconcile.documents import parse_source_spec, read_document
from reconcile.embed import SentenceTransformerEmbedder
from reconcile.errors import ConfigError, InputError, UsageError
from reconcile.render.json import render_json
from reconcile.report import Report
from reconcile.swapped import attribution_share

from .conftest import SAMPLE, SAMPLE_OUTLET, SAMPLE_POST, Cli, FakeEmbedder

OUTLET = str(SAMPLE_OUTLET)
POST = str(SAMPLE_POST)
COMMANDS = ["compare", "diff", "batch", "verify", "serve"]


def _help(*args: str) -> str:
    result = CliRunner().invoke(app, [*args, "--help"], terminal_width=120)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_has_no_type_placeholders(command: str | None) -> None:
    shown = _help(*([command] if command else []))
    # typer's own placeholders: <str>, <bool>, <path>, <list[str]>, <float range>, and {outlet} in the usage line
    assert not re.search(r"<[a-z][a-z\[\] |]*>|\{[a-z_]+\}", shown), shown
    assert "[ray]" in _help("batch")  # help is rich markup: the extra's name must not vanish as a style


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_examples_that_parse(command: str) -> None:
    shown = _help(command)
    epilog = typer.main.get_command(app).commands[command].epilog or ""  # type: ignore[attr-defined]
    examples = [line.strip() for line in epilog.splitlines() if line.strip().startswith(f"reconcile {command}")]
    assert "Example" in shown and examples and all(example[:40] in shown for example in examples), shown
    for example in examples:
        # The shell's redirection and the prose after two spaces are no arguments; --help after the rest
        # makes click parse every option and stop before running: an unknown option or a bad value fails.
        args = shlex.split(re.split(r" {2,}| < ", example)[0])[1:]
        result = CliRunner().invoke(app, [*args, "--help"])
        assert result.exit_code == 0, (example, result.output)


def test_usage_line_names_the_arguments() -> None:
    assert "compare [OPTIONS] OUTLET [SOURCE]..." in _help("compare")
    assert "verify [OPTIONS] REPORT" in _help("verify")


# --- a path that is not there -----------------------------------------------------------------------


def test_missing_file_suggests_close_names(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(SAMPLE)
    result = cli("compare", "outlet-artcle.txt", "truth-social-post.txt")
    assert result.exit_code == 2
    assert result.stderr == "reconcile: error: outlet-artcle.txt: file not found; did you mean outlet-article.txt?\n"
    result = cli("compare", "outlet-article.txt", str(Path("..") / SAMPLE.name / "Truth-Social-Post.TXT"))
    assert f"did you mean ../{SAMPLE.name}/truth-social-post.txt?" in result.stderr


def test_missing_file_without_close_names_or_folder(tmp_path: Path) -> None:
    (tmp_path / "readout.txt").write_text("A sentence.", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_document(tmp_path / "zzzz.txt")
    assert str(caught.value) == f"{tmp_path / 'zzzz.txt'}: file not found; check the path"
    with pytest.raises(InputError) as caught:
        read_document(tmp_path / "nosuch" / "a.txt")
    assert f"(the folder {tmp_path / 'nosuch'} does not exist)" in str(caught.value)


def test_batch_config_names_close_files(tmp_path: Path) -> None:
    (tmp_path / "seed-article.txt").write_text("A sentence.", encoding="utf-8")
    (tmp_path / "post.txt").write_text("A sentence.", encoding="utf-8")
    config = tmp_path / "batch.yaml"
    config.write_text(
        "comparisons:\n  - {name: one, outlet: seed-artcle.txt, sources: [{path: zzz.txt}, {path: post.txt}]}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_batch_config(config)
    assert str(caught.value).splitlines()[1:] == [
        f"  comparisons.0.outlet: file not found: {tmp_path / 'seed-artcle.txt'}; did you mean "
        f"{tmp_path / 'seed-article.txt'}?",
        f"  comparisons.0.sources.0.path: file not found: {tmp_path / 'zzz.txt'}",
    ]


# --- PDFs -------------------------------------------------------------------------------------------


def test_pdf_input_says_how_to_convert(cli: Cli, tmp_path: Path) -> None:
    pdf = tmp_path / "Readout.pdf"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\n")
    result = cli("compare", OUTLET, str(pdf))
    assert result.exit_code == 2
    txt = tmp_path / "Readout.txt"
    assert result.stderr == (
        f"reconcile: error: {pdf}: is a PDF, and PDFs are not read yet; convert it to text first, "
        f"e.g. pdftotext {pdf} {txt}, then pass {txt}\n"
    )
    result = cli("compare", "-", POST, input=pdf.read_bytes())
    assert "stdin: is a PDF" in result.stderr and "pdftotext file.pdf file.txt" in result.stderr


# --- --source in the wrong order ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "right"),
    [
        ("truth-social-post=Donald Trump: {post}", "Donald Trump: truth-social-post={post}"),
        ("Truth Social={post}: Donald Trump", "Donald Trump: Truth Social={post}"),
        ("{post}=Truth Social", "Truth Social={post}"),
        ("{post}=Donald Trump: Truth Social", "Donald Trump: Truth Social={post}"),
        ("Donald Trump=Truth Social={post}", "Donald Trump: Truth Social={post}"),
        ("post.txt=Truth Social", "Truth Social=post.txt"),  # no such file: told by its suffix
    ],
)
def test_misordered_source_spec_shows_the_right_form(cli: Cli, spec: str, right: str) -> None:
    spec, right = spec.format(post=POST), right.format(post=POST)
    with pytest.raises(UsageError) as caught:
        parse_source_spec(spec)
    assert str(caught.value).startswith(f"source {spec!r} ") and str(caught.value).endswith(f'--source "{right}"')
    result = cli("compare", OUTLET, "--source", spec)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and f'--source "{right}"' in result.stderr
    # The form it shows is one that parses, with the user's own name, speaker and path.
    name, speaker, path = parse_source_spec(right)
    assert name in spec and path in spec and (speaker is None or speaker in spec)


@pytest.mark.parametrize(
    "spec",
    ["Truth Social={post}", "Donald Trump: Truth Social={post}", "{post}", "MFA=https://example.com/a?b=c: d"],
)
def test_well_formed_specs_are_not_taken_for_misordered(spec: str) -> None:
    parse_source_spec(spec.format(post=POST))


def test_a_file_whose_name_looks_misordered_is_read_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("Donald Trump: post.txt").write_text("A sentence.", encoding="utf-8")
    assert parse_source_spec("Post=Donald Trump: post.txt") == ("Post", None, "Donald Trump: post.txt")


# --- the outlet and a source swapped --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentences", "share"),
    [
        (["Trump wrote on Truth Social that it went well.", "The call lasted an hour."], 0.5),
        (["According to the readout, Xi stressed unity.", "It was said to be warm."], 1.0),
        (["President Xi stressed that China values the ties.", "Both sides agreed to stay in touch."], 0.0),
        ([], 0.0),
    ],
)
def test_attribution_share(sentences: list[str], share: float) -> None:
    assert attribution_share(sentences) == share


def test_the_sample_the_right_way_round_gets_no_swap_warning(sample_report: Report) -> None:
    assert not [w for w in sample_report.warnings if "swapped" in w]


def test_the_sample_swapped_gets_a_warning_with_the_command(embedder: SentenceTransformerEmbedder) -> None:
    report = compare(read_document(POST), [read_document(OUTLET)], embedder=embedder)
    (warning,) = report.warnings
    assert warning.startswith(
        "the outlet and the source may be swapped: outlet-article reads like reporting about truth-social-post ("
    )
    assert warning.endswith(f"The outlet (the article to check) comes first: reconcile compare {OUTLET} {POST}")
    # With another source beside it, the warning names the swap instead of a command that would drop one.
    other = read_document(OUTLET, name="again")
    two = compare(read_document(POST), [read_document(OUTLET), other], embedder=embedder)
    assert any("give outlet-article as the outlet and truth-social-post as a source" in w for w in two.warnings)


# --- no traceback, nothing overwritten, terminals kept safe (issue 27) ----------------------------------


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["compare", OUTLET, POST, "--bogus"], "No such option: --bogus"),
        (["compare", OUTLET, POST, "--format", "xml"], "--format xml: not a format"),
        (["compare", OUTLET, POST, "--fail-on", "bad"], "'bad' is not one of"),
        (["compare", OUTLET, POST, "--timeout", "-1"], "--timeout"),
        (["compare"], "Missing argument"),
        (["nosuch"], "No such command 'nosuch'"),
        (["serve", "--port", "eighty"], "Invalid value for '--port'"),
    ],
)
def test_usage_errors_are_one_line(cli: Cli, args: list[str], needle: str) -> None:
    result = cli(*args)
    assert result.exit_code == 2 and result.stdout == "", result.stdout
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("reconcile: error: "), result.stderr
    # each names the fix: the help to read, or (a bad format) the formats there are
    assert needle in result.stderr and ("--help" in result.stderr or "use one of" in result.stderr)


class _FakeCli(Cli):
    """The commands in-process with FakeEmbedder: for the plumbing of a whole run, without the model."""

    def _make(self, model: str | None, *, cache_dir: Path | None, precision: str) -> Any:
        return FakeEmbedder()


@pytest.fixture
def fake_cli() -> Cli:
    return _FakeCli()


def test_a_number_of_more_than_4300_digits_is_read(fake_cli: Cli, tmp_path: Path) -> None:
    outlet = tmp_path / "outlet.txt"
    outlet.write_text(f"The budget is {'9' * 5000} dollars. The minister met the press.", encoding="utf-8")
    source = tmp_path / "source.txt"
    source.write_text(f"The minister met the press on Monday. The budget is {'9' * 5000} dollars.", encoding="utf-8")
    result = fake_cli("compare", str(outlet), str(source), "--format", "json")
    assert result.exit_code == 0, result.stderr


def test_number_value_of_long_numerals() -> None:
    from reconcile.lexicon import number_value

    assert number_value("9" * 5000) == "9" * 5000
    assert number_value("007") == "7" and number_value("0") == "0" and number_value("1,000") == "1000"


@pytest.mark.parametrize("epoch", ["99999999999999999", "-99999999999999999", "9" * 5000])
def test_source_date_epoch_out_of_range_is_one_line(
    fake_cli: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, epoch: str
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    result = fake_cli("compare", OUTLET, POST, "-o", str(tmp_path / "r.txt"))
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and "SOURCE_DATE_EPOCH=" in result.stderr
    assert len(result.stderr) < 300


def test_verify_on_deeply_nested_json_is_one_line(cli: Cli, tmp_path: Path) -> None:
    report = tmp_path / "deep.json"
    report.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    result = cli("verify", str(report))
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and "not a JSON report" in result.stderr


def test_verify_shows_control_characters_as_symbols(cli: Cli, tmp_path: Path, fake_embedder: FakeEmbedder) -> None:
    import json

    outlet = tmp_path / "outlet.txt"
    outlet.write_text("Xi and Trump spoke by phone.", encoding="utf-8")
    source = tmp_path / "source.txt"
    source.write_text("Xi spoke to Trump by phone.", encoding="utf-8")
    report = compare(read_document(str(outlet)), [read_document(str(source))], embedder=fake_embedder)
    data = json.loads(render_json(report))
    data["outlet"]["path"] = str(tmp_path / "\x1b]0;pwned\x07\x1b[2Jname.txt")
    data["outlet"]["name"] = "\x1b[31mred"
    written = tmp_path / "report.json"
    written.write_text(json.dumps(data), encoding="utf-8")
    result = cli("verify", str(written))
    assert "\x1b" not in result.stdout + result.stderr and "\x07" not in result.stdout + result.stderr
    assert "\u241b]0;pwned\u2407\u241b[2Jname.txt" in result.stdout


# -o onto what is not a regular file: written through, never replaced by a file.


def test_output_onto_a_link_to_dev_null_writes_through(fake_cli: Cli, tmp_path: Path) -> None:
    link = tmp_path / "mynull"
    link.symlink_to("/dev/null")
    result = fake_cli("compare", OUTLET, POST, "-o", str(link), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == "/dev/null" and stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_output_onto_a_link_to_a_file_writes_the_file(fake_cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "real.txt"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "report.txt"
    link.symlink_to(target)
    result = fake_cli("compare", OUTLET, POST, "-o", str(link))
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and "old" != target.read_text(encoding="utf-8") and target.stat().st_size > 0


def test_output_onto_a_fifo_writes_through_to_its_reader(fake_cli: Cli, tmp_path: Path) -> None:
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []

    def read() -> None:
        with open(fifo, "rb") as f:
            got.append(f.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    # The reader waits in open() for a writer; Linux counts it as the FIFO's reader from then on.
    time.sleep(0.5)
    result = fake_cli("compare", OUTLET, POST, "-o", str(fifo), "--format", "json")
    reader.join(timeout=10)
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode) and got and b'"schema_version"' in got[0]


def test_output_onto_a_fifo_nobody_reads_is_refused_not_replaced(fake_cli: Cli, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = fake_cli("compare", OUTLET, POST, "-o", str(fifo))
    assert (
        result.exit_code == 2 and result.stderr.count("\n") == 1 and "a pipe (FIFO) that nothing reads" in result.stderr
    )
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_output_onto_a_character_device_writes_through(fake_cli: Cli, tmp_path: Path) -> None:
    device = tmp_path / "null"
    try:
        os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # /dev/null's numbers; needs root
    except PermissionError:
        pytest.skip("making a device needs root")
    result = fake_cli("compare", OUTLET, POST, "-o", str(device))
    if result.exit_code == 2 and "Operation not permitted" in result.stderr:
        pytest.skip("this file system does not open devices (nodev)")
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISCHR(os.stat(device).st_mode)


def test_compare_checks_the_database_before_comparing(cli: Cli, tmp_path: Path) -> None:
    db = tmp_path / "results.sqlite"
    db.write_text("not a database, and long enough to be read as one's header " * 4, encoding="utf-8")
    result = cli("compare", OUTLET, POST, "--db", str(db), "-o", str(tmp_path / "r.txt"))
    assert result.exit_code == 2 and "not a SQLite database" in result.stderr
    assert not (tmp_path / "r.txt").exists()  # refused before the comparison, not after it


def test_error_lines_are_cut_and_config_values_clipped(cli: Cli, tmp_path: Path) -> None:
    name = "x" * 200_000
    config = tmp_path / "batch.yaml"
    entries = "\n".join("  - {name: *n, outlet: a.txt, sources: [b.txt]}" for _ in range(50))
    config.write_text(f"comparisons:\n  - {{name: &n '{name}/', outlet: a.txt, sources: [b.txt]}}\n{entries}\n")
    result = cli("batch", str(config))
    assert result.exit_code == 2 and len(result.stderr) < 50_000, len(result.stderr)
    assert all(len(line) <= 1_000 for line in result.stderr.splitlines())


@pytest.mark.parametrize("value", ["pdf", "docx"])
def test_an_unknown_format_is_one_line_naming_the_formats(cli: Cli, value: str) -> None:
    result = cli("compare", OUTLET, POST, "--format", value)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"reconcile: error: --format {value}: not a format reconcile writes; use one of text, json, markdown, html"
    )


def test_format_is_read_in_any_case(cli: Cli, tmp_path: Path) -> None:
    # JSON and json are one format; the comparison itself is not needed to tell (a missing outlet stops it).
    result = cli("compare", str(tmp_path / "missing.txt"), POST, "--format", "JSON")
    assert result.exit_code == 2 and "--format" not in result.stderr and "not found" in result.stderr
