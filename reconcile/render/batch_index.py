"""The index page of a batch: one row per comparison, linked to its report files, sortable by any column.

Rows with contradictions (or any error) and comparisons that failed are marked by an icon and a border,
not by colour alone. The sorting script is the page's only script, allowed by its hash as in the report.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import quote as url_quote

from ..report import Severity, Verdict
from ..triage import plural
from .html import _CSS, _asset, _csp_hash
from .html_triage import esc
from .plain import SEVERITY_SYMBOL, VERDICT_SYMBOL

if TYPE_CHECKING:
    from ..coverage_matrix import Matrix

_JS = "\n" + _asset("index.js")
_CSP = f"default-src 'none'; style-src 'unsafe-inline'; script-src {_csp_hash(_JS)}; base-uri 'none'"


def _blank(value: object) -> str:
    return "" if value is None else esc(value)  # a failed comparison has no figures: empty cells, not "None"


_STATUS_BADGE = {"ok": "b-supported", "failed": "b-contradicted"}  # pending: the look of "partial"


def _flag(row: dict[str, Any]) -> str:
    """The row's mark: failed, it has contradicted sentences, or errors to check; '' for none."""
    if row.get("status") == "failed":
        return "failed"
    for flag, column in (("contradicted", "contradicted"), ("error", "errors")):
        if isinstance(row.get(column), int) and row[column] > 0:
            return flag
    return ""


def _file_names(row: dict[str, Any]) -> list[str]:
    """The row's report files by name (a path's folders dropped: the links are relative to the index)."""
    return [str(f).replace("\\", "/").rsplit("/", 1)[-1] for f in row.get("files") or ()]


NUMBER_CLASS = ' class="n"'
_CLASS = {"outlet": ' class="wrap path"', "error": ' class="wrap"'}  # a path or a message: may break anywhere


def _cell(column: str, row: dict[str, Any]) -> tuple[str, str]:
    """A summary cell: (its sort value, its HTML); the value as summary.csv writes it, a few columns dressed."""
    value = row.get(column)
    if column == "name":
        files = _file_names(row)
        html_files = [f for f in files if f.endswith(".html")]
        name = esc(value or "")
        flag = _flag(row)
        why = {"failed": "failed: ", "contradicted": "has contradictions: ", "error": "has errors: "}.get(flag, "")
        main = f'<a href="{esc(url_quote(html_files[0]))}">{name}</a>' if html_files else name
        return esc(str(value or "").lower()), (f'<span class="vh">{why}</span>' if why else "") + main
    if column == "status":
        status = str(value or "")
        return esc(status), f'<span class="badge {_STATUS_BADGE.get(status, "b-partial")}">{esc(status)}</span>'
    if column == "share_supported" and isinstance(value, int | float):
        return str(value), f"{value:.0%}"
    if isinstance(value, bool):
        shown = "true" if value else "false"  # as summary.csv and summary.json write it
        return shown, shown
    return _blank(value), _blank(value)


def _header(column: str) -> str:
    """A column's name as summary.csv has it, free to wrap after its underscores ("quotes_/not_found")."""
    return esc(column).replace("_", "_<wbr>")


def _numeric(column: str, rows: list[dict[str, Any]]) -> bool:
    values = [r.get(column) for r in rows if r.get(column) is not None]
    return bool(values) and all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)


def render_batch_index(
    rows: list[dict[str, Any]],
    *,
    title: str,
    columns: Sequence[str] | None = None,
    matrices: Sequence[Matrix] = (),
) -> str:
    """An index page for a batch: the summary table, each comparison linked to its report files.

    ``rows`` are the batch summary rows (name, status, error, one count per verdict, share_supported, ...)
    with ``files``: the report file names (or paths; only the name is linked, relative to the index).
    ``columns``: the columns of summary.csv, in its order (default: every key of the rows but ``files``);
    the page shows the same, then the links to each comparison's reports.
    ``matrices``: the coverage matrices of the batch (coverage_matrix.py), shown after the table.
    """
    from .coverage_matrix import MATRIX_CSS, render_matrices

    if columns is None:
        columns = [k for k in dict.fromkeys(k for r in rows for k in r) if k != "files"]
    numeric = {c for c in columns if c not in ("name", "status") and _numeric(c, rows)}
    body: list[str] = []
    for row in rows:
        files = _file_names(row)
        links = " ".join(f'<a href="{esc(url_quote(f))}">{esc(f.rsplit(".", 1)[-1])}</a>' for f in files)
        # Each cell says its column, for the narrow layout where rows are cards (report.css).
        cells = [
            f'<td data-label="{esc(c)}"{_CLASS.get(c, NUMBER_CLASS if c in numeric else "")} data-v="{v}">{shown}</td>'
            for c in columns
            for v, shown in [_cell(c, row)]
        ]
        cells.append(f'<td data-label="reports" data-v="">{links}</td>')
        flag = _flag(row)
        mark = f' class="r-{flag}"' if flag else ""
        body.append(f"<tr{mark}>{''.join(cells)}</tr>")
    head = "".join(
        f'<th data-type="{"num" if c in numeric else "text"}"><button type="button">{_header(c)}</button></th>'
        for c in columns
    )
    head += "<th>reports</th>"
    ok = sum(1 for r in rows if r.get("status") == "ok")
    failed = sum(1 for r in rows if r.get("status") == "failed")
    pending = len(rows) - ok - failed  # a batch still running (or stopped): not compared yet
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(_CSP)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{_CSS}{MATRIX_CSS if matrices else ''}</style></head><body>"
        f'<header><h1>{esc(title)}</h1><p class="meta">{plural(len(rows), "comparison")}, {ok} compared, '
        f"{failed} failed{f', {pending} not yet compared' if pending else ''}. "
        f"{VERDICT_SYMBOL[Verdict.CONTRADICTED]} marks a comparison with contradicted sentences, "
        f"{SEVERITY_SYMBOL[Severity.ERROR]} one with errors to check or one that failed; "
        "press a column's header to sort by it.</p></header>"
        # As wide as summary.csv: the table scrolls in its own region (reachable by keyboard), not the page.
        '<main><div class="scroll" role="region" aria-label="Comparisons" tabindex="0">'
        f'<table class="index"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'
        f"{render_matrices(matrices)}</main>"
        f"<script>{_JS}</script></body></html>\n"
    )
