"""Quantities: numerals, number words, percentages, money, scale words, time spans and ranges.

A number is read as a reader takes it: a range of values (an approximation word such as "about" or
"more than" widens it), a unit, and the word it counts. A claim's number contradicts its evidence
only when no reading of the two overlaps, so rounding and "20%" vs "twenty percent" are the same.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..findings import Finding, FindingKind, FindingType, ProblemKind, Severity, declare_finding
from ..lexicon import CARDINALS, ORDINALS, STOPWORDS, TENS, stem
from ..settings import Settings
from ..wordlists import entries, numbers, table, words
from .context import CONTRADICTION, MIN_SHARED_CONTEXT, same_key, side_of, slot_partner


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


# Scale words, currencies, spans of time and approximation words: data/lexicon/quantities.txt and
# approximation.txt.
_SCALE = numbers("quantities", "scale")
_SCALE_WORDS = words("quantities", "scale_words")
_CURRENCY_SYMBOL = table("quantities", "currency_symbols")
_CURRENCY_WORD = table("quantities", "currency_words")
_TIME_DAYS = numbers("quantities", "time_days")
_ORDINAL_NOUNS = words("quantities", "ordinal_nouns")
_UNITS = CARDINALS
_TENS = TENS
_ORDINALS = ORDINALS
# An approximation word before a number, and the range of values it lets the number stand for: the
# lists of approximation.txt, tried in this order (so "just under" is "below", not "max").
_APPROXIMATIONS = ("below", "above", "about", "min", "max")
_APPROX = tuple(
    ("(?:" + "|".join(re.escape(phrase) for phrase in entries("approximation", how)) + ")", how)
    for how in _APPROXIMATIONS
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
_DEFAULTS = Settings()  # the measured defaults, for callers outside a comparison
_WORD = re.compile(r"[A-Za-z]+")
_PERCENT_AFTER = re.compile(r"\s?(?:percent\b|per\s?cent\b|%)", re.IGNORECASE)
_SCALE_AFTER = re.compile(r"\s?(thousand|million|billion|trillion|bn|mn|m|k)\b", re.IGNORECASE)
_NOUN_AFTER = re.compile(r"[\s-]*(?:(?:of|in)\s+)?([A-Za-z]+)")
_WORD_AFTER = re.compile(r"[\s-]+([A-Za-z]+)")


def quantities(text: str, approximation: float = _DEFAULTS.approximation) -> list[Quantity]:
    """The quantities of a text: numerals and number words, with scale, unit and approximation.

    approximation: how far "about N" may be from N, as a share of N (Settings.approximation).
    """
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
        found.append(_finish(text, m.start(), m.end(), value, unit, kind, approximation))
        taken.append((m.start(), m.end()))
    taken_starts = [a for a, _ in taken]  # in order and apart: only the numeral before a word's end can overlap

    def free(q: Quantity) -> bool:
        k = bisect.bisect_left(taken_starts, q.end) - 1
        return k < 0 or taken[k][1] <= q.start

    found.extend(q for q in _word_numbers(text, approximation) if free(q))
    found.sort(key=lambda q: q.start)
    return _ranges(text, found)


def _word_numbers(text: str, approximation: float) -> list[Quantity]:
    """Number words: "twenty-five", "a dozen", "two hundred and fifty", "one-year", "fourth" (quarter)."""
    out: list[Quantity] = []
    words = list(_WORD.finditer(text))
    lower = [w.group(0).lower() for w in words]
    i = 0
    while i < len(words):
        w = lower[i]
        if w in _ORDINALS:
            if i + 1 < len(words) and lower[i + 1] in _ORDINAL_NOUNS:
                out.append(
                    _finish(text, words[i].start(), words[i].end(), float(_ORDINALS[w]), None, "ordinal", approximation)
                )
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
        out.append(_finish(text, words[i].start(), end, value + current, None, "count", approximation))
        i = k
    return out


def _unit_follows(text: str, end: int) -> bool:
    m = _WORD_AFTER.match(text, end)
    if not m:
        return False
    w = m.group(1).lower().rstrip("s")
    return (
        w in _TIME_DAYS
        or w in ("percent", "million", "billion", "thousand", "hundred", "dozen")
        or (w in _CURRENCY_WORD or w + "s" in _CURRENCY_WORD)
    )


def _finish(
    text: str, start: int, end: int, value: float, unit: str | None, kind: str, approximation: float
) -> Quantity:
    """Add what a number's surroundings say: approximation before it, unit or counted noun after it."""
    # Matched where the number ends, not on a copy of the rest of the text: a copy per number made
    # a long list of numbers quadratic.
    m = _PERCENT_AFTER.match(text, end)
    if m and unit is None:
        unit, end = "%", m.end()
    m = _SCALE_AFTER.match(text, end)
    scaled = re.search(r"(thousand|million|billion|trillion)$", text[start:end])
    if m and kind == "count" and unit != "%" and not scaled:
        scale = m.group(1).lower()
        if scale in _SCALE and (scale not in ("m", "k") or (unit or "").startswith("money")):
            value *= _SCALE[scale]
            end = m.end()
    noun: str | None = None
    m = _NOUN_AFTER.match(text, end)
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
                end = m.end()
    if unit and unit.startswith("money") and unit.endswith("?"):
        unit = "money"
    before = text[max(0, start - 40) : start].lower()
    low = high = value
    exact = True
    for pattern, how in _APPROX:
        if re.search(rf"\b{pattern}\s+(?:a\s+|an\s+)?$", before):
            exact = False
            if how == "about":
                low, high = value * (1 - approximation), value * (1 + approximation)
            elif how == "below":
                low, high = value * (1 - approximation), value
            elif how == "above":
                low, high = value, value * (1 + approximation)
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
    if a.unit is None and not (a.noun == b.noun or (a.noun and b.noun and same_key(a.noun, b.noun))):
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


