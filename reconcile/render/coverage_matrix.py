"""The coverage matrix as an HTML table for the batch index: a heat map that says each cell in words.

Each cell's colour follows its state, and its words say the state too ("left out", "problem: wrong
number"), so nothing rests on colour alone. Rows sort by line (a source's order) or by any outlet's
column (worst first); the index page's one script sorts every table marked ``sortable``.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..coverage_matrix import WEIGHT, CellState, Matrix
from ..triage import plural
from .html_triage import esc

_CLASS = {
    CellState.PROBLEM: "m-problem",
    CellState.QUOTED_SPLICED: "m-problem",
    CellState.QUOTED_ALTERED: "m-problem",
    CellState.LEFT_OUT: "m-left",
    CellState.QUOTED_VERBATIM: "m-quoted",
    CellState.REPORTED: "m-reported",
}
MATRIX_CSS = """
.matrix td.m-problem{background:#fde0e0;font-weight:600}.matrix td.m-left{background:#eee;color:#444;font-style:italic}
.matrix td.m-quoted{background:#e3effd}.matrix td.m-reported{background:#e6f4e6}
.matrix td.src{max-width:32rem}.matrix th button{font:inherit}
"""


def render_matrices(matrices: Sequence[Matrix]) -> str:
    """One section per matrix: the outlets ranked by errors, then the table (empty string for none)."""
    return "".join(_matrix(m, n) for n, m in enumerate(matrices))


def _matrix(m: Matrix, n: int) -> str:
    ranking = ", ".join(
        f"{esc(o)} ({plural(m.counts(o)['errors'], 'error')}, {m.counts(o)['left out']} left out)" for o in m.outlets
    )
    head = '<th data-type="num"><button type="button">line</button></th><th>source sentence</th>'
    head += "".join(f'<th data-type="num"><button type="button">{esc(o)}</button></th>' for o in m.outlets)
    body = []
    for position, (source, index, text) in enumerate(m.rows):
        cells = [
            f'<td class="n" data-v="{position}" data-label="line">{esc(source)} {index + 1}</td>',
            f'<td class="src" data-label="source sentence">{esc(text)}</td>',
        ]
        for outlet in m.outlets:
            c = m.cell(outlet, source, index)
            if c is None:
                cells.append(f'<td data-v="" data-label="{esc(outlet)}"></td>')
                continue
            title = f' title="{esc(c.detail)}"' if c.detail else ""
            cells.append(
                f'<td class="{_CLASS[c.state]}" data-v="{WEIGHT[c.state]}" data-label="{esc(outlet)}"{title}>'
                f"{esc(c.words)}</td>"
            )
        body.append(f"<tr>{''.join(cells)}</tr>")
    return (
        f'<section aria-labelledby="matrix{n}"><h2 id="matrix{n}">What each outlet did with each line of '
        f"{esc(', '.join(m.sources))}</h2>"
        f'<p class="meta">Outlets ranked by errors: {ranking}. Press "line" to sort by the sources\' order, '
        "an outlet's name to bring its worst cells first.</p>"
        f'<table class="matrix sortable"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
        "</section>"
    )
