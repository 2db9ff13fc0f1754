"""Typed slot checks: which number, date, name, role, polarity or modality of a claim differs from its evidence.

Similarity cannot see a changed number or a swapped name (they score as high as a paraphrase), so
these checks compare the *slots* of a claim with those of its evidence sentences, deterministically:

=========  ===================================================================================
number     quantities (numerals, number words, percentages, money, scale words, time spans,
           ranges) with their approximation ("about", "more than"): a mismatch only when no
           reading of the two overlaps (rounding and "20%" vs "twenty percent" are the same)
date       years, months and days, weekdays (a weekday is also checked against a full date,
           by the calendar), quarters; relative dates ("yesterday") are not compared, since
           neither text says on which day it was written
negation   a polarity flip over a word both sides say ("not", "never", "without", "failed to",
           "denied"), or a swap of opposite words (agree/reject, rise/fall: data/opposites.txt)
entity     a name, title or value of a closed kind (colour, gender) where the evidence has
           another in the same context; or a name that no source has at all
role       who did what to whom swapped ("Xi congratulated Trump" / "Trump congratulated Xi")
modality   certainty or commitment strengthened ("may" -> "will", "discussed" -> "agreed",
           a dropped "reportedly") or weakened
=========  ===================================================================================

A slot of the claim is only compared with a slot of the evidence that stands in the same context:
the two share neighbouring content words. That keeps a "20" about casualties from being read
against a "35" about years in the same long source sentence. Everything is rule-based over the
tokenizer of lexicon.py, so the checks need no model; they are pure functions of the texts.

A finding is a contradiction (the claim says something else than its evidence) or a difference (a
strengthened claim, a name found in no source): the verdict makes a sentence with a contradiction
"contradicted" and one with a difference at most "partial".
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TypeVar

from ..lexicon import CARDINALS, ORDINALS, STOPWORDS, TENS, Token, stem, tokenize
from ..wordnet import wordnet

_T = TypeVar("_T")

CONTRADICTION = "contradiction"
DIFFERENCE = "difference"

# How far (in content words) a slot's context reaches on each side, and how many context words
# two slots must share to stand "in the same place" of claim and evidence.
REACH = 3
MIN_SHARED_CONTEXT = 2


@dataclass(frozen=True)
class Finding:
    """One typed difference; claim offsets into the claim, evidence offsets into evidence[evidence_index]."""

    type: str  # number | date | negation | entity | role | modality
    severity: str  # CONTRADICTION | DIFFERENCE
    claim_text: str
    claim_start: int
    claim_end: int
    evidence_index: int  # -1 when no evidence sentence has a counterpart (a name in no source)
    evidence_text: str
    evidence_start: int
    evidence_end: int
    detail: str = ""


# --------------------------------------------------------------------------------------------
# Words of a side and their context
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Side:
    text: str
    tokens: tuple[Token, ...]
    content: tuple[int, ...]  # indices into tokens of the content tokens
    position: dict[int, int]  # token index -> position among the content tokens


@lru_cache(maxsize=4096)
def _side(text: str) -> _Side:
    tokens = tuple(tokenize(text))
    content = tuple(i for i, t in enumerate(tokens) if t.is_content)
    return _Side(text, tokens, content, {i: p for p, i in enumerate(content)})


def _same(a: str, b: str) -> bool:
    """Whether two keys name the same thing: equal, or stems of one family ("china"/"chines")."""
    if a == b:
        return True
    if len(a) < 4 or len(b) < 4 or a[:1].isdigit() or b[:1].isdigit():
        return False
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n >= 4 and n >= 0.75 * min(len(a), len(b))


def _has(key: str, keys: Iterable[str]) -> bool:
    return any(_same(key, k) for k in keys)


def _context(side: _Side, index: int, reach: int = REACH) -> set[str]:
    """Keys of the content words around a token (not the token itself)."""
    tokens = side.tokens
    # A stopword or number word stands where the next content word does.
    p = side.position.get(index, next((side.position[i] for i in side.content if i > index), len(side.content)))
    around = [side.content[q] for q in range(max(0, p - reach), min(len(side.content), p + reach + 1))]
    return {tokens[i].key for i in around if i != index}


def _shared_context(claim: _Side, i: int, evidence: _Side, j: int) -> int:
    """How many context words a claim token and an evidence token have in common."""
    a, b = _context(claim, i), _context(evidence, j)
    return sum(1 for k in a if _has(k, b))


def _token_at(side: _Side, offset: int) -> int:
    """Index of the token that covers (or first follows) a character offset."""
    for i, t in enumerate(side.tokens):
        if t.end > offset:
            return i
    return max(0, len(side.tokens) - 1)


def _clause_break(text: str) -> bool:
    return bool(re.search(r"[;:()—–]|,\s|\s-\s|--|\bbut\b|\bwhile\b|\bwhereas\b|\balthough\b|\bthough\b", text))


# --------------------------------------------------------------------------------------------
# Data: opposites, aliases, titles, modality cues
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Opposites:
    negation: dict[str, frozenset[str]]  # stem -> stems of its opposites
    exclusive: dict[str, frozenset[str]]  # stem -> stems of other values of its kind


@lru_cache(maxsize=1)
def opposites() -> _Opposites:
    """The opposite words and exclusive values of data/opposites.txt, by stem."""
    text = resources.files("reconcile").joinpath("data/opposites.txt").read_text(encoding="utf-8")
    negation: dict[str, set[str]] = {}
    exclusive: dict[str, set[str]] = {}
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        target = negation
        if line.startswith("="):
            target = exclusive
            line = line[1:].split(":", 1)[-1]
        if "|" in line:
            groups = [_stems(part.replace("/", ",")) for part in line.split("|")]
        else:  # each item a value of its own ("grey/gray" is one value written two ways)
            groups = [_stems(item.replace("/", ",")) for item in line.split(",") if item.strip()]
        for a, group in enumerate(groups):
            others = set().union(*(g for b, g in enumerate(groups) if b != a)) - group
            for word in group:
                target.setdefault(word, set()).update(others)
    return _Opposites({k: frozenset(v) for k, v in negation.items()}, {k: frozenset(v) for k, v in exclusive.items()})


def _stems(words: str) -> set[str]:
    return {stem(w.strip()) for w in words.split(",") if w.strip()}


# Other names of the places news writes about most: a capital or a demonym stands for its country.
_ALIAS_GROUPS = (
    "us usa america american americans washington dc unitedstates",
    "uk britain british briton britons england english london unitedkingdom",
    "china chinese beijing prc",
    "russia russian russians moscow kremlin",
    "ukraine ukrainian ukrainians kyiv kiev",
    "eu brussels europeanunion",
    "france french paris elysee",
    "germany german germans berlin",
    "japan japanese tokyo",
    "india indian indians delhi newdelhi",
    "taiwan taiwanese taipei",
    "israel israeli israelis jerusalem",
    "iran iranian iranians tehran",
    "australia australian australians canberra",
    "canada canadian canadians ottawa",
    "korea korean koreans seoul pyongyang",
    "italy italian italians rome",
    "spain spanish madrid",
    "turkey turkish ankara",
    "brazil brazilian brasilia",
    "mexico mexican mexicans",
    "egypt egyptian cairo",
    "saudi riyadh",
    "un unitednations",
)
_ALIASES: dict[str, int] = {w: g for g, line in enumerate(_ALIAS_GROUPS) for w in line.split()}

# Titles stand before names; a title only ever stands in for another title.
TITLES = frozenset(
    """president vice premier chairman chairwoman chair minister secretary prime deputy foreign
    chancellor governor senator representative rep sen ambassador king queen prince princess general
    admiral colonel mayor speaker director chief ceo cfo coo commissioner spokesman spokeswoman
    spokesperson envoy counsellor councillor leader pope cardinal bishop judge justice attorney state
    defence defense finance trade commerce treasury interior""".split()
)

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTH_ABBR = {m[:3]: k for k, m in enumerate(MONTHS, 1)} | {"sept": 9}

# Modality, from weakest to strongest. A side's level is that of its weakest cue scoped over the
# words both sides share; an unmarked assertion is level 3. Auxiliaries and adverbs are looked up
# as written, verbs by stem (so "forecasted" finds "forecast").
_MODAL_WORDS = {
    # 0: possibility and hearsay
    "may": 0,
    "might": 0,
    "could": 0,
    "possibly": 0,
    "perhaps": 0,
    "maybe": 0,
    "potentially": 0,
    "reportedly": 0,
    "allegedly": 0,
    "purportedly": 0,
    "apparently": 0,
    "unclear": 0,
    "uncertain": 0,
    "rumoured": 0,
    "rumored": 0,
    # 1: expectation and intention
    "should": 1,
    "likely": 1,
    "probably": 1,
    "expectation": 1,
    "sought": 1,
    "projected": 1,
    "guidance": 1,
    # 2: commitment
    "will": 2,
    "would": 2,
    "shall": 2,
    "must": 2,
    "certainly": 2,
    "definitely": 2,
    "signed": 2,
}
_MODAL_STEMS = {
    # 0: wishes and deliberation about doing something
    "hope": 0,
    "wish": 0,
    "consid": 0,
    "mull": 0,
    "explor": 0,
    # 1: expectation and intention
    "expect": 1,
    "plan": 1,
    "intend": 1,
    "aim": 1,
    "seek": 1,
    "propos": 1,
    "want": 1,
    "forecast": 1,
    "predict": 1,
    "anticip": 1,
    "estim": 1,
    "guid": 1,
    # 2: commitment and decision
    "agre": 2,
    "decid": 2,
    "commit": 2,
    "pledg": 2,
    "promis": 2,
    "vow": 2,
    "guarante": 2,
    "ensur": 2,
}
# Cues that count only before a particle: "set to", "looking to/forward to/ahead to" (an intention).
_MODAL_BEFORE = {"set": ({"to"}, 1), "look": ({"to", "forward", "ahead", "toward", "towards"}, 1)}


def _modal_level(side: _Side, i: int) -> int | None:
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
_DELIBERATION = frozenset(
    "discuss discussed discusses discussing discussion discussions talk talks talked talking debate "
    "debated negotiate negotiated negotiating negotiation negotiations review reviewed".split()
)
_DECISION = frozenset(
    "agree agreed agrees agreement decide decided decides decision sign signed approve approved "
    "adopt adopted settle settled conclude concluded".split()
)

# Cues that negate what follows besides the lexicon's NEGATIONS (no, not, never, without, n't ...).
_NEGATING_STEMS = frozenset({"fail", "refus", "deni", "lack"})
_NOT_NEGATING = re.compile(
    r"\b(?:not\s+only|not\s+just|not\s+least|no\s+doubt|no\s+less|no\s+sooner|nothing\s+but|"
    r"never\s+before|not\s+until|no\.?\s*\d|"  # "no. 1" is a number
    r"(?:can['’]t|cannot|couldn['’]t|(?:can|could)\s+not)\s+wait\b)",  # "can't wait": eager, not denying
    re.IGNORECASE,
)

# Verbs whose subject and object can trade places without changing the fact.
_SYMMETRIC = frozenset(
    stem(w)
    for w in "meet met talk spoke speak call called phone discuss negotiate join joined marry married "
    "and with between versus vs against".split()
)


# --------------------------------------------------------------------------------------------
# Quantities
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quantity:
    """A number in a text as a reader takes it: its range of values, unit, and the word it counts."""

    text: str
    start: int
    end: int
    low: float
    high: float
    exact: bool  # no approximation word, no range
    unit: str | None  # "%", "money:USD", "money", "time" (values in days), or None
    noun: str | None  # stem of the word it counts ("peopl"), None if none follows
    kind: str  # "count" | "ordinal" | "year"


_SCALE = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "m": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "mil": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
    "trn": 1e12,
    "crore": 1e7,
    "lakh": 1e5,
}
_CURRENCY_SYMBOL = {
    "$": "USD",
    "us$": "USD",
    "£": "GBP",
    "€": "EUR",
    "¥": "JPY",
    "a$": "AUD",
    "c$": "CAD",
    "hk$": "HKD",
    "nz$": "NZD",
    "s$": "SGD",
    "₹": "INR",
    "rmb": "CNY",
}
_CURRENCY_WORD = {
    "dollar": "USD",
    "dollars": "USD",
    "euro": "EUR",
    "euros": "EUR",
    "pound": "GBP",
    "pounds": "GBP",
    "sterling": "GBP",
    "yuan": "CNY",
    "renminbi": "CNY",
    "yen": "JPY",
    "rupee": "INR",
    "rupees": "INR",
    "rouble": "RUB",
    "roubles": "RUB",
    "ruble": "RUB",
    "rubles": "RUB",
    "usd": "USD",
    "eur": "EUR",
    "gbp": "GBP",
    "cny": "CNY",
}
_TIME_DAYS = {
    "second": 1 / 86400,
    "minute": 1 / 1440,
    "hour": 1 / 24,
    "day": 1,
    "week": 7,
    "fortnight": 14,
    "month": 30.44,
    "year": 365.25,
    "decade": 3652.5,
    "century": 36525,
}
_UNITS = CARDINALS
_TENS = TENS
_ORDINALS = ORDINALS
# An approximation word before a number, and the range of values it lets the number stand for.
_APPROX = (
    (r"(?:almost|nearly|close to|just under|just shy of)", "below"),
    (r"(?:just over|upwards of|just above)", "above"),
    (r"(?:about|around|roughly|approximately|some|an estimated|estimated|circa|more or less)", "about"),
    (r"(?:more than|over|at least|above|exceeding|in excess of|upward of|no fewer than|no less than)", "min"),
    (r"(?:less than|fewer than|under|below|up to|at most|as many as|as much as|no more than)", "max"),
)
# Tokenized corpora write "1, 000" and "1. 3 billion": a separator may be followed by one space
# (a decimal only after at most three digits, so "in 2014. 3 people" stays two numbers).
_NUMERAL = re.compile(
    r"(?P<cur>(?:US|A|C|HK|NZ|S)?\$|£|€|¥|₹|RMB)?\s?"
    r"(?P<num>\d{1,3}(?:, ?\d{3}(?!\d))+(?:\.\d+)?|\d{1,3}\. ?\d{1,2}(?!\d)|\d+(?:\.\d+)?)"
    r"(?:(?P<att>k|m|bn|mn|mln|tn|trn|b)\b|\s?(?P<scale>thousand|million|billion|trillion|crore|lakh)\b)?"
    r"(?P<ord>st|nd|rd|th)?"
    r"(?:\s?(?P<pct>%|percent\b|per\s?cent\b|percentage points?\b|pct\b))?",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z]+")


def quantities(text: str) -> list[Quantity]:
    """The quantities of a text: numerals and number words, with scale, unit and approximation."""
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []
    for m in _NUMERAL.finditer(text):
        if not m.group("cur") and text[m.start()].isspace():
            m = _NUMERAL.match(text, m.start() + 1) or m  # the optional space belongs to a currency only
        if m.start() > 0 and (text[m.start() - 1].isalnum() or text[m.start() - 1] in "-/."):
            after_dash = text[m.start() - 1] in "-" and (m.start() < 2 or not text[m.start() - 2].isalpha())
            if not after_dash:
                continue  # inside a word or code (SARS-CoV-2, mRNA-1345, 24/7); "20-30" is a range
        raw = m.group("num").replace(",", "").replace(" ", "")
        value = float(raw)
        scale = (m.group("att") or m.group("scale") or "").lower()
        if scale in ("m", "b", "k") and not m.group("cur"):
            continue  # "5m" without a currency may be metres; "5k" a race
        value *= _SCALE.get(scale, 1.0)
        unit: str | None = None
        if m.group("cur"):
            unit = "money:" + _CURRENCY_SYMBOL.get(m.group("cur").strip().lower(), "?")
        if m.group("pct"):
            unit = "%"
        kind = "ordinal" if m.group("ord") else "count"
        if kind == "count" and unit is None and not scale and re.fullmatch(r"1[89]\d\d|20\d\d", m.group("num")):
            kind = "year"
        found.append(_finish(text, m.start(), m.end(), value, unit, kind))
        taken.append((m.start(), m.end()))
    found.extend(q for q in _word_numbers(text) if not any(a < q.end and q.start < b for a, b in taken))
    found.sort(key=lambda q: q.start)
    return _ranges(text, found)


_SCALE_WORDS = frozenset({"hundred", "thousand", "million", "billion", "trillion"})


def _word_numbers(text: str) -> list[Quantity]:
    """Number words: "twenty-five", "a dozen", "two hundred and fifty", "one-year", "fourth" (quarter)."""
    out: list[Quantity] = []
    words = list(_WORD.finditer(text))
    lower = [w.group(0).lower() for w in words]
    i = 0
    while i < len(words):
        w = lower[i]
        if w in _ORDINALS:
            if i + 1 < len(words) and lower[i + 1] in _ORDINAL_NOUNS:
                out.append(_finish(text, words[i].start(), words[i].end(), float(_ORDINALS[w]), None, "ordinal"))
            i += 1
            continue
        if w in ("a", "an"):  # "a dozen", "a million"
            if not (i + 1 < len(words) and (lower[i + 1] == "dozen" or lower[i + 1] in _SCALE_WORDS)):
                i += 1
                continue
        elif w not in _UNITS and w not in _TENS and w != "dozen":
            i += 1
            continue
        value, current, last, k = 0.0, 0.0, None if w not in ("a", "an") else w, i + (w in ("a", "an"))
        end = words[i].end()
        while k < len(words):
            word = lower[k]
            if k > i and text[words[k - 1].end() : words[k].start()] not in (" ", "-", " - "):
                break  # the words of one number stand next to each other
            if word in _UNITS and (last is None or last in _TENS or last in _SCALE_WORDS or last == "and"):
                if last in _TENS and _UNITS[word] >= 10:
                    break
                current += _UNITS[word]
            elif word in _TENS and (last is None or last in _SCALE_WORDS or last == "and"):
                current += _TENS[word]
            elif word == "dozen" and (last is None or last in _UNITS or last in ("a", "an")):
                current = max(current, 1) * 12
            elif word == "hundred" and last is not None and last != "and":
                current = max(current, 1) * 100
            elif word in _SCALE_WORDS and last is not None and last != "and":
                value += max(current, 1) * _SCALE[word]
                current = 0
            elif (
                word == "and"
                and last in _SCALE_WORDS
                and k + 1 < len(words)
                and (lower[k + 1] in _UNITS or lower[k + 1] in _TENS)
            ):
                pass  # "two hundred and fifty"
            else:
                break
            last, end = word, words[k].end()
            k += 1
        if last is None or last in ("a", "an"):
            i += 1
            continue
        if w == "one" and k == i + 1 and not _unit_follows(text, end):
            i = k  # "one of", "one said": a pronoun, not a count
            continue
        out.append(_finish(text, words[i].start(), end, value + current, None, "count"))
        i = k
    return out


_ORDINAL_NOUNS = frozenset("quarter half anniversary round term time day week month year inquest place".split())


def _unit_follows(text: str, end: int) -> bool:
    m = re.match(r"[\s-]+([A-Za-z]+)", text[end:])
    if not m:
        return False
    w = m.group(1).lower().rstrip("s")
    return (
        w in _TIME_DAYS
        or w in ("percent", "million", "billion", "thousand", "hundred", "dozen")
        or (w in _CURRENCY_WORD or w + "s" in _CURRENCY_WORD)
    )


def _finish(text: str, start: int, end: int, value: float, unit: str | None, kind: str) -> Quantity:
    """Add what a number's surroundings say: approximation before it, unit or counted noun after it."""
    rest = text[end:]
    m = re.match(r"\s?(?:percent\b|per\s?cent\b|%)", rest, re.IGNORECASE)
    if m and unit is None:
        unit, end, rest = "%", end + m.end(), text[end + m.end() :]
    m = re.match(r"\s?(thousand|million|billion|trillion|bn|mn|m|k)\b", rest, re.IGNORECASE)
    scaled = re.search(r"(thousand|million|billion|trillion)$", text[start:end])
    if m and kind == "count" and unit != "%" and not scaled:
        scale = m.group(1).lower()
        if scale in _SCALE and (scale not in ("m", "k") or (unit or "").startswith("money")):
            value *= _SCALE[scale]
            end, rest = end + m.end(), text[end + m.end() :]
    noun: str | None = None
    m = re.match(r"[\s-]*(?:(?:of|in)\s+)?([A-Za-z]+)", rest)
    if m:
        word = m.group(1).lower()
        if word in _CURRENCY_WORD and unit is None:
            unit = "money:" + _CURRENCY_WORD[word]
        elif word not in STOPWORDS:
            noun = stem(word)
            single = word[:-1] if word.endswith("s") else word
            if single in _TIME_DAYS and unit is None and kind == "count":
                # A span of time in days, so that "one-month" and "one-year" differ and "12 months" = "a year".
                unit = "time"
                value *= _TIME_DAYS[single]
                noun = None
                end += m.end()
    if unit and unit.startswith("money") and unit.endswith("?"):
        unit = "money"
    before = text[max(0, start - 40) : start].lower()
    low = high = value
    exact = True
    for pattern, how in _APPROX:
        if re.search(rf"\b{pattern}\s+(?:a\s+|an\s+)?$", before):
            exact = False
            if how == "about":
                low, high = value * 0.9, value * 1.1
            elif how == "below":
                low, high = value * 0.9, value
            elif how == "above":
                low, high = value, value * 1.1
            elif how == "min":
                low, high = value, float("inf")
            else:
                low, high = 0.0, value
            break
    return Quantity(text[start:end], start, end, low, high, exact, unit, noun, kind)


