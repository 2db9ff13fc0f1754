"""The terminal report: every outlet sentence with its verdict, highlighted additions and evidence."""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..report import Report, SentenceResult, Severity, Verdict
from ..triage import headline, plural
from .plain import SEVERITY_MARK, VERDICT_MARK, backing, grouped, ledger, legend, resting_on, shown_sentences
from .printable import printable_copy

VERDICT_STYLE = {
    Verdict.SUPPORTED: "bold green",
    Verdict.PARTIAL: "bold yellow",
    Verdict.UNSUPPORTED: "bold red",
    Verdict.CONTRADICTED: "bold white on red",
}
QUOTE_STYLE = {
    "verbatim": "green",
    "trimmed": "green",
    "altered": "yellow",
    "spliced": "yellow",
    "paraphrase": "yellow",
    "not_found": "red",
    "misattributed": "red",
}

SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.CHECK: "bold yellow", Severity.CONTEXT: "dim"}


def _sentence_text(sentence: SentenceResult) -> Text:
    # Text() never parses markup, so input text cannot inject rich styles.
    text = Text(sentence.text)
    for span in sentence.unsupported_spans:
        text.stylize("underline magenta", span.start - sentence.start, span.end - sentence.start)
    for c in sentence.contradictions:
        if c.outlet_end > c.outlet_start:
            text.stylize("bold red", c.outlet_start - sentence.start, c.outlet_end - sentence.start)
    return text


def render_text(report: Report, *, color: bool = False, width: int | None = None, only_problems: bool = False) -> str:
    """The report for a terminal or a text file; only_problems keeps the sentences with an error or a check.

    width: wrap to this many columns (a terminal's); None, for a file or a pipe: no line is wrapped, so
    each finding is one line that grep finds whole (tables are still 100 columns at most).
    First what to check and the summary (a terminal's first screen), then every sentence.
    """
    report = printable_copy(report)  # no escape sequence of an input reaches the reader's terminal
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=color,
        no_color=not color,
        width=width or 100,
        soft_wrap=width is None,
        highlight=False,
    )
    sources = ", ".join(s.name + (f" ({s.speaker})" if s.speaker else "") for s in report.sources)
    console.print(Text(f"reconcile: {report.outlet.name} against {sources}", style="bold"))
    for doc in (report.outlet, *report.sources):  # a web page's title, byline, date and address
        if page := doc.header_line():
            console.print(Text(f"{doc.name}: {page}", style="dim"))
    console.print(Text(headline(report), style="bold"))
    for warning in report.warnings:
        console.print(Text(f"warning: {warning}", style="bold yellow"))
    console.print()
    _triage(console, report)
    _summary(console, report)
    console.print()
    console.print(Text(f"signs: {legend()}", style="dim"))
    if color:  # without colour the additions are listed under each sentence, and nothing promises underlining
        console.print(Text("additions (words no evidence backs) are underlined", style="dim"))
    console.print()
    shown = shown_sentences(report, only_problems=only_problems)
    if only_problems:
        hidden = len(report.sentences) - len(shown)
        console.print(
            Text(f"problems only: {plural(hidden, 'sentence', 'sentences')} without one not shown", style="dim")
        )
        console.print()
    for s in shown:
        head = Text(f"[{s.index + 1}] ")
        head.append(VERDICT_MARK[s.verdict], style=VERDICT_STYLE[s.verdict])
        head.append(f"  {backing(s)}  chars {s.start}-{s.end}", style="dim")
        console.print(head)
        for p in report.problems_in(s.index):
            line = Text("  ")
            line.append(SEVERITY_MARK[p.severity], style=SEVERITY_STYLE[p.severity])
            line.append(f": {p.title}")
            console.print(line)
        console.print(_sentence_text(s))
        console.print(Text("  why: " + s.reason, style="italic"))
        if s.unsupported_spans:
            console.print(Text("  additions: " + "; ".join(sp.text for sp in s.unsupported_spans), style="magenta"))
        for note in s.notes:
            console.print(Text("  note: " + note, style="yellow"))
        for e in s.evidence:
            line = Text(f"  ← {e.label} ({e.match}): ", style="cyan")
            line.append(e.text)
            console.print(line)
        console.print()
    quotes = ledger(report, only_problems=only_problems)
    if quotes:
        console.print(Text("Quote ledger", style="bold"))
        for q in quotes:
            line = Text("  ")
            line.append(f"{q.status.label:<13}", style=QUOTE_STYLE.get(q.status.value, ""))
            who = f" ({q.attributed_to})" if q.attributed_to else ""
            line.append(f"“{q.text}”{who}")
            console.print(line)
            console.print(Text(f"      {q.reason}", style="dim"))
        console.print()
    if report.omissions:
        console.print(Text("Left out (most salient first)", style="bold"))
        for o in report.omissions:
            line = Text("  ")
            line.append(f"{o.state.value:<8}", style="red" if o.state.value == "omitted" else "yellow")
            line.append(f"{o.source} sentence {o.index + 1}: ")
            line.append(o.text)
            console.print(line)
            console.print(Text(f"      why it matters: {o.rank_reason}", style="dim"))
        console.print()
    if report.skipped:
        console.print(Text("Skipped lines (not prose)", style="bold"))
        for k in report.skipped:
            console.print(Text(f"  {k.document} chars {k.start}-{k.end}: {k.text!r} — {k.reason}"))
        console.print()
    return buffer.getvalue()


def _summary(console: Console, report: Report) -> None:
    summary = report.summary()
    table = Table(title="Summary", show_header=True)
    for v in Verdict:
        table.add_column(v.value, justify="right")
    table.add_column("claims supported", justify="right")
    table.add_row(*(str(summary["counts"][v.value]) for v in Verdict), f"{summary['share_claims_supported']:.0%}")
    console.print(table)
    claims = summary["claims"]
    console.print(
        Text(
            f"{plural(claims['checkable'], 'checkable claim', 'checkable claims')}, "
            f"{plural(claims['opinion'] + claims['background'], 'sentence', 'sentences')} of opinion or background"
        )
    )
    for name, figures in summary["sources"].items():
        console.print(
            Text(
                f"{name}: {figures['covered_share']:.0%} of it reported; "
                f"{plural(figures['outlet_sentences_backed'], 'outlet sentence rests', 'outlet sentences rest')} on it "
                f"({figures['outlet_share_backed']:.0%})"
            )
        )


def _triage(console: Console, report: Report) -> None:
    urgent, context = report.problems_to_check(), report.context_problems()
    if urgent:
        console.print(Text("To check, worst first", style="bold"))
        for source, run in grouped(urgent):
            if source:
                console.print(Text(f"  {resting_on(source, len(run))}:"))
            for p in run:
                line = Text("    " if source else "  ")
                line.append(SEVERITY_MARK[p.severity], style=SEVERITY_STYLE[p.severity])
                line.append(f"  {p.title}, sentence {p.sentence + 1}: ")
                line.append(p.detail)
                console.print(line)
        console.print()
    if context:
        console.print(Text("Context (nothing in the sources to check)", style="bold"))
        for p in context:
            console.print(
                Text(
                    f"  {SEVERITY_MARK[p.severity]}  {p.title}, sentence {p.sentence + 1}: {p.detail}",
                    style="dim",
                )
            )
        console.print()
