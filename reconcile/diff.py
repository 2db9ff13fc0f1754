"""Two official texts of one event, compared both ways: what both say, what only one says, where they disagree.

    result = diff(a, b, embedder=embedder)      # a, b: Documents, each with its speaker

No stage is written again: the comparison is `compare(a, [b])` and `compare(b, [a])`, and this module
reads the two reports. A's sentences are the ones the first report checked (A as the outlet), B's those
the second checked; evidence found in the other text is placed on them by its offsets, which both
reports give in the same text. The topics line is read from the two texts' own words (lexicon.tokenize):
a name, or a noun phrase, that only one side has.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Any, ClassVar

from .checks.names import is_title
from .findings import Severity
from .lexicon import Token, TokenKind, noun_context, tokenize
from .report import DocumentInfo, Report, SentenceResult, Verdict
from .schema import spec, to_json
from .wordlists import words

if TYPE_CHECKING:
    from .documents import Document
    from .embed import Embedder
    from .resources import Resources
    from .settings import Settings

# 1.0: the first form (a, b, topics, both, only_a, only_b, disagreements, summary).
DIFF_SCHEMA_VERSION = "1.0"
DIFF_SCHEMA_FILE = "docs/diff.schema.json"  # in the repository; tests/test_diff.py keeps it current

# Words after which a noun phrase starts, besides the determiners and possessives (data/lexicon/topics.txt).
_OPENERS = words("topics", "opens_subject")
_NOT_TOPICS = words("topics", "not_a_topic")
MAX_SUBJECT_WORDS = 2  # "core interests", "mutual respect"
MAX_TOPICS = 8  # per side: the line is a first glance, the sections below say everything


class Side(str, Enum):
    """Which of the two texts."""

    A = "a"
    B = "b"


@dataclass(frozen=True)
class Passage:
    """Sentences of one text: their numbers (from 0) and offsets into it."""

    first: int
    last: int
    text: str
    start: int
    end: int

    @property
    def numbers(self) -> str:
        """As a reader counts them: "3", "3-4"."""
        return f"{self.first + 1}" if self.first == self.last else f"{self.first + 1}-{self.last + 1}"


@dataclass(frozen=True)
class Pair:
    """A passage of A and one of B that say the same, as either direction's evidence found it."""

    a: Passage
    b: Passage
    a_to_b: Verdict | None  # A's sentence checked against B (None: that direction did not pair them)
    b_to_a: Verdict | None
    score: float = field(metadata=spec(round=4))  # the closer of the two evidence matches
    only_in_a: tuple[str, ...] = ()  # content words of A's passage that B's does not have
    only_in_b: tuple[str, ...] = ()


@dataclass(frozen=True)
class OneSided:
    """A sentence that only one text has: the other has nothing that says it."""

    side: Side
    index: int
    text: str
    start: int
    end: int
    verdict: Verdict  # how the other text's report judged it (unsupported, or partial without a pair)


@dataclass(frozen=True)
class Disagreement:
    """Where the texts say different things: a typed check's error or the judge's contradiction, one direction."""

    side: Side  # the text whose sentence was checked (against the other)
    index: int
    text: str
    start: int
    end: int
    kind: str  # the problem's title: "wrong number", "contradiction"
    detail: str
    evidence: str  # the other text's words it was checked against
    evidence_start: int | None
    evidence_end: int | None


@dataclass(frozen=True)
class Topics:
    """Names and subjects only one side mentions, in the order they first appear."""

    only_a: tuple[str, ...]
    only_b: tuple[str, ...]


@dataclass(frozen=True)
class DiffReport:
    """Two official texts of one event compared both ways: the JSON diff report."""

    JSON_KEYS: ClassVar[tuple[str, ...]] = (
        "schema_version",
        "version",
        "created",
        "model",
        "a",
        "b",
        "topics",
        "both",
        "only_a",
        "only_b",
        "disagreements",
        "summary",
        "settings",
        "warnings",
    )

    a: DocumentInfo
    b: DocumentInfo
    topics: Topics
    both: tuple[Pair, ...]
    only_a: tuple[OneSided, ...]
    only_b: tuple[OneSided, ...]
    disagreements: tuple[Disagreement, ...]
    model: str
    settings: dict[str, Any]
    version: str = field(default="", metadata=spec(name="reconcile_version"))
    created: str = ""
    warnings: tuple[str, ...] = field(default=(), metadata=spec(omit_empty=True))
    # The two one-way reports it was read from (not in the JSON: `--db` writes them as comparisons).
    a_to_b: Report | None = field(default=None, compare=False, repr=False)
    b_to_a: Report | None = field(default=None, compare=False, repr=False)

    @property
    def schema_version(self) -> str:
        """The version of the JSON form (DIFF_SCHEMA_VERSION)."""
        return DIFF_SCHEMA_VERSION

    def summary(self) -> dict[str, int]:
        """How many of each: pairs, one-sided sentences, disagreements."""
        return {
            "a_sentences": self.a.sentences,
            "b_sentences": self.b.sentences,
            "both": len(self.both),
            "only_a": len(self.only_a),
            "only_b": len(self.only_b),
            "disagreements": len(self.disagreements),
        }

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = to_json(self)
        return out

    def name(self, side: Side) -> str:
        return self.a.name if side is Side.A else self.b.name


