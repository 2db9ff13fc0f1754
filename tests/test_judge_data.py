"""The judge's training-data picker (benchmarks/judge_data.py): whole documents, seeded, a limit per split."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from judge_data import pick_cases  # noqa: E402 - a benchmark script, importable once its folder is on the path


def _cases() -> list[dict[str, Any]]:
    cases = []
    for doc in range(6):
        for claim in range(3):
            split = "dev" if doc % 3 == 0 else "train"
            cases.append({"id": f"{doc}-{claim}", "split": split, "sources": [{"text": f"document {doc}"}]})
    return cases


def test_without_a_limit_every_case_is_kept_grouped_by_document() -> None:
    groups = pick_cases(_cases(), None, seed=1)
    assert [len(g) for g in groups] == [3] * 6
    assert all(len({tuple(s["text"] for s in c["sources"]) for c in g}) == 1 for g in groups)


def test_a_limit_holds_per_split_and_the_order_is_seeded() -> None:
    groups = pick_cases(_cases(), 4, seed=7)
    taken: dict[str, int] = {}
    for group in groups:
        taken[group[0]["split"]] = taken.get(group[0]["split"], 0) + len(group)
    assert taken == {"train": 4, "dev": 4}
    assert pick_cases(_cases(), 4, seed=7) == groups  # the same seed, the same cases
    assert any(pick_cases(_cases(), 4, seed=s) != groups for s in range(8))
