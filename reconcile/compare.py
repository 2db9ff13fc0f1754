"""The pipeline for one comparison: segment -> embed/align -> check -> verdict -> Report."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .align import SourceText, align
from .checks.quotes import Quote, QuoteCheck, QuoteSource, check_quotes, verify_quote
from .documents import Document
from .embed import Embedder, SentenceTransformerEmbedder, memoized
from .errors import InputError, UsageError
from .lexicon import content_keys
from .report import DocumentInfo, Report, SentenceResult, Skipped, Span
from .segment import Sentence, segment
from .settings import Settings
from .verdict import apply_quotes, finish, prepare


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
        raise UsageError(
            f"two sources are named {sorted(duplicates)[0]!r}; name them apart with --source \"NAME=PATH\""
        )

    outlet_seg = segment(outlet.text)
    if not outlet_seg.sentences:
        raise InputError(f"{outlet.path}: no sentences found in the outlet; give a text with prose in it")
    source_texts: list[SourceText] = []
    skipped: list[Skipped] = [
        Skipped(outlet.name, s.text, s.start, s.end, s.reason) for s in outlet_seg.skipped
    ]
    for doc in sources:
        seg = segment(doc.text)
        if not seg.sentences:
            raise InputError(f"{doc.path}: no sentences found in this source; give a text with prose in it")
        source_texts.append(SourceText(doc.name, doc.text, seg.sentences, doc.speaker))
        skipped.extend(Skipped(doc.name, s.text, s.start, s.end, s.reason) for s in seg.skipped)

    claims = [s.text for s in outlet_seg.sentences]
    candidates = align(claims, source_texts, embedder, top_k=settings.top_k, window=settings.window)
    source_keys: set[str] = set()
    for source in source_texts:
        for sent in source.sentences:
            source_keys |= content_keys(sent.text)
        if source.speaker:
            source_keys |= content_keys(source.speaker)

    def similarity(a: str, b: str) -> float:
        vectors = embedder.encode([a, b])
        return float(vectors[0] @ vectors[1])

    quote_sources = [QuoteSource(d.name, d.text, d.speaker) for d in sources]
    quotes = check_quotes(outlet.text, quote_sources, similarity=similarity)

    prepared = [
        prepare(sent.text, cands, source_texts, source_keys, settings)
        for sent, cands in zip(outlet_seg.sentences, candidates, strict=True)
    ]
    # The focus stretches are encoded together, in one batch, after all sentences are prepared.
    focus_texts = [p.focus for p in prepared if p.focus is not None]
    focus_vectors = dict(zip(focus_texts, embedder.encode(focus_texts), strict=True)) if focus_texts else {}
    claim_vectors = embedder.encode(claims)

    results: list[SentenceResult] = []
    for k, (sent, prep) in enumerate(zip(outlet_seg.sentences, prepared, strict=True)):
        focus_similarity = (
            float(claim_vectors[k] @ focus_vectors[prep.focus]) if prep.focus is not None else None
        )
        judged = apply_quotes(
            finish(prep, focus_similarity, source_texts, settings),
            _sentence_quotes(sent, quotes, outlet.text, quote_sources, similarity),
            sent.start,
            settings,
        )
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
                    c.__class__(**{**c.__dict__, "outlet_start": sent.start + c.outlet_start,
                                   "outlet_end": sent.start + c.outlet_end})
                    for c in judged.contradictions
                ),
                features=judged.features,
            )
        )
    return Report(
        outlet=DocumentInfo(outlet.name, outlet.path, None, len(outlet_seg.sentences)),
        sources=tuple(
            DocumentInfo(d.name, d.path, d.speaker, len(s.sentences))
            for d, s in zip(sources, source_texts, strict=True)
        ),
        sentences=tuple(results),
        skipped=tuple(skipped),
        quotes=tuple(quotes),
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
        inside.append(verify_quote(Quote(piece, start, start + len(piece), q.attributed_to), sources,
                                   similarity=similarity))
    return inside
