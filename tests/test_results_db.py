"""The results database (--db): an editor's queries on a real batch, re-runs in place, whole comparisons only."""

from __future__ import annotations

import dataclasses
import json
import re
import sqlite3
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from reconcile.batch import Status, load_batch_config, run_batch
from reconcile.compare import compare
from reconcile.documents import read_document
from reconcile.embed import SentenceTransformerEmbedder
from reconcile.errors import InputError
from reconcile.resources import Resources
from reconcile.results_db import DB_SCHEMA_VERSION, TABLES, ResultsDB, batch_key, inputs_key, table_columns

from .conftest import FIXED_EPOCH, ROOT, SAMPLE_OUTLET, SAMPLE_POST, TWO, Cli, FakeEmbedder

# Three outlets' articles about the call of the two-readouts fixture, with what an editor looks for:
# an altered quotation, a date and a negation that contradict the readouts, a claim credited to a ministry
# that is not among the sources.
ARTICLES = {
    "reuters.txt": (
        "President Joe Biden spoke with President Xi Jinping by phone on Tuesday.\n"
        'Xi told Biden that "the Taiwan question is the first red line that must never be crossed."\n'
        "Both leaders agreed to resume military-to-military talks at the senior level.\n"
        "The United States will host a meeting of the working group on counternarcotics in June.\n"
    ),
    "ap.txt": (
        "Biden did not raise concerns about China's support for Russia's defense industrial base.\n"
        "China is willing to expand imports of U.S. agricultural products, the ministry said.\n"
        "The two presidents agreed that their teams would stay in contact.\n"
        "Chinese exports of rare earths fell by a third last year, the Commerce Ministry said.\n"
    ),
    "xinhua.txt": (
        "On the evening of April 2, President Xi Jinping had a phone call with U.S. President Joe Biden.\n"
        '"The Taiwan question is the first red line that must not be crossed," Xi said.\n'
    ),
}
CONFIG = """\
output_dir: out
formats: [json]
sources:
  wh: {path: white-house.txt, name: White House, speaker: Joe Biden}
  mfa: {path: mfa.txt, name: MFA, speaker: Xi Jinping}
comparisons:
  - {name: reuters-call, outlet: reuters.txt, sources: [wh, mfa]}
  - {name: reuters-call-mfa-only, outlet: reuters.txt, sources: [mfa]}
  - {name: ap-call, outlet: ap.txt, sources: [wh, mfa]}
  - {name: xinhua-call, outlet: xinhua.txt, sources: [mfa]}
"""


def _folder(folder: Path, articles: dict[str, str], config: str = CONFIG) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("white-house.txt", "mfa.txt"):
        (folder / name).write_text((TWO / name).read_text(encoding="utf-8"), encoding="utf-8")
    for name, text in articles.items():
        (folder / name).write_text(text, encoding="utf-8")
    path = folder / "batch.yaml"
    path.write_text(config, encoding="utf-8")
    return path


