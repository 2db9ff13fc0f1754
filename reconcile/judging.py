"""What a judge is: the `Judge` protocol the score stage calls, and how a kind of judge is found by its name.

The kinds are the modules of the package `reconcile/judges/`; this module is a leaf beneath it.

A judge reads each outlet sentence (a claim) with its candidate evidence and gives, per claim and per
window it reads, the probabilities that the evidence supports the claim, contradicts it, or neither;
the verdict reads the claim's P(supported) (score.py). Each kind of judge is one module of this
package, named by its kind (`Settings.judge`), with a `load() -> Judge` function and its weights
under `reconcile/data/`: adding a kind is adding that module (and its weights), nothing else.

This module imports no pipeline stage, not even for type checking, so that resources.py and settings.py,
which every stage reads, can name a judge without an import running back up the stage order: the
fields that carry a stage's own types are typed Any here and named in their comments.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from .errors import ModelError

DEFAULT_JUDGE = "support"


@dataclass(frozen=True)
class Classes:
    """The three probabilities of one claim against some evidence; they sum to 1.

    A judge with two classes (supported or not) puts all of "not supported" in `neither`.
    """

    supported: float
    contradicted: float
    neither: float


@dataclass(frozen=True)
class ClaimCase:
    """One claim and its candidate evidence, as the score stage hands them to a judge."""

    claim: str
    windows: tuple[str, ...]  # the candidate evidence windows' texts: the chosen ones, then the rest ranked
    evidence: Any  # evidence.ClaimEvidence: the whole record, for a judge that reads more than the texts
    features: Any  # features.Features of the claim against that evidence


@dataclass(frozen=True)
class ClaimJudgement:
    """What a judge says of one claim: of its evidence as a whole, and of each window where it reads them apart."""

    claim: Classes  # claim.supported is the sentence's score, the one scale every verdict is read from
    windows: tuple[Classes, ...] = ()  # per ClaimCase.windows, in order; () for a judge that reads them together


@dataclass(frozen=True)
class JudgeContext:
    """What every claim of one comparison shares: the sources and the embedder that encoded them."""

    sources: Sequence[Any]  # align.SourceText, each source's text and sentences
    embedder: Any  # embed.Embedder, which encoded them (its vectors and tokens are cached)


@runtime_checkable
class Judge(Protocol):
    """A model that judges claims against their evidence."""

    @property
    def name(self) -> str:
        """The kind, as Settings.judge names it ("support")."""
        ...

    @property
    def id(self) -> str:
        """The kind and a hash of the weights (and their training): what a report records as settings.judge."""
        ...

    def judge(self, cases: Sequence[ClaimCase], context: JudgeContext) -> list[ClaimJudgement]:
        """One judgement per case, in order."""
        ...


KINDS_PACKAGE = "reconcile.judges"


def judge_kinds() -> list[str]:
    """The kinds of judge there are: the modules of reconcile/judges/ (none of them is imported to list them)."""
    package = importlib.import_module(KINDS_PACKAGE)
    return sorted(m.name for m in pkgutil.iter_modules(package.__path__) if not m.name.startswith("_"))


def load_judge(kind: str = DEFAULT_JUDGE) -> Judge:
    """The judge of that kind, with its packaged weights (`reconcile.judges.<kind>.load()`)."""
    if kind not in judge_kinds():
        raise ModelError(f"no judge of kind {kind!r}; the kinds are {', '.join(judge_kinds())}")
    module = importlib.import_module(f"{KINDS_PACKAGE}.{kind}")
    judge: Judge = module.load()
    return judge
