"""What every slot check shares: the finding, a side's tokens, and the context that places a slot.

A slot of the claim is only compared with a slot of the evidence that stands in the same context:
the two share neighbouring content words. That keeps a "20" about casualties from being read
against a "35" about years in the same long source sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from ..findings import FindingSeverity
from ..lexicon import Token, same_family, tokenize
from ..memo import scoped

_T = TypeVar("_T")

CONTRADICTION = FindingSeverity.CONTRADICTION
DIFFERENCE = FindingSeverity.DIFFERENCE

# How far (in content words) a slot's context reaches on each side, and how many context words
# two slots must share to stand "in the same place" of claim and evidence.
REACH = 3
MIN_SHARED_CONTEXT = 2


@dataclass(frozen=True)
class Side:
    """The tokens of one side (claim or evidence sentence) and where its content words stand."""

    text: str
    tokens: tuple[Token, ...]
    content: tuple[int, ...]  # indices into tokens of the content tokens
    position: dict[int, int]  # token index -> position among the content tokens


@scoped
def side_of(text: str) -> Side:
    """The tokens of a text, with the positions of its content words."""
    tokens = tuple(tokenize(text))
    content = tuple(i for i, t in enumerate(tokens) if t.is_content)
    return Side(text, tokens, content, {i: p for p, i in enumerate(content)})


def same_key(a: str, b: str) -> bool:
    """Whether two keys name the same thing: equal, or stems of one family ("china"/"chines")."""
    return a == b or same_family(a, b)


def has_key(key: str, keys: Iterable[str]) -> bool:
    """Whether any of keys names the same thing as key."""
    return any(same_key(key, k) for k in keys)


def _context(side: Side, index: int, reach: int = REACH) -> set[str]:
    """Keys of the content words around a token (not the token itself)."""
    tokens = side.tokens
    # A stopword or number word stands where the next content word does.
    p = side.position.get(index, next((side.position[i] for i in side.content if i > index), len(side.content)))
    around = [side.content[q] for q in range(max(0, p - reach), min(len(side.content), p + reach + 1))]
    return {tokens[i].key for i in around if i != index}


def shared_context(claim: Side, i: int, evidence: Side, j: int) -> int:
    """How many context words a claim token and an evidence token have in common."""
    a, b = _context(claim, i), _context(evidence, j)
    return sum(1 for k in a if has_key(k, b))


def token_at(side: Side, offset: int) -> int:
    """Index of the token that covers (or first follows) a character offset."""
    for i, t in enumerate(side.tokens):
        if t.end > offset:
            return i
    return max(0, len(side.tokens) - 1)


def clause_break(text: str) -> bool:
    """Whether a stretch between two tokens crosses into another clause (punctuation, "but", "while" ...)."""
    return bool(re.search(r"[;:()—–]|,\s|\s-\s|--|\bbut\b|\bwhile\b|\bwhereas\b|\balthough\b|\bthough\b", text))


def slot_partner(
    claim: Side,
    offset: int,
    evidence: Sequence[str],
    best: int,
    options: Callable[[int], list[tuple[_T, int]]],
    *,
    elsewhere: int = MIN_SHARED_CONTEXT,
) -> tuple[int, _T] | None:
    """The evidence slot in the claim slot's place: the one sharing most context, the best sentence first.

    options(k) lists the candidate slots of evidence sentence k with their offsets. In the best
    sentence one shared context word places a slot; in another sentence it takes `elsewhere`.
    """
    ci = token_at(claim, offset)
    chosen: tuple[int, _T] | None = None
    top = 0
    order = [best] + [k for k in range(len(evidence)) if k != best]
    for k in order:
        side = side_of(evidence[k])
        for item, start in options(k):
            shared = shared_context(claim, ci, side, token_at(side, start))
            need = 1 if k == best else elsewhere
            if shared >= need and shared > top:
                chosen, top = (k, item), shared
    return chosen