def _ranges(text: str, found: list[Quantity]) -> list[Quantity]:
    """Join "20-30", "20 to 30", "between 20 and 30" into one quantity spanning both."""
    out: list[Quantity] = []
    i = 0
    while i < len(found):
        q = found[i]
        if i + 1 < len(found):
            r = found[i + 1]
            gap = text[q.end : r.start]
            between = re.search(r"\bbetween\s+$", text[max(0, q.start - 12) : q.start].lower())
            if re.fullmatch(r"\s*(?:-|–|—|to)\s*", gap) or (between and re.fullmatch(r"\s+and\s+", gap)):
                low = q.low
                if r.unit == "time" and q.unit is None:  # "2 to 3 years": the 2 is years too
                    word = re.split(r"[\s-]", r.text.lower())[-1]
                    low *= _TIME_DAYS.get(word[:-1] if word.endswith("s") else word, 1.0)
                if q.kind == r.kind == "count" and low <= r.low:
                    unit = q.unit or r.unit
                    out.append(
                        Quantity(
                            text[q.start : r.end], q.start, r.end, low, r.high, False, unit, r.noun or q.noun, "count"
                        )
                    )
                    i += 2
                    continue
        out.append(q)
        i += 1
    return out


def _comparable(a: Quantity, b: Quantity) -> bool:
    """Whether two quantities measure the same kind of thing."""
    if a.kind != b.kind:
        return False
    if a.unit != b.unit:
        money = (a.unit or "").startswith("money") and (b.unit or "").startswith("money")
        if not (money and "money" in (a.unit, b.unit)):
            return False
    if a.unit is None and not (a.noun == b.noun or (a.noun and b.noun and _same(a.noun, b.noun))):
        return False  # bare counts of different things ("six rooms", "3 bedrooms") are not compared
    return True