def number_findings(
    claim: str,
    evidence: Sequence[str],
    *,
    best: int = 0,
    context: Sequence[str] = (),
    approximation: float = _DEFAULTS.approximation,
    dated: Callable[[str], Sequence[tuple[int, int]]] | None = None,
) -> list[Finding]:
    """A claim quantity that no evidence quantity can be, where evidence has one of its kind in its place.

    dated: where a text's dates stand (dates.py, which reads this module's years): the day of "April 9,
    2011" is the date check's, no count of anything, on either side.
    """

    def undated(text: str) -> list[Quantity]:
        spans = dated(text) if dated is not None else ()
        return [q for q in quantities(text, approximation) if not any(a <= q.start and q.end <= b for a, b in spans)]

    out: list[Finding] = []
    ev_quantities = [undated(e) for e in evidence]
    said = [e for qs in ev_quantities for e in qs] + [e for text in context for e in quantities(text, approximation)]
    c_side = side_of(claim)
    for q in undated(claim):
        if q.kind == "year":
            continue  # the date check's
        if any(_consistent(q, e) or _consistent(e, q) for e in said if _comparable(q, e)):
            continue
        if q.kind == "ordinal" and q.noun == "quarter":
            continue  # the date check's

        def options(k: int, q: Quantity = q) -> list[tuple[Quantity, int]]:
            return [(e, e.start) for e in ev_quantities[k] if _comparable(q, e)]

        # A unit (money, percent, a span of time) already narrows the slot: one shared context word will do.
        partner = slot_partner(c_side, q.start, evidence, best, options, elsewhere=1 if q.unit else MIN_SHARED_CONTEXT)
        if partner is not None:
            k, e = partner
            out.append(Finding(FindingType.NUMBER, CONTRADICTION, q.text, q.start, q.end, k, e.text, e.start, e.end))
    return out


# What this check's findings are, read by triage, the verdict and so every renderer (findings.FindingKind).
WRONG_NUMBER = ProblemKind.declare("wrong number", Severity.ERROR, "wrong numbers", rank=50)
declare_finding(FindingKind(FindingType.NUMBER, slot="number", contradiction=WRONG_NUMBER, contradicts=True))
