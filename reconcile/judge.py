"""The support judge: P(supported) for an outlet sentence and its evidence, learned from ../shared/train.

Two models, trained together by benchmarks/train_judge.py on 17 inputs the product computes
(score.judge_rows; the names are INPUT_NAMES):

- the judge, a small MLP ensemble (seeds averaged in logit space) over the nine features, the
  claim-vs-evidence cosine, the count of inserted words and six statistics of how well each claim
  token is matched among the evidence tokens (frozen MiniLM contextual token embeddings, from the
  same forward pass that gives the sentence vectors); trained on all seven train sets;
- the copy model, a logistic over the nine features whose weights keep their sign (more backing never
  lowers it), trained on the summary sets (FRANK, XSumFaith, SummEdits): it knows close copies,
  which the judge, taught mostly by rewordings, undervalues.

The score is the sigmoid of the mean of their two logits, one calibrated probability; 0.5 is where a
supported and an unsupported case are equally likely (both are trained with balanced weights).
Everything here is numpy: the judge adds no transformer pass and needs no torch of its own.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources as package_files
from typing import Protocol, TypeVar, runtime_checkable

import numpy as np

from .embed import Embedder
from .errors import ModelError

JUDGE_FILE = "data/judge.safetensors"
# features.Features's fields, in order (a test holds them equal; this module imports no pipeline stage,
# so that resources.py, which every stage reads, can hold the judge without an import circle).
FEATURE_NAMES = (
    "semantic",
    "lexical",
    "coverage",
    "best_window_coverage",
    "pair_coverage",
    "in_order",
    "fragment_density",
    "missing_names",
    "novelty",
)
TOKEN_NAMES = (
    "worst_token_gap",  # 1 - the best cosine of the claim token matched worst in the evidence
    "second_token_gap",  # ... of the second worst
    "mean_token_gap",  # 1 - the mean best cosine over the claim's tokens
    "tokens_below_60",  # share of claim tokens whose best cosine is under 0.6
    "tokens_below_70",  # ... under 0.7
    "tenth_token_gap",  # 1 - the 10th percentile of the best cosines
)
INPUT_NAMES = (*FEATURE_NAMES, "claim_evidence_cosine", "inserted", *TOKEN_NAMES)
# The evidence the judge reads: the chosen windows' sentences, then the next best-ranked windows'
# until there are EVIDENCE_WINDOWS windows, at most EVIDENCE_SENTENCES sentences.
EVIDENCE_WINDOWS = 3
EVIDENCE_SENTENCES = 6
INSERTED_CAP = 3
_WORD = re.compile(r"\w+")


@runtime_checkable
class TokenEmbedder(Protocol):
    """An embedder that also gives each text's contextual token embeddings (rows L2-normalised or not)."""

    def token_embeddings(self, texts: Sequence[str]) -> list[np.ndarray]: ...


def unit_rows(tokens: np.ndarray) -> np.ndarray:
    """Token embeddings as float32 rows of length 1 (once per text: float16 conversion is slow in numpy)."""
    rows = np.asarray(tokens, dtype=np.float32)
    unit: np.ndarray = rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)
    return unit


def match_statistics(best: np.ndarray) -> list[float]:
    """The six TOKEN_NAMES statistics from each claim token's best cosine among the evidence tokens."""
    if not len(best):
        return [1.0, 1.0, 1.0, 1.0, 1.0, 1.0]
    ordered = np.sort(best)
    return [
        float(1 - ordered[0]),
        float(1 - ordered[min(1, len(ordered) - 1)]),
        float(1 - best.mean()),
        float((best < 0.6).mean()),
        float((best < 0.7).mean()),
        float(1 - np.quantile(best, 0.1)),
    ]


def tokens_of(embedder: Embedder, texts: Sequence[str]) -> list[np.ndarray]:
    """Token embeddings of texts: the embedder's own, or (one that has none) the vectors of each text's words."""
    if isinstance(embedder, TokenEmbedder):
        return embedder.token_embeddings(texts)
    # An embedder without token outputs (a test's stand-in): each word's own vector stands in for its token.
    return [np.asarray(embedder.encode(_WORD.findall(text) or [text]), dtype=np.float32) for text in texts]


