"""The embedding model's two backends side by side: encoding speed, peak memory and how far their vectors differ.

The texts are what a comparison of 3,000 quotations encodes (each outlet sentence and each quotation) and the
bundled sample's sentences. Each backend runs in a fresh process (its peak memory its own), the model loaded
and warmed before the clock starts, no embedding cache; the runs alternate, and the median is printed.

    PYTHONPATH=. .venv/bin/python benchmarks/embed_backends.py [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from scaling import in_fresh_process, quotations  # benchmarks/ is on sys.path when run

ROOT = Path(__file__).resolve().parents[1]


def texts() -> list[str]:
    from reconcile.checks.quotes import extract_quotes
    from reconcile.segment import segment

    outlet = quotations(3000)
    sample = (ROOT / "samples" / "xi-trump-call-2025-01-17" / "outlet-article.txt").read_text(encoding="utf-8")
    sentences = [s.text for text in (outlet, sample) for s in segment(text).sentences]
    return list(dict.fromkeys([*sentences, *(q.text for q in extract_quotes(outlet))]))


def run_one(backend: str, out: Path) -> dict[str, float]:
    import numpy as np

    from reconcile.embed import SentenceTransformerEmbedder

    embedder = SentenceTransformerEmbedder(backend=backend)
    embedder.encode(["warm up the model"])
    batch = texts()
    start = time.perf_counter()
    vectors = embedder.encode(batch)
    seconds = time.perf_counter() - start
    np.save(out, vectors)
    tokens = sum(len(t) + 2 for t in embedder.token_embeddings(batch))  # [CLS] and [SEP] too
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "texts": len(batch), "tokens": tokens, "peak_mb": peak_mb}


def measure(backend: str, scratch: Path) -> dict[str, float]:
    """run_one in a fresh process."""
    return in_fresh_process(__file__, ["--one", backend, str(scratch / f"{backend}.npy")], ROOT)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--one", nargs=2, metavar=("BACKEND", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one[0], Path(args.one[1]))))
        return
    import numpy as np

    runs: dict[str, list[dict[str, float]]] = {"torch": [], "onnx": []}
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        for _ in range(args.runs):
            for backend in runs:
                runs[backend].append(measure(backend, scratch))
        torch_vectors, onnx_vectors = np.load(scratch / "torch.npy"), np.load(scratch / "onnx.npy")
    print(f"{runs['torch'][0]['texts']:,.0f} texts, {runs['torch'][0]['tokens']:,.0f} tokens; median of {args.runs}")
    print("backend  seconds  texts/s  tokens/s  peak MB")
    for backend, figures in runs.items():
        seconds = statistics.median(f["seconds"] for f in figures)
        peak = statistics.median(f["peak_mb"] for f in figures)
        texts_per_s, tokens_per_s = figures[0]["texts"] / seconds, figures[0]["tokens"] / seconds
        print(f"{backend:<7} {seconds:8.2f} {texts_per_s:8.0f} {tokens_per_s:9.0f} {peak:8.0f}")
    cosines = (torch_vectors * onnx_vectors).sum(axis=1)
    print(
        f"vectors, onnx against torch: largest difference {np.abs(torch_vectors - onnx_vectors).max():.1e}, "
        f"cosine min {cosines.min():.7f}"
    )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
