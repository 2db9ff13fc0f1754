"""Verdict: from the evidence, the typed findings, the score and the quotes to one verdict and its reason.

One scale: the score is the judge's P(supported) (score.py), and `supported_threshold` (0.5, where
a supported and an unsupported sentence are equally likely) divides it.

- contradicted: a typed contradiction that stands, of a kind that says the claim is false rather than
  not made: another number, date or count in the same slot, or a flipped negation or opposite word
  within the same statement (the kinds a check declares `contradicts`). One read through a lexicon of
  opposite words stands only when the judge agrees (score below the threshold), else it is a
  difference to verify. The score is capped at `contradiction_cap`.
- unsupported, with the finding to check: another name or title, swapped roles, or a strengthened
  certainty. Rules cannot tell "another person" from "another statement about another person": the
  sources do not make the claim, and the finding (still an error where it names a wrong value) says
  what to look up. Only a model that reads claim and evidence together may call it false.
- supported: the score is at least the threshold, no finding or failed quote keeps it down, and the
  sentence has at least FRAGMENT_WORDS content words (a fragment is at most partial).
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
from .checks.quotes import FAITHFUL_STATUSES, QuoteCheck
from .checks.typed import SentenceChecks
from .evidence import ClaimEvidence
from .features import Features
from .findings import TO_VERIFY, Finding, FindingSeverity, finding_kind, reason_of
from .report import ClaimKind, DroppedQualifier, Evidence, Paraphrase, SentenceResult, Span, Verdict
from .segment import Sentence
from .settings import Settings

FRAGMENT_WORDS = 2  # fewer content words than this: a fragment, never supported


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
    supported_by: tuple[str, ...] = ()  # the sources whose evidence backs it (none when unsupported)


def judge(
    evidence: ClaimEvidence,
    features: Features,
    checks: SentenceChecks,
    score: float,
    quotes: Sequence[QuoteCheck],
    sentence_start: int,
    sources: Sequence[SourceText],
    settings: Settings,
) -> Assessment:
    """The verdict of one outlet sentence, its score on the one scale, and the reason in one line.

    quotes: the quotations inside the sentence (outlet offsets; sentence_start locates the sentence).
    checks: what the typed checks found in it, and a source not among the inputs that it credits (checks/credit).
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
    credited_to = checks.credited_to
    findings = [f if _stands(f, score, settings) else _to_verify(f) for f in checks.findings]
    hard = [c for c in findings if c.severity is FindingSeverity.CONTRADICTION and finding_kind(c).contradicts]
    not_made = [c for c in findings if c not in hard and _not_made(c)]
    if hard:
        verdict = Verdict.CONTRADICTED
        score = min(score, settings.contradiction_cap)  # a typed contradiction outranks any similarity
        reason = reason_of(hard[0])
    elif score >= settings.supported_threshold:
        verdict = Verdict.SUPPORTED
        reason = f"backed by {_where(shown)} ({shown[0].match})" if shown else "backed by the sources"
        reason += _in_other_words(evidence)
        if spans:
            reason += "; minor words not in the sources: " + ", ".join(f'"{s.text}"' for s in spans[:3])
    elif coverage >= settings.partial_coverage and best_semantic >= settings.partial_semantic:
        verdict = Verdict.PARTIAL
        reason = (
            f"{_where(shown)} {'backs' if len(shown) == 1 else 'back'} {_key_words(evidence)}"
            + _in_other_words(evidence)
            + ("; not in the sources: " + ", ".join(f'"{s.text}"' for s in spans[:4]) if spans else "")
            + (" ..." if len(spans) > 4 else "")
        )
    else:
        verdict = Verdict.UNSUPPORTED
        if not shown:
            reason = "no source sentences to compare with"
        else:
            reason = (
                f"no source says this: the closest is {shown[0].label} ({shown[0].match}); "
                f"{'its evidence backs' if len(shown) > 1 else 'it backs'} {_key_words(evidence)}"
            )
    if findings and not hard:
        # A difference (a strengthened claim, a name in no source) never leaves a sentence supported.
        if verdict is Verdict.SUPPORTED:
            verdict = Verdict.PARTIAL
            score = min(score, settings.supported_threshold - 0.01)
        reason = reason_of(findings[0]) + "; " + reason
    if verdict is Verdict.SUPPORTED and len(evidence.content) < FRAGMENT_WORDS:
        # "Both sides.", "The statement.": one key word or none says nothing a source could back.
        verdict = Verdict.PARTIAL
        score = min(score, settings.supported_threshold - 0.01)
        reason = f"a fragment ({_key_words(evidence)}): too little to call supported; " + reason
    if not_made and not hard:
        # The sources say something else of this slot: the claim, as written, is not theirs.
        verdict = Verdict.UNSUPPORTED
        score = min(score, settings.supported_threshold - 0.01)
        reason = reason_of(not_made[0]) + f"; the sources do not say this, {TO_VERIFY}"

    # The quote ledger bears on the verdict. A sentence whose quotation is altered, spliced,
    # paraphrased, not found or misattributed is never supported. A faithful quotation (verbatim or
    # trimmed) is backed by definition: its words are not additions, and a sentence built around
    # one has a supported core, so it is at least partial.
    if quotes:
        faithful = [q for q in quotes if q.status in FAITHFUL_STATUSES]
        failing = [q for q in quotes if q.status not in FAITHFUL_STATUSES]
        ranges = [(q.start - sentence_start, q.end - sentence_start) for q in faithful]
        spans = tuple(s for s in spans if not any(a <= s.start and s.end <= b for a, b in ranges))
        if failing and verdict is Verdict.SUPPORTED:
            verdict = Verdict.PARTIAL
            score = min(score, settings.supported_threshold - 0.01)
            reason = f"quote {failing[0].reason}"
        elif (
            faithful
            and verdict is Verdict.UNSUPPORTED
            and not not_made
            and any(len(q.text.split()) >= 2 for q in faithful)
        ):
            verdict = Verdict.PARTIAL
            reason = f"the quotation is {faithful[0].status.label} in {faithful[0].source}; the rest is not backed" + (
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
    backing = verdict is not Verdict.UNSUPPORTED
    supported_by = tuple(dict.fromkeys(sources[c.source].name for c in evidence.chosen)) if backing else ()
    return Assessment(verdict, score, reason, shown, spans, tuple(findings), features, paraphrases, supported_by)


def sentence_result(
    sentence: Sentence,
    judged: Assessment,
    evidence: ClaimEvidence,
    *,
    kind: ClaimKind,
    credited_to: str | None,
    dropped_qualifiers: tuple[DroppedQualifier, ...],
    notes: tuple[str, ...],
) -> SentenceResult:
    """The report's record of one outlet sentence: the checks worked on the sentence, the report speaks in
    offsets of the whole outlet, so every outlet offset moves by the sentence's start."""
    at = sentence.start
    return SentenceResult(
        index=sentence.index,
        text=sentence.text,
        start=sentence.start,
        end=sentence.end,
        verdict=judged.verdict,
        score=judged.score,
        reason=judged.reason,
        evidence=judged.evidence,
        unsupported_spans=tuple(Span(s.text, at + s.start, at + s.end) for s in judged.unsupported_spans),
        contradictions=tuple(
            dataclasses.replace(c, outlet_start=at + c.outlet_start, outlet_end=at + c.outlet_end)
            for c in judged.contradictions
        ),
        supported_by=judged.supported_by,
        dropped_qualifiers=dropped_qualifiers,
        notes=notes,
        paraphrases=tuple(
            dataclasses.replace(p, outlet_start=at + p.outlet_start, outlet_end=at + p.outlet_end)
            for p in judged.paraphrases
        ),
        kind=kind,
        credited_to=credited_to or "",
        key_words=len(evidence.content),
        key_words_backed=evidence.backed_count,
        features=judged.features.to_dict(),
    )


def _stands(finding: Finding, score: float, settings: Settings) -> bool:
    """Whether a finding keeps its severity: a difference always, a contradiction if unambiguous or the judge agrees."""
    if finding.severity is not FindingSeverity.CONTRADICTION:
        return True
    # A kind its check declares needs_judge (an opposite word, "details given") can misread a word's
    # sense or be a judgement; every other kind puts one value for another in the same slot.
    return not finding_kind(finding).needs_judge or score < settings.supported_threshold


def _not_made(finding: Finding) -> bool:
    """A name, title, role or certainty finding that says the sources make another claim than this one."""
    kind = finding_kind(finding)
    return kind.not_made or (finding.severity is FindingSeverity.CONTRADICTION and not kind.contradicts)


def _to_verify(finding: Finding) -> Finding:
    return dataclasses.replace(finding, severity=FindingSeverity.DIFFERENCE, to_verify=True)


def _in_other_words(evidence: ClaimEvidence) -> str:
    pairs = [f'"{evidence.tokens[i].text}" for "{word}"' for i, word in evidence.paraphrased[:3]]
    return ("; in other words: " + ", ".join(pairs)) if pairs else ""


def _where(evidence: Sequence[Evidence]) -> str:
    """The first two pieces of evidence, each source named once: "post sentences 1-2 and 4-5"."""
    parts: list[str] = []
    for i, e in enumerate(evidence[:2]):
        same = i > 0 and e.source == evidence[0].source
        parts.append(e.sentence_numbers.removeprefix("sentences ").removeprefix("sentence ") if same else e.label)
    return " and ".join(parts)


def _key_words(evidence: ClaimEvidence) -> str:
    """ "5 of its 11 key words": the content words the chosen evidence backs, of those the claim has."""
    total = len(evidence.content)
    return (
        f"{evidence.backed_count} of its {total} key words"
        if total != 1
        else f"{evidence.backed_count} of its 1 key word"
    )
