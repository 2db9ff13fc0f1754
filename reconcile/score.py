"""Score: the probability that each outlet sentence is supported by its evidence, from the judge.

The judge is any `judges.Judge` (Settings.judge names its kind); the packaged one (judges/support.py,
its model judge.py) reads the sentence's features, the count of words put in place of the
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
    match_statistics,
    tokens_of,
    unit_rows,
)
from .judging import ClaimCase, Judge, JudgeContext


def score(
    evidence: Sequence[ClaimEvidence],
    features: Sequence[Features],
    sources: Sequence[SourceText],
    embedder: Embedder,
    judge: Judge,
) -> list[float]:
    """P(supported) of each outlet sentence against its candidate evidence, as the judge (judges/) gives it."""
    if not evidence:
        return []
    cases = [ClaimCase(e.sentence, windows(e), e, f) for e, f in zip(evidence, features, strict=True)]
    return [j.claim.supported for j in judge.judge(cases, JudgeContext(sources, embedder))]


def windows(evidence: ClaimEvidence) -> tuple[str, ...]:
    """The candidate windows' texts a judge may read, best first: the chosen ones, then the rest as ranked."""
    picked = list(evidence.chosen) + [c for c in evidence.ranked if c not in evidence.chosen]
    return tuple(c.text for c in picked)


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
    stored = dict(zip(distinct, tokens_of(embedder, distinct), strict=True))
    best: list[np.ndarray] = []
    for group in _groups(evidence, stored):
        claims, group_reads = [evidence[i].sentence for i in group], [reads[i] for i in group]
        # float32 unit rows group by group: all at once, 16,000 sentences' were 370 MB more at the peak
        needed = dict.fromkeys([*claims, *(t for read in group_reads for t in read)])
        best.extend(_best_matches(claims, group_reads, {t: unit_rows(stored[t]) for t in needed}))
    rows = []
    for e, f, read, matched in zip(evidence, features, reads, best, strict=True):
        ev_vectors = np.stack([vectors[t] for t in read]) if read else np.zeros((0, len(vectors[e.sentence])))
        rows.append(judge_inputs(f, e.inserted, vectors[e.sentence], ev_vectors, matched))
    return np.stack(rows)


# Claim tokens per product: an ordinary comparison is one product (many small ones cost more in BLAS's
# set-up, and its spinning threads take the cores from the model, than the arithmetic); a huge one is
# several, so that the product grows with the text, not with its square.
GROUP_TOKENS = 8192
PRODUCT_CELLS = 16_000_000  # at most this many cosines at once (64 MB)


def _groups(evidence: Sequence[ClaimEvidence], tokens: dict[str, np.ndarray]) -> list[list[int]]:
    """The outlet sentences in order, in groups of about GROUP_TOKENS claim tokens."""
    groups: list[list[int]] = [[]]
    size = 0
    for i, e in enumerate(evidence):
        if groups[-1] and size + len(tokens[e.sentence]) > GROUP_TOKENS:
            groups.append([])
            size = 0
        groups[-1].append(i)
        size += len(tokens[e.sentence])
    return groups


def _best_matches(claims: list[str], reads: list[list[str]], tokens: dict[str, np.ndarray]) -> list[np.ndarray]:
    """Each claim token's best cosine among the tokens of the sentences that claim's judge reads: every
    claim token of the group against every token of the group's evidence sentences, in one product; or,
    were that product over PRODUCT_CELLS, claim by claim in slices of its tokens (a sentence of thousands
    of tokens against its own copy)."""
    texts = list(dict.fromkeys(t for read in reads for t in read))
    if not texts:
        return [np.zeros(0, dtype=np.float32) for _ in claims]
    ends = np.cumsum([len(tokens[t]) for t in texts])
    columns = {t: np.arange(end - len(tokens[t]), end) for t, end in zip(texts, ends, strict=True)}
    evidence_tokens = np.concatenate([tokens[t] for t in texts])
    distinct = list(dict.fromkeys(claims))
    if sum(len(tokens[c]) for c in distinct) * len(evidence_tokens) <= PRODUCT_CELLS:
        starts = dict(zip(distinct, np.cumsum([0] + [len(tokens[c]) for c in distinct]).tolist(), strict=False))
        similarity = np.concatenate([tokens[c] for c in distinct]) @ evidence_tokens.T
        blocks = {c: similarity[starts[c] : starts[c] + len(tokens[c])] for c in distinct}
    else:
        blocks = {}
    out = []
    for claim, read in zip(claims, reads, strict=True):
        cols = np.concatenate([columns[t] for t in read]) if read else np.zeros(0, dtype=np.int64)
        if not len(cols) or not len(tokens[claim]):
            out.append(np.zeros(0, dtype=np.float32))
        elif claim in blocks:
            out.append(blocks[claim][:, cols].max(axis=1))
        else:
            mine, step = evidence_tokens[cols].T, max(1, PRODUCT_CELLS // len(cols))
            rows = tokens[claim]
            out.append(np.concatenate([(rows[k : k + step] @ mine).max(axis=1) for k in range(0, len(rows), step)]))
    return out


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
