"""The command line end to end: formats, files, exit codes and one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import ROOT, SAMPLE

OUTLET = str(SAMPLE / "outlet-article.txt")
POST = str(SAMPLE / "truth-social-post.txt")


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reconcile", *args],
        cwd=ROOT,
        capture_output=True,
        text=stdin is None,
        input=stdin,
        timeout=600,
    )


@pytest.mark.parametrize(("command", "option"), [("compare", "--fail-on"), ("batch", "--resume"), ("serve", "--port")])
def test_help_does_not_import_torch(command, option):
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from reconcile.cli import app\n"
        f"r = CliRunner().invoke(app, [{command!r}, '--help'])\n"
        f"assert r.exit_code == 0 and {option!r} in r.output, r.output\n"
        "heavy = [m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


@pytest.mark.model
def test_json_report_to_file(tmp_path):
    out = tmp_path / "report.json"
    result = run(
        "compare", OUTLET, "--source", f"Donald Trump: Truth Social={POST}", "--format", "json", "-o", str(out)
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["schema_version"] == "1.1"
    assert data["outlet"] == {"name": "outlet-article", "path": OUTLET, "sentences": 20}
    assert data["sources"][0]["name"] == "Truth Social" and data["sources"][0]["speaker"] == "Donald Trump"
    assert len(data["sentences"]) == 20 and data["skipped"][0]["text"] == "Recommended"
    first = data["sentences"][0]
    assert set(first) >= {
        "index",
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


@pytest.mark.model
def test_text_and_markdown_and_fail_on():
    text = run("compare", OUTLET, POST)
    assert text.returncode == 0, text.stderr
    assert "supported" in text.stdout and "Summary" in text.stdout
    md = run("compare", OUTLET, POST, "--format", "markdown", "--fail-on", "contradicted")
    assert md.stdout.startswith("# reconcile: outlet-article against truth-social-post")
    contradicted = "**contradicted**" in md.stdout
    assert md.returncode == (1 if contradicted else 0)
    failing = run("compare", OUTLET, POST, "--format", "json", "--fail-on", "unsupported")
    assert failing.returncode == 1  # the article's editorial sentences are unsupported


@pytest.mark.model
def test_stdin_outlet():
    result = run(
        "compare", "-", POST, "--format", "json", stdin=b"The call was a very good one for both China and the U.S.A."
    )
    assert result.returncode == 0, result.stderr
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
def test_bad_input_is_one_line_exit_2(tmp_path, name):
    content, needle = BAD_FILES[name]
    bad = tmp_path / name
    if content is not None:
        bad.write_bytes(content)
    for args in (("compare", str(bad), POST), ("compare", OUTLET, str(bad))):
        result = run(*args)
        assert result.returncode == 2
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert needle in lines[0] and str(bad.name) in lines[0] and "Traceback" not in result.stderr


def test_no_source_is_usage_error():
    result = run("compare", OUTLET)
    assert result.returncode == 2
    assert "no source given" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_version():
    result = run("--version")
    assert result.returncode == 0 and result.stdout.startswith("reconcile ")
