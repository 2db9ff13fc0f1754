"""Results in SQLite (through sqlite-utils), for Datasette or any SQL: ``--db results.sqlite``.

    with ResultsDB("results.sqlite") as db:
        db.record(report, key=inputs_key(outlet, sources), name=outlet.name)

One row per comparison in ``comparisons``, keyed by a deterministic id: in a batch, of the output
folder and the comparison's name (the same identity as its report files); from ``compare``, of the
inputs' paths and names. A re-run replaces that comparison's rows in place, under the same keys, so
nothing is ever duplicated. Each comparison is written in one transaction: a comparison that fails,
or a write that fails half-way, never leaves part of its rows. Every value goes in as a bound
parameter (the texts are untrusted); table and column names are this module's own.

The rows are read from ``Report.to_dict()``, the JSON form, so the database says what the JSON report
says, field for field (lists in JSON columns, which Datasette shows as JSON).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .coverage_matrix import CELL_COLUMNS, MATRIX_VIEW, cell_rows
from .errors import InputError
from .fetch import is_url
from .version import __version__

if TYPE_CHECKING:
    from .documents import Document
    from .report import Report

# PRAGMA user_version of a database this module wrote. 2: the record tables' columns are the report's
# JSON keys (inputs: a web page's url, title, published, author; sentences: kind, credited_to, key_words,
# key_words_backed), in the JSON's order. 3: sentences numbered from 1 (number, was idx from 0), as the
# JSON's; a problems table, the JSON's problems (the report's list of things to check), one row each.
# 4: problems.rests_on and quotes.credited_elsewhere, a source not supplied that they rest on.
DB_SCHEMA_VERSION = 4

# table -> (columns and types, the foreign keys (column, table, column), the indexes).
_TEXT, _INT, _REAL = str, int, float
_COMPARISON_FK = ("comparison_id", "comparisons", "id")
_SENTENCE_FK = ("sentence_id", "sentences", "id")
# The comparisons table: one row per comparison, from the report's summary.
TABLES: dict[str, tuple[dict[str, type], list[tuple[str, str, str]], list[list[str]]]] = {
    "comparisons": (
        {
            "id": _TEXT,
            "name": _TEXT,  # the batch comparison's name, or the outlet's name
            "kind": _TEXT,  # batch | compare
            "config": _TEXT,  # the batch config's path
            "status": _TEXT,  # ok | failed
            "error": _TEXT,
            "outlet": _TEXT,  # the outlet's name
            "outlet_path": _TEXT,
            "outlet_sha256": _TEXT,
            "model": _TEXT,
            "judge": _TEXT,
            "settings": _TEXT,  # JSON
            "reconcile_version": _TEXT,
            "created": _TEXT,  # ISO 8601 UTC, as in the report
            "fingerprint": _TEXT,  # batch: what --resume compares
            "sentences": _INT,
            "supported": _INT,
            "partial": _INT,
            "unsupported": _INT,
            "contradicted": _INT,
            "share_supported": _REAL,
            "skipped": _INT,
            "quotes": _INT,
            "omissions": _INT,
        },
        [],
        [["name"], ["created"], ["outlet"], ["status"]],
    ),
}
# The other tables hold the report's own records, one row each: their columns are the JSON keys of the
# report's dataclass (report.report_schema(), from the same definitions that write the JSON), renamed
# where a key is an SQL word or says too little, after the keys that place the row; a list or an object
# is a JSON column, and a key kept in a table of its own is left out.
# table -> (the dataclass, renamed keys, keys left out, the columns before its own, foreign keys, indexes)
_OFFSETS = {"start": "char_start", "end": "char_end"}
_PLACED = {"id": _TEXT, "comparison_id": _TEXT}
_IN_SENTENCE = {**_PLACED, "sentence_id": _TEXT, "rank": _INT}
_CHILD_TABLES: dict[
    str, tuple[str, dict[str, str], tuple[str, ...], dict[str, type], list[tuple[str, str, str]], list[list[str]]]
] = {
    "inputs": (
        "DocumentInfo",
        {},
        (),
        {**_PLACED, "role": _TEXT, "position": _INT},  # outlet | source; 0 for the outlet, 1.. for the sources
        [_COMPARISON_FK],
        [["comparison_id"], ["sha256"], ["name"]],
    ),
    "sentences": (
        "SentenceResult",
        dict(_OFFSETS),
        ("evidence", "contradictions"),
        dict(_PLACED),
        [_COMPARISON_FK],
        [["comparison_id", "number"], ["verdict"], ["kind"]],
    ),
    # Every problem of the report, worst first (rank), as JSON problems: severity, kind, the sentence's
    # number, the words it is about, and the line that says it.
    "problems": (
        "Problem",
        dict(_OFFSETS),
        (),
        dict(_IN_SENTENCE),
        [_COMPARISON_FK, _SENTENCE_FK],
        [["comparison_id"], ["sentence_id"], ["severity", "kind"]],
    ),
    "evidence": (
        "Evidence",
        {"index": "source_index", **_OFFSETS},
        (),
        dict(_IN_SENTENCE),
        [_COMPARISON_FK, _SENTENCE_FK],
        [["comparison_id"], ["sentence_id"], ["source"]],
    ),
    "findings": (
        "Finding",
        {},
        (),
        dict(_IN_SENTENCE),
        [_COMPARISON_FK, _SENTENCE_FK],
        [["comparison_id"], ["sentence_id"], ["type", "severity"]],
    ),
    "quotes": (
        "QuoteCheck",
        dict(_OFFSETS),
        (),
        dict(_IN_SENTENCE),  # the outlet sentence the quotation starts in
        [_COMPARISON_FK, _SENTENCE_FK],
        [["comparison_id"], ["status"]],
    ),
    "coverage": (
        "SourceCoverage",
        {"index": "source_index", **_OFFSETS},
        (),
        {**_PLACED, "rank": _INT},
        [_COMPARISON_FK],
        [["comparison_id"], ["state"]],
    ),
    "omissions": (
        "Omission",
        {"index": "source_index", **_OFFSETS},
        (),
        {**_PLACED, "coverage_id": _TEXT, "rank": _INT},
        [_COMPARISON_FK, ("coverage_id", "coverage", "id")],
        [["comparison_id"]],
    ),
}
_SQL_TYPES = {"integer": _INT, "number": _REAL, "boolean": _INT}


def _own_columns(table: str) -> dict[str, tuple[str, type, bool]]:
    """column -> (the JSON key, its type, whether it is a JSON column) of a table's own columns."""
    from .report import report_schema

    name, renamed, left_out, _, _, _ = _CHILD_TABLES[table]
    properties = report_schema()["$defs"][name]["properties"]
    out: dict[str, tuple[str, type, bool]] = {}
    for key, described in properties.items():
        if key in left_out:
            continue
        kinds = described.get("type", "object")
        kind = next((k for k in ([kinds] if isinstance(kinds, str) else kinds) if k != "null"), "object")
        structured = kind in ("array", "object") or "$ref" in described
        out[renamed.get(key, key)] = (key, _TEXT if structured else _SQL_TYPES.get(kind, _TEXT), structured)
    return out


