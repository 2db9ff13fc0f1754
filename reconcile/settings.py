"""Thresholds and options of a comparison, validated by pydantic (unknown keys are refused)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .judging import DEFAULT_JUDGE, judge_kinds


class SalienceWeights(BaseModel):
    """How much each reason to report a source sentence adds to an omission's salience."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    number: float = Field(1.0, ge=0, description="the sentence states a number")
    commitment: float = Field(1.0, ge=0, description="it states a commitment or decision (will, agreed ...)")
    name: float = Field(0.5, ge=0, description="per name it mentions (at most three count)")
    other_source: float = Field(1.0, ge=0, description="another source states it too")
    position: float = Field(1.0, ge=0, description="scaled by how early it stands in its source")
    omitted: float = Field(0.5, ge=0, description="not reported at all (rather than partly)")


class Settings(BaseModel):
    """Knobs of the alignment and the verdicts; the defaults are the measured ones (see docs/accuracy.md)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    top_k: int = Field(10, ge=1, le=50, description="candidate windows kept per outlet sentence")
    window: int = Field(2, ge=1, le=4, description="most neighbouring source sentences taken together")
    max_evidence: int = Field(3, ge=1, le=10, description="most evidence windows reported per sentence")
    evidence_floor: float = Field(
        0.35, ge=-1, le=1, description="least cosine for a further window to join the evidence"
    )
    merge_gain: float = Field(
        3.0, ge=0, description="content weight a less similar window must back to join the evidence"
    )
    supported_threshold: float = Field(
        0.5, ge=0, le=1, description="score (the judge's P(supported)) at or above which a sentence is supported"
    )
    restated_backing: float = Field(
        0.9,
        ge=0,
        le=1,
        description="least share of a sentence's content one passage backs for its inserted words to be counted",
    )
    partial_coverage: float = Field(
        0.5, ge=0, le=1, description="least share of content backed for the core to count as supported"
    )
    partial_semantic: float = Field(
        0.5, ge=-1, le=1, description="least cosine with the best evidence for the core to count as supported"
    )
    covered_similarity: float = Field(
        0.6, ge=-1, le=1, description="least cosine for a source sentence to count as covered by the outlet"
    )
    covered_share: float = Field(
        0.7, ge=0, le=1, description="least share of a source sentence's content words for covered"
    )
    partial_similarity: float = Field(
        0.45, ge=-1, le=1, description="least cosine for a source sentence to count as partly covered"
    )
    partial_share: float = Field(
        0.3, ge=0, le=1, description="least share of a source sentence's content words for partly covered"
    )
    contradiction_share: float = Field(
        0.6, ge=0, le=1, description="least share of the claim one source sentence must back before its numbers count"
    )
    negation_share: float = Field(
        0.75,
        ge=0,
        le=1,
        description="least share of the rest of the claim (all but the word in doubt) one source sentence must "
        "back before its polarity counts",
    )
    slot_share: float = Field(
        0.4,
        ge=0,
        le=1,
        description="least share of the claim one source sentence must back before a differing name, role, "
        "opposite word or modality in the same context counts (numbers and dates: contradiction_share)",
    )
    contradiction_cap: float = Field(
        0.25,
        ge=0,
        le=1,
        description="highest score of a contradicted sentence: a typed contradiction outranks similarity",
    )
    cross_source_similarity: float = Field(
        0.7, ge=-1, le=1, description="least cosine for a source sentence to count as also stated by another source"
    )
    salience: SalienceWeights = Field(
        default_factory=SalienceWeights, description="weights of the reasons an omission ranks high"
    )
    approximation: float = Field(
        0.1, ge=0, le=1, description='how far "about 300" may be from 300, as a share (below/above: one side only)'
    )
    role_reach: int = Field(8, ge=1, le=50, description="most tokens between two names read as who did what to whom")
    quote_paraphrase_similarity: float = Field(
        0.6,
        ge=-1,
        le=1,
        description="least cosine for an unfound quotation's closest passage to count as its paraphrase",
    )
    contradiction_semantic: float = Field(
        0.55, ge=-1, le=1, description="least cosine before a differing number or negation is a contradiction"
    )
    # Last, so that a report's settings keep their order: the report records the judge's id under this key.
    judge: str = Field(
        DEFAULT_JUDGE, description="which kind of judge gives the score: a module of reconcile/judges/ (support)"
    )

    @field_validator("judge")
    @classmethod
    def _known_judge(cls, kind: str) -> str:
        if kind not in judge_kinds():
            raise ValueError(f"no judge of kind {kind!r}; the kinds are {', '.join(judge_kinds())}")
        return kind
