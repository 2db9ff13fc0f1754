"""The result of a comparison: frozen dataclasses, and their JSON form with a schema version."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar

from .findings import Finding, match_words

# Declared with the findings (findings.py), so that the checks can declare theirs; read from here too.
from .findings import ProblemKind as ProblemKind
from .findings import Severity as Severity
from .findings import Span as Span
from .schema import spec, to_json

if TYPE_CHECKING:
    from .checks.quotes import QuoteCheck
    from .documents import Document
    from .segment import Segmentation

# 1.1: sentences[].paraphrases; 1.2: settings.judge (the support judge that scored it);
# 1.3: the evidence pack (provenance.py): outlet.sha256, sources[].sha256, reconcile_version, created;
# 1.4: triage (triage.py): problems[], sentences[].kind, .key_words, .key_words_backed, summary.claims, .to_check
# 1.5: a web page's url, title, published and author on outlet and sources[] (only for a page read from a URL)
# 2.0: outlet sentences numbered from 1, as every format shows them: sentences[].number (was .index, from 0)
#      and problems[].sentence
# 2.1: problems[].rests_on and quotes[].credited_elsewhere: a source not supplied that a problem rests on
SCHEMA_VERSION = "2.1"


class Verdict(str, Enum):
    """How far the sources back an outlet sentence."""

    SUPPORTED = "supported"
    PARTIAL = "partial"
    UNSUPPORTED = "unsupported"
    CONTRADICTED = "contradicted"


class ClaimKind(str, Enum):
    """What an outlet sentence is, read from its wording: a claim to check, or commentary around the news."""

    CLAIM = "claim"
    OPINION = "opinion"  # evaluative or interpretive wording: the outlet's judgement
    BACKGROUND = "background"  # earlier events and history, not what the sources announce


# What an outlet sentence no source backs is, where it reads as commentary (triage.read_claim).
OPINION_PROBLEM = ProblemKind.declare("opinion", Severity.CONTEXT, "opinion", rank=190, commentary=True)
BACKGROUND_PROBLEM = ProblemKind.declare("background", Severity.CONTEXT, "background", rank=200, commentary=True)


@dataclass(frozen=True)
class Problem:
    """One thing for an editor to check, tied to the outlet sentence and the words it is about."""

    kind: ProblemKind
    severity: Severity
    # index of the outlet sentence (from 0); JSON: its number, from 1, as every format shows it
    sentence: int = field(metadata=spec(read="number", description="the outlet sentence's number, from 1"))
    start: int  # offsets into the outlet of the words it is about (the whole sentence when none in particular)
    end: int
    text: str
    detail: str  # one line in plain words: 'says "12" where white-house #3 says "15"'
    # the kind as the list says it, where it says more: "claim credited to CCTV" (JSON: the title, never empty)
    label: str = field(default="", metadata=spec(read="title"))
    # A source not among the inputs that it rests on (a claim or a quotation credited to it): the lists
    # group such problems under it, since giving that source's text is what checks them all.
    rests_on: str = field(
        default="",
        metadata=spec(
            omit_empty=True,
            description="a source not among the inputs that it rests on (a claim or a quotation credited to it)",
        ),
    )

    @property
    def number(self) -> int:
        """The outlet sentence's number as a reader counts them, from 1."""
        return self.sentence + 1

    @property
    def title(self) -> str:
        """How every list names the problem: its label, or else its kind ("spliced quote")."""
        return self.label or self.kind.value

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = to_json(self)
        return out


@dataclass(frozen=True)
class Paraphrase:
    """An outlet word its evidence says in other words (WordNet), and the evidence's word."""

    outlet_text: str
    outlet_start: int  # offsets into the outlet document
    outlet_end: int
    source_text: str

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = to_json(self)
        return out


