"""Speed of `reconcile batch` against its floor: loading the model and encoding each distinct sentence once.

Builds N comparisons from ../shared/eval/qags-cnndm.jsonl (each claim is an outlet, its article the
source; many claims share an article, as many articles share a readout), writes them as files with a
config, and times, each in a fresh process:

  batch      `reconcile batch CONFIG --no-cache`: the whole path, model load included
  floor      load the same model and encode each distinct sentence of those texts once
  cold fill  the batch again with an empty --cache-dir (pays for writing the cache)
  warm       the batch again with that cache filled (no encoding, usually no model load)

and prints the times, batch / floor (goal <= 1.5), distinct sentences per second of the batch, and
peak memory of the batch and the floor.

    .venv/bin/python benchmarks/batch_speed.py [--comparisons 120] [--eval-file PATH] [--work-dir DIR]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from qags_batch import EVAL_DIR, build, read_cases

GOAL = 1.5


def timed(command: list[str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):  # 1: some comparison failed, reported below
        sys.exit(f"failed ({done.returncode}): {' '.join(command)}\n{done.stderr}")
    return seconds, done


def peak_mb(maxrss: int) -> float:
    return maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)  # bytes on macOS, KiB on Linux


def floor(texts_file: Path) -> None:
    """The floor, run in its own process: load the model, encode each distinct sentence once."""
    from reconcile.embed import SentenceTransformerEmbedder
    from reconcile.segment import segment

    texts = json.loads(texts_file.read_text(encoding="utf-8"))
    sentences = list(dict.fromkeys(s.text for t in texts for s in segment(t).sentences))
    embedder = SentenceTransformerEmbedder()
    embedder.encode(sentences)
    print(
        json.dumps(
            {
                "sentences": len(sentences),
                "seconds_encoding": embedder.seconds_encoding,
                "peak_mb": peak_mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss),
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--comparisons", type=int, default=120, help="cases to compare (default 120)")
    parser.add_argument("--eval-file", type=Path, default=EVAL_DIR / "qags-cnndm.jsonl")
    parser.add_argument("--work-dir", type=Path, help="keep the texts, config and reports here")
    parser.add_argument("--floor", type=Path, help=argparse.SUPPRESS)  # internal: run the floor child
    args = parser.parse_args()
    if args.floor:
        floor(args.floor)
        return

    cases = read_cases(args.eval_file, args.comparisons)
    with tempfile.TemporaryDirectory(prefix="reconcile-batch-speed-") as tmp:
        folder = args.work_dir or Path(tmp)
        config, texts = build(cases, folder)
        texts_file = folder / "texts.json"
        texts_file.write_text(json.dumps(texts), encoding="utf-8")
        reconcile = [sys.executable, "-m", "reconcile", "batch", str(config), "--quiet"]

        # The batch runs first, so the children's peak memory after it is the batch's own.
        batch_s, batch = timed([*reconcile, "--no-cache", "--output-dir", str(folder / "out-batch")])
        batch_peak = peak_mb(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
        floor_s, floor_run = timed([sys.executable, __file__, "--floor", str(texts_file)])
        measured = json.loads(floor_run.stdout.strip().splitlines()[-1])
        cache = ["--cache-dir", str(folder / "cache")]
        fill_s, _ = timed([*reconcile, *cache, "--output-dir", str(folder / "out-fill")])
        warm_s, _ = timed([*reconcile, *cache, "--output-dir", str(folder / "out-warm")])
        summary = json.loads((folder / "out-batch" / "summary.json").read_text(encoding="utf-8"))

    ratio = batch_s / floor_s
    totals = summary["totals"]
    print(
        f"comparisons           {totals['comparisons']} ({totals['failed']} failed) over "
        f"{len(texts) - len(cases)} articles, {measured['sentences']} distinct sentences"
    )
    print(
        f"batch, no cache       {batch_s:7.1f} s   {measured['sentences'] / batch_s:6.1f} sentences/s   "
        f"peak {batch_peak:.0f} MB"
    )
    print(
        f"floor                 {floor_s:7.1f} s   (encoding {measured['seconds_encoding']:.1f} s)   "
        f"peak {measured['peak_mb']:.0f} MB"
    )
    print(f"batch / floor         {ratio:7.2f}     goal <= {GOAL}: {'met' if ratio <= GOAL else 'NOT met'}")
    print(f"batch, cold cache     {fill_s:7.1f} s   (fills the cache)")
    print(f"batch, warm cache     {warm_s:7.1f} s")


if __name__ == "__main__":
    main()