def _consistent(claim: Quantity, evidence: Quantity) -> bool:
    """Whether some reading of the claim's number is a reading of the evidence's."""
    if claim.low <= evidence.high and evidence.low <= claim.high:
        return True
    if claim.unit == "time" and abs(claim.low - evidence.low) <= 0.02 * max(claim.low, evidence.low):
        return True  # "12 months" is "one year" though a month is taken as 30.44 days
    # Rounding: "3,000" for 2,987 (a claim as round as 10^k stands for anything within half of it).
    if claim.exact and claim.low == claim.high and claim.low >= 100 and claim.kind == "count":
        value = claim.low
        k = 0
        while value % (10 ** (k + 1)) == 0:
            k += 1
        target = evidence.low if evidence.low == evidence.high else None
        if target and k >= 2 and abs(value - target) < 0.5 * 10**k and abs(value - target) <= 0.05 * target:
            return True
    return False


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DateMention:
    text: str
    start: int
    end: int
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None  # 0 = Monday
    quarter: int | None = None


_MONTH_RE = (
    r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
_DATE_RES = (
    re.compile(_MONTH_RE + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>1[89]\d\d|20\d\d)\b)?"),
    re.compile(
        r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH_RE + r"(?:,?\s+(?P<year>1[89]\d\d|20\d\d)\b)?"
    ),
    re.compile(_MONTH_RE + r"(?:\s+of)?,?\s+(?P<year>1[89]\d\d|20\d\d)\b"),
    re.compile(r"\b(?:in|since|until|by|from|of|early|late|mid-?|last|next|this)\s+" + _MONTH_RE + r"\b"),
)
_WEEKDAY_RE = re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)s?\b")
_QUARTER_RE = re.compile(
    r"\b(?:(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+quarter|Q(?P<q>[1-4]))\b", re.IGNORECASE
)
_ORD_VALUE = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}


