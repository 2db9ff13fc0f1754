"""Which outlets carried, bent or dropped each line of the sources: the coverage matrix of a batch.

Rows are the source sentences, columns the outlets compared with those sources; a cell says what the
outlet did with the line, in words (`CellState`): reported it faithfully, reported it with a problem
(its most severe one), quoted it (verbatim, altered, spliced), or left it out.

Nothing is computed again: a column is read from one report's JSON form (`Report.to_dict()`, or a
JSON report file), from its coverage rows, its sentences' evidence, its problems and its quote ledger.
A batch keeps each comparison's column beside its resume marker (`.reconcile/<name>.cells.json`), so a
resumed comparison's column is read back, not rebuilt; the matrix is then one pass over the columns.
The results database holds the cells too (table ``coverage_cells``, view ``coverage_matrix``).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from .schema import to_json


class CellState(str, Enum):
    """What an outlet did with a source line, worst first (the order the matrix ranks by)."""

    PROBLEM = "problem"  # reported with an error or something to check
    QUOTED_SPLICED = "quoted spliced"
    QUOTED_ALTERED = "quoted altered"
    LEFT_OUT = "left out"
    QUOTED_VERBATIM = "quoted verbatim"
    REPORTED = "reported"


# How heavy each state weighs when rows or outlets are sorted (higher: worse). A left-out line weighs
# less than a bent one: leaving a line out is a choice, saying it wrongly is an error.
WEIGHT = {
    CellState.PROBLEM: 4,
    CellState.QUOTED_SPLICED: 4,
    CellState.QUOTED_ALTERED: 4,
    CellState.LEFT_OUT: 1,
    CellState.QUOTED_VERBATIM: 0,
    CellState.REPORTED: 0,
}
_QUOTED = {"spliced": CellState.QUOTED_SPLICED, "altered": CellState.QUOTED_ALTERED}
_VERBATIM = {"verbatim", "trimmed"}
_BACKED = {"supported", "partial", "contradicted"}  # an outlet sentence whose evidence is a report of the line


@dataclass(frozen=True)
class Cell:
    """One outlet's treatment of one source sentence."""

    source: str
    index: int  # the source sentence, from 0
    text: str
    state: CellState
    detail: str = ""  # the problem's title and line, or the quotation
    severity: str = ""  # error | check, for a problem or an altered or spliced quote
    outlet_sentences: tuple[int, ...] = ()  # the outlet sentences that report it, by number (from 1)

    @property
    def words(self) -> str:
        """The cell as the matrix writes it: "problem: wrong number", "left out"."""
        if self.state is CellState.PROBLEM and self.detail:
            return f"problem: {self.detail.split(':', 1)[0]}"
        return self.state.value


def outlet_cells(report: Mapping[str, Any]) -> list[Cell]:
    """The column of one report (its JSON form): a cell per source sentence, in the report's coverage order."""
    problems: dict[int, list[Mapping[str, Any]]] = {}
    for p in report.get("problems", ()):
        if p["severity"] in ("error", "check"):
            problems.setdefault(p["sentence"], []).append(p)  # worst first, as the report lists them
    reporting: dict[tuple[str, int], set[int]] = {}
    for s in report.get("sentences", ()):
        if s["verdict"] in _BACKED:
            for e in s["evidence"][:1]:  # the chosen window, not the runners-up
                for i in range(e["index"], e["last_index"] + 1):
                    reporting.setdefault((e["source"], i), set()).add(s["number"])
    cells = []
    for row in report.get("coverage", ()):
        where = (row["source"], row["index"])
        # outlet sentences by number, from 1, as problems name them (covered_by holds their indexes, from 0)
        covered_by = {i + 1 for i in row["covered_by"]}
        by = sorted({*covered_by, *reporting.get(where, ())}) if row["state"] != "omitted" else []
        by = by or sorted(reporting.get(where, ()))
        quotes = [
            q
            for q in report.get("quotes", ())
            if q.get("source") == row["source"]
            and q.get("source_start") is not None
            and q["source_start"] < row["end"]
            and row["start"] < q["source_end"]
        ]
        found = [p for i in by for p in problems.get(i, ())]
        found.sort(key=lambda p: 0 if p["severity"] == "error" else 1)
        bent = next((q for q in quotes if q["status"] in _QUOTED), None)
        if bent is not None:
            cell = Cell(*where, row["text"], _QUOTED[bent["status"]], bent["text"], "error", tuple(by))
        elif found:
            p = found[0]
            cell = Cell(
                *where, row["text"], CellState.PROBLEM, f"{p['label']}: {p['detail']}", p["severity"], tuple(by)
            )
        elif any(q["status"] in _VERBATIM for q in quotes):
            quoted = next(q for q in quotes if q["status"] in _VERBATIM)
            cell = Cell(*where, row["text"], CellState.QUOTED_VERBATIM, quoted["text"], "", tuple(by))
        elif by or row["state"] != "omitted":
            cell = Cell(*where, row["text"], CellState.REPORTED, "", "", tuple(by))
        else:
            cell = Cell(*where, row["text"], CellState.LEFT_OUT)
        cells.append(cell)
    return cells


# --------------------------------------------------------------------------------- a batch's columns

CELLS_SUFFIX = ".cells.json"


def save_column(folder: Path, name: str, cells: Sequence[Cell], write: Any) -> Path:
    """Keep a comparison's column beside its marker; ``write(path, bytes)`` writes atomically."""
    path = folder / f"{name}{CELLS_SUFFIX}"
    write(path, (json.dumps([to_json(c) for c in cells], ensure_ascii=False) + "\n").encode("utf-8"))
    return path


