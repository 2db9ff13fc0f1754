"""What a typed finding is about and how much it weighs: the vocabulary shared by the checks and the report.

Also how a similarity is said in words, which the quote check and the report both say.

A module of its own, importing nothing of the package, so that the checks (which emit findings) and
report.py (which carries them) can both use it without either importing the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any


class FindingType(str, Enum):
    """The slot of a claim that differs from its evidence."""

    NUMBER = "number"
    DATE = "date"
    NEGATION = "negation"  # a flipped "not", or an opposite word (detail "opposite")
    ENTITY = "entity"
    ROLE = "role"
    MODALITY = "modality"

    def __str__(self) -> str:  # reasons and renderers format it: "number", not "FindingType.NUMBER"
        return self.value


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

    type: FindingType
    severity: FindingSeverity
    outlet_text: str
    outlet_start: int
    outlet_end: int
    evidence_index: int  # which evidence sentence has the counterpart; -1 for none (a name in no source)
    source_text: str
    source_start: int
    source_end: int
    detail: str = ""  # what kind of difference: "opposite", "strengthened", "in no source", ...
    source: str = ""  # the source's name, once the checks stage knows it

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.type.value,
            "outlet_text": self.outlet_text,
            "outlet_start": self.outlet_start,
            "outlet_end": self.outlet_end,
            "source": self.source,
            "source_text": self.source_text,
            "source_start": self.source_start,
            "source_end": self.source_end,
            "severity": self.severity.value,
            "detail": self.detail,
        }


# Cosine similarity of MiniLM sentence embeddings, in words: a restatement of the same fact is
# typically above 0.8, a sentence on the same subject 0.4-0.6.
MATCH_WORDS = ((0.8, "close match"), (0.6, "similar"), (0.4, "related"), (0.0, "distant"))


def match_words(similarity: float) -> str:
    """A similarity in words: "close match", "similar", "related" or "distant"."""
    return next(words for floor, words in MATCH_WORDS if similarity >= floor)