def diff_schema() -> dict[str, Any]:
    """The JSON Schema of the diff report, from the dataclasses that write it (schema.py)."""
    from .schema import json_schema

    return json_schema(DiffReport, title=f"reconcile diff report {DIFF_SCHEMA_VERSION}")


def diff(
    a: Document,
    b: Document,
    *,
    embedder: Embedder | None = None,
    settings: Settings | None = None,
    resources: Resources | None = None,
    created: datetime | None = None,
) -> DiffReport:
    """Compare A with B and B with A (compare.compare each way) and combine the two reports."""
    from .compare import compare
    from .embed import SentenceTransformerEmbedder, memoized
    from .errors import UsageError
    from .resources import Resources
    from .settings import Settings

    if a.name == b.name:
        raise UsageError(f'both texts are named {a.name!r}; name them apart: "NAME=PATH"')
    settings = settings or Settings()
    resources = resources or Resources.load(judge_kind=settings.judge)
    # One memoizing embedder for both directions: each text's sentences are encoded once.
    embedder = memoized(embedder or SentenceTransformerEmbedder())
    forward = compare(a, [b], embedder=embedder, settings=settings, resources=resources, created=created)
    backward = compare(b, [a], embedder=embedder, settings=settings, resources=resources, created=created)
    return combine(forward, backward, a.text, b.text)


def combine(forward: Report, backward: Report, a_text: str, b_text: str) -> DiffReport:
    """The diff report of A checked against B (forward) and B against A (backward)."""
    a_sentences, b_sentences = forward.sentences, backward.sentences
    pairs: dict[tuple[int, int], dict[str, Any]] = {}
    for side, sentences, other in ((Side.A, a_sentences, b_sentences), (Side.B, b_sentences, a_sentences)):
        for s in sentences:
            if s.verdict is Verdict.UNSUPPORTED or not s.evidence:
                continue
            e = s.evidence[0]
            found = [o.index for o in other if o.start < e.end and e.start < o.end]
            if not found:
                continue
            own, theirs = (s.index, s.index), (min(found), max(found))
            a_range, b_range = (own, theirs) if side is Side.A else (theirs, own)
            entry = pairs.setdefault(
                (a_range[0], b_range[0]), {"a": a_range, "b": b_range, "verdicts": {}, "score": 0.0}
            )
            entry["a"] = (min(entry["a"][0], a_range[0]), max(entry["a"][1], a_range[1]))
            entry["b"] = (min(entry["b"][0], b_range[0]), max(entry["b"][1], b_range[1]))
            entry["verdicts"][side] = s.verdict
            entry["score"] = max(entry["score"], e.score)
    both = []
    for _, entry in sorted(pairs.items()):
        verdicts = entry["verdicts"]
        # A partial match one way only is a shared word or two, not the same statement ("visit Ostmark"
        # beside "a call with the Chancellor of Ostmark"): a pair is backed, contradicted, or found both ways.
        if len(verdicts) < 2 and not {Verdict.SUPPORTED, Verdict.CONTRADICTED} & set(verdicts.values()):
            continue
        pa, pb = _passage(a_sentences, a_text, entry["a"]), _passage(b_sentences, b_text, entry["b"])
        only_a, only_b = _word_difference(pa.text, pb.text)
        both.append(Pair(pa, pb, verdicts.get(Side.A), verdicts.get(Side.B), entry["score"], only_a, only_b))
    paired_a = {i for p in both for i in range(p.a.first, p.a.last + 1)}
    paired_b = {i for p in both for i in range(p.b.first, p.b.last + 1)}
    a_info, b_info = backward.sources[0], forward.sources[0]  # as sources, each with its speaker
    return DiffReport(
        a=a_info,
        b=b_info,
        topics=topics(a_text, b_text),
        both=tuple(both),
        only_a=_one_sided(Side.A, a_sentences, paired_a),
        only_b=_one_sided(Side.B, b_sentences, paired_b),
        disagreements=(*_disagreements(Side.A, forward), *_disagreements(Side.B, backward)),
        model=forward.model,
        settings=forward.settings,
        version=forward.version,
        created=forward.created,
        warnings=tuple(dict.fromkeys((*forward.warnings, *backward.warnings))),
        a_to_b=forward,
        b_to_a=backward,
    )


def _passage(sentences: tuple[SentenceResult, ...], text: str, span: tuple[int, int]) -> Passage:
    first, last = sentences[span[0]], sentences[span[1]]
    return Passage(span[0], span[1], text[first.start : last.end], first.start, last.end)


