"""Claims of silence ("he did not reveal details about the call") checked against the silent one's text.

Every text here is written for these tests.
"""

from __future__ import annotations

import pytest

from reconcile.align import SourceText
from reconcile.checks.quotes import QuoteCheck, QuoteStatus
from reconcile.checks.silence import DETAILS_GIVEN, MENTIONED, check_silence, credited_speakers, read_silence
from reconcile.embed import Embedder
from reconcile.findings import FindingSeverity
from reconcile.report import Verdict
from reconcile.resources import Resources
from reconcile.segment import segment
from tests.conftest import compare_texts

# (sentence, who, topic, details) or (sentence, None, None, None) where it makes no claim of silence.
READINGS: list[tuple[str, str | None, str | None, bool | None]] = [
    ("However, she did not reveal details about the meeting.", "she", "the meeting", True),
    ("The communique made no mention of the border dispute.", "The communique", "the border dispute", False),
    ("Merkel, who met Macron on Monday, did not mention the budget.", "Merkel", "the budget", False),
    ("Macron praised the talks, but he did not publicly discuss pensions.", "he", "pensions", False),
    ("The statement gave no further details about the agreement.", "The statement", "the agreement", True),
    ("The minister has not disclosed any details of the deal, officials said.", "The minister", "the deal", True),
    ("Rutte spoke for an hour without mentioning Ukraine.", "Rutte spoke for an hour", "Ukraine", False),
    ("She said nothing about the election when asked.", "She", "the election", False),
    # No claim of silence: no topic, a denial inside a quotation, or a verb that says nothing.
    ("He declined to comment.", None, None, None),
    ('"I did not mention the budget," Merkel said.', None, None, None),
    ("The company does not offer discounts to new customers.", None, None, None),
    ("They did not give up.", None, None, None),
]


@pytest.mark.parametrize(("sentence", "who", "topic", "details"), READINGS, ids=[r[0][:40] for r in READINGS])
def test_a_claim_of_silence_is_read(sentence: str, who: str | None, topic: str | None, details: bool | None) -> None:
    silence = read_silence(sentence)
    if who is None:
        assert silence is None
        return
    assert silence is not None
    assert (silence.who, silence.topic, silence.details) == (who, topic, details)
    assert sentence[silence.topic_start : silence.topic_end] == topic


STATEMENT = (
    "I met Chancellor Weber in Vienna today. The meeting was productive and friendly for both our nations. "
    "We agreed to double rail freight by 2030 and to open a joint research centre. "
    "Energy prices and migration were also on the agenda."
)
OTHER = "The opposition leader criticised the government's handling of energy prices."


def sources(speaker: str | None = "Anna Lind") -> list[SourceText]:
    return [
        SourceText("statement", STATEMENT, segment(STATEMENT).sentences, speaker),
        SourceText("rival", OTHER, segment(OTHER).sentences, "Karl Moser"),
    ]


# (id, sentence, previous sentence, speaker of the statement, detail of the finding or None, whether
# the silence holds; None where no source is the silent one's and nothing is checked)
CHECKS: list[tuple[str, str, str, str | None, str | None, bool | None]] = [
    ("a named speaker mentioned it", "Lind did not mention migration.", "", "Anna Lind", MENTIONED, False),
    ("every word of the topic", "Lind did not mention rail freight.", "", "Anna Lind", MENTIONED, False),
    ("one item of a list is enough", "Lind did not mention tariffs or migration.", "", "Anna Lind", MENTIONED, False),
    ("the silence holds", "Lind did not mention tariffs.", "", "Anna Lind", None, True),
    ("a word of the topic is named", "Lind did not mention freight tariffs.", "", "Anna Lind", None, False),
    (
        "a pronoun's speaker in the sentence before",
        "However, she did not reveal details about the meeting.",
        "Lind said her meeting with Weber went well.",
        "Anna Lind",
        DETAILS_GIVEN,
        False,
    ),
    (
        "the text itself",
        "The statement made no mention of energy prices.",
        "",
        "Anna Lind",
        MENTIONED,
        False,
    ),
    (
        "it: the text the sentence before names",
        "It did not mention tariffs or migration.",
        "Her statement was issued on Monday.",
        "Anna Lind",
        MENTIONED,
        False,
    ),
    # Another's silence is not the sources' to judge.
    ("it: no text before", "It did not mention migration.", "Weber left.", "Anna Lind", None, None),
    ("a pronoun, no speaker before", "She did not mention migration.", "Weber left.", "Anna Lind", None, None),
    ("another person", "Weber did not mention migration.", "", "Anna Lind", None, None),
    ("no speaker given", "Lind did not mention migration.", "", None, None, None),
    # The rival source mentions energy prices; it is not Lind's.
    ("only the silent one's source", "Moser did not mention the meeting.", "", "Anna Lind", None, True),
]


