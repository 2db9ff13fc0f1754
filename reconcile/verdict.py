"""Verdict: from the evidence, the typed findings, the score and the quotes to one verdict and its reason.

One scale: the score is the judge's P(supported) (score.py), and `supported_threshold` (0.5, where
a supported and an unsupported sentence are equally likely) divides it.

- contradicted: a typed contradiction that stands. One that puts a value for another of its kind in
  the same slot of the evidence (a number, date, name, a swapped role, a flipped negation) stands as
  found; one read through a lexicon of opposite words stands only when the judge agrees (score below
  the threshold), else it is a difference to verify. The score is capped at `contradiction_cap`.
- supported: the score is at least the threshold, and no finding or failed quote keeps it down.
- partial: the score is at least the threshold but a difference or a failed quote keeps it down
  (its score is then put just under the threshold); or the core is backed (at least
  `partial_coverage` of its content by evidence at least `partial_semantic` similar); or the
  sentence is built around a faithful quotation.
- unsupported: otherwise, and always when the sentence credits its claim to a source that is not
  among the inputs ("CCTV reported ..."): that source is the one to back it, so no other source's
  words support it and no other text contradicts it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from .align import SourceText
from .checks.quotes import QuoteCheck, QuoteStatus
from .evidence import ClaimEvidence
from .features import Features
from .findings import Finding, FindingSeverity
from .report import Evidence, Paraphrase, Span, Verdict
from .settings import Settings

FAITHFUL_QUOTES = frozenset({QuoteStatus.VERBATIM, QuoteStatus.TRIMMED})
# A contradiction found through a lexicon of opposite words (data/opposites.txt, WordNet antonyms) can
# misread a word's sense in context; every other kind puts one value for another in the same slot.
NEEDS_THE_JUDGE = frozenset({"opposite"})
TO_VERIFY = "to verify"


@dataclass(frozen=True)
class Assessment:
    """The judgement of one outlet sentence (outlet offsets into the sentence)."""

    verdict: Verdict
    score: float
    reason: str
    evidence: tuple[Evidence, ...]
    unsupported_spans: tuple[Span, ...]
    contradictions: tuple[Finding, ...]  # source offsets into the source
    features: Features
    paraphrases: tuple[Paraphrase, ...] = ()


def judge(
    evidence: ClaimEvidence,
    features: Features,
    findings: Sequence[Finding],
    score: float,
    quotes: Sequence[QuoteCheck],
    sentence_start: int,
    sources: Sequence[SourceText],
    settings: Settings,
    credited_to: str | None = None,
) -> Assessment:
    """The verdict of one outlet sentence, its score on the one scale, and the reason in one line.

    quotes: the quotations inside the sentence (outlet offsets; sentence_start locates the sentence).
    credited_to: a source not among the inputs that the sentence credits its claim to (checks/credit).
    """
    best_semantic, coverage = features.semantic, features.coverage
    shown = tuple(
        Evidence(
            source=sources[c.source].name,
            index=c.first,
            last_index=c.last,
            text=c.text,
            start=c.start,
            end=c.end,
            score=max(0.0, min(1.0, c.semantic)),
        )
        for c in evidence.chosen
    )
    spans = evidence.unsupported_spans()
    findings = [f if _stands(f, score, settings) else _to_verify(f) for f in findings]
    hard = [c for c in findings if c.severity is FindingSeverity.CONTRADICTION]
    if hard:
        verdict = Verdict.CONTRADICTED
        score = min(score, settings.contradiction_cap)  # a typed contradiction outranks any similarity
        reason = _finding_reason(hard[0])
    elif score >= settings.supported_threshold:
        verdict = Verdict.SUPPORTED
        reason = "backed by " + _where(shown) + _in_other_words(evidence)
        if spans:
            reason += "; unbacked minor words: " + ", ".join(f'"{s.text}"' for s in spans[:3])
    elif coverage >= settings.partial_coverage and best_semantic >= settings.partial_semantic:
        verdict = Verdict.PARTIAL
        reason = (
            "core backed by "
            + _where(shown)
            + _in_other_words(evidence)
            + ("; additions: " + ", ".join(f'"{s.text}"' for s in spans[:4]) if spans else "")
            + (" ..." if len(spans) > 4 else "")
        )
    else:
        verdict = Verdict.UNSUPPORTED
        if not shown:
            reason = "no source sentences to compare with"
        else:
            reason = (
                f"no source says this (best match {best_semantic:.2f} similar, "
                f"{coverage:.0%} of its content words found)"
            )
    if findings and not hard:
        # A difference (a strengthened claim, a name in no source) never leaves a sentence supported.
        if verdict is Verdict.SUPPORTED:
            verdict = Verdict.PARTIAL
            score = min(score, settings.supported_threshold - 0.01)
        reason = _finding_reason(findings[0]) + "; " + reason

    # The quote ledger bears on the verdict. A sentence whose quotation is altered, spliced,
    # paraphrased, not found or misattributed is never supported. A faithful quotation (verbatim or
    # trimmed) is backed by definition: its words are not additions, and a sentence built around
    # one has a supported core, so it is at least partial.
    if quotes:
        faithful = [q for q in quotes if q.status in FAITHFUL_QUOTES]
        failing = [q for q in quotes if q.status not in FAITHFUL_QUOTES]
        ranges = [(q.start - sentence_start, q.end - sentence_start) for q in faithful]
        spans = tuple(s for s in spans if not any(a <= s.start and s.end <= b for a, b in ranges))
        if failing and verdict is Verdict.SUPPORTED:
            verdict = Verdict.PARTIAL
            score = min(score, settings.supported_threshold - 0.01)
            reason = f"quote {failing[0].reason}"
        elif faithful and verdict is Verdict.UNSUPPORTED and any(len(q.text.split()) >= 2 for q in faithful):
            verdict = Verdict.PARTIAL
            reason = f"the quotation is {faithful[0].status.value} in {faithful[0].source}; the rest is not backed" + (
                ": " + ", ".join(f'"{s.text}"' for s in spans[:4]) if spans else ""
            )
        elif failing and verdict is not Verdict.CONTRADICTED:
            reason += f"; quote {failing[0].reason}"

    if credited_to is not None:
        verdict = Verdict.UNSUPPORTED
        score = min(score, settings.supported_threshold - 0.01)
        reason = f"credited to {credited_to}, which is not among the sources; not checked against the others"
        findings = [f for f in findings if f.severity is not FindingSeverity.CONTRADICTION]

    paraphrases = tuple(
        Paraphrase(evidence.tokens[i].text, evidence.tokens[i].start, evidence.tokens[i].end, word)
        for i, word in evidence.paraphrased
    )
    return Assessment(verdict, score, reason, shown, spans, tuple(findings), features, paraphrases)


def _stands(finding: Finding, score: float, settings: Settings) -> bool:
    """Whether a finding keeps its severity: a difference always, a contradiction if unambiguous or the judge agrees."""
    if finding.severity is not FindingSeverity.CONTRADICTION:
        return True
    return finding.detail not in NEEDS_THE_JUDGE or score < settings.supported_threshold


def _to_verify(finding: Finding) -> Finding:
    detail = f"{finding.detail}, {TO_VERIFY}" if finding.detail else TO_VERIFY
    return dataclasses.replace(finding, severity=FindingSeverity.DIFFERENCE, detail=detail)


def _in_other_words(evidence: ClaimEvidence) -> str:
    pairs = [f'"{evidence.tokens[i].text}" for "{word}"' for i, word in evidence.paraphrased[:3]]
    return ("; in other words: " + ", ".join(pairs)) if pairs else ""


def _where(evidence: Sequence[Evidence]) -> str:
    return ", ".join(e.label for e in evidence[:2])


def _finding_reason(c: Finding) -> str:
    if c.severity is FindingSeverity.CONTRADICTION or c.source:
        text = f'{c.type}: "{c.outlet_text}" vs "{c.source_text}"'
        shown = c.detail.removesuffix(TO_VERIFY).removesuffix(", ")
        text += f" ({shown})" if shown in ("strengthened", "weakened", "roles swapped", "another title") else ""
        return text + (f" ({TO_VERIFY}: the judge finds it supported)" if c.detail.endswith(TO_VERIFY) else "")
    if c.detail == "spelled otherwise":
        return f'{c.type}: "{c.outlet_text}" (the sources spell it "{c.source_text}")'
    return f'{c.type}: "{c.outlet_text}" ({c.detail})'
