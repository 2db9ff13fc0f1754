"""The report's dataclasses: what renderers read off them."""

from __future__ import annotations

import pytest

from reconcile.report import Evidence


@pytest.mark.parametrize(
    ("index", "last_index", "numbers"),
    [(0, 0, "sentence 1"), (1, 2, "sentences 2-3"), (4, 4, "sentence 5"), (9, 11, "sentences 10-12")],
)
def test_evidence_label_numbers_sentences_from_one(index: int, last_index: int, numbers: str) -> None:
    e = Evidence("Truth Social", index, last_index, "text", 0, 4, 0.5)
    assert (e.sentence_numbers, e.label) == (numbers, f"Truth Social {numbers}")


@pytest.mark.parametrize(
    ("score", "words"),
    [
        (0.93, "close match, 0.93"),
        (0.8, "close match, 0.80"),
        (0.61, "similar, 0.61"),
        (0.45, "related, 0.45"),
        (0.1, "distant, 0.10"),
    ],
)
def test_evidence_match_says_the_similarity_in_words(score: float, words: str) -> None:
    assert Evidence("post", 0, 0, "text", 0, 4, score).match == words


def test_evidence_label_is_not_in_its_json() -> None:
    assert "label" not in Evidence("post", 0, 0, "text", 0, 4, 0.5).to_dict()