def load_column(folder: Path, name: str) -> list[Cell] | None:
    """A comparison's kept column, or None when there is none (or it cannot be read)."""
    try:
        rows = json.loads((folder / f"{name}{CELLS_SUFFIX}").read_text(encoding="utf-8"))
        return [
            Cell(
                r["source"], r["index"], r["text"], CellState(r["state"]), r["detail"], r["severity"],
                tuple(r["outlet_sentences"]),
            )
            for r in rows
        ]  # fmt: skip
    except (OSError, ValueError, KeyError, TypeError):
        return None


@dataclass(frozen=True)
class Matrix:
    """Source sentences (rows) by outlets (columns); the outlets ranked by errors, then checks, then lines left out."""

    sources: tuple[str, ...]  # the sources every outlet of it was compared with
    rows: tuple[tuple[str, int, str], ...]  # (source, index, text)
    outlets: tuple[str, ...]  # ranked, most errors first
    cells: Mapping[tuple[str, str, int], Cell]  # (outlet, source, index) -> cell
    tallies: Mapping[str, Mapping[str, int]]  # outlet -> its errors, checks and lines left out

    def cell(self, outlet: str, source: str, index: int) -> Cell | None:
        return self.cells.get((outlet, source, index))

    def counts(self, outlet: str) -> Mapping[str, int]:
        """How many errors, checks and lines left out one outlet has."""
        return self.tallies[outlet]


def _tally(cells: Iterable[Cell]) -> dict[str, int]:
    counts = {"errors": 0, "checks": 0, "left out": 0}
    for c in cells:
        counts["errors"] += c.severity == "error"
        counts["checks"] += c.severity == "check"
        counts["left out"] += c.state is CellState.LEFT_OUT
    return counts


def build_matrices(columns: Iterable[tuple[str, tuple[tuple[str, str], ...], Sequence[Cell]]]) -> list[Matrix]:
    """One matrix per set of sources compared with two outlets or more.

    ``columns``: (outlet, its sources as (name, where) pairs, its cells); outlets whose sources have the
    same names and places share a matrix.
    """
    groups: dict[tuple[tuple[str, str], ...], list[tuple[str, Sequence[Cell]]]] = {}
    for outlet, sources, cells in columns:
        groups.setdefault(sources, []).append((outlet, cells))
    matrices = []
    for sources, members in groups.items():
        if len(members) < 2:
            continue  # one outlet: its own report says it all
        rows: dict[tuple[str, int], str] = {}
        table: dict[tuple[str, str, int], Cell] = {}
        for outlet, cells in members:
            for c in cells:
                rows.setdefault((c.source, c.index), c.text)
                table[(outlet, c.source, c.index)] = c
        order = {name: i for i, (name, _) in enumerate(sources)}
        ordered = sorted(rows, key=lambda k: (order.get(k[0], len(order)), k[1]))
        tallies = {outlet: _tally(cells) for outlet, cells in members}
        ranked = sorted(tallies, key=lambda o: (-tallies[o]["errors"], -tallies[o]["checks"], -tallies[o]["left out"]))
        rows_ = tuple((s, i, rows[(s, i)]) for s, i in ordered)
        matrices.append(Matrix(tuple(name for name, _ in sources), rows_, tuple(ranked), table, tallies))
    return matrices


def matrix_csv(matrices: Sequence[Matrix]) -> str:
    """coverage-matrix.csv: one row per source sentence (its source, line number and text), one column per outlet."""
    outlets = list(dict.fromkeys(o for m in matrices for o in m.outlets))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["source", "line", "text", *outlets])
    for m in matrices:
        for source, index, text in m.rows:
            cells = [m.cell(o, source, index) for o in outlets]
            writer.writerow([source, index + 1, text, *(c.words if c else "" for c in cells)])
    return buffer.getvalue()


# ------------------------------------------------------------------------------- the results database

CELL_COLUMNS: dict[str, type] = {
    "id": str,
    "comparison_id": str,
    "source": str,
    "source_index": int,
    "line": int,  # source_index + 1, as a reader counts
    "text": str,
    "state": str,  # CellState
    "words": str,  # the cell as the matrix writes it
    "detail": str,
    "severity": str,
    "outlet_sentences": str,  # JSON list
}
# Datasette: /results/coverage_matrix?state=left+out&text__contains=Taiwan (which outlets dropped that line).
MATRIX_VIEW = """CREATE VIEW IF NOT EXISTS coverage_matrix AS
SELECT comparisons.name AS comparison, comparisons.outlet AS outlet, cells.source, cells.line, cells.text,
       cells.state, cells.words, cells.severity, cells.detail, comparisons.id AS comparison_id
FROM coverage_cells AS cells JOIN comparisons ON comparisons.id = cells.comparison_id"""


def cell_rows(key: str, report: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The coverage_cells rows of one comparison, from its report's JSON form."""
    return [
        {
            "id": f"{key}/m{rank}",
            "comparison_id": key,
            "source": c.source,
            "source_index": c.index,
            "line": c.index + 1,
            "text": c.text,
            "state": c.state.value,
            "words": c.words,
            "detail": c.detail,
            "severity": c.severity,
            "outlet_sentences": json.dumps(list(c.outlet_sentences)),
        }
        for rank, c in enumerate(outlet_cells(report))
    ]
