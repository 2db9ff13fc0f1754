"""Cache the support judge's training inputs: what the product computes for each claim sentence.

For each case of ../shared/train/*.jsonl.gz (never copied into the repository) this does what
`reconcile.compare` does up to the score: segment the sources and the claim, align each claim
sentence with every source window, choose its evidence, measure the features, and compute the
judge's inputs with the product's own code (`reconcile.score.judge_rows`: the nine features, the
claim-vs-evidence cosine, the inserted words, the token-match statistics from the MiniLM token
embeddings of the pass that encoded the texts). Training (train_judge.py) reads only these.

One .npz per train file (no pickle; `np.load(..., allow_pickle=False)` reads it) under the cache
folder, default the user cache folder's judge/ subfolder:

    PYTHONPATH=. .venv/bin/python benchmarks/judge_data.py --limit 150 [--files frank begin] [--cache-dir DIR]

The evaluation sets go through the same path, all their cases as dev, into a folder of their own:

    PYTHONPATH=. .venv/bin/python benchmarks/judge_data.py --train-dir ../shared/eval \\
        --cache-dir ~/.cache/reconcile/judge-eval

--limit N takes at most N cases per split (train, dev) of each file, whole documents at a time in
a seeded random order, so a small run still spans documents (and SummEdits' domains).

Arrays of one file (C cases, U claim sentences):
  case_id[C], case_label[C] (1 supported), case_split[C] (1 dev), case_units[C+1] (offsets into units)
  unit_inputs[U, 17] (reconcile.judge.INPUT_NAMES), input_names[17],
  meta (JSON: data file hash, settings, model, limit, seed, timings)
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from reconcile.align import SourceText, align
from reconcile.embed import SentenceTransformerEmbedder, default_cache_dir
from reconcile.evidence import choose_evidence
from reconcile.features import measure
from reconcile.judge import INPUT_NAMES
from reconcile.memo import memo_scope
from reconcile.resources import Resources
from reconcile.score import judge_rows
from reconcile.segment import segment
from reconcile.settings import Settings

TRAIN = Path(__file__).resolve().parents[1].parent / "shared" / "train"


@dataclass
class Table:
    """The arrays of one train file, filled case by case."""

    case_id: list[str] = field(default_factory=list)
    case_label: list[int] = field(default_factory=list)
    case_split: list[int] = field(default_factory=list)
    case_units: list[int] = field(default_factory=lambda: [0])
    unit_inputs: list[np.ndarray] = field(default_factory=list)

    def arrays(self) -> dict[str, np.ndarray]:
        return {
            "case_id": np.asarray(self.case_id, dtype=str),
            "case_label": np.asarray(self.case_label, dtype=np.int8),
            "case_split": np.asarray(self.case_split, dtype=np.int8),
            "case_units": np.asarray(self.case_units, dtype=np.int32),
            "unit_inputs": (np.stack(self.unit_inputs) if self.unit_inputs else np.zeros((0, len(INPUT_NAMES)))).astype(
                np.float32
            ),
            "input_names": np.asarray(INPUT_NAMES, dtype=str),
        }


def data_stem(path: Path) -> str:
    return path.name.removesuffix(".gz").removesuffix(".jsonl")


def case_files(folder: Path, only: list[str] | None, *, threads: int) -> list[Path]:
    """The case files of a folder (only those named, by name or stem), with torch and BLAS set to `threads`."""
    import torch
    from threadpoolctl import threadpool_limits

    # The machine is shared: few threads for torch, and for numpy's BLAS (align's matrix products) too.
    torch.set_num_threads(threads)
    threadpool_limits(threads)
    files = sorted([*folder.glob("*.jsonl.gz"), *folder.glob("*.jsonl")])
    return [f for f in files if not only or f.name in only or data_stem(f) in only]


def read_cases(path: Path) -> list[dict[str, Any]]:
    """The cases of a .jsonl.gz or .jsonl file; a case without a split (an evaluation set's) counts as dev."""
    opened = gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else path.open(encoding="utf-8")
    with opened as f:
        cases = [json.loads(line) for line in f if line.strip()]
    for case in cases:
        case.setdefault("split", "dev")
    return cases


def pick_cases(cases: list[dict[str, Any]], limit: int | None, seed: int) -> list[list[dict[str, Any]]]:
    """The cases to cache, grouped by their sources: whole documents, in a seeded order, up to limit per split."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for case in cases:
        groups.setdefault(tuple(s["text"] for s in case["sources"]), []).append(case)
    ordered = list(groups.values())
    if limit is None:
        return ordered
    random.Random(seed).shuffle(ordered)
    taken: dict[str, int] = {"train": 0, "dev": 0}
    picked: list[list[dict[str, Any]]] = []
    for group in ordered:
        split = group[0]["split"]
        if taken[split] >= limit:
            continue
        keep = group[: limit - taken[split]]
        taken[split] += len(keep)
        picked.append(keep)
    return picked


def add_group(
    table: Table,
    group: list[dict[str, Any]],
    embedder: SentenceTransformerEmbedder,
    settings: Settings,
    resources: Resources,
) -> int:
    """Add the cases of one document to the table; the number of claims with no sentence segment() finds."""
    sources: list[SourceText] = []
    for source in group[0]["sources"]:
        seg = segment(source["text"])
        sources.append(SourceText(source.get("name", "source"), source["text"], seg.sentences))
    sources = [s for s in sources if s.sentences]
    unsplit = 0
    claims: list[list[str]] = []
    for case in group:
        found = [s.text for s in segment(case["claim"]).sentences]
        if not found:
            # The product would refuse such an outlet (a short line without final punctuation); the
            # judge still learns from it as one sentence.
            unsplit += 1
            found = [case["claim"].strip()]
        claims.append(found)
    flat = [c for found in claims for c in found]
    candidates = align(flat, sources, embedder, top_k=settings.top_k, window=settings.window)
    evidence = [
        choose_evidence(c, cands, sources, settings, resources) for c, cands in zip(flat, candidates, strict=True)
    ]
    rows = judge_rows(evidence, measure(evidence, sources, embedder), sources, embedder)
    k = 0
    for case, found in zip(group, claims, strict=True):
        table.case_id.append(case["id"])
        table.case_label.append(int(case["label"] == "supported"))
        table.case_split.append(int(case["split"] == "dev"))
        table.unit_inputs.extend(rows[k : k + len(found)])
        k += len(found)
        table.case_units.append(len(table.unit_inputs))
    return unsplit


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build(
    path: Path, out: Path, embedder: SentenceTransformerEmbedder, resources: Resources, args: argparse.Namespace
) -> dict[str, Any]:
    settings = Settings()
    cases = read_cases(path)
    groups = pick_cases(cases, args.limit, args.seed)
    table = Table()
    started = time.perf_counter()
    encode_before, texts_before = embedder.seconds_encoding, embedder.texts_encoded
    unsplit = 0
    for n, group in enumerate(groups):
        # One scope per document, as the product opens one per comparison.
        with memo_scope():
            unsplit += add_group(table, group, embedder, settings, resources)
        embedder.clear()  # a document's texts (and their tokens) are not needed again
        if not args.quiet and (n + 1) % 50 == 0:
            print(f"  {path.name}: {n + 1}/{len(groups)} documents, {len(table.case_id)} cases", file=sys.stderr)
    seconds = time.perf_counter() - started
    arrays = table.arrays()
    stats = {
        "file": path.name,
        "cases": len(table.case_id),
        "dev": int(arrays["case_split"].sum()),
        "supported": int(arrays["case_label"].sum()),
        "units": len(table.unit_inputs),
        "unsplit_claims": unsplit,
        "documents": len(groups),
        "texts_encoded": embedder.texts_encoded - texts_before,
        "encode_seconds": round(embedder.seconds_encoding - encode_before, 1),
        "seconds": round(seconds, 1),
    }
    meta = {
        "data": path.name,
        "data_sha256": file_hash(path),
        "limit": args.limit,
        "seed": args.seed,
        "model": embedder.model_id,
        "settings": settings.model_dump(),
        "stats": stats,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_suffix(".partial.npz")
    # numpy's stub lets **kwargs fill the allow_pickle: bool keyword; these are all arrays.
    np.savez(partial, meta=np.asarray(json.dumps(meta, sort_keys=True)), **arrays)  # type: ignore[arg-type]
    os.replace(partial, out)
    return stats


def cache_name(stem: str, limit: int | None) -> str:
    return f"{stem}.npz" if limit is None else f"{stem}-limit{limit}.npz"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train-dir", type=Path, default=TRAIN, help="folder of .jsonl.gz / .jsonl case files")
    parser.add_argument("--cache-dir", type=Path, help="where the .npz files go (default: user cache/reconcile/judge)")
    parser.add_argument("--files", nargs="*", help="only these files (names or stems)")
    parser.add_argument("--limit", type=int, help="at most N cases per split (train, dev) of each file")
    parser.add_argument("--seed", type=int, default=12, help="order in which documents are taken under --limit")
    parser.add_argument("--threads", type=int, default=1, help="torch threads (the machine is shared)")
    parser.add_argument("--batch-size", type=int, default=16, help="texts per forward pass (16 measured fastest here)")
    parser.add_argument("--force", action="store_true", help="rebuild files already cached")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args()

    files = case_files(args.train_dir, args.files, threads=args.threads)
    if not files:
        print(f"no .jsonl.gz files in {args.train_dir}; pass --train-dir", file=sys.stderr)
        return 2
    cache = args.cache_dir or default_cache_dir() / "judge"
    resources = Resources.load(judge=False)
    embedder = SentenceTransformerEmbedder(batch_size=args.batch_size)
    for path in files:
        out = cache / cache_name(data_stem(path), args.limit)
        if out.exists() and not args.force:
            print(f"{out}: cached (pass --force to rebuild)")
            continue
        stats = build(path, out, embedder, resources, args)
        rate = stats["texts_encoded"] / max(stats["encode_seconds"], 1e-9)
        print(f"{out}: {json.dumps(stats)}; encode {rate:.1f} texts/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
