"""The index page of a batch: one row per comparison, linked to its report files, sortable by any column.

Rows with contradictions (or any error) and comparisons that failed are marked by an icon and a border,
not by colour alone. The sorting script is the page's only script, allowed by its hash as in the report.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import quote as url_quote

from ..report import Verdict
from ..triage import plural
from .html import _CSS, _asset, _csp_hash
from .html_triage import esc

if TYPE_CHECKING:
    from ..coverage_matrix import Matrix

_JS = "\n" + _asset("index.js")
_CSP = f"default-src 'none'; style-src 'unsafe-inline'; script-src {_csp_hash(_JS)}; base-uri 'none'"


def _blank(value: object) -> str:
    return "" if value is None else esc(value)  # a failed comparison has no figures: empty cells, not "None"


_STATUS_BADGE = {"ok": "b-supported", "failed": "b-contradicted"}  # pending: the look of "partial"


def _flag(row: dict[str, Any]) -> str:
    """The row's mark: failed, or it has contradictions or errors; '' for none."""
    if row.get("status") == "failed":
        return "failed"
    if any(isinstance(row.get(k), int) and row[k] > 0 for k in ("contradicted", "errors")):
        return "contradicted"
    return ""


def render_batch_index(rows: list[dict[str, Any]], *, title: str, matrices: Sequence[Matrix] = ()) -> str:
    """An index page for a batch: the summary table, each comparison linked to its report files.

    ``rows`` are the batch summary rows (name, status, error, one count per verdict, share_supported, ...)
    with ``files``: the report file names (or paths; only the name is linked, relative to the index).
    ``matrices``: the coverage matrices of the batch (coverage_matrix.py), shown after the table.
    """
    from .coverage_matrix import MATRIX_CSS, render_matrices

    verdicts = [v.value for v in Verdict]
    counted = [*verdicts, *(["errors"] if any("errors" in r for r in rows) else [])]
    counted += ["omissions"] if any("omissions" in r for r in rows) else []
    body: list[str] = []
    for row in rows:
        files = [str(f).replace("\\", "/").rsplit("/", 1)[-1] for f in row.get("files") or ()]
        html_files = [f for f in files if f.endswith(".html")]
        name = esc(row.get("name", ""))
        main = f'<a href="{esc(url_quote(html_files[0]))}">{name}</a>' if html_files else name
        links = " ".join(f'<a href="{esc(url_quote(f))}">{esc(f.rsplit(".", 1)[-1])}</a>' for f in files)
        status = str(row.get("status", ""))
        share = row.get("share_supported")
        flag = _flag(row)
        why = {"failed": "failed: ", "contradicted": "has contradictions: "}.get(flag, "")
        cells = [
            f'<td data-v="{esc(str(row.get("name", "")).lower())}">'
            + (f'<span class="vh">{why}</span>' if why else "")
            + f"{main}</td>",
            f'<td data-v="{esc(status)}"><span class="badge {_STATUS_BADGE.get(status, "b-partial")}">{esc(status)}'
            "</span>" + (f" {esc(row['error'])}" if row.get("error") else "") + "</td>",
            *(
                f'<td class="n" data-v="{_blank(row.get(v))}">{_blank(row.get(v))}</td>'
                for v in ("sentences", *counted)
            ),
            f'<td class="n" data-v="{share if isinstance(share, int | float) else ""}">'
            f"{f'{share:.0%}' if isinstance(share, int | float) else ''}</td>",
            f'<td data-v="">{links}</td>',
        ]
        labels = ["comparison", "status", "sentences", *counted, "share supported", "reports"]
        # Each cell says its column, for the narrow layout where rows are cards (report.css).
        cells = [c.replace("<td", f'<td data-label="{esc(label)}"', 1) for c, label in zip(cells, labels, strict=True)]
        mark = f' class="r-{flag}"' if flag else ""
        body.append(f"<tr{mark}>{''.join(cells)}</tr>")
    columns = [("comparison", "text"), ("status", "text"), *((c, "num") for c in ("sentences", *counted))]
    head = "".join(
        f'<th data-type="{kind}"><button type="button">{esc(c)}</button></th>'
        for c, kind in [*columns, ("share supported", "num")]
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
        "\u2717 marks a comparison with contradictions, or one that failed; "
        "press a column's header to sort by it.</p></header>"
        f'<main><table class="index"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
        f"{render_matrices(matrices)}</main>"
        f"<script>{_JS}</script></body></html>\n"
    )
