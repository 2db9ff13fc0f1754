"""A warning when the outlet and a source look given the wrong way round.

The outlet is the article to check; a source is the official text it rests on. Given the other way round,
a short post checked against the article that reports it reads as well backed, and the report says
nothing useful. Three signs together point to that, each measured on the comparison itself:

- the "outlet" is nearly all backed by the source (at least ``_BACKED`` of its sentences, supported or
  partial, with that source among their evidence),
- while the outlet reports little of the source (a covered share of at most ``_COVERED``), and
- the source reads like reporting about something: it attributes much more (sentences with "said",
  "according to", "wrote on" ...: data/lexicon/attribution.txt [reporting]) than the outlet does, by at
  least ``_DENSER`` of its sentences.

A readout checked against the article the right way round fails the first sign (an article says much its
sources do not), and an article that merely quotes a lot fails the second. The figures are warning
thresholds, not knobs of a verdict: they change no verdict or score, so they are not in Settings (whose
values every report and batch fingerprint records).
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence

from .align import SourceText
from .documents import Document
from .language import script_warning
from .report import CoverageState, SentenceResult, Skipped, SourceCoverage, Verdict
from .segment import LONG_RUN, MAX_SENTENCE_WORDS
from .wordlists import entries

_BACKED = 0.6
_COVERED = 0.4
_DENSER = 0.2
_CUES = re.compile(r"\b(?:" + "|".join(re.escape(cue) for cue in entries("attribution", "reporting")) + r")\b")


def attribution_share(sentences: Sequence[str]) -> float:
    """The share of sentences that attribute what they say (data/lexicon/attribution.txt [reporting])."""
    if not sentences:
        return 0.0
    return sum(1 for s in sentences if _CUES.search(s.lower())) / len(sentences)


def swap_warning(
    outlet: tuple[str, str, Sequence[str]],
    source: tuple[str, str, Sequence[str]],
    results: Sequence[SentenceResult],
    coverage: Sequence[SourceCoverage],
    *,
    only_source: bool = True,
) -> str | None:
    """A warning when ``outlet`` and ``source`` (each: name, path as given, sentence texts) look swapped;
    ``only_source``: the comparison has no other source (the warning then gives the command to run)."""
    outlet_name, outlet_path, outlet_sentences = outlet
    source_name, source_path, source_sentences = source
    if not results or not source_sentences:
        return None
    backed = sum(
        1 for r in results if r.verdict in (Verdict.SUPPORTED, Verdict.PARTIAL) and source_name in r.supported_by
    )
    rows = [c for c in coverage if c.source == source_name]
    weight = {CoverageState.COVERED: 1.0, CoverageState.PARTIAL: 0.5, CoverageState.OMITTED: 0.0}
    covered = sum(weight[c.state] for c in rows) / len(rows) if rows else 0.0
    outlet_share, source_share = attribution_share(outlet_sentences), attribution_share(source_sentences)
    if backed / len(results) < _BACKED or covered > _COVERED or source_share - outlet_share < _DENSER:
        return None
    files = only_source and not {outlet_path, source_path} & {"-", "<text>"}
    fix = (
        f"reconcile compare {shlex.quote(source_path)} {shlex.quote(outlet_path)}"
        if files
        else f"give {source_name} as the outlet and {outlet_name} as a source"
    )
    return (
        f"the outlet and the source may be swapped: {source_name} reads like reporting about {outlet_name} "
        f"({round(source_share * len(source_sentences))} of its {len(source_sentences)} sentences attribute, "
        f"with said, according to, wrote ...; {round(outlet_share * len(outlet_sentences))} of "
        f"{len(outlet_sentences)} in {outlet_name}), backs {backed} of {outlet_name}'s {len(results)} sentences, "
        f"and {outlet_name} reports only {covered:.0%} of it. The outlet (the article to check) comes first: {fix}"
    )


def comparison_warnings(
    documents: Sequence[Document],
    texts: Sequence[SourceText],
    results: Sequence[SentenceResult],
    coverage: Sequence[SourceCoverage],
    skipped: Sequence[Skipped] = (),
) -> tuple[str, ...]:
    """The report's warnings: a text mostly in another script (language.py), a run of words without a sentence
    end set aside (segment.py), then a source that reads like the outlet and an outlet like reporting
    (swap_warning). documents and texts: the outlet first, then the sources."""
    (outlet, *sources), (outlet_text, *source_texts) = documents, texts
    claims = [s.text for s in outlet_text.sentences]
    swaps = (
        swap_warning(
            (outlet.name, outlet.path, claims),
            (d.name, d.path, [s.text for s in t.sentences]),
            results,
            coverage,
            only_source=len(sources) == 1,
        )
        for d, t in zip(sources, source_texts, strict=True)
    )
    set_aside = {d.name: [k for k in skipped if k.document == d.name and k.reason == LONG_RUN] for d in documents}
    runs = (
        f"{name}: {sum(k.end - k.start for k in runs):,} characters not read, in {len(runs)} run(s) of more than"
        f" {MAX_SENTENCE_WORDS} words without a sentence end (listed with the skipped lines)"
        for name, runs in set_aside.items()
        if runs
    )
    return (*(w for d in documents if (w := script_warning(d.name, d.text))), *runs, *(w for w in swaps if w))