def _rows(path: Path, sql: str, params: dict[str, Any] | tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    with ResultsDB(path) as db:
        return db.query(sql, params)


def _snapshot(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in id order."""
    connection = sqlite3.connect(path)
    try:
        return {t: connection.execute(f"SELECT * FROM [{t}] ORDER BY id").fetchall() for t in TABLES}
    finally:
        connection.close()


def _reports(out: Path) -> dict[str, dict[str, Any]]:
    return {
        p.stem: json.loads(p.read_text(encoding="utf-8"))
        for p in sorted(out.glob("*.json"), key=lambda p: p.stem)
        if p.stem != "summary"
    }


@pytest.fixture(scope="module")
def newsroom(
    embedder: SentenceTransformerEmbedder, resources: Resources, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Path]:
    """(database, output folder) of a real batch run with the real model; also last month's run of xinhua."""
    folder = tmp_path_factory.mktemp("newsroom")
    db = folder / "results.sqlite"
    result = run_batch(load_batch_config(_folder(folder, ARTICLES)), embedder=embedder, resources=resources, db=db)
    assert not result.failed
    # A run a month earlier, into the same database from another folder: it must not count as this week.
    month_ago = str(int(FIXED_EPOCH) - 30 * 86400)
    old = "output_dir: old\n" + CONFIG.split("\n", 1)[1].replace("  - {name: reuters-call,", "  - {name: old-reuters,")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", month_ago)
        run_batch(
            load_batch_config(_folder(folder / "archive", ARTICLES, old)), embedder=embedder, resources=resources, db=db
        )
    return db, folder / "out"


ALTERED_THIS_WEEK = """
SELECT c.outlet, c.name, q.text, q.reason
FROM quotes q JOIN comparisons c ON c.id = q.comparison_id
WHERE q.status = 'altered' AND c.created >= :since
ORDER BY c.name, q.rank
"""
MOST_CONTRADICTIONS = """
SELECT c.outlet, count(*) AS contradictions
FROM findings f JOIN comparisons c ON c.id = f.comparison_id
WHERE f.severity = 'contradiction' AND c.created >= :since
GROUP BY c.outlet ORDER BY contradictions DESC, c.outlet
"""
BACKED_BY_ONE_READOUT = """
SELECT c.name, s.number, s.text, s.verdict
FROM sentences s JOIN comparisons c ON c.id = s.comparison_id
WHERE json_array_length(s.supported_by) = 1
  AND EXISTS (SELECT 1 FROM json_each(s.supported_by) WHERE value = :readout)
  AND c.created >= :since
ORDER BY c.name, s.number
"""
ERRORS_BY_OUTLET = """
SELECT c.outlet, count(*) AS errors
FROM problems p JOIN comparisons c ON c.id = p.comparison_id
WHERE p.severity = 'error' AND c.created >= :since
GROUP BY c.outlet ORDER BY errors DESC, c.outlet
"""
CREDITED_ELSEWHERE = """
SELECT c.name, p.sentence, s.credited_to, p.text
FROM problems p JOIN comparisons c ON c.id = p.comparison_id JOIN sentences s ON s.id = p.sentence_id
WHERE p.kind = 'claim credited to a source not supplied' AND c.created >= :since
ORDER BY c.name, p.sentence
"""


def _this_week() -> str:
    return (datetime.fromtimestamp(int(FIXED_EPOCH), UTC) - timedelta(days=7)).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_an_editors_queries(newsroom: tuple[Path, Path]) -> None:
    db, out = newsroom
    reports = _reports(out)
    since = _this_week()

    altered = _rows(db, ALTERED_THIS_WEEK, {"since": since})
    expected = [
        (r["outlet"]["name"], name, q["text"])
        for name, r in reports.items()
        for q in r["quotes"]
        if q["status"] == "altered"
    ]
    assert [(a["outlet"], a["name"], a["text"]) for a in altered] == expected
    assert any("must never be crossed" in a["text"] for a in altered)  # the misquotation the article makes
    assert all(a["name"] != "old-reuters" for a in altered)  # last month's run of the same article is not this week

    most = _rows(db, MOST_CONTRADICTIONS, {"since": since})
    counted = Counter(
        r["outlet"]["name"]
        for r in reports.values()
        for s in r["sentences"]
        for f in s["contradictions"]
        if f["severity"] == "contradiction"
    )
    assert {m["outlet"]: m["contradictions"] for m in most} == dict(counted)
    assert [m["contradictions"] for m in most] == sorted(counted.values(), reverse=True)
    assert {"reuters", "ap"} <= set(counted)  # June for March; "did not raise" for "raised"

    for readout in ("MFA", "White House"):
        backed = _rows(db, BACKED_BY_ONE_READOUT, {"readout": readout, "since": since})
        expected_backed = [
            (name, s["number"]) for name, r in reports.items() for s in r["sentences"] if s["supported_by"] == [readout]
        ]
        assert [(b["name"], b["number"]) for b in backed] == expected_backed and expected_backed


def test_an_editors_questions_of_the_problems(newsroom: tuple[Path, Path]) -> None:
    # The report's own list of things to check, as the JSON gives it: errors this week by outlet, and the
    # claims credited to a source nobody supplied.
    db, out = newsroom
    reports = _reports(out)
    since = _this_week()
    errors = _rows(db, ERRORS_BY_OUTLET, {"since": since})
    counted = Counter(r["outlet"]["name"] for r in reports.values() for p in r["problems"] if p["severity"] == "error")
    assert {e["outlet"]: e["errors"] for e in errors} == dict(counted) and counted
    credited = _rows(db, CREDITED_ELSEWHERE, {"since": since})
    assert [(c["name"], c["sentence"], c["credited_to"]) for c in credited] == [("ap-call", 4, "Commerce Ministry")]
    assert reports["ap-call"]["sentences"][3]["number"] == 4  # numbered from 1, in the JSON as in the database
    # Every problem of every report is a row, in the report's order.
    for name, report in reports.items():
        rows = _rows(
            db,
            "SELECT p.severity, p.kind, p.sentence, p.text, p.detail FROM problems p JOIN comparisons c "
            "ON c.id = p.comparison_id WHERE c.name = ? AND c.created >= ? ORDER BY p.rank",
            (name, since),
        )
        assert [tuple(r.values()) for r in rows] == [
            (p["severity"], p["kind"], p["sentence"], p["text"], p["detail"]) for p in report["problems"]
        ]


def test_rows_say_what_the_report_says(newsroom: tuple[Path, Path]) -> None:
    db, out = newsroom
    for name, report in _reports(out).items():
        key = batch_key(out, name)
        (row,) = _rows(db, "SELECT * FROM comparisons WHERE id = ?", (key,))
        assert row["name"] == name and row["kind"] == "batch" and row["status"] == "ok"
        assert row["outlet_sha256"] == report["outlet"]["sha256"] and row["created"] == report["created"]
        assert row["model"] == report["model"] and row["judge"] == report["settings"]["judge"]
        assert (
            json.loads(row["settings"]) == report["settings"]
            and row["reconcile_version"] == report["reconcile_version"]
        )
        assert row["contradicted"] == report["summary"]["counts"]["contradicted"]
        inputs = _rows(db, "SELECT * FROM inputs WHERE comparison_id = ? ORDER BY position", (key,))
        recorded = [report["outlet"], *report["sources"]]
        assert [(i["name"], i["path"], i["sha256"]) for i in inputs] == [
            (d["name"], d["path"], d["sha256"]) for d in recorded
        ]
        for table, items in (
            ("sentences", report["sentences"]),
            ("quotes", report["quotes"]),
            ("coverage", report["coverage"]),
            ("omissions", report["omissions"]),
        ):
            rows = _rows(db, f"SELECT text FROM [{table}] WHERE comparison_id = ? ORDER BY id", (key,))
            assert sorted(r["text"] for r in rows) == sorted(i["text"] for i in items)
        evidence = _rows(db, "SELECT count(*) AS n FROM evidence WHERE comparison_id = ?", (key,))
        assert evidence[0]["n"] == sum(len(s["evidence"]) for s in report["sentences"])


def test_a_rerun_updates_rows_in_place(
    newsroom: tuple[Path, Path], embedder: SentenceTransformerEmbedder, resources: Resources
) -> None:
    db, out = newsroom
    before = _snapshot(db)
    assert all(before[t] for t in TABLES)
    config = load_batch_config(out.parent / "batch.yaml")
    run_batch(config, embedder=embedder, resources=resources, db=db)
    assert _snapshot(db) == before  # the same keys, the same values, nothing added
    result = run_batch(config, embedder=embedder, resources=resources, db=db, resume=True)
    assert all(c.resumed for c in result.comparisons) and _snapshot(db) == before


def test_foreign_keys_hold(newsroom: tuple[Path, Path]) -> None:
    db, _ = newsroom
    connection = sqlite3.connect(db)
    try:
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        assert connection.execute("PRAGMA user_version").fetchone()[0] == DB_SCHEMA_VERSION
        # Written in WAL mode, left as a plain database file: no -wal or -shm beside it.
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert sorted(p.name for p in db.parent.glob("results.sqlite*")) == ["results.sqlite"]
    finally:
        connection.close()


# --- plumbing (the fake embedder) -----------------------------------------------------------------

SMALL = {
    "reuters.txt": ARTICLES["reuters.txt"],
    "ap.txt": ARTICLES["ap.txt"],
    "xinhua.txt": ARTICLES["xinhua.txt"],
}


def test_a_failing_comparison_leaves_no_rows(tmp_path: Path, fake_embedder: FakeEmbedder) -> None:
    path = _folder(tmp_path, SMALL)
    db, out = tmp_path / "r.sqlite", tmp_path / "out"
    run_batch(load_batch_config(path), embedder=fake_embedder, db=db)
    key = batch_key(out, "ap-call")
    assert _rows(db, "SELECT count(*) AS n FROM sentences WHERE comparison_id = ?", (key,))[0]["n"] == 4
    (tmp_path / "ap.txt").write_bytes(b"\x00\x01binary")  # ap now fails, after an earlier success
    result = run_batch(load_batch_config(path), embedder=FakeEmbedder(), db=db)
    assert [c.status for c in result.comparisons] == [Status.OK, Status.OK, Status.FAILED, Status.OK]
    (row,) = _rows(db, "SELECT * FROM comparisons WHERE id = ?", (key,))
    assert row["status"] == "failed" and "binary" in row["error"] and row["sentences"] is None
    for table in TABLES:
        if table != "comparisons":
            n = _rows(db, f"SELECT count(*) AS n FROM [{table}] WHERE comparison_id = ?", (key,))[0]["n"]
            assert n == 0, table
    others = _rows(db, "SELECT count(*) AS n FROM sentences WHERE comparison_id != ?", (key,))
    assert others[0]["n"] == 4 + 4 + 2
    # --resume runs it again once it can be read, and the database says ok.
    (tmp_path / "ap.txt").write_text(ARTICLES["ap.txt"], encoding="utf-8")
    again = run_batch(load_batch_config(path), embedder=FakeEmbedder(), db=db, resume=True)
    assert [c.resumed for c in again.comparisons] == [True, True, False, True]
    assert _rows(db, "SELECT status FROM comparisons WHERE id = ?", (key,)) == [{"status": "ok"}]


def test_a_write_that_fails_half_way_leaves_the_old_rows(
    tmp_path: Path, fake_embedder: FakeEmbedder, resources: Resources
) -> None:
    outlet, source = read_document(TWO / "article.txt"), read_document(TWO / "mfa.txt", name="MFA")
    report = compare(outlet, [source], embedder=fake_embedder, resources=resources)
    db = tmp_path / "r.sqlite"
    key = inputs_key(outlet, [source])
    with ResultsDB(db) as results:
        results.record(report, key=key, name="article")
    before = _snapshot(db)
    # A sentence twice: its second row breaks the primary key after the comparison's old rows were
    # deleted and some new ones written; the transaction takes all of it back.
    broken = dataclasses.replace(report, sentences=(*report.sentences, report.sentences[0]))
    with ResultsDB(db) as results:
        with pytest.raises(InputError, match=r"cannot write the results of 'article' \(UNIQUE constraint failed"):
            results.record(broken, key=key, name="article")
        with pytest.raises(InputError, match="nothing of it was written"):
            results.record(broken, key="another", name="new")
    assert _snapshot(db) == before


def test_untrusted_text_is_stored_as_it_is(tmp_path: Path, fake_embedder: FakeEmbedder) -> None:
    hostile = 'Robert\'); DROP TABLE comparisons; -- said "the call was [sic] good" on Tuesday.\n'
    config = CONFIG.replace("outlet: reuters.txt, sources: [wh, mfa]", "outlet: hostile.txt, sources: [wh, mfa]")
    path = _folder(tmp_path, {**SMALL, "hostile.txt": hostile}, config)
    db = tmp_path / "r.sqlite"
    run_batch(load_batch_config(path), embedder=fake_embedder, db=db)
    key = batch_key(tmp_path / "out", "reuters-call")
    rows = _rows(db, "SELECT text FROM sentences WHERE comparison_id = ? ORDER BY number", (key,))
    report = json.loads((tmp_path / "out" / "reuters-call.json").read_text(encoding="utf-8"))
    assert [r["text"] for r in rows] == [s["text"] for s in report["sentences"]]
    assert "Robert'); DROP TABLE comparisons; --" in rows[0]["text"]
    quotes = _rows(db, "SELECT text FROM quotes WHERE comparison_id = ?", (key,))
    assert [q["text"] for q in quotes] == [q["text"] for q in report["quotes"]] and quotes
    connection = sqlite3.connect(db)
    try:
        tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        connection.close()
    assert set(TABLES) <= tables


def test_a_database_it_cannot_use(tmp_path: Path, cli: Cli) -> None:
    with pytest.raises(InputError, match="is a folder"):
        ResultsDB(tmp_path)
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not a database at all, not even close" * 100)
    with pytest.raises(InputError, match="not a SQLite database"):
        ResultsDB(junk)
    other = tmp_path / "other.sqlite"
    connection = sqlite3.connect(other)
    connection.execute("PRAGMA user_version = 7")
    connection.close()
    with pytest.raises(
        InputError, match=f"a results database of schema 7, not {DB_SCHEMA_VERSION}; write to a new file"
    ):
        ResultsDB(other)
    # The command says it in one line and exits 2, before anything is compared.
    path = _folder(tmp_path / "batch", SMALL)
    result = cli("batch", str(path), "--db", str(junk), "-q")
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and "not a SQLite database" in result.stderr
    assert not (tmp_path / "batch" / "out" / "summary.csv").exists()


def test_resume_fills_a_new_database(tmp_path: Path, fake_embedder: FakeEmbedder) -> None:
    path = _folder(tmp_path, SMALL)
    run_batch(load_batch_config(path), embedder=fake_embedder)
    db = tmp_path / "new.sqlite"
    # Reports complete, but the database has none of them: --resume runs them so that it is complete.
    result = run_batch(load_batch_config(path), embedder=FakeEmbedder(), db=db, resume=True)
    assert not any(c.resumed for c in result.comparisons)
    assert _rows(db, "SELECT count(*) AS n FROM comparisons WHERE status = 'ok'") == [{"n": 4}]
    result = run_batch(load_batch_config(path), embedder=FakeEmbedder(), db=db, resume=True)
    assert all(c.resumed for c in result.comparisons)


def test_compare_writes_the_database(model_cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    db = tmp_path / "r.sqlite"
    args = ("compare", str(SAMPLE_OUTLET), str(SAMPLE_POST), "--db", str(db))
    first = model_cli(*args, "--format", "json")
    assert first.exit_code == 0, first.stderr
    before = _snapshot(db)
    assert model_cli(*args, "--format", "markdown").exit_code == 0  # the same comparison: rows in place
    assert _snapshot(db) == before
    report = json.loads(first.stdout)
    (row,) = _rows(db, "SELECT * FROM comparisons")
    assert row["kind"] == "compare" and row["name"] == "outlet-article" and row["sentences"] == len(report["sentences"])
    assert row["outlet_sha256"] == report["outlet"]["sha256"]


def test_the_docs_show_the_schema() -> None:
    section = (ROOT / "docs" / "database.md").read_text(encoding="utf-8")
    assert "datasette results.sqlite" in section
    for table, columns in table_columns():
        line = next((row for row in section.splitlines() if row.startswith(f"| `{table}` |")), None)
        assert line is not None, f"docs/database.md: no row for the table {table}"
        assert re.findall(r"`(\w+)`", line.split("|")[2]) == columns, table


def test_the_record_tables_columns_are_the_reports_own_keys() -> None:
    # One definition: the report's dataclasses give the JSON, the schema and these columns alike.
    from reconcile.report import report_schema

    renamed = {"start": "char_start", "end": "char_end"}
    defs = report_schema()["$defs"]
    sentence_keys = [k for k in defs["SentenceResult"]["properties"] if k not in ("evidence", "contradictions")]
    columns = list(TABLES["sentences"][0])[2:]
    assert columns == [renamed.get(k, k) for k in sentence_keys]
    problem_keys = list(defs["Problem"]["properties"])
    assert list(TABLES["problems"][0])[4:] == [renamed.get(k, k) for k in problem_keys]
    assert list(TABLES["findings"][0])[4:] == list(defs["Finding"]["properties"])
    assert list(TABLES["inputs"][0])[4:] == list(defs["DocumentInfo"]["properties"])
