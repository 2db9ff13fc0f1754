"""What the support judge costs per 1,000 outlet sentences, beyond the encoding the alignment already did.

Times, on real token embeddings (the packaged model on sentences of ../shared/eval/qags-cnndm.jsonl):
the token statistics of each claim sentence against its evidence sentences (one product per claim
here; the product makes one per comparison), and the judge's forward pass (numpy, the ensemble and
the copy model). On a run without an embedding cache the token
embeddings come from the alignment's own pass, so this is all the judge adds; on a run with the
cache they are read from it.

    .venv/bin/python benchmarks/judge_cost.py [--claims 1000] [--evidence 6]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from reconcile.embed import SentenceTransformerEmbedder
from reconcile.judge import INPUT_NAMES, Judge, token_statistics, unit_rows
from reconcile.segment import segment

EVAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "qags-cnndm.jsonl"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=1000)
    parser.add_argument(
        "--evidence", type=int, default=6, help="evidence sentences per claim (the most the judge reads)"
    )
    args = parser.parse_args()
    sentences: list[str] = []
    for line in EVAL.read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        sentences.extend(s.text for s in segment(case["sources"][0]["text"]).sentences)
        if len(sentences) >= 400:
            break
    embedder = SentenceTransformerEmbedder()
    embedder.encode(sentences)
    tokens = [unit_rows(t) for t in embedder.token_embeddings(sentences)]  # once per text, as score.py does
    rng = np.random.default_rng(0)
    pairs = [
        (
            tokens[int(rng.integers(len(tokens)))],
            np.concatenate([tokens[int(k)] for k in rng.integers(0, len(tokens), args.evidence)]),
        )
        for _ in range(args.claims)
    ]
    started = time.perf_counter()
    stats = [token_statistics(claim, evidence, unit=True) for claim, evidence in pairs]
    token_seconds = time.perf_counter() - started
    judge = Judge.load()
    rows = rng.random((args.claims, len(INPUT_NAMES))).astype(np.float32)
    rows[:, -len(stats[0]) :] = np.asarray(stats, dtype=np.float32)
    started = time.perf_counter()
    judge.probability(rows)
    forward_seconds = time.perf_counter() - started
    scale = 1000 / args.claims
    mean_tokens = np.mean([len(c) for c, _ in pairs]), np.mean([len(e) for _, e in pairs])
    print(f"{args.claims} claims, {mean_tokens[0]:.0f} claim tokens x {mean_tokens[1]:.0f} evidence tokens on average")
    print(f"token statistics: {token_seconds * scale * 1000:.0f} ms per 1,000 claims")
    print(f"judge forward:    {forward_seconds * scale * 1000:.1f} ms per 1,000 claims")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
