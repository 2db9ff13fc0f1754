"""Reworded sentences with the real model: synonyms back words, additions and swapped values do not."""

from __future__ import annotations

from dataclasses import replace

import pytest

from reconcile.compare import compare
from reconcile.documents import document_from_text
from reconcile.embed import Embedder
from reconcile.features import Features
from reconcile.report import SentenceResult, Verdict
from reconcile.score import restatement_score
from reconcile.settings import Settings

pytestmark = pytest.mark.model

SOURCE = (
    "Police arrested the former mayor of Lyon on Tuesday on corruption charges. "
    "The city council said it would cooperate with the investigation. "
    "Prosecutors accused him of taking bribes from construction firms."
)


def judge(claim: str, embedder: Embedder, prefix: str = "") -> SentenceResult:
    report = compare(
        document_from_text(prefix + claim, name="outlet"),
        [document_from_text(SOURCE, name="police")],
        embedder=embedder,
    )
    return report.sentences[-1]


def test_a_synonym_is_backed_and_named_in_the_reason(embedder: Embedder) -> None:
    s = judge("Police apprehended the former mayor of Lyon on Tuesday on corruption charges.", embedder)
    assert s.verdict is Verdict.SUPPORTED, s.reason
    assert not s.unsupported_spans
    assert 'in other words: "apprehended" for "arrested"' in s.reason


def test_paraphrases_are_listed_with_outlet_offsets(embedder: Embedder) -> None:
    prefix = "The council met on Monday. "
    claim = "Police apprehended the former mayor of Lyon on Tuesday on corruption charges."
    s = judge(claim, embedder, prefix=prefix)
    found = [p.to_dict() for p in s.paraphrases]
    start = len(prefix) + claim.index("apprehended")
    assert found == [
        {"outlet_text": "apprehended", "outlet_start": start, "outlet_end": start + 11, "source_text": "arrested"}
    ]


def test_an_added_detail_keeps_a_reworded_sentence_partial(embedder: Embedder) -> None:
    s = judge("Police apprehended the former mayor of Lyon on Tuesday on corruption charges at his home.", embedder)
    assert s.verdict is Verdict.PARTIAL, s.reason
    assert [span.text for span in s.unsupported_spans] == ["home"]


@pytest.mark.parametrize(
    ("claim", "verdicts"),
    [
        # another city in the slot of Lyon: a typed entity finding
        ("Police apprehended the former mayor of Marseille on Tuesday on corruption charges.", {Verdict.CONTRADICTED}),
        # another charge: not backed, so not supported
        ("Police apprehended the former mayor of Lyon on Tuesday on murder charges.", {Verdict.PARTIAL}),
        ("The city council said it would refuse to cooperate with the investigation.", {Verdict.CONTRADICTED}),
    ],
)
def test_a_changed_value_in_a_reworded_sentence_is_not_supported(
    embedder: Embedder, claim: str, verdicts: set[Verdict]
) -> None:
    s = judge(claim, embedder)
    assert s.verdict in verdicts, s.reason


def test_restatement_score_needs_every_condition() -> None:
    settings = Settings()
    good = Features(
        semantic=0.9,
        lexical=0.5,
        coverage=0.95,
        best_window_coverage=0.95,
        pair_coverage=0.5,
        in_order=0.5,
        fragment_density=0.2,
        missing_names=0.0,
        novelty=0.0,
    )
    score = restatement_score(good, 0, settings)
    assert score is not None and settings.supported_threshold <= score <= 1.0
    assert restatement_score(replace(good, semantic=0.79), 0, settings) is None
    assert restatement_score(replace(good, best_window_coverage=0.85), 0, settings) is None
    assert restatement_score(replace(good, missing_names=1.0), 0, settings) is None
    assert restatement_score(good, 1, settings) is None  # an added word is no rewording
    # The score grows with the smaller of the two margins over the thresholds.
    better = restatement_score(replace(good, semantic=0.95, best_window_coverage=1.0), 0, settings)
    assert better is not None and better > score