@dataclass(frozen=True)
class Evidence:
    """Source sentences (one, or neighbours taken together) that back an outlet sentence."""

    source: str
    index: int  # the first source sentence of the window
    last_index: int
    text: str
    start: int
    end: int
    score: float = field(metadata=spec(round=4))  # semantic similarity to the outlet sentence, clipped to [0, 1]

    @property
    def sentence_numbers(self) -> str:
        """Which source sentences, numbered from 1 as a reader counts them: "sentence 2", "sentences 2-3"."""
        if self.last_index == self.index:
            return f"sentence {self.index + 1}"
        return f"sentences {self.index + 1}-{self.last_index + 1}"

    @property
    def label(self) -> str:
        """How reports name the evidence: "Truth Social sentences 2-3"."""
        return f"{self.source} {self.sentence_numbers}"

    @property
    def match(self) -> str:
        """How close it is, in words and figure: "close match, 0.88"."""
        return f"{match_words(self.score)}, {self.score:.2f}"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = to_json(self)
        return out


class CoverageState(str, Enum):
    """How much of a source sentence the outlet reports."""

    COVERED = "covered"
    PARTIAL = "partial"
    OMITTED = "omitted"


@dataclass(frozen=True)
class SourceCoverage:
    source: str
    index: int
    text: str
    start: int
    end: int
    state: CoverageState
    covered_by: tuple[int, ...]  # indexes of outlet sentences
    similarity: float = field(metadata=spec(round=4))  # cosine with the closest outlet passage
    share: float = field(metadata=spec(round=4))  # share of the source sentence's content words the outlet repeats
    left_out: tuple[str, ...] = ()  # its content words the outlet does not repeat

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = to_json(self)
        return out


@dataclass(frozen=True)
class Omission:
    source: str
    index: int
    text: str
    start: int
    end: int
    state: CoverageState
    salience: float = field(metadata=spec(round=3))
    rank_reason: str

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = to_json(self)
        return out


@dataclass(frozen=True)
class DroppedQualifier:
    """A condition or caveat of the source sentence that the outlet sentence leaves out."""

    source: str
    text: str
    start: int  # offsets into the source text
    end: int

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = to_json(self)
        return out


@dataclass(frozen=True)
class SentenceResult:
    # position among the outlet sentences (from 0); JSON: its number, from 1, as every format shows it
    index: int = field(metadata=spec(name="number", read="number", description="the sentence's number, from 1"))
    text: str
    start: int
    end: int
    verdict: Verdict
    score: float = field(metadata=spec(round=4))
    reason: str
    evidence: tuple[Evidence, ...]
    unsupported_spans: tuple[Span, ...]
    contradictions: tuple[Finding, ...] = ()
    supported_by: tuple[str, ...] = ()  # the sources whose evidence backs it
    dropped_qualifiers: tuple[DroppedQualifier, ...] = ()
    notes: tuple[str, ...] = ()  # further findings, one line each (one-sided "mutual" claims, ...)
    paraphrases: tuple[Paraphrase, ...] = ()  # backed words the evidence words differently
    kind: ClaimKind = ClaimKind.CLAIM
    credited_to: str = ""  # a source not among the inputs that the sentence credits its claim to
    key_words: int = 0  # its content words, which the evidence must back
    key_words_backed: int = 0  # ... of which the chosen evidence backs these
    features: dict[str, float] = field(default_factory=dict, compare=False, metadata=spec(round=4))

    @property
    def number(self) -> int:
        """Its number as a reader counts the sentences, from 1."""
        return self.index + 1

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = to_json(self)
        return out


