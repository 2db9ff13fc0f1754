"""What a typed finding is about and how much it weighs: the vocabulary shared by the checks and the report.

Also how a similarity is said in words, which the quote check and the report both say.

A module of its own, importing nothing of the package, so that the checks (which emit findings) and
report.py (which carries them) can both use it without either importing the other.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, ClassVar, Self

from .schema import spec, to_json


class _Declared(str):
    """A str of which each value is one object, made by its class's `declare` and looked up by calling the
    class with the value; calling it with a value never declared is an error naming the fix."""

    _declared: ClassVar[dict[str, Any]]
    _noun: ClassVar[str]  # what the error calls one: "finding type"

    def __new__(cls, value: str) -> Self:
        known: Self | None = cls._declared.get(value)
        if known is None:
            raise ValueError(f"no {cls._noun} {value!r} is declared; declare it with {cls.__name__}.declare")
        return known

    @property
    def value(self) -> str:
        return str.__str__(self)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.value!r})"


class FindingType(_Declared):
    """The slot of a claim that differs from its evidence ("number"); a check declares its own with `declare`.

    A str, so that it is its value wherever it is compared, formatted or written to JSON; each value is one
    object (`FindingType("number") is FindingType.NUMBER`).
    """

    _declared: ClassVar[dict[str, FindingType]] = {}
    _noun = "finding type"
    NUMBER: ClassVar[FindingType]
    DATE: ClassVar[FindingType]
    NEGATION: ClassVar[FindingType]  # a flipped "not", or an opposite word (detail "opposite")
    ENTITY: ClassVar[FindingType]
    ROLE: ClassVar[FindingType]
    MODALITY: ClassVar[FindingType]

    @classmethod
    def declare(cls, value: str) -> FindingType:
        """The type of that value, made once."""
        if value not in cls._declared:
            cls._declared[value] = str.__new__(cls, value)
        return cls._declared[value]


FindingType.NUMBER = FindingType.declare("number")
FindingType.DATE = FindingType.declare("date")
FindingType.NEGATION = FindingType.declare("negation")
FindingType.ENTITY = FindingType.declare("entity")
FindingType.ROLE = FindingType.declare("role")
FindingType.MODALITY = FindingType.declare("modality")


class FindingSeverity(str, Enum):
    """A contradiction makes a sentence contradicted; a difference makes it at most partial."""

    CONTRADICTION = "contradiction"
    DIFFERENCE = "difference"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Finding:
    """A typed difference between an outlet sentence and its evidence: the one type, from the checks to the report.

    Offsets move with the stages: the slot checks give outlet offsets into the sentence and source
    offsets into evidence[evidence_index]; the checks stage (checks/typed.py) names the source and
    moves the source offsets into its text; compare moves the outlet offsets into the outlet.
    """

    JSON_KEYS: ClassVar[tuple[str, ...]] = (
        "type",
        "outlet_text",
        "outlet_start",
        "outlet_end",
        "source",
        "source_text",
        "source_start",
        "source_end",
        "severity",
        "detail",
    )

    type: FindingType
    severity: FindingSeverity
    outlet_text: str
    outlet_start: int
    outlet_end: int
    evidence_index: int  # which evidence sentence has the counterpart; -1 for none (a name in no source)
    source_text: str
    source_start: int
    source_end: int
    # What kind of difference, as the check that made it declares it (declare_finding): "opposite",
    # "strengthened", "in no source", ...; triage and the verdict read the declaration, not the words.
    detail: str = field(default="", metadata=spec(read="detail_text"))
    source: str = ""  # the source's name, once the checks stage knows it
    # A contradiction the judge does not agree with (verdict.py): kept as a difference to verify.
    to_verify: bool = False

    @property
    def detail_text(self) -> str:
        """The detail as reports write it: "opposite, to verify" for a contradiction kept to verify."""
        if not self.to_verify:
            return self.detail
        return f"{self.detail}, {TO_VERIFY}" if self.detail else TO_VERIFY

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = to_json(self)
        return out


TO_VERIFY = "to verify"


class Severity(str, Enum):
    """How much a problem weighs, the same in every format: worst first."""

    ERROR = "error"  # the outlet says otherwise than the sources, or misquotes them
    CHECK = "check"  # found in no source: someone must look it up
    CONTEXT = "context"  # opinion or background: nothing in the sources to check it against


class ProblemKind(_Declared):
    """What is wrong, in the words of an editor's to-do list ("wrong number"), declared where it is found.

    Each kind has one severity, its plural for the report's first line, and a rank (lower first)
    among the problems of its severity. A str, like FindingType: each value is one object.
    """

    _declared: ClassVar[dict[str, ProblemKind]] = {}
    _noun = "problem kind"
    severity: Severity
    plural: str
    rank: int
    commentary: bool  # opinion or background: counted apart from the claims

    @classmethod
    def declare(
        cls, value: str, severity: Severity, plural: str, *, rank: int | None = None, commentary: bool = False
    ) -> ProblemKind:
        """Declare a kind (once; the same declaration again returns it). rank None: after every kind declared so far."""
        known = cls._declared.get(value)
        if known is not None:
            if (known.severity, known.plural, known.commentary) != (severity, plural, commentary):
                raise ValueError(f"problem kind {value!r} is declared twice, differently")
            return known
        kind = str.__new__(cls, value)
        kind.severity, kind.plural, kind.commentary = severity, plural, commentary
        kind.rank = rank if rank is not None else 1000 + len(cls._declared)
        cls._declared[value] = kind
        return kind

    @classmethod
    def declared(cls) -> tuple[ProblemKind, ...]:
        """Every kind declared so far, by severity and rank."""
        order = list(Severity)
        return tuple(sorted(cls._declared.values(), key=lambda k: (order.index(k.severity), k.rank)))


# The generic kinds, which any check's findings may become: a contradiction of a type that declares no
# kind of its own, and a difference the check does not name (or a contradiction the judge doubts).
CONTRADICTION_PROBLEM = ProblemKind.declare("contradiction", Severity.ERROR, "contradictions", rank=40)
DIFFERENCE_TO_VERIFY = ProblemKind.declare("difference to verify", Severity.CHECK, "differences to verify", rank=130)


@dataclass(frozen=True)
class FindingKind:
    """What a check declares of the findings it makes of one type (detail ""), or of one detail of it.

    Triage, the verdict and so every renderer read these, never the detail's words. Wordings are
    str.format templates over {outlet}, {source}, {where} (" white-house", or " the source"), {detail}
    and {slot}.
    """

    type: FindingType
    detail: str = ""
    slot: str = ""  # how a reason names it ("number", "name", "silence"); "" for the type's declaration's
    contradiction: ProblemKind | None = None  # the problem a contradiction is (None: the type's, or "contradiction")
    difference: ProblemKind | None = None  # the problem a difference is (None: a difference to verify)
    difference_wording: str = '"{outlet}" where{where} says "{source}" ({detail})'
    # How a reason says a difference that has no counterpart in a source ("in no source").
    unplaced_wording: str = '{slot}: "{outlet}" ({detail})'
    needs_judge: bool = False  # a contradiction that stands only where the judge agrees (verdict.py)
    # A contradiction that makes its sentence contradicted: one value for another in one slot (a number,
    # a date, a count) or the same statement denied. Any other (a name, a title, roles) leaves it unsupported.
    contradicts: bool = False
    # A finding that says the sources make another claim than this one ("may" written as "will"): the
    # sentence is unsupported, whatever its similarity.
    not_made: bool = False
    detail_in_reason: bool = False  # the verdict's reason names the detail: '... says "15" (strengthened)'
    detail_in_problem: bool = False  # the problem's contradiction wording names it


_KINDS: dict[tuple[str, str], FindingKind] = {}


def declare_finding(kind: FindingKind) -> FindingKind:
    """Declare what a check's findings of one type (or one detail of it) are: each check does, once, in its module."""
    known = _KINDS.get((kind.type, kind.detail))
    if known is not None and known != kind:
        raise ValueError(f"finding kind {kind.type}/{kind.detail!r} is declared twice, differently")
    _KINDS[(kind.type, kind.detail)] = kind
    return kind


