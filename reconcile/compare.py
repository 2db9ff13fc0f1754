"""The pipeline for one comparison, one way:
read -> segment -> embed/align -> evidence -> features -> score -> checks -> verdict -> coverage -> report.

Each stage takes the previous stage's output; none calls back up. This module only wires them: every
rule lives in its stage.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from .align import SourceText, align, only_from
from .checks.credit import reported_speakers
from .checks.quotes import quote_ledger, quoted_spans, quotes_overlapping, speaker_warnings
from .checks.typed import check_sentence, outlet_context
from .coverage import omissions_of, sentence_notes
from .documents import Document, distinct_names
from .embed import Embedder, SentenceTransformerEmbedder, memoized
from .evidence import choose_evidence
from .features import measure
from .memo import memo_scope
from .provenance import stamp, timestamp
from .report import Report, SentenceResult, document_info, skipped_in
from .resources import Resources
from .score import score
from .segment import segment_input
from .settings import Settings
from .swapped import comparison_warnings
from .triage import ClaimReading, read_claim, triage, years_in
from .verdict import judge, sentence_result


def compare(
    outlet: Document,
    sources: Sequence[Document],
    *,
    embedder: Embedder | None = None,
    settings: Settings | None = None,
    resources: Resources | None = None,
    created: datetime | None = None,
) -> Report:
    """Align every sentence of the outlet with the sources and judge it.

    resources: WordNet, the opposite words and the support judge (`Resources.load()`); loading
    them takes seconds, so pass one object to every comparison of a run. created: the time the
    report records (default: now, or SOURCE_DATE_EPOCH; see provenance.py).
    """
    when = timestamp(created)
    settings = settings or Settings()
    resources = resources or Resources.load(judge_kind=settings.judge)
    embedder = memoized(embedder or SentenceTransformerEmbedder())
    distinct_names(sources)
    from threadpoolctl import threadpool_limits

    # numpy's products here are small: one BLAS thread does them as fast, and OpenBLAS's idle
    # threads, which spin after each call, would take the two cores from the model's next pass
    # (measured: the batch benchmark 1.28x slower with them).
    with memo_scope(), threadpool_limits(limits=1, user_api="blas"):
        report = _compare(outlet, sources, embedder, settings, resources)
    return stamp(report, outlet, sources, created=when)


def _compare(
    outlet: Document, sources: Sequence[Document], embedder: Embedder, settings: Settings, resources: Resources
) -> Report:
    outlet_seg = segment_input(outlet.text, outlet.path, outlet=True)
    segs = [segment_input(d.text, d.path, outlet=False) for d in sources]
    texts = [SourceText(d.name, d.text, seg.sentences, d.speaker) for d, seg in zip(sources, segs, strict=True)]
    skipped = skipped_in([outlet, *sources], [outlet_seg, *segs])
    claims = [s.text for s in outlet_seg.sentences]
    candidates = align(claims, texts, embedder, top_k=settings.top_k, window=settings.window)
    reported = [reported_speakers(claim, [s.speaker for s in texts]) for claim in claims]
    evidence = [
        choose_evidence(claim, cands, texts, settings, resources)
        for claim, cands in zip(claims, only_from(candidates, reported), strict=True)
    ]
    features = measure(evidence, texts, embedder)
    scores = score(evidence, features, texts, embedder, resources.the_judge(settings.judge))

    ledger = quote_ledger(outlet.text, sources, embedder, settings)
    quotes = list(ledger.quotes)
    context = outlet_context(texts, quotes)
    results: list[SentenceResult] = []
    readings: list[ClaimReading] = []
    years = years_in(s.text for s in texts)
    for sent, claim, measured, sentence_score in zip(outlet_seg.sentences, evidence, features, scores, strict=True):
        previous = outlet_seg.sentences[sent.index - 1].text if sent.index > 0 else ""
        found = check_sentence(sent.text, previous, claim, measured.semantic, context, settings, resources)
        readings.append(read_claim(sent.text, quoted=quoted_spans(quotes, sent), source_years=years))
        judged = judge(claim, measured, found, sentence_score, ledger.in_sentence(sent), sent.start, texts, settings)
        qualifiers, notes = sentence_notes(
            sent, claim, texts, supported_by=judged.supported_by, reported=reported[sent.index],
            quotes=quotes_overlapping(quotes, sent.start, sent.end), silence=found.silence,
        )  # fmt: skip
        results.append(
            sentence_result(
                sent, judged, claim, kind=readings[-1].kind, credited_to=found.credited_to,
                dropped_qualifiers=qualifiers, notes=notes,
            )
        )  # fmt: skip

    outlet_text = SourceText(outlet.name, outlet.text, outlet_seg.sentences)
    coverage, omissions = omissions_of(texts, outlet_text, embedder, settings, resources)
    return Report(
        outlet=document_info(outlet, None, len(outlet_seg.sentences)),
        sources=tuple(document_info(d, d.speaker, len(s.sentences)) for d, s in zip(sources, texts, strict=True)),
        sentences=tuple(results),
        skipped=tuple(skipped),
        quotes=tuple(quotes),
        coverage=tuple(coverage),
        omissions=tuple(omissions),
        model=getattr(embedder, "model_id", "custom"),
        settings={**settings.model_dump(), "judge": resources.the_judge(settings.judge).id},
        warnings=(
            *speaker_warnings(quotes, ledger.sources),
            *comparison_warnings([outlet, *sources], [outlet_text, *texts], results, coverage, skipped),
        ),
        problems=triage(results, readings, quotes),
    )
