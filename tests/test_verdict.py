"""Verdict plumbing with a fake embedder: evidence selection, spans, typed contradictions, offsets."""

from __future__ import annotations

import pytest

from reconcile.compare import compare
from reconcile.documents import document_from_text
from reconcile.errors import UsageError
from reconcile.report import Report, Verdict

from .conftest import FakeEmbedder, compare_texts

SOURCE = (
    "The ministry said 20 people were injured in the blast on Monday. "
    "Officials did not confirm the cause. "
    "Rescue teams from three provinces arrived within hours."
)


def judge(claim: str, fake_embedder: FakeEmbedder, source: str = SOURCE) -> Report:
    return compare_texts(claim, ("ministry", source), embedder=fake_embedder, outlet_name="outlet")


def test_verbatim_sentence_is_supported(fake_embedder: FakeEmbedder) -> None:
    s = judge("Officials did not confirm the cause.", fake_embedder).sentences[0]
    assert s.verdict is Verdict.SUPPORTED and not s.unsupported_spans
    assert s.evidence[0].source == "ministry" and s.evidence[0].text == "Officials did not confirm the cause."


def test_changed_number_is_contradicted(fake_embedder: FakeEmbedder) -> None:
    s = judge("The ministry said 50 people were injured in the blast on Monday.", fake_embedder).sentences[0]
    assert s.verdict is Verdict.CONTRADICTED
    assert s.contradictions[0].type == "number"
    assert (s.contradictions[0].outlet_text, s.contradictions[0].source_text) == ("50", "20")
    assert s.reason == 'number: says "50" where ministry says "20"'


def test_same_number_in_words_is_not_contradicted(fake_embedder: FakeEmbedder) -> None:
    s = judge("Rescue teams from 3 provinces arrived within hours.", fake_embedder).sentences[0]
    assert s.verdict is Verdict.SUPPORTED


def test_flipped_negation_is_contradicted(fake_embedder: FakeEmbedder) -> None:
    source = "Officials did not confirm the cause."
    s = judge("Officials confirmed the cause.", fake_embedder, source=source).sentences[0]
    assert s.verdict is Verdict.CONTRADICTED and s.contradictions[0].type == "negation"


def test_additions_are_spans_with_outlet_offsets(fake_embedder: FakeEmbedder) -> None:
    claim = "Intro line here. The ministry said 20 people were injured in the deadly blast on Monday in Lyon."
    report = judge(claim, fake_embedder)
    s = report.sentences[1]
    assert s.verdict in (Verdict.PARTIAL, Verdict.SUPPORTED)
    added = {sp.text for sp in s.unsupported_spans}
    assert "deadly" in added and "Lyon" in added
    for sp in s.unsupported_spans:
        assert claim[sp.start : sp.end] == sp.text


def test_unrelated_sentence_is_unsupported(fake_embedder: FakeEmbedder) -> None:
    s = judge("Stock markets rallied sharply as investors cheered the bank.", fake_embedder).sentences[0]
    assert s.verdict is Verdict.UNSUPPORTED and s.score < 0.5


def test_each_distinct_sentence_encoded_once(fake_embedder: FakeEmbedder) -> None:
    claim = "Officials did not confirm the cause. Officials did not confirm the cause."
    judge(claim, fake_embedder)
    encoded = [t for call in fake_embedder.calls for t in call]
    assert len(encoded) == len(set(encoded))


def test_duplicate_source_names_refused(fake_embedder: FakeEmbedder) -> None:
    with pytest.raises(UsageError, match="named"):
        compare(
            document_from_text("A claim.", name="o"),
            [document_from_text(SOURCE, name="m"), document_from_text(SOURCE, name="m")],
            embedder=fake_embedder,
        )


def test_many_sentences_processed_whole(fake_embedder: FakeEmbedder) -> None:
    source = " ".join(f"Report {i} says the committee met on day {i}." for i in range(1500))
    claim = " ".join(f"The committee met on day {i}." for i in range(0, 1500, 3))
    report = judge(claim, fake_embedder, source=source)
    assert len(report.sentences) == 500
    assert report.sources[0].sentences == 1500


# The verdict rule (issue 26, class 5): `contradicted` is kept for another number, date or count in the
# same slot and for the same statement denied; a name, title, role or certainty the sources give
# otherwise leaves the sentence `unsupported`, with the finding to check.
RULE = [
    # (claim, source, verdict, finding type or "")
    ("The talks lasted 40 minutes on Monday.", "The talks lasted 90 minutes on Monday.",
     Verdict.CONTRADICTED, "number"),
    ("The talks were held on 12 March in Geneva.", "The talks were held on 14 March in Geneva.",
     Verdict.CONTRADICTED, "date"),
    ("Officials did not confirm the cause of the fire.", "Officials confirmed the cause of the fire.",
     Verdict.CONTRADICTED, "negation"),
    ("Vice President Alvarez met the delegation on Monday.", "Foreign Minister Alvarez met the delegation on Monday.",
     Verdict.UNSUPPORTED, "entity"),
    ("Kessler congratulated Moreau on the election win.", "Moreau congratulated Kessler on the election win.",
     Verdict.UNSUPPORTED, "role"),
    ("The two sides agreed on a ceasefire in the north.", "The two sides discussed a ceasefire in the north.",
     Verdict.UNSUPPORTED, "modality"),
]  # fmt: skip


@pytest.mark.parametrize(("claim", "source", "verdict", "kind"), RULE, ids=[r[0][:40] for r in RULE])
def test_only_a_value_or_a_denial_contradicts(
    fake_embedder: FakeEmbedder, claim: str, source: str, verdict: Verdict, kind: str
) -> None:
    s = judge(claim, fake_embedder, source=source).sentences[0]
    assert s.verdict is verdict, s.reason
    assert [f.type.value for f in s.contradictions][:1] == [kind]
    if verdict is Verdict.UNSUPPORTED:
        assert s.score < 0.5 and "to verify" in s.reason


def test_an_opposite_in_another_statement_is_no_contradiction(fake_embedder: FakeEmbedder) -> None:
    source = "The ministry agreed to open the border. Trade between the two countries fell last year."
    s = judge("The government moved to lift the ban that closed the border.", fake_embedder, source=source)
    assert s.sentences[0].verdict is not Verdict.CONTRADICTED, s.sentences[0].reason


@pytest.mark.parametrize("fragment", ["Officials.", "The cause.", "Within hours."])
def test_a_fragment_is_never_supported(fake_embedder: FakeEmbedder, fragment: str) -> None:
    s = judge(fragment, fake_embedder).sentences[0]
    assert s.verdict is not Verdict.SUPPORTED, s.reason


def test_a_dropped_hearsay_hedge_is_noted(fake_embedder: FakeEmbedder) -> None:
    source = "The minister reportedly took bribes from the contractor."
    s = judge("The minister took bribes from the contractor.", fake_embedder, source=source).sentences[0]
    assert [q.text for q in s.dropped_qualifiers] == ["reportedly"]
    assert not [f for f in s.contradictions if f.type == "modality"]
