"""Typed slot checks: which number, date, name, role, polarity or modality of a claim differs from its evidence.

Similarity cannot see a changed number or a swapped name (they score as high as a paraphrase), so
these checks compare the *slots* of a claim with those of its evidence sentences, deterministically.
Each kind of slot has its module; this one runs them all and keeps one finding per stretch of the claim:

==========  =============  ===================================================================
number      quantities.py  quantities (numerals, number words, percentages, money, scale words,
                           time spans, ranges) with their approximation ("about", "more than"):
                           a mismatch only when no reading of the two overlaps
date        dates.py       years, months and days, weekdays (also against a full date, by the
                           calendar), quarters; relative dates ("yesterday") are not compared
negation    polarity.py    a polarity flip over a word both sides say ("not", "never", "without",
                           "failed to", "denied"), or a swap of opposite words (agree/reject,
                           rise/fall: data/opposites.txt)
entity      names.py       a name, title or value of a closed kind (colour, gender) where the
                           evidence has another in the same context; or a name no source has
role        roles.py       who did what to whom swapped ("Xi congratulated Trump" / "Trump
                           congratulated Xi")
modality    modality.py    certainty or commitment strengthened ("may" -> "will", "discussed" ->
                           "agreed", a dropped "reportedly") or weakened
==========  =============  ===================================================================

A slot of the claim is only compared with a slot of the evidence that stands in the same context
(context.py): the two share neighbouring content words. Everything is rule-based over the tokenizer
of lexicon.py, so the checks need no model; they are pure functions of the texts.

A finding is a contradiction (the claim says something else than its evidence) or a difference (a
strengthened claim, a name found in no source): the verdict makes a sentence with a contradiction
"contradicted" and one with a difference at most "partial".
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..findings import Finding
from ..memo import memo_scope
from ..resources import Resources
from ..settings import Settings
from .context import CONTRADICTION, DIFFERENCE
from .dates import DateMention, date_findings, dates
from .modality import modality_findings
from .names import entity_findings, name_index, unknown_name_findings
from .polarity import negation_findings, opposite_findings
from .quantities import Quantity, number_findings, quantities
from .roles import role_findings

__all__ = [
    "CONTRADICTION",
    "DIFFERENCE",
    "DateMention",
    "Finding",
    "Quantity",
    "SlotCheck",
    "SlotInput",
    "check_slots",
    "date_findings",
    "dates",
    "entity_findings",
    "modality_findings",
    "name_index",
    "negation_findings",
    "number_findings",
    "opposite_findings",
    "quantities",
    "register_check",
    "role_findings",
    "unknown_name_findings",
]


@dataclass(frozen=True)
class SlotInput:
    """What a registered slot check reads: the claim, its evidence sentences and the shared resources."""

    claim: str
    evidence: Sequence[str]
    best: int  # evidence[best] backs most of the claim
    resources: Resources
    settings: Settings


SlotCheck = Callable[[SlotInput], list[Finding]]
# Slot checks a check module adds (register_check), by name, run after this module's own wherever the
# evidence backs enough of the claim for a differing slot to count (`aligned`).
_REGISTERED: dict[str, SlotCheck] = {}


def register_check(name: str, check: SlotCheck) -> SlotCheck:
    """Add a slot check (from its own module in checks/, which also declares its findings); returns it."""
    _REGISTERED[name] = check
    return check


def check_slots(
    claim: str,
    evidence: Sequence[str],
    *,
    resources: Resources,
    settings: Settings | None = None,
    best: int = 0,
    values: bool = True,
    aligned: bool = True,
    polarity: bool = True,
    in_sources: Callable[[str], bool] | None = None,
    context: Sequence[str] = (),
) -> list[Finding]:
    """Every typed finding of a claim against its evidence sentences.

    resources: the opposite words and WordNet's antonyms; settings: the approximation margin and the
    role reach. evidence[best] is the sentence that backs most of the claim. values, aligned and
    polarity say whether the evidence backs enough of the claim for a differing number or date, for
    another differing slot (name, role, modality), and for a flipped negation or an opposite word in
    that sentence to count rather than belong to another statement. in_sources tells whether a name
    appears anywhere in the sources (a name in none is a difference even without evidence).
    context: further text around the evidence (its neighbouring sentences) whose numbers and dates
    count as said, though never as a counterpart: a sentence splitter may have cut "1. 3 billion".
    """
    # Each check reads the same sentences (tokens, slots): memoised for this call, if the caller has not
    # opened a memo scope of its own (compare does, for a whole comparison).
    settings = settings or Settings()
    with memo_scope():
        findings: list[Finding] = []
        if evidence and values:
            findings += number_findings(
                claim, evidence, best=best, context=context, approximation=settings.approximation, dated=_date_spans
            )
            findings += date_findings(claim, evidence, best=best, context=context)
        if evidence and aligned:
            findings += entity_findings(claim, evidence, resources=resources, best=best, in_sources=in_sources)
            findings += role_findings(claim, evidence, reach=settings.role_reach)
            findings += [_at(f, best) for f in modality_findings(claim, evidence[best])]
            for extra in _REGISTERED.values():
                findings += extra(SlotInput(claim, evidence, best, resources, settings))
        if evidence and polarity:
            # An opposite word, like a flipped "not", denies a statement only where the one sentence that
            # backs the rest of the claim has it: "lift the ban that closed the border" says nothing
            # opposite to another sentence's "open the border".
            findings += [
                f
                for f in opposite_findings(claim, evidence, resources=resources, best=best)
                if f.evidence_index == best
            ]
            findings += [_at(f, best) for f in negation_findings(claim, evidence[best])]
        if in_sources is not None:
            wordnet = resources.wordnet
            common = wordnet.ordinary if wordnet is not None else None
            reported = {(f.outlet_start, f.outlet_end) for f in findings}
            findings += [
                f
                for f in unknown_name_findings(claim, in_sources, common=common)
                if not any(a < f.outlet_end and f.outlet_start < b for a, b in reported)
            ]
        return _dedupe(findings)


def _date_spans(text: str) -> list[tuple[int, int]]:
    return [(d.start, d.end) for d in dates(text)]


def _at(finding: Finding, index: int) -> Finding:
    return dataclasses.replace(finding, evidence_index=index)


def _dedupe(findings: list[Finding]) -> list[Finding]:
    out: list[Finding] = []
    # A finding that names its words ("rejected" vs "accepted") beats one about the whole sentence.
    for f in sorted(
        findings, key=lambda f: (f.severity != CONTRADICTION, f.outlet_text.startswith("("), f.outlet_start)
    ):
        if any(g.outlet_start < f.outlet_end and f.outlet_start < g.outlet_end for g in out):
            continue
        out.append(f)
    return out
