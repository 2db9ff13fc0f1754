"""Quotation marks paired by their context: where the quotations of a text are.

One finder for every stage that asks (the evidence stage exempts a quoting sentence's attribution
words; the quote ledger extracts and checks each quotation). A mark opens after a space or an
opening bracket and closes before a space or punctuation; where context cannot tell, the glyph
decides; apostrophes (Xi's, don't, the '90s, rock 'n' roll) are no quotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DOUBLE, _SINGLE = '"“”„«»', "'‘’"
_OPEN_AFTER = "([{—–-/" + _DOUBLE + _SINGLE  # an opening mark follows a space or one of these
_CLOSE_BEFORE = ".,;:!?)]}—–-…" + _DOUBLE + _SINGLE  # a closing mark precedes a space or one of these
_ELISION = re.compile(r"(?:em|til|cause|tis|twas|n)\b", re.IGNORECASE)  # 'em, 'til, rock 'n' roll


@dataclass(frozen=True)
class _Mark:
    pos: int
    double: bool
    opens: bool
    closes: bool


def _marks(text: str) -> list[_Mark]:
    """Quote marks with the roles their context allows; apostrophes are left out."""
    marks = []
    for i, ch in enumerate(text):
        if ch not in _DOUBLE and ch not in _SINGLE:
            continue
        prev = text[i - 1] if i else " "
        nxt = text[i + 1] if i + 1 < len(text) else " "
        opens = (prev.isspace() or prev in _OPEN_AFTER) and not nxt.isspace()
        closes = (nxt.isspace() or nxt in _CLOSE_BEFORE) and not prev.isspace()
        if ch in _DOUBLE:
            if opens == closes:  # context can't tell (a"b, or a mark between spaces): the glyph decides
                opens, closes = ch in '"“„«', ch in '"”»'
        elif (prev.isalnum() and nxt.isalnum()) or nxt.isdigit() or _ELISION.match(text, i + 1):
            continue  # an apostrophe: Xi's, don't, the '90s, 'em
        else:
            opens = opens and nxt.isalpha()
        if opens or closes:
            marks.append(_Mark(i, ch in _DOUBLE, opens, closes))
    return marks


def _closer(text: str, marks: list[_Mark], i: int, excerpt: bool) -> tuple[int, int] | None:
    """(position of the closing mark, next mark to read) for the opener marks[i], or None if it has none;
    in an excerpt, the end of the text closes a quotation that has no other mark of its kind after it."""
    opener = marks[i]
    # A double quote may run over a wrapped line but not past a blank line; single marks stay on their line.
    limit = re.compile(r"\n\s*\n" if opener.double else r"\n").search(text, opener.pos)
    end = limit.start() if limit else len(text)
    nested = 0  # straight quotes nested in straight quotes: 'He said: "We call it "the road" and mean it."'
    for j in range(i + 1, len(marks)):
        mark = marks[j]
        if mark.pos >= end:
            break
        if mark.double != opener.double:
            continue  # a quote nested inside this one
        if mark.closes:
            if not nested:
                return mark.pos, j + 1
            nested -= 1
            continue
        line_start = text.rfind("\n", opener.pos, mark.pos)
        if not nested and line_start >= 0 and not text[line_start : mark.pos].strip():
            return line_start, j  # a quote running into a new paragraph reopens it without closing
        nested += 1
    # No closer of its own (a stray mark, or an inner quote that closed the last one): no quotation here.
    return (len(text), len(marks)) if excerpt and limit is None and not nested else None


def pairs(text: str, *, excerpt: bool = False) -> list[tuple[int, int]]:
    """(opening mark, closing mark) of each top-level quotation; the end of an excerpt may close one."""
    pairs, i, marks = [], 0, _marks(text)
    while i < len(marks):
        found = _closer(text, marks, i, excerpt) if marks[i].opens else None
        if found is None:
            i += 1  # not an opener after all; its successor may be
            continue
        pairs.append((marks[i].pos, found[0]))
        i = found[1]
    return pairs


def quoted_ranges(text: str, *, excerpt: bool = False) -> list[tuple[int, int]]:
    """Where the top-level quotations of ``text`` are: ``text[a:b]`` is what one quotes, marks excluded.

    They are found as checks.quotes.extract_quotes finds them (by the marks' context; apostrophes are no quotes). With
    ``excerpt`` (``text`` is one sentence of a longer text), a quotation opened and not closed runs on
    to the end of ``text``, as a quotation of several sentences does; a closing mark whose opening mark
    is before ``text`` is left alone, since where that quotation began is not in ``text``.
    """
    return [(opened + 1, closed) for opened, closed in pairs(text, excerpt=excerpt)]
