"""Claims of silence: an outlet saying what a source did not say ("he did not reveal details about the
call", "the readout made no mention of Taiwan").

Such a claim is about the source's own text, so the source can answer it, but only the source of the
one who is said to be silent: the claim's subject must be a source's speaker (by name, or a pronoun
whose antecedent in the sentence before names exactly one speaker) or a source's text itself ("the
statement", "the post"). Anyone else's silence is not the sources' to judge, and nothing is found.

- "did not mention X": contradicted where one sentence of that source has every word of X (an item of
  it: "trade or fentanyl" is two). That is slot evidence, unambiguous: the source names it.
- "gave no details about X": a sentence of that source names X and says at least two more things
  about it (content words the claim does not have). Whether that is "details" is a judgement, so the
  finding stands only where the judge agrees (verdict.NEEDS_THE_JUDGE).
- Where that source never names X at all, the silence holds: the report notes it (a claim about an
  absence is not "supported" by a text, but an editor wants to know it was checked).

Where a source's speaker is not given, the outlet's own credits of its quotations name it
(`credited_speakers`): the outlet says whose text it quotes.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..align import SourceText
from ..findings import Finding, FindingKind, FindingSeverity, FindingType, declare_finding
from ..lexicon import content_keys, matches, stem
from ..wordlists import entries, words
from .credit import masked_quotes, naming_words, speakers_named
from .quotes import QuoteCheck

MENTIONED = "said after all"  # the finding's detail: the source names what the claim says it did not
DETAILS_GIVEN = "details given"  # the source says things about what the claim says it gave no details of

_DETAIL_NOUNS = words("silence", "detail_nouns")
_DETAIL_KEYS = frozenset(stem(w) for w in _DETAIL_NOUNS)
_STATEMENTS = frozenset(stem(w) for w in words("silence", "statements"))
_PERSONAL = frozenset({"he", "she", "they"})
_IMPERSONAL = frozenset({"it"})
# Discourse words that open a clause and name no one: "However, he ...", "But the post ...".
_OPENERS = frozenset({"however", "but", "and", "yet", "still", "meanwhile", "instead", "also", "so"})
# Where the clause of the denial may begin: "Gerth won prizes even though he did not ...".
_CLAUSE_BREAK = re.compile(r",\s*|\s+[-—–]\s+|\b(?:but|although|though|because|while|whereas|when|after|since)\s+")
_RELATIVE = re.compile(r"^\s*(?:who|which|whose|that|whom)\b", re.IGNORECASE)


def _alternatives(phrases: Sequence[str], *, inflected: bool = False) -> str:
    """A regex alternation of phrases (longest first); inflected: the first word in any inflection."""
    parts = []
    for phrase in sorted(phrases, key=len, reverse=True):
        first, *rest = phrase.split()
        head = re.escape(first.removesuffix("e")) + r"\w*" if inflected else re.escape(first)
        parts.append(r"\s+".join([head, *map(re.escape, rest)]))
    return "(?:" + "|".join(parts) + ")"


_NEGATOR = _alternatives(entries("silence", "negators"))
_ADVERB = _alternatives(entries("silence", "adverbs"))
_LINK = _alternatives(entries("silence", "topic_links"))
_DETERMINER = _alternatives(entries("silence", "determiners"))
_DETAIL_NOUN = _alternatives(sorted(_DETAIL_NOUNS))
_TOPIC = r"(?P<topic>[^,;:.!?()\"“”—–]+)"
_DENIED = rf"\b{_NEGATOR}\s+(?:{_ADVERB}\s+)?"
_DENIED_DETAILS = re.compile(
    rf"{_DENIED}{_alternatives(entries('silence', 'detail_verbs'), inflected=True)}\s+(?:{_DETERMINER}\s+)*"
    rf"{_DETAIL_NOUN}\s+{_LINK}\s+{_TOPIC}",
    re.IGNORECASE,
)
_DENIED_MENTION = re.compile(
    rf"{_DENIED}{_alternatives(entries('silence', 'topic_verbs'), inflected=True)}\s+{_TOPIC}", re.IGNORECASE
)
_NO_FORMS = [
    (re.compile(rf"\b{_alternatives([phrase])}\s+(?:{_LINK}\s+)?{_TOPIC}", re.IGNORECASE), kind == "details")
    for phrase, kind in (line.split("|") for line in entries("silence", "no_forms"))
]
_TOPIC_END = re.compile(r"\s(?:" + "|".join(map(re.escape, entries("silence", "topic_ends"))) + r")\b", re.IGNORECASE)


@dataclass(frozen=True)
class Silence:
    """A claim that someone did not say something: who, what (offsets into the sentence), and the kind."""

    who: str  # the subject as written: "he", "the readout", "Trump"
    who_start: int
    denial_start: int  # where the denial begins: "did not reveal details about the call"
    topic: str  # "the call", "Taiwan"
    topic_start: int
    topic_end: int
    details: bool  # "gave no details about": the claim denies details, not a mention


@dataclass(frozen=True)
class SilenceCheck:
    """What the sources say to a claim of silence: a finding where they say it after all, else whether it holds."""

    silence: Silence
    sources: tuple[str, ...]  # the sources of the one said to be silent
    finding: Finding | None  # outlet offsets into the sentence, source offsets into the source's text
    holds: bool  # none of those sources names the topic at all


def read_silence(sentence: str) -> Silence | None:
    """The claim of silence in a sentence, outside its quotations, or None."""
    text = masked_quotes(sentence)
    found = [(m, True) for m in _DENIED_DETAILS.finditer(text)]
    found += [(m, False) for m in _DENIED_MENTION.finditer(text)]
    found += [(m, details) for pattern, details in _NO_FORMS for m in pattern.finditer(text)]
    if not found:
        return None
    match, details = min(found, key=lambda pair: pair[0].start())
    start = match.start("topic")
    end = match.end("topic")
    cut = _TOPIC_END.search(text, start, end)
    end = cut.start() if cut else end
    topic = sentence[start:end].rstrip()
    if not topic or "\x00" in text[start:end] or not content_keys(topic) - _DETAIL_KEYS:
        return None
    who, who_start = _subject(text[: match.start()])
    return Silence(who, who_start, match.start(), topic, start, start + len(topic), details)


def _subject(before: str) -> tuple[str, int]:
    """Who the clause before the denial is about, and where it starts: its last part that is no
    relative clause ("Trump, who spoke to Xi, did not ..."), without an opener ("However, he").

    A participle between commas ("The readout, released on Friday, did not ...") is read as the
    subject, which then names no source: a miss, never a wrong source.
    """
    bounds = [0] + [m.end() for m in _CLAUSE_BREAK.finditer(before)]
    for start, end in reversed(list(zip(bounds, [*bounds[1:], len(before)], strict=True))):
        part = before[start:end]
        if not part.strip(" ,-—–") or _RELATIVE.match(part):
            continue
        for word in re.finditer(r"\S+", part):
            if word[0].lower().strip(",") not in _OPENERS:
                return part[word.start() :].rstrip(" ,-—–"), start + word.start()
        return "", end
    return "", 0


def check_silence(sentence: str, previous: str, sources: Sequence[SourceText]) -> SilenceCheck | None:
    """The sources' answer to a sentence's claim of silence; None where it makes none or names no source's speaker.

    previous: the outlet sentence before it, where a pronoun's antecedent is looked for.
    """
    silence = read_silence(sentence)
    if silence is None:
        return None
    own = _silent_sources(silence.who, sentence[: silence.who_start], previous, sources)
    if not own:
        return None
    items = [
        keys
        for part in re.split(r"\s*,\s*|\s+(?:and|or|nor)\s+", silence.topic)
        if (keys := content_keys(part) - _DETAIL_KEYS)
    ]
    claim_keys = content_keys(sentence)
    names = tuple(sources[k].name for k in own)
    names_it = False
    for k in own:
        source = sources[k]
        for sent in source.sentences:
            keys = content_keys(sent.text)
            for item in items:
                if not all(matches(key, keys) for key in item):
                    names_it = names_it or any(matches(key, keys) for key in item)
                    continue
                names_it = True
                said = [key for key in keys if not matches(key, claim_keys)]
                if silence.details and len(said) < 2:
                    continue
                finding = Finding(
                    type=FindingType.NEGATION,
                    severity=FindingSeverity.CONTRADICTION,
                    outlet_text=sentence[silence.denial_start : silence.topic_end],
                    outlet_start=silence.denial_start,
                    outlet_end=silence.topic_end,
                    evidence_index=-1,
                    source_text=sent.text,
                    source_start=sent.start,
                    source_end=sent.end,
                    detail=DETAILS_GIVEN if silence.details else MENTIONED,
                    source=source.name,
                )
                return SilenceCheck(silence, names, finding, holds=False)
    return SilenceCheck(silence, names, None, holds=not names_it)


def credited_speakers(sources: Sequence[SourceText], quotes: Sequence[QuoteCheck]) -> list[SourceText]:
    """The sources, each with no speaker given named for the one the outlet credits its quotations to.

    "Trump wrote on Truth Social" over the post's words says whose text the post is; a claim that
    Trump did not say something is then answered by it. Only where every credit of that source's
    quotations names one person: credits to several leave it unnamed.
    """
    named: list[SourceText] = []
    for source in sources:
        credits = {q.attributed_to for q in quotes if q.source == source.name and q.attributed_to}
        keys = [naming_words(c.split()) for c in credits]
        one = bool(keys) and all(k and k & keys[0] for k in keys)
        if source.speaker or not one:
            named.append(source)
        else:
            named.append(dataclasses.replace(source, speaker=max(credits, key=len)))
    return named


def _silent_sources(who: str, before_who: str, previous: str, sources: Sequence[SourceText]) -> list[int]:
    """The sources of the one a claim says is silent: a named speaker's, a pronoun's antecedent's, or the text's own.

    before_who: the sentence before the subject; previous: the sentence before this one.
    """
    words_ = who.split()
    if not words_:
        return []
    if content_keys(who) & _STATEMENTS:
        return _speakers_named(who, sources) or list(range(len(sources)))
    if len(words_) == 1 and words_[0].lower() in _IMPERSONAL:
        # "It did not mention ...": the text the sentence before spoke of ("The statement said ...").
        if not content_keys(previous) & _STATEMENTS:
            return []
        return _speakers_named(previous, sources) or list(range(len(sources)))
    if len(words_) == 1 and words_[0].lower() in _PERSONAL:
        # "Xi spoke of trade, but he did not ...": the antecedent is in the clause before, else in the
        # sentence before.
        return _speakers_named(before_who, sources, one=True) or _speakers_named(previous, sources, one=True)
    return _speakers_named(who, sources)


def _speakers_named(text: str, sources: Sequence[SourceText], *, one: bool = False) -> list[int]:
    """The sources whose speaker the text names; one: only where it names a single speaker."""
    found = speakers_named(re.findall(r"[\w’'.-]+", text), [s.speaker for s in sources])
    if one and len({sources[k].speaker for k in found}) > 1:
        return []
    return found


# What this check's findings are, read by triage, the verdict and so every renderer (findings.FindingKind).
declare_finding(FindingKind(FindingType.NEGATION, MENTIONED, slot="silence", detail_in_reason=True))
# Whether what a source says of a topic is "details" is a judgement: it stands only where the judge agrees.
declare_finding(
    FindingKind(FindingType.NEGATION, DETAILS_GIVEN, slot="silence", needs_judge=True, detail_in_reason=True)
)
