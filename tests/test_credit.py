"""Whom a sentence credits (checks/credit.py): the credit says who speaks, not what was said (issue 26, class 1)."""

from __future__ import annotations

import pytest

from reconcile.checks.credit import credit_spans
from reconcile.compare import compare
from reconcile.documents import document_from_text
from reconcile.report import Verdict

from .conftest import FakeEmbedder

SPANS = [
    ("The talks also touched on energy, the chancellor told reporters.", ["the chancellor told reporters"]),
    ("According to the Ministry of Foreign Affairs, the two sides agreed.",
     ["According to the Ministry of Foreign Affairs"]),
    ("Halvorsen wrote on Nordic Post that the meeting went well.", ["Halvorsen wrote on Nordic Post"]),
    ("Dunmore told Keane that the harbour would reopen.", ["Dunmore told"]),
    ("The ministry said in a statement that trade grew.", ["The ministry said in a statement"]),
    ('"We agreed on the terms," said Chancellor Okafor.', ["said Chancellor Okafor."]),
    # no credit: a meeting, a plain claim
    ("Dunmore spoke with Keane on Tuesday.", []),
    ("The two leaders met for 90 minutes in Oslo.", []),
]  # fmt: skip


@pytest.mark.parametrize(("sentence", "credits"), SPANS, ids=[s for s, _ in SPANS])
def test_credit_spans(sentence: str, credits: list[str]) -> None:
    assert [sentence[a:b].strip() for a, b in credit_spans(sentence)] == credits


CREDITED = [
    # (outlet, source): the name or title in the credit is not compared with the evidence's names
    ("The talks also touched on energy, the chancellor told reporters.",
     "President Lindqvist said the talks also touched on energy."),
    ("The harbour will reopen in June, according to Governor Brandt.",
     "The harbour will reopen in June, under a plan by Mayor Osei."),
]  # fmt: skip


@pytest.mark.parametrize(("outlet", "source"), CREDITED, ids=[o for o, _ in CREDITED])
def test_the_credit_is_not_the_content(fake_embedder: FakeEmbedder, outlet: str, source: str) -> None:
    report = compare(
        document_from_text(outlet, name="outlet"), [document_from_text(source, name="readout")], embedder=fake_embedder
    )
    sentence = report.sentences[0]
    compared = [f for f in sentence.contradictions if f.source_text]
    assert not compared, sentence.reason
    assert sentence.verdict is not Verdict.CONTRADICTED


def test_a_credit_is_compared_with_a_credit(fake_embedder: FakeEmbedder) -> None:
    # Both sentences say who said it: the two credits are the same slot, and differ.
    report = compare(
        document_from_text("Mayor Osei said the harbour will reopen in June.", name="outlet"),
        [document_from_text("Governor Brandt said the harbour will reopen in June.", name="readout")],
        embedder=fake_embedder,
    )
    assert report.sentences[0].contradictions, report.sentences[0].reason
