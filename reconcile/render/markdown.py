"""The Markdown report: a summary table, then every sentence with verdict, additions and evidence."""

from __future__ import annotations

import re

from ..report import Report, Verdict
from .printable import printable_copy

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def md_escape(text: str) -> str:
    """Escape Markdown (and raw-HTML) syntax so that input text shows as written."""
    return _SPECIAL.sub(r"\\\1", text).replace("\n", " ")


def render_markdown(report: Report) -> str:
    report = printable_copy(report)  # no escape sequence of an input reaches the reader's terminal
    lines: list[str] = []
    sources = ", ".join(md_escape(s.name) for s in report.sources)
    lines.append(f"# reconcile: {md_escape(report.outlet.name)} against {sources}")
    lines.append("")
    pages = [
        f"- {md_escape(d.name)}: {md_escape(line)}"
        for d in (report.outlet, *report.sources)
        if (line := d.header_line())
    ]
    lines.extend([*pages, ""] if pages else [])  # a web page's title, byline, date and address
    for warning in report.warnings:
        lines.extend([f"> **Warning:** {md_escape(warning)}", ""])
    summary = report.summary()
    lines.append("| " + " | ".join(v.value for v in Verdict) + " | share supported |")
    lines.append("|" + "---:|" * (len(Verdict) + 1))
    lines.append(
        "| " + " | ".join(str(summary["counts"][v.value]) for v in Verdict) + f" | {summary['share_supported']:.0%} |"
    )
    lines.append("")
    lines.append("## Sentences")
    lines.append("")
    for s in report.sentences:
        text = _highlight(s.text, [(sp.start - s.start, sp.end - s.start) for sp in s.unsupported_spans])
        lines.append(f"{s.index + 1}. **{s.verdict.value}** ({s.score:.2f}): {text}")
        lines.append(f"   - why: {md_escape(s.reason)}")
        for note in s.notes:
            lines.append(f"   - note: {md_escape(note)}")
        for e in s.evidence:
            # The name is escaped, not the label: "#2" is not a heading mid-line.
            where = f"{md_escape(e.source)} {e.sentence_numbers}"
            lines.append(f"   - evidence {where} ({e.score:.2f}): {md_escape(e.text)}")
    lines.append("")
    if report.quotes:
        lines.append("## Quote ledger")
        lines.append("")
        lines.append("| status | quote | attributed to | source | why |")
        lines.append("|---|---|---|---|---|")
        for q in report.quotes:
            lines.append(
                f"| {q.status.value} | “{md_escape(q.text)}” | {md_escape(q.attributed_to or '')} "
                f"| {md_escape(q.source or '')} | {md_escape(q.reason)} |"
            )
        lines.append("")
    if report.omissions:
        lines.append("## Left out by the outlet (most salient first)")
        lines.append("")
        for o in report.omissions:
            lines.append(f"- **{o.state.value}** {md_escape(o.source)} #{o.index + 1}: {md_escape(o.text)}")
            lines.append(f"  - why it matters: {md_escape(o.rank_reason)}")
        lines.append("")
    lines.append("## Sources")
    lines.append("")
    lines.append("| source | share reported | outlet sentences resting on it |")
    lines.append("|---|---:|---:|")
    for name, figures in summary["sources"].items():
        lines.append(
            f"| {md_escape(name)} | {figures['covered_share']:.0%} | {figures['outlet_sentences_backed']} "
            f"({figures['outlet_share_backed']:.0%}) |"
        )
    lines.append("")
    if report.skipped:
        lines.append("## Skipped lines")
        lines.append("")
        for k in report.skipped:
            lines.append(f"- {md_escape(k.document)} {k.start}-{k.end}: “{md_escape(k.text)}” ({md_escape(k.reason)})")
        lines.append("")
    lines.append("Additions (words no evidence backs) are shown as ==marked== text.")
    return "\n".join(lines) + "\n"


def _highlight(text: str, spans: list[tuple[int, int]]) -> str:
    out, last = [], 0
    for start, end in sorted(spans):
        out.append(md_escape(text[last:start]))
        out.append("==" + md_escape(text[start:end]) + "==")
        last = end
    out.append(md_escape(text[last:]))
    return "".join(out)
