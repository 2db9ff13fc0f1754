"""The cross-encoder judge (kind "cross"): each claim read together with each of its best windows.

cross_judge.py holds the model (MiniLM fine-tuned three ways, data/cross_judge.safetensors). Per claim it
reads at most WINDOWS candidate windows, batched across all claims of a comparison, and the claim's
judgement is that of its most decisive window: the one whose larger of P(supported) and P(contradicted)
is highest, so a finding quotes the source sentence that answers the claim.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..cross_judge import CrossJudge
from ..judging import ClaimCase, ClaimJudgement, Classes, JudgeContext

WINDOWS = 3


@dataclass(frozen=True)
class CrossEncoderJudge:
    """The packaged cross-encoder behind the Judge protocol."""

    model: CrossJudge
    name: str = "cross"

    @property
    def id(self) -> str:
        return self.model.id

    def judge(self, cases: Sequence[ClaimCase], context: JudgeContext) -> list[ClaimJudgement]:
        pairs = [(case.claim, window) for case in cases for window in case.windows[:WINDOWS]]
        probabilities = self.model.probabilities(pairs)
        judgements: list[ClaimJudgement] = []
        k = 0
        for case in cases:
            n = len(case.windows[:WINDOWS])
            windows = tuple(Classes(*(float(p) for p in row)) for row in probabilities[k : k + n])
            k += n
            if not windows:  # no evidence at all: nothing backs the claim
                judgements.append(ClaimJudgement(Classes(0.0, 0.0, 1.0)))
                continue
            decisive = max(windows, key=lambda c: max(c.supported, c.contradicted))
            judgements.append(ClaimJudgement(decisive, windows))
        return judgements

    def decisive_window(self, judgement: ClaimJudgement) -> int | None:
        """The index of the window the claim's judgement comes from (None where there was none)."""
        if not judgement.windows:
            return None
        return judgement.windows.index(judgement.claim)


def load(data: bytes | None = None) -> CrossEncoderJudge:
    """The packaged cross-encoder (or one from the bytes of an overlay file)."""
    return CrossEncoderJudge(CrossJudge.load(data))
