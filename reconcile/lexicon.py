"""Words of a sentence as the checks see them: content tokens with offsets, stems, and weights.

Matching is by Snowball stem (snowballstemmer), so "discussing" backs "discussed"; names and numbers
weigh more than ordinary words because an added or changed name or number matters more to a reader.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from itertools import pairwise
from types import MappingProxyType

import snowballstemmer

from .memo import scoped
from .wordlists import entries, integers, numbers, words

# Function words carry no claim of their own; everything else is checked against the evidence.
STOPWORDS = words("stopwords") | words("attribution", "stopwords")

# After these (or a possessive) a noun phrase begins: its first word is no verb (noun_context).
DETERMINERS = words("determiners")

# Words that flip the polarity of a clause (a small, generic list; richer typing is a later check).
NEGATIONS = words("negations", "words")

# Outside a quotation, these mark a quoting sentence's words as who said it ("Trump wrote on X").
ATTRIBUTION_VERBS = words("attribution", "credit")
# "X said" before or after a quotation names its speaker (checks/quotes), in the file's order.
QUOTE_CUE_VERBS = entries("attribution", "quote_cue")
# With the quote cues, the verbs that credit a claim to someone ("CCTV reported": checks/credit).
REPORT_VERBS = entries("attribution", "reported")
# Where and how a source said it ("on Truth Social", "told reporters"): the source's own, no addition.
MEDIUM_PHRASES = entries("attribution", "medium")

CARDINALS = integers("numbers", "cardinals")  # zero .. nineteen
TENS = integers("numbers", "tens")  # twenty .. ninety
ORDINALS = integers("numbers", "ordinals")  # first .. twelfth
# What the tokenizer reads as a number: "one" and "first" too, though they are often no number at all.
NUMBER_WORDS: Mapping[str, float] = MappingProxyType(
    {
        **CARDINALS,
        **TENS,
        **numbers("numbers", "multipliers"),
        **{word: value for word, value in ORDINALS.items() if value <= 5},
    }
)

# Dotted acronyms (U.S., D.C.), numbers with separators, words with inner apostrophes or hyphens.
_TOKEN = re.compile(
    r"(?:[A-Za-z]\.){2,}"  # U.S. / U.S.A. / D.C.
    r"|\d+(?:[.,:]\d+)*(?:st|nd|rd|th|s)?%?"  # 1,000 / 3.5 / 2024 / 20% / 1990s / 21st
    r"|[^\W\d_]+(?:\[[^\W\d_]+\])?(?:['’][^\W\d_]+)*"  # words: don't, Xi's, solv[ing]
)
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)


class TokenKind(str, Enum):
    """What a token is to the checks: a content word, a name, a number, a function word or a negation."""

    WORD = "word"
    NAME = "name"
    NUMBER = "number"
    STOP = "stop"
    NEGATION = "negation"

    def __str__(self) -> str:  # formatted as its value, like the plain string it replaced
        return self.value


_WEIGHTS = {TokenKind.NAME: 2.0, TokenKind.NUMBER: 2.0, TokenKind.WORD: 1.0}
_CONTENT = frozenset({TokenKind.WORD, TokenKind.NAME, TokenKind.NUMBER})


@dataclass(frozen=True)
class Token:
    """One word of a sentence, with its offsets in the sentence and how it is matched."""

    text: str
    start: int
    end: int
    key: str  # what is compared: a stem, an acronym without dots, or a number's value
    kind: TokenKind

    @property
    def weight(self) -> float:
        return _WEIGHTS.get(self.kind, 0.0)

    @property
    def is_content(self) -> bool:
        return self.kind in _CONTENT


_STEMMER = snowballstemmer.stemmer("english")


@scoped
def stem(word: str) -> str:
    return str(_STEMMER.stemWord(word.lower()))


def number_value(text: str) -> str | None:
    """A canonical string for a numeral or number word ("1,000" -> "1000", "twenty" -> "20")."""
    raw = text.lower().rstrip("%")
    raw = re.sub(r"(st|nd|rd|th)$", "", raw) if raw[:1].isdigit() else raw
    if raw in NUMBER_WORDS:
        value = NUMBER_WORDS[raw]
        return f"{value:g}"
    if re.fullmatch(r"\d+(?:,\d{3})+", raw):
        return raw.replace(",", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", raw):
        # Not int(raw): Python refuses to convert more than 4,300 digits, and the canonical form of a whole
        # number is its digits without leading zeros.
        return f"{float(raw):g}" if "." in raw else (raw.lstrip("0") or "0")
    if re.fullmatch(r"\d+s", raw):  # decades: 1990s
        return raw
    return None


@scoped
def tokenize(sentence: str) -> tuple[Token, ...]:
    """Tokens of a sentence with offsets relative to it (memoised in a memo scope: the checks read it often)."""
    return tuple(_tokenize(sentence))


@scoped
def noun_context(sentence: str) -> frozenset[int]:
    """Where the words start that follow a determiner or a possessive ("the call", "Xi's call"): words
    read as nouns or adjectives there, not as verbs.

    A participle there is a verb's adjective ("the troubled company"), whose sense WordNet files under the verb.
    Memoised in a memo scope: every claim reads its candidate windows' again.
    """
    tokens = tokenize(sentence)
    return frozenset(
        t.start
        for before, t in pairwise(tokens)
        if (before.text.lower() in DETERMINERS or _POSSESSIVE.search(before.text))
        and not t.text.lower().endswith(("ed", "ing"))
    )


def _tokenize(sentence: str) -> list[Token]:
    tokens: list[Token] = []
    first_word = True
    for match in _TOKEN.finditer(sentence):
        text = match.group(0)
        # "solv[ing]" is the quoted word edited in brackets: match it as "solving".
        word = _POSSESSIVE.sub("", text.replace("[", "").replace("]", ""))
        lower = word.lower().replace("’", "'")
        value = number_value(word)
        if "." in word and value is None:  # dotted acronym
            kind, key = TokenKind.NAME, word.replace(".", "").upper()
        elif value is not None and (word[:1].isdigit() or lower in NUMBER_WORDS):
            # "one" and "first" are too often not numbers at all; only numerals count as names of values.
            if word[:1].isdigit():
                kind = TokenKind.NUMBER
            else:
                kind = TokenKind.STOP if lower in {"one", "first", "half"} else TokenKind.WORD
            key = value
        elif lower in NEGATIONS or lower.endswith("n't"):
            kind, key = TokenKind.NEGATION, "not"
        elif lower in STOPWORDS or len(lower) < 2:
            kind, key = TokenKind.STOP, lower
        elif word[:1].isupper() and not (first_word and lower in STOPWORDS) and not _prefix(sentence, match.end()):
            # A capital inside a sentence marks a name; at its start it may be just the first word.
            kind = TokenKind.NAME if not first_word or word.isupper() else TokenKind.WORD
            key = stem(lower)
        else:
            kind, key = TokenKind.WORD, stem(lower)
        tokens.append(Token(text=text, start=match.start(), end=match.end(), key=key, kind=kind))
        if not _is_quote_or_bracket_only(text):
            first_word = False
    return tokens


def _prefix(sentence: str, end: int) -> bool:
    """Whether the word ending at ``end`` is the capitalised first part of a compound ("Pre-election",
    "Anti-war"): no name, whatever its capital."""
    return sentence[end : end + 1] == "-" and sentence[end + 1 : end + 2].islower()


def _is_quote_or_bracket_only(text: str) -> bool:
    return not any(ch.isalnum() for ch in text)


@scoped
def content_keys(sentence: str) -> frozenset[str]:
    """The keys of the content tokens of a text (for matching evidence)."""
    return frozenset(_content_keys(sentence))


def _content_keys(sentence: str) -> set[str]:
    keys: set[str] = set()
    for token in tokenize(sentence):
        if token.is_content:
            keys.add(token.key)
            if token.kind is TokenKind.NAME and "-" not in token.text:
                keys.add(stem(token.text.lower()))
    return keys


# Stem families: one rule for every stage that matches words (evidence, features, the slot checks).
def same_family(a: str, b: str) -> bool:
    """Stems of one family ("china"/"chines", "economi"/"econom") share a long prefix."""
    if a[:1].isdigit() or b[:1].isdigit():
        return False
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n >= 4 and n >= 0.75 * min(len(a), len(b))


def matches(key: str, keys: frozenset[str]) -> bool:
    """Whether a key is among keys, or of the same stem family as one of them."""
    if key in keys:
        return True
    if len(key) < 4 or key[:1].isdigit():
        return False
    return any(same_family(key, other) for other in _by_prefix(keys).get(key[:4], ()))


@scoped
def _by_prefix(keys: frozenset[str]) -> dict[str, tuple[str, ...]]:
    """Keys grouped by their first four letters: only keys that share those can be of one family."""
    groups: dict[str, list[str]] = {}
    for key in keys:
        if len(key) >= 4 and not key[:1].isdigit():
            groups.setdefault(key[:4], []).append(key)
    return {prefix: tuple(members) for prefix, members in groups.items()}
