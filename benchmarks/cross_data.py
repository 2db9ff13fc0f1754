"""The cross-encoder's training pairs: (claim sentence, evidence text, label) from ../shared/train.

The cross-encoder (reconcile/cross_judge.py) reads one claim sentence and one evidence window together.
Its pairs come from the train files (never copied into the repository) as the product would see them:

- a short source (at most SHORT_SOURCE characters: VitaminC's one to three Wikipedia sentences, DocNLI's
  premises, BEGIN's knowledge snippets) is the evidence as a whole, against the whole claim;
- a document (FRANK, XSumFaith, SummEdits, WiCE) goes through the product's own path: segment, align
  each claim sentence with every window, choose the evidence (`reconcile.evidence.choose_evidence`);
  the pair is the claim sentence and its best-ranked window, and the next two windows are kept too
  (the product scores the best three). A case labelled supported makes every one of its sentences
  supported; an unsupported case of several sentences is left out of training (which sentence fails is
  not known) and kept for measuring, where a case is supported only if every sentence is.

Labels: 0 supported, 1 contradicted, 2 neither (the set's `unsupported`).
One .jsonl.gz per train file under the cache folder (default: the user cache folder's cross/):

    PYTHONPATH=. .venv/bin/python benchmarks/cross_data.py [--files frank] [--cache-dir DIR]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from judge_data import TRAIN, case_files, data_stem, file_hash, read_cases

from reconcile.align import SourceText, align
from reconcile.embed import SentenceTransformerEmbedder, default_cache_dir
from reconcile.evidence import choose_evidence
from reconcile.memo import memo_scope
from reconcile.resources import Resources
from reconcile.segment import segment
from reconcile.settings import Settings

SHORT_SOURCE = 800  # characters: a source this short is read whole (it fits the cross-encoder's input)
LABELS = {"supported": 0, "contradicted": 1, "unsupported": 2}
WINDOWS = 3


def short_rows(case: dict[str, Any]) -> list[dict[str, Any]]:
    text = " ".join(s["text"] for s in case["sources"])
    return [
        {
            "id": case["id"],
            "split": case["split"],
            "claim": case["claim"].strip(),
            "evidence": [text],
            "label": LABELS[case["label"]],
            "sentence": 0,
            "sentences": 1,
            "train": True,
        }
    ]


def document_rows(
    group: list[dict[str, Any]], embedder: SentenceTransformerEmbedder, settings: Settings, resources: Resources
) -> list[dict[str, Any]]:
    sources: list[SourceText] = []
    for source in group[0]["sources"]:
        seg = segment(source["text"])
        sources.append(SourceText(source.get("name", "source"), source["text"], seg.sentences))
    sources = [s for s in sources if s.sentences]
    if not sources:
        return []
    claims = [[s.text for s in segment(case["claim"]).sentences] or [case["claim"].strip()] for case in group]
    flat = [c for found in claims for c in found]
    candidates = align(flat, sources, embedder, top_k=settings.top_k, window=settings.window)
    rows: list[dict[str, Any]] = []
    k = 0
    for case, found in zip(group, claims, strict=True):
        label = LABELS[case["label"]]
        for n, sentence in enumerate(found):
            evidence = choose_evidence(sentence, candidates[k], sources, settings, resources)
            k += 1
            windows = [c.text for c in evidence.ranked[:WINDOWS]]
            if not windows:
                continue
            rows.append(
                {
                    "id": case["id"],
                    "split": case["split"],
                    "claim": sentence,
                    "evidence": windows,
                    "label": label,
                    "sentence": n,
                    "sentences": len(found),
                    # which sentence of an unsupported multi-sentence claim fails is not known
                    "train": len(found) == 1 or label == LABELS["supported"],
                }
            )
    return rows


def build(path: Path, out: Path, embedder: SentenceTransformerEmbedder, resources: Resources) -> dict[str, Any]:
    settings = Settings()
    cases = read_cases(path)
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for case in cases:
        groups.setdefault(tuple(s["text"] for s in case["sources"]), []).append(case)
    started = time.perf_counter()
    rows: list[dict[str, Any]] = []
    for n, (texts, group) in enumerate(groups.items()):
        if sum(len(t) for t in texts) <= SHORT_SOURCE:
            for case in group:
                rows.extend(short_rows(case))
            continue
        with memo_scope():
            rows.extend(document_rows(group, embedder, settings, resources))
        embedder.clear()
        if (n + 1) % 100 == 0:
            print(f"  {path.name}: {n + 1}/{len(groups)} documents, {len(rows)} pairs", file=sys.stderr)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_suffix(".partial")
    with gzip.open(partial, "wt", encoding="utf-8") as f:
        f.write(json.dumps({"meta": {"data": path.name, "data_sha256": file_hash(path), "short": SHORT_SOURCE}}) + "\n")
        for row in rows:
            f.write(json.dumps(row) + "\n")
    os.replace(partial, out)
    return {"file": path.name, "pairs": len(rows), "seconds": round(time.perf_counter() - started, 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train-dir", type=Path, default=TRAIN)
    parser.add_argument("--cache-dir", type=Path, help="default: the user cache folder's reconcile/cross")
    parser.add_argument("--files", nargs="*", help="only these files (names or stems)")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args()

    files = case_files(args.train_dir, args.files, threads=args.threads)
    cache = args.cache_dir or default_cache_dir() / "cross"
    resources = Resources.load(judge=False)
    embedder = SentenceTransformerEmbedder()
    for path in files:
        out = cache / f"{data_stem(path)}.jsonl.gz"
        if out.exists() and not args.force:
            print(f"{out}: cached (pass --force to rebuild)")
            continue
        print(f"{out}: {json.dumps(build(path, out, embedder, resources))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
