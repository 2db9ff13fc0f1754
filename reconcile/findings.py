"""What a typed finding is about and how much it weighs: the vocabulary shared by the checks and the report.

A module of its own, importing nothing of the package, so that the checks (which emit findings) and
report.py (which carries them) can both use it without either importing the other.
"""

from __future__ import annotations

from enum import Enum


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