@dataclass(frozen=True)
class Judge:
    """The trained weights (read-only) and the forward pass; `Judge.load()` reads the packaged file."""

    id: str  # "judge-<hash of the training data and settings>"
    mean: np.ndarray  # [17] input standardisation
    std: np.ndarray
    members: tuple[tuple[tuple[np.ndarray, np.ndarray], ...], ...]  # per seed, (weight [out, in], bias) per layer
    copy_weights: np.ndarray  # [9] over FEATURE_NAMES
    copy_bias: float
    metadata: dict[str, str]

    @classmethod
    def load(cls, data: bytes | None = None) -> Judge:
        """The packaged judge (or one from the bytes of a judge file)."""
        from safetensors.numpy import load

        tensors, metadata = packaged_weights(JUDGE_FILE, data, load, what="the judge", fix="run make train")
        if json.loads(metadata.get("inputs", "[]")) != list(INPUT_NAMES):
            raise ModelError(f"reconcile/{JUDGE_FILE}: the judge was trained on other inputs; run make train")
        members = []
        for seed in sorted({k.split(".")[0] for k in tensors if k.startswith("member")}):
            layers = sorted({int(k.split(".")[1]) for k in tensors if k.startswith(seed + ".")})
            members.append(tuple((tensors[f"{seed}.{n}.weight"], tensors[f"{seed}.{n}.bias"]) for n in layers))
        return cls(
            id=metadata["judge"],
            mean=tensors["mean"],
            std=tensors["std"],
            members=tuple(members),
            copy_weights=tensors["copy.weight"],
            copy_bias=float(tensors["copy.bias"][0]),
            metadata=metadata,
        )

    def judge_logit(self, inputs: np.ndarray) -> np.ndarray:
        """The ensemble's logit per row of inputs [N, 17]."""
        x0 = (np.atleast_2d(inputs).astype(np.float32) - self.mean) / self.std
        logits = []
        for layers in self.members:
            x = x0
            for n, (weight, bias) in enumerate(layers):
                x = x @ weight.T + bias
                if n < len(layers) - 1:
                    x = np.maximum(x, 0.0)
            logits.append(x[:, 0])
        mean: np.ndarray = np.mean(logits, axis=0) if logits else np.zeros(len(x0), dtype=np.float32)
        return mean

    def copy_logit(self, inputs: np.ndarray) -> np.ndarray:
        features = np.atleast_2d(inputs)[:, : len(FEATURE_NAMES)].astype(np.float32)
        logit: np.ndarray = features @ self.copy_weights + self.copy_bias
        return logit

    def probability(self, inputs: np.ndarray) -> np.ndarray:
        """P(supported) per row: the sigmoid of the mean of the judge's and the copy model's logits."""
        z = (self.judge_logit(inputs) + self.copy_logit(inputs)) / 2
        probability: np.ndarray = 1.0 / (1.0 + np.exp(-z))
        return probability


T = TypeVar("T")  # what a weights file is read as (numpy arrays, torch tensors)


def packaged_weights(
    file: str, data: bytes | None, load: Callable[[bytes], T], *, what: str, fix: str
) -> tuple[T, dict[str, str]]:
    """The tensors (as ``load`` reads them) and the header metadata of a weights file packaged in reconcile/
    (or of its bytes): a missing or damaged file is one line naming the fix, as both judges' files are."""
    if data is None:
        try:
            data = package_files.files("reconcile").joinpath(file).read_bytes()
        except FileNotFoundError as exc:
            raise ModelError(f"reconcile/{file} is missing; reinstall, or {fix}") from exc
    try:
        return load(data), header_metadata(data)
    except Exception as exc:  # noqa: BLE001 - a damaged file becomes one clear line
        raise ModelError(f"reconcile/{file}: cannot read {what} ({exc}); reinstall, or {fix}") from exc


def header_metadata(data: bytes) -> dict[str, str]:
    """The string metadata of a safetensors file's bytes."""
    # The safetensors header: 8 bytes of length, then JSON whose "__metadata__" holds the strings.
    length = int.from_bytes(data[:8], "little")
    header = json.loads(data[8 : 8 + length])
    metadata: dict[str, str] = header.get("__metadata__", {})
    return metadata


def judge_id(data_hash: str, settings_json: str) -> str:
    """The judge's name in reports: a hash of the training data and the training settings."""
    return "judge-" + hashlib.sha256(f"{data_hash}\0{settings_json}".encode()).hexdigest()[:16]
