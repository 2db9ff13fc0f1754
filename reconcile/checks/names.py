"""Names: entities, titles and aliases, a claim's name where the evidence has another, and names in no source.

A name, title or value of a closed kind (colour, gender: data/opposites.txt) is a contradiction
where the evidence has another in the same context; a name that no source has at all is a
difference. A capital or a demonym stands for its country ("Beijing" for "China").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from types import MappingProxyType

from rapidfuzz import fuzz, process

from ..findings import Finding, FindingKind, FindingType, ProblemKind, Severity, declare_finding
from ..lexicon import STOPWORDS, Token, TokenKind, stem, tokenize
from ..memo import scoped
from ..quotation import quoted_ranges
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
# Titles that may name one office (data/lexicon/titles.txt): word -> its groups.
_OFFICES: Mapping[str, frozenset[int]] = MappingProxyType(
    {
        word: frozenset(g for g, line in enumerate(entries("titles", "same_office")) if word in line.split())
        for line in entries("titles", "same_office")
        for word in line.split()
    }
)


# The details of a name finding.
ANOTHER_NAME = "another name"
ANOTHER_VALUE = "another value"  # of a closed kind (a colour, a gender)
ANOTHER_TITLE = "another title"
ANOTHER_RANK = "another rank"
SPELLED_OTHERWISE = "spelled otherwise"
IN_NO_SOURCE = "in no source"


def _word_list(section: str) -> frozenset[str]:
    return frozenset(word for line in entries("names", section) for word in line.split())


# What kind of thing a name is, and the words that change a title's rank: data/lexicon/names.txt.
NATIONALITIES = _word_list("nationalities")
ORGANISATIONS = _word_list("organisations")
RANKS = _word_list("ranks")
# A name of the sources spelled this close to a claim's name is the same name misspelled ("Mark Vogel"
# for "Marc Fogel"): rapidfuzz's ratio, 0-100.
NEAR_MISS_RATIO = 75
NEAR_MISS_MIN_WORD = 6  # letters of a one-word name, at least


class NameKind(str, Enum):
    """What a name names: only names of one kind can stand in each other's place."""

    PERSON = "person"
    PLACE = "place"
    ORGANISATION = "organisation"
    NATIONALITY = "nationality"
    UNKNOWN = "unknown"


def bare(word: str) -> str:
    """A word as the name lists key it: lower case, no possessive, letters only ("Iran's" -> "iran")."""
    return re.sub(r"[^a-z]", "", re.sub(r"['’]s$", "", word.lower()))


def name_kind(side: Side, first: int, last: int) -> NameKind:
    """The kind of the name that tokens first..last of a side spell (titles included)."""
    tokens = side.tokens[first : last + 1]
    words = [bare(t.text) for t in tokens if not is_title(t)]
    if any(bare(t.text) in ORGANISATIONS for t in tokens):
        return NameKind.ORGANISATION
    if words and all(w in NATIONALITIES for w in words):
        return NameKind.NATIONALITY
    if any(w in ALIASES for w in words) or "".join(words) in ALIASES:
        return NameKind.PLACE
    if any(is_title(t) for t in tokens) or (first > 0 and is_title(side.tokens[first - 1])):
        return NameKind.PERSON
    return NameKind.UNKNOWN


def comparable(a: NameKind, b: NameKind) -> bool:
    """Whether a name of kind a can stand where the evidence has one of kind b ("American" never for "Putin")."""
    if NameKind.NATIONALITY in (a, b):
        return a == b
    return a == b or NameKind.UNKNOWN in (a, b)


def is_headline(side: Side) -> bool:
    """Title case ("Trump Speaks To Xi About Trade"): its capitals mark a headline, not names."""
    later = [t for t in side.tokens[1:] if t.text[:1].isalpha()]
    capital_function_words = sum(1 for t in later if t.kind is TokenKind.STOP and t.text[:1].isupper())
    capitals = sum(1 for t in later if t.text[:1].isupper())
    return len(later) >= 3 and capital_function_words >= 1 and capitals >= 0.7 * len(later)