def dates(text: str) -> list[DateMention]:
    """Dates, weekdays, months, years and quarters of a text (a weekday next to a date joins it)."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return not any(x < b and a < y for x, y in taken)

    for pattern in _DATE_RES:
        for m in pattern.finditer(text):
            day_first = m.groupdict().get("day") and m.start("day") < m.start("month")
            start = m.start("day") if day_first else m.start("month")
            if not free(start, m.end()):
                continue
            month_text = m.group("month").lower().rstrip(".")
            if month_text in MONTHS:
                month: int | None = MONTHS.index(month_text) + 1
            else:
                month = _MONTH_ABBR.get(month_text[:4]) or _MONTH_ABBR.get(month_text[:3])
            if month_text == "may" and not (m.groupdict().get("day") or m.groupdict().get("year")):
                continue  # the modal verb
            day = int(m.group("day")) if m.groupdict().get("day") else None
            year = int(m.group("year")) if m.groupdict().get("year") else None
            if day is not None and not 1 <= day <= 31:
                continue
            found.append(DateMention(text[start : m.end()], start, m.end(), year, month, day))
            taken.append((start, m.end()))
    for m in _WEEKDAY_RE.finditer(text):
        found.append(DateMention(m.group(0), m.start(), m.end(), weekday=WEEKDAYS.index(m.group(1).lower())))
    for m in _QUARTER_RE.finditer(text):
        value = _ORD_VALUE[m.group("ord").lower()] if m.group("ord") else int(m.group("q"))
        found.append(DateMention(m.group(0), m.start(), m.end(), quarter=value))
    for q in quantities(text):
        if q.kind == "year" and free(q.start, q.end):
            found.append(DateMention(q.text, q.start, q.end, year=int(q.low)))
    found.sort(key=lambda d: d.start)
    return found


def _weekday_of(d: DateMention) -> int | None:
    if d.year and d.month and d.day:
        try:
            return datetime.date(d.year, d.month, d.day).weekday()
        except ValueError:
            return None
    return None


# --------------------------------------------------------------------------------------------
# The checks
# --------------------------------------------------------------------------------------------


def check_slots(
    claim: str,
    evidence: Sequence[str],
    *,
    best: int = 0,
    values: bool = True,
    aligned: bool = True,
    polarity: bool = True,
    in_sources: Callable[[str], bool] | None = None,
    context: Sequence[str] = (),
) -> list[Finding]:
    """Every typed finding of a claim against its evidence sentences.

    evidence[best] is the sentence that backs most of the claim. values, aligned and polarity say
    whether the evidence backs enough of the claim for a differing number or date, for another
    differing slot (name, role, opposite, modality), and for a flipped negation to count rather
    than belong to another statement. in_sources tells whether a
    name appears anywhere in the sources (a name in none is a difference even without evidence).
    context: further text around the evidence (its neighbouring sentences) whose numbers and dates
    count as said, though never as a counterpart: a sentence splitter may have cut "1. 3 billion".
    """
    findings: list[Finding] = []
    if evidence and values:
        findings += number_findings(claim, evidence, best=best, context=context)
        findings += date_findings(claim, evidence, best=best, context=context)
    if evidence and aligned:
        findings += entity_findings(claim, evidence, best=best)
        findings += role_findings(claim, evidence)
        findings += opposite_findings(claim, evidence, best=best)
        findings += [_at(f, best) for f in modality_findings(claim, evidence[best])]
    if evidence and polarity:
        findings += [_at(f, best) for f in negation_findings(claim, evidence[best])]
    if in_sources is not None:
        reported = {(f.claim_start, f.claim_end) for f in findings}
        findings += [
            f
            for f in unknown_name_findings(claim, in_sources)
            if not any(a < f.claim_end and f.claim_start < b for a, b in reported)
        ]
    return _dedupe(findings)


def _at(finding: Finding, index: int) -> Finding:
    return dataclasses.replace(finding, evidence_index=index)


def _dedupe(findings: list[Finding]) -> list[Finding]:
    out: list[Finding] = []
    # A finding that names its words ("rejected" vs "accepted") beats one about the whole sentence.
    for f in sorted(findings, key=lambda f: (f.severity != CONTRADICTION, f.claim_text.startswith("("), f.claim_start)):
        if any(g.claim_start < f.claim_end and f.claim_start < g.claim_end for g in out):
            continue
        out.append(f)
    return out


def number_findings(
    claim: str, evidence: Sequence[str], *, best: int = 0, context: Sequence[str] = ()
) -> list[Finding]:
    """A claim quantity that no evidence quantity can be, where evidence has one of its kind in its place."""
    out: list[Finding] = []
    ev_quantities = [quantities(e) for e in evidence]
    said = [e for qs in ev_quantities for e in qs] + [e for text in context for e in quantities(text)]
    c_side = _side(claim)
    for q in quantities(claim):
        if q.kind == "year":
            continue  # the date check's
        if any(_consistent(q, e) or _consistent(e, q) for e in said if _comparable(q, e)):
            continue
        if q.kind == "ordinal" and q.noun == "quarter":
            continue  # the date check's

        def options(k: int, q: Quantity = q) -> list[tuple[Quantity, int]]:
            return [(e, e.start) for e in ev_quantities[k] if _comparable(q, e)]

        # A unit (money, percent, a span of time) already narrows the slot: one shared context word will do.
        partner = _partner(c_side, q.start, evidence, best, options, elsewhere=1 if q.unit else MIN_SHARED_CONTEXT)
        if partner is not None:
            k, e = partner
            out.append(Finding("number", CONTRADICTION, q.text, q.start, q.end, k, e.text, e.start, e.end))
    return out


def _partner(
    claim: _Side,
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
    ci = _token_at(claim, offset)
    chosen: tuple[int, _T] | None = None
    top = 0
    order = [best] + [k for k in range(len(evidence)) if k != best]
    for k in order:
        side = _side(evidence[k])
        for item, start in options(k):
            shared = _shared_context(claim, ci, side, _token_at(side, start))
            need = 1 if k == best else elsewhere
            if shared >= need and shared > top:
                chosen, top = (k, item), shared
    return chosen


def date_findings(claim: str, evidence: Sequence[str], *, best: int = 0, context: Sequence[str] = ()) -> list[Finding]:
    """A year, month, day, weekday or quarter of the claim that its evidence gives otherwise."""
    out: list[Finding] = []
    ev_dates = [dates(e) for e in evidence]
    all_ev = [d for ds in ev_dates for d in ds] + [d for text in context for d in dates(text)]
    c_side = _side(claim)
    for d in dates(claim):
        for field in ("weekday", "quarter", "year", "month", "day"):
            value = getattr(d, field)
            if value is None or (field == "day" and d.month is None):
                continue
            if field == "weekday":
                said = {x.weekday for x in all_ev} | {_weekday_of(x) for x in all_ev}
            elif field == "day":
                said = {x.day for x in all_ev if x.month == d.month}
                if not said - {None}:
                    continue
            else:
                said = {getattr(x, field) for x in all_ev}
            if value in said:
                continue

            def options(
                k: int, field: str = field, d: DateMention = d, value: int = value
            ) -> list[tuple[DateMention, int]]:
                opts = []
                for x in ev_dates[k]:
                    other = _weekday_of(x) if field == "weekday" and x.weekday is None else getattr(x, field)
                    if field == "day" and x.month != d.month:
                        continue
                    if other is not None and other != value:
                        opts.append((x, x.start))
                return opts

            partner = _partner(c_side, d.start, evidence, best, options)
            if partner is not None:
                k, x = partner
                out.append(Finding("date", CONTRADICTION, d.text, d.start, d.end, k, x.text, x.start, x.end))
                break
    return out


def _is_title(token: Token) -> bool:
    return token.text.lower().rstrip(".") in TITLES


def _name_like(side: _Side, i: int, known_names: set[str] | None = None) -> bool:
    """A name token: capitalised inside the sentence, or a first word other texts write capitalised."""
    t = side.tokens[i]
    if t.kind == "name":
        return t.text.lower().rstrip(".") not in _MONTH_AND_DAY
    if t.kind == "word" and t.text[:1].isupper() and t.text.lower() not in STOPWORDS:
        if known_names is not None and t.key in known_names:
            return True
        # The first word of "Mark Carney said" is a name the tokenizer cannot tell from "Officials".
        nxt = side.tokens[i + 1] if i + 1 < len(side.tokens) else None
        return nxt is not None and nxt.kind == "name" and side.text[t.end : nxt.start] == " "
    return False


_MONTH_AND_DAY = frozenset(MONTHS) | frozenset(WEEKDAYS) | frozenset(_MONTH_ABBR)


def _alias(word: str) -> int | None:
    return _ALIASES.get(re.sub(r"[^a-z]", "", word.lower()))


def _name_attested(token: Token, keys: set[str], aliases: set[int]) -> bool:
    if _has(token.key, keys):
        return True
    group = _alias(token.text)
    return group is not None and group in aliases


def _side_aliases(side: _Side) -> set[int]:
    out = {g for t in side.tokens if (g := _alias(t.text)) is not None}
    words = [re.sub(r"[^a-z]", "", t.text.lower()) for t in side.tokens]
    for a, b in zip(words, words[1:], strict=False):  # "United States", "New Delhi"
        if (g := _ALIASES.get(a + b)) is not None:
            out.add(g)
    return out


def entity_findings(claim: str, evidence: Sequence[str], *, best: int = 0) -> list[Finding]:
    """A name, title or closed-class value of the claim where the evidence has another in its place."""
    c_side = _side(claim)
    e_sides = [_side(e) for e in evidence]
    ev_keys = {t.key for s in e_sides for t in s.tokens if t.is_content}
    ev_aliases = set().union(*(_side_aliases(s) for s in e_sides)) if e_sides else set()
    claim_keys = {t.key for t in c_side.tokens if t.is_content}
    claim_aliases = _side_aliases(c_side)
    known = {t.key for s in e_sides for t in s.tokens if t.kind == "name"}
    exclusive = opposites().exclusive
    out: list[Finding] = []
    for i, t in enumerate(c_side.tokens):
        value_kind = exclusive.get(t.key)
        is_name = _name_like(c_side, i, known)
        if not (is_name or value_kind):
            continue
        if t.kind == "number":
            continue
        if _is_title(t) and not value_kind:
            # A title is the person's: "President" elsewhere in the evidence does not make He Lifeng one.
            if _title_attested(c_side, i, e_sides, known):
                continue
        elif _name_attested(t, ev_keys, ev_aliases):
            continue
        if (
            i + 1 < len(c_side.tokens)
            and _ALIASES.get(re.sub(r"[^a-z]", "", (t.text + c_side.tokens[i + 1].text).lower())) in ev_aliases
        ):
            continue  # "United States" for "U.S.A." ("States" is a stopword to the tokenizer)
        title = _is_title(t)
        best_pair: tuple[int, int, int] | None = None  # (shared, k, j)
        for k, side in enumerate(e_sides):
            for j, u in enumerate(side.tokens):
                if value_kind:
                    if u.key not in value_kind or _has(u.key, claim_keys):
                        continue
                else:
                    if not _name_like(side, j, known) or _is_title(u) != title or u.kind == "number":
                        continue
                    if _name_attested(u, claim_keys, claim_aliases) or u.text.lower() in _MONTH_AND_DAY:
                        continue
                shared = _shared_context(c_side, i, side, j)
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
                "entity",
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


def _title_attested(claim: _Side, i: int, evidence: Sequence[_Side], known: set[str]) -> bool:
    """Whether the evidence gives this title to the person it stands before (or has it with no person)."""
    title = claim.tokens[i]
    names = _titled(claim, i)
    for side in evidence:
        for j, u in enumerate(side.tokens):
            if not _same(u.key, title.key):
                continue
            if not names:
                return True
            if any(_has(k, names) for k in _titled(side, j)):
                return True
    return False


def _titled(side: _Side, i: int) -> set[str]:
    """Keys of the name a title stands before ("Premier He Lifeng": "he", "lifeng"), titles skipped."""
    keys: set[str] = set()
    for t in side.tokens[i + 1 : i + 5]:
        if _is_title(t):
            continue
        if t.kind == "name" or (t.text[:1].isupper() and t.kind == "stop"):  # "He" of "He Lifeng"
            keys.add(t.key)
        else:
            break
    return keys


def _phrase(side: _Side, i: int, known: set[str]) -> tuple[int, int]:
    """Character span of the run of name tokens around token i ("Vice Premier Han Zheng")."""
    a = b = i

    def joined(x: int) -> bool:  # tokens x and x + 1 stand next to each other, only spaces between
        return side.text[side.tokens[x].end : side.tokens[x + 1].start].strip() == ""

    while a > 0 and _name_like(side, a - 1, known) and joined(a - 1):
        a -= 1
    while b + 1 < len(side.tokens) and _name_like(side, b + 1, known) and joined(b):
        b += 1
    return side.tokens[a].start, side.tokens[b].end


def unknown_name_findings(claim: str, in_sources: Callable[[str], bool]) -> list[Finding]:
    """Names of the claim that appear in no source at all (a difference: the claim adds them)."""
    side = _side(claim)
    out: list[Finding] = []
    i = 0
    while i < len(side.tokens):
        t = side.tokens[i]
        if t.kind != "name" or _is_title(t) or t.text.lower().rstrip(".") in _MONTH_AND_DAY or in_sources(t.text):
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
            and side.tokens[j + 1].kind == "name"
            and not in_sources(side.tokens[j + 1].text)
            and claim[side.tokens[j].end : side.tokens[j + 1].start] == " "
        ):
            j += 1
        s, e = t.start, side.tokens[j].end
        if not any(f.claim_text == claim[s:e] for f in out):
            out.append(Finding("entity", DIFFERENCE, claim[s:e], s, e, -1, "(in no source)", 0, 0, "in no source"))
        i = j + 1
    return out


def _name_phrases(side: _Side, known: set[str]) -> list[tuple[int, int, set[str], set[int]]]:
    """Runs of name tokens: (first token, last token, their keys, their alias groups), titles left out."""
    out = []
    i = 0
    while i < len(side.tokens):
        if not _name_like(side, i, known) or _is_title(side.tokens[i]):
            i += 1
            continue
        j = i
        while j + 1 < len(side.tokens) and _name_like(side, j + 1, known) and not _is_title(side.tokens[j + 1]):
            j += 1
        toks = side.tokens[i : j + 1]
        out.append((i, j, {t.key for t in toks}, {g for t in toks if (g := _alias(t.text)) is not None}))
        i = j + 1
    return out


def _passive(side: _Side, a_end: int, b_start: int) -> bool:
    """ "A was congratulated by B": a form of "be" after the first name and "by" just before the second."""
    between = [t.text.lower() for t in side.tokens[a_end + 1 : b_start]]
    be = ("was", "were", "is", "are", "been", "being", "be")
    return bool(between) and between[-1] == "by" and any(w in be for w in between)


def role_findings(claim: str, evidence: Sequence[str]) -> list[Finding]:
    """Two names on either side of a shared verb that the evidence has the other way round."""
    c_side = _side(claim)
    out: list[Finding] = []
    for k, text in enumerate(evidence):
        e_side = _side(text)
        known = {t.key for t in e_side.tokens if t.kind == "name"} | {t.key for t in c_side.tokens if t.kind == "name"}
        cp, ep = _name_phrases(c_side, known), _name_phrases(e_side, known)

        def same(a: tuple[int, int, set[str], set[int]], b: tuple[int, int, set[str], set[int]]) -> bool:
            return any(_has(x, b[2]) for x in a[2]) or bool(a[3] & b[3])

        for x in range(len(cp)):
            for y in range(x + 1, len(cp)):
                a, b = cp[x], cp[y]
                if same(a, b) or b[0] - a[1] > 8:
                    continue
                verbs = [t for t in c_side.tokens[a[1] + 1 : b[0]] if t.kind == "word" and t.key not in _SYMMETRIC]
                if not verbs or _clause_break(claim[c_side.tokens[a[1]].end : c_side.tokens[b[0]].start]):
                    continue
                for p in range(len(ep)):
                    for q in range(p + 1, len(ep)):
                        e1, e2 = ep[p], ep[q]
                        if not (same(e1, b) and same(e2, a)) or e2[0] - e1[1] > 8:
                            continue
                        between = [t for t in e_side.tokens[e1[1] + 1 : e2[0]] if t.kind == "word"]
                        if any(t.key in _SYMMETRIC for t in between):
                            continue
                        if not any(_same(v.key, t.key) for v in verbs for t in between):
                            continue
                        if _passive(c_side, a[1], b[0]) != _passive(e_side, e1[1], e2[0]):
                            continue  # "A congratulated B" = "B was congratulated by A"
                        cs, ce = c_side.tokens[a[0]].start, c_side.tokens[b[1]].end
                        es, ee = e_side.tokens[e1[0]].start, e_side.tokens[e2[1]].end
                        out.append(
                            Finding(
                                "role", CONTRADICTION, claim[cs:ce], cs, ce, k, text[es:ee], es, ee, "roles swapped"
                            )
                        )
                        return out
    return out


def _polarity(side: _Side) -> dict[int, int]:
    """For each content word, how many negation cues deny it.

    A cue denies the first content word after it in its clause, adverbs skipped ("did not
    immediately confirm"): in "has not stopped Klopp, who will leave", "not" denies "stopped", not
    "leave" nor "Klopp".
    """
    text = side.text
    blocked = [(m.start(), m.end()) for m in _NOT_NEGATING.finditer(text)]
    counts: dict[int, int] = {}
    for i, t in enumerate(side.tokens):
        cue = t.kind == "negation" or (t.kind == "word" and t.key in _NEGATING_STEMS)
        if not cue or any(a <= t.start < b for a, b in blocked):
            continue
        denied = False
        for j in range(i + 1, len(side.tokens)):
            u = side.tokens[j]
            if _clause_break(text[side.tokens[j - 1].end : u.start]) or u.kind == "negation":
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


_ADVERBS = frozenset("ahead forward back yet immediately even ever now currently".split())


def _is_adverb(token: Token) -> bool:
    word = token.text.lower()
    return token.kind == "word" and (word.endswith("ly") or word in _ADVERBS)


def _cue(side: _Side, j: int) -> Token:
    """The negation cue nearest before token j."""
    for i in range(j - 1, -1, -1):
        t = side.tokens[i]
        if t.kind == "negation" or (t.kind == "word" and t.key in _NEGATING_STEMS):
            return t
    return side.tokens[j]


def negation_findings(claim: str, evidence: str) -> list[Finding]:
    """A word both sides say that one side negates and the other does not."""
    c_side, e_side = _side(claim), _side(evidence)
    c_pol, e_pol = _polarity(c_side), _polarity(e_side)
    for i in c_side.content:
        t = c_side.tokens[i]
        if t.kind != "word" or t.key in _NEGATING_STEMS:
            continue  # a name or a number is not what a "not" denies
        matches = [j for j in e_side.content if _same(t.key, e_side.tokens[j].key)]
        if not matches:
            continue
        mine = c_pol.get(i, 0) % 2
        theirs = {e_pol.get(j, 0) % 2 for j in matches}
        if len(theirs) != 1 or mine in theirs:
            continue  # the evidence says it both ways, or the same way
        if mine:
            cue = _cue(c_side, i)
            return [
                Finding("negation", CONTRADICTION, cue.text, cue.start, cue.end, 0, "(no negation)", 0, len(evidence))
            ]
        cue = _cue(e_side, matches[0])
        return [Finding("negation", CONTRADICTION, "(no negation)", 0, len(claim), 0, cue.text, cue.start, cue.end)]
    return []


def opposite_findings(claim: str, evidence: Sequence[str], *, best: int = 0) -> list[Finding]:
    """A word of the claim whose opposite stands in its place in the evidence (polarity taken into account)."""
    table = opposites().negation
    c_side = _side(claim)
    c_pol = _polarity(c_side)
    c_keys = {t.key for t in c_side.tokens}
    e_sides = [_side(e) for e in evidence]
    e_keys = {t.key for s in e_sides for t in s.tokens}
    lexical = wordnet()
    for i, t in enumerate(c_side.tokens):
        others = table.get(t.key) or table.get(stem(t.text)) or frozenset()
        if t.key in e_keys or not (others or (lexical is not None and t.kind == "word")):
            continue
        for k, side in enumerate(e_sides):
            e_pol = _polarity(side)
            for j, u in enumerate(side.tokens):
                if u.key in c_keys:
                    continue
                # The data file first (it knows news usage); WordNet's antonyms for the rest.
                if u.key not in others and not (
                    lexical is not None and t.kind == u.kind == "word" and lexical.opposite(t.text, u.text)
                ):
                    continue
                if (c_pol.get(i, 0) + e_pol.get(j, 0)) % 2:
                    continue  # "did not reject" / "accepted"
                need = 1 if k == best else MIN_SHARED_CONTEXT
                if _shared_context(c_side, i, side, j) >= need:
                    return [
                        Finding(
                            "negation", CONTRADICTION, t.text, t.start, t.end, k, u.text, u.start, u.end, "opposite"
                        )
                    ]
    return []


def _modal_cues(side: _Side, other: _Side) -> list[tuple[int, Token]]:
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
            if _clause_break(side.text[side.tokens[j - 1].end : u.start]):
                break
            if u.is_content and _modal_level(side, j) is None:
                if _has(u.key, other_keys):
                    cues.append((level, t))
                    break
                reached += 1
                if reached >= REACH:
                    break
    return cues


def modality_findings(claim: str, evidence: str) -> list[Finding]:
    """Certainty or commitment of the claim stronger or weaker than its evidence's, over what both say."""
    c_side, e_side = _side(claim), _side(evidence)
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
        return [Finding("modality", DIFFERENCE, c.text, c.start, c.end, 0, e.text, e.start, e.end, "strengthened")]
    if c_delib and e_decis and not c_decis:
        c, e = c_delib[0], e_decis[0]
        return [Finding("modality", DIFFERENCE, c.text, c.start, c.end, 0, e.text, e.start, e.end, "weakened")]
    c_cues, e_cues = _modal_cues(c_side, e_side), _modal_cues(e_side, c_side)
    c_level = min((lvl for lvl, _ in c_cues), default=3)
    e_level = min((lvl for lvl, _ in e_cues), default=3)
    if c_level == e_level:
        return found
    c_cue = min(c_cues, key=lambda x: x[0])[1] if c_cues else None
    e_cue = min(e_cues, key=lambda x: x[0])[1] if e_cues else None
    if e_cue is not None and stem(e_cue.text.lower()) in {stem(w) for w in c_words}:
        return found  # the claim keeps the evidence's hedge (and adds another word of its own)
    # A claim may state an intention as "plans" or "is looking to": only a claim as weak as a
    # possibility ("may", "hopes") where the evidence commits or asserts counts as weakened.
    if c_level > e_level and e_level <= 1 and e_cue is not None:
        cs, ce, ct = (c_cue.start, c_cue.end, c_cue.text) if c_cue else (0, len(claim), f'(no "{e_cue.text}")')
        found.append(Finding("modality", DIFFERENCE, ct, cs, ce, 0, e_cue.text, e_cue.start, e_cue.end, "strengthened"))
    elif c_level < e_level and c_level == 0 and c_cue is not None:
        es, ee, et = (e_cue.start, e_cue.end, e_cue.text) if e_cue else (0, len(evidence), f'(no "{c_cue.text}")')
        found.append(Finding("modality", DIFFERENCE, c_cue.text, c_cue.start, c_cue.end, 0, et, es, ee, "weakened"))
    return found


@lru_cache(maxsize=256)
def name_index(text: str) -> Callable[[str], bool]:
    """A lookup of the names a text contains: by key, by stem family, and by alias ("London" for "U.K.")."""
    side = _side(text)
    keys = {t.key for t in side.tokens if t.kind != "stop"} | {stem(t.text.lower()) for t in side.tokens}
    aliases = _side_aliases(side)
    prefixes = {k[:4] for k in keys if len(k) >= 4}

    def contains(name: str) -> bool:
        token = tokenize(name)
        if not token:
            return True
        whole = _ALIASES.get(re.sub(r"[^a-z]", "", name.lower()))
        if whole is not None and whole in aliases:  # "United States" for "U.S.A."
            return True
        t = token[0]
        if t.key in keys or stem(t.text.lower()) in keys:
            return True
        group = _alias(t.text)
        if group is not None and group in aliases:
            return True
        return t.key[:4] in prefixes and _has(t.key, keys)

    return contains
