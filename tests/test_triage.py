"""Triage (issue 14): one severity per finding, what to check first, and commentary counted apart.

The texts are written for these tests: a readout of a call and an article about it with one problem
of each kind, compared with the real model.
"""

from __future__ import annotations

import pytest

from reconcile.compare import compare
from reconcile.documents import document_from_text
from reconcile.embed import Embedder
from reconcile.report import ClaimKind, ProblemKind, Report, Severity
from reconcile.resources import Resources
from reconcile.triage import headline, read_claim, years_in

READOUT = (
    "President Trump spoke with President Lee of South Korea on Tuesday. "
    "The two leaders discussed trade and security for 40 minutes. "
    'President Trump said: "We will work together to keep the peace in the region." '
    "They agreed to meet again in the spring."
)
# One sentence per problem, in this order: none, wrong number, altered quote, credited to a source
# not supplied, opinion, background, a name in no source, a claim in no source, none.
ARTICLE = (
    "President Trump spoke with President Lee of South Korea on Tuesday. "
    "The two leaders discussed trade and security for 90 minutes. "
    '"We will work together to keep peace across the world," Trump said. '
    "Yonhap reported that the leaders also discussed tariffs on steel. "
    "The call marks a stark shift from the lackluster diplomacy of recent months. "
    "During his first term, Trump had clashed with Seoul over the cost of troops. "
    "Defence Minister Park Jin-woo joined the call from Seoul. "
    "The president also announced new sanctions on three shipping firms. "
    "They agreed to meet again in the spring."
)
EXPECTED = {
    1: (ProblemKind("wrong number"), Severity.ERROR),
    2: (ProblemKind("altered quote"), Severity.ERROR),
    3: (ProblemKind("claim credited to a source not supplied"), Severity.CHECK),
    4: (ProblemKind("opinion"), Severity.CONTEXT),
    5: (ProblemKind("background"), Severity.CONTEXT),
    6: (ProblemKind("name in no source"), Severity.CHECK),
    7: (ProblemKind("claim in no source"), Severity.CHECK),
}


@pytest.fixture(scope="module")
def report(embedder: Embedder, resources: Resources) -> Report:
    readout = document_from_text(READOUT, name="readout", speaker="White House; Donald Trump")
    return compare(document_from_text(ARTICLE, name="article"), [readout], embedder=embedder, resources=resources)


def test_each_sentence_gets_its_problem_and_severity(report: Report) -> None:
    found = {p.sentence: (p.kind, p.severity) for p in report.problems}
    assert found == EXPECTED, [(p.sentence, p.kind.value, p.detail) for p in report.problems]
    for p in report.problems:
        assert p.severity is p.kind.severity
        assert ARTICLE[p.start : p.end] == p.text
        sentence = report.sentences[p.sentence]
        assert sentence.start <= p.start < p.end <= sentence.end


def test_problems_come_worst_first(report: Report) -> None:
    order = [list(Severity).index(p.severity) for p in report.problems]
    assert order == sorted(order)
    assert report.problems[0].severity is Severity.ERROR


def test_a_name_in_no_source_is_a_check_not_an_error(report: Report) -> None:
    (name,) = [p for p in report.problems if p.kind is ProblemKind("name in no source")]
    assert name.severity is Severity.CHECK and "Park" in name.detail
    assert "(in no source)" not in name.detail


def test_headline_says_what_to_check_and_counts_commentary_apart(report: Report) -> None:
    line = headline(report)
    assert line.startswith("5 to check: ")
    for part in ("1 wrong number", "1 altered quote", "1 claim credited to Yonhap", "1 name in no source"):
        assert part in line
    assert line.endswith("2 sentences of opinion or background, not checkable")
    summary = report.summary()
    assert summary["claims"] == {"checkable": 7, "opinion": 1, "background": 1}
    assert summary["to_check"] == {"error": 2, "check": 3, "context": 2}
    assert summary["share_claims_supported"] == round(summary["counts"]["supported"] / 7, 4)


def test_problems_and_kinds_are_in_the_json(report: Report) -> None:
    data = report.to_dict()
    assert [p["severity"] for p in data["problems"]] == [p.severity.value for p in report.problems]
    assert data["problems"][0].keys() == {"kind", "severity", "sentence", "start", "end", "text", "detail", "label"}
    kinds = [s["kind"] for s in data["sentences"]]
    assert kinds[4] == "opinion" and kinds[5] == "background" and kinds[7] == "claim"
    assert data["sentences"][3]["credited_to"] == "Yonhap"
    assert all(0 <= s["key_words_backed"] <= s["key_words"] for s in data["sentences"])


def test_a_report_with_nothing_wrong_says_so(embedder: Embedder, resources: Resources) -> None:
    outlet = document_from_text("The two leaders discussed trade and security for 40 minutes.", name="article")
    readout = document_from_text(READOUT, name="readout")
    report = compare(outlet, [readout], embedder=embedder, resources=resources)
    assert report.problems == ()
    assert headline(report).startswith("nothing to check")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("The talks mark a historic turning point for the region.", ClaimKind.OPINION),
        ("The minister's lackluster answer drew laughter.", ClaimKind.OPINION),
        ("The move appears to reflect growing pressure at home.", ClaimKind.OPINION),
        ("In 2019, the two countries had signed a trade pact.", ClaimKind.BACKGROUND),
        ("The two sides have long disagreed over fishing rights.", ClaimKind.BACKGROUND),
        ("Relations soured during his first term.", ClaimKind.BACKGROUND),
        # judgements of an event and readings of a trend (issue 26)
        ("The call is a welcome sign that relations are finally thawing.", ClaimKind.OPINION),
        ("The agreement is a step in the right direction for both ports.", ClaimKind.OPINION),
        ("The visit underscores how far the two governments have come.", ClaimKind.OPINION),
        ("The new ferry deal is a blow to the island's fishing fleet.", ClaimKind.OPINION),
        ("The outcome is cause for optimism among exporters.", ClaimKind.OPINION),
        # claims to look up: no judgement, no earlier time
        ("The ministry announced sanctions on three shipping firms.", ClaimKind.CLAIM),
        ("The president will travel to Seoul in 2027.", ClaimKind.CLAIM),  # a plan, not background
        ("Officials did not give details of the call.", ClaimKind.CLAIM),
        ("Important issues were discussed, officials said.", ClaimKind.CLAIM),  # common words are no opinion
    ],
)
def test_read_claim(text: str, kind: ClaimKind) -> None:
    reading = read_claim(text)
    assert reading.kind is kind, reading
    assert bool(reading.cues) == (kind is not ClaimKind.CLAIM)


def test_a_judgement_inside_quotation_marks_is_the_speakers_not_the_outlets() -> None:
    text = 'Xi called it "a historic and remarkable day" for both nations.'
    start = text.index('"') + 1
    assert read_claim(text).kind is ClaimKind.OPINION
    assert read_claim(text, quoted=[(start, text.index('"', start))]).kind is ClaimKind.CLAIM


def test_a_year_the_sources_mention_is_news_not_background() -> None:
    text = "The two leaders met in Geneva in 2025."
    assert read_claim(text).kind is ClaimKind.BACKGROUND
    assert read_claim(text, source_years=years_in(["The summit of 2025 was held in Geneva."])).kind is ClaimKind.CLAIM
