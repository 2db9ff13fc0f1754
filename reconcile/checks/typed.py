"""The typed checks run on one outlet sentence against its chosen evidence sentences.

A differing slot is only a contradiction when the sentence that backs most of the claim backs
enough of it: otherwise a number or a "not" elsewhere in it belongs to another statement, and the
claim is unsupported rather than contradicted. A name that no source has at all is a difference
whatever the evidence.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from ..align import SourceText
from ..evidence import ClaimEvidence, spanned
from ..findings import Finding, FindingType
from ..resources import Resources
from ..settings import Settings
from ..stopping import checkpoint
from .credit import credit_spans, credited_elsewhere
from .names import SourceNames, source_names
from .quotes import QuoteCheck
from .silence import SilenceCheck, check_silence, credited_speakers
from .slots import check_slots


def typed_findings(
    evidence: ClaimEvidence,
    semantic: float,
    sources: Sequence[SourceText],
    settings: Settings,
    in_sources: Callable[[str], bool],
    resources: Resources,
) -> tuple[Finding, ...]:
    """Typed findings of the slot checks, with source offsets (outlet offsets stay in the sentence).

    semantic: the sentence's similarity with its evidence; in_sources: whether a name occurs in any
    source (`name_finder`).
    """
    # The credit ("..., the chancellor told reporters", "according to X") says who speaks: its words are not
    # the claim's to back, and its names are compared only with a credit in the evidence.
    credits = credit_spans(evidence.sentence)
    sentences: list[tuple[SourceText, int, str, float]] = []  # source, start, text, share of the claim
    around: list[str] = []  # each evidence sentence with its neighbours, where a cut number is whole
    for origin, k in spanned(evidence.chosen):
        source_sentences = sources[origin].sentences
        sent = source_sentences[k]
        before, after = source_sentences[max(0, k - 1)], source_sentences[min(len(source_sentences) - 1, k + 1)]
        around.append(sources[origin].text[before.start : after.end])
        sentences.append(
            (sources[origin], sent.start, sent.text, evidence.share_backed_by(sent.text, leave_out=credits))
        )
    best = max(range(len(sentences)), key=lambda k: sentences[k][3], default=0)
    share = sentences[best][3] if sentences else 0.0
    # A denial is of the same statement when the one sentence backs the rest of the claim: all but the
    # word the negation or the opposite puts in doubt ("refuse to cooperate" / "cooperate").
    rest = evidence.rest_backed_by(sentences[best][2], leave_out=credits) if sentences else 0.0
    similar = bool(evidence.chosen) and semantic >= settings.contradiction_semantic
    findings = check_slots(
        evidence.sentence,
        [text for _, _, text, _ in sentences],
        best=best,
        values=similar and share >= settings.contradiction_share,
        aligned=similar and share >= settings.slot_share,
        polarity=similar and rest >= settings.negation_share,
        in_sources=in_sources,
        context=around,
        resources=resources,
        settings=settings,
    )
    found: list[Finding] = []
    for f in findings:
        if f.type is FindingType.ENTITY and f.evidence_index >= 0 and _within(f.outlet_start, f.outlet_end, credits):
            said = sentences[f.evidence_index][2]
            if not _within(f.source_start, f.source_end, credit_spans(said)):
                continue
        if f.evidence_index >= 0:
            source, start, _, _ = sentences[f.evidence_index]
            found.append(
                replace(f, source=source.name, source_start=start + f.source_start, source_end=start + f.source_end)
            )
        else:
            found.append(replace(f, source="", source_start=0, source_end=0))
    return tuple(found)


def name_finder(sources: Sequence[SourceText], credited: Sequence[str] = ()) -> SourceNames:
    """Whether a name occurs anywhere in the sources (their texts, names and speakers).

    credited: the names the outlet credits with quotes from a source whose speaker is not given.
    """
    # A speaker's names count as credited too: the outlet's "Donald Trump" for the speaker "Trump".
    speakers = [part for s in sources if s.speaker for part in s.speaker.split(";")]
    return source_names([s.text + "\n" + s.name + "\n" + (s.speaker or "") for s in sources], [*credited, *speakers])


@dataclass(frozen=True)
class SentenceChecks:
    """What the checks find in one outlet sentence (outlet offsets into the sentence)."""

    findings: tuple[Finding, ...]
    silence: SilenceCheck | None  # its claim of silence answered, if it makes one
    credited_to: str | None  # a source not among the inputs that it credits its claim to


@dataclass(frozen=True)
class OutletContext:
    """What the checks of every sentence of one outlet share: the sources as they read them."""

    sources: tuple[SourceText, ...]
    in_sources: SourceNames  # every name the sources write (and those the outlet credits with a source's words)
    silent_ones: tuple[SourceText, ...]  # the sources as the texts of the ones the outlet says were silent
    persons: bool  # whether a person named as a claim's source counts as a source not supplied (credit.py)


def outlet_context(sources: Sequence[SourceText], quotes: Sequence[QuoteCheck]) -> OutletContext:
    """The checks' view of the sources for one outlet, given its quote ledger."""
    # Whom the outlet credits with the words of a source whose speaker is not given is not checked: that
    # name is neither confirmed nor "in no source".
    unspoken = {s.name for s in sources if not s.speaker}
    credited = [q.attributed_to for q in quotes if q.attributed_to and q.source in unspoken]
    return OutletContext(
        tuple(sources), name_finder(sources, credited), tuple(credited_speakers(sources, quotes)), not unspoken
    )


def check_sentence(
    sentence: str,
    previous: str,
    evidence: ClaimEvidence,
    semantic: float,
    context: OutletContext,
    settings: Settings,
    resources: Resources,
) -> SentenceChecks:
    """The typed findings of one outlet sentence, its claim of silence and whom it credits.

    previous: the sentence before (a pronoun's person).
    """
    checkpoint()  # a comparison asked to stop (stopping.py) stops between sentences
    in_sources = context.in_sources
    findings = typed_findings(evidence, semantic, context.sources, settings, in_sources, resources)
    # A claim of silence ("he did not reveal details") is about the text of the one said to be
    # silent: that text answers it, wherever the chosen evidence lies.
    silence = check_silence(sentence, previous, context.silent_ones)
    if silence is not None and silence.finding is not None:
        findings = (*findings, silence.finding)
    common = resources.wordnet.ordinary if resources.wordnet is not None else None
    credited = credited_elsewhere(sentence, in_sources, persons=context.persons, common=common)
    return SentenceChecks(findings, silence, credited)


def _within(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(a <= start and end <= b for a, b in spans)
