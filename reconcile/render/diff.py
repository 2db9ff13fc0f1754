"""The diff report (diff.py) in each format: plain text, JSON, Markdown, and HTML with the two texts side by side.

The HTML page has no script: each sentence of a pair links to its counterpart in the other column
(``#a3`` and ``#b2``), and ``:target`` marks the one followed. What a sentence is (in both, only one
side's, disagreed) is said in words as well as by its border.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable

from ..diff import DiffReport, Disagreement, OneSided, Pair, Side
from ..triage import plural
from .html import _CSS
from .html_triage import esc
from .printable import printable

FORMATS = ("text", "json", "markdown", "html")


def render_diff(report: DiffReport, fmt: str, *, width: int | None = None) -> str:
    """The diff report in one format: text, json, markdown or html."""
    renderers: dict[str, Callable[[], str]] = {
        "text": lambda: diff_text(report, width=width),
        "json": lambda: json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n",
        "markdown": lambda: diff_markdown(report),
        "html": lambda: diff_html(report),
    }
    return renderers[fmt]()


def _who(report: DiffReport, side: Side) -> str:
    info = report.a if side is Side.A else report.b
    return f"{info.name} ({info.speaker})" if info.speaker else info.name


def topics_line(report: DiffReport) -> str:
    """'only MFA: Taiwan, core interests; only Truth Social: fentanyl, TikTok' (or that none differ)."""
    parts = [
        f"only {name}: {', '.join(found)}"
        for name, found in ((report.a.name, report.topics.only_a), (report.b.name, report.topics.only_b))
        if found
    ]
    return "; ".join(parts) if parts else "both mention the same names and subjects"


def _pair_line(report: DiffReport, p: Pair) -> list[str]:
    ways = [
        f"{report.a.name}\u2192{report.b.name} {p.a_to_b.value}" if p.a_to_b else "",
        f"{report.b.name}\u2192{report.a.name} {p.b_to_a.value}" if p.b_to_a else "",
    ]
    lines = [
        f"{report.a.name} {p.a.numbers}: {p.a.text}",
        f"{report.b.name} {p.b.numbers}: {p.b.text}",
        f"({', '.join(w for w in ways if w)}; match {p.score:.2f})",
    ]
    if p.only_in_a or p.only_in_b:
        lines.append(
            f"wording: only {report.a.name}: {', '.join(p.only_in_a) or '-'}; "
            f"only {report.b.name}: {', '.join(p.only_in_b) or '-'}"
        )
    return lines


def _disagreement_line(report: DiffReport, d: Disagreement) -> list[str]:
    other = report.b.name if d.side is Side.A else report.a.name
    return [
        f"{d.kind}: {report.name(d.side)} {d.index + 1}: {d.text}",
        f"{d.detail}" + (f" ({other}: {d.evidence})" if d.evidence else ""),
    ]


def _one_sided_line(report: DiffReport, s: OneSided) -> str:
    return f"{report.name(s.side)} {s.index + 1}: {s.text}"


def diff_text(report: DiffReport, *, width: int | None = None) -> str:
    """Plain text, wrapped to width (None: a file or a pipe, one line each, as grep reads it); printable."""
    out: list[str] = []

    def block(lines: list[str], indent: str = "  ") -> None:
        for i, line in enumerate(lines):
            pad = indent if i == 0 else indent + "  "
            if width is None:
                out.append(pad + printable(line))
                continue
            out.extend(textwrap.wrap(printable(line), width, initial_indent=pad, subsequent_indent=indent + "  "))

    out.append(printable(f"reconcile diff: {_who(report, Side.A)} and {_who(report, Side.B)}"))
    out.append(printable(f"Topics: {topics_line(report)}"))
    s = report.summary()
    out.append(
        f"{plural(s['both'], 'passage')} in both, {s['only_a']} only in {printable(report.a.name)}, "
        f"{s['only_b']} only in {printable(report.b.name)}, {plural(s['disagreements'], 'disagreement')}"
    )
    sections: list[tuple[str, list[list[str]]]] = [
        ("Where they disagree", [_disagreement_line(report, d) for d in report.disagreements]),
        ("What both say", [_pair_line(report, p) for p in report.both]),
        (f"Only {report.a.name}", [[_one_sided_line(report, x)] for x in report.only_a]),
        (f"Only {report.b.name}", [[_one_sided_line(report, x)] for x in report.only_b]),
    ]
    for title, items in sections:
        out.append("")
        out.append(printable(f"{title} ({len(items)})"))
        for item in items:
            block(item)
    for warning in report.warnings:
        out.append(printable(f"warning: {warning}"))
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    """Input text safe in Markdown: markup characters escaped, HTML inert, one line."""
    text = " ".join(printable(text).split())
    for ch in "\\`*_[]<>#|":
        text = text.replace(ch, "\\" + ch)
    return text


def diff_markdown(report: DiffReport) -> str:
    a, b = _md(report.a.name), _md(report.b.name)
    out = [f"# reconcile diff: {_md(_who(report, Side.A))} and {_md(_who(report, Side.B))}", ""]
    out += [f"**Topics:** {_md(topics_line(report))}", ""]
    s = report.summary()
    out += [
        f"{plural(s['both'], 'passage')} in both, {s['only_a']} only in {a}, {s['only_b']} only in {b}, "
        f"{plural(s['disagreements'], 'disagreement')}.",
        "",
        f"## Where they disagree ({len(report.disagreements)})",
        "",
    ]
    for d in report.disagreements:
        lines = _disagreement_line(report, d)
        out.append(f"- **{_md(lines[0])}**  \n  {_md(lines[1])}")
    out += ["", f"## What both say ({len(report.both)})", "", f"| {a} | {b} | how |", "|---|---|---|"]
    for p in report.both:
        how = _pair_line(report, p)[2:]
        out.append(f"| {p.a.numbers}. {_md(p.a.text)} | {p.b.numbers}. {_md(p.b.text)} | {_md(' '.join(how))} |")
    for title, items in ((f"Only {a}", report.only_a), (f"Only {b}", report.only_b)):
        out += ["", f"## {title} ({len(items)})", ""]
        out += [f"- {x.index + 1}. {_md(x.text)}" for x in items]
    out += [f"\n> warning: {_md(w)}" for w in report.warnings]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------------------------- HTML

_DIFF_CSS = """
.sides{display:grid;grid-template-columns:1fr 1fr;gap:1.5rem}
@media (max-width:800px){.sides{grid-template-columns:1fr}}
.sides ol{padding-left:2rem}.sides li{margin:.4rem 0;padding:.2rem .4rem;border-left:4px solid transparent}
li.both{border-left-color:#2e7d32}li.only{border-left:4px dashed #8a6d00}li.disagree{border-left:4px double #b00020}
li:target{outline:3px solid #1565c0}.tag{font-size:.8em;font-weight:600;margin-right:.3rem}
.topics{font-size:1.1em}
"""
_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'"


def diff_html(report: DiffReport) -> str:
    """A page with the two texts side by side; each sentence of a pair links to its counterpart."""
    links: dict[tuple[Side, int], list[str]] = {}
    for p in report.both:
        for i in range(p.a.first, p.a.last + 1):
            links.setdefault((Side.A, i), []).append(f"b{p.b.first}")
        for i in range(p.b.first, p.b.last + 1):
            links.setdefault((Side.B, i), []).append(f"a{p.a.first}")
    disagreed = {(d.side, d.index): d for d in report.disagreements}
    only = {(x.side, x.index): x for x in (*report.only_a, *report.only_b)}

    def column(side: Side) -> str:
        source = report.a_to_b if side is Side.A else report.b_to_a
        sentences = source.sentences if source is not None else ()
        other = report.b.name if side is Side.A else report.a.name
        items = []
        for s in sentences:
            key = (side, s.index)
            if key in disagreed:
                d = disagreed[key]
                cls, tag = "disagree", f"\u2717 {d.kind}: {d.detail}"
            elif key in only:
                cls, tag = "only", f"only {report.name(side)}"
            else:
                cls, tag = "both", "in both"
            targets = " ".join(
                f'<a href="#{t}">{esc(other)} {int(t[1:]) + 1}</a>' for t in dict.fromkeys(links.get(key, []))
            )
            items.append(
                f'<li id="{side.value}{s.index}" class="{cls}" value="{s.index + 1}">'
                f'<span class="tag">{esc(tag)}</span>{esc(s.text)}'
                + (f' <span class="meta">\u2194 {targets}</span>' if targets else "")
                + "</li>"
            )
        heading = f'<section aria-label="{esc(report.name(side))}"><h2>{esc(_who(report, side))}</h2>'
        return f"{heading}<ol>{''.join(items)}</ol></section>"

    s = report.summary()
    disagreements = "".join(
        f'<li><a href="#{d.side.value}{d.index}">{esc(report.name(d.side))} {d.index + 1}</a> '
        f"<strong>{esc(d.kind)}</strong>: {esc(d.detail)}</li>"
        for d in report.disagreements
    )
    title = f"reconcile diff: {report.a.name} and {report.b.name}"
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(_CSP)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{_CSS}{_DIFF_CSS}</style></head><body>"
        f"<header><h1>{esc(title)}</h1>"
        f'<p class="topics"><strong>Topics:</strong> {esc(topics_line(report))}</p>'
        f'<p class="meta">{plural(s["both"], "passage")} in both, {s["only_a"]} only in {esc(report.a.name)}, '
        f"{s['only_b']} only in {esc(report.b.name)}, {plural(s['disagreements'], 'disagreement')}. "
        "A sentence's link leads to what the other text says of it.</p></header><main>"
        f'<section aria-label="disagreements"><h2>Where they disagree ({len(report.disagreements)})</h2>'
        f"<ul>{disagreements}</ul></section>"
        f'<div class="sides">{column(Side.A)}{column(Side.B)}</div>'
        "</main></body></html>\n"
    )
