"""How a comparison's cost grows with its input: time and peak memory per size, each size doubled.

Two series, each size in a fresh process (so its peak memory is its own), the model loaded before
the clock starts and no embedding cache (every sentence is encoded):

- an outlet of 1,000 to 32,000 distinct sentences against a readout of twenty;
- an outlet that is one line of words without punctuation, 64 KB to 2 MB (one sentence, judged
  whole: the model reads it in pieces of its own window and the checks read all of it).

A ratio near 2 from one size to the next is linear growth.

    PYTHONPATH=. .venv/bin/python benchmarks/scaling.py [--max-sentences 32000] [--max-kb 2048]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = (
    "the talks between two leaders covered trade fentanyl tariffs farm goods energy chips students "
    "visas climate security ports shipping investment and the future of relations across many areas"
).split()
READOUT = " ".join(
    f"The two sides discussed {a} and {b} and agreed to keep in touch about {c}."
    for a, b, c in zip(WORDS[::3], WORDS[1::3], WORDS[2::3], strict=False)
)


def outlet_sentences(n: int) -> str:
    """n distinct sentences, a few to a line (each differs in its words and its number)."""
    rng = random.Random(n)
    lines = []
    for i in range(n):
        words = rng.sample(WORDS, 6)
        lines.append(f"Officials said {words[0]} and {words[1]} came up {i + 2} times in talks on {words[2]}.")
    return "\n".join(" ".join(lines[k : k + 4]) for k in range(0, n, 4)) + "\n"


def one_line(kb: int) -> str:
    """About kb KB of words with no punctuation at all: one sentence."""
    rng = random.Random(kb)
    out: list[str] = []
    size = 0
    while size < kb * 1024:
        word = rng.choice(WORDS)
        out.append(word)
        size += len(word) + 1
    return " ".join(out)


def run_one(kind: str, size: int) -> dict[str, float]:
    """Compare one input in this process: seconds of the comparison (model loaded first) and peak MB."""
    from reconcile.compare import compare
    from reconcile.documents import document_from_text
    from reconcile.embed import SentenceTransformerEmbedder
    from reconcile.resources import Resources

    text = outlet_sentences(size) if kind == "sentences" else one_line(size)
    embedder = SentenceTransformerEmbedder()
    embedder.encode(["warm up the model"])
    resources = Resources.load()
    outlet = document_from_text(text, name="outlet")
    source = document_from_text(READOUT, name="readout")
    start = time.perf_counter()
    report = compare(outlet, [source], embedder=embedder, resources=resources)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "peak_mb": peak_mb, "sentences": len(report.sentences), "chars": len(text)}


def series(kind: str, sizes: list[int], unit: str) -> None:
    print(f"\n{kind}: size, seconds (comparison only), x previous, peak MB, outlet sentences", flush=True)
    previous = None
    for size in sizes:
        with tempfile.TemporaryDirectory() as scratch:
            done = subprocess.run(
                [sys.executable, __file__, "--one", kind, str(size)],
                capture_output=True,
                text=True,
                check=True,
                cwd=scratch,
            )
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        ratio = f"x{figures['seconds'] / previous:.2f}" if previous else "   -"
        previous = figures["seconds"]
        print(
            f"  {size:>6,} {unit:<9} {figures['seconds']:8.1f} s  {ratio:>6}  {figures['peak_mb']:7.0f} MB"
            f"  {figures['sentences']:>6,}",
            flush=True,
        )


def doubling(start: int, stop: int) -> list[int]:
    sizes = [start]
    while sizes[-1] * 2 <= stop:
        sizes.append(sizes[-1] * 2)
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-sentences", type=int, default=32000)
    parser.add_argument("--max-kb", type=int, default=2048)
    parser.add_argument("--one", nargs=2, metavar=("KIND", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one[0], int(args.one[1]))))
        return
    series("sentences", doubling(1000, args.max_sentences), "sentences")
    series("one line", doubling(64, args.max_kb), "KB")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    main()
