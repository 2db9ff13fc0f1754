"""Quote ledger: find every direct quotation in the outlet and check it against the source texts.

Extraction pairs quote marks by their context, not their glyph: an apostrophe has letters on both sides
("Xi's", "don't") or a digit after it ("the '90s"); an opening mark follows a space, a closing mark precedes
one. So a straight mark may close a curly one, and an opener with no closer in its paragraph is no quote.
Quotes nested inside a quote stay part of it (they are the speaker's words, not the outlet's quotation).

Verification aligns the quote's words with each source's words (rapidfuzz ``partial_ratio_alignment``
finds where to look, ``Indel.opcodes`` aligns the words there) and reads the status off the edits. Words
are compared lower-cased, with quote, apostrophe and dash style and all punctuation ignored.

=============  =================================================================================
verbatim       every word matches one contiguous source passage
trimmed        the only edits are marked or customary: words left out at an ellipsis, [bracketed]
               changes or insertions, a changed capital at the start
altered        unmarked edits: words changed, added, or dropped (fewer than SPLICE_MIN_WORDS in a row)
spliced        an unmarked gap of SPLICE_MIN_WORDS or more source words, or of a sentence end; or a
               piece of MOVED_MIN_WORDS+ words taken from elsewhere in the source
paraphrase     under ALIGN_MIN_COVERAGE of the quote matches, but a passage of one or two source
               sentences says much the same (PARAPHRASE_MIN_OVERLAP, or PARAPHRASE_MIN_SIMILARITY
               with a ``similarity`` function)
not_found      neither
misattributed  verbatim to spliced, but the outlet credits by name someone who is neither the source's
               speaker nor its name (a pronoun or "the statement" is never a misattribution); a source
               with no speaker given is not checked for attribution, and its quotes say so
=============  =================================================================================

Quotes of SHORT_QUOTE_WORDS words or fewer (scare quotes) are only looked up as whole words: verbatim
or not_found, since one or two words give no ground for claiming an edit or a paraphrase.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any, Protocol

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from reconcile.embed import Embedder, PairSimilarity
from reconcile.findings import ProblemKind, Severity, match_words
from reconcile.lexicon import QUOTE_CUE_VERBS, STOPWORDS, content_keys
from reconcile.memo import scoped
from reconcile.quotation import pairs as _pairs
from reconcile.schema import spec, to_json
from reconcile.segment import Sentence, segment
from reconcile.settings import Settings
from reconcile.wordlists import words

from .names import ORGANISATIONS, bare

SHORT_QUOTE_WORDS = 2  # scare quotes: looked up, never judged
SPLICE_MIN_WORDS = 5  # an unmarked gap this long joins two passages; a shorter one is dropped words
MOVED_MIN_WORDS = 3  # an added run this long found elsewhere in the source was moved there, not invented
ALIGN_MIN_COVERAGE = 2 / 3  # share of the quote's words, and of its content words, a source must match
PARAPHRASE_MIN_OVERLAP = 0.5  # share of the quote's content stems in one passage (at least two shared)
PARAPHRASE_MIN_SIMILARITY = Settings().quote_paraphrase_similarity  # MiniLM cosine (paraphrases ~0.6-0.9)


class QuoteStatus(str, Enum):  # noqa: UP042 - the project's enums are (str, Enum), like Verdict
    """How faithfully a quotation reproduces its source."""

    VERBATIM = "verbatim"
    TRIMMED = "trimmed"
    ALTERED = "altered"
    SPLICED = "spliced"
    PARAPHRASE = "paraphrase"
    NOT_FOUND = "not_found"
    MISATTRIBUTED = "misattributed"

    @property
    def label(self) -> str:
        """The status in plain words: "not found"."""
        return self.value.replace("_", " ")


# A verbatim or trimmed quotation reproduces its source: no problem, and its words are backed.
FAITHFUL_STATUSES = frozenset({QuoteStatus.VERBATIM, QuoteStatus.TRIMMED})
_RANK = {status: rank for rank, status in enumerate(QuoteStatus)}


@dataclass(frozen=True)
class Quote:
    """A quotation in the outlet: its inner text (``text == outlet[start:end]``) and who it is credited to."""

    text: str
    start: int
    end: int
    attributed_to: str | None
    cue: str | None = None  # the attribution as written ("he"); attributed_to is what it resolves to

    def __post_init__(self) -> None:
        if self.cue is None:  # frozen: a default that depends on another field is set here
            object.__setattr__(self, "cue", self.attributed_to)


@dataclass(frozen=True)
class QuoteSource:
    """A source text and who speaks in it: one name or several ("Ministry of Foreign Affairs; Xi Jinping").

    With no speaker, who speaks is unknown: its quotes are not checked for attribution.
    """

    name: str
    text: str
    speaker: str | None = None


@dataclass(frozen=True)
class DiffOp:
    """One word-level edit from the source passage to the quote."""

    op: str  # "equal" | "insert" | "delete" | "replace"
    outlet: str
    source: str
    note: str | None = None  # why it is (not) faithful: "ellipsis" | "brackets" | "skipped" | "moved"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = to_json(self)
        return out


@dataclass(frozen=True)
class QuoteCheck:
    """The verdict on one quotation, with the best-matching source passage."""

    text: str
    start: int
    end: int
    status: QuoteStatus
    attributed_to: str | None
    source: str | None
    source_start: int | None
    source_end: int | None
    diff: tuple[DiffOp, ...]
    reason: str
    # The speaker it is credited to when no source supplied speaks for them: what checking it waits on.
    credited_elsewhere: str | None = field(
        default=None,
        metadata=spec(omit_none=True, description="the speaker it is credited to, whose text is not among the sources"),
    )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = to_json(self)
        return out


# ---------------------------------------------------------------------------------------------- extraction

_MASK = "\x00"  # stands for quoted text while cues are read: no letters, no punctuation
_VERB = "(?:" + "|".join(re.escape(verb) for verb in QUOTE_CUE_VERBS) + ")"  # data/lexicon/attribution.txt
_WHO = (
    r"(?P<who>\b(?:he|she|they|it|we)\b"
    r"|(?:[A-Z][\w’'.-]*\s+){0,3}[A-Z][\w’'-]*"  # a name with its titles: President Xi, Donald J. Trump
    r"|\b(?:[Tt]he|[Aa]n?)\s+(?:[\w’'-]+\s+){0,3}?[\w’'-]+)"  # the statement, a White House spokesperson
)
_SUBJECT_VERB = re.compile(rf"{_WHO}\s+(?:also\s+|later\s+|then\s+)?{_VERB}\b")
_VERB_SUBJECT = re.compile(rf"^\W*{_VERB}\s+{_WHO}")  # after a quote: ", said Trump."
_ACCORDING_TO = re.compile(rf"\b[Aa]ccording to\s+{_WHO}")
_PRONOUNS = frozenset("he she they it we i".split())


def _mask(text: str, pairs: list[tuple[int, int]]) -> str:
    chars = list(text)
    for opened, closed in pairs:
        for k in range(opened, min(closed + 1, len(text))):
            if chars[k] != "\n":
                chars[k] = _MASK
    return "".join(chars)


@scoped
def _sentences(text: str) -> tuple[tuple[int, int], ...]:
    """Sentence spans as segment() splits them, with the lines it sets aside as spans of their own; the pieces
    of a sentence past segment's cap are one span, so that the words that credit a quote reach all of it."""
    seg = segment(text)
    whole: list[tuple[int, int]] = []
    for s in seg.sentences:
        whole[-1:] = [(whole[-1][0], s.end)] if s.continues and whole else [*whole[-1:], (s.start, s.end)]
    return tuple(sorted(whole + [(s.start, s.end) for s in seg.skipped]))


