"""Accuracy of reconcile's scores and default verdicts on the labelled sets in ../shared/eval.

For every case the claim is the outlet and the case's sources are the sources; the cases run through
the batch path (reconcile.batch.run_batch), with each distinct source text a shared file. A case's score is the
lowest score of its claim's sentences; its verdict is "supported" only when every sentence is.
Prints, per file: cases, ROC-AUC of the score, balanced accuracy of the default verdicts (supported vs
anything else), the same two figures before the learned judge (benchmarks/accuracy-before.json),
and seconds spent encoding vs everything else.

    .venv/bin/python benchmarks/accuracy.py [--eval-dir ../shared/eval] [--limit N] [--features-out F]
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from reconcile.batch import BatchConfig, Comparison, SourceRef, run_batch
from reconcile.embed import SentenceTransformerEmbedder
from reconcile.report import Verdict

BEFORE = Path(__file__).resolve().parent / "accuracy-before.json"


def roc_auc(scores: list[float], positives: list[bool]) -> float:
    """Probability that a random positive scores above a random negative (ties count half)."""
    s = np.asarray(scores, dtype=float)
    y = np.asarray(positives, dtype=bool)
    pos, neg = s[y], s[~y]
    if not len(pos) or not len(neg):
        return float("nan")
    greater = (pos[:, None] > neg[None, :]).sum()
    ties = (pos[:, None] == neg[None, :]).sum()
    return float((greater + 0.5 * ties) / (len(pos) * len(neg)))


def balanced_accuracy(predicted: list[bool], positives: list[bool]) -> float:
    p = np.asarray(predicted, dtype=bool)
    y = np.asarray(positives, dtype=bool)
    return float(((p & y).sum() / max(y.sum(), 1) + (~p & ~y).sum() / max((~y).sum(), 1)) / 2)


def read_cases(path: Path, split: str | None) -> list[dict[str, Any]]:
    """A .jsonl (an evaluation set) or .jsonl.gz (a train set, of which --split picks one split)."""
    opened = gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else path.open(encoding="utf-8")
    with opened as f:
        cases = [json.loads(line) for line in f if line.strip()]
    return [c for c in cases if split is None or c.get("split", split) == split]


def run_file(
    path: Path,
    embedder: SentenceTransformerEmbedder,
    limit: int | None,
    features_out: TextIO | None,
    *,
    split: str | None = None,
    dump: TextIO | None = None,
) -> dict[str, Any]:
    """Every case of one file, through the batch path: texts on disk, one shared embedder, JSON reports."""
    cases = read_cases(path, split)
    if limit:
        cases = cases[:limit]
    encode_before = embedder.seconds_encoding
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="reconcile-bench-") as tmp:
        folder = Path(tmp)
        source_files: dict[str, Path] = {}  # one file per distinct source text, shared by its cases
        comparisons = []
        for n, case in enumerate(cases):
            outlet = folder / f"claim-{n}.txt"
            outlet.write_text(case["claim"], encoding="utf-8")
            refs = []
            for i, source in enumerate(case["sources"]):
                if source["text"] not in source_files:
                    source_files[source["text"]] = folder / f"source-{len(source_files)}.txt"
                    source_files[source["text"]].write_text(source["text"], encoding="utf-8")
                refs.append(SourceRef(f"{source.get('name', 'source')}-{i}", source_files[source["text"]]))
            comparisons.append(Comparison(f"case-{n}", outlet, tuple(refs)))
        config = BatchConfig(folder / "benchmark.yaml", tuple(comparisons), folder / "out", ("json",))
        result = run_batch(config, embedder=embedder)
        if result.failed:
            raise SystemExit(f"{len(result.failed)} cases failed, first: {result.failed[0].error}")
        reports = [
            json.loads((folder / "out" / f"case-{n}.json").read_text(encoding="utf-8")) for n in range(len(cases))
        ]
    total = time.perf_counter() - started
    encoding = embedder.seconds_encoding - encode_before
    scores, predicted, labels = [], [], []
    for case, report in zip(cases, reports, strict=True):
        sentences = report["sentences"]
        scores.append(min(s["score"] for s in sentences))
        predicted.append(all(s["verdict"] == Verdict.SUPPORTED.value for s in sentences))
        labels.append(case["label"] == "supported")
        if dump is not None:
            # what a second judge needs to be measured and stacked on the product's own evidence
            kept = ("text", "score", "verdict", "evidence", "contradictions", "kind")
            row = {"file": path.name, "id": case["id"], "label": case["label"]}
            row["sentences"] = [{k: s.get(k) for k in kept} for s in sentences]
            dump.write(json.dumps(row) + "\n")
        if features_out is not None:
            feats = {}
            for name in sentences[0]["features"]:
                values = [s["features"][name] for s in sentences]
                feats[name] = max(values) if name in ("missing_names", "novelty") else min(values)
            features_out.write(
                json.dumps(
                    {
                        "file": path.name,
                        "id": case["id"],
                        "label": case["label"],
                        "features": feats,
                        "verdicts": [s["verdict"] for s in sentences],
                        "edit_types": case.get("detail", {}).get("edit_types"),
                    }
                )
                + "\n"
            )
    return {
        "file": path.name,
        "cases": len(cases),
        "unsupported": labels.count(False),
        "auc": roc_auc(scores, labels),
        "balanced_accuracy": balanced_accuracy(predicted, labels),
        "seconds": total,
        "encoding_seconds": encoding,
        "other_seconds": total - encoding,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=Path(__file__).resolve().parents[1] / ".." / "shared" / "eval")
    parser.add_argument("--files", nargs="*", help="only these file names")
    parser.add_argument("--limit", type=int, help="first N cases of each file (quick runs)")
    parser.add_argument("--cache-dir", type=Path, help="reuse embeddings from this SQLite cache folder")
    parser.add_argument("--precision", default="fp32", choices=["fp32", "bf16"])
    parser.add_argument("--features-out", type=Path, help="write per-case features as JSONL")
    parser.add_argument("--dump", type=Path, help="write per-case sentences, scores and evidence as JSONL")
    parser.add_argument("--split", choices=["train", "dev"], help="for a train folder's .jsonl.gz: only this split")
    parser.add_argument("--before", type=Path, default=BEFORE, help="figures to print alongside (JSON)")
    args = parser.parse_args()
    files = sorted([*args.eval_dir.glob("*.jsonl"), *args.eval_dir.glob("*.jsonl.gz")])
    if args.files:
        files = [f for f in files if f.name in args.files or f.name.split(".")[0] in args.files]
    if not files:
        print(f"no .jsonl or .jsonl.gz files in {args.eval_dir}", file=sys.stderr)
        return 2
    embedder = SentenceTransformerEmbedder(cache_dir=args.cache_dir, precision=args.precision)
    out = args.features_out.open("w", encoding="utf-8") if args.features_out else None
    dump = args.dump.open("w", encoding="utf-8") if args.dump else None
    rows = [run_file(f, embedder, args.limit, out, split=args.split, dump=dump) for f in files]
    for opened in (out, dump):
        if opened:
            opened.close()
    before = json.loads(args.before.read_text(encoding="utf-8"))["files"] if args.before.is_file() else {}
    print(
        f"{'file':<28} {'cases':>5} {'unsup':>5} {'AUC':>6} {'BA':>6} {'AUC was':>8} {'BA was':>7} "
        f"{'secs':>7} {'encode':>7} {'other':>7}"
    )
    for r in rows:
        was = before.get(r["file"], {})
        print(
            f"{r['file']:<28} {r['cases']:>5} {r['unsupported']:>5} {r['auc']:>6.3f} {r['balanced_accuracy']:>6.3f} "
            f"{was.get('auc', float('nan')):>8.3f} {was.get('balanced_accuracy', float('nan')):>7.3f} "
            f"{r['seconds']:>7.1f} {r['encoding_seconds']:>7.1f} {r['other_seconds']:>7.1f}"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"texts encoded: {embedder.texts_encoded}; peak memory: {peak:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
