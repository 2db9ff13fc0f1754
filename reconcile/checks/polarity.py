"""Polarity: a flipped negation over a word both sides say, or a swap of opposite words.

A negation cue ("not", "never", "without", "failed to", "denied") denies the first content word
after it in its clause. Opposites (agree/reject, rise/fall) come from data/opposites.txt first, then
from WordNet's antonyms; a negated opposite ("did not reject" / "accepted") is no contradiction.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..findings import CONTRADICTION_PROBLEM, Finding, FindingKind, FindingType, declare_finding
from ..lexicon import Token, TokenKind, noun_context, stem
from ..resources import Resources
from ..wordlists import words
from .context import CONTRADICTION, MIN_SHARED_CONTEXT, Side, clause_break, same_key, shared_context, side_of

# Cues that negate what follows besides the lexicon's NEGATIONS (no, not, never, without, n't ...).
_NEGATING_STEMS = words("negations", "stems")
_NOT_NEGATING = re.compile(
    r"\b(?:not\s+only|not\s+just|not\s+least|no\s+doubt|no\s+less|no\s+sooner|nothing\s+but|"
    r"never\s+before|not\s+until|no\.?\s*\d|"  # "no. 1" is a number
    r"(?:can['’]t|cannot|couldn['’]t|(?:can|could)\s+not)\s+wait\b)",  # "can't wait": eager, not denying
    re.IGNORECASE,
)


def _polarity(side: Side) -> dict[int, int]:
    """For each content word, how many negation cues deny it.

    A cue denies the first content word after it in its clause, adverbs skipped ("did not
    immediately confirm"): in "has not stopped Klopp, who will leave", "not" denies "stopped", not
    "leave" nor "Klopp".
    """
    text = side.text
    blocked = [(m.start(), m.end()) for m in _NOT_NEGATING.finditer(text)]
    counts: dict[int, int] = {}
    for i, t in enumerate(side.tokens):
        cue = t.kind is TokenKind.NEGATION or (t.kind is TokenKind.WORD and t.key in _NEGATING_STEMS)
        if not cue or any(a <= t.start < b for a, b in blocked):
            continue
        denied = False
        for j in range(i + 1, len(side.tokens)):
            u = side.tokens[j]
            if clause_break(text[side.tokens[j - 1].end : u.start]) or u.kind is TokenKind.NEGATION:
                break
            if not u.is_content or _is_adverb(u):
                continue
            if denied and side.tokens[j - 1].text.lower() != "to":
                break
            counts[j] = counts.get(j, 0) + 1
            denied = True
            # The denial carries through an infinitive: "not looking ahead to filing" denies the filing.
            if not (
                j + 1 < len(side.tokens)
                and any(
                    side.tokens[k].text.lower() == "to"
                    for k in range(j + 1, min(len(side.tokens), j + 3))
                    if all(_is_adverb(side.tokens[m]) for m in range(j + 1, k))
                )
            ):
                break
    return counts


# Words a negation reaches across to the word it denies ("did not immediately confirm").
_ADVERBS = words("negations", "skipped")


def _is_adverb(token: Token) -> bool:
    word = token.text.lower()
    return token.kind is TokenKind.WORD and (word.endswith("ly") or word in _ADVERBS)


def _cue(side: Side, j: int) -> Token:
    """The negation cue nearest before token j."""
    for i in range(j - 1, -1, -1):
        t = side.tokens[i]
        if t.kind is TokenKind.NEGATION or (t.kind is TokenKind.WORD and t.key in _NEGATING_STEMS):
            return t
    return side.tokens[j]


_RELATIVE = frozenset({"that", "which", "who"})


def _describes(side: Side, i: int) -> bool:
    """Whether word i opens a relative clause ("the ban that closed ..."): it describes a noun, and what the
    sentence says is done to that noun, not this word's act."""
    return i > 0 and side.tokens[i - 1].text.lower() in _RELATIVE and i > 1 and side.tokens[i - 2].is_content


def negation_findings(claim: str, evidence: str) -> list[Finding]:
    """A word both sides say that one side negates and the other does not."""
    c_side, e_side = side_of(claim), side_of(evidence)
    c_pol, e_pol = _polarity(c_side), _polarity(e_side)
    for i in c_side.content:
        t = c_side.tokens[i]
        if t.kind is not TokenKind.WORD or t.key in _NEGATING_STEMS:
            continue  # a name or a number is not what a "not" denies
        matches = [j for j in e_side.content if same_key(t.key, e_side.tokens[j].key)]
        if not matches:
            continue
        mine = c_pol.get(i, 0) % 2
        theirs = {e_pol.get(j, 0) % 2 for j in matches}
        if len(theirs) != 1 or mine in theirs:
            continue  # the evidence says it both ways, or the same way
        if mine:
            cue = _cue(c_side, i)
            return [
                Finding(
                    FindingType.NEGATION,
                    CONTRADICTION,
                    cue.text,
                    cue.start,
                    cue.end,
                    0,
                    "(no negation)",
                    0,
                    len(evidence),
                )
            ]
        cue = _cue(e_side, matches[0])
        return [
            Finding(
                FindingType.NEGATION, CONTRADICTION, "(no negation)", 0, len(claim), 0, cue.text, cue.start, cue.end
            )
        ]
    return []


OPPOSITE = "opposite"  # the detail of an opposite word in the claim's slot


def opposite_findings(claim: str, evidence: Sequence[str], *, resources: Resources, best: int = 0) -> list[Finding]:
    """A word of the claim whose opposite stands in its place in the evidence (polarity taken into account)."""
    table = resources.opposites.negation
    c_side = side_of(claim)
    c_pol = _polarity(c_side)
    c_keys = {t.key for t in c_side.tokens}
    e_sides = [side_of(e) for e in evidence]
    e_keys = {t.key for s in e_sides for t in s.tokens}
    lexical = resources.wordnet
    c_nouns, e_nouns = noun_context(claim), [noun_context(e) for e in evidence]
    for i, t in enumerate(c_side.tokens):
        others = table.get(t.key) or table.get(stem(t.text)) or frozenset()
        if t.key in e_keys or not (others or (lexical is not None and t.kind is TokenKind.WORD)):
            continue
        for k, side in enumerate(e_sides):
            e_pol = _polarity(side)
            for j, u in enumerate(side.tokens):
                if u.key in c_keys:
                    continue
                # The data file first (it knows news usage); WordNet's antonyms for the rest.
                if u.key not in others and not (
                    lexical is not None
                    and t.kind is u.kind is TokenKind.WORD
                    and lexical.opposite(
                        t.text,
                        u.text,
                        claim_noun=t.start in c_nouns,
                        source_noun=u.start in e_nouns[k],
                    )
                ):
                    continue
                if (c_pol.get(i, 0) + e_pol.get(j, 0)) % 2:
                    continue  # "did not reject" / "accepted"
                if _describes(c_side, i) != _describes(side, j):
                    continue  # "lift the ban that closed the border": "closed" describes the ban, no act to deny
                need = 1 if k == best else MIN_SHARED_CONTEXT
                if shared_context(c_side, i, side, j) >= need:
                    return [
                        Finding(
                            FindingType.NEGATION,
                            CONTRADICTION,
                            t.text,
                            t.start,
                            t.end,
                            k,
                            u.text,
                            u.start,
                            u.end,
                            OPPOSITE,
                        )
                    ]
    return []


# What this check's findings are, read by triage, the verdict and so every renderer (findings.FindingKind).
declare_finding(
    FindingKind(FindingType.NEGATION, slot="opposite", contradiction=CONTRADICTION_PROBLEM, contradicts=True)
)
# Read through a lexicon of opposite words (data/opposites.txt, WordNet antonyms), which can misread a
# word's sense in context: it stands only where the judge agrees.
declare_finding(FindingKind(FindingType.NEGATION, OPPOSITE, needs_judge=True))
