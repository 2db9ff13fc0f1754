"""What the outlet left out: coverage of every source sentence, omissions ranked by salience,
dropped qualifiers, and which source each outlet sentence rests on.

Coverage runs the alignment backwards: each source sentence is a claim checked against the outlet,
so a source sentence is covered when the outlet says it, whatever order the outlet tells things in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .align import SourceText, align
from .checks.quotes import QuoteCheck, QuoteStatus
from .checks.silence import SilenceCheck
from .embed import Embedder
from .evidence import ClaimEvidence, choose_evidence
from .features import measure
from .lexicon import TokenKind, content_keys, tokenize
from .report import CoverageState, DroppedQualifier, Omission, SourceCoverage
from .resources import Resources
from .segment import Sentence
from .settings import SalienceWeights, Settings
from .stopping import checkpoint
from .wordlists import words


def omissions_of(
    sources: Sequence[SourceText], outlet: SourceText, embedder: Embedder, settings: Settings, resources: Resources
) -> tuple[list[SourceCoverage], list[Omission]]:
    """What the outlet did with each source sentence, and what it left out, ranked by salience."""
    checkpoint()  # a comparison asked to stop (stopping.py) stops before this step and after it
    coverage = cover(sources, outlet, embedder, settings, resources)
    also = also_stated(sources, embedder, settings.cross_source_similarity)
    omissions = rank_omissions(coverage, sources, also, weights=settings.salience)
    checkpoint()
    return coverage, omissions


def cover(
    sources: Sequence[SourceText], outlet: SourceText, embedder: Embedder, settings: Settings, resources: Resources
) -> list[SourceCoverage]:
    """Every source sentence checked, in reverse, against the outlet (the same stages, claim and source swapped).

    No focus stretch: coverage asks whether the outlet says a source sentence as a whole, so the
    whole outlet passage is the right comparison.
    """
    coverage: list[SourceCoverage] = []
    for source in sources:
        claims = [s.text for s in source.sentences]
        candidates = align(claims, [outlet], embedder, top_k=settings.top_k, window=settings.window)
        evidence = [
            choose_evidence(claim, cands, [outlet], settings, resources)
            for claim, cands in zip(claims, candidates, strict=True)
        ]
        for sent, found, measured in zip(source.sentences, evidence, measure(evidence, [outlet], None), strict=True):
            similarity, share = measured.semantic, measured.coverage
            state = coverage_state(
                similarity,
                share,
                covered=(settings.covered_similarity, settings.covered_share),
                partial=(settings.partial_similarity, settings.partial_share),
            )
            covered_by = (
                tuple(sorted({k for c in found.chosen for k in range(c.first, c.last + 1)}))
                if state is not CoverageState.OMITTED
                else ()
            )
            left_out = tuple(dict.fromkeys(found.tokens[i].text for i in found.content if i not in found.covered))
            coverage.append(
                SourceCoverage(
                    source.name,
                    sent.index,
                    sent.text,
                    sent.start,
                    sent.end,
                    state,
                    covered_by,
                    similarity,
                    share,
                    left_out,
                )
            )
    return coverage


def coverage_state(
    similarity: float, share: float, *, covered: tuple[float, float], partial: tuple[float, float]
) -> CoverageState:
    """Covered when the outlet says the same (similar enough) with most of its words; partial with some."""
    if similarity >= covered[0] and share >= covered[1]:
        return CoverageState.COVERED
    if similarity >= partial[0] and share >= partial[1]:
        return CoverageState.PARTIAL
    return CoverageState.OMITTED


# Salience: what a reader would most want to know was left out. Each factor is generic to
# official readouts, and the reason names every factor that applied.
_COMMITMENT = re.compile(
    r"\b(will|shall|must|agreed?|agrees|commit(?:s|ted|ment)?|pledged?|promised?|vowed?|plans?|"
    r"expect(?:s|ed|ation)?|decided|announced|signed|should)\b",
    re.IGNORECASE,
)


def rank_omissions(
    coverage: Sequence[SourceCoverage],
    sources: Sequence[SourceText],
    cross_source: dict[tuple[str, int], str],
    *,
    weights: SalienceWeights | None = None,
) -> list[Omission]:
    """The omitted and partly covered source sentences, most salient first, each with why.

    cross_source: the source sentences another source also states (`also_stated`).
    """
    weights = weights or SalienceWeights()
    counts = {s.name: len(s.sentences) for s in sources}
    ranked: list[Omission] = []
    for c in coverage:
        if c.state is CoverageState.COVERED:
            continue
        score, why = 0.0, []
        tokens = tokenize(c.text)
        numbers = [t.text for t in tokens if t.kind is TokenKind.NUMBER]
        if numbers:
            score += weights.number
            why.append("states a number (" + ", ".join(numbers[:3]) + ")")
        commitment = _COMMITMENT.search(c.text)
        if commitment:
            score += weights.commitment
            why.append(f'states a commitment or decision ("{commitment.group(0)}")')
        names = list(dict.fromkeys(t.text for t in tokens if t.kind is TokenKind.NAME))
        if names:
            score += min(len(names), 3) * weights.name
            why.append("names " + ", ".join(names[:4]))
        other = cross_source.get((c.source, c.index))
        if other:
            score += weights.other_source
            why.append(f"also stated by {other}")
        n = counts.get(c.source, 1)
        position = 1.0 - c.index / max(n, 1)
        score += weights.position * position
        why.append(f"sentence {c.index + 1} of {n} in {c.source}")
        if c.state is CoverageState.OMITTED:
            score += weights.omitted
            why.insert(0, "not reported at all")
        else:
            leaves = ", ".join(c.left_out[:5])
            why.insert(0, f"only partly reported ({c.share:.0%} of its words; leaves out {leaves})")
        ranked.append(Omission(c.source, c.index, c.text, c.start, c.end, c.state, score, "; ".join(why)))
    ranked.sort(key=lambda o: -o.salience)
    return ranked


def also_stated(sources: Sequence[SourceText], embedder: Embedder, threshold: float) -> dict[tuple[str, int], str]:
    """For each source sentence that another source also states (cosine >= threshold), that source's name."""
    if len(sources) < 2:
        return {}
    vectors = [embedder.encode([s.text for s in source.sentences]) for source in sources]
    found: dict[tuple[str, int], str] = {}
    for a, source in enumerate(sources):
        for b, other in enumerate(sources):
            if a == b:
                continue
            best = (vectors[a] @ vectors[b].T).max(axis=1)
            for k, value in enumerate(best):
                if value >= threshold:
                    found.setdefault((source.name, k), other.name)
    return found


