"""Dates: years, months and days, weekdays and quarters, and where a claim's date differs from its evidence's.

A weekday is also checked against a full date, by the calendar. Relative dates ("yesterday") are not
compared, since neither text says on which day it was written.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..findings import Finding, FindingKind, FindingType, ProblemKind, Severity, declare_finding
from ..lexicon import ORDINALS
from ..wordlists import entries, integers
from .context import CONTRADICTION, side_of, slot_partner
from .quantities import quantities

# Months, their abbreviations and weekdays: data/lexicon/calendar.txt.
MONTHS = entries("calendar", "months")
MONTH_ABBR = integers("calendar", "month_abbreviations")
WEEKDAYS = entries("calendar", "weekdays")
# Words that are capitalised as names are but name a day or a month, not a person or a place.
MONTH_AND_DAY = frozenset(MONTHS) | frozenset(WEEKDAYS) | frozenset(MONTH_ABBR)


@dataclass(frozen=True)
class DateMention:
    """A date, or part of one, as a text gives it (the fields it does not give are None)."""

    text: str
    start: int
    end: int
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None  # 0 = Monday
    quarter: int | None = None


# A month written out or abbreviated, with or without its period ("Jan." or "Jan"); the longer
# abbreviation first, so that "Sept." is never read as "Sep" followed by a "t".
_MONTH_RE = (
    "(?P<month>"
    + "|".join(month.capitalize() for month in MONTHS)
    + "|"
    + "|".join(
        re.escape(abbr.capitalize()) + r"\.?"
        for abbr in sorted((a for a in MONTH_ABBR if a not in MONTHS), key=len, reverse=True)
    )
    + ")"
)
_DATE_RES = (
    re.compile(_MONTH_RE + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>1[89]\d\d|20\d\d)\b)?"),
    re.compile(
        r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH_RE + r"(?:,?\s+(?P<year>1[89]\d\d|20\d\d)\b)?"
    ),
    re.compile(_MONTH_RE + r"(?:\s+of)?,?\s+(?P<year>1[89]\d\d|20\d\d)\b"),
    re.compile(r"\b(?:in|since|until|by|from|of|early|late|mid-?|last|next|this)\s+" + _MONTH_RE + r"\b"),
)
_WEEKDAY_RE = re.compile(r"\b(" + "|".join(day.capitalize() for day in WEEKDAYS) + r")s?\b")
_QUARTER_RE = re.compile(
    r"\b(?:(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+quarter|Q(?P<q>[1-4]))\b", re.IGNORECASE
)


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
                month = MONTH_ABBR.get(month_text[:4]) or MONTH_ABBR.get(month_text[:3])
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
        ordinal = (m.group("ord") or "").lower()  # "third" or "3rd"
        value = (ORDINALS.get(ordinal) or int(ordinal[:1])) if ordinal else int(m.group("q"))
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


def date_findings(claim: str, evidence: Sequence[str], *, best: int = 0, context: Sequence[str] = ()) -> list[Finding]:
    """A year, month, day, weekday or quarter of the claim that its evidence gives otherwise."""
    out: list[Finding] = []
    ev_dates = [dates(e) for e in evidence]
    all_ev = [d for ds in ev_dates for d in ds] + [d for text in context for d in dates(text)]
    c_side = side_of(claim)
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

            partner = slot_partner(c_side, d.start, evidence, best, options)
            if partner is not None:
                k, x = partner
                out.append(Finding(FindingType.DATE, CONTRADICTION, d.text, d.start, d.end, k, x.text, x.start, x.end))
                break
    return out


# What this check's findings are, read by triage, the verdict and so every renderer (findings.FindingKind).
WRONG_DATE = ProblemKind.declare("wrong date", Severity.ERROR, "wrong dates", rank=60)
declare_finding(FindingKind(FindingType.DATE, slot="date", contradiction=WRONG_DATE, contradicts=True))