_OWN = {table: _own_columns(table) for table in _CHILD_TABLES}
for _table, _spec in _CHILD_TABLES.items():
    _placed, _keys, _indexes = _spec[3], _spec[4], _spec[5]
    TABLES[_table] = ({**_placed, **{c: kind for c, (_, kind, _) in _OWN[_table].items()}}, _keys, _indexes)
# What each outlet did with each source line (coverage_matrix.py), and the view Datasette shows it by.
TABLES["coverage_cells"] = (CELL_COLUMNS, [_COMPARISON_FK], [["comparison_id"], ["state"], ["source", "line"]])


def _own(table: str, record: dict[str, Any]) -> dict[str, Any]:
    """A table's own columns of one record of the JSON report (a list or an object as JSON)."""
    return {
        column: _json(record.get(key)) if structured else record.get(key)
        for column, (key, _, structured) in _OWN[table].items()
    }


# Children first: the order rows of a comparison are deleted in (foreign keys are enforced).
_CHILDREN = (
    "coverage_cells",
    "omissions",
    "coverage",
    "problems",
    "quotes",
    "findings",
    "evidence",
    "sentences",
    "inputs",
)


def _key(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode("utf-8")).hexdigest()[:16]


def batch_key(output_dir: str | os.PathLike[str], name: str) -> str:
    """The id of a batch comparison: of its output folder and name, the identity of its report files."""
    return _key("batch", str(Path(output_dir).resolve()), name)


def inputs_key(outlet: Document, sources: Sequence[Document]) -> str:
    """The id of a `reconcile compare` comparison: of its inputs' paths (stdin: its text), names and speakers."""

    def where(doc: Document) -> str:
        if doc.path in ("-", "<text>"):
            return "sha256:" + hashlib.sha256(doc.text.encode("utf-8")).hexdigest()
        if is_url(doc.path):  # a web page: its address as given, which is no path to resolve
            return doc.path
        return str(Path(doc.path).resolve())

    return _key("compare", [(d.name, d.speaker, where(d)) for d in (outlet, *sources)])


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


