"""The command line: formats, files, exit codes and one-line errors (in-process), and one real process."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from reconcile.report import SCHEMA_VERSION
from reconcile.resources import Resources

from .conftest import ROOT, SAMPLE_OUTLET, SAMPLE_POST, Cli

OUTLET = str(SAMPLE_OUTLET)
POST = str(SAMPLE_POST)


def test_help_does_not_import_torch() -> None:
    # A process of its own: in this one, the session's model has imported torch long ago.
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from reconcile.cli import app\n"
        "for command, option in (('compare', '--fail-on'), ('batch', '--resume'), ('serve', '--port')):\n"
        "    r = CliRunner().invoke(app, [command, '--help'])\n"
        "    assert r.exit_code == 0 and option in r.output, r.output\n"
        "heavy = ('torch', 'sentence_transformers', 'transformers', 'httpx', 'trafilatura')\n"
        "heavy = [m for m in heavy if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_compare_in_a_process_of_its_own(model_cli: Cli, resources: Resources) -> None:
    # The smoke test of `python -m reconcile compare`: the same report as in-process, byte for byte.
    # Both use the default embedding cache, the session's (RECONCILE_CACHE_DIR): the in-process run
    # fills it, so the process reads every vector from it and needs no model of its own.
    args = ("compare", OUTLET, "--source", f"Donald Trump: Truth Social={POST}", "--format", "json")
    in_process = model_cli(*args)
    assert in_process.exit_code == 0, in_process.stderr
    process = subprocess.run([sys.executable, "-m", "reconcile", *args], cwd=ROOT, capture_output=True, timeout=600)
    assert process.returncode == 0, process.stderr
    assert process.stderr == b""
    assert process.stdout == in_process.stdout_bytes


def test_json_report_to_file(model_cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = model_cli(
        "compare", OUTLET, "--source", f"Donald Trump: Truth Social={POST}", "--format", "json", "-o", str(out)
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["outlet"] == {
        "name": "outlet-article",
        "path": OUTLET,
        "sha256": hashlib.sha256(Path(OUTLET).read_bytes().replace(b"\r\n", b"\n")).hexdigest(),
        "sentences": 20,
    }
    assert data["sources"][0]["name"] == "Truth Social" and data["sources"][0]["speaker"] == "Donald Trump"
    assert len(data["sentences"]) == 20 and data["skipped"][0]["text"] == "Recommended"
    first = data["sentences"][0]
    assert first["number"] == 1  # numbered from 1, as every format shows them
    assert set(first) >= {
        "number",
        "text",
        "start",
        "end",
        "verdict",
        "score",
        "reason",
        "evidence",
        "unsupported_spans",
    }
    assert set(first["evidence"][0]) >= {"source", "index", "text", "start", "end", "score"}
    assert sum(data["summary"]["counts"].values()) == 20


def test_text_and_markdown_and_fail_on(model_cli: Cli) -> None:
    text = model_cli("compare", OUTLET, POST)
    assert text.exit_code == 0, text.stderr
    assert "supported" in text.stdout and "Summary" in text.stdout
    md = model_cli("compare", OUTLET, POST, "--format", "markdown", "--fail-on", "contradicted")
    assert md.stdout.startswith("# reconcile: outlet-article against truth-social-post")
    # Whatever the sample's verdicts, the exit status must agree with them.
    contradicted = " contradicted**" in md.stdout  # "- **Sentence 5: ✗ contradicted**, ..."
    assert md.exit_code == (1 if contradicted else 0)
    assert contradicted  # the claim of silence the post answers ("he did not reveal details")
    failing = model_cli("compare", OUTLET, POST, "--format", "json", "--fail-on", "unsupported")
    assert failing.exit_code == 1  # the article's editorial sentences are unsupported


READOUT = "The ministry said 20 people were injured in the blast on Monday. Officials did not confirm the cause.\n"


@pytest.mark.parametrize(
    ("outlet", "fail_on", "verdict", "code"),
    [
        ("The ministry said 50 people were injured in the blast on Monday.", "contradicted", "contradicted", 1),
        ("The ministry said 50 people were injured in the blast on Monday.", None, "contradicted", 0),
        ("Officials did not confirm the cause.", "partial", "supported", 0),
        ("The ministry said 20 people were injured in the blast on Monday, and blamed a gas leak at a nearby factory.",
         "partial", "partial", 1),
        ("The ministry said 20 people were injured in the blast on Monday, and blamed a gas leak at a nearby factory.",
         "unsupported", "partial", 0),
        # --fail-on a severity: the report's problems, not the verdicts (a wrong number is an error).
        ("The ministry said 50 people were injured in the blast on Monday.", "error", "contradicted", 1),
        ("The ministry said 50 people were injured in the blast on Monday.", "check", "contradicted", 1),
        ("Officials did not confirm the cause.", "check", "supported", 0),
        ("Farmers in the valley planted barley across forty hectares.", "error", "unsupported", 0),
        ("Farmers in the valley planted barley across forty hectares.", "check", "unsupported", 1),
    ],
)  # fmt: skip
def test_fail_on_exit_status(
    model_cli: Cli, tmp_path: Path, outlet: str, fail_on: str | None, verdict: str, code: int
) -> None:
    # Known verdicts, so each exit status is pinned (the sample's test above can only check agreement).
    (tmp_path / "readout.txt").write_text(READOUT, encoding="utf-8")
    (tmp_path / "article.txt").write_text(outlet + "\n", encoding="utf-8")
    options = ("--fail-on", fail_on) if fail_on else ()
    result = model_cli("compare", str(tmp_path / "article.txt"), str(tmp_path / "readout.txt"), "-f", "json", *options)
    assert [s["verdict"] for s in json.loads(result.stdout)["sentences"]] == [verdict]
    assert result.exit_code == code, result.stderr


def test_stdin_outlet(model_cli: Cli) -> None:
    result = model_cli(
        "compare", "-", POST, "--format", "json", input=b"The call was a very good one for both China and the U.S.A."
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["sentences"][0]["verdict"] == "supported"


BAD_FILES = {
    "missing.txt": (None, "not found"),
    "empty.txt": (b"", "empty"),
    "blank.txt": (b"  \n\n ", "empty"),
    "binary.txt": (b"\x00\x01\x02abc", "binary"),
    "latin.txt": ("Café au lait.".encode("latin-1"), "UTF-8"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_input_is_one_line_exit_2(cli: Cli, tmp_path: Path, name: str) -> None:
    content, needle = BAD_FILES[name]
    bad = tmp_path / name
    if content is not None:
        bad.write_bytes(content)
    for args in (("compare", str(bad), POST), ("compare", OUTLET, str(bad))):
        result = cli(*args)  # raises on a traceback
        assert result.exit_code == 2
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert needle in lines[0] and str(bad.name) in lines[0] and result.stdout == ""


def test_no_source_is_usage_error(cli: Cli) -> None:
    result = cli("compare", OUTLET)
    assert result.exit_code == 2
    assert "no source given" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_version(cli: Cli) -> None:
    result = cli("--version")
    assert result.exit_code == 0 and result.stdout.startswith("reconcile ")