def _one_sided(side: Side, sentences: tuple[SentenceResult, ...], paired: set[int]) -> tuple[OneSided, ...]:
    return tuple(OneSided(side, s.index, s.text, s.start, s.end, s.verdict) for s in sentences if s.index not in paired)


def _disagreements(side: Side, report: Report) -> list[Disagreement]:
    out = []
    for p in report.problems:
        if p.severity is not Severity.ERROR:
            continue
        sentence = report.sentences[p.sentence]
        e = sentence.evidence[0] if sentence.evidence else None
        out.append(
            Disagreement(
                side, sentence.index, sentence.text, sentence.start, sentence.end, p.title, p.detail,
                e.text if e else "", e.start if e else None, e.end if e else None,
            )
        )  # fmt: skip
    return out


def _word_difference(a: str, b: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The content words of each passage the other does not have (compared by stem), in order."""
    a_tokens = [t for t in tokenize(a) if t.is_content]
    b_tokens = [t for t in tokenize(b) if t.is_content]
    a_keys, b_keys = {t.key for t in a_tokens}, {t.key for t in b_tokens}
    only_a = dict.fromkeys(t.text for t in a_tokens if t.key not in b_keys)
    only_b = dict.fromkeys(t.text for t in b_tokens if t.key not in a_keys)
    return tuple(only_a), tuple(only_b)


# ------------------------------------------------------------------------------------------- topics


def topics(a: str, b: str) -> Topics:
    """The names and subjects each text mentions that the other does not."""
    a_phrases, b_phrases = _phrases(a), _phrases(b)
    a_keys = {k for keys in a_phrases.values() for k in keys} | _all_keys(a)
    b_keys = {k for keys in b_phrases.values() for k in keys} | _all_keys(b)
    return Topics(_only(a_phrases, b_keys), _only(b_phrases, a_keys))


def _all_keys(text: str) -> set[str]:
    return {t.key for t in tokenize(text) if t.is_content}


def _only(phrases: dict[str, frozenset[str]], other: set[str]) -> tuple[str, ...]:
    # A phrase is one side's alone when the other text has none of its words ("core interests" stays
    # if the other says "interests" nowhere); names come first, as the line's reader looks for them.
    kept = [p for p, keys in phrases.items() if not keys & other]
    names = [p for p in kept if p[:1].isupper()]
    rest = [p for p in kept if not p[:1].isupper()]
    seen: set[str] = set()
    out = []
    for phrase in [*names, *rest]:
        if phrase.lower() not in seen:
            seen.add(phrase.lower())
            out.append(phrase)
    return tuple(out[:MAX_TOPICS])


def _title_at(line: str, tokens: Sequence[Token], i: int) -> bool:
    """A title only where a name follows it at once ("President Marren"); "Trade" alone is a subject."""
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if nxt is None or line[tokens[i].end : nxt.start].strip():
        return False
    return is_title(tokens[i]) and nxt.kind is TokenKind.NAME


_POSSESSIVE = re.compile(r"['’]s$")


def _phrases(text: str) -> dict[str, frozenset[str]]:
    """Names (runs of capitalised words, titles left out) and noun phrases (the content words after a
    determiner, a possessive or a preposition that opens a subject), each with its words' keys."""
    out: dict[str, frozenset[str]] = {}
    for line in text.splitlines():
        tokens = tokenize(line)
        nouns = noun_context(line)
        run: list[Any] = []
        subject = False

        for i, t in enumerate([*tokens, None]):
            # Punctuation between two words ends a name or a subject ("Trade, Fentanyl").
            joined = t is not None and bool(run) and not line[run[-1].end : t.start].strip()
            if t is not None and run and joined:
                if not subject:
                    # A capitalised word the lexicon reads as a function word belongs to the name ("United States").
                    extends = (t.kind is TokenKind.NAME or t.text[:1].isupper()) and not _title_at(line, tokens, i)
                else:
                    # A subject is at most MAX_SUBJECT_WORDS long: without parts of speech, a longer run
                    # would take in the verb after it ("presidents agreed").
                    extends = t.kind is TokenKind.WORD and len(run) < MAX_SUBJECT_WORDS
                if extends:
                    run.append(t)
                    continue
            if run:
                kept = [w for w in run if w.text.lower() not in _NOT_TOPICS]
                if kept:
                    phrase = _POSSESSIVE.sub("", line[kept[0].start : kept[-1].end])
                    out.setdefault(phrase, frozenset(w.key for w in kept))
            run, subject = [], False
            if t is None:
                break
            if t.kind is TokenKind.NAME and not _title_at(line, tokens, i):
                run = [t]
            elif t.is_content and t.kind is not TokenKind.NUMBER and i > 0:
                if t.start in nouns or tokens[i - 1].text.lower() in _OPENERS:
                    run, subject = [t], True
    return out
