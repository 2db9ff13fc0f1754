"""The pipeline for one comparison: segment -> embed/align -> check -> verdict -> Report."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from .align import SourceText, align
from .checks.quotes import Quote, QuoteCheck, QuoteSource, check_quotes, verify_quote
from .coverage import (
    CoverageState,
    SourceCoverage,
    coverage_state,
    dropped_qualifiers,
    mutual_claim,
    rank_omissions,
)
from .documents import Document
from .embed import Embedder, SentenceTransformerEmbedder, memoized
from .errors import InputError, UsageError
from .lexicon import content_keys
from .memo import memo_scope
from .report import DocumentInfo, Report, SentenceResult, Skipped, Span, Verdict
from .segment import Sentence, segment
from .settings import Settings
from .verdict import Prepared, apply_quotes, finish, prepare


@memo_scope()  # one memo scope per comparison: the checks' memoised tokens and sides live only this long
def compare(
    outlet: Document,
    sources: Sequence[Document],
    *,
    embedder: Embedder | None = None,
    settings: Settings | None = None,
) -> Report:
    """Align every sentence of the outlet with the sources and judge it."""
    if not sources:
        raise UsageError("no source given; pass at least one source file after the outlet")
    settings = settings or Settings()
    embedder = memoized(embedder or SentenceTransformerEmbedder())
    names = [s.name for s in sources]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise UsageError(f'two sources are named {sorted(duplicates)[0]!r}; name them apart with --source "NAME=PATH"')

    outlet_seg = segment(outlet.text)
    if not outlet_seg.sentences:
        raise InputError(f"{outlet.path}: no sentences found in the outlet; give a text with prose in it")
    source_texts: list[SourceText] = []
    skipped: list[Skipped] = [Skipped(outlet.name, s.text, s.start, s.end, s.reason) for s in outlet_seg.skipped]
    for doc in sources:
        seg = segment(doc.text)
        if not seg.sentences:
            raise InputError(f"{doc.path}: no sentences found in this source; give a text with prose in it")
        source_texts.append(SourceText(doc.name, doc.text, seg.sentences, doc.speaker))
        skipped.extend(Skipped(doc.name, s.text, s.start, s.end, s.reason) for s in seg.skipped)

    claims = [s.text for s in outlet_seg.sentences]
    judged_claims = _judge(claims, source_texts, embedder, settings)

    def similarity(a: str, b: str) -> float:
        vectors = embedder.encode([a, b])
        return float(vectors[0] @ vectors[1])

    quote_sources = [QuoteSource(d.name, d.text, d.speaker) for d in sources]
    quotes = check_quotes(outlet.text, quote_sources, similarity=similarity)
    outlet_text = SourceText(outlet.name, outlet.text, outlet_seg.sentences)

    results: list[SentenceResult] = []
    for sent, (prep, focus_similarity) in zip(outlet_seg.sentences, judged_claims, strict=True):
        judged = apply_quotes(
            finish(prep, focus_similarity, source_texts, settings),
            _sentence_quotes(sent, quotes, outlet.text, quote_sources, similarity),
            sent.start,
            settings,
        )
        backing = judged.verdict is not Verdict.UNSUPPORTED
        supported_by = tuple(dict.fromkeys(source_texts[c.source].name for c in prep.chosen)) if backing else ()
        notes: list[str] = []
        mutual = mutual_claim(sent.text)
        if mutual and len(source_texts) > 1 and len(supported_by) == 1:
            notes.append(f'presented as mutual ("{mutual}"), but only {supported_by[0]} says it')
        qualifiers = (
            dropped_qualifiers(
                sent.text,
                [(source_texts[c.source], k) for c in prep.chosen for k in range(c.first, c.last + 1)],
            )
            if backing
            else []
        )
        notes.extend(f'drops the qualifier "{q.text}" ({q.source})' for q in qualifiers)
        results.append(
            SentenceResult(
                index=sent.index,
                text=sent.text,
                start=sent.start,
                end=sent.end,
                verdict=judged.verdict,
                score=judged.score,
                reason=judged.reason,
                evidence=judged.evidence,
                # The checks work on the sentence; the report speaks in offsets of the whole outlet.
                unsupported_spans=tuple(
                    Span(s.text, sent.start + s.start, sent.start + s.end) for s in judged.unsupported_spans
                ),
                contradictions=tuple(
                    dataclasses.replace(
                        c, outlet_start=sent.start + c.outlet_start, outlet_end=sent.start + c.outlet_end
                    )
                    for c in judged.contradictions
                ),
                supported_by=supported_by,
                dropped_qualifiers=tuple(qualifiers),
                notes=tuple(notes),
                paraphrases=tuple(
                    dataclasses.replace(
                        p, outlet_start=sent.start + p.outlet_start, outlet_end=sent.start + p.outlet_end
                    )
                    for p in judged.paraphrases
                ),
                features=judged.features,
            )
        )

    coverage = _coverage(source_texts, outlet_text, embedder, settings)
    omissions = rank_omissions(coverage, source_texts, _cross_source(source_texts, embedder))
    return Report(
        outlet=DocumentInfo(outlet.name, outlet.path, None, len(outlet_seg.sentences)),
        sources=tuple(
            DocumentInfo(d.name, d.path, d.speaker, len(s.sentences))
            for d, s in zip(sources, source_texts, strict=True)
        ),
        sentences=tuple(results),
        skipped=tuple(skipped),
        quotes=tuple(quotes),
        coverage=tuple(coverage),
        omissions=tuple(omissions),
        model=getattr(embedder, "model_id", "custom"),
        settings=settings.model_dump(),
    )


def _sentence_quotes(
    sentence: Sentence,
    quotes: Sequence[QuoteCheck],
    text: str,
    sources: Sequence[QuoteSource],
    similarity: Callable[[str, str], float],
) -> list[QuoteCheck]:
    """The quotations inside one sentence, a quote that runs over several sentences checked piecewise.

    Each sentence answers for its own words: a verbatim sentence of a spliced quotation is still
    verbatim, and the splice between sentences is the quote ledger's finding.
    """
    inside: list[QuoteCheck] = []
    for q in quotes:
        if q.end <= sentence.start or q.start >= sentence.end:
            continue
        if sentence.start <= q.start and q.end <= sentence.end:
            inside.append(q)
            continue
        start, end = max(q.start, sentence.start), min(q.end, sentence.end)
        piece = text[start:end].strip()
        if not any(ch.isalnum() for ch in piece):
            continue
        start = text.index(piece, start)
        inside.append(
            verify_quote(Quote(piece, start, start + len(piece), q.attributed_to), sources, similarity=similarity)
        )
    return inside


def _judge(
    claims: Sequence[str],
    sources: Sequence[SourceText],
    embedder: Embedder,
    settings: Settings,
    *,
    focus: bool = True,
) -> list[tuple[Prepared, float | None]]:
    """Evidence and measurements for each claim against the sources, with its focus similarity.

    Without focus, no stretch of a source sentence is embedded: coverage asks whether the outlet
    says a source sentence as a whole, so the whole outlet passage is the right comparison there.
    """
    candidates = align(claims, sources, embedder, top_k=settings.top_k, window=settings.window)
    source_keys: set[str] = set()
    for source in sources:
        for sent in source.sentences:
            source_keys |= content_keys(sent.text)
        if source.speaker:
            source_keys |= content_keys(source.speaker)
    frozen_keys = frozenset(source_keys)
    prepared = [
        prepare(claim, cands, sources, frozen_keys, settings) for claim, cands in zip(claims, candidates, strict=True)
    ]
    if not focus:
        return [(prep, None) for prep in prepared]
    # The focus stretches are encoded together, in one batch, after all claims are prepared.
    focus_texts = [p.focus for p in prepared if p.focus is not None]
    focus_vectors = dict(zip(focus_texts, embedder.encode(focus_texts), strict=True)) if focus_texts else {}
    claim_vectors = embedder.encode(list(claims))
    return [
        (prep, float(claim_vectors[k] @ focus_vectors[prep.focus]) if prep.focus is not None else None)
        for k, prep in enumerate(prepared)
    ]


def _coverage(
    sources: Sequence[SourceText], outlet: SourceText, embedder: Embedder, settings: Settings
) -> list[SourceCoverage]:
    """Every source sentence checked, in reverse, against the outlet."""
    coverage: list[SourceCoverage] = []
    for source in sources:
        judged = _judge([s.text for s in source.sentences], [outlet], embedder, settings, focus=False)
        for sent, (prep, focus_similarity) in zip(source.sentences, judged, strict=True):
            similarity = max(prep.features["semantic"], focus_similarity or -1.0)
            share = prep.features["coverage"]
            state = coverage_state(
                similarity,
                share,
                covered=(settings.covered_similarity, settings.covered_share),
                partial=(settings.partial_similarity, settings.partial_share),
            )
            covered_by = (
                tuple(sorted({k for c in prep.chosen for k in range(c.first, c.last + 1)}))
                if state is not CoverageState.OMITTED
                else ()
            )
            left_out = tuple(dict.fromkeys(prep.tokens[i].text for i in prep.content if i not in prep.covered))
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


def _cross_source(
    sources: Sequence[SourceText], embedder: Embedder, threshold: float = 0.7
) -> dict[tuple[str, int], str]:
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
