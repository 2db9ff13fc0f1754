"""The coverage matrix: which of four invented outlets carried, bent or dropped each line of one readout.

The texts are tests/fixtures/one-call/ (written for the tests): the Veldoria readout has five lines;
the ledger carries the first three faithfully; the courier bends the barges' number, carries the
crossing and the journalist, drops the rest; the herald quotes the crossing verbatim and carries the
forum; the tribune carries the call and the forum and quotes the journalist line altered.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from reconcile.batch import load_batch_config, run_batch
from reconcile.coverage_matrix import Cell, CellState, build_matrices, matrix_csv, outlet_cells
from reconcile.embed import SentenceTransformerEmbedder
from reconcile.resources import Resources

from .conftest import ROOT, FakeEmbedder

CALL = ROOT / "tests" / "fixtures" / "one-call"
OUTLETS = ("ledger", "courier", "herald", "tribune")
R, P, V, A, L = "reported", "problem: wrong number", "quoted verbatim", "quoted altered", "left out"
# line -> what each outlet did with it, in OUTLETS' order
EXPECTED = {
    1: (R, L, L, R),  # the call
    2: (R, R, V, L),  # the river crossing
    3: (R, P, L, L),  # 40 barges: the courier says 60
    4: (L, R, L, A),  # the journalist: the tribune adds "immediate and unconditional" inside the quotation
    5: (L, L, R, R),  # the trade forum
}


def config_text(output_dir: Path, formats: str = "[json, html]") -> str:
    lines = [
        f"output_dir: {output_dir}",
        f"formats: {formats}",
        "sources:",
        f"  veldoria: {{path: {CALL / 'veldoria.txt'}, name: Veldoria}}",
        f"  ostmark: {{path: {CALL / 'ostmark.txt'}, name: Ostmark}}",
        "comparisons:",
        *(f"  - {{name: {o}, outlet: {CALL / (o + '.txt')}, sources: [veldoria]}}" for o in OUTLETS),
        # One outlet against the other readout: a matrix of one column is no matrix.
        f"  - {{name: ledger-ostmark, outlet: {CALL / 'ledger.txt'}, sources: [ostmark]}}",
    ]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def batch(
    embedder: SentenceTransformerEmbedder, resources: Resources, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    folder = tmp_path_factory.mktemp("matrix")
    (folder / "batch.yaml").write_text(config_text(folder / "out"), encoding="utf-8")
    result = run_batch(
        load_batch_config(folder / "batch.yaml"), embedder=embedder, resources=resources, db=folder / "r.sqlite"
    )
    assert not result.failed
    return folder


def _csv(folder: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((folder / "out" / "coverage-matrix.csv").read_text(encoding="utf-8"))))


@pytest.mark.parametrize("line", sorted(EXPECTED))
def test_every_cell_of_the_matrix(batch: Path, line: int) -> None:
    rows = _csv(batch)
    assert [(r["source"], r["line"]) for r in rows] == [("Veldoria", str(n)) for n in range(1, 6)]
    row = rows[line - 1]
    assert tuple(row[o] for o in OUTLETS) == EXPECTED[line]


def test_outlets_ranked_by_errors_and_the_lone_comparison_left_out(batch: Path) -> None:
    header = (batch / "out" / "coverage-matrix.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    # courier and tribune have one error each (ties by config order), then by lines left out.
    assert header == ["source", "line", "text", "courier", "tribune", "herald", "ledger"]


def test_the_database_shows_which_outlets_dropped_a_line(batch: Path) -> None:
    with sqlite3.connect(batch / "r.sqlite") as conn:
        dropped = conn.execute(
            "SELECT comparison FROM coverage_matrix WHERE state = 'left out' AND text LIKE '%Lindau%' ORDER BY 1"
        ).fetchall()
        bent = conn.execute("SELECT comparison, line, detail FROM coverage_matrix WHERE severity = 'error'").fetchall()
    assert dropped == [("courier",), ("ledger",)]
    # ledger against the Ostmark readout alone (the lone comparison) says 40 barges where Ostmark says 25.
    assert sorted((c, n) for c, n, _ in bent) == [("courier", 3), ("ledger-ostmark", 3), ("tribune", 4)]
    assert any('"60"' in detail for _, _, detail in bent)


def test_resume_reads_the_kept_columns(
    batch: Path, embedder: SentenceTransformerEmbedder, resources: Resources, tmp_path: Path
) -> None:
    before = (batch / "out" / "coverage-matrix.csv").read_bytes()
    again = run_batch(load_batch_config(batch / "batch.yaml"), embedder=embedder, resources=resources, resume=True)
    assert all(c.resumed for c in again.comparisons)
    assert (batch / "out" / "coverage-matrix.csv").read_bytes() == before
    # A comparison whose kept column is gone runs again rather than leave a hole in the matrix.
    (batch / "out" / ".reconcile" / "herald.cells.json").unlink()
    third = run_batch(load_batch_config(batch / "batch.yaml"), embedder=embedder, resources=resources, resume=True)
    assert [c.name for c in third.comparisons if not c.resumed] == ["herald"]
    assert (batch / "out" / "coverage-matrix.csv").read_bytes() == before


def test_index_shows_the_matrix_in_words(batch: Path) -> None:
    page = (batch / "out" / "index.html").read_text(encoding="utf-8")
    assert 'class="matrix sortable"' in page and "Outlets ranked by errors: courier (1 error" in page
    assert page.count(">left out</td>") == sum(cells.count(L) for cells in EXPECTED.values())


# ------------------------------------------------------------------------- the cells, from a report's JSON


def _report(**parts: Any) -> dict[str, Any]:
    coverage = [
        {"source": "S", "index": i, "text": f"line {i}", "start": 10 * i, "end": 10 * i + 9, "state": state,
         "covered_by": by}
        for i, (state, by) in enumerate(parts.pop("coverage"))
    ]  # fmt: skip
    return {"coverage": coverage, "sentences": [], "problems": [], "quotes": [], **parts}


def _sentence(index: int, verdict: str, source_index: int) -> dict[str, Any]:
    # JSON schema 2.0: a sentence's number and a problem's sentence count from 1; covered_by holds indexes from 0
    return {
        "number": index + 1,
        "verdict": verdict,
        "evidence": [{"source": "S", "index": source_index, "last_index": source_index}],
    }


def test_cells_read_from_the_json_report() -> None:
    report = _report(
        coverage=[
            ("covered", [0]), ("omitted", []), ("covered", [1]), ("partial", [2]), ("omitted", []), ("omitted", [])
        ],
        sentences=[_sentence(0, "supported", 0), _sentence(1, "contradicted", 2), _sentence(2, "partial", 3),
                   _sentence(3, "contradicted", 5)],
        problems=[
            {"severity": "context", "sentence": 1, "label": "opinion", "detail": "d"},
            {"severity": "check", "sentence": 2, "label": "name in no source", "detail": "Bob"},
            {"severity": "error", "sentence": 2, "label": "wrong number", "detail": 'says "3"'},
            {"severity": "error", "sentence": 4, "label": "wrong date", "detail": "x"},
        ],
        quotes=[
            {"source": "S", "source_start": 21, "source_end": 25, "status": "spliced", "text": "q1"},
            {"source": "S", "source_start": 31, "source_end": 35, "status": "verbatim", "text": "q2"},
            {"source": "T", "source_start": 40, "source_end": 45, "status": "verbatim", "text": "other source"},
        ],
    )  # fmt: skip
    cells = outlet_cells(report)
    assert [(c.state, c.words) for c in cells] == [
        (CellState.REPORTED, "reported"),  # its sentence's opinion is no problem of the line
        (CellState.LEFT_OUT, "left out"),
        (CellState.QUOTED_SPLICED, "quoted spliced"),  # the quote, before the sentence's own problems
        (CellState.QUOTED_VERBATIM, "quoted verbatim"),
        (CellState.LEFT_OUT, "left out"),  # a verbatim quote of another source is not this line's
        (CellState.PROBLEM, "problem: wrong date"),  # coverage missed it, the evidence did not
    ]
    assert cells[2].severity == "error" and cells[5].outlet_sentences == (4,)


def test_matrix_needs_two_outlets_of_the_same_sources() -> None:
    def col(state: CellState) -> list[Cell]:
        return [Cell("S", 0, "line", state, severity="error" if state is CellState.PROBLEM else "")]

    matrices = build_matrices(
        [
            ("x", (("S", "s.txt"),), col(CellState.REPORTED)),
            ("y", (("S", "s.txt"),), col(CellState.PROBLEM)),
            ("z", (("S", "other/s.txt"),), col(CellState.LEFT_OUT)),  # another text of that name
        ]
    )
    assert [(m.sources, m.outlets) for m in matrices] == [(("S",), ("y", "x"))]
    assert matrix_csv(matrices) == "source,line,text,y,x\nS,1,line,problem,reported\n"


@pytest.mark.ray
@pytest.mark.usefixtures("ray_cluster")
def test_ray_engine_writes_the_same_matrix(tmp_path: Path) -> None:
    from reconcile.engine_ray import RayEngine

    outs = {}
    for name, engine in (("local", None), ("ray", RayEngine(workers=2))):
        (tmp_path / f"{name}.yaml").write_text(config_text(tmp_path / name, "[json]"), encoding="utf-8")
        result = run_batch(load_batch_config(tmp_path / f"{name}.yaml"), embedder=FakeEmbedder(), engine=engine)
        assert not result.failed
        outs[name] = (tmp_path / name / "coverage-matrix.csv").read_bytes()
    assert outs["ray"] == outs["local"] and outs["local"].count(b"\n") == 6


from .test_engine_ray import ray_cluster  # noqa: E402,F401 - the module's Ray cluster, for the test above
