"""Names: entities, titles and aliases, a claim's name where the evidence has another, and names in no source.

A name, title or value of a closed kind (colour, gender: data/opposites.txt) is a contradiction
where the evidence has another in the same context; a name that no source has at all is a
difference. A capital or a demonym stands for its country ("Beijing" for "China").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType

from ..findings import Finding, FindingType
from ..lexicon import STOPWORDS, Token, TokenKind, stem, tokenize
from ..memo import scoped
from ..resources import Resources
from ..wordlists import entries, words
from .context import CONTRADICTION, DIFFERENCE, MIN_SHARED_CONTEXT, Side, has_key, same_key, shared_context, side_of
from .dates import MONTH_AND_DAY

# Other names of the places news writes about most (a capital or a demonym stands for its country)
# and the titles that stand before names: data/lexicon/aliases.txt and titles.txt.
ALIASES: Mapping[str, int] = MappingProxyType(
    {word: group for group, line in enumerate(entries("aliases")) for word in line.split()}
)
# A title only ever stands in for another title.
TITLES = words("titles", "before_name")


def is_title(token: Token) -> bool:
    """Whether a token is a title ("President", "Gov.")."""
    return token.text.lower().rstrip(".") in TITLES


def name_like(side: Side, i: int, known_names: set[str] | None = None) -> bool:
    """A name token: capitalised inside the sentence, or a first word other texts write capitalised."""
    t = side.tokens[i]
    if t.kind is TokenKind.NAME:
        return t.text.lower().rstrip(".") not in MONTH_AND_DAY
    if t.kind is TokenKind.WORD and t.text[:1].isupper() and t.text.lower() not in STOPWORDS:
        if known_names is not None and t.key in known_names:
            return True
        # The first word of "Mark Carney said" is a name the tokenizer cannot tell from "Officials".
        nxt = side.tokens[i + 1] if i + 1 < len(side.tokens) else None
        return nxt is not None and nxt.kind is TokenKind.NAME and side.text[t.end : nxt.start] == " "
    return False


def alias_group(word: str) -> int | None:
    """The alias group of a place word ("Beijing", "Chinese": China's), if it has one."""
    return ALIASES.get(re.sub(r"[^a-z]", "", word.lower()))


def _name_attested(token: Token, keys: set[str], aliases: set[int]) -> bool:
    if has_key(token.key, keys):
        return True
    group = alias_group(token.text)
    return group is not None and group in aliases


def side_aliases(side: Side) -> set[int]:
    """The alias groups of the places a side names, including two-word names ("United States")."""
    out = {g for t in side.tokens if (g := alias_group(t.text)) is not None}
    words = [re.sub(r"[^a-z]", "", t.text.lower()) for t in side.tokens]
    for a, b in zip(words, words[1:], strict=False):  # "United States", "New Delhi"
        if (g := ALIASES.get(a + b)) is not None:
            out.add(g)
    return out


def entity_findings(claim: str, evidence: Sequence[str], *, resources: Resources, best: int = 0) -> list[Finding]:
    """A name, title or closed-class value of the claim where the evidence has another in its place."""
    c_side = side_of(claim)
    e_sides = [side_of(e) for e in evidence]
    ev_keys = {t.key for s in e_sides for t in s.tokens if t.is_content}
    ev_aliases = set().union(*(side_aliases(s) for s in e_sides)) if e_sides else set()
    claim_keys = {t.key for t in c_side.tokens if t.is_content}
    claim_aliases = side_aliases(c_side)
    known = {t.key for s in e_sides for t in s.tokens if t.kind is TokenKind.NAME}
    exclusive = resources.opposites.exclusive
    out: list[Finding] = []
    for i, t in enumerate(c_side.tokens):
        value_kind = exclusive.get(t.key)
        is_name = name_like(c_side, i, known)
        if not (is_name or value_kind):
            continue
        if t.kind is TokenKind.NUMBER:
            continue
        if is_title(t) and not value_kind:
            # A title is the person's: "President" elsewhere in the evidence does not make He Lifeng one.
            if _title_attested(c_side, i, e_sides, known):
                continue
        elif _name_attested(t, ev_keys, ev_aliases):
            continue
        if (
            i + 1 < len(c_side.tokens)
            and ALIASES.get(re.sub(r"[^a-z]", "", (t.text + c_side.tokens[i + 1].text).lower())) in ev_aliases
        ):
            continue  # "United States" for "U.S.A." ("States" is a stopword to the tokenizer)
        title = is_title(t)
        best_pair: tuple[int, int, int] | None = None  # (shared, k, j)
        for k, side in enumerate(e_sides):
            for j, u in enumerate(side.tokens):
                if value_kind:
                    if u.key not in value_kind or has_key(u.key, claim_keys):
                        continue
                else:
                    if not name_like(side, j, known) or is_title(u) != title or u.kind is TokenKind.NUMBER:
                        continue
                    if _name_attested(u, claim_keys, claim_aliases) or u.text.lower() in MONTH_AND_DAY:
                        continue
                shared = shared_context(c_side, i, side, j)
                need = 1 if (k == best and value_kind) else MIN_SHARED_CONTEXT
                if shared >= need and (best_pair is None or shared > best_pair[0]):
                    best_pair = (shared, k, j)
        if best_pair is None:
            continue
        _, k, j = best_pair
        cs, ce = _phrase(c_side, i, known) if not value_kind else (t.start, t.end)
        u = e_sides[k].tokens[j]
        es, ee = _phrase(e_sides[k], j, known) if not value_kind else (u.start, u.end)
        out.append(
            Finding(
                FindingType.ENTITY,
                CONTRADICTION,
                claim[cs:ce],
                cs,
                ce,
                k,
                evidence[k][es:ee],
                es,
                ee,
                "another value" if value_kind else "another name",
            )
        )
    return out


def _title_attested(claim: Side, i: int, evidence: Sequence[Side], known: set[str]) -> bool:
    """Whether the evidence gives this title to the person it stands before (or has it with no person)."""
    title = claim.tokens[i]
    names = _titled(claim, i)
    for side in evidence:
        for j, u in enumerate(side.tokens):
            if not same_key(u.key, title.key):
                continue
            if not names:
                return True
            if any(has_key(k, names) for k in _titled(side, j)):
                return True
    return False


def _titled(side: Side, i: int) -> set[str]:
    """Keys of the name a title stands before ("Premier He Lifeng": "he", "lifeng"), titles skipped."""
    keys: set[str] = set()
    for t in side.tokens[i + 1 : i + 5]:
        if is_title(t):
            continue
        if t.kind is TokenKind.NAME or (t.text[:1].isupper() and t.kind is TokenKind.STOP):  # "He" of "He Lifeng"
            keys.add(t.key)
        else:
            break
    return keys


def _phrase(side: Side, i: int, known: set[str]) -> tuple[int, int]:
    """Character span of the run of name tokens around token i ("Vice Premier Han Zheng")."""
    a = b = i

    def joined(x: int) -> bool:  # tokens x and x + 1 stand next to each other, only spaces between
        return side.text[side.tokens[x].end : side.tokens[x + 1].start].strip() == ""

    while a > 0 and name_like(side, a - 1, known) and joined(a - 1):
        a -= 1
    while b + 1 < len(side.tokens) and name_like(side, b + 1, known) and joined(b):
        b += 1
    return side.tokens[a].start, side.tokens[b].end


def unknown_name_findings(claim: str, in_sources: Callable[[str], bool]) -> list[Finding]:
    """Names of the claim that appear in no source at all (a difference: the claim adds them)."""
    side = side_of(claim)
    out: list[Finding] = []
    i = 0
    while i < len(side.tokens):
        t = side.tokens[i]
        if (
            t.kind is not TokenKind.NAME
            or is_title(t)
            or t.text.lower().rstrip(".") in MONTH_AND_DAY
            or in_sources(t.text)
        ):
            i += 1
            continue
        s, e = _phrase(side, i, set())
        if i + 1 < len(side.tokens) and claim[t.end : side.tokens[i + 1].start] == " ":
            e = max(e, side.tokens[i + 1].end)  # "United States": "States" is a stopword to the tokenizer
        if in_sources(claim[s:e]):  # a name of several words the sources write otherwise ("United States")
            i = next((k for k in range(i, len(side.tokens)) if side.tokens[k].start >= e), len(side.tokens))
            continue
        j = i  # the run of neighbouring names that no source has ("Mexican" of "London Mexican embassy")
        while (
            j + 1 < len(side.tokens)
            and side.tokens[j + 1].kind is TokenKind.NAME
            and not in_sources(side.tokens[j + 1].text)
            and claim[side.tokens[j].end : side.tokens[j + 1].start] == " "
        ):
            j += 1
        s, e = t.start, side.tokens[j].end
        if not any(f.outlet_text == claim[s:e] for f in out):
            out.append(
                Finding(FindingType.ENTITY, DIFFERENCE, claim[s:e], s, e, -1, "(in no source)", 0, 0, "in no source")
            )
        i = j + 1
    return out


def name_phrases(side: Side, known: set[str]) -> list[tuple[int, int, set[str], set[int]]]:
    """Runs of name tokens: (first token, last token, their keys, their alias groups), titles left out."""
    out = []
    i = 0
    while i < len(side.tokens):
        if not name_like(side, i, known) or is_title(side.tokens[i]):
            i += 1
            continue
        j = i
        while j + 1 < len(side.tokens) and name_like(side, j + 1, known) and not is_title(side.tokens[j + 1]):
            j += 1
        toks = side.tokens[i : j + 1]
        out.append((i, j, {t.key for t in toks}, {g for t in toks if (g := alias_group(t.text)) is not None}))
        i = j + 1
    return out


@scoped
def name_index(text: str) -> Callable[[str], bool]:
    """A lookup of the names a text contains: by key, by stem family, and by alias ("London" for "U.K.")."""
    side = side_of(text)
    keys = {t.key for t in side.tokens if t.kind is not TokenKind.STOP} | {stem(t.text.lower()) for t in side.tokens}
    aliases = side_aliases(side)
    prefixes = {k[:4] for k in keys if len(k) >= 4}

    def contains(name: str) -> bool:
        token = tokenize(name)
        if not token:
            return True
        whole = ALIASES.get(re.sub(r"[^a-z]", "", name.lower()))
        if whole is not None and whole in aliases:  # "United States" for "U.S.A."
            return True
        t = token[0]
        if t.key in keys or stem(t.text.lower()) in keys:
            return True
        group = alias_group(t.text)
        if group is not None and group in aliases:
            return True
        return t.key[:4] in prefixes and has_key(t.key, keys)

    return contains
