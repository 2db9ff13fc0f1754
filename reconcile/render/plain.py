"""Plain words for figures and findings, shared by the renderers so that every format says them alike."""

from __future__ import annotations

from collections.abc import Sequence

from ..checks.quotes import FAITHFUL_STATUSES, QuoteCheck
from ..report import Problem, Report, SentenceResult, Severity, Verdict

# One sign per meaning, the same in every format (text, Markdown, HTML, whose report.css draws the same
# signs: tests/test_html.py checks them), and never told by colour alone: each goes with its word.
VERDICT_SYMBOL = {Verdict.SUPPORTED: "\u2713", Verdict.PARTIAL: "\u25d0", Verdict.UNSUPPORTED: "\u25cb",
                  Verdict.CONTRADICTED: "\u2717"}  # fmt: skip
SEVERITY_SYMBOL = {Severity.ERROR: "\u2716", Severity.CHECK: "?", Severity.CONTEXT: "\u2139"}
VERDICT_MARK = {v: f"{sign} {v.value}" for v, sign in VERDICT_SYMBOL.items()}
SEVERITY_MARK = {s: f"{sign} {s.value}" for s, sign in SEVERITY_SYMBOL.items()}


def legend() -> str:
    """The signs explained once, for the formats that show them without a legend of their own."""
    verdicts = "  ".join(VERDICT_MARK.values())
    return f"{verdicts} (sentences) \u00b7 {'  '.join(SEVERITY_MARK.values())} (what to check)"


def backing(sentence: SentenceResult) -> str:
    """What backs a sentence: the judge's chance when supported ("judge: 87% likely supported"), else its key words."""
    if sentence.verdict is Verdict.SUPPORTED:
        return f"judge: {sentence.score:.0%} likely supported"
    if sentence.key_words:
        return f"backs {sentence.key_words_backed} of {sentence.key_words} key words"
    return "no key words"


def shown_sentences(report: Report, *, only_problems: bool) -> list[SentenceResult]:
    """Every sentence, or with only_problems those with an error or a check."""
    if not only_problems:
        return list(report.sentences)
    wanted = {p.sentence for p in report.problems_to_check()}
    return [s for s in report.sentences if s.index in wanted]


def ledger(report: Report, *, only_problems: bool) -> list[QuoteCheck]:
    """The quote ledger, or with only_problems the quotes that are not faithful."""
    return [q for q in report.quotes if not only_problems or q.status not in FAITHFUL_STATUSES]


def grouped(problems: Sequence[Problem]) -> list[tuple[str, list[Problem]]]:
    """The list in its order, in runs: two or more resting on one source not supplied under its name (triage
    puts them together), every other problem a run of its own under ''."""
    runs: list[tuple[str, list[Problem]]] = []
    for p in problems:
        if p.rests_on and runs and runs[-1][1][-1].rests_on == p.rests_on:
            runs[-1] = (p.rests_on, [*runs[-1][1], p])
        else:
            runs.append(("", [p]))
    return runs


def resting_on(source: str, n: int) -> str:
    """The heading of the problems that rest on a source not supplied."""
    return f"{n} resting on {source}, whose text is not among the sources: give it to check them"
