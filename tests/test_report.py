"""The report's dataclasses: what renderers read off them."""

from __future__ import annotations

import pytest

from reconcile.report import Evidence


@pytest.mark.parametrize(
    ("index", "last_index", "numbers"),
    [(0, 0, "#1"), (1, 2, "#2-3"), (4, 4, "#5"), (9, 11, "#10-12")],
)
def test_evidence_label_numbers_sentences_from_one(index: int, last_index: int, numbers: str) -> None:
    e = Evidence("Truth Social", index, last_index, "text", 0, 4, 0.5)
    assert (e.sentence_numbers, e.label) == (numbers, f"Truth Social {numbers}")


def test_evidence_label_is_not_in_its_json() -> None:
    assert "label" not in Evidence("post", 0, 0, "text", 0, 4, 0.5).to_dict()