@pytest.mark.parametrize(
    ("sentence", "previous", "speaker", "detail", "holds"), [c[1:] for c in CHECKS], ids=[c[0] for c in CHECKS]
)
def test_the_silent_ones_text_answers(
    sentence: str, previous: str, speaker: str | None, detail: str | None, holds: bool | None
) -> None:
    check = check_silence(sentence, previous, sources(speaker))
    if holds is None:
        assert check is None
        return
    assert check is not None
    assert check.holds is holds
    if detail is None:
        assert check.finding is None
    else:
        assert check.finding is not None
        assert check.finding.detail == detail
        assert check.finding.severity is FindingSeverity.CONTRADICTION
        assert check.finding.source == "statement"
        assert STATEMENT[check.finding.source_start : check.finding.source_end] == check.finding.source_text
        assert sentence[check.finding.outlet_start : check.finding.outlet_end] == check.finding.outlet_text


def test_naming_a_topic_gives_no_details() -> None:
    statement = "Lind spoke about the meeting."
    check = check_silence(
        "Lind gave no details about the meeting.",
        "",
        [SourceText("statement", statement, segment(statement).sentences, "Anna Lind")],
    )
    assert check is not None and check.finding is None and not check.holds


@pytest.mark.model
def test_claims_of_silence_in_a_report(embedder: Embedder, resources: Resources) -> None:
    outlet = (
        "Lind met Chancellor Weber in Vienna on Tuesday. "
        "However, she did not reveal details about the meeting. "
        "Lind made no mention of migration. "
        "Lind did not mention tariffs."
    )
    report = compare_texts(
        outlet, ("statement", STATEMENT, "Anna Lind"), embedder=embedder, resources=resources, outlet_name="outlet"
    )
    details, migration, tariffs = report.sentences[1:]
    assert details.verdict is Verdict.CONTRADICTED, details.reason
    assert details.reason.startswith("silence:") and "(details given)" in details.reason
    assert migration.verdict is Verdict.CONTRADICTED, migration.reason
    found = migration.contradictions[0]
    assert outlet[found.outlet_start : found.outlet_end] == "made no mention of migration"
    assert STATEMENT[found.source_start : found.source_end] == "Energy prices and migration were also on the agenda."
    assert tariffs.verdict is not Verdict.CONTRADICTED
    assert any('"tariffs": statement never names it' in note for note in tariffs.notes)


def _quote(source: str | None, credited: str | None) -> QuoteCheck:
    return QuoteCheck("words", 0, 5, QuoteStatus.VERBATIM, credited, source, 0, 5, (), "")


@pytest.mark.parametrize(
    ("credits", "speaker"),
    [
        (["Lind", "Anna Lind"], "Anna Lind"),  # one person, credited twice
        (["Lind", "Weber"], None),  # two people: whose text it is is unknown
        ([None], None),  # a quotation credited to no one
        ([], None),
    ],
)
def test_the_outlets_credits_name_a_source_with_no_speaker(credits: list[str | None], speaker: str | None) -> None:
    named = credited_speakers(sources(None), [_quote("statement", c) for c in credits] + [_quote(None, "Moser")])
    assert named[0].speaker == speaker
    assert named[1].speaker == "Karl Moser"  # a speaker given stays as given


@pytest.mark.model
def test_a_silence_is_checked_against_the_text_the_outlet_credits(embedder: Embedder, resources: Resources) -> None:
    # No speaker given: the outlet's "Lind wrote" over the statement's words says whose text it is.
    outlet = (
        "“The meeting was productive and friendly for both our nations,” Lind wrote. "
        "However, she did not reveal details about the meeting."
    )
    report = compare_texts(
        outlet, ("statement", STATEMENT), embedder=embedder, resources=resources, outlet_name="outlet"
    )
    assert report.sentences[1].verdict is Verdict.CONTRADICTED, report.sentences[1].reason
    assert "(details given)" in report.sentences[1].reason
