"""Encoding speed and fidelity of bf16 autocast against fp32, on real news sentences.

    .venv/bin/python benchmarks/precision.py [--sentences 1000]

Prints sentences/s for each precision and the cosine between each sentence's fp32 and bf16 vectors
(mean and minimum). fp32 stays the default; bf16 is `--precision bf16`.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from reconcile.embed import SentenceTransformerEmbedder
from reconcile.segment import segment

EVAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "qags-cnndm.jsonl"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=1000)
    args = parser.parse_args()
    texts: list[str] = []
    for line in EVAL.read_text(encoding="utf-8").splitlines():
        for source in json.loads(line)["sources"]:
            texts.extend(s.text for s in segment(source["text"]).sentences)
    texts = list(dict.fromkeys(texts))[: args.sentences]
    vectors = {}
    for precision in ("fp32", "bf16"):
        embedder = SentenceTransformerEmbedder(precision=precision)
        embedder.encode(["warm up the model"])
        started = time.perf_counter()
        vectors[precision] = embedder.encode(texts)
        seconds = time.perf_counter() - started
        print(f"{precision}: {len(texts)} sentences in {seconds:.1f} s = {len(texts) / seconds:.0f}/s")
    cosine = np.sum(vectors["fp32"] * vectors["bf16"], axis=1)
    print(f"fidelity (cosine fp32 vs bf16): mean {cosine.mean():.5f}, min {cosine.min():.5f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
