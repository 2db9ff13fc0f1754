"""Plain words for figures and findings, shared by the renderers so that every format says them alike."""

from __future__ import annotations

from ..report import SentenceResult, Severity, Verdict

# A severity is never told by colour alone: each has a sign and a word.
SEVERITY_MARK = {Severity.ERROR: "✖ error", Severity.CHECK: "? check", Severity.CONTEXT: "i context"}
FAITHFUL = frozenset({"verbatim", "trimmed"})  # quote statuses that are no problem


def backing(sentence: SentenceResult) -> str:
    """What backs a sentence: the judge's chance when supported ("judge: 87% likely supported"), else its key words."""
    if sentence.verdict is Verdict.SUPPORTED:
        return f"judge: {sentence.score:.0%} likely supported"
    if sentence.key_words:
        return f"backs {sentence.key_words_backed} of {sentence.key_words} key words"
    return "no key words"