def _frames(text: str, pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentence spans in which a quotation and the words around it are one sentence, however many
    sentences are quoted: the words that credit it ('"…," Trump wrote') are in the sentence with its start."""
    frames: list[tuple[int, int]] = []
    opens = [opened for opened, _ in pairs]  # top-level pairs: in order, none inside another
    for start, end in _sentences(text):
        k = bisect.bisect_left(opens, start) - 1  # the last quotation opened before this sentence
        if frames and k >= 0 and start <= pairs[k][1]:
            frames[-1] = (frames[-1][0], end)
        else:
            frames.append((start, end))
    return frames


def _is_name(who: str) -> bool:  # not "he", not "the statement"; "the Foreign Ministry" is one
    named = re.sub(r"^(?:[Tt]he|[Aa]n?)\s+", "", who)
    return named[:1].isupper() and who.lower() not in _PRONOUNS


_LETTER = re.compile(r"[^\W\d_]")
_NON_WORD = re.compile(r"\W*")
_VERB_SUBJECT_AT = re.compile(rf"\W*{_VERB}\s+{_WHO}")  # _VERB_SUBJECT where a match starts at pos


@dataclass(frozen=True)
class _Span:
    """The cues of one sentence span of the masked text, searched once for all of its quotes: searching
    the words around each quote again made a sentence of many quotes quadratic. No match spans a masked
    quotation, so those in the words before a quote are the span's matches that end before it."""

    start: int
    end: int
    said: tuple[tuple[int, str], ...]  # (end, who) of each subject-verb match
    according: tuple[tuple[int, int, str], ...]  # (start, end, who) of each "according to X"
    letters: tuple[int, int] | None  # the first and last letter outside quotations
    alone: str | None  # who it credits as a neighbour of a quote that is a sentence of its own

    @classmethod
    def of(cls, masked: str, start: int, end: int) -> _Span:
        text = masked[start:end]
        said = tuple((start + m.end(), m["who"]) for m in _SUBJECT_VERB.finditer(text))
        according = tuple((start + m.start(), start + m.end(), m["who"]) for m in _ACCORDING_TO.finditer(text))
        first = _LETTER.search(text)
        last = _LETTER.search(text[::-1])
        letters = (start + first.start(), end - 1 - last.start()) if first and last else None
        span = cls(start, end, said, according, letters, None)
        last_mask = masked.rfind(_MASK, start, end)
        return replace(span, alone=span.cue(masked, end, last_mask + 1 if last_mask >= 0 else start))

    def cue(self, masked: str, before_end: int, after_start: int) -> str | None:
        """Who the words around a quote credit ('"…," Trump wrote', 'Xi stressed that "…"', 'according
        to X'): those from the span's start to before_end, and from after_start to its end."""
        end = max(self.end, after_start)
        stripped = _NON_WORD.match(masked, after_start, end)
        postposed = [
            _SUBJECT_VERB.match(masked, stripped.end() if stripped else after_start, end),
            _VERB_SUBJECT_AT.match(masked, after_start, end),
        ]
        if match := next((m for m in postposed if m), None):
            return match["who"]
        k = bisect.bisect_right(self.said, (before_end, "\uffff"))  # the nearest: "It stated that Xi said"
        if k:
            return self.said[k - 1][1]
        if self.according and self.according[0][1] <= before_end:
            return self.according[0][2]
        k = bisect.bisect_left(self.according, (after_start,))
        return self.according[k][2] if k < len(self.according) else None

    def has_words(self, before_end: int, after_start: int) -> bool:
        """Whether the span has letters outside the quote between before_end and after_start."""
        return self.letters is not None and (self.letters[0] < before_end or self.letters[1] >= after_start)


def _attribution(
    masked: str, sentences: list[tuple[int, int]], opened: int, closed: int, spans: dict[int, _Span]
) -> str | None:
    def span(k: int) -> _Span:
        if k not in spans:
            spans[k] = _Span.of(masked, *sentences[k])
        return spans[k]

    k = max(0, bisect.bisect_right(sentences, (opened, len(masked))) - 1)
    start, end = sentences[k]
    cue = span(k).cue(masked, opened, closed + 1)
    if cue or span(k).has_words(opened, closed + 1):
        return cue
    # A quote that is a sentence (or several) of its own is credited by its neighbours: 'Trump wrote. "…"'.
    neighbours = []
    if k > 0:
        prev_start, prev_end = sentences[k - 1]
        last = prev_end
        while last > prev_start and masked[last - 1].isspace():
            last -= 1
        if masked.find("\n", prev_end, start) < 0 or (last > prev_start and masked[last - 1] == ":"):
            neighbours.append(k - 1)
    if k + 1 < len(sentences) and masked.find("\n", end, sentences[k + 1][0]) < 0:
        neighbours.append(k + 1)
    return next((cue for n in neighbours if (cue := span(n).alone)), None)


_TITLE_SMALL = frozenset("a an and as at but by for from in into of on or the to up via with vs".split())


def _is_title(inner: str) -> bool:
    """A quoted name or title ("Truth Social", "Meet the Press"): two to six words, each but the small ones
    capitalised, no sentence in it. It names something; it is no one's words to verify."""
    words = re.findall(r"[^\W\d_][\w’'.&-]*", inner)
    big = [w for w in words if w.lower() not in _TITLE_SMALL]
    return (
        2 <= len(words) <= 6
        and len(big) >= 2
        and all(w[0].isupper() for w in big)
        and words[0][0].isupper()
        and not re.search(r"[.!?,;:]\W*\w", inner)
        and not re.search(r"[!?]", inner)
        and inner.split()[0] not in ("I", "We")
    )


def extract_quotes(text: str) -> list[Quote]:
    """Every top-level direct quotation in ``text``, with the speaker its sentence credits."""
    pairs = _pairs(text)
    masked = _mask(text, pairs)
    sentences = _frames(text, pairs) or [(0, len(text))]
    quotes = []
    # Who said or wrote something, found once in the whole text: searching the text before each quote
    # again made many quotes quadratic. A match never spans a masked quotation, so the matches ending
    # before a quote are those a search of the text before it finds.
    named = [(m.end(), m["who"]) for m in _SUBJECT_VERB.finditer(masked) if _is_name(m["who"])]
    named_ends = [end for end, _ in named]
    spans: dict[int, _Span] = {}
    for opened, closed in pairs:
        inner = text[opened + 1 : closed]
        start = opened + 1 + len(inner) - len(inner.lstrip())
        end = start + len(inner.strip())
        if not any(ch.isalnum() for ch in text[start:end]) or _is_title(text[start:end]):
            continue
        cue = _attribution(masked, sentences, opened, closed, spans)
        who = cue
        if cue and cue.lower() in ("he", "she"):
            # The nearest name that said or wrote something, in this sentence or the one before: a name
            # two paragraphs up is no reading of "he" (left unresolved, checked against every source).
            k = bisect.bisect_right(named_ends, opened)
            frame = max(0, bisect.bisect_right(sentences, (opened, len(text))) - 1)
            near = sentences[max(0, frame - 1)][0]
            who = named[k - 1][1] if k and named_ends[k - 1] > near else cue
        quotes.append(Quote(text[start:end], start, end, who, cue=cue))
    return quotes


# -------------------------------------------------------------------------------------------- verification

_TOKEN = re.compile(
    r"(?P<ellipsis>\[?(?:…|\.(?:\s?\.){2,})\]?)"
    # words; "solv[ing]" is one word. No "[" inside brackets: a run of "[" then fails at once at each
    # of its marks instead of scanning the rest of the run from each (quadratic).
    r"|(?:\w|\[[^\[\]\s]*\])+(?:['’.](?:\w|\[[^\[\]\s]*\])+)*"
)
_TITLES = words("titles", "speaker")  # data/lexicon/titles.txt


@dataclass(frozen=True)
class _Word:
    key: str
    start: int
    end: int
    edited: bool = False  # in or touching [brackets]
    pre: str = ""  # of "solv[ing]": the letters outside the brackets, which the source word must keep
    post: str = ""
    after_ellipsis: bool = False


def _key(raw: str) -> str:
    key = raw.replace("[", "").replace("]", "").replace("’", "'").lower()
    return key if any(ch.isdigit() for ch in key) else key.replace(".", "")  # U.S.A. = USA, but 3.5 != 35


def _words(text: str) -> list[_Word]:
    brackets = [m.span() for m in re.finditer(r"\[[^\[\]]*\]", text)]  # innermost: linear, as _TOKEN
    bracket_starts = [a for a, _ in brackets]
    words: list[_Word] = []
    ellipsis = False
    for m in _TOKEN.finditer(text):
        if m.group("ellipsis"):
            ellipsis = True
            continue
        raw = m.group().replace("’", "'").lower()
        k = bisect.bisect_right(bracket_starts, m.start()) - 1  # brackets do not overlap: the one before
        inside = k >= 0 and m.end() <= brackets[k][1]
        pre, post = (raw.split("[")[0], raw.rsplit("]")[-1]) if "[" in raw else ("", "")
        words.append(_Word(_key(raw), m.start(), m.end(), inside or "[" in raw, pre, post, ellipsis))
        ellipsis = False
    return words


@dataclass(frozen=True)
class _Prepared:
    source: QuoteSource
    words: tuple[_Word, ...]
    keys: tuple[str, ...]
    sentences: tuple[tuple[int, int], ...]
    sentence_of: tuple[int, ...]  # the sentence index of each word
    joined: str  # the keys joined by spaces, and where each starts in it: what _window searches
    starts: tuple[int, ...]


@scoped  # a source is read once per comparison, for each of its quotes; never kept past it
def _prepare(source: QuoteSource) -> _Prepared:
    words = tuple(_words(source.text))
    sentences = _sentences(source.text) or ((0, len(source.text)),)
    sentence_of = tuple(bisect.bisect_right(sentences, (w.start, len(source.text))) - 1 for w in words)
    keys = tuple(w.key for w in words)
    starts = tuple(itertools.accumulate((len(k) + 1 for k in keys[:-1]), initial=0))
    return _Prepared(source, words, keys, sentences, sentence_of, " ".join(keys), starts)


@scoped
def _stems(source: QuoteSource) -> tuple[frozenset[str], ...]:
    """Content stems of each source sentence, apart from _prepare: only the paraphrase test needs them."""
    return tuple(frozenset(content_keys(source.text[a:b])) for a, b in _prepare(source).sentences)


def _find(needle: Sequence[str], p: _Prepared) -> int | None:
    """Where the words first stand, one after another, among the source's: a string search of the joined
    keys at word bounds (comparing word by word at each position was 6 ms a quote in a 30,000-word source)."""
    at = f" {p.joined} ".find(f" {' '.join(needle)} ")
    return None if at < 0 or not needle else bisect.bisect_left(p.starts, at)


def _window(q: list[_Word], p: _Prepared) -> tuple[int, int]:
    """Source words around where partial_ratio_alignment puts the quote (a window keeps Indel from
    matching stray words all over a long source)."""
    joined, starts = p.joined, p.starts
    lo, hi = len(p.keys), 0
    bounds = [i for i, w in enumerate(q) if i == 0 or w.after_ellipsis] + [len(q)]
    pieces = [q[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]  # the parts between ellipses
    # Each piece's head and tail are placed too: a spliced quote's halves may lie far apart.
    anchors = [part for piece in pieces for part in (piece, piece[:6], piece[-6:])]
    for anchor in anchors:
        hit = fuzz.partial_ratio_alignment(" ".join(w.key for w in anchor), joined)
        if hit is None:  # only with a score_cutoff, which is not given; the type allows it
            continue
        lo = min(lo, bisect.bisect_right(starts, hit.dest_start - 100) - 1)
        hi = max(hi, bisect.bisect_left(starts, hit.dest_end + 100))
    return max(lo, 0), min(hi, len(p.keys))


def _compact(runs: list[list[int]], qk: list[str], sk: Sequence[str]) -> None:
    """Merge runs of matched words [quote index, source index, length] that a tie in the LCS split apart.

    Indel may match a quote's "the" to a copy a sentence away, which would read as a skipped passage; when
    the same words also sit right next to the neighbouring run, the run moves there.
    """
    k = 0
    while k < len(runs) - 1:
        (qa, sa, na), (qb, sb, nb) = runs[k], runs[k + 1]
        if qa + na == qb and sa + na < sb:
            right = list(sk[sb - na : sb]) == qk[qa : qa + na]
            left = list(sk[sa + na : sa + na + nb]) == qk[qb : qb + nb]
            if right or left:
                runs[k : k + 2] = [[qa, sb - na if right and (na <= nb or not left) else sa, na + nb]]
                k = max(k - 1, 0)
                continue
        k += 1


def _ops(runs: list[list[int]], n_quote: int, p: _Prepared) -> list[tuple[str, int, int, int, int]]:
    """(tag, quote start, quote end, source start, source end) from the matched runs, edges included."""
    same = p.sentence_of
    ops = []
    q0, s0, _ = runs[0]
    # Unmatched words at the quote's edges replace as many source words beside them in the same sentence.
    k = next((k for k in range(min(q0, s0), 0, -1) if same[s0 - k] == same[s0]), 0)
    if q0 > k:
        ops.append(("insert", 0, q0 - k, s0 - k, s0 - k))
    if k:
        ops.append(("replace", q0 - k, q0, s0 - k, s0))
    for (qa, sa, na), (qb, sb, _) in zip(runs, runs[1:], strict=False):
        ops.append(("equal", qa, qa + na, sa, sa + na))
        qg, sg = qb - qa - na, sb - sa - na
        if qg or sg:
            ops.append(("replace" if qg and sg else "insert" if qg else "delete", qa + na, qb, sa + na, sb))
    ql, sl, nl = runs[-1]
    ops.append(("equal", ql, ql + nl, sl, sl + nl))
    qe, se = ql + nl, sl + nl
    k = next((k for k in range(min(n_quote - qe, len(same) - se), 0, -1) if same[se + k - 1] == same[se - 1]), 0)
    if k:
        ops.append(("replace", qe, qe + k, se, se + k))
    if qe + k < n_quote:
        ops.append(("insert", qe + k, n_quote, se + k, se + k))
    return ops


def _kind(op: tuple[str, int, int, int, int], q: list[_Word], p: _Prepared) -> str:
    tag, q1, q2, s1, s2 = op
    if tag == "equal":
        return "brackets" if any(w.edited for w in q[q1:q2]) else "equal"
    if tag == "delete" and q[q1].after_ellipsis:
        return "ellipsis"
    edited, source = q[q1:q2], p.words[s1:s2]
    # "[Xi]" may stand for any words; "solv[ing]" only for a source word that keeps "solv".
    fits = [
        not (w.pre or w.post) or any(s.key.startswith(w.pre) and s.key.endswith(w.post) for s in source) for w in edited
    ]
    if edited and all(w.edited for w in edited) and all(fits):
        return "brackets"
    if q2 - q1 >= MOVED_MIN_WORDS and _find([w.key for w in edited], p) is not None:
        return "moved"
    over_sentence_end = tag == "delete" and p.sentence_of[s1 - 1] != p.sentence_of[s2]
    if (s2 - s1) - (q2 - q1) >= SPLICE_MIN_WORDS or over_sentence_end:
        return "skipped"
    return "changed"


def _clip(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _align(quote: Quote, q: list[_Word], p: _Prepared) -> tuple[QuoteCheck, float] | None:
    """The quote as an edit of one source passage, with the share of it matched; None if too little is."""
    qk = [w.key for w in q]
    lo, hi = _window(q, p)
    blocks = Indel.opcodes(list(p.keys[lo:hi]), qk)
    runs = [[b.dest_start, lo + b.src_start, b.src_end - b.src_start] for b in blocks if b.tag == "equal"]
    if not runs:
        return None
    _compact(runs, qk, p.keys)
    ops = _ops(runs, len(q), p)
    kinds = [_kind(op, q, p) for op in ops]
    matched = [op for op, kind in zip(ops, kinds, strict=True) if kind in ("equal", "brackets", "moved")]
    covered = {i for op in matched for i in range(op[1], op[2])}
    content = {i for i, key in enumerate(qk) if key not in STOPWORDS} or set(range(len(q)))
    share = len(covered) / len(q)
    if min(share, len(covered & content) / len(content)) < ALIGN_MIN_COVERAGE:
        return None
    text, words, said = p.source.text, p.words, quote.text
    diff, parts, found = [], [], set(kinds)
    first = words[ops[0][3]]
    if ops[0][0] == "equal" and not q[0].edited and said[q[0].start] != text[first.start]:
        found.add("capital")  # "We will…" quoting "…that we will": an unmarked but accepted edit
        parts.append(f'changes the capital of "{text[first.start : first.end]}" at the start')
    for (tag, q1, q2, s1, s2), kind in zip(ops, kinds, strict=True):
        out = said[q[q1].start : q[q2 - 1].end] if q2 > q1 else ""
        src = text[words[s1].start : words[s2 - 1].end] if s2 > s1 else ""
        diff.append(DiffOp(tag, out, src, kind if kind not in ("equal", "changed") else None))
        out, src = _clip(out), _clip(src)
        if kind == "ellipsis":
            parts.append(f'"…" leaves out "{src}"')
        elif kind == "brackets" and tag == "equal":
            parts.append("[brackets] in " + ", ".join(f'"{said[w.start : w.end]}"' for w in q[q1:q2] if w.edited))
        elif kind == "brackets":
            parts.append(f'[brackets] turn "{src}" into "{out}"' if src else f'[brackets] add "{out}"')
        elif kind == "moved":
            parts.append(f'joins "{out}" from elsewhere in {p.source.name}')
        elif kind == "skipped":
            skipped = text[words[s1].start : words[s2].start].strip()
            before = text[words[max(s1 - 2, 0)].start : words[s1].start].strip()
            after = text[words[s2].start : words[min(s2 + 1, len(words) - 1)].end]
            parts.append(f'skips "{_clip(skipped)}" between "{before}" and "{after}"')
        elif kind == "changed":
            parts.append(f'"{out}" for "{src}"' if tag == "replace" else f'adds "{out}"' if out else f'drops "{src}"')
    status = (
        QuoteStatus.SPLICED
        if found & {"skipped", "moved"}
        else QuoteStatus.ALTERED
        if "changed" in found
        else QuoteStatus.TRIMMED
        if found & {"ellipsis", "brackets", "capital"}
        else QuoteStatus.VERBATIM
    )
    reason = f"{status.label}: " + ("; ".join(parts) if parts else f"the words of {p.source.name}")
    span = (first.start, words[max(op[4] for op in ops) - 1].end)
    shown = () if status is QuoteStatus.VERBATIM else tuple(diff)
    return _check(quote, status, reason, p.source, span, shown), share


def _overlap(mine: frozenset[str], passage: frozenset[str]) -> float:
    """Share of the quote's content stems in the passage; 0 unless two are shared (one proves nothing)."""
    shared = mine & passage
    return len(shared) / len(mine) if mine and len(shared) >= min(2, len(mine)) else 0.0


def _credits_other(quote: Quote, source: QuoteSource) -> bool:
    """Whether the outlet names someone other than the source's speaker (never a pronoun or a description)."""
    if not quote.cue or not _is_name(quote.cue) or source.speaker is None:
        return False

    def names(text: str | None) -> set[str]:
        return {w for w in re.findall(r"[^\W\d_]+", (text or "").lower()) if w not in _TITLES} - {"s", "the", "of"}

    credited = names(quote.cue)
    speaking = names(source.speaker) | names(source.name)
    # "Ministry" names no one: "the Foreign Ministry" is not the "Ministry of Trade". The head word of an
    # institution counts only where nothing else names it ("the Ministry" for the "Ministry of Trade").
    if credited - ORGANISATIONS and speaking - ORGANISATIONS:
        credited, speaking = credited - ORGANISATIONS, speaking - ORGANISATIONS
    return bool(credited) and not credited & speaking


SHORT_ALTERED_MAX_WORDS = 6  # a quote this short may be found altered by its words in place


def _near_short(quote: Quote, sources: Sequence[QuoteSource]) -> QuoteCheck | None:
    """A short quote as the credited speaker's passage of as many words with some replaced in place: at
    least half of its content words (one at the least) where the passage has them, in one sentence."""
    q = _words(quote.text)
    n = len(q)
    if n > SHORT_ALTERED_MAX_WORDS:
        return None
    content = [i for i, w in enumerate(q) if w.key not in STOPWORDS]
    best: tuple[int, int, _Prepared, int] | None = None
    for p in map(_prepare, sources):
        for i in range(len(p.keys) - n + 1):
            if p.sentence_of[i] != p.sentence_of[i + n - 1]:
                continue
            same = [k for k in range(n) if q[k].key == p.keys[i + k]]
            mine = [k for k in same if k in content]
            if len(same) == n or not mine or 2 * len(mine) < len(content):
                continue
            if best is None or (len(mine), len(same)) > best[:2]:
                best = (len(mine), len(same), p, i)
    if best is None:
        return None
    _, _, p, i = best
    text, words, said = p.source.text, p.words, quote.text
    diff: list[DiffOp] = []
    parts: list[str] = []
    k = 0
    while k < n:
        equal = q[k].key == p.keys[i + k]
        j = k
        while j < n and (q[j].key == p.keys[i + j]) == equal:
            j += 1
        out = said[q[k].start : q[j - 1].end]
        src = text[words[i + k].start : words[i + j - 1].end]
        diff.append(DiffOp("equal" if equal else "replace", out, src))
        if not equal:
            parts.append(f'"{_clip(out)}" for "{_clip(src)}"')
        k = j
    reason = f"{QuoteStatus.ALTERED.label}: " + "; ".join(parts) + f" ({p.source.speaker}'s words in {p.source.name})"
    span = (words[i].start, words[i + n - 1].end)
    return _check(quote, QuoteStatus.ALTERED, reason, p.source, span, tuple(diff))


def _speaking_for(quote: Quote, sources: Sequence[QuoteSource]) -> tuple[list[QuoteSource], list[QuoteSource]]:
    """The sources that may hold the words of the quote's credited speaker (theirs, or with no speaker
    given), and the others. Every source may, when no one is named or no source names its speaker."""
    # A pronoun's reading is a guess, and a scare quote's word or two is no speech: neither narrows the sources.
    if len(_words(quote.text)) <= SHORT_QUOTE_WORDS or not quote.cue or not _is_name(quote.cue):
        return list(sources), []
    if all(s.speaker is None for s in sources):
        return list(sources), []
    own = [s for s in sources if not _credits_other(quote, s)]
    return own, [s for s in sources if s not in own]


def _check(
    quote: Quote,
    status: QuoteStatus,
    reason: str,
    source: QuoteSource | None = None,
    span: tuple[int, int] | None = None,
    diff: tuple[DiffOp, ...] = (),
) -> QuoteCheck:
    return QuoteCheck(
        quote.text,
        quote.start,
        quote.end,
        status,
        quote.attributed_to,
        source.name if source else None,
        span[0] if span else None,
        span[1] if span else None,
        diff,
        " ".join(reason.split()),  # one line
    )


@dataclass(frozen=True)
class _Passages:
    """Every passage of one or two sentences of some sources, single sentences first; the same for each
    quote checked against those sources, so made once (scoped)."""

    windows: tuple[tuple[_Prepared, int, int], ...]  # source, first and last sentence
    spans: tuple[tuple[int, int], ...]
    texts: tuple[str, ...]


@scoped
def _passages(sources: tuple[QuoteSource, ...]) -> _Passages:
    prepared = [_prepare(source) for source in sources]
    windows = tuple((each, i, i + n) for each in prepared for n in (0, 1) for i in range(len(each.sentences) - n))
    spans = tuple((p.sentences[i][0], p.sentences[j][1]) for p, i, j in windows)
    texts = tuple(p.source.text[a:b] for (p, _, _), (a, b) in zip(windows, spans, strict=True))
    return _Passages(windows, spans, texts)


def _closest(
    text: str, sources: tuple[QuoteSource, ...], similarity: Callable[[str, str], float] | None
) -> tuple[float, _Prepared, tuple[int, int]] | None:
    """The passage of one or two source sentences that best says what the quote says, and its score."""
    passages = _passages(sources)
    if similarity is None:
        mine = content_keys(text)
        scores = [_overlap(mine, _stems(p.source)[i] | _stems(p.source)[j]) for p, i, j in passages.windows]
    else:
        # One text against every passage at once where the similarity can (PairSimilarity.against).
        against = getattr(similarity, "against", None)
        scores = against(text, passages.texts) if against else [similarity(text, t) for t in passages.texts]
    # Of equal scores the first wins: a single sentence before two, as a second sentence only adds words.
    best: tuple[float, _Prepared, tuple[int, int]] | None = None
    for (p, _, _), span, score in zip(passages.windows, passages.spans, scores, strict=True):
        if best is None or score > best[0]:
            best = (score, p, span)
    return best


def _plain(text: str) -> str:
    """A quote's words for the paraphrase test: ellipses and brackets gone."""
    return re.sub(r"\[?(?:…|\.{3})\]?", " ", text).replace("[", "").replace("]", "")


def similarity_texts(quotes: Sequence[QuoteCheck | Quote], sources: Sequence[QuoteSource]) -> list[str]:
    """Every text the paraphrase test may ask ``similarity`` about for these quotes: each quote's words and
    each passage of one or two source sentences. A caller whose similarity runs a model encodes them in one
    batch first, rather than one quote at a time."""
    return list(dict.fromkeys([*(_plain(q.text) for q in quotes), *_passages(tuple(sources)).texts]))


def verify_quote(
    quote: Quote,
    sources: Sequence[QuoteSource],
    *,
    similarity: Callable[[str, str], float] | None = None,
    paraphrase_similarity: float = PARAPHRASE_MIN_SIMILARITY,
) -> QuoteCheck:
    """Check one quotation against the sources of the speaker it is credited to; the best match decides.

    A quotation credited by name is the words of that speaker: it is looked for in the sources whose
    speaker it names and in those whose speaker is not given, never matched (as a paraphrase or an
    altered quote) with another speaker's words. Found word for word in another speaker's source only,
    it is misattributed; credited to a speaker no source speaks for, it is not found, and says so.
    """
    check = _verify_credited(quote, sources, similarity=similarity, paraphrase_similarity=paraphrase_similarity)
    if check.status in (QuoteStatus.NOT_FOUND, QuoteStatus.PARAPHRASE) and SHORT_QUOTE_WORDS < len(_words(quote.text)):
        # A short quote with a word or two changed ("frank but difficult" for "frank and constructive")
        # aligns too little to pass as an edit: the credited speaker's nearest passage of its length says so.
        named = bool(quote.cue) and _is_name(quote.cue or "")
        own = [s for s in sources if named and s.speaker is not None and not _credits_other(quote, s)]
        if own and (near := _near_short(quote, own)) is not None:
            return near
    return check


def _verify_credited(
    quote: Quote,
    sources: Sequence[QuoteSource],
    *,
    similarity: Callable[[str, str], float] | None,
    paraphrase_similarity: float,
) -> QuoteCheck:
    """verify_quote without the short-quote fallback: the speaker's sources first, then the words alone."""
    own, others = _speaking_for(quote, sources)
    if len(own) < len(sources):
        check = (
            verify_quote(quote, own, similarity=similarity, paraphrase_similarity=paraphrase_similarity)
            if own
            else None
        )
        if check is None or check.status not in FAITHFUL_STATUSES:
            elsewhere = verify_quote(
                replace(quote, attributed_to=None, cue=None),
                others,
                similarity=similarity,
                paraphrase_similarity=paraphrase_similarity,
            )
            if elsewhere.status in FAITHFUL_STATUSES:
                speaker = next(s.speaker for s in others if s.name == elsewhere.source)
                credit = f'misattributed: credited to "{quote.cue}", but the words are {speaker}\'s'
                return replace(
                    elsewhere,
                    status=QuoteStatus.MISATTRIBUTED,
                    attributed_to=quote.attributed_to,
                    reason=f"{credit}; {elsewhere.reason}",
                )
        if check is None:
            who = quote.attributed_to
            missing = _check(
                quote, QuoteStatus.NOT_FOUND, f"not found: credited to {who}, whose text is not among the sources"
            )
            return replace(missing, credited_elsewhere=who)
        return check
    q = _words(quote.text)
    prepared = [_prepare(source) for source in sources]
    if len(q) <= SHORT_QUOTE_WORDS:
        hits = [(p, i) for p in prepared if q and (i := _find([w.key for w in q], p)) is not None]
        check = _check(quote, QuoteStatus.NOT_FOUND, f'not found: no source has "{quote.text}" as words')
        if hits:
            p, i = hits[0]
            span = (p.words[i].start, p.words[i + len(q) - 1].end)
            reason = f"verbatim: whole words of {p.source.name}"
            check = _check(quote, QuoteStatus.VERBATIM, reason, p.source, span)
    elif found := [(m[0], m[1], p.source) for p in prepared if (m := _align(quote, q, p))]:
        # The best match; of equals, one whose speaker is the person credited.
        check, _, source = min(found, key=lambda m: (_RANK[m[0].status], _credits_other(quote, m[2]), -m[1]))
        if _credits_other(quote, source):
            credit = f'misattributed: credited to "{quote.cue}", but the words are {source.speaker}\'s'
            check = replace(check, status=QuoteStatus.MISATTRIBUTED, reason=f"{credit}; {check.reason}")
        elif source.speaker is None and quote.cue and _is_name(quote.cue):
            # How to give one is said once, at the top of the report (speaker_warnings), not on every quote.
            unchecked = f'attribution to "{quote.cue}" {ATTRIBUTION_UNCHECKED}: {source.name} has no speaker'
            check = replace(check, reason=f"{check.reason}; {unchecked}")
    else:
        plain = _plain(quote.text)
        check = _check(quote, QuoteStatus.NOT_FOUND, "not found: no source has these words or says the same")
        if closest := _closest(plain, tuple(sources), similarity):
            score, p, span = closest
            measure = f"{match_words(score)}, {score:.2f}" if similarity else f"content-word overlap {score:.2f}"
            if score >= (paraphrase_similarity if similarity else PARAPHRASE_MIN_OVERLAP):
                passage = _clip(p.source.text[span[0] : span[1]], 200)
                reason = f'paraphrase: closest passage in {p.source.name} is "{passage}" ({measure})'
                check = _check(quote, QuoteStatus.PARAPHRASE, reason, p.source, span)
            else:
                check = replace(check, reason=f"{check.reason} (nearest passage: {p.source.name}, {measure})")
    if quote.cue and quote.cue.lower() in _PRONOUNS:
        resolved = f"read as {quote.attributed_to}" if quote.attributed_to != quote.cue else "unresolved"
        check = replace(check, reason=f'{check.reason}; attribution "{quote.cue}" {resolved}')
    return check


def check_quotes(
    text: str,
    sources: Sequence[QuoteSource],
    *,
    similarity: Callable[[str, str], float] | None = None,
    paraphrase_similarity: float = PARAPHRASE_MIN_SIMILARITY,
) -> list[QuoteCheck]:
    """Extract every quotation of ``text`` and verify each against ``sources``."""
    declared = _declared_person(sources)
    return [
        verify_quote(
            _read_pronoun(quote, declared), sources, similarity=similarity, paraphrase_similarity=paraphrase_similarity
        )
        for quote in extract_quotes(text)
    ]


def _declared_person(sources: Sequence[QuoteSource]) -> str | None:
    """The one person the sources declare as their speaker ("Donald Trump"; a ministry is no "he"), if one."""
    people = {
        name.strip()
        for s in sources
        if s.speaker
        for name in re.split(r"[;,]", s.speaker)
        if name.strip() and not {bare(w) for w in name.split()} & ORGANISATIONS
    }
    return people.pop() if len(people) == 1 else None


def _read_pronoun(quote: Quote, declared: str | None) -> Quote:
    """A "he" or "she" that no name of its sentence or the one before resolves (extract_quotes) is read as the
    sources' one declared speaker, not left unresolved: a name two paragraphs up is no better reading."""
    unresolved = quote.cue is not None and quote.cue.lower() in ("he", "she") and quote.attributed_to == quote.cue
    return replace(quote, attributed_to=declared) if unresolved and declared else quote


@dataclass(frozen=True)
class QuoteLedger:
    """Every quotation of one outlet, checked against the sources, and how a sentence's own are checked."""

    quotes: tuple[QuoteCheck, ...]
    text: str  # the outlet's
    sources: tuple[QuoteSource, ...]
    similarity: Callable[[str, str], float]
    paraphrase_similarity: float

    def in_sentence(self, sentence: Sentence) -> list[QuoteCheck]:
        """The quotations inside one sentence (sentence_quotes)."""
        return sentence_quotes(
            sentence, self.quotes, self.text, self.sources, self.similarity, self.paraphrase_similarity
        )


class Speaking(Protocol):
    """A source as the ledger reads it (a QuoteSource, or a documents.Document): its name, text and speaker."""

    @property
    def name(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def speaker(self) -> str | None: ...


def quote_ledger(text: str, documents: Sequence[Speaking], embedder: Embedder, settings: Settings) -> QuoteLedger:
    """The outlet's quote ledger; every text a similarity may be asked of is encoded in one batch, when first asked."""
    sources = [QuoteSource(d.name, d.text, d.speaker) for d in documents]
    paraphrase_similarity = settings.quote_paraphrase_similarity
    similarity = PairSimilarity(embedder, lambda: similarity_texts(extract_quotes(text), sources))
    quotes = check_quotes(text, sources, similarity=similarity, paraphrase_similarity=paraphrase_similarity)
    return QuoteLedger(tuple(quotes), text, tuple(sources), similarity, paraphrase_similarity)


ATTRIBUTION_UNCHECKED = "not checked"


def speaker_warnings(quotes: Sequence[QuoteCheck], sources: Sequence[QuoteSource]) -> tuple[str, ...]:
    """One warning per source without a speaker whose quoted words the outlet credits to someone by name."""
    unchecked = {
        q.source for q in quotes if q.source and f'" {ATTRIBUTION_UNCHECKED}: {q.source} has no speaker' in q.reason
    }
    return tuple(
        f"{s.name} has no speaker, so who said its words is not checked: give one with "
        f'--source "SPEAKER: {s.name}=PATH" (in a batch config, speaker:)'
        for s in sources
        if s.speaker is None and s.name in unchecked
    )


def quotes_inside(quotes: Sequence[QuoteCheck], start: int, end: int) -> list[QuoteCheck]:
    """The ledger's quotations wholly inside [start, end)."""
    return [q for q in quotes_overlapping(quotes, start, end) if start <= q.start and q.end <= end]


def quotes_overlapping(quotes: Sequence[QuoteCheck], start: int, end: int) -> Sequence[QuoteCheck]:
    """The ledger's quotations that share a character with [start, end). The ledger's quotations are in order
    and none is inside another, so their ends are in order too: two bisections, not a pass over all of them."""
    first = bisect.bisect_right(quotes, start, key=lambda q: q.end)
    return quotes[first : bisect.bisect_left(quotes, end, lo=first, key=lambda q: q.start)]


def quoted_spans(quotes: Sequence[QuoteCheck], sentence: Sentence) -> list[tuple[int, int]]:
    """Where the ledger's quotations inside the sentence stand, as offsets into the sentence's text."""
    inside = quotes_inside(quotes, sentence.start, sentence.end)
    return [(q.start - sentence.start, q.end - sentence.start) for q in inside]


def sentence_quotes(
    sentence: Sentence,
    quotes: Sequence[QuoteCheck],
    text: str,
    sources: Sequence[QuoteSource],
    similarity: Callable[[str, str], float],
    paraphrase_similarity: float = PARAPHRASE_MIN_SIMILARITY,
) -> list[QuoteCheck]:
    """The quotations inside one sentence, a quote that runs over several sentences checked piecewise.

    Each sentence answers for its own words: a verbatim sentence of a spliced quotation is still
    verbatim, and the splice between sentences is the quote ledger's finding.
    """
    inside: list[QuoteCheck] = []
    # Only the quotes that reach into this sentence (looking at every quote for every sentence was quadratic).
    for q in quotes_overlapping(quotes, sentence.start, sentence.end):
        if sentence.start <= q.start and q.end <= sentence.end:
            inside.append(q)
            continue
        start, end = max(q.start, sentence.start), min(q.end, sentence.end)
        piece = text[start:end].strip()
        if not any(ch.isalnum() for ch in piece):
            continue
        start = text.index(piece, start)
        inside.append(
            verify_quote(
                Quote(piece, start, start + len(piece), q.attributed_to),
                sources,
                similarity=similarity,
                paraphrase_similarity=paraphrase_similarity,
            )
        )
    return inside


# The problems a failed quotation is (triage.py); a faithful one is none.
QUOTE_PROBLEMS = {
    QuoteStatus.ALTERED: ProblemKind.declare("altered quote", Severity.ERROR, "altered quotes", rank=0),
    QuoteStatus.SPLICED: ProblemKind.declare("spliced quote", Severity.ERROR, "spliced quotes", rank=10),
    QuoteStatus.MISATTRIBUTED: ProblemKind.declare(
        "misattributed quote", Severity.ERROR, "misattributed quotes", rank=20
    ),
    QuoteStatus.PARAPHRASE: ProblemKind.declare(
        "quote not word for word", Severity.ERROR, "quotes not word for word", rank=30
    ),
    QuoteStatus.NOT_FOUND: ProblemKind.declare("quote in no source", Severity.CHECK, "quotes in no source", rank=150),
}
