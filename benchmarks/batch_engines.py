"""Batch throughput of the engines: `local`, and `ray` with 1 and 2 workers, on the same comparisons.

Builds N comparisons from ../shared/eval/qags-cnndm.jsonl (each claim an outlet, its article the
source; read there, never copied into the repository), starts one local Ray cluster (its start-up is
timed apart), loads the model and the Resources once in this process, and then runs the batch, with
an empty in-memory embedding cache each time (no disk cache, so every run encodes), as

  local      run_batch(config)
  ray x1     run_batch(config, engine=RayEngine(workers=1))
  ray x2     run_batch(config, engine=RayEngine(workers=2))

--repeats times each, alternating, and prints the median seconds, comparisons/s and outlet
sentences/s of each, the driver's encoding time, the size of the snapshot shared through the
object store, and whether the ray reports are byte for byte the local ones. A ray run includes
starting its actors (each imports reconcile and loads WordNet, the opposites and the judge).

    .venv/bin/python benchmarks/batch_engines.py [--comparisons 40] [--repeats 3] [--cpus 2]
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import tempfile
import time
from pathlib import Path

from qags_batch import EVAL_DIR, build, read_cases


def reports(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.json")) if p.name != "summary.json"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--comparisons", type=int, default=40, help="qags cases to compare (default 40)")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each engine (default 3); the median counts")
    parser.add_argument("--cpus", type=int, default=2, help="CPUs of the local Ray cluster (default 2)")
    parser.add_argument("--eval-file", type=Path, default=EVAL_DIR / "qags-cnndm.jsonl")
    args = parser.parse_args()

    import ray

    from reconcile.batch import load_batch_config, run_batch
    from reconcile.embed import SentenceTransformerEmbedder
    from reconcile.engine_ray import RayEngine
    from reconcile.resources import Resources

    cases = read_cases(args.eval_file, args.comparisons)
    # A fixed report time (the workers get it too), so that the reports can be compared byte for byte.
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1767323045")
    started = time.perf_counter()
    ray.init(num_cpus=args.cpus, include_dashboard=False, log_to_driver=False, logging_level=logging.WARNING)
    cluster_s = time.perf_counter() - started
    warm = SentenceTransformerEmbedder()
    model = warm._load()
    warm.encode([case["claim"] for case in cases[:8]])  # the first pass of a process is slow: not timed
    resources = Resources.load()
    engines: dict[str, RayEngine | None] = {
        "local": None,
        "ray x1": RayEngine(workers=1),
        "ray x2": RayEngine(workers=2),
    }
    times: dict[str, list[float]] = {name: [] for name in engines}
    encoding: dict[str, list[float]] = {name: [] for name in engines}
    identical: dict[str, bool] = {}
    sentences = 0
    try:
        with tempfile.TemporaryDirectory(prefix="reconcile-batch-engines-") as tmp:
            folder = Path(tmp)
            config = load_batch_config(build(cases, folder)[0])
            for repeat in range(args.repeats):
                for name, engine in engines.items():
                    embedder = SentenceTransformerEmbedder()  # an empty text cache: every run encodes
                    embedder._model = model  # the model loaded once, as a long-running service holds it
                    out = folder / f"out-{name.replace(' ', '')}-{repeat}"
                    started = time.perf_counter()
                    result = run_batch(config, output_dir=out, embedder=embedder, resources=resources, engine=engine)
                    times[name].append(time.perf_counter() - started)
                    encoding[name].append(embedder.seconds_encoding)
                    sentences = sum(int(c.figures.get("sentences") or 0) for c in result.comparisons)
                    if engine is not None:
                        same = reports(out) == reports(folder / f"out-local-{repeat}")
                        identical[name] = identical.get(name, True) and same
    finally:
        ray.shutdown()

    snapshot_mb = max(e.snapshot_bytes for e in engines.values() if e is not None) / 1e6
    print(f"{len(cases)} comparisons, {sentences} outlet sentences; local Ray cluster of {args.cpus} CPUs")
    print(f"ray cluster start-up {cluster_s:.1f} s (once, not in the runs); snapshot shared {snapshot_mb:.1f} MB")
    print(f"{'engine':<8} {'seconds':>8} {'comparisons/s':>14} {'sentences/s':>12} {'driver encoding s':>18}  same")
    base = statistics.median(times["local"])
    for name in engines:
        seconds = statistics.median(times[name])
        verdict = "-" if name == "local" else ("yes" if identical[name] else "NO")
        print(
            f"{name:<8} {seconds:>8.2f} {len(cases) / seconds:>14.2f} {sentences / seconds:>12.2f}"
            f" {statistics.median(encoding[name]):>18.2f}  {verdict}   (x{base / seconds:.2f} of local)"
        )
    print("runs (s): " + "; ".join(f"{n}: " + ", ".join(f"{t:.2f}" for t in ts) for n, ts in times.items()))


if __name__ == "__main__":
    main()
