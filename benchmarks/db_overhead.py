"""What `--db` adds to a batch: the same comparisons with and without the results database.

Builds N comparisons from ../shared/eval/qags-cnndm.jsonl (each claim an outlet, its article the
source), then, in this one process with one model, one warm embedding cache and one Resources (so
that only the batch's own work is timed, not loading), runs the batch alternately:

  no db       run_batch(config)
  new db      run_batch(config, db=<a new file>)      (creates the schema, inserts every row)
  re-run db   run_batch(config, db=<the same file>)   (replaces every comparison's rows in place)

each --repeats times, and prints the median seconds of each, the overhead per comparison, and the
database's size and row counts.

    .venv/bin/python benchmarks/db_overhead.py [--comparisons 120] [--repeats 3] [--eval-file PATH]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from qags_batch import EVAL_DIR, build, read_cases


def seconds(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def main() -> None:
    from reconcile.batch import load_batch_config, run_batch
    from reconcile.embed import SentenceTransformerEmbedder
    from reconcile.resources import Resources

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--comparisons", type=int, default=120, help="cases to compare (default 120)")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each kind (default 3)")
    parser.add_argument("--eval-file", type=Path, default=EVAL_DIR / "qags-cnndm.jsonl")
    args = parser.parse_args()

    cases = read_cases(args.eval_file, args.comparisons)
    with tempfile.TemporaryDirectory(prefix="reconcile-db-overhead-") as tmp:
        folder = Path(tmp)
        config = load_batch_config(build(cases, folder)[0])
        embedder = SentenceTransformerEmbedder(cache_dir=folder / "cache")
        resources = Resources.load()
        run_batch(config, embedder=embedder, resources=resources)  # loads the model, fills the cache
        times: dict[str, list[float]] = {"no db": [], "new db": [], "re-run db": []}
        db = folder / "results.sqlite"
        for _repeat in range(args.repeats):
            db.unlink(missing_ok=True)
            times["no db"].append(seconds(lambda: run_batch(config, embedder=embedder, resources=resources)))
            times["new db"].append(seconds(lambda: run_batch(config, embedder=embedder, resources=resources, db=db)))
            times["re-run db"].append(seconds(lambda: run_batch(config, embedder=embedder, resources=resources, db=db)))
        size_mb = db.stat().st_size / 1e6
        connection = sqlite3.connect(db)
        tables = [name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        counts = {t: connection.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0] for t in tables}
        connection.close()

    n = len(config.comparisons)
    base = statistics.median(times["no db"])
    print(f"comparisons      {n} (warm embedding cache; model and resources loaded once, not timed)")
    for kind, values in times.items():
        median = statistics.median(values)
        extra = (
            "" if kind == "no db" else f"   +{median - base:6.2f} s ({(median - base) / n * 1000:5.1f} ms/comparison)"
        )
        runs = ", ".join(f"{v:.2f}" for v in values)
        print(f"{kind:<12} {median:7.2f} s  ({median / n * 1000:6.1f} ms/comparison; runs {runs}){extra}")
    print(f"database         {size_mb:.1f} MB; rows: " + ", ".join(f"{t} {c}" for t, c in counts.items()))


if __name__ == "__main__":
    main()