@dataclass(frozen=True)
class DocumentInfo:
    """An input of the comparison: its name, where it was read from, and (a web page's) metadata."""

    JSON_KEYS: ClassVar[tuple[str, ...]] = (
        "name",
        "path",
        "sha256",
        "speaker",
        "sentences",
        "url",
        "title",
        "published",
        "author",
    )

    name: str
    path: str
    speaker: str | None = None
    sentences: int = 0
    sha256: str = ""  # of the text as read (provenance.text_sha256): what `reconcile verify` checks
    # Of a web page (path is then the URL as given): the address read after redirects, the page's own
    # title, publication date and byline. None for files, and then absent from the JSON.
    url: str | None = field(default=None, metadata=spec(omit_none=True))
    title: str | None = field(default=None, metadata=spec(omit_none=True))
    published: str | None = field(default=None, metadata=spec(omit_none=True))
    author: str | None = field(default=None, metadata=spec(omit_none=True))

    def to_dict(self, *, with_speaker: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = to_json(self, exclude=() if with_speaker else ("speaker",))
        return out

    def page_metadata(self) -> dict[str, str]:
        """url, title, published and author, those that are set (a web page's; {} for a file)."""
        fields = {"url": self.url, "title": self.title, "published": self.published, "author": self.author}
        return {key: value for key, value in fields.items() if value is not None}

    def header_line(self) -> str:
        """One line for a report's header about a web page: 'title, by author, published date, url'; '' for a file."""
        meta = self.page_metadata()
        if not meta:
            return ""
        parts = [
            f"\u201c{meta['title']}\u201d" if "title" in meta else "",
            f"by {meta['author']}" if "author" in meta else "",
            f"published {meta['published']}" if "published" in meta else "",
            meta.get("url", ""),
        ]
        return ", ".join(p for p in parts if p)


@dataclass(frozen=True)
class Skipped:
    """A line of an input that is not prose, with why it was not checked."""

    document: str
    text: str
    start: int
    end: int
    reason: str

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = to_json(self)
        return out


def document_info(doc: Document, speaker: str | None, sentences: int) -> DocumentInfo:
    """What the report says of an input (a page's url, title, date and byline with it)."""
    return DocumentInfo(
        doc.name,
        doc.path,
        speaker,
        sentences,
        url=doc.url,
        title=doc.title,
        published=doc.published,
        author=doc.author,
    )


def skipped_in(docs: Sequence[Document], segmentations: Sequence[Segmentation]) -> list[Skipped]:
    """Per input, in order: the lines set aside as not prose, then what the reader left out of its text (HTML
    furniture, a teaser, a Markdown code block), where it stood (start == end: it is not in the text)."""
    return [
        skipped
        for doc, segmentation in zip(docs, segmentations, strict=True)
        for skipped in (
            *(Skipped(doc.name, s.text, s.start, s.end, s.reason) for s in segmentation.skipped),
            *(Skipped(doc.name, d.text, d.at, d.at, d.reason) for d in doc.dropped),
        )
    ]


@dataclass(frozen=True)
class Report:
    """The result of one comparison: the JSON report (schema_version says which form)."""

    JSON_KEYS: ClassVar[tuple[str, ...]] = (
        "schema_version",
        "version",
        "created",
        "model",
        "outlet",
        "sources",
        "sentences",
        "skipped",
        "quotes",
        "coverage",
        "omissions",
        "problems",
        "summary",
        "settings",
        "warnings",
    )

    outlet: DocumentInfo = field(metadata=spec(exclude=("speaker",)))
    sources: tuple[DocumentInfo, ...]
    sentences: tuple[SentenceResult, ...]
    skipped: tuple[Skipped, ...]
    model: str
    quotes: tuple[QuoteCheck, ...] = ()
    coverage: tuple[SourceCoverage, ...] = ()
    omissions: tuple[Omission, ...] = ()
    settings: dict[str, Any] = field(default_factory=dict)
    version: str = field(default="", metadata=spec(name="reconcile_version"))  # the reconcile version that wrote it
    created: str = ""  # when, ISO 8601 UTC (provenance.timestamp; SOURCE_DATE_EPOCH fixes it)
    # About the comparison as a whole (a text the model cannot read well); only when there are some, so
    # that an ordinary report is what it was before they existed.
    warnings: tuple[str, ...] = field(default=(), metadata=spec(omit_empty=True))
    problems: tuple[Problem, ...] = ()  # what to check, worst first (triage.py)

    @property
    def schema_version(self) -> str:
        """The version of the JSON form (SCHEMA_VERSION)."""
        return SCHEMA_VERSION

    def counts(self) -> dict[str, int]:
        counts = {v.value: 0 for v in Verdict}
        for sentence in self.sentences:
            counts[sentence.verdict.value] += 1
        return counts

    def summary(self) -> dict[str, Any]:
        counts = self.counts()
        total = len(self.sentences)
        claims = self.claim_counts()
        return {
            "sentences": total,
            "counts": counts,
            "share_supported": round(counts["supported"] / total, 4) if total else 0.0,
            "skipped": len(self.skipped),
            "quotes": self.quote_counts(),
            "sources": {
                s.name: {
                    "covered_share": self._covered_share(s.name),
                    "outlet_sentences_backed": sum(1 for x in self.sentences if s.name in x.supported_by),
                    "outlet_share_backed": round(sum(1 for x in self.sentences if s.name in x.supported_by) / total, 4)
                    if total
                    else 0.0,
                }
                for s in self.sources
            },
            "omissions": len(self.omissions),
            "claims": claims,
            # Of the checkable claims: commentary no source could back does not count against the outlet.
            "share_claims_supported": round(min(1.0, counts["supported"] / claims["checkable"]), 4)
            if claims["checkable"]
            else 0.0,
            "to_check": self.problem_counts(),
        }

    def claim_counts(self) -> dict[str, int]:
        """Checkable claims apart from the commentary no source could back (opinion, background)."""
        commentary = {OPINION_PROBLEM.value: 0, BACKGROUND_PROBLEM.value: 0}
        for p in self.problems:
            if p.kind.commentary:
                commentary[p.kind.value] = commentary.get(p.kind.value, 0) + 1
        return {"checkable": len(self.sentences) - sum(commentary.values()), **commentary}

    def problem_counts(self) -> dict[str, int]:
        """How many problems of each severity."""
        counts = {s.value: 0 for s in Severity}
        for p in self.problems:
            counts[p.severity.value] += 1
        return counts

    def problems_in(self, sentence: int) -> tuple[Problem, ...]:
        """The problems of one outlet sentence, worst first."""
        return self._problems_by_sentence.get(sentence, ())

    @cached_property
    def _problems_by_sentence(self) -> dict[int, tuple[Problem, ...]]:
        # Renderers ask once per sentence: one pass over the problems, not one per sentence.
        by_sentence: dict[int, list[Problem]] = {}
        for p in self.problems:
            by_sentence.setdefault(p.sentence, []).append(p)
        return {sentence: tuple(problems) for sentence, problems in by_sentence.items()}

    def problems_to_check(self) -> tuple[Problem, ...]:
        """The errors and checks, worst first: the list a report opens with."""
        return tuple(p for p in self.problems if p.severity is not Severity.CONTEXT)

    def context_problems(self) -> tuple[Problem, ...]:
        """Opinion, background and other titles: counted apart, nothing in the sources to check."""
        return tuple(p for p in self.problems if p.severity is Severity.CONTEXT)

    def _covered_share(self, source: str) -> float:
        """Share of a source's sentences the outlet reports (partly covered ones count half)."""
        rows = [c for c in self.coverage if c.source == source]
        if not rows:
            return 0.0
        weight = {"covered": 1.0, "partial": 0.5, "omitted": 0.0}
        return round(sum(weight[c.state.value] for c in rows) / len(rows), 4)

    def quote_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for q in self.quotes:
            counts[q.status.value] = counts.get(q.status.value, 0) + 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = to_json(self)
        return out


SCHEMA_FILE = "docs/report.schema.json"  # in the repository; tests/test_schema.py keeps it current


def report_schema() -> dict[str, Any]:
    """The JSON Schema of the JSON report, from the same dataclasses that write it (schema.py)."""
    from .checks.quotes import QuoteCheck
    from .schema import json_schema

    schema = json_schema(Report, title=f"reconcile report {SCHEMA_VERSION}", names={"QuoteCheck": QuoteCheck})
    return schema
