"""How a comparison's cost grows with its input: time and peak memory per size, each size doubled.

Two series, each size in a fresh process (so its peak memory is its own), the model loaded before
the clock starts and no embedding cache (every sentence is encoded):

- an outlet of 1,000 to 32,000 distinct sentences against a readout of twenty;
- an outlet of twenty sentences and one line of words without punctuation, 64 KB to 2 MB (past
  segment.MAX_SENTENCE_WORDS words without a sentence end, a run is set aside as not a sentence and
  listed with the skipped lines, so what this measures is the reading, not the judging, of the line).

A ratio near 2 from one size to the next is linear growth.

``--hostile`` runs instead the five inputs of issue 27, once each: a source of numbers only (341 KB),
20,000 tiny sentences, a 900 KB and a 2 MB line without punctuation, 3,000 quotations (goal: under
20 s each below 1 MB, the 2 MB line under 60 s, peak memory under 1 GB).

    PYTHONPATH=. .venv/bin/python benchmarks/scaling.py [--max-sentences 32000] [--max-kb 2048]
    PYTHONPATH=. .venv/bin/python benchmarks/scaling.py --hostile [--backend torch]
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


def numbers_only(kb: int) -> str:
    """About kb KB of numbers (whole, decimal, with thousands separators) and nothing else."""
    rng = random.Random(kb)
    out: list[str] = []
    size = 0
    while size < kb * 1024:
        n = rng.choice([f"{rng.randint(0, 999)}", f"{rng.randint(1000, 999_999):,}", f"{rng.random() * 100:.1f}"])
        out.append(n)
        size += len(n) + 1
    return " ".join(out)


def tiny_sentences(n: int) -> str:
    """n sentences of one word each ("Yes. No. Right. ...")."""
    rng = random.Random(n)
    return " ".join(rng.choice(["Yes.", "No.", "Right.", "Agreed.", "Indeed.", "Fine."]) for _ in range(n))


def quotations(n: int) -> str:
    """n short quoted remarks, each credited to a speaker."""
    rng = random.Random(n)
    return " ".join(
        f'"We spoke about {rng.choice(WORDS)} and {rng.choice(WORDS)} {i} times," {rng.choice(["Xi", "Trump"])} said.'
        for i in range(n)
    )


# kind -> (the outlet's text, the source's text) for a size
_INPUTS = {
    "sentences": lambda size: (outlet_sentences(size), READOUT),
    # the hostile line in a text with prose around it, so that the comparison goes on to judge the prose
    "one line": lambda size: (f"{outlet_sentences(20)}\n{one_line(size)}\n", READOUT),
    "numbers": lambda size: (READOUT, f"{READOUT}\n{numbers_only(size)}\n"),  # the source is the hostile one
    "tiny": lambda size: (tiny_sentences(size), READOUT),
    "quotes": lambda size: (quotations(size), READOUT),
}
HOSTILE = [("numbers", 341, "KB"), ("tiny", 20_000, "sentences"), ("one line", 900, "KB"), ("one line", 2048, "KB"),
           ("quotes", 3000, "quotations")]  # fmt: skip


def run_one(kind: str, size: int, backend: str = "auto") -> dict[str, float]:
    """Compare one input in this process: seconds of the comparison (model loaded first) and peak MB."""
    from reconcile.compare import compare
    from reconcile.documents import document_from_text
    from reconcile.embed import SentenceTransformerEmbedder
    from reconcile.resources import Resources

    outlet_text, source_text = _INPUTS[kind](size)
    text = outlet_text if len(outlet_text) >= len(source_text) else source_text
    embedder = SentenceTransformerEmbedder(backend=backend)
    embedder.encode(["warm up the model"])
    resources = Resources.load()
    outlet = document_from_text(outlet_text, name="outlet")
    source = document_from_text(source_text, name="readout")
    start = time.perf_counter()
    report = compare(outlet, [source], embedder=embedder, resources=resources)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "peak_mb": peak_mb, "sentences": len(report.sentences), "chars": len(text)}


def in_fresh_process(script: str, args: list[str], cwd: str | Path) -> dict[str, float]:
    """Run a benchmark script's one measurement in a fresh process (its peak memory its own): the figures it
    prints as JSON on its last line."""
    done = subprocess.run([sys.executable, script, *args], capture_output=True, text=True, check=True, cwd=cwd)
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def measure(kind: str, size: int, backend: str) -> dict[str, float]:
    """run_one in a fresh process."""
    with tempfile.TemporaryDirectory() as scratch:
        return in_fresh_process(__file__, ["--one", kind, str(size), "--backend", backend], scratch)


def hostile(backend: str) -> None:
    print(f"\nissue 27's inputs ({backend}): input, seconds (comparison only), peak MB, outlet sentences", flush=True)
    for kind, size, unit in HOSTILE:
        figures = measure(kind, size, backend)
        print(
            f"  {kind:<9} {size:>6,} {unit:<11} {figures['seconds']:8.1f} s  {figures['peak_mb']:7.0f} MB"
            f"  {figures['sentences']:>6,}",
            flush=True,
        )


def series(kind: str, sizes: list[int], unit: str, backend: str) -> None:
    print(f"\n{kind}: size, seconds (comparison only), x previous, peak MB, outlet sentences", flush=True)
    previous = None
    for size in sizes:
        figures = measure(kind, size, backend)
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
    parser.add_argument("--hostile", action="store_true", help="issue 27's five inputs, once each")
    parser.add_argument("--backend", default="auto", help="the embedding backend: auto (default), onnx or torch")
    parser.add_argument("--one", nargs=2, metavar=("KIND", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one[0], int(args.one[1]), args.backend)))
        return
    if args.hostile:
        hostile(args.backend)
        return
    series("sentences", doubling(1000, args.max_sentences), "sentences", args.backend)
    series("one line", doubling(64, args.max_kb), "KB", args.backend)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    main()
