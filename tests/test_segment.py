from __future__ import annotations

import re
import signal
import time
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reconcile.errors import InputError
from reconcile.segment import (
    BOILERPLATE,
    BYLINE,
    CAPTION,
    DATELINE,
    LONG_RUN,
    MAX_SENTENCE_WORDS,
    NO_WORDS,
    PROMO,
    RELATED,
    SHARE,
    SHORT_LINE,
    TITLE_CASE,
    Segmentation,
    Sentence,
    SkippedLine,
    segment,
    segment_input,
)

SAMPLE = Path(__file__).parent.parent / "samples" / "xi-trump-call-2025-01-17" / "outlet-article.txt"


def texts(result: Segmentation) -> list[str]:
    return [s.text for s in result.sentences]


# One row per tricky case; add a row for every segmentation bug found.
CASES = [
    (
        "abbreviation U.S. before a noun",
        "The U.S. ban on TikTok took effect. It was upheld.",
        ["The U.S. ban on TikTok took effect.", "It was upheld."],
    ),
    (
        "U.S. ends a sentence before a pronoun",
        "He lived in the U.S. He moved later.",
        ["He lived in the U.S.", "He moved later."],
    ),
    (
        "U.S. before a proper noun is kept",
        "She spoke in the U.S. Senate today.",
        ["She spoke in the U.S. Senate today."],
    ),
    (
        "D.C. inside a list",
        "It will help both Washington, D.C., and Beijing. Talks follow.",
        ["It will help both Washington, D.C., and Beijing.", "Talks follow."],
    ),
    (
        "titles",
        "Mr. Smith met Dr. Jones and Gen. Lee. Prof. Kim was absent.",
        ["Mr. Smith met Dr. Jones and Gen. Lee.", "Prof. Kim was absent."],
    ),
    (
        "month abbreviation",
        "The call was on Jan. 17 in the morning. It was long.",
        ["The call was on Jan. 17 in the morning.", "It was long."],
    ),
    (
        "No. and a number",
        "He lives at No. 10 Downing St. in London.",
        ["He lives at No. 10 Downing St. in London."],
    ),
    ("initial in a name", "George W. Bush and J. Smith spoke.", ["George W. Bush and J. Smith spoke."]),
    (
        "a.m. before lowercase",
        "It began at 9 a.m. on Friday. It ended at noon.",
        ["It began at 9 a.m. on Friday.", "It ended at noon."],
    ),
    (
        "a.m. ends a sentence",
        "It began at 9 a.m. The call ended at noon.",
        ["It began at 9 a.m.", "The call ended at noon."],
    ),
    (
        "Jr. ends a sentence",
        "The speaker was John Smith Jr. He spoke briefly.",
        ["The speaker was John Smith Jr.", "He spoke briefly."],
    ),
    (
        "etc. mid-sentence",
        "Apples, pears, etc. were sold. Prices rose.",
        ["Apples, pears, etc. were sold.", "Prices rose."],
    ),
    (
        "decimal number",
        "Growth was 3.5 percent. It was 2.1 percent last year.",
        ["Growth was 3.5 percent.", "It was 2.1 percent last year."],
    ),
    (
        "e-mail and URL",
        "Write to press@example.com today. See https://example.com/a.b?c=1 for more.",
        ["Write to press@example.com today.", "See https://example.com/a.b?c=1 for more."],
    ),
    (
        "ellipsis before lowercase",
        "He paused... then he spoke. Wait… what?",
        ["He paused... then he spoke.", "Wait… what?"],
    ),
    ("ellipsis before a capital", "He paused... Then he spoke.", ["He paused...", "Then he spoke."]),
    (
        "quoted sentence then attribution",
        "“We will win,” he said. “It is certain.”",
        ["“We will win,” he said.", "“It is certain.”"],
    ),
    (
        "split inside a curly quotation",
        "“It is my expectation that we will solve many problems together, and starting immediately. "
        "President Xi and I will do everything possible!”",
        [
            "“It is my expectation that we will solve many problems together, and starting immediately.",
            "President Xi and I will do everything possible!”",
        ],
    ),
    (
        "split inside a straight quotation",
        '"We talked a lot. We agreed on much," he said.',
        ['"We talked a lot.', 'We agreed on much," he said.'],
    ),
    (
        "mismatched curly open and straight close",
        '“It is natural to differ. The important thing is respect," the statement read.',
        ["“It is natural to differ.", 'The important thing is respect," the statement read.'],
    ),
    (
        "a quotation that runs on to the next paragraph",
        "Trump said on Friday. “We will win this. We will.",
        ["Trump said on Friday.", "“We will win this.", "We will."],
    ),
    (
        "an unclosed straight quotation",
        'He spoke. "We will win this, and soon.',
        ["He spoke.", '"We will win this, and soon.'],
    ),
    (
        "straight open, curly close, then the attribution",
        '"We will win.” he said. Nobody knew.',
        ['"We will win.” he said.', "Nobody knew."],
    ),
    (
        "question mark inside a quotation, lowercase after",
        "“Why now?” he asked. Nobody knew.",
        ["“Why now?” he asked.", "Nobody knew."],
    ),
    (
        "brackets",
        "They will help by “solv[ing] many problems.” However, no details came.",
        ["They will help by “solv[ing] many problems.”", "However, no details came."],
    ),
    ("exclamation and question", "Stop! Who goes there? Nobody.", ["Stop!", "Who goes there?", "Nobody."]),
    (
        "never across a newline",
        "This line has no full stop at its end but it is long\nNext line here.",
        ["This line has no full stop at its end but it is long", "Next line here."],
    ),
    (
        "sentence starting with a digit",
        "Sales fell in 2023. 2024 was better.",
        ["Sales fell in 2023.", "2024 was better."],
    ),
    (
        "hyphenated acronym",
        "It is a strained moment in U.S.-China relations.",
        ["It is a strained moment in U.S.-China relations."],
    ),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_split_table(text: str, expected: list[str]) -> None:
    result = segment(text)
    assert texts(result) == expected
    assert result.skipped == ()


@pytest.mark.parametrize(
    ("text", "skipped", "reason"),
    [
        ("Recommended", "Recommended", SHORT_LINE),
        ("Skip to content", "Skip to content", BOILERPLATE),
        ("Story continues below advertisement", "Story continues below advertisement", BOILERPLATE),
        ("Trump and Xi talk trade", "Trump and Xi talk trade", SHORT_LINE),
        ("The talks went well. Scroll down for video. He left.", "Scroll down for video.", BOILERPLATE),
        ("Advertisement The president said that talks went well today.", "Advertisement", BOILERPLATE),
        ("He left. Read more: Trump and Xi talk trade", "Read more: Trump and Xi talk trade", BOILERPLATE),
        (
            "Click here to subscribe to our newsletter.",
            "Click here to subscribe to our newsletter.",
            BOILERPLATE,
        ),
    ],
)
def test_skipped(text: str, skipped: str, reason: str) -> None:
    result = segment(text)
    assert [(s.text, s.reason) for s in result.skipped] == [(skipped, reason)]
    assert skipped not in texts(result)


def test_long_line_without_final_punctuation_is_a_sentence() -> None:
    assert texts(segment("Trump and Xi agree to keep talking about trade")) == [
        "Trump and Xi agree to keep talking about trade"
    ]


_CAP = MAX_SENTENCE_WORDS


@pytest.mark.parametrize(
    ("text", "sentence_words", "set_aside_words"),
    [
        ("One short sentence. " + " ".join(["word"] * (_CAP + 100)) + ". Another one.", [3, 2], [_CAP + 100]),
        (" ".join(["word"] * _CAP) + ".", [_CAP], []),
        (" ".join(["word"] * (_CAP + 1)) + ".", [], [_CAP + 1]),
        # a list: pieces cut after its commas, each within the cap, nothing set aside
        ("The ministry named " + ", ".join(f"site {i}" for i in range(400)) + ".", [299, 300, 204], []),
        # a stretch with no comma in the cap is set aside up to its next comma, then reading goes on
        (" ".join(["word"] * (_CAP + 20)) + ", and then the talks went on for hours.", [8], [_CAP + 20]),
    ],
    ids=["a run between sentences", "at the cap", "one past the cap", "a long list", "a run, then a clause"],
)
def test_a_sentence_past_the_cap_is_read_in_pieces_or_set_aside(
    text: str, sentence_words: list[int], set_aside_words: list[int]
) -> None:
    result = segment(text)
    assert [len(s.text.split()) for s in result.sentences] == sentence_words
    assert all(len(s.text.split()) <= _CAP for s in result.sentences)
    assert [len(k.text.split()) for k in result.skipped] == set_aside_words
    assert all(k.reason == LONG_RUN for k in result.skipped)
    spans = sorted([(s.start, s.end) for s in result.sentences] + [(k.start, k.end) for k in result.skipped])
    assert all(a[1] <= b[0] and not text[a[1] : b[0]].strip(" ,.") for a, b in pairwise(spans))
    assert all(text[s.start : s.end] == s.text for s in result.sentences)


def test_a_text_that_is_one_run_without_punctuation_is_one_line_naming_the_fix() -> None:
    with pytest.raises(InputError, match=r"notes\.txt: no sentences found in the outlet: .*sentence punctuation"):
        segment_input(" ".join(["word"] * 2000), "notes.txt", outlet=True)


def test_word_that_starts_with_a_boilerplate_phrase_is_prose() -> None:
    assert texts(segment("Advertisement revenue fell by a third last year.")) == [
        "Advertisement revenue fell by a third last year."
    ]


def test_sample_article() -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    result = segment(text)
    got = texts(result)
    assert len(got) == 20
    assert [(s.text, s.reason) for s in result.skipped] == [("Recommended", SHORT_LINE)]
    assert got[6] == "“It is my expectation that we will solve many problems together, and starting immediately."
    assert got[7] == "President Xi and I will do everything possible to make the World more peaceful and safe!”"
    assert got[9].startswith("It stated that President Xi") and got[9].endswith('"partners and friends.”')
    assert got[10].startswith("“President Xi pointed out") and got[10].endswith("disagreements.")
    assert got[11].startswith("The important thing") and got[11].endswith("the statement read.")
    assert any("Washington, D.C., and Beijing" in s for s in got)
    assert got[0].endswith("the U.S. ban on TikTok.")
    check_invariants(text, result)


def test_offsets_refer_to_the_whole_text() -> None:
    text = "  First one.  Second one!\n\n\tThird line is here?  \n"
    result = segment(text)
    assert [(s.start, s.end) for s in result.sentences] == [(2, 12), (14, 25), (28, 47)]


def test_empty_and_blank() -> None:
    assert segment("") == Segmentation((), ())
    assert segment(" \n\t\n ") == Segmentation((), ())


def test_five_thousand_sentences_fast() -> None:
    sentence = "The U.S. delegation met Mr. Wang on Jan. 17, and “talks went well.” "
    text = "".join(sentence + ("\n" if i % 7 == 6 else "") for i in range(5000))
    started = time.perf_counter()
    result = segment(text)
    elapsed = time.perf_counter() - started
    assert len(result.sentences) == 5000
    assert elapsed < 10
    check_invariants(text, result)


def test_a_long_capitalised_line_is_read_in_linear_time() -> None:
    # A web page's terms in capitals are no dateline; the dateline pattern once tried every split of
    # each capitalised word, and a line of 18 such words did not finish. The alarm turns a hang into
    # a failure (the line takes milliseconds).
    line = " ".join(["IT IS IMPORTANT THAT YOU UNDERSTAND THESE TERMS BEFORE USING THE WEBSITE OR SERVICE"] * 6)
    text = f"Some prose here.\n{line}\nThere are no other terms."

    def hang(signum: int, frame: object) -> None:
        raise TimeoutError("segment() did not finish on a long capitalised line")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(20)
    try:
        result = segment(text)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert [s.text for s in result.sentences] == ["Some prose here.", line, "There are no other terms."]
    check_invariants(text, result)


def check_invariants(text: str, result: Segmentation) -> None:
    assert [s.index for s in result.sentences] == list(range(len(result.sentences)))
    covered = [0] * len(text)
    items: list[Sentence | SkippedLine] = [*result.sentences, *result.skipped]
    for item in items:
        assert item.text
        assert text[item.start : item.end] == item.text
        assert item.text == item.text.strip()
        # A line break inside one is a hard wrap: one break, after words that do not end a sentence.
        assert not re.search(r"\n\s*\n|[.!?…]\s*\n", item.text), item.text
        for i in range(item.start, item.end):
            covered[i] += 1
    for i, ch in enumerate(text):
        # Whitespace inside a sentence is covered; between sentences it is not; nothing twice.
        assert covered[i] == 1 or (ch.isspace() and covered[i] == 0), (i, ch)
    starts = [s.start for s in result.sentences]
    assert starts == sorted(starts)


PROSE_ALPHABET = st.sampled_from(
    list("abcXYZ .!?,;:\"'“”‘’()[]…-\n\t")
    + [
        "U.S.",
        "Mr.",
        "Jan.",
        "a.m.",
        "He ",
        "The ",
        "3.5",
        "...",
        "\r\n",
        "\u2028",
        "Advertisement",
        "Read more:",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(PROSE_ALPHABET, max_size=80).map("".join))
def test_invariants_on_prose_like_text(text: str) -> None:
    check_invariants(text, segment(text))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_invariants_on_any_text(text: str) -> None:
    check_invariants(text, segment(text))


# Official readouts write "China-U.S." and "U.S.-led" constantly; a period inside such a word ends nothing.
HYPHENATED = [
    ("He spoke of China-U.S. ties.", ["He spoke of China-U.S. ties."]),
    ("He met China-U.S. envoys. They agreed.", ["He met China-U.S. envoys.", "They agreed."]),
    ("The U.S.-led coalition met on Friday. It agreed.", ["The U.S.-led coalition met on Friday.", "It agreed."]),
    ("She praised U.S.-China trade. Talks resume Monday.", ["She praised U.S.-China trade.", "Talks resume Monday."]),
    # Still a sentence end: an abbreviation before a word that opens a sentence.
    ("The talks were held in the U.S. He left early.", ["The talks were held in the U.S.", "He left early."]),
    (
        "Ties with the U.S.-China forum ended. The U.S. left.",
        ["Ties with the U.S.-China forum ended.", "The U.S. left."],
    ),
]


@pytest.mark.parametrize(("text", "expected"), HYPHENATED, ids=[row[0] for row in HYPHENATED])
def test_hyphenated_abbreviations(text: str, expected: list[str]) -> None:
    assert texts(segment(text)) == expected


DATELINES: list[tuple[str, str | None, str | None]] = [
    ("BEIJING (Reuters) - China's leader spoke on Friday.", "BEIJING (Reuters) -", "China's leader spoke on Friday."),
    ("(UPI) -- The president spoke on Friday.", "(UPI) --", "The president spoke on Friday."),
    ("WASHINGTON (AP) — The president spoke on Friday.", "WASHINGTON (AP) —", "The president spoke on Friday."),
    ("LONDON, March 3 (Reuters) - Talks began at noon.", "LONDON, March 3 (Reuters) -", "Talks began at noon."),
    ("NEW YORK (AP) — Talks began at noon.", "NEW YORK (AP) —", "Talks began at noon."),
    ("WASHINGTON (AP) — The president spoke. He left at 5.", "WASHINGTON (AP) —", None),
    ("CANBERRA - The president spoke on Friday.", "CANBERRA -", "The president spoke on Friday."),
    ("SAN JOSE, Calif. — Talks began at noon.", "SAN JOSE, Calif. —", "Talks began at noon."),
    ("OTTAWA, ON (May 2, 2024) - Talks began at noon.", "OTTAWA, ON (May 2, 2024) -", "Talks began at noon."),
    # Not datelines: a parenthesis or a dash inside the prose.
    (
        "The deal (signed in May) - a first - held for a year.",
        None,
        "The deal (signed in May) - a first - held for a year.",
    ),
    (
        "Officials said - again - that the talks would go on.",
        None,
        "Officials said - again - that the talks would go on.",
    ),
    # Capitals before a dash that are prose: dotted, unspaced, or before a lower-case word.
    ("U.S. - China talks began at noon.", None, "U.S. - China talks began at noon."),
    ("NATO - the alliance - met at noon.", None, "NATO - the alliance - met at noon."),
    ("US-CHINA talks began at noon.", None, "US-CHINA talks began at noon."),
]


@pytest.mark.parametrize(("text", "dateline", "sentence"), DATELINES, ids=[row[0][:30] for row in DATELINES])
def test_datelines_are_set_aside(text: str, dateline: str | None, sentence: str) -> None:
    result = segment(text)
    assert texts(result)[:1] == [sentence or "The president spoke."]
    assert [(s.text, s.reason) for s in result.skipped] == ([(dateline, DATELINE)] if dateline else [])
    for s in result.skipped:
        assert text[s.start : s.end] == s.text


# The page as a reader sees it (issue 26, class 6): what a reader skips, with why; hard wraps joined.
FURNITURE = [
    ("Delegates arrive at the summit venue in Oslo on Monday. | Getty Images", CAPTION),
    ("Photo: Delegates arrive at the summit venue", CAPTION),
    ("The harbour at dawn (Photo by Lena Berg/Nordic Wire)", CAPTION),
    ("Written by Lena Berg | Edited by Tomas Ekberg", BYLINE),
    ("Lena Berg | January 17, 2025 5:30 PM", BYLINE),
    ("Updated: March 3, 2024 at 10:15 a.m. ET", BYLINE),
    ("By Lena Berg and Tomas Ekberg, Nordic Wire", BYLINE),
    ("Share this story on your favourite network", SHARE),
    ("Follow us for the latest news on the summit talks", SHARE),
    ("DON'T MISS OUR SPECIAL HARBOUR COVERAGE TONIGHT", PROMO),
    ("WATCH: The moment the delegates arrived at the summit venue", PROMO),
    ("1.", NO_WORDS),
    ("“", NO_WORDS),
    ("Nordic Leaders Gather For Harbour Talks As Trade Tensions Rise", TITLE_CASE),
]


@pytest.mark.parametrize(("line", "reason"), FURNITURE, ids=[line for line, _ in FURNITURE])
def test_page_furniture_is_skipped_with_why(line: str, reason: str) -> None:
    text = f"The ministers met in Oslo on Monday.\n{line}\nThey agreed to meet again in June."
    result = segment(text)
    assert [s.text for s in result.sentences] == [
        "The ministers met in Oslo on Monday.",
        "They agreed to meet again in June.",
    ]
    assert [(s.text, s.reason) for s in result.skipped] == [(line, reason)]
    check_invariants(text, result)


def test_a_related_list_is_skipped_up_to_the_prose() -> None:
    text = (
        "The ministers met in Oslo on Monday.\n"
        "Related stories\n"
        "Harbour talks stall as ministers trade blame over fishing quotas\n"
        "What the new ferry deal means for island communities this winter\n"
        "\n"
        "They agreed to meet again in June."
    )
    result = segment(text)
    assert [s.text for s in result.sentences] == [
        "The ministers met in Oslo on Monday.",
        "They agreed to meet again in June.",
    ]
    assert [s.reason for s in result.skipped][1:] == [RELATED, RELATED]


WRAPPED = [
    # (text, sentences)
    ("The ministers agreed to reopen the\nharbour by June. Talks end today.",
     ["The ministers agreed to reopen the\nharbour by June.", "Talks end today."]),
    ("The ministers, who met in Oslo,\ntalked for two hours.",
     ["The ministers, who met in Oslo,\ntalked for two hours."]),
    ("Trade grew in May\nand fell in June.", ["Trade grew in May\nand fell in June."]),
    # a line that ends a sentence, a blank line or a list item keeps its own
    ("The talks ended.\nthe next round is in June.", ["The talks ended.", "the next round is in June."]),
    ("The talks between the two ministers were long and\n\nproductive, both sides said.",
     ["The talks between the two ministers were long and", "productive, both sides said."]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "sentences"), WRAPPED, ids=[t[:30] for t, _ in WRAPPED])
def test_hard_wrapped_lines_are_joined(text: str, sentences: list[str]) -> None:
    result = segment(text)
    assert [s.text for s in result.sentences] == sentences
    check_invariants(text, result)
