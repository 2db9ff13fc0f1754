"""The evidence pack: input hashes, version and time in every report, and `reconcile verify`."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from reconcile import __version__
from reconcile.compare import compare
from reconcile.documents import read_document
from reconcile.errors import UsageError
from reconcile.provenance import InputState, now, timestamp, verify_report
from reconcile.render import render
from reconcile.report import SCHEMA_VERSION
from reconcile.resources import Resources

from .conftest import FIXED_EPOCH, TWO, Cli, FakeEmbedder

ARTICLE = "Both leaders agreed to resume military-to-military talks. Analysts said the call did little.\n"
READOUT = "Both leaders agreed to resume military-to-military talks at the senior level.\n"
# HTML: the hash is of the text as read (mark-up removed), the text every offset refers to.
PAGE = "<html><body><nav>Home</nav><article><p>Xi and Biden spoke by phone on Tuesday.</p></article></body></html>"


def _report_file(folder: Path, resources: Resources, embedder: FakeEmbedder) -> Path:
    """A JSON report of article.txt against readout.txt and page.html, written into folder."""
    (folder / "article.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "readout.txt").write_text(READOUT, encoding="utf-8")
    (folder / "page.html").write_text(PAGE, encoding="utf-8")
    report = compare(
        read_document(folder / "article.txt"),
        [read_document(folder / "readout.txt", name="Readout"), read_document(folder / "page.html")],
        embedder=embedder,
        resources=resources,
    )
    path = folder / "report.json"
    path.write_text(render(report, "json"), encoding="utf-8")
    return path


def test_the_report_records_hashes_version_and_time(
    tmp_path: Path, resources: Resources, fake_embedder: FakeEmbedder
) -> None:
    data = json.loads(_report_file(tmp_path, resources, fake_embedder).read_text(encoding="utf-8"))
    assert data["schema_version"] == SCHEMA_VERSION == "2.1"
    assert data["reconcile_version"] == __version__
    assert data["created"] == "2026-01-02T03:04:05Z"  # the session's SOURCE_DATE_EPOCH (conftest)
    assert datetime.fromtimestamp(int(FIXED_EPOCH), UTC) == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert data["outlet"]["sha256"] == hashlib.sha256(ARTICLE.encode("utf-8")).hexdigest()
    readout, page = data["sources"]
    assert readout["sha256"] == hashlib.sha256(READOUT.encode("utf-8")).hexdigest()
    readable = read_document(tmp_path / "page.html").text
    assert "Home" not in readable and page["sha256"] == hashlib.sha256(readable.encode("utf-8")).hexdigest()
    assert data["model"] == "fake" and data["settings"]["judge"] == resources.the_judge().id


def test_the_time_is_the_clock_unless_fixed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    before = datetime.now(UTC).replace(microsecond=0)
    moment = now()
    assert before <= moment <= datetime.now(UTC) and moment.microsecond == 0
    assert timestamp(datetime(2026, 3, 4, 5, 6, 7, 890, tzinfo=UTC)) == "2026-03-04T05:06:07Z"
    # Another zone is written in UTC; a time without a zone is refused.
    assert timestamp(datetime(2026, 3, 4, 11, 6, 7, tzinfo=timezone(timedelta(hours=3)))) == "2026-03-04T08:06:07Z"
    with pytest.raises(UsageError, match="time zone"):
        timestamp(datetime(2026, 3, 4))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(UsageError, match="SOURCE_DATE_EPOCH='yesterday' is not a whole number"):
        now()


def test_compare_takes_the_time_it_is_given(resources: Resources, fake_embedder: FakeEmbedder) -> None:
    given = datetime(2025, 1, 17, 12, 0, 0, tzinfo=UTC)
    outlet, source = read_document(TWO / "article.txt"), read_document(TWO / "mfa.txt")
    report = compare(outlet, [source], embedder=fake_embedder, resources=resources, created=given)
    assert report.created == "2025-01-17T12:00:00Z"
    assert report.to_dict()["created"] == "2025-01-17T12:00:00Z"


def test_verify_says_which_inputs_still_match(
    cli: Cli, tmp_path: Path, resources: Resources, fake_embedder: FakeEmbedder
) -> None:
    report = _report_file(tmp_path, resources, fake_embedder)
    result = cli("verify", str(report))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split()[:2] for line in lines] == [["matches", "outlet"], ["matches", "source"], ["matches", "source"]]
    assert str(tmp_path / "readout.txt") in lines[1] and "'Readout'" in lines[1]

    # Mark-up that does not change the readable text still matches; an edit of the text does not.
    (tmp_path / "page.html").write_text(PAGE.replace("<nav>Home</nav>", "<nav>Start</nav>"), encoding="utf-8")
    (tmp_path / "readout.txt").write_text(READOUT.replace("senior", "junior"), encoding="utf-8")
    result = cli("verify", str(report))
    assert result.exit_code == 1
    states = [line.split()[0] for line in result.stdout.splitlines()]
    assert states == ["matches", "differs", "matches"]
    assert "sha256 now" in result.stdout.splitlines()[1]
    assert [c.state for c in verify_report(report)] == [InputState.MATCHES, InputState.DIFFERS, InputState.MATCHES]

    # An input gone: its line says so, and one line on stderr; exit 2.
    (tmp_path / "article.txt").unlink()
    result = cli("verify", str(report))
    assert result.exit_code == 2
    assert result.stdout.splitlines()[0].startswith("unreadable outlet")
    assert result.stderr.count("\n") == 1 and "1 of its 3 inputs cannot be read" in result.stderr


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(None, "report not found", id="missing"),
        pytest.param("not json", "not a JSON report", id="not-json"),
        pytest.param('{"a": 1}', "not a reconcile JSON report", id="not-a-report"),
        pytest.param(
            '{"schema_version": "1.2", "outlet": {"name": "a", "path": "a.txt"}, "sources": []}',
            "records no SHA-256 of its inputs",
            id="schema-1.2",
        ),
    ],
)
def test_verify_a_report_it_cannot_use(cli: Cli, tmp_path: Path, content: str | None, expected: str) -> None:
    path = tmp_path / "report.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = cli("verify", str(path))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("reconcile: error: ") and result.stderr.count("\n") == 1
    assert expected in result.stderr


def test_verify_an_input_read_from_stdin(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "report.json"
    entry = {"name": "stdin", "path": "-", "sha256": "0" * 64}
    path.write_text(json.dumps({"schema_version": "1.3", "outlet": entry, "sources": []}), encoding="utf-8")
    result = cli("verify", str(path))
    assert result.exit_code == 2
    assert "read from stdin: it cannot be re-read" in result.stdout
