"""Score: the probability that each outlet sentence is supported by its evidence, from the judge.

The learned judge (judge.py) reads the sentence's features, the count of words put in place of the
evidence's, and how well each of its tokens is matched among the evidence sentences' tokens; its
probability is the one score every verdict is read from (verdict.py).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .align import Candidate, SourceText
from .embed import Embedder
from .evidence import ClaimEvidence, spanned
from .features import Features
from .judge import (
    EVIDENCE_SENTENCES,
    EVIDENCE_WINDOWS,
    FEATURE_NAMES,
    INPUT_NAMES,
    INSERTED_CAP,
    Judge,
    match_statistics,
    tokens_of,
    unit_rows,
)


def score(
    evidence: Sequence[ClaimEvidence],
    features: Sequence[Features],
    sources: Sequence[SourceText],
    embedder: Embedder,
    judge: Judge,
) -> list[float]:
    """P(supported) of each outlet sentence against the evidence the judge reads (judge.evidence_sentences)."""
    if not evidence:
        return []
    return [float(p) for p in judge.probability(judge_rows(evidence, features, sources, embedder))]


def judge_rows(
    evidence: Sequence[ClaimEvidence], features: Sequence[Features], sources: Sequence[SourceText], embedder: Embedder
) -> np.ndarray:
    """The judge's inputs (judge.INPUT_NAMES) of each outlet sentence [N, 17]; training reads them from here too."""
    if not evidence:
        return np.zeros((0, len(INPUT_NAMES)), dtype=np.float32)
    reads = [[sources[s].sentences[k].text for s, k, _ in evidence_sentences(e.ranked, e.chosen)] for e in evidence]
    # Every text here was encoded for the alignment: its vector and tokens come from that pass.
    distinct = list(dict.fromkeys([e.sentence for e in evidence] + [t for read in reads for t in read]))
    vectors = dict(zip(distinct, np.asarray(embedder.encode(distinct), dtype=np.float32), strict=True))
    tokens = [unit_rows(t) for t in tokens_of(embedder, distinct)]
    ends = np.cumsum([len(t) for t in tokens])
    span = {text: np.arange(end - len(t), end) for text, t, end in zip(distinct, tokens, ends, strict=True)}
    # Every claim token against every token of these texts in one product: many small ones cost more in
    # BLAS's set-up (and its spinning threads take the cores from the model) than the arithmetic.
    every = np.concatenate(tokens)
    claims = list(dict.fromkeys(e.sentence for e in evidence))
    claim_rows = np.concatenate([span[c] for c in claims])
    similarity = every[claim_rows] @ every.T
    starts = dict(zip(claims, np.cumsum([0] + [len(span[c]) for c in claims]).tolist(), strict=False))
    rows = []
    for e, f, read in zip(evidence, features, reads, strict=True):
        ev_vectors = np.stack([vectors[t] for t in read]) if read else np.zeros((0, len(vectors[e.sentence])))
        columns = np.concatenate([span[t] for t in read]) if read else np.zeros(0, dtype=np.int64)
        block = similarity[starts[e.sentence] : starts[e.sentence] + len(span[e.sentence])]
        best = block[:, columns].max(axis=1) if len(columns) and len(block) else np.zeros(0, dtype=np.float32)
        rows.append(judge_inputs(f, e.inserted, vectors[e.sentence], ev_vectors, best))
    return np.stack(rows)


def evidence_sentences(ranked: Sequence[Candidate], chosen: Sequence[Candidate]) -> list[tuple[int, int, bool]]:
    """(source, sentence, chosen) of the sentences the judge reads, best first."""
    picked = list(chosen)
    for c in ranked:
        if len(picked) >= EVIDENCE_WINDOWS:
            break
        if c not in picked:
            picked.append(c)
    chosen_sentences = set(spanned(chosen))
    return [(s, k, (s, k) in chosen_sentences) for s, k in spanned(picked)][:EVIDENCE_SENTENCES]


def judge_inputs(
    features: Features,
    inserted: int,
    claim_vector: np.ndarray,
    evidence_vectors: np.ndarray,
    best_match: np.ndarray,
) -> np.ndarray:
    """The INPUT_NAMES values of one outlet sentence (float32), the same in training and in the product.

    best_match: each claim token's best cosine among the evidence sentences' tokens (empty: no evidence).
    """
    if len(evidence_vectors):
        mean = evidence_vectors.mean(axis=0)
        cosine = float(claim_vector @ mean / max(float(np.linalg.norm(mean)), 1e-12))
    else:
        cosine = 0.0
    values = [getattr(features, n) for n in FEATURE_NAMES]
    values += [cosine, float(min(inserted, INSERTED_CAP)), *match_statistics(best_match)]
    return np.asarray(values, dtype=np.float32)
