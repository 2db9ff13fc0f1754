"""Reworded sentences with the real model: synonyms back words, additions and swapped values do not."""

from __future__ import annotations

import pytest

from reconcile.embed import Embedder
from reconcile.report import SentenceResult, Verdict
from tests.conftest import compare_texts

pytestmark = pytest.mark.model

SOURCE = (
    "Police arrested the former mayor of Lyon on Tuesday on corruption charges. "
    "The city council said it would cooperate with the investigation. "
    "Prosecutors accused him of taking bribes from construction firms."
)


def judge(claim: str, embedder: Embedder, prefix: str = "") -> SentenceResult:
    report = compare_texts(prefix + claim, ("police", SOURCE), embedder=embedder, outlet_name="outlet")
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


# Known limits of the judge (README, model card): a one-word addition or substitution inside an
# otherwise reworded copy, outside the typed slots, scores about 0.7 (the judge's token statistics
# barely tell "apprehended" for "arrested" from "murder" for "corruption"). Strict: fixing it shows.
JUDGE_MISSES_ONE_WORD = pytest.mark.xfail(
    strict=True, reason="known limit: the judge scores a one-word change outside the typed slots as supported"
)


def test_an_added_detail_is_named_as_an_unbacked_span(embedder: Embedder) -> None:
    s = judge("Police apprehended the former mayor of Lyon on Tuesday on corruption charges at his home.", embedder)
    assert [span.text for span in s.unsupported_spans] == ["home"]
    assert '"home"' in s.reason


@JUDGE_MISSES_ONE_WORD
def test_an_added_detail_keeps_a_reworded_sentence_partial(embedder: Embedder) -> None:
    s = judge("Police apprehended the former mayor of Lyon on Tuesday on corruption charges at his home.", embedder)
    assert s.verdict is Verdict.PARTIAL, s.reason


@pytest.mark.parametrize(
    ("claim", "verdicts"),
    [
        # another city in the slot of Lyon, one that no source names: a name to verify, so not supported
        ("Police apprehended the former mayor of Marseille on Tuesday on corruption charges.", {Verdict.PARTIAL}),
        # another charge: not backed, so not supported
        pytest.param(
            "Police apprehended the former mayor of Lyon on Tuesday on murder charges.",
            {Verdict.PARTIAL},
            marks=JUDGE_MISSES_ONE_WORD,
        ),
        ("The city council said it would refuse to cooperate with the investigation.", {Verdict.CONTRADICTED}),
    ],
)
def test_a_changed_value_in_a_reworded_sentence_is_not_supported(
    embedder: Embedder, claim: str, verdicts: set[Verdict]
) -> None:
    s = judge(claim, embedder)
    assert s.verdict in verdicts, s.reason
