"""The pipeline for one comparison, one way:
read -> segment -> embed/align -> evidence -> checks -> score -> verdict -> report (then coverage).

Each stage takes the previous stage's output; none calls back up. This module only wires them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime

from .align import SourceText, align
from .checks.credit import credited_elsewhere, reported_speakers
from .checks.quotes import (
    QuoteSource,
    QuoteStatus,
    check_quotes,
    extract_quotes,
    quotes_inside,
    sentence_quotes,
    similarity_texts,
)
from .checks.silence import check_silence, credited_speakers
from .checks.typed import name_finder, typed_findings
from .coverage import also_stated, cover, dropped_qualifiers, mutual_claim, rank_omissions
from .documents import Document
from .embed import Embedder, SentenceTransformerEmbedder, memoized
from .errors import InputError, UsageError
from .evidence import choose_evidence
from .features import measure
from .language import script_warning
from .memo import memo_scope
from .provenance import stamp, timestamp
from .report import DocumentInfo, Report, SentenceResult, Skipped, Span, Verdict
from .resources import Resources
from .score import score
from .segment import segment
from .settings import Settings
from .stopping import checkpoint
from .swapped import swap_warning
from .triage import ClaimReading, read_claim, triage, years_in
from .verdict import judge


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
    if not sources:
        raise UsageError("no source given; pass at least one source file after the outlet")
    settings = settings or Settings()
    resources = resources or Resources.load(judge_kind=settings.judge)
    embedder = memoized(embedder or SentenceTransformerEmbedder())
    names = [s.name for s in sources]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise UsageError(f'two sources are named {sorted(duplicates)[0]!r}; name them apart with --source "NAME=PATH"')
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
    outlet_seg = segment(outlet.text)
    if not outlet_seg.sentences:
        raise InputError(f"{outlet.path}: no sentences found in the outlet; give a text with prose in it")
    source_texts: list[SourceText] = []
    skipped: list[Skipped] = [Skipped(outlet.name, s.text, s.start, s.end, s.reason) for s in outlet_seg.skipped]
    # What the reader left out of the text (HTML furniture, a teaser, a Markdown code block) is listed too,
    # where it stood (start == end: it is not in the text).
    skipped.extend(Skipped(outlet.name, d.text, d.at, d.at, d.reason) for d in outlet.dropped)
    for doc in sources:
        seg = segment(doc.text)
        if not seg.sentences:
            raise InputError(f"{doc.path}: no sentences found in this source; give a text with prose in it")
        source_texts.append(SourceText(doc.name, doc.text, seg.sentences, doc.speaker))
        skipped.extend(Skipped(doc.name, s.text, s.start, s.end, s.reason) for s in seg.skipped)
        skipped.extend(Skipped(doc.name, d.text, d.at, d.at, d.reason) for d in doc.dropped)

    claims = [s.text for s in outlet_seg.sentences]
    checkpoint()  # here and below: a comparison asked to stop (stopping.py) stops between steps
    candidates = align(claims, source_texts, embedder, top_k=settings.top_k, window=settings.window)
    # Reported speech ("President Xi stressed that ...") is checked against that speaker's sources alone.
    speakers = [s.speaker for s in source_texts]
    reported = [reported_speakers(claim, speakers) for claim in claims]
    candidates = [
        [c for c in cands if c.source in own] if own else cands for cands, own in zip(candidates, reported, strict=True)
    ]
    evidence = []
    for claim_text, cands in zip(claims, candidates, strict=True):
        checkpoint()
        evidence.append(choose_evidence(claim_text, cands, source_texts, settings, resources))
    features = measure(evidence, source_texts, embedder)
    scores = score(evidence, features, source_texts, embedder, resources.the_judge(settings.judge))

    quote_sources = [QuoteSource(d.name, d.text, d.speaker) for d in sources]
    batched = False

    def similarity(a: str, b: str) -> float:
        nonlocal batched
        checkpoint()
        if not batched:
            # The first quote that needs a paraphrase test: encode every text such tests may ask about in
            # one batch, not one model pass per quote (a thousand quotes took a thousand passes).
            batched = True
            embedder.encode(similarity_texts(extract_quotes(outlet.text), quote_sources))
        vectors = embedder.encode([a, b])
        return float(vectors[0] @ vectors[1])

    quotes = check_quotes(
        outlet.text, quote_sources, similarity=similarity, paraphrase_similarity=settings.quote_paraphrase_similarity
    )
    # Whom the outlet credits with the words of a source whose speaker is not given is not checked: that
    # name is neither confirmed nor "in no source".
    unspoken = {d.name for d in sources if not d.speaker}
    wordnet = resources.wordnet
    common = wordnet.ordinary if wordnet is not None else None
    in_sources = name_finder(
        source_texts, [q.attributed_to for q in quotes if q.attributed_to and q.source in unspoken]
    )

    silent_ones = credited_speakers(source_texts, quotes)
    results: list[SentenceResult] = []
    readings: list[ClaimReading] = []
    years = years_in(s.text for s in source_texts)
    for sent, claim, measured, sentence_score in zip(outlet_seg.sentences, evidence, features, scores, strict=True):
        checkpoint()
        findings = typed_findings(claim, measured.semantic, source_texts, settings, in_sources, resources)
        # A claim of silence ("he did not reveal details") is about the text of the one said to be
        # silent: that text answers it, wherever the chosen evidence lies.
        previous = outlet_seg.sentences[sent.index - 1].text if sent.index > 0 else ""
        silence = check_silence(sent.text, previous, silent_ones)
        if silence is not None and silence.finding is not None:
            findings = (*findings, silence.finding)
        credited_to = credited_elsewhere(sent.text, in_sources, persons=not unspoken, common=common)
        inner = [(q.start - sent.start, q.end - sent.start) for q in quotes_inside(quotes, sent.start, sent.end)]
        reading = read_claim(sent.text, quoted=inner, source_years=years)
        readings.append(reading)
        judged = judge(
            claim,
            measured,
            findings,
            sentence_score,
            sentence_quotes(sent, quotes, outlet.text, quote_sources, similarity, settings.quote_paraphrase_similarity),
            sent.start,
            source_texts,
            settings,
            credited_to=credited_to,
        )
        backing = judged.verdict is not Verdict.UNSUPPORTED
        supported_by = tuple(dict.fromkeys(source_texts[c.source].name for c in claim.chosen)) if backing else ()
        notes: list[str] = []
        own = reported[sent.index]
        if own and len(own) < len(source_texts):
            names = ", ".join(source_texts[k].name for k in own)
            notes.append(f"reported as the words of {source_texts[own[0]].speaker}: checked against {names} only")
        # A quotation over several sentences is checked piecewise per sentence; its splice is the
        # whole quotation's, so each sentence it runs through says so.
        for q in quotes:
            inside = sent.start <= q.start and q.end <= sent.end
            if q.status is QuoteStatus.SPLICED and not inside and q.start < sent.end and sent.start < q.end:
                notes.append(f"part of a spliced quotation (chars {q.start}-{q.end}): {q.reason}")
        mutual = mutual_claim(sent.text)
        if mutual and len(source_texts) > 1 and len(supported_by) == 1:
            notes.append(f'presented as mutual ("{mutual}"), but only {supported_by[0]} says it')
        qualifiers = (
            dropped_qualifiers(
                sent.text,
                [(source_texts[c.source], k) for c in claim.chosen for k in range(c.first, c.last + 1)],
            )
            if backing
            else []
        )
        notes.extend(f'drops the qualifier "{q.text}" ({q.source})' for q in qualifiers)
        if silence is not None and silence.holds:
            never = "never names it" if len(silence.sources) == 1 else "never name it"
            notes.append(f'says nothing was said of "{silence.silence.topic}": {", ".join(silence.sources)} {never}')
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
                kind=reading.kind,
                credited_to=credited_to or "",
                key_words=len(claim.content),
                key_words_backed=claim.backed_count,
                features=judged.features.to_dict(),
            )
        )

    outlet_text = SourceText(outlet.name, outlet.text, outlet_seg.sentences)
    checkpoint()
    coverage = cover(source_texts, outlet_text, embedder, settings, resources)
    also = also_stated(source_texts, embedder, settings.cross_source_similarity)
    omissions = rank_omissions(coverage, source_texts, also, weights=settings.salience)
    checkpoint()
    return Report(
        outlet=_info(outlet, None, len(outlet_seg.sentences)),
        sources=tuple(_info(d, d.speaker, len(s.sentences)) for d, s in zip(sources, source_texts, strict=True)),
        sentences=tuple(results),
        skipped=tuple(skipped),
        quotes=tuple(quotes),
        coverage=tuple(coverage),
        omissions=tuple(omissions),
        model=getattr(embedder, "model_id", "custom"),
        settings={**settings.model_dump(), "judge": resources.the_judge(settings.judge).id},
        warnings=(
            *(w for d in (outlet, *sources) if (w := script_warning(d.name, d.text))),
            *(
                w
                for d, t in zip(sources, source_texts, strict=True)
                if (
                    w := swap_warning(
                        (outlet.name, outlet.path, claims),
                        (d.name, d.path, [s.text for s in t.sentences]),
                        results,
                        coverage,
                        only_source=len(sources) == 1,
                    )
                )
            ),
        ),
        problems=triage(results, readings, quotes),
    )


def _info(doc: Document, speaker: str | None, sentences: int) -> DocumentInfo:
    return DocumentInfo(
        doc.name,
        doc.path,
        speaker,
        sentences,
        url=doc.url,
        title=doc.title,
        published=doc.published,
        author=doc.author,
    )
