"""What the support judge costs per 1,000 outlet sentences, beyond the encoding the alignment already did.

Runs qags-cnndm cases (../shared/eval; each claim against its article) through the product's stages
up to the features with the packaged model, then times what the judge adds on exactly the product's
path: `score.judge_rows` (the evidence sentences it reads, their tokens against the claim's in one
product per comparison, the 17 inputs) and `Judge.probability` (numpy: the ensemble and the copy
model). The texts' vectors and tokens are in memory by then, as they are in a comparison after the
alignment's pass. Each comparison here has one or a few sentences, so the forward pass's per-call
overhead dominates its figure; an article's many sentences share one call.

    .venv/bin/python benchmarks/judge_cost.py [--cases 300]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from reconcile.align import SourceText, align
from reconcile.embed import SentenceTransformerEmbedder
from reconcile.evidence import choose_evidence
from reconcile.features import measure
from reconcile.judge import Judge as SupportModel
from reconcile.memo import memo_scope
from reconcile.resources import Resources
from reconcile.score import judge_rows
from reconcile.segment import segment
from reconcile.settings import Settings

EVAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "qags-cnndm.jsonl"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=300)
    args = parser.parse_args()
    cases = [json.loads(line) for line in EVAL.read_text(encoding="utf-8").splitlines() if line.strip()]
    settings, resources, embedder = Settings(), Resources.load(), SentenceTransformerEmbedder()
    judge = SupportModel.load()  # the support judge's model: its forward pass is what is timed
    rows_seconds = forward_seconds = 0.0
    sentences = 0
    from threadpoolctl import threadpool_limits

    for case in cases[: args.cases]:
        # One BLAS thread, as compare() runs a comparison.
        with memo_scope(), threadpool_limits(limits=1, user_api="blas"):
            text = case["sources"][0]["text"]
            sources = [SourceText("article", text, segment(text).sentences)]
            claims = [s.text for s in segment(case["claim"]).sentences] or [case["claim"]]
            candidates = align(claims, sources, embedder, top_k=settings.top_k, window=settings.window)
            evidence = [
                choose_evidence(c, k, sources, settings, resources) for c, k in zip(claims, candidates, strict=True)
            ]
            features = measure(evidence, sources, embedder)
            started = time.perf_counter()
            rows = judge_rows(evidence, features, sources, embedder)
            rows_seconds += time.perf_counter() - started
            started = time.perf_counter()
            judge.probability(rows)
            forward_seconds += time.perf_counter() - started
            sentences += len(claims)
    scale = 1000 / sentences
    print(f"{min(args.cases, len(cases))} comparisons, {sentences} outlet sentences")
    print(f"judge inputs (judge_rows): {rows_seconds * scale * 1000:.0f} ms per 1,000 sentences")
    print(f"judge forward:             {forward_seconds * scale * 1000:.1f} ms per 1,000 sentences")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
