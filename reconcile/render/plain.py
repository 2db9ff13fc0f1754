"""Plain words for figures and findings, shared by the renderers so that every format says them alike."""

from __future__ import annotations

from ..checks.quotes import FAITHFUL_STATUSES, QuoteCheck
from ..report import Report, SentenceResult, Severity, Verdict

# A severity is never told by colour alone: each has a sign and a word.
SEVERITY_MARK = {Severity.ERROR: "✖ error", Severity.CHECK: "? check", Severity.CONTEXT: "i context"}


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
