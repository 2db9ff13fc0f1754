"""Candidate evidence for each outlet sentence, from every sentence of every source, in any order.

A candidate is one source sentence or a window of neighbouring sentences of one source (for claims
that merge two source sentences). Candidates are ranked by a blend of semantic similarity (cosine of
the sentence embeddings) and lexical similarity (rapidfuzz token-set ratio); the best few are kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from .embed import Embedder
from .segment import Sentence
from .settings import Settings
from .stopping import checkpoint

_DEFAULTS = Settings()


@dataclass(frozen=True)
class SourceText:
    """The sentences of one source, as alignment sees them."""

    name: str
    text: str
    sentences: tuple[Sentence, ...]
    speaker: str | None = None


@dataclass(frozen=True)
class Candidate:
    """A window of one source's sentences [first, last] that may back an outlet sentence."""

    source: int  # index into the sources
    first: int
    last: int
    text: str
    start: int
    end: int
    semantic: float  # cosine similarity, [-1, 1]
    lexical: float  # rapidfuzz token-set ratio, [0, 1]

    @property
    def rank_score(self) -> float:
        return SEMANTIC_WEIGHT * self.semantic + (1.0 - SEMANTIC_WEIGHT) * self.lexical


# Semantic similarity finds paraphrases; the lexical share rescues names and numbers that small
# embedding models blur. Both are only used to rank candidates: the checks judge them.
SEMANTIC_WEIGHT = 0.7


@dataclass(frozen=True)
class _Window:
    source: int
    first: int
    last: int
    text: str
    start: int
    end: int


def _windows(sources: Sequence[SourceText], width: int) -> list[_Window]:
    windows: list[_Window] = []
    for s, source in enumerate(sources):
        sents = source.sentences
        for i in range(len(sents)):
            for size in range(1, width + 1):
                j = i + size - 1
                if j >= len(sents):
                    break
                start, end = sents[i].start, sents[j].end
                windows.append(_Window(s, sents[i].index, sents[j].index, source.text[start:end], start, end))
    return windows


def align(
    claims: Sequence[str],
    sources: Sequence[SourceText],
    embedder: Embedder,
    *,
    top_k: int = _DEFAULTS.top_k,
    window: int = _DEFAULTS.window,
    chunk_rows: int = 512,
) -> list[list[Candidate]]:
    """For each claim, the top_k candidate windows over all sources, best first."""
    checkpoint()  # a comparison asked to stop (stopping.py) stops before this step
    windows = _windows(sources, window)
    if not claims:
        return []
    if not windows:
        return [[] for _ in claims]
    sentence_texts = [sent.text for source in sources for sent in source.sentences]
    # Encode each distinct sentence once; a window's vector is the normalised mean of its sentences'
    # vectors, which keeps the cost linear in the text while still matching merged claims.
    distinct = list(dict.fromkeys([*claims, *sentence_texts]))
    vectors = embedder.encode(distinct)
    index = {text: i for i, text in enumerate(distinct)}
    claim_vecs = vectors[[index[c] for c in claims]]
    window_vecs = np.zeros((len(windows), vectors.shape[1]), dtype=np.float32)
    for w, win in enumerate(windows):
        sents = sources[win.source].sentences
        rows = [index[sents[k].text] for k in range(win.first, win.last + 1)]
        mean = vectors[rows].mean(axis=0)
        window_vecs[w] = mean / max(float(np.linalg.norm(mean)), 1e-12)
    window_texts = [w.text for w in windows]
    results: list[list[Candidate]] = []
    k = min(top_k, len(windows))
    for lo in range(0, len(claims), chunk_rows):
        hi = min(lo + chunk_rows, len(claims))
        semantic = claim_vecs[lo:hi] @ window_vecs.T
        lexical = (
            process.cdist(
                claims[lo:hi],
                window_texts,
                scorer=fuzz.token_set_ratio,
                processor=default_process,
                dtype=np.float32,
                workers=-1,
            )
            / 100.0
        )
        blended = SEMANTIC_WEIGHT * semantic + (1.0 - SEMANTIC_WEIGHT) * lexical
        best = np.argsort(-blended, axis=1, kind="stable")[:, :k]
        for row, picks in enumerate(best):
            results.append(
                [
                    Candidate(
                        source=windows[w].source,
                        first=windows[w].first,
                        last=windows[w].last,
                        text=windows[w].text,
                        start=windows[w].start,
                        end=windows[w].end,
                        semantic=float(semantic[row, w]),
                        lexical=float(lexical[row, w]),
                    )
                    for w in picks
                ]
            )
    return results


def only_from(candidates: Sequence[list[Candidate]], allowed: Sequence[Sequence[int]]) -> list[list[Candidate]]:
    """Each claim's candidates from the sources allowed it only (none listed: from every source).

    Reported speech ("President Xi stressed that ...") is checked against that speaker's sources alone.
    """
    return [
        [c for c in cands if c.source in own] if own else cands for cands, own in zip(candidates, allowed, strict=True)
    ]
