"""Whom an outlet credits a claim to: a source not among the inputs ("CCTV reported", "the Kremlin said"),
or one of the sources' speakers ("President Xi stressed that ...", reported speech).

Such a claim is that source's to back: judged against the texts given, its words would be supported
by another source's, or contradicted by a text that never spoke for it. So the sentence is reported
as credited elsewhere instead. Who is credited is read from the attribution around its verb, outside
quotation marks; a credited name that a source's text, name or speaker has is among the sources.
When some source has no speaker given, who speaks there is unknown: only an institution or an outlet
("CCTV", "the Kremlin") is then taken to be another source, never a person.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ..lexicon import ATTRIBUTION_VERBS, MEDIUM_PHRASES, QUOTE_CUE_VERBS, REPORT_VERBS, STOPWORDS
from ..quotation import quoted_ranges
from .names import NATIONALITIES, ORGANISATIONS, TITLES, bare

_VERB = "(?:" + "|".join(re.escape(v) for v in sorted({*QUOTE_CUE_VERBS, *REPORT_VERBS}, key=len, reverse=True)) + ")"
_NAME = r"(?:[A-Z][\w’'.&-]*\s+){0,4}[A-Z][\w’'.&-]*"
_CREDIT = re.compile(rf"(?P<who>{_NAME})\s+(?:also\s+|later\s+|has\s+|had\s+|have\s+)?{_VERB}\b")
_ACCORDING = re.compile(rf"\b[Aa]ccording to\s+(?:the\s+)?(?P<who>{_NAME})")
# Reported speech: the credit introduces what was said ("Xi stressed that", "Putin told Trump that")
# or closes it ("..., the ministry said."); "Biden spoke with Xi" reports no words.
_SPEECH = re.compile(
    rf"(?P<who>{_NAME})\s+(?:also\s+|later\s+|has\s+|had\s+)?{_VERB}(?:\s+[\w’'.-]+){{0,3}}?\s+that\b"
    rf"|,\s*(?:the\s+)?(?P<after>{_NAME})\s+{_VERB}\W*$"
)
_PRONOUNS = frozenset("he she they it we i you this that".split())

# The credit of a claim, as a stretch of the sentence: who ("President Xi", "the chancellor", "a
# spokeswoman for the ministry"), the verb, and where or to whom it was said ("told reporters", "wrote
# on Truth Social", "in a post on X"). Its names say who speaks, not what was said.
_ANY_VERB = (
    "(?:"
    # "spoke" reports a meeting ("Trump spoke with Xi"), not whose words follow.
    + "|".join(
        re.escape(v)
        for v in sorted({*QUOTE_CUE_VERBS, *REPORT_VERBS, *ATTRIBUTION_VERBS} - {"spoke"}, key=len, reverse=True)
    )
    + ")"
)
_WHOLE = rf"{_NAME}(?:\s+(?:of|for)\s+(?:the\s+)?{_NAME})?"  # "Ministry of Foreign Affairs" stays whole
_WHO = (
    rf"(?:[A-Z][\w.-]*['’]s(?:\s+[a-z][\w-]+){{1,2}}"  # "Osei's office"
    rf"|(?:[Tt]he\s+)?{_WHOLE}"
    rf"|\b(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Tt]heir|[Ii]ts)\s+(?:[\w’'-]+\s+){{0,3}}?[\w’'-]+)"
)
_TO = r"(?:\s+(?:to\s+)?(?:reporters|journalists|the press|the media|lawmakers))?"  # told reporters
_MEDIUM = "(?:" + "|".join(re.escape(m) for m in sorted(MEDIUM_PHRASES, key=len, reverse=True)) + ")"
_WHERE = rf"{_TO}(?:\s+(?:{_MEDIUM}|(?:on|in|at)\s+(?:a\s+|an\s+|the\s+|his\s+|her\s+|its\s+|their\s+)?(?:{_WHOLE})))*"
_CREDIT_SPAN = re.compile(
    rf"(?P<who>{_WHO})\s+(?:also\s+|later\s+|has\s+|had\s+|have\s+)?{_ANY_VERB}\b{_WHERE}"
    rf"|\b[Aa]ccording to\s+(?:{_WHO}){_WHERE}"
    rf"|(?:^|(?<=[,\x00\"”’]))\s*{_ANY_VERB}\s+(?:{_WHO}){_WHERE}(?=\W*$)"
)


def credit_spans(sentence: str) -> list[tuple[int, int]]:
    """Where the sentence says who speaks ("..., the chancellor told reporters", "according to X", "X wrote
    on Y"), outside its quotations: those names are the credit, not the claim, and are not compared with
    the names of the evidence."""
    return [m.span() for m in _CREDIT_SPAN.finditer(masked_quotes(sentence))]


def credited_elsewhere(
    sentence: str,
    in_sources: Callable[[str], bool],
    *,
    persons: bool = True,
    common: Callable[[str], bool] | None = None,
) -> str | None:
    """The name the sentence credits its claim to, when no source has it; None otherwise.

    persons: whether a credited person counts (every source has its speaker given). common: whether
    a word is an ordinary word (WordNet has it): the capital of a sentence's first word marks no name
    ("Analysts said").
    """
    text = masked_quotes(sentence)
    opening = len(sentence) - len(sentence.lstrip(" \"'“‘("))
    for match in [*_CREDIT.finditer(text), *_ACCORDING.finditer(text)]:
        who = re.sub(r"^(?:The|A|An)\s+", "", match["who"])
        words = [w for w in who.split() if bare(w) not in _PRONOUNS]
        at_start = match.start("who") == opening and who == match["who"]  # its first word opens the sentence
        if at_start and words and common is not None and common(bare(words[0])):
            words = words[1:]
        # The words that name: not a title ("President"), a nationality ("Chinese") or "The".
        naming = [w for w in words if bare(w) not in TITLES and bare(w) not in NATIONALITIES]
        naming = [w for w in naming if bare(w) not in STOPWORDS]
        if not naming or any(in_sources(w) for w in naming):
            continue
        institution = any(bare(w) in ORGANISATIONS for w in words) or any(w.isupper() and len(w) > 1 for w in naming)
        if persons or institution:
            return " ".join(words).rstrip(".,;:!?")  # "according to the Kremlin." credits the Kremlin
    return None


def reported_speakers(sentence: str, speakers: Sequence[str | None]) -> list[int]:
    """The sources whose speaker the sentence credits its claim to ("Xi stressed that ...": Xi's).

    Reported speech is checked like a quotation without the word-for-word test: against that
    speaker's sources. speakers: each source's speaker (None where not given); several names in one
    are separated by ";" or "," (a ministry readout speaks for the ministry and for the leader).
    """
    for match in _SPEECH.finditer(masked_quotes(sentence)):
        found = speakers_named((match["who"] or match["after"]).split(), speakers)
        if found:
            return found
    return []


def speakers_named(words: Sequence[str], speakers: Sequence[str | None]) -> list[int]:
    """Which speakers the words name (by the words of a name that tell who it is); none where they name no one."""
    named = naming_words(words)
    if not named:
        return []
    return [k for k, speaker in enumerate(speakers) if speaker and named & naming_words(speaker.split())]


def naming_words(words: Sequence[str]) -> set[str]:
    """The words of a name that tell who it is: no title, nationality, pronoun or function word."""
    plain = {bare(w) for w in words}
    return {w for w in plain if w and w not in TITLES and w not in NATIONALITIES and w not in STOPWORDS} - _PRONOUNS


def masked_quotes(sentence: str) -> str:
    """The sentence with its quotations blanked out (NUL characters), offsets kept: what it says outside them."""
    masked = list(sentence)
    for a, b in quoted_ranges(sentence):
        masked[a:b] = "\x00" * (b - a)
    return "".join(masked)
