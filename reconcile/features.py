"""Features: what the score is computed from, measured on an outlet sentence and its evidence.

Each is a number in a known direction (more backing never lowers the score): similarity of the
best window and of the stretch of source the claim's words come from, lexical similarity, share of
content backed by all the evidence and by the best single window, locality of neighbouring word
pairs, the longest in-order run of shared words, extractive fragment density, unbacked names and
numbers, and words found nowhere in the sources.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace

from rapidfuzz.distance import LCSseq

from .align import SourceText
from .embed import Embedder
from .evidence import ClaimEvidence, focus_span, spanned
from .lexicon import Token, content_keys, matches, same_family, tokenize


@dataclass(frozen=True)
class Features:
    """The measurements of one outlet sentence against its evidence (the score's inputs)."""

    semantic: float  # cosine with the best window, or with the focus stretch when higher
    lexical: float  # rapidfuzz token-set ratio of the best window
    coverage: float  # share of the content weight all the chosen evidence backs
    best_window_coverage: float  # ... the best single window backs
    pair_coverage: float  # neighbouring content-word pairs that stand near each other in one source sentence
    in_order: float  # longest in-order run of content words shared with one window, as a share
    fragment_density: float  # Grusky et al.'s extractive density, scaled to [0, 1]
    missing_names: float  # unbacked names and numbers, at most 3
    novelty: float  # share of the content weight found nowhere in the sources

    def to_dict(self) -> dict[str, float]:
        return asdict(self)


def measure(
    evidence: Sequence[ClaimEvidence], sources: Sequence[SourceText], embedder: Embedder | None
) -> list[Features]:
    """The features of each outlet sentence; embedder None skips the focus stretches.

    The focus stretch is the part of the best-backing source sentence the claim's words come from:
    a one-clause summary of a long sentence is only loosely similar to all of it. Coverage asks
    whether the outlet says a source sentence as a whole, so it measures without.
    """
    source_keys: set[str] = set()
    for source in sources:
        for sent in source.sentences:
            source_keys |= content_keys(sent.text)
        if source.speaker:
            source_keys |= content_keys(source.speaker)
    frozen_keys = frozenset(source_keys)
    measured = [_measure(e, sources, frozen_keys) for e in evidence]
    if embedder is None:
        return measured
    focus = [focus_span(e, sources) for e in evidence]
    # The focus stretches are encoded together, in one batch.
    focus_texts = [f for f in focus if f is not None]
    if not focus_texts:
        return measured
    focus_vectors = dict(zip(focus_texts, embedder.encode(focus_texts), strict=True))
    claim_vectors = embedder.encode([e.sentence for e in evidence])
    return [
        replace(m, semantic=max(m.semantic, float(claim_vectors[k] @ focus_vectors[f]))) if f is not None else m
        for k, (m, f) in enumerate(zip(measured, focus, strict=True))
    ]


def _measure(evidence: ClaimEvidence, sources: Sequence[SourceText], source_keys: frozenset[str]) -> Features:
    tokens, content, ranked = evidence.tokens, evidence.content, evidence.ranked
    total = evidence.total_weight
    missing = evidence.missing
    covered_weight = sum(tokens[i].weight for i in content if i in evidence.covered)
    novel_weight = sum(tokens[i].weight for i in missing if not matches(tokens[i].key, source_keys))
    # A faithful sentence usually rests on one passage; a claim stitched from words scattered over
    # the source (the typical summariser error) is backed as a whole but not by any one window, and
    # its neighbouring words do not stand near each other in any source sentence.
    read_as = evidence.read_as_source()
    in_order, density = _extractive_fit(read_as, content, evidence, sources)
    return Features(
        semantic=max((c.semantic for c in ranked), default=0.0),
        lexical=max((c.lexical for c in ranked), default=0.0),
        coverage=covered_weight / total if total else 1.0,
        best_window_coverage=evidence.best_single,
        pair_coverage=_pair_locality(read_as, content, evidence, sources),
        in_order=in_order,
        fragment_density=density,
        missing_names=float(min(evidence.missing_names, 3)),
        novelty=novel_weight / total if total else 0.0,
    )


def _pair_locality(
    tokens: Sequence[Token],
    content: Sequence[int],
    evidence: ClaimEvidence,
    sources: Sequence[SourceText],
    *,
    reach: int = 4,
) -> float:
    """Share of neighbouring content-word pairs of the claim that stand near each other in one source sentence."""
    pairs = list(zip(content, content[1:], strict=False))
    if not pairs:
        return 1.0
    positions: list[dict[str, list[int]]] = []
    for source, k in spanned(evidence.ranked):
        where: dict[str, list[int]] = {}
        for pos, t in enumerate(t for t in tokenize(sources[source].sentences[k].text) if t.is_content):
            where.setdefault(t.key, []).append(pos)
        positions.append(where)

    # A word's family shares its first four letters (lexicon.same_family): only those keys are compared.
    by_prefix: list[dict[str, list[str]]] = []
    for where in positions:
        groups: dict[str, list[str]] = {}
        for key in where:
            groups.setdefault(key[:4], []).append(key)
        by_prefix.append(groups)
    found: dict[str, list[list[int]]] = {}

    def places(key: str) -> list[list[int]]:
        """Where the key's family stands in each window; each content word is in two pairs, so asked twice."""
        if key not in found:
            found[key] = [
                [p for kin in groups.get(key[:4], ()) if kin == key or same_family(key, kin) for p in where[kin]]
                for where, groups in zip(positions, by_prefix, strict=True)
            ]
        return found[key]

    def near(a: Token, b: Token) -> bool:
        return any(
            abs(x - y) <= reach for pa, pb in zip(places(a.key), places(b.key), strict=True) for x in pa for y in pb
        )

    return sum(1 for a, b in pairs if near(tokens[a], tokens[b])) / len(pairs)


def _extractive_fit(
    tokens: Sequence[Token], content: Sequence[int], evidence: ClaimEvidence, sources: Sequence[SourceText]
) -> tuple[float, float]:
    """How much of the claim reads, in order, like one passage of a source.

    in_order: the longest common subsequence of content words with one candidate window, as a share
    of the claim's content words. fragment_density: Grusky et al.'s extractive density (mean squared
    length of the copied fragments, over the claim's words) against those windows' sentences,
    scaled to [0, 1] by the claim's length: a stitched claim is made of short, scattered copies.
    """
    claim_seq = [tokens[i].key for i in content]
    words = [t.key for i, t in enumerate(tokens) if i not in evidence.exempt]
    best_lcs = 0
    sentence_seqs: list[list[str]] = []
    seen: set[tuple[int, int]] = set()
    for c in evidence.ranked:
        window_seq: list[str] = []
        for k in range(c.first, c.last + 1):
            toks = tokenize(sources[c.source].sentences[k].text)
            window_seq.extend(t.key for t in toks if t.is_content)
            if (c.source, k) not in seen:
                seen.add((c.source, k))
                sentence_seqs.append([t.key for t in toks])
        best_lcs = max(best_lcs, int(LCSseq.similarity(claim_seq, window_seq)))  # of words, not letters
    in_order = best_lcs / len(claim_seq) if claim_seq else 1.0
    # Greedy longest fragments, as in Grusky et al. (2018), over all words of the claim.
    # Only positions where the claim's word occurs can start a fragment: index them once.
    starts: dict[str, list[tuple[int, int]]] = {}
    for s_index, seq in enumerate(sentence_seqs):
        for j, word in enumerate(seq):
            starts.setdefault(word, []).append((s_index, j))
    i, squares = 0, 0
    while i < len(words):
        longest = 0
        for s_index, j in starts.get(words[i], ()):
            seq = sentence_seqs[s_index]
            n = 0
            while i + n < len(words) and j + n < len(seq) and words[i + n] == seq[j + n]:
                n += 1
            longest = max(longest, n)
        squares += longest * longest
        i += max(longest, 1)
    density = squares / (len(words) ** 2) if words else 1.0
    return in_order, density
