"""The Markdown report: plain CommonMark with GitHub tables, to paste into a ticket or a document.

What to check comes first, then a summary table, then every sentence as one list item with its
findings nested under it (bullet items: their nesting does not depend on how wide a number is).
Every text from the inputs is escaped, so it shows as written and never turns into a link, a
heading, emphasis or raw HTML; additions are shown in **bold**, which CommonMark has (==marks== it
has not).
"""

from __future__ import annotations

import re

from ..report import Report, Verdict
from ..triage import headline, plural
from .plain import SEVERITY_MARK, VERDICT_MARK, backing, grouped, ledger, legend, resting_on, shown_sentences
from .printable import printable_copy

# The ASCII punctuation CommonMark and GitHub give a meaning to inside a line, escaped with a backslash
# (which CommonMark turns back into the character): emphasis, code, links, tables, HTML, entities,
# strikethrough. Input text never starts a line here, so "-", "+", "=" and "1." need no escape.
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#!|~&])")
_WHITESPACE = re.compile(r"\s+")


def md_escape(text: str) -> str:
    """Escape Markdown (and raw-HTML) syntax so that input text shows as written, on one line."""
    return _SPECIAL.sub(r"\\\1", _WHITESPACE.sub(" ", text))


def render_markdown(report: Report, *, only_problems: bool = False) -> str:
    """The report as Markdown; only_problems keeps the sentences with an error or a check."""
    report = printable_copy(report)  # no escape sequence of an input reaches the reader's terminal
    lines: list[str] = []
    sources = ", ".join(md_escape(s.name) for s in report.sources)
    lines.extend([f"# reconcile: {md_escape(report.outlet.name)} against {sources}", ""])
    pages = [
        f"- {md_escape(d.name)}: {md_escape(line)}"
        for d in (report.outlet, *report.sources)
        if (line := d.header_line())
    ]
    lines.extend([*pages, ""] if pages else [])  # a web page's title, byline, date and address
    for warning in report.warnings:
        lines.extend([f"> **Warning:** {md_escape(warning)}", ""])
    lines.extend([f"**{md_escape(headline(report))}**", ""])
    urgent, context = report.problems_to_check(), report.context_problems()
    if urgent:
        lines.extend(["## To check, worst first", ""])
        for source, run in grouped(urgent):
            if source:
                lines.append(f"- {md_escape(resting_on(source, len(run)))}:")
            for p in run:
                lines.append(
                    f"{'  ' if source else ''}- {SEVERITY_MARK[p.severity]}: **{md_escape(p.title)}**, "
                    f"sentence {p.sentence + 1}: {md_escape(p.detail)}"
                )
        lines.append("")
    if context:
        lines.extend(["## Context (nothing in the sources to check)", ""])
        for p in context:
            where = f"{md_escape(p.title)}, sentence {p.sentence + 1}"
            lines.append(f"- {SEVERITY_MARK[p.severity]}: {where}: {md_escape(p.detail)}")
        lines.append("")
    summary = report.summary()
    lines.append("| " + " | ".join(v.value for v in Verdict) + " | claims supported |")
    lines.append("|" + "---:|" * (len(Verdict) + 1))
    lines.append(
        "| "
        + " | ".join(str(summary["counts"][v.value]) for v in Verdict)
        + f" | {summary['share_claims_supported']:.0%} |"
    )
    claims = summary["claims"]
    lines.extend(
        [
            "",
            f"{plural(claims['checkable'], 'checkable claim', 'checkable claims')}; "
            f"{plural(claims['opinion'] + claims['background'], 'sentence', 'sentences')} of opinion or background.",
            "",
        ]
    )
    lines.extend(["## Sentences", "", f"Signs: {md_escape(legend())}.", ""])
    shown = shown_sentences(report, only_problems=only_problems)
    if only_problems:
        hidden = len(report.sentences) - len(shown)
        lines.extend([f"Problems only: {plural(hidden, 'sentence', 'sentences')} without one not shown.", ""])
    for s in shown:
        text = _highlight(s.text, [(sp.start - s.start, sp.end - s.start) for sp in s.unsupported_spans])
        lines.append(f"- **Sentence {s.index + 1}: {VERDICT_MARK[s.verdict]}**, {md_escape(backing(s))}: {text}")
        for p in report.problems_in(s.index):
            lines.append(f"  - {SEVERITY_MARK[p.severity]}: {md_escape(p.title)}")
        lines.append(f"  - why: {md_escape(s.reason)}")
        for note in s.notes:
            lines.append(f"  - note: {md_escape(note)}")
        for e in s.evidence:
            lines.append(f"  - evidence, {md_escape(e.label)} ({e.match}): {md_escape(e.text)}")
    lines.append("")
    quotes = ledger(report, only_problems=only_problems)
    if quotes:
        lines.extend(["## Quote ledger", ""])
        lines.append("| status | quote | attributed to | source | why |")
        lines.append("|---|---|---|---|---|")
        for q in quotes:
            lines.append(
                f"| {q.status.label} | “{md_escape(q.text)}” | {md_escape(q.attributed_to or '')} "
                f"| {md_escape(q.source or '')} | {md_escape(q.reason)} |"
            )
        lines.append("")
    if report.omissions:
        lines.extend(["## Left out by the outlet (most salient first)", ""])
        for o in report.omissions:
            lines.append(f"- **{o.state.value}**, {md_escape(o.source)} sentence {o.index + 1}: {md_escape(o.text)}")
            lines.append(f"  - why it matters: {md_escape(o.rank_reason)}")
        lines.append("")
    lines.extend(["## Sources", ""])
    lines.append("| source | share reported | outlet sentences resting on it |")
    lines.append("|---|---:|---:|")
    for name, figures in summary["sources"].items():
        lines.append(
            f"| {md_escape(name)} | {figures['covered_share']:.0%} | {figures['outlet_sentences_backed']} "
            f"({figures['outlet_share_backed']:.0%}) |"
        )
    lines.append("")
    if report.skipped:
        lines.extend(["## Skipped lines", ""])
        for k in report.skipped:
            lines.append(f"- {md_escape(k.document)} {k.start}-{k.end}: “{md_escape(k.text)}” ({md_escape(k.reason)})")
        lines.append("")
    lines.append("Additions (words no evidence backs) are in **bold**.")
    return "\n".join(lines) + "\n"


def _highlight(text: str, spans: list[tuple[int, int]]) -> str:
    out, last = [], 0
    for start, end in sorted(spans):
        out.append(md_escape(text[last:start]))
        # Emphasis may not start or end inside a word next to whitespace: bold the words, keep the spaces out.
        inner = text[start:end].strip()
        out.append(f"**{md_escape(inner)}**" if inner else "")
        last = end
    out.append(md_escape(text[last:]))
    return "".join(out)