class ResultsDB:
    """A results database, created with its schema if new; one transaction per recorded comparison."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        import sqlite_utils

        self.path = Path(path)
        where = os.fspath(path)
        fix = "pass --db a writable file path (a new file is created with the schema)"
        try:
            if self.path.is_dir():
                raise InputError(f"{where}: is a folder; {fix}")
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite_utils.Database(self.path)
        except (sqlite3.Error, OSError) as exc:
            raise InputError(f"{where}: cannot open the results database ({exc}); {fix}") from None
        try:
            self.db.conn.execute("PRAGMA foreign_keys = ON")
            self.db.conn.execute("PRAGMA busy_timeout = 10000")  # another run writing: wait, do not fail
            version = int(self.db.conn.execute("PRAGMA user_version").fetchone()[0])
            if version not in (0, DB_SCHEMA_VERSION):
                raise InputError(
                    f"{where}: a results database of schema {version}, not {DB_SCHEMA_VERSION}; "
                    "write to a new file with --db"
                )
            if version == 0 and "comparisons" in self.db.table_names():
                raise InputError(f"{where}: has a comparisons table reconcile did not write; choose another --db file")
            self._create()
            # WAL, synchronous=NORMAL: a commit is still atomic, and survives a crash of the process,
            # but waits for no fsync (one per comparison cost ~20 ms, more than a warm comparison);
            # readers (Datasette) are not blocked while a batch writes.
            self.db.enable_wal()
            self.db.conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.DatabaseError as exc:
            self.db.close()
            raise InputError(f"{where}: not a SQLite database, or it cannot be written ({exc}); {fix}") from None
        except InputError:
            self.db.close()
            raise

    def _create(self) -> None:
        with self.db.atomic():
            for name, (columns, foreign_keys, indexes) in TABLES.items():
                table = self.db.table(name)
                table.create(
                    columns,
                    pk="id",
                    foreign_keys=foreign_keys,
                    # A sentence's rows always name it; a quote may lie outside every checked sentence.
                    not_null=[c for c in ("comparison_id", "sentence_id") if c in columns and name != "quotes"],
                    if_not_exists=True,
                )
                for index in indexes:
                    # (comparison_id, number) names one sentence: unique, as the id is.
                    table.create_index(index, if_not_exists=True, unique=index == ["comparison_id", "number"])
            self.db.conn.execute(MATRIX_VIEW)
            self.db.conn.execute(f"PRAGMA user_version = {DB_SCHEMA_VERSION}")

    def close(self) -> None:
        # Back to the default journal once written: a plain file that any reader opens as it is,
        # read-only or copied elsewhere (a WAL file needs its -shm beside it). If a reader holds it
        # open, the mode stays WAL; SQLite reads it either way.
        try:
            self.db.conn.execute("PRAGMA journal_mode = DELETE").fetchall()
        except sqlite3.Error:
            pass
        self.db.close()

    def __enter__(self) -> ResultsDB:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writing ----------------------------------------------------------------------------------

    def record(
        self,
        report: Report,
        *,
        key: str,
        name: str,
        kind: str = "compare",
        config: str | None = None,
        fingerprint: str | None = None,
    ) -> None:
        """Write a comparison's report, replacing its earlier rows, in one transaction."""
        data = report.to_dict()
        summary = data["summary"]
        counts = summary["counts"]
        comparison = {
            "id": key,
            "name": name,
            "kind": kind,
            "config": config,
            "status": "ok",
            "error": None,
            "outlet": data["outlet"]["name"],
            "outlet_path": data["outlet"]["path"],
            "outlet_sha256": data["outlet"].get("sha256"),
            "model": data["model"],
            "judge": data["settings"].get("judge"),
            "settings": _json(data["settings"]),
            "reconcile_version": data.get("reconcile_version"),
            "created": data.get("created"),
            "fingerprint": fingerprint,
            "sentences": summary["sentences"],
            **{verdict: counts.get(verdict, 0) for verdict in ("supported", "partial", "unsupported", "contradicted")},
            "share_supported": summary["share_supported"],
            "skipped": summary["skipped"],
            "quotes": len(data["quotes"]),
            "omissions": summary["omissions"],
        }
        self._write(comparison, _child_rows(key, data))

    def record_failure(
        self,
        *,
        key: str,
        name: str,
        outlet: str | os.PathLike[str],
        error: str,
        created: str,
        kind: str = "batch",
        config: str | None = None,
    ) -> None:
        """Record that a comparison failed: its row says why, and its earlier results are removed."""
        comparison = {
            "id": key,
            "name": name,
            "kind": kind,
            "config": config,
            "status": "failed",
            "error": error,
            "outlet_path": os.fspath(outlet),
            "reconcile_version": __version__,
            "created": created,
        }
        self._write(comparison, {})

    def _write(self, comparison: dict[str, Any], children: dict[str, list[dict[str, Any]]]) -> None:
        try:
            with self.db.atomic():  # all of the comparison's rows, or (rolled back) none
                self._replace(comparison, children)
        except sqlite3.Error as exc:
            raise InputError(
                f"{self.path}: cannot write the results of {comparison['name']!r} ({exc}); nothing of it was "
                "written: free some space or pass --db a writable file"
            ) from None

    def _replace(self, comparison: dict[str, Any], children: dict[str, list[dict[str, Any]]]) -> None:
        key = comparison["id"]
        for table in _CHILDREN:
            self.db.execute(f"DELETE FROM [{table}] WHERE comparison_id = ?", [key])
        # Every column named, so an upsert over an earlier row leaves none of its old values behind.
        row = {column: comparison.get(column) for column in TABLES["comparisons"][0]}
        self.db.table("comparisons").upsert(row, pk="id")
        for table in reversed(_CHILDREN):
            rows = children.get(table, [])
            if rows:
                # One prepared INSERT per table: sqlite-utils' insert_all would read the table's schema
                # again for every call, which tripled the cost of a small comparison's write.
                columns = list(TABLES[table][0])
                names = ", ".join(f"[{c}]" for c in columns)
                marks = ", ".join("?" for _ in columns)
                self.db.conn.executemany(
                    f"INSERT INTO [{table}] ({names}) VALUES ({marks})", [[r.get(c) for c in columns] for r in rows]
                )

    # --- reading ----------------------------------------------------------------------------------

    def is_current(self, key: str, fingerprint: str) -> bool:
        """Whether the comparison's rows were written, complete, for inputs of this fingerprint."""
        row = self.db.execute("SELECT status, fingerprint FROM comparisons WHERE id = ?", [key]).fetchone()
        return row is not None and row[0] == "ok" and row[1] == fingerprint

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        """Rows of a read query as dicts; the values always as parameters."""
        return list(self.db.query(sql, params))


