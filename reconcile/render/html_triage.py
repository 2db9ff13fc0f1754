"""The HTML report's triage: what to check, worst first, at the top of the page, each entry a link to its sentence.

A module of its own beside html.py, which builds the rest of the page with the escaping and the severity
badges defined here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from ..report import Problem, Report, Severity
from ..triage import headline
from .plain import grouped, resting_on

# The severities of findings, styled by report.css (.sev-error, .sev-check, .sev-context): an icon, a border
# pattern and the word, each checked for contrast.
SEVERITIES = tuple(s.value for s in Severity)


def esc(value: object) -> str:
    """Input text as HTML, safe in element content and in quoted attributes."""
    return escape(str(value), quote=True)


def severity_badge(severity: str, label: str | None = None) -> str:
    """A severity badge: ``<span class="sev-error">error</span>``; ``label`` (escaped) replaces the word."""
    if severity not in SEVERITIES:
        raise ValueError(f"unknown severity {severity!r}; use one of {', '.join(SEVERITIES)}")
    return f'<span class="sev-{severity}">{esc(label if label is not None else severity)}</span>'


def worst_severity(problems: Sequence[Problem]) -> str:
    """The worst severity among a sentence's problems ("error", "check", "context"), or "" for none.

    problems: as Report.problems_in gives them, worst first (triage sorts them by severity).
    """
    return problems[0].severity.value if problems else ""


def triage_html(report: Report, position: Mapping[int, int]) -> str:
    """The section the page opens with: the headline, the list to check, the commentary, the problems-only toggle."""
    urgent, context = report.problems_to_check(), report.context_problems()
    parts = ['<section class="triage" aria-labelledby="triage-h">', f'<h2 id="triage-h">{esc(headline(report))}</h2>']
    if urgent:
        items = [
            f'<li class="rests-on">{esc(resting_on(source, len(run)))}:<ol class="todo">'
            f"{''.join(_item(p, position) for p in run)}</ol></li>"
            if source
            else _item(run[0], position)
            for source, run in grouped(urgent)
        ]
        parts.append(f'<ol class="todo">{"".join(items)}</ol>')
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
    return (
        f'<li>{severity_badge(p.severity.value)} <a href="#s-{n + 1}" data-s="{n}"><b>{esc(p.title)}</b>, '
        f"sentence {p.sentence + 1}</a>: {esc(p.detail)}</li>"
    )
