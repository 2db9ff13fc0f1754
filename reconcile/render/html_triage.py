"""The HTML report's triage: what to check, worst first, at the top of the page, each entry a link to its sentence.

A module of its own beside html.py, which builds the rest of the page; both escape every input text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from ..report import Problem, Report, Severity
from ..triage import headline


def _esc(value: object) -> str:
    return escape(str(value), quote=True)


def worst_severity(problems: Sequence[Problem]) -> str:
    """The worst severity among a sentence's problems ("error", "check", "context"), or "" for none."""
    order = list(Severity)
    return min((p.severity for p in problems), key=order.index).value if problems else ""


def triage_html(report: Report, position: Mapping[int, int]) -> str:
    """The section the page opens with: the headline, the list to check, the commentary, the problems-only toggle."""
    urgent = [p for p in report.problems if p.severity is not Severity.CONTEXT]
    context = [p for p in report.problems if p.severity is Severity.CONTEXT]
    parts = ['<section class="triage" aria-labelledby="triage-h">', f'<h2 id="triage-h">{_esc(headline(report))}</h2>']
    if urgent:
        parts.append(f'<ol class="todo">{"".join(_item(p, position) for p in urgent)}</ol>')
    if context:
        parts.append(
            f'<details class="context"><summary>Opinion and background ({len(context)}): '
            "nothing in the sources to check them against</summary>"
            f'<ul class="todo">{"".join(_item(p, position) for p in context)}</ul></details>'
        )
    if urgent:
        parts.append(
            '<p class="noprint"><label><input type="checkbox" id="only-problems"> '
            "Show only the sentences with an error or a check</label></p>"
        )
    parts.append("</section>")
    return "".join(parts)


def _item(p: Problem, position: Mapping[int, int]) -> str:
    n = position.get(p.sentence, p.sentence)
    badge = f'<span class="sev-{p.severity.value}">{p.severity.value}</span>'
    return (
        f'<li>{badge} <a href="#s-{n}" data-s="{n}"><b>{_esc(p.label or p.kind.value)}</b>, '
        f"sentence {p.sentence + 1}</a>: {_esc(p.detail)}</li>"
    )