def _child_rows(key: str, data: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The rows of every table but comparisons, from a report's JSON form; ids are deterministic."""
    inputs = [
        {"id": f"{key}/i{position}", "comparison_id": key, "role": "outlet" if position == 0 else "source"}
        | {"position": position, **_own("inputs", doc)}
        for position, doc in enumerate([data["outlet"], *data["sources"]])
    ]
    sentences: list[dict[str, Any]] = []
    evidence: list[dict[str, Any]] = []
    findings: list[dict[str, Any]] = []
    spans: list[tuple[int, int, str]] = []
    for s in data["sentences"]:
        sid = f"{key}/s{s['number']}"
        spans.append((s["start"], s["end"], sid))
        sentences.append({"id": sid, "comparison_id": key, **_own("sentences", s)})
        placed = {"comparison_id": key, "sentence_id": sid}
        evidence.extend(
            {"id": f"{sid}/e{rank}", **placed, "rank": rank, **_own("evidence", e)}
            for rank, e in enumerate(s["evidence"])
        )
        findings.extend(
            {"id": f"{sid}/f{rank}", **placed, "rank": rank, **_own("findings", f)}
            for rank, f in enumerate(s["contradictions"])
        )

    def sentence_of(start: int) -> str | None:
        return next((sid for first, last, sid in spans if first <= start < last), None)

    quotes = [
        {"id": f"{key}/q{rank}", "comparison_id": key, "sentence_id": sentence_of(q["start"]), "rank": rank}
        | _own("quotes", q)
        for rank, q in enumerate(data["quotes"])
    ]
    problems = [
        {"id": f"{key}/p{rank}", "comparison_id": key, "sentence_id": f"{key}/s{p['sentence']}", "rank": rank}
        | _own("problems", p)
        for rank, p in enumerate(data["problems"])
    ]
    coverage_ids: dict[tuple[str, int], str] = {}
    coverage = []
    for rank, c in enumerate(data["coverage"]):
        cid = f"{key}/c{rank}"
        coverage_ids[(c["source"], c["index"])] = cid
        coverage.append({"id": cid, "comparison_id": key, "rank": rank, **_own("coverage", c)})
    omissions = [
        {"id": f"{key}/o{rank}", "comparison_id": key, "coverage_id": coverage_ids.get((o["source"], o["index"]))}
        | {"rank": rank, **_own("omissions", o)}
        for rank, o in enumerate(data["omissions"])
    ]
    return {
        "inputs": inputs,
        "sentences": sentences,
        "evidence": evidence,
        "findings": findings,
        "quotes": quotes,
        "problems": problems,
        "coverage": coverage,
        "omissions": omissions,
        "coverage_cells": cell_rows(key, data),
    }


def table_columns() -> Iterable[tuple[str, list[str]]]:
    """Each table's columns, in order (docs/database.md's table is checked against it)."""
    return ((name, list(columns)) for name, (columns, _, _) in TABLES.items())