_QUALIFIER = re.compile(
    r"\b(subject to|on the (?:basis|condition|premise) of|provided (?:that)?|as long as|unless|only if|if|"
    r"in principle|conditional (?:on|upon)|pending|depending on|in exchange for|while noting|"
    r"notwithstanding|despite|although)\b",
    re.IGNORECASE,
)


_HEARSAY = re.compile(r"\b(?:" + "|".join(sorted(words("modality", "hearsay"))) + r")\b", re.IGNORECASE)


def dropped_qualifiers(outlet_sentence: str, evidence: Sequence[tuple[SourceText, int]]) -> list[DroppedQualifier]:
    """Conditions and caveats in the evidence sentences whose words the outlet sentence does not carry.

    evidence: (source, sentence position) of each source sentence that backs the outlet sentence.
    """
    said = content_keys(outlet_sentence)
    found: list[DroppedQualifier] = []
    for source, k in evidence:
        sentence = source.sentences[k]
        for match in _QUALIFIER.finditer(sentence.text):
            # The qualifier runs from its cue to the end of its clause.
            rest = sentence.text[match.start() :]
            stop = re.search(r"[,;:.!?](?:\s|$)", rest[len(match.group(0)) :])
            clause = rest[: len(match.group(0)) + (stop.start() if stop else len(rest))].strip()
            words = content_keys(clause[len(match.group(0)) :])
            if not words:
                continue
            carried = len(words & said) / len(words)
            if carried < 0.5:
                start = sentence.start + match.start()
                found.append(DroppedQualifier(source.name, clause, start, start + len(clause)))
        for match in _HEARSAY.finditer(sentence.text):
            if not re.search(rf"\b{re.escape(match.group(0))}\b", outlet_sentence, re.IGNORECASE):
                start = sentence.start + match.start()
                found.append(DroppedQualifier(source.name, match.group(0), start, start + len(match.group(0))))
    return found


_MUTUAL = re.compile(
    r"\b(both (?:leaders|sides|countries|presidents|governments|parties|men|nations)|"
    r"the two (?:sides|leaders|countries|presidents|governments|parties|nations)|"
    r"jointly|mutual(?:ly)?|each other|one another|together)\b",
    re.IGNORECASE,
)


def mutual_claim(sentence: str) -> str | None:
    """The words that present a claim as shared by both sides, if any."""
    match = _MUTUAL.search(sentence)
    return match.group(0) if match else None


def sentence_notes(
    sentence: Sentence,
    evidence: ClaimEvidence,
    sources: Sequence[SourceText],
    *,
    supported_by: Sequence[str],
    reported: Sequence[int],
    quotes: Sequence[QuoteCheck],
    silence: SilenceCheck | None,
) -> tuple[tuple[DroppedQualifier, ...], tuple[str, ...]]:
    """The qualifiers an outlet sentence drops, and its notes: one line each on what else the stages found.

    supported_by: the sources its evidence backs it from (none: unsupported); reported: the sources it
    was checked against as reported speech (checks/credit.py); quotes: the quotations that overlap it.
    """
    notes: list[str] = []
    if reported and len(reported) < len(sources):
        names = ", ".join(sources[k].name for k in reported)
        notes.append(f"reported as the words of {sources[reported[0]].speaker}: checked against {names} only")
    # A quotation over several sentences is checked piecewise per sentence; its splice is the
    # whole quotation's, so each sentence it runs through says so.
    for q in quotes:
        inside = sentence.start <= q.start and q.end <= sentence.end
        if q.status is QuoteStatus.SPLICED and not inside and q.start < sentence.end and sentence.start < q.end:
            notes.append(f"part of a spliced quotation (chars {q.start}-{q.end}): {q.reason}")
    mutual = mutual_claim(sentence.text)
    if mutual and len(sources) > 1 and len(supported_by) == 1:
        notes.append(f'presented as mutual ("{mutual}"), but only {supported_by[0]} says it')
    windows = [(sources[c.source], k) for c in evidence.chosen for k in range(c.first, c.last + 1)]
    qualifiers = dropped_qualifiers(sentence.text, windows) if supported_by else []
    notes.extend(f'drops the qualifier "{q.text}" ({q.source})' for q in qualifiers)
    if silence is not None and silence.holds:
        never = "never names it" if len(silence.sources) == 1 else "never name it"
        notes.append(f'says nothing was said of "{silence.silence.topic}": {", ".join(silence.sources)} {never}')
    return tuple(qualifiers), tuple(notes)
