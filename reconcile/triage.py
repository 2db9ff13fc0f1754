"""Triage: from the judged sentences and the quote ledger to one list of problems, worst first.

Every finding gets one severity, used the same way in every format (report.Severity):

- error: the outlet says otherwise than its sources: a contradiction, a wrong number, date, name or
  title, swapped roles, an altered, spliced or misattributed quote, a quote that is not word for word,
  a misspelt name.
- check: something found in no source, which someone must look up: a claim, a name or a quote in no
  source; a claim credited to a source that is not among the inputs; a difference the judge doubts;
  a strengthened or weakened claim; a qualifier of the source left out.
- context: a sentence no source backs that reads as opinion or background (data/lexicon/commentary.txt):
  there is nothing in the sources to check it against, so it is counted apart from the claims.

A sentence with a problem of its own (a quote, a name) is not also listed as a claim in no source:
one entry per thing to do.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from .checks.quotes import QUOTE_PROBLEMS, QuoteCheck
from .findings import Finding, problem_of
from .report import (
    BACKGROUND_PROBLEM,
    OPINION_PROBLEM,
    ClaimKind,
    Problem,
    ProblemKind,
    Report,
    SentenceResult,
    Severity,
    Verdict,
)
from .wordlists import entries

# Triage's own kinds; every other kind is declared by the check that finds it (checks/, report.py).
CREDITED_ELSEWHERE = ProblemKind.declare(
    "claim credited to a source not supplied", Severity.CHECK, "claims credited to sources not supplied", rank=140
)
CLAIM_NOT_FOUND = ProblemKind.declare("claim in no source", Severity.CHECK, "claims in no source", rank=170)
DROPPED_QUALIFIER = ProblemKind.declare("dropped qualifier", Severity.CHECK, "dropped qualifiers", rank=180)
_SEVERITY_RANK = {severity: rank for rank, severity in enumerate(Severity)}


def _phrases(section: str) -> re.Pattern[str]:
    # Longest first, so that "in stark contrast" is one cue, not "stark" and a remainder.
    listed = sorted(entries("commentary", section), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(p) for p in listed) + r")(?![\w-])", re.IGNORECASE)


_EVALUATIVE = _phrases("evaluative")
_INTERPRETIVE = _phrases("interpretive")
_BACKGROUND = _phrases("background")
_FUTURE = _phrases("future")
_PAST_PERFECT = re.compile(r"\bhad\s+(?:(?:long|already|once|previously|\w+ly)\s+)?(?:been|\w{2,}ed)\b", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(?:1[89]|20)\d\d(?!\d)")


@dataclass(frozen=True)
class ClaimReading:
    """What the wording of an outlet sentence says it is, and the words that say so."""

    kind: ClaimKind
    cues: tuple[str, ...] = ()


def years_in(texts: Iterable[str]) -> frozenset[str]:
    """The years the sources mention: a year they share is part of the news, not background."""
    return frozenset(y for text in texts for y in _YEAR.findall(text))


def read_claim(
    text: str, *, quoted: Sequence[tuple[int, int]] = (), source_years: frozenset[str] = frozenset()
) -> ClaimReading:
    """Whether a sentence reads as a claim, as opinion or as background, from its own words outside quotation marks.

    quoted: stretches of the sentence inside quotation marks (sentence offsets): the quoted person's
    words, which are checked as a quote, not read as the writer's judgement.
    """
    plain = list(text)
    for start, end in quoted:
        plain[start:end] = " " * (end - start)
    outside = "".join(plain)
    opinion = [m.group() for pattern in (_EVALUATIVE, _INTERPRETIVE) for m in pattern.finditer(outside)]
    past = [m.group() for m in _BACKGROUND.finditer(outside)] + [m.group() for m in _PAST_PERFECT.finditer(outside)]
    if not _FUTURE.search(outside):
        past += [y for y in _YEAR.findall(outside) if y not in source_years]
    if not opinion and not past:
        return ClaimReading(ClaimKind.CLAIM)
    kind = ClaimKind.BACKGROUND if len(past) >= len(opinion) else ClaimKind.OPINION
    return ClaimReading(kind, tuple(dict.fromkeys(cue.lower() for cue in (*past, *opinion))))


def triage(
    sentences: Sequence[SentenceResult], readings: Sequence[ClaimReading], quotes: Sequence[QuoteCheck]
) -> tuple[Problem, ...]:
    """Every problem of the comparison, worst first: by severity, then kind, then place in the outlet."""
    problems: list[Problem] = []
    quoted: set[int] = set()  # sentences a listed quotation runs through: the quote is their problem
    starts = [s.start for s in sentences]  # in order: each quote's sentences are found by bisection
    for quote in quotes:
        kind = QUOTE_PROBLEMS.get(quote.status)
        first = bisect.bisect_right(starts, quote.start) - 1
        if kind is None or first < 0 or quote.start >= sentences[first].end:
            continue
        where = (sentences[first].index, quote.start, quote.end, quote.text)
        problems.append(_problem(kind, *where, quote_detail(quote), rests_on=quote.credited_elsewhere or ""))
        last = bisect.bisect_left(starts, quote.end)
        quoted |= {s.index for s in sentences[first:last]}
    for sentence, reading in zip(sentences, readings, strict=True):
        own = [_finding_problem(sentence.index, f) for f in sentence.contradictions]
        if sentence.credited_to:
            own.append(
                _problem(
                    CREDITED_ELSEWHERE,
                    sentence.index,
                    sentence.start,
                    sentence.end,
                    sentence.text,
                    f"credited to {sentence.credited_to}, which is not among the sources: compare it with that source",
                    label=f"claim credited to {sentence.credited_to}",
                    rests_on=sentence.credited_to,
                )
            )
        for q in sentence.dropped_qualifiers:
            own.append(
                _problem(
                    DROPPED_QUALIFIER,
                    sentence.index,
                    sentence.start,
                    sentence.end,
                    sentence.text,
                    f'{q.source} says "{q.text}", which the sentence leaves out',
                )
            )
        if sentence.verdict is Verdict.UNSUPPORTED and not own and sentence.index not in quoted:
            own.append(_unbacked(sentence, reading))
        if sentence.credited_to:  # its claim is that source's: what is found in it waits on that source's text
            own = [replace(p, rests_on=sentence.credited_to) for p in own]
        problems.extend(own)
    ordered = sorted(problems, key=lambda p: (_SEVERITY_RANK[p.severity], p.kind.rank, p.sentence, p.start))
    # Those resting on one source not supplied stand together, where the worst of them stands.
    groups: dict[str, list[Problem]] = {}
    for p in ordered:
        groups.setdefault(p.rests_on or f"\0{len(groups)}", []).append(p)
    return tuple(p for group in groups.values() for p in group)


def quote_detail(quote: QuoteCheck) -> str:
    """The quote ledger's reason without its status word, which the problem's kind says."""
    head, sep, rest = quote.reason.partition(": ")
    return rest if sep and head.replace(" ", "_") == quote.status.value else quote.reason


def _problem(
    kind: ProblemKind,
    sentence: int,
    start: int,
    end: int,
    text: str,
    detail: str,
    *,
    label: str = "",
    rests_on: str = "",
) -> Problem:
    return Problem(kind, kind.severity, sentence, start, end, text, detail, label, rests_on)


def _finding_problem(sentence: int, f: Finding) -> Problem:
    kind, detail = problem_of(f)  # as the check that found it declares (findings.FindingKind)
    return _problem(kind, sentence, f.outlet_start, f.outlet_end, f.outlet_text, detail)


def _unbacked(sentence: SentenceResult, reading: ClaimReading) -> Problem:
    cues = ", ".join(f'"{c}"' for c in reading.cues[:3])
    if reading.kind is ClaimKind.OPINION:
        kind, detail = OPINION_PROBLEM, f"reads as the outlet's judgement ({cues})"
    elif reading.kind is ClaimKind.BACKGROUND:
        kind, detail = BACKGROUND_PROBLEM, f"reads as background ({cues})"
    else:
        kind, detail = CLAIM_NOT_FOUND, "no source says this: find where it comes from"
    return _problem(kind, sentence.index, sentence.start, sentence.end, sentence.text, detail)


def plural(n: int, one: str, many: str | None = None) -> str:
    """``n`` and the word for it: "1 outlet sentence", "2 outlet sentences" (many: when not one + "s")."""
    return f"{n} {one if n == 1 else many or one + 's'}"


def headline(report: Report) -> str:
    """The report's first line: what to check, worst first; then the commentary, counted apart."""
    urgent = report.problems_to_check()
    context = [p for p in report.context_problems() if p.kind.commentary]
    if urgent:
        labels = Counter(p.title for p in urgent)
        plurals = {p.title: _plural_label(p) for p in urgent}
        parts = [f"{n} {label if n == 1 else plurals[label]}" for label, n in labels.items()]
        line = f"{len(urgent)} to check: " + ", ".join(parts)
    else:
        line = "nothing to check: no contradiction, misquote or unsourced claim found"
    if context:
        line += "; " + plural(len(context), "sentence", "sentences") + " of opinion or background, not checkable"
    return line


def _plural_label(problem: Problem) -> str:
    if problem.kind is CREDITED_ELSEWHERE and problem.label:
        return "claims" + problem.label.removeprefix("claim")
    return problem.kind.plural