def _describes_title(side: Side, i: int) -> bool:
    """A place or nationality that qualifies the title after it ("U.S. President", "China's President")."""
    return i + 1 < len(side.tokens) and is_title(side.tokens[i + 1]) and alias_group(side.tokens[i].text) is not None


def _title_words(side: Side, i: int, known: set[str]) -> tuple[frozenset[str], frozenset[str]]:
    """The rank words and the office words of the title run around token i: of "former Vice Premier He
    Lifeng", ({"former", "vice"}, {"premier"})."""
    a, b = _run(side, i, known)
    before = [side.tokens[a - 1]] if a > 0 else []
    words = [bare(t.text) for t in [*before, *side.tokens[a : b + 1]]]
    ranks = frozenset(w for w in words if w in RANKS)
    offices = frozenset(w for t, w in zip(side.tokens[a : b + 1], words[len(before) :], strict=True) if is_title(t))
    return ranks, offices - ranks


def _same_office(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two sets of title words may name one office (every word of one shares a group with the other)."""
    groups_a = set().union(*(_OFFICES.get(w, {w}) for w in a)) if a else set()
    groups_b = set().union(*(_OFFICES.get(w, {w}) for w in b)) if b else set()
    return bool(a & b) or bool(groups_a & groups_b)


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
    return ALIASES.get(bare(word))


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


def entity_findings(
    claim: str,
    evidence: Sequence[str],
    *,
    resources: Resources,
    best: int = 0,
    in_sources: Callable[[str], bool] | None = None,
) -> list[Finding]:
    """A name, title or closed-class value of the claim where the evidence has another in its place.

    A name contradicts only a name of its kind (person, place, organisation, nationality), and only
    when some source has it (in_sources): a name no source has is a thing to verify, which
    unknown_name_findings reports. Another title for the same person is to verify too, unless its rank
    differs ("Vice President" for "President").
    """
    c_side = side_of(claim)
    e_sides = [side_of(e) for e in evidence]
    ev_keys = {t.key for s in e_sides for t in s.tokens if t.is_content}
    ev_aliases = set().union(*(side_aliases(s) for s in e_sides)) if e_sides else set()
    claim_keys = {t.key for t in c_side.tokens if t.is_content}
    claim_aliases = side_aliases(c_side)
    known = {t.key for s in e_sides for t in s.tokens if t.kind is TokenKind.NAME}
    headline = is_headline(c_side)
    # A quoted title ("Maiden Heaven: A Tribute to Iron Maiden") capitalises its words as a headline does.
    titled = [(a, b) for a, b in quoted_ranges(claim, excerpt=True) if is_headline(side_of(claim[a:b]))]
    # An evidence headline capitalises every word too: its names are the ones written as names elsewhere,
    # or of a kind the name lists know (a nationality, a place, an organisation).
    e_headline = [is_headline(s) for s in e_sides]
    prose = [c_side, *(side for side, title_case in zip(e_sides, e_headline, strict=True) if not title_case)]
    named = {t.key for side in prose for t in side.tokens if t.kind is TokenKind.NAME}
    exclusive = resources.opposites.exclusive
    out: list[Finding] = []
    for i, t in enumerate(c_side.tokens):
        value_kind = exclusive.get(t.key)
        # A headline or a quoted title capitalises every word: only the names the evidence writes as names count.
        in_title = headline or any(a <= t.start < b for a, b in titled)
        is_name = name_like(c_side, i, known) and (not in_title or t.key in known)
        if not (is_name or value_kind):
            continue
        if t.kind is TokenKind.NUMBER:
            continue
        title = is_title(t)
        if title and not value_kind:
            # A title is the person's: "President" elsewhere in the evidence does not make He Lifeng one.
            if _title_attested(c_side, i, e_sides, known):
                continue
        elif _name_attested(t, ev_keys, ev_aliases):
            continue
        elif not value_kind and (_describes_title(c_side, i) or (in_sources is not None and not in_sources(t.text))):
            continue
        if (
            i + 1 < len(c_side.tokens)
            and ALIASES.get(re.sub(r"[^a-z]", "", (t.text + c_side.tokens[i + 1].text).lower())) in ev_aliases
        ):
            continue  # "United States" for "U.S.A." ("States" is a stopword to the tokenizer)
        kind = name_kind(c_side, *_run(c_side, i, known)) if not value_kind else NameKind.UNKNOWN
        best_pair: tuple[int, int, int] | None = None  # (shared, k, j)
        for k, side in enumerate(e_sides):
            for j, u in enumerate(side.tokens):
                if value_kind:
                    if u.key not in value_kind or has_key(u.key, claim_keys):
                        continue
                else:
                    if not name_like(side, j, known) or is_title(u) != title or u.kind is TokenKind.NUMBER:
                        continue
                    # A headline's capitals join no words into one name: each word is read alone.
                    run = (j, j) if e_headline[k] else _run(side, j, known)
                    if e_headline[k] and u.key not in named and name_kind(side, *run) is NameKind.UNKNOWN:
                        continue
                    if _name_attested(u, claim_keys, claim_aliases) or u.text.lower() in MONTH_AND_DAY:
                        continue
                    if not title and not comparable(kind, name_kind(side, *run)):
                        continue
                shared = shared_context(c_side, i, side, j)
                need = 1 if (k == best and value_kind) else MIN_SHARED_CONTEXT
                if shared >= need and (best_pair is None or shared > best_pair[0]):
                    best_pair = (shared, k, j)
        if best_pair is None:
            continue
        _, k, j = best_pair
        severity, detail = CONTRADICTION, ANOTHER_VALUE if value_kind else ANOTHER_NAME
        if title and not value_kind and has_key_any(_titled(c_side, i), _titled(e_sides[k], j)):
            # One person, two titles: both may be right ("President Xi", "Chairman Xi") when they may name
            # one office at one rank; "Vice Premier" for "Vice President" or "Vice President" for
            # "Secretary of State" is another office.
            (c_ranks, c_offices), (e_ranks, e_offices) = (
                _title_words(c_side, i, known),
                _title_words(e_sides[k], j, known),
            )
            if c_ranks != e_ranks:
                detail = ANOTHER_RANK
            elif _same_office(c_offices, e_offices):
                severity, detail = DIFFERENCE, ANOTHER_TITLE
            else:
                detail = ANOTHER_TITLE
        u = e_sides[k].tokens[j]
        # A value inside a name ("South" of "South China Sea") is the name's: the whole name is compared.
        whole = value_kind and t.text[:1].isupper() and _run(c_side, i, known) != (i, i)
        if whole:
            detail = ANOTHER_NAME
        cs, ce = _phrase(c_side, i, known) if not value_kind or whole else (t.start, t.end)
        es, ee = _phrase(e_sides[k], j, known) if not (value_kind or e_headline[k]) or whole else (u.start, u.end)
        out.append(Finding(FindingType.ENTITY, severity, claim[cs:ce], cs, ce, k, evidence[k][es:ee], es, ee, detail))
    return out


def has_key_any(a: set[str], b: set[str]) -> bool:
    """Whether two sets of name keys share a name."""
    return any(has_key(key, b) for key in a)


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


def _run(side: Side, i: int, known: set[str]) -> tuple[int, int]:
    """The first and last token of the run of name tokens around token i ("Vice Premier Han Zheng")."""
    a = b = i

    def joined(x: int) -> bool:  # tokens x and x + 1 stand next to each other, only spaces between
        return side.text[side.tokens[x].end : side.tokens[x + 1].start].strip() == ""

    while a > 0 and name_like(side, a - 1, known) and joined(a - 1):
        a -= 1
    while b + 1 < len(side.tokens) and name_like(side, b + 1, known) and joined(b):
        b += 1
    return a, b


_LINKS = re.compile(r"\s+(?:of|for)\s+(?:the\s+)?")  # "Ministry of Foreign Affairs", "Secretary of the Treasury"


def _phrase(side: Side, i: int, known: set[str]) -> tuple[int, int]:
    """Character span of the whole name around token i: its run of name tokens, and runs that "of" or "for"
    joins to it ("Ministry of Foreign Affairs" is one name, never "Foreign Affairs")."""
    a, b = _run(side, i, known)
    while b + 1 < len(side.tokens):
        gap = _LINKS.fullmatch(side.text, side.tokens[b].end, _next_name_start(side, b, known))
        if gap is None:
            break
        b = _run(side, _token_at(side, gap.end()), known)[1]
    while a > 0:
        before = _previous_run(side, a, known)
        if before is None or _LINKS.fullmatch(side.text, side.tokens[before[1]].end, side.tokens[a].start) is None:
            break
        a = before[0]
    return side.tokens[a].start, side.tokens[b].end


def _token_at(side: Side, pos: int) -> int:
    return next(k for k, t in enumerate(side.tokens) if t.start >= pos)


def _next_name_start(side: Side, b: int, known: set[str]) -> int:
    """Where the next name-like token after b starts, past "of" and "the" (its end: no such token)."""
    for k in range(b + 1, min(b + 4, len(side.tokens))):
        if name_like(side, k, known) and side.tokens[k].text[:1].isupper():
            return side.tokens[k].start
    return side.tokens[b].end


def _previous_run(side: Side, a: int, known: set[str]) -> tuple[int, int] | None:
    for k in range(a - 1, max(a - 4, -1), -1):
        if name_like(side, k, known) and side.tokens[k].text[:1].isupper():
            return _run(side, k, known)
    return None


def unknown_name_findings(
    claim: str, in_sources: Callable[[str], bool], *, common: Callable[[str], bool] | None = None
) -> list[Finding]:
    """Names of the claim that appear in no source at all (a difference: the claim adds them).

    A name the sources spell nearly the same ("Mark Vogel", "Marc Fogel") is reported with their
    spelling, when in_sources is a SourceNames. common: whether a word is an ordinary word (WordNet
    has it): in a headline, whose every word is capitalised, such a word is no name.
    """
    side = side_of(claim)
    headline = common is not None and is_headline(side)
    spelled = in_sources.spelled if isinstance(in_sources, SourceNames) else None
    out: list[Finding] = []
    i = 0
    while i < len(side.tokens):
        t = side.tokens[i]
        # The first word of "Mark Vogel was released" is a name the tokenizer cannot tell from "Officials".
        initial = i == 0 and t.kind is TokenKind.WORD and name_like(side, i)
        if (
            (t.kind is not TokenKind.NAME and not initial)
            or is_title(t)
            or t.text.lower().rstrip(".") in MONTH_AND_DAY
            or in_sources(t.text)
            or (headline and common is not None and common(t.text.lower()))
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
        near = None
        if spelled:
            # The whole name as written, its first word too ("Mark" of "Mark Vogel was released").
            ps, pe = _phrase(side, i, set())
            for a, b in ((min(ps, s), max(pe, e)), (s, e)):
                if near := spelled(claim[a:b]):
                    s, e = a, b
                    break
        if not any(f.outlet_text == claim[s:e] for f in out):
            if near:
                out.append(Finding(FindingType.ENTITY, DIFFERENCE, claim[s:e], s, e, -1, near, 0, 0, SPELLED_OTHERWISE))
            else:
                out.append(
                    Finding(FindingType.ENTITY, DIFFERENCE, claim[s:e], s, e, -1, "(in no source)", 0, 0, IN_NO_SOURCE)
                )
        i = j + 1
    return out


@dataclass(frozen=True)
class SourceNames:
    """Whether a name occurs in the sources (called as a function), and how they spell a name they nearly have.

    credited: names the outlet credits with words of a source whose speaker is not given; who
    speaks there is unknown, so such a name is neither confirmed nor in no source.
    """

    indexes: tuple[Callable[[str], bool], ...]
    names: tuple[str, ...]  # the names as the sources write them ("Marc Fogel")
    credited: frozenset[str] = frozenset()

    def __call__(self, name: str) -> bool:
        words = [bare(word) for word in name.split()]
        # "Donald Trump" where "Trump" is credited: the first name is the same person's, not a name to look up.
        if words and (all(word in self.credited for word in words) or (len(words) > 1 and words[-1] in self.credited)):
            return True
        return any(index(name) for index in self.indexes)

    def spelled(self, name: str) -> str | None:
        """The source's spelling of a name it has nearly the same, with as many words ("Marc Fogel")."""
        words = len(name.split())
        choices = [n for n in self.names if len(n.split()) == words and n.lower() != name.lower()]
        # One short word is too little to tell a misspelling from another word ("List", "Last").
        if len(name) < (4 if words > 1 else NEAR_MISS_MIN_WORD) or not choices:
            return None
        hit = process.extractOne(
            name.lower(), [c.lower() for c in choices], scorer=fuzz.ratio, score_cutoff=NEAR_MISS_RATIO
        )
        return choices[hit[2]] if hit else None


def source_names(texts: Sequence[str], credited: Sequence[str] = ()) -> SourceNames:
    """The names of the source texts (each with the source's name and speaker appended by the caller)."""
    phrases: dict[str, None] = {}
    for text in texts:
        side = side_of(text)
        for first, last, _, _ in name_phrases(side, set()):
            phrases[text[side.tokens[first].start : side.tokens[last].end]] = None
    words = frozenset(b for name in credited for word in name.split() if (b := bare(word)))
    return SourceNames(tuple(name_index(t) for t in texts), tuple(phrases), words)


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


# What this check's findings are, read by triage, the verdict and so every renderer (findings.FindingKind).
WRONG_NAME = ProblemKind.declare("wrong name", Severity.ERROR, "wrong names", rank=70)
WRONG_TITLE = ProblemKind.declare("wrong title", Severity.ERROR, "wrong titles", rank=80)
MISSPELLED_NAME = ProblemKind.declare("misspelled name", Severity.ERROR, "misspelled names", rank=100)
OTHER_TITLE = ProblemKind.declare("other title", Severity.CONTEXT, "other titles", rank=120)
NAME_NOT_FOUND = ProblemKind.declare("name in no source", Severity.CHECK, "names in no source", rank=160)
declare_finding(FindingKind(FindingType.ENTITY, slot="name", contradiction=WRONG_NAME))
declare_finding(
    FindingKind(
        FindingType.ENTITY,
        ANOTHER_TITLE,
        contradiction=WRONG_TITLE,
        difference=OTHER_TITLE,
        difference_wording='"{outlet}" where{where} says "{source}": another title for the same office',
        detail_in_reason=True,
        detail_in_problem=True,
    )
)
declare_finding(FindingKind(FindingType.ENTITY, ANOTHER_RANK, contradiction=WRONG_TITLE, detail_in_problem=True))
declare_finding(
    FindingKind(
        FindingType.ENTITY,
        SPELLED_OTHERWISE,
        difference=MISSPELLED_NAME,
        difference_wording='"{outlet}": the sources spell it "{source}"',
        unplaced_wording='{slot}: "{outlet}" (the sources spell it "{source}")',
    )
)
declare_finding(
    FindingKind(
        FindingType.ENTITY,
        IN_NO_SOURCE,
        difference=NAME_NOT_FOUND,
        difference_wording='"{outlet}" is named in no source',
    )
)
