"""The real model on the bundled sample, against its hand-made labels."""

from __future__ import annotations

import pytest
import yaml

from reconcile.checks.quotes import QuoteStatus
from reconcile.compare import compare
from reconcile.documents import read_document
from reconcile.embed import Embedder
from reconcile.report import Report, SentenceResult, Verdict
from reconcile.resources import Resources

from .conftest import SAMPLE, SAMPLE_OUTLET, SAMPLE_POST

LABELS = yaml.safe_load((SAMPLE / "labels.yaml").read_text(encoding="utf-8"))


@pytest.fixture
def report(sample_report: Report) -> Report:
    return sample_report


def _find(report: Report, fragment: str) -> SentenceResult:
    matches = [s for s in report.sentences if fragment in s.text]
    assert len(matches) == 1, f"fragment {fragment!r} matches {len(matches)} sentences"
    return matches[0]


@pytest.fixture(scope="module")
def unspoken_report(embedder: Embedder, resources: Resources) -> Report:
    """The sample as the README's first example compares it: the post with no speaker given."""
    return compare(
        read_document(SAMPLE_OUTLET),
        [read_document(SAMPLE_POST)],
        embedder=embedder,
        resources=resources,
    )


def test_labelled_verdicts_without_a_speaker(unspoken_report: Report) -> None:
    # Who speaks in the post is not given: attribution is not checked, so no quote is misattributed
    # and the credited name ("Trump wrote") is no name "in no source".
    test_labelled_verdicts(unspoken_report)
    assert not [q for q in unspoken_report.quotes if q.status is QuoteStatus.MISATTRIBUTED]
    credited = [q for q in unspoken_report.quotes if q.attributed_to == "Trump" and q.source]
    assert credited and all("not checked: truth-social-post has no speaker" in q.reason for q in credited)
    assert not any(f.outlet_text == "Trump" for s in unspoken_report.sentences for f in s.contradictions)
    # How to give a speaker is said once, at the top, not on every quote; the speaker's names are no
    # "name in no source" either.
    hints = [w for w in unspoken_report.warnings if "SPEAKER: truth-social-post=PATH" in w]
    assert len(hints) == 1 and not any("--source" in q.reason for q in unspoken_report.quotes)
    assert not any(p.text in ("Donald", "Trump") for p in unspoken_report.problems if p.kind == "name in no source")


def test_labelled_verdicts(report: Report) -> None:
    wrong = []
    for label in LABELS["sentences"]:
        sentence = _find(report, label["fragment"])
        accepted = {label["verdict"], *label.get("also", [])}
        if sentence.verdict.value not in accepted:
            wrong.append((label["fragment"], label["verdict"], sentence.verdict.value, sentence.reason))
    assert len(wrong) <= 1, wrong


def test_no_editorial_sentence_is_supported(report: Report) -> None:
    for label in LABELS["sentences"]:
        if label["verdict"] == "unsupported":
            sentence = _find(report, label["fragment"])
            assert sentence.verdict is not Verdict.SUPPORTED, (label["fragment"], sentence.reason)


def test_first_sentence_additions_are_named(report: Report) -> None:
    first = report.sentences[0]
    assert first.verdict is Verdict.PARTIAL
    added = " ".join(s.text for s in first.unsupported_spans)
    assert "Friday" in added and "ongoing" in added
    # Backed words are not reported as additions.
    assert "TikTok" not in added and "fentanyl" not in added


def test_every_sentence_accounted_for_with_true_offsets(report: Report) -> None:
    text = (SAMPLE_OUTLET).read_text(encoding="utf-8")
    assert len(report.sentences) == 20
    assert [s.text for s in report.skipped] == ["Recommended"]
    for s in report.sentences:
        assert text[s.start : s.end] == s.text
        assert 0.0 <= s.score <= 1.0
        for span in s.unsupported_spans:
            assert text[span.start : span.end] == span.text
        for e in s.evidence:
            post = (SAMPLE_POST).read_text(encoding="utf-8")
            assert post[e.start : e.end] == e.text


def test_verbatim_quotes_are_supported(report: Report) -> None:
    for fragment in ("I just spoke to Chairman Xi Jinping of China", "make the World more peaceful and safe"):
        assert _find(report, fragment).verdict is Verdict.SUPPORTED