def finding_kind(finding: Finding) -> FindingKind:
    """The declaration of a finding: of its detail, filled in from its type's; a bare one for an undeclared type."""
    base = _KINDS.get((finding.type, "")) or FindingKind(finding.type, slot=finding.type.value)
    own = _KINDS.get((finding.type, finding.detail))
    if own is None:
        return base
    return dataclasses.replace(
        own,
        slot=own.slot or base.slot,
        contradiction=own.contradiction or base.contradiction,
        contradicts=own.contradicts or base.contradicts,
    )


def problem_of(finding: Finding) -> tuple[ProblemKind, str]:
    """The problem a finding is, and the line that says it (triage.py)."""
    kind = finding_kind(finding)
    where = f" {finding.source}" if finding.source else " the source"
    words = {
        "outlet": finding.outlet_text,
        "source": finding.source_text,
        "where": where,
        "detail": finding.detail,
        "slot": kind.slot,
    }
    if finding.severity is FindingSeverity.CONTRADICTION:
        said = f'says "{finding.outlet_text}" where{where} says "{finding.source_text}"'
        return kind.contradiction or CONTRADICTION_PROBLEM, said + (
            f" ({finding.detail})" if kind.detail_in_problem else ""
        )
    if finding.to_verify or kind.difference is None:
        return (
            DIFFERENCE_TO_VERIFY,
            '"{outlet}" where{where} says "{source}": the judge reads the sentence as supported'.format(**words),
        )
    return kind.difference, kind.difference_wording.format(**words)


def reason_of(finding: Finding) -> str:
    """How a verdict's reason says a finding: 'number: says "20" where mfa says "35"'."""
    kind = finding_kind(finding)
    if finding.severity is FindingSeverity.CONTRADICTION or finding.source:
        text = f'{kind.slot}: says "{finding.outlet_text}" where {finding.source or "the source"} says '
        text += f'"{finding.source_text}"' + (
            f" ({finding.detail})" if kind.detail_in_reason and finding.detail else ""
        )
        return text + (f" ({TO_VERIFY}: the judge finds it supported)" if finding.to_verify else "")
    return kind.unplaced_wording.format(
        outlet=finding.outlet_text, source=finding.source_text, detail=finding.detail_text, slot=kind.slot
    )


@dataclass(frozen=True)
class Span:
    """A stretch of the outlet text (offsets into the outlet document)."""

    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = to_json(self)
        return out


# Cosine similarity of MiniLM sentence embeddings, in words: a restatement of the same fact is
# typically above 0.8, a sentence on the same subject 0.4-0.6.
MATCH_WORDS = ((0.8, "close match"), (0.6, "similar"), (0.4, "related"), (0.0, "distant"))


def match_words(similarity: float) -> str:
    """A similarity in words: "close match", "similar", "related" or "distant"."""
    return next(words for floor, words in MATCH_WORDS if similarity >= floor)
