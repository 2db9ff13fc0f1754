"""The support judge (kind "support"): the MLP ensemble and copy model of judge.py, behind the Judge protocol.

It reads each claim against its evidence as a whole (the judge's 17 inputs, score.judge_rows) and
gives one P(supported); a two-class judge, it puts the rest in `neither` and reads no window apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..judge import Judge as SupportModel
from ..judging import ClaimCase, ClaimJudgement, Classes, JudgeContext
from ..score import judge_rows


@dataclass(frozen=True)
class SupportJudge:
    """The packaged support judge (data/judge.safetensors)."""

    model: SupportModel
    name: str = "support"

    @property
    def id(self) -> str:
        return self.model.id

    def judge(self, cases: Sequence[ClaimCase], context: JudgeContext) -> list[ClaimJudgement]:
        if not cases:
            return []
        rows = judge_rows([c.evidence for c in cases], [c.features for c in cases], context.sources, context.embedder)
        return [ClaimJudgement(Classes(float(p), 0.0, 1.0 - float(p))) for p in self.model.probability(rows)]


def load(data: bytes | None = None) -> SupportJudge:
    """The packaged support judge (or one from the bytes of a judge file)."""
    return SupportJudge(SupportModel.load(data))
