"""Split a document's text into sentences with character offsets into that text.

sentencex finds the first-pass boundaries, one line at a time; a small rule pass then adds the
splits sentencex will not make (inside quotations) and removes the few it makes after
abbreviations. Lines and phrases that are page furniture rather than prose are returned as
skipped lines, so every non-whitespace character ends up in exactly one sentence or skipped line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from sentencex import segment as sx_segment  # ships no type stubs (mypy: ignore_missing_imports)

from .errors import InputError
from .wordlists import words


@dataclass(frozen=True)
class Sentence:
    """One sentence; ``text == document_text[start:end]``."""

    index: int
    text: str
    start: int
    end: int
    # A piece of one sentence past MAX_SENTENCE_WORDS after the first: judged on its own, but the words
    # that credit a quotation (checks/quotes.py) are read across the whole sentence.
    continues: bool = False


@dataclass(frozen=True)
class SkippedLine:
    """Text set aside as not prose (a heading, a menu, boilerplate); ``text == document_text[start:end]``."""

    text: str
    start: int
    end: int
    reason: str


@dataclass(frozen=True)
class Segmentation:
    """The sentences of a text in order, and what was set aside."""

    sentences: tuple[Sentence, ...]
    skipped: tuple[SkippedLine, ...]


SHORT_LINE = "short line without sentence punctuation (navigation or heading)"
BOILERPLATE = "web-page boilerplate"
DATELINE = "dateline (place and news agency)"
CAPTION = "photo caption or credit"
BYLINE = "byline or date line"
RELATED = "related links or navigation list"
SHARE = "share or follow prompt"
PROMO = "promo line in capitals"
NO_WORDS = "no words (a list marker or a lone mark)"
TITLE_CASE = "title-case line without sentence punctuation (a headline or a link)"
# The longest sentences of news and official prose run to about a hundred words. One past this cap is
# a list (of names, of figures) or text without punctuation; read whole it would be one "claim" judged on
# everything, at a cost that grows with its size. A list is read in pieces cut after its commas and
# semicolons, each within the cap; a stretch past the cap with no such mark (a dump, a transcript
# without punctuation) is set aside, listed with its offsets among the skipped lines.
MAX_SENTENCE_WORDS = 300
LONG_RUN = f"more than {MAX_SENTENCE_WORDS} words without a sentence end or a comma: not read as a sentence"
# A word that ends a clause (Latin, Arabic and CJK commas and semicolons, a colon, a dash), or a dash.
_CLAUSE_END_RE = re.compile(r"[,;:\u2013\u2014\u060c\u061b\u3001\uff0c\uff1b]$|^[\u2013\u2014-]$")

# A line this short with no final punctuation is a heading, a button or a link, not a claim.
_MAX_SHORT_LINE_WORDS = 5

# Generic web furniture, not fitted to any one site. The first group is split off the front of a
# sentence that sentencex glued it to ("Advertisement The president said ..."); the second
# marks the whole sentence, since the rest of it is a link's title.
_BOILERPLATE_PHRASES = (
    "story continues below advertisement",
    "advertisement",
    "scroll down for video",
    "share this article",
    "skip to content",
)
_BOILERPLATE_LEADS = ("click here to", "read more:")

_PHRASE_RE = re.compile(
    r"(?i:" + "|".join(re.escape(p) for p in _BOILERPLATE_PHRASES) + r")[.!:]?(?=\s*$|\s+[^\W\d_a-z])"
)
_LEAD_RE = re.compile(r"(?i:" + "|".join(re.escape(p) for p in _BOILERPLATE_LEADS) + r")")
# A story's opening "BEIJING (Reuters) -", "LONDON, March 3 (AP) —", "(UPI) --", a release's "TORONTO, ON
# (August 22, 2017) -", or a bare "CANBERRA -": where (and who, or when) it was filed, not a claim. The
# place is in capitals, its region a word or an abbreviation; the parenthesis names an agency (one to
# three capitalised words) or a date. A bare place has no dots ("U.S. - China" is prose).
_REGION = r"(?:, (?:[A-Z][a-z]+\.?|[A-Z]{2,3}\.?)(?: \d{1,2})?)?"
_DASH = r"(?:--?|–|—)"
_DATELINE_RE = re.compile(
    r"(?:[A-Z][A-Z.'’-]*(?: [A-Z][A-Z.'’-]*)*" + _REGION + r" )?"
    r"\((?:[A-Z][\w.&'’]*(?: [A-Z][\w.&'’]*){0,2}|[A-Z][a-z]+\.? \d{1,2}, \d{4})\) ?" + _DASH + r"\s*"
    # The bare form stands apart from a capitalised sentence, dashes spaced: "US-China" and "NATO - the" are prose.
    # Each word is read one way only ("[A-Z]{2,}[A-Z]*" splits a word of n capitals n - 1 ways, and a
    # long capitalised line that is no dateline then took time exponential in its words).
    r"|[A-Z]{2}[A-Z'’-]*(?: [A-Z]{2}[A-Z'’-]*)*" + _REGION + r" " + _DASH + r"\s+(?=[A-Z\"“‘'])"
)

# str.splitlines() boundaries: sentences cross one only where a line is hard-wrapped (_wrapped).
_LINE_RE = re.compile(r"[^\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]+")
_LINE_BREAKS = re.compile(r"[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")

# What a reader skips on a page, line by line (data/lexicon/furniture.txt has the words; the shapes
# are here). A caption's credit: "... | Getty Images", "Photo: ...", "(Photo by ...)".
_FURNITURE = "furniture"
_CREDIT_WORDS = "|".join(re.escape(w) for w in sorted(words(_FURNITURE, "photo_credit"), key=len, reverse=True))
_CAPTION_RE = re.compile(
    rf"(?i:^(?:{_CREDIT_WORDS})(?:\s+(?:credit|by))?\s*[:|/]"
    rf"|\|\s*(?:[\w.'’-]+\s+){{0,3}}(?:{_CREDIT_WORDS})\b[^|]*$"
    rf"|\((?:{_CREDIT_WORDS})(?:\s+by|:)[^)]*\)\W*$)"
)
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|"
    r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATE = rf"(?:{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH}\s+\d{{4}}|\d{{4}}-\d\d-\d\d)"
_TIME = r"(?:,?\s*(?:at\s+)?\d{1,2}[:.]\d\d\s*(?:[AaPp]\.?[Mm]\.?)?(?:\s*[A-Z]{2,4})?)"
_BYLINE_RE = re.compile(
    # "Written by X | Edited by Y", "By X"
    rf"^(?:(?:Written|Edited|Reported|Compiled|Reviewed|Fact[- ]checked)\s+by\b|By\s+[A-Z])"
    rf"|\|\s*(?:(?:Updated|Published|Posted)\s*:?\s*)?{_DATE}{_TIME}?\W*$"  # Name | January 17, 2025 5:30 PM
    rf"|^(?:(?:Updated|Published|Posted|Last updated)\s*:?\s*)?(?:[A-Z][a-z]+day,?\s+)?{_DATE}{_TIME}?\W*$"
)
_SHARE_RE = re.compile(
    "(?i:^(?:"
    + "|".join(re.escape(w) for w in sorted(words(_FURNITURE, "share"), key=len, reverse=True))
    + r")(?![\w-]))"
)
_PROMO_LEAD_RE = re.compile(
    "^(?:" + "|".join(re.escape(w) for w in sorted(words(_FURNITURE, "promo"), key=len, reverse=True)) + r")\s*:"
)
_RELATED_HEAD_RE = re.compile(
    "(?i:^(?:"
    + "|".join(re.escape(w) for w in sorted(words(_FURNITURE, "related"), key=len, reverse=True))
    + r")\b[^.!?]*$)"
)
_RELATED_MAX_WORDS = 20  # a link title is shorter than this; a paragraph of prose ends the list
_PROMO_MAX_WORDS = 15  # a promo in capitals is a line; a page's terms in capitals are longer
_SMALL_WORDS = frozenset(words(_FURNITURE, "title_case_small"))
# A hard-wrapped line ends mid-sentence: on a comma or a word that cannot end one.
_OPEN_END_RE = re.compile(
    r"(?:[,;–—-]|\b(?:" + "|".join(sorted(words(_FURNITURE, "open_ends"))) + r"))$", re.IGNORECASE
)

_CLOSERS = "\"'”’»)]"
_OPENERS = "\"'“‘«(["
# A terminator, closing quotes/brackets, then the whitespace before the next sentence.
_CANDIDATE_RE = re.compile(rf"([.!?…]+)([{re.escape(_CLOSERS)}]*)(\s+)")
# Chinese and Japanese full stops end a sentence with no space after them (sentencex's English rules
# never split there), closing brackets with it. Not inside a closing quote: '“我们会赢。”他说。' is one
# sentence, its attribution after the quote, as '"We will win," he said.' is.
_CJK_END_RE = re.compile(r"[。！？]+[)\]）》〕】]*(?![”’」』\"'»])")
_HAN_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")  # kana and ideographs
_ENDS_SENTENCE_RE = re.compile(rf"[.!?…。！？][{re.escape(_CLOSERS)}」』）》〕】]*$")

# Abbreviations whose period need not end a sentence (data/lexicon/abbreviations.txt). After the
# first a period never does: a name or a number always follows. The second can end one ("... in the
# U.S. He said"), so a period after them ends one only when the next word typically opens a sentence.
_TITLES = words("abbreviations", "never_end")
_ENDERS = words("abbreviations", "may_end")
_ACRONYM_RE = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]|[A-Z]")  # U.S, D.C, U.S.A, or an initial J
_STARTERS = words("abbreviations", "sentence_openers")
# A word: a run of letters between spaces, or one CJK character (those scripts put no spaces between words).
_CJK = "\u3000-\u9fff\uac00-\ud7af\uff00-\uffef"
_WORD_RE = re.compile(rf"[{_CJK}]|[^\s{_CJK}]+")


def segment(text: str) -> Segmentation:
    """Split ``text`` into sentences and skipped lines, with offsets into ``text``."""
    sentences: list[Sentence] = []
    skipped: list[SkippedLine] = []
    related = False  # inside a list of links under a "Related" heading
    previous_end = 0
    for line_start, line_end in _wrapped(text):
        line = text[line_start:line_end]
        stripped = line.strip()
        if not stripped:
            continue
        if len(_LINE_BREAKS.findall(text[previous_end:line_start].replace("\r\n", "\n"))) > 1:
            related = False  # a blank line ends a list
        previous_end = line_end
        start = _lstrip_pos(text, line_start)
        furniture = _furniture(stripped, related)
        # A heading over links ("Related stories") opens a list, which a blank line or a paragraph ends.
        heading = len(stripped.split()) <= 6 and bool(_RELATED_HEAD_RE.match(stripped))
        related = heading or (related and furniture is not None)
        if furniture is None and _short_line(stripped):
            furniture = _short_reason(stripped)
        if furniture is not None:
            skipped.append(SkippedLine(stripped, start, start + len(stripped), furniture))
            continue
        for start, end in _line_spans(_LINE_BREAKS.sub(" ", line), line_start):
            for s, e, reason, continues in _over_long(text, _boilerplate(text, start, end)):
                if reason is None:
                    sentences.append(Sentence(len(sentences), text[s:e], s, e, continues))
                else:
                    skipped.append(SkippedLine(text[s:e], s, e, reason))
    return Segmentation(tuple(sentences), tuple(skipped))


def _over_long(text: str, spans: list[tuple[int, int, str | None]]) -> list[tuple[int, int, str | None, bool]]:
    """Each sentence span past MAX_SENTENCE_WORDS words read in pieces after its clause ends, each within the
    cap (all but the first: True, it continues a sentence); a stretch past the cap with no clause end is set
    aside (LONG_RUN). One pass over the words: linear."""
    out: list[tuple[int, int, str | None, bool]] = []
    for start, end, reason in spans:
        if reason is not None or end - start <= MAX_SENTENCE_WORDS * 2:  # a word and a space: 2 characters
            out.append((start, end, reason, False))
            continue
        words = [(m.start(), m.end()) for m in _WORD_RE.finditer(text, start, end)]
        if len(words) <= MAX_SENTENCE_WORDS:
            out.append((start, end, reason, False))
            continue
        clause_end = [bool(_CLAUSE_END_RE.search(text[a:b])) for a, b in words]
        first, cut, i = 0, None, 0  # the piece's first word; the last clause end in it; the word read
        joined = False  # the last part of this span was a piece: the next continues its sentence
        while i < len(words):
            if i - first >= MAX_SENTENCE_WORDS:  # word i does not fit in the piece
                if cut is not None:  # the piece ends after its last clause end; no clause end follows in it
                    out.append((words[first][0], words[cut][1], None, joined))
                    joined = True
                    first, cut = cut + 1, None
                else:  # none within the cap: set aside up to the next clause end (or the end)
                    while i < len(words) - 1 and not clause_end[i]:
                        i += 1
                    out.append((words[first][0], words[i][1], LONG_RUN, False))
                    joined = False
                    first, cut, i = i + 1, None, i + 1
                    continue
            if clause_end[i]:
                cut = i
            i += 1
        if first < len(words):
            out.append((words[first][0], words[-1][1], None, joined))
    return out


def _wrapped(text: str) -> list[tuple[int, int]]:
    """The lines of the text, a hard-wrapped line joined with the next: one that ends mid-sentence (on a
    comma or a word like "the") or runs on into a next line that starts in lower case. A blank line between
    them, or a next line that starts a list, keeps them apart."""
    spans: list[tuple[int, int]] = []
    for m in _LINE_RE.finditer(text):
        line = m.group().strip()
        if not line:
            continue
        if spans:
            a, b = spans[-1]
            previous = text[a:b].rstrip()
            gap = text[b : m.start()]
            one_break = len(_LINE_BREAKS.findall(gap.replace("\r\n", "\n"))) == 1
            runs_on = line[:1].islower() or bool(_OPEN_END_RE.search(previous))
            if (
                one_break
                and runs_on
                and not _ENDS_SENTENCE_RE.search(previous)
                and not previous.endswith(":")
                and line[:1].isalnum()
                and previous[:1] not in "-*•|#>"
            ):
                spans[-1] = (a, m.end())
                continue
        spans.append((m.start(), m.end()))
    return spans


def _furniture(line: str, related: bool) -> str | None:
    """Why a reader skips this line of a page, if they do: a caption, a byline, a share prompt, ..."""
    if not _LETTER_RE.search(line):
        return NO_WORDS
    if _CAPTION_RE.search(line):
        return CAPTION
    n_words = len(line.split())
    if n_words <= 16 and _BYLINE_RE.search(line):
        return BYLINE
    if n_words <= 12 and _SHARE_RE.match(line):
        return SHARE
    capitals = 3 <= n_words <= _PROMO_MAX_WORDS and line.upper() == line and sum(c.isalpha() for c in line) > 8
    if _PROMO_LEAD_RE.match(line) or capitals:
        return PROMO
    if related and n_words <= _RELATED_MAX_WORDS:
        return RELATED
    if n_words > _MAX_SHORT_LINE_WORDS and not _ENDS_SENTENCE_RE.search(line) and _title_case(line):
        return TITLE_CASE
    return None


_LETTER_RE = re.compile(r"[^\W\d_]")


def _title_case(line: str) -> bool:
    """Every word but the small ones capitalised: how headlines and link titles are set, never prose."""
    words = [w.strip("\"'“”‘’()[]:,") for w in line.split()]
    words = [w for w in words if w and w[0].isalpha()]
    big = [w for w in words if w.lower() not in _SMALL_WORDS]
    return len(big) >= 4 and all(w[0].isupper() for w in big) and any(c.islower() for c in line)


def _lstrip_pos(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _rstrip_pos(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _short_line(piece: str) -> bool:
    # Chinese and Japanese write no spaces between words, which run about two characters each.
    words = len(piece.split()) + len(_HAN_RE.findall(piece)) // 2
    return words <= _MAX_SHORT_LINE_WORDS and not _ENDS_SENTENCE_RE.search(piece)


def _short_reason(piece: str) -> str:
    return BOILERPLATE if _PHRASE_RE.fullmatch(piece) or _LEAD_RE.match(piece) else SHORT_LINE


def _line_spans(line: str, offset: int) -> list[tuple[int, int]]:
    """Stripped sentence spans of one line, as offsets into the document."""
    cuts = {_before_openers(line, c) for c in _sentencex_cuts(line) if _keep_sentencex_cut(line, c)}
    cuts |= _quote_cuts(line)
    cuts |= {m.end() for m in _CJK_END_RE.finditer(line)}
    spans = []
    bounds = [0, *sorted(c for c in cuts if 0 < c < len(line)), len(line)]
    for a, b in pairwise(bounds):
        chunk = line[a:b]
        if chunk.strip():
            left = len(chunk) - len(chunk.lstrip())
            spans.append((offset + a + left, offset + a + left + len(chunk.strip())))
    return spans


def _sentencex_cuts(line: str) -> list[int]:
    pieces = list(sx_segment("en", line))
    # The pieces should tile the line; if some version ever normalises text, trust only our rules.
    if "".join(pieces) != line:
        return []
    cuts, pos = [], 0
    for piece in pieces[:-1]:
        pos += len(piece)
        cuts.append(pos)
    return cuts


def _before_openers(line: str, cut: int) -> int:
    """Where the sentence after a sentencex cut starts. sentencex leaves the opening mark of a quotation
    that does not close on its line ('He said. “We will win.') with the sentence before: it goes with its own."""
    cut = _lstrip_pos(line, cut)
    start = cut
    while start > 0 and line[start - 1] in _OPENERS:
        start -= 1
    return start if start < cut and (start == 0 or line[start - 1].isspace()) else cut


def _keep_sentencex_cut(line: str, cut: int) -> bool:
    dot = cut - 1
    while dot >= 0 and line[dot].isspace():
        dot -= 1
    after = _lstrip_pos(line, cut)
    # '"We will win.” he said': the words that credit a quotation belong to its sentence. sentencex
    # splits there when the marks do not match; it never does after a matching pair.
    # Chinese has no lower case: a character after the closing quote ('“我们会赢。”他说。') is read the same way.
    if dot >= 0 and line[dot] in _CLOSERS and (line[after : after + 1].islower() or _HAN_RE.match(line, after)):
        return False
    return not (dot >= 0 and line[dot] == "." and _abbreviation_stop(line, dot, after))


def _quote_cuts(line: str) -> set[int]:
    """Splits sentencex does not make: it never splits inside a quotation, even an unbalanced one."""
    cuts = set()
    for m in _CANDIDATE_RE.finditer(line):
        nxt = line[m.end() : m.end() + 1]
        if not nxt or not (nxt in _OPENERS or nxt.isupper() or nxt.isdigit()):
            continue
        if m.group(1) == "." and not m.group(2) and _abbreviation_stop(line, m.start(1), m.end()):
            continue
        cuts.add(m.end())
    return cuts


# Abbreviations are short: looking this far either side keeps long lines linear, not quadratic.
_WINDOW = 64


def _abbreviation_stop(line: str, dot: int, after: int) -> bool:
    """True when the period at ``dot`` ends an abbreviation and no sentence starts at ``after``."""
    words = line[max(0, dot - _WINDOW) : dot].split()
    if not words:
        return False
    # "China-U.S. ties": of a hyphenated word, the part after the last hyphen is the abbreviation.
    word = words[-1].lstrip(_OPENERS).rsplit("-", 1)[-1]
    if word in _TITLES:
        return True
    if word in _ENDERS or _ACRONYM_RE.fullmatch(word):
        following = line[after : after + _WINDOW].split(maxsplit=1)
        return not following or following[0].strip(_OPENERS + _CLOSERS + ",;:") not in _STARTERS
    return False


def _boilerplate(text: str, start: int, end: int) -> list[tuple[int, int, str | None]]:
    """Split known page furniture off a sentence span; None marks the part that is a sentence."""
    out: list[tuple[int, int, str | None]] = []
    dateline = _DATELINE_RE.match(text, start, end)
    if dateline and dateline.end() < end:
        out.append((start, _rstrip_pos(text, start, dateline.end()), DATELINE))
        start = dateline.end()
    while start < end:
        piece = text[start:end]
        if _LEAD_RE.match(piece):
            out.append((start, end, BOILERPLATE))
            break
        m = _PHRASE_RE.match(piece)
        if not m:
            out.append((start, end, None))
            break
        out.append((start, start + m.end(), BOILERPLATE))
        start = _lstrip_pos(text, start + m.end())
    return out


def segment_input(text: str, path: str, *, outlet: bool) -> Segmentation:
    """segment() of an input of a comparison, which must hold a sentence: else one line naming the file and the fix."""
    found = segment(text)
    if not found.sentences:
        where = "the outlet" if outlet else "this source"
        if any(s.reason == LONG_RUN for s in found.skipped):
            raise InputError(
                f"{path}: no sentences found in {where}: its text runs on for more than {MAX_SENTENCE_WORDS} words"
                " without a sentence end or a comma; give a text with sentence punctuation"
            )
        raise InputError(f"{path}: no sentences found in {where}; give a text with prose in it")
    return found
