"""The index page of a batch: one row per comparison, linked to its report files."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote as url_quote

from ..report import Verdict
from .html import _CSP, _CSS, esc


def _blank(value: object) -> str:
    return "" if value is None else esc(value)  # a failed comparison has no figures: empty cells, not "None"


_STATUS_BADGE = {"ok": "b-supported", "failed": "b-contradicted"}  # pending: the colour of "partial"


def render_batch_index(rows: list[dict[str, Any]], *, title: str) -> str:
    """An index page for a batch: the summary table, each comparison linked to its report files.

    ``rows`` are the batch summary rows (name, status, error, one count per verdict, share_supported, ...)
    with ``files``: the report file names (or paths; only the name is linked, relative to the index).
    """
    verdicts = [v.value for v in Verdict]
    counted = [*verdicts, *(["omissions"] if any("omissions" in r for r in rows) else [])]
    body: list[str] = []
    for row in rows:
        files = [str(f).replace("\\", "/").rsplit("/", 1)[-1] for f in row.get("files") or ()]
        html_files = [f for f in files if f.endswith(".html")]
        name = esc(row.get("name", ""))
        main = f'<a href="{esc(url_quote(html_files[0]))}">{name}</a>' if html_files else name
        links = " ".join(f'<a href="{esc(url_quote(f))}">{esc(f.rsplit(".", 1)[-1])}</a>' for f in files)
        status = str(row.get("status", ""))
        share = row.get("share_supported")
        cells = [
            f"<td>{main}</td>",
            f'<td><span class="badge {_STATUS_BADGE.get(status, "b-partial")}">{esc(status)}</span>'
            + (f" {esc(row['error'])}" if row.get("error") else "")
            + "</td>",
            *(f'<td class="n">{_blank(row.get(v))}</td>' for v in ("sentences", *counted)),
            f'<td class="n">{f"{share:.0%}" if isinstance(share, int | float) else ""}</td>',
            f"<td>{links}</td>",
        ]
        body.append(f"<tr>{''.join(cells)}</tr>")
    head = "".join(
        f"<th>{v}</th>" for v in ["comparison", "status", "sentences", *counted, "share supported", "reports"]
    )
    ok = sum(1 for r in rows if r.get("status") == "ok")
    failed = sum(1 for r in rows if r.get("status") == "failed")
    pending = len(rows) - ok - failed  # a batch still running (or stopped): not compared yet
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(_CSP)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{_CSS}</style></head><body>"
        f'<header><h1>{esc(title)}</h1><p class="meta">{len(rows)} comparisons, {ok} compared, '
        f"{failed} failed{f', {pending} not yet compared' if pending else ''}.</p></header>"
        f"<main><table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></main>"
        "</body></html>\n"
    )
