"""Modality: certainty or commitment strengthened ("may" -> "will", "discussed" -> "agreed") or weakened.

Both modal words occur: a dropped "reportedly" is a dropped qualifier (coverage.py). Such a finding is
a difference, not a contradiction: the claim says more (or less) than its evidence, not something else.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from ..findings import Finding, FindingKind, FindingType, ProblemKind, Severity, declare_finding
from ..lexicon import Token, stem
from ..wordlists import entries, integers, words
from .context import DIFFERENCE, REACH, Side, clause_break, has_key, side_of

# Modality cues, from weakest (0, possibility) to strongest (2, commitment): data/lexicon/modality.txt.
# A side's level is that of its weakest cue scoped over the words both sides share; an unmarked
# assertion is level 3. Auxiliaries and adverbs are looked up as written, verbs by stem (so
# "forecasted" finds "forecast").
_MODAL_WORDS = integers("modality", "words")
_MODAL_STEMS = integers("modality", "stems")
# Cues that count only before a particle: "set to", "looking to/forward to/ahead to" (an intention).
_MODAL_BEFORE: Mapping[str, tuple[frozenset[str], int]] = MappingProxyType(
    {
        stem_: (frozenset(particles), int(level))
        for stem_, level, *particles in map(str.split, entries("modality", "before_particle"))
    }
)


STRENGTHENED = "strengthened"  # the details of a modality finding
WEAKENED = "weakened"


def _modal_level(side: Side, i: int) -> int | None:
    t = side.tokens[i]
    word = t.text.lower()
    if word == "may" and t.text[0] == "M" and i > 0:
        return None  # the month
    if word in _MODAL_WORDS:
        return _MODAL_WORDS[word]
    key = stem(word)
    if key in _MODAL_BEFORE:
        particles, level = _MODAL_BEFORE[key]
        nxt = side.tokens[i + 1].text.lower() if i + 1 < len(side.tokens) else ""
        return level if nxt in particles else None
    return _MODAL_STEMS.get(key)


# Deliberation is weaker than decision, but only compared with one: "discussed" vs "talked about"
# is a paraphrase, "discussed" vs "agreed" is not.
_DELIBERATION = words("modality", "deliberation")
_DECISION = words("modality", "decision")


def _modal_cues(side: Side, other: Side) -> list[tuple[int, Token]]:
    """Modality cues scoped over a word the other side also says: (level, cue)."""
    other_keys = {t.key for t in other.tokens if t.is_content}
    cues: list[tuple[int, Token]] = []
    for i, t in enumerate(side.tokens):
        level = _modal_level(side, i)
        if level is None:
            continue
        reached = 0
        for j in range(i + 1, len(side.tokens)):
            u = side.tokens[j]
            if clause_break(side.text[side.tokens[j - 1].end : u.start]):
                break
            if u.is_content and _modal_level(side, j) is None:
                if has_key(u.key, other_keys):
                    cues.append((level, t))
                    break
                reached += 1
                if reached >= REACH:
                    break
    return cues


def modality_findings(claim: str, evidence: str) -> list[Finding]:
    """Certainty or commitment of the claim stronger or weaker than its evidence's, over what both say."""
    c_side, e_side = side_of(claim), side_of(evidence)
    found: list[Finding] = []
    c_words = {t.text.lower() for t in c_side.tokens}
    e_words = {t.text.lower() for t in e_side.tokens}
    # Deliberation vs decision ("discussed" vs "agreed").
    c_delib = [t for t in c_side.tokens if t.text.lower() in _DELIBERATION]
    c_decis = [t for t in c_side.tokens if t.text.lower() in _DECISION]
    e_delib = [t for t in e_side.tokens if t.text.lower() in _DELIBERATION]
    e_decis = [t for t in e_side.tokens if t.text.lower() in _DECISION]
    if c_decis and e_delib and not e_decis and not (c_words & _DELIBERATION & e_words):
        c, e = c_decis[0], e_delib[0]
        return [
            Finding(FindingType.MODALITY, DIFFERENCE, c.text, c.start, c.end, 0, e.text, e.start, e.end, STRENGTHENED)
        ]
    if c_delib and e_decis and not c_decis:
        c, e = c_delib[0], e_decis[0]
        return [Finding(FindingType.MODALITY, DIFFERENCE, c.text, c.start, c.end, 0, e.text, e.start, e.end, WEAKENED)]
    c_cues, e_cues = _modal_cues(c_side, e_side), _modal_cues(e_side, c_side)
    c_level = min((lvl for lvl, _ in c_cues), default=3)
    e_level = min((lvl for lvl, _ in e_cues), default=3)
    if c_level == e_level:
        return found
    c_cue = min(c_cues, key=lambda x: x[0])[1] if c_cues else None
    e_cue = min(e_cues, key=lambda x: x[0])[1] if e_cues else None
    # A changed certainty names two modal words that both occur ("will" where the source says "may"): a
    # hedge left out altogether ("reportedly") is a dropped qualifier (coverage.py), not a modal word.
    if c_cue is None or e_cue is None:
        return found
    if stem(e_cue.text.lower()) in {stem(w) for w in c_words}:
        return found  # the claim keeps the evidence's hedge (and adds another word of its own)
    # A claim may state an intention as "plans" or "is looking to": only a claim as weak as a
    # possibility ("may", "hopes") where the evidence commits or asserts counts as weakened.
    if c_level > e_level and e_level <= 1:
        moved = STRENGTHENED
    elif c_level < e_level and c_level == 0:
        moved = WEAKENED
    else:
        return found
    c, e = c_cue, e_cue
    found.append(Finding(FindingType.MODALITY, DIFFERENCE, c.text, c.start, c.end, 0, e.text, e.start, e.end, moved))
    return found


# What this check's findings are, read by triage, the verdict and so every renderer (findings.FindingKind).
CHANGED_CERTAINTY = ProblemKind.declare("changed certainty", Severity.CHECK, "changes of certainty", rank=110)
declare_finding(FindingKind(FindingType.MODALITY, slot="certainty", contradiction=CHANGED_CERTAINTY))
for _detail in (STRENGTHENED, WEAKENED):
    declare_finding(
        FindingKind(
            FindingType.MODALITY,
            _detail,
            difference=CHANGED_CERTAINTY,
            detail_in_reason=True,
            detail_in_problem=True,
            # a certainty the sources do not give is a claim they do not make (a weakened one they do make)
            not_made=_detail == STRENGTHENED,
        )
    )
