"""Coverage, omissions, dropped qualifiers and which source backs what: real model, real and written texts."""

from __future__ import annotations

import pytest

from reconcile.align import SourceText
from reconcile.compare import compare
from reconcile.coverage import dropped_qualifiers, mutual_claim, rank_omissions
from reconcile.documents import read_document
from reconcile.embed import Embedder
from reconcile.report import CoverageState, Report, SourceCoverage, Verdict
from reconcile.segment import segment

from .conftest import SAMPLE_POST, TWO


@pytest.fixture(scope="module")
def two_report(embedder: Embedder) -> Report:
    return compare(
        read_document(TWO / "article.txt"),
        [
            read_document(TWO / "white-house.txt", name="White House", speaker="Joe Biden"),
            read_document(TWO / "mfa.txt", name="MFA", speaker="Xi Jinping"),
        ],
        embedder=embedder,
    )


def _coverage(report: Report, fragment: str) -> SourceCoverage:
    rows = [c for c in report.coverage if fragment in c.text]
    assert len(rows) == 1
    return rows[0]


def test_every_source_sentence_has_a_state(sample_report: Report) -> None:
    post = (SAMPLE_POST).read_text(encoding="utf-8")
    assert len(sample_report.coverage) == 5
    for c in sample_report.coverage:
        assert post[c.start : c.end] == c.text
        assert (c.state is CoverageState.OMITTED) == (not c.covered_by)


def test_subject_list_is_not_covered_and_ranks_first(sample_report: Report) -> None:
    subjects = _coverage(sample_report, "We discussed balancing Trade")
    # The article names fentanyl and TikTok in passing, never the list, and says no details were given.
    assert subjects.state is CoverageState.OMITTED
    assert "Trade" in subjects.left_out
    assert sample_report.omissions[0].text.startswith("We discussed balancing Trade")
    assert "Trade" in sample_report.omissions[0].rank_reason


def test_quoted_sentences_are_covered(sample_report: Report) -> None:
    for fragment in ("I just spoke to Chairman Xi", "It is my expectation", "President Xi and I will"):
        row = _coverage(sample_report, fragment)
        assert row.state is CoverageState.COVERED
        assert row.covered_by


def test_summary_shares(sample_report: Report) -> None:
    summary = sample_report.summary()["sources"]["truth-social-post"]
    assert 0.0 < summary["covered_share"] < 1.0
    assert summary["outlet_sentences_backed"] == sum(
        1 for s in sample_report.sentences if s.verdict is not Verdict.UNSUPPORTED
    )


def test_one_sided_mutual_claim_is_flagged(two_report: Report) -> None:
    mutual = next(s for s in two_report.sentences if s.text.startswith("Both leaders agreed"))
    assert mutual.supported_by == ("White House",)
    assert any("mutual" in note and "White House" in note for note in mutual.notes)


def test_dropped_qualifier_is_flagged(two_report: Report) -> None:
    imports = next(s for s in two_report.sentences if "agricultural" in s.text)
    assert imports.supported_by == ("MFA",)
    assert [q.text for q in imports.dropped_qualifiers] == ["on the basis of mutual respect and equal treatment"]
    mfa = (TWO / "mfa.txt").read_text(encoding="utf-8")
    q = imports.dropped_qualifiers[0]
    assert mfa[q.start : q.end] == q.text


def test_each_sentence_lists_its_sources(two_report: Report) -> None:
    first = two_report.sentences[0]
    assert set(first.supported_by) == {"White House", "MFA"}
    assert two_report.sentences[-1].supported_by == ()  # the analysts' view rests on no source
    shares = two_report.summary()["sources"]
    assert shares["White House"]["outlet_sentences_backed"] >= 2 and shares["MFA"]["outlet_sentences_backed"] >= 2


def test_omissions_ranked_by_salience(two_report: Report) -> None:
    order = [o.text for o in two_report.omissions]
    red_line = next(i for i, t in enumerate(order) if "red line" in t)
    pleasantry = next(i for i, t in enumerate(order) if "open lines of communication" in t)
    assert red_line < pleasantry
    assert all(o.rank_reason for o in two_report.omissions)
    assert all(o.state is not CoverageState.COVERED for o in two_report.omissions)


@pytest.mark.parametrize(
    ("outlet", "flagged"),
    [
        ("China will expand imports of farm goods.", ["if the tariffs are lifted"]),
        ("China will expand imports of farm goods if the tariffs are lifted.", []),
    ],
)
def test_dropped_qualifier_table(outlet: str, flagged: list[str]) -> None:
    text = "China will expand imports of farm goods if the tariffs are lifted."
    source = SourceText("MFA", text, segment(text).sentences)
    assert [q.text for q in dropped_qualifiers(outlet, [(source, 0)])] == flagged


@pytest.mark.parametrize(
    ("sentence", "cue"),
    [
        ("Both leaders agreed to meet again.", "Both leaders"),
        ("The two sides pledged to cooperate.", "The two sides"),
        ("Biden said he would call again.", None),
    ],
)
def test_mutual_claim(sentence: str, cue: str | None) -> None:
    assert mutual_claim(sentence) == cue


def test_rank_prefers_numbers_and_commitments() -> None:
    text = "It was a pleasant call. The United States will send 300 tonnes of aid."
    source = SourceText("WH", text, segment(text).sentences)
    rows = [
        SourceCoverage("WH", k, s.text, s.start, s.end, CoverageState.OMITTED, (), 0.1, 0.0)
        for k, s in enumerate(source.sentences)
    ]
    ranked = rank_omissions(rows, [source], {})
    assert ranked[0].text.startswith("The United States will send 300")
    assert "number" in ranked[0].rank_reason and "commitment" in ranked[0].rank_reason
