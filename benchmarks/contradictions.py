"""Typed findings on SummEdits news: recall per edit type, false flags, balanced accuracy of the verdicts.

Each case's claim (a summary of one to three sentences) is the outlet and its article the source, run
the way benchmarks/accuracy.py runs them. Prints:

- recall per edit type (a case may have several): caught when any sentence gets a typed finding or
  the case's default verdict is not "supported"; and, apart, by a typed finding alone;
- the false-flag rate: the share of supported summaries with a typed finding (and with a
  contradiction, which alone changes a verdict to "contradicted");
- balanced accuracy of the default verdicts (supported only when every sentence is);
- which types fired on which labels.

    .venv/bin/python benchmarks/contradictions.py --cache-dir /tmp/embcache [--show] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from accuracy import balanced_accuracy  # benchmarks/ is on sys.path when run

from reconcile.compare import compare
from reconcile.documents import document_from_text
from reconcile.embed import SentenceTransformerEmbedder
from reconcile.report import Report, Verdict

DEFAULT_FILE = "summedits-news-eval.jsonl"


def run_case(case: dict[str, Any], embedder: SentenceTransformerEmbedder) -> Report:
    """One case through reconcile, exactly as benchmarks/accuracy.py runs it."""
    outlet = document_from_text(case["claim"], name="claim")
    sources = [
        document_from_text(s["text"], name=f"{s.get('name', 'source')}-{i}") for i, s in enumerate(case["sources"])
    ]
    return compare(outlet, sources, embedder=embedder)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=Path(__file__).resolve().parents[1] / ".." / "shared" / "eval")
    parser.add_argument("--file", default=DEFAULT_FILE, help="a JSONL file of the eval folder with detail.edit_types")
    parser.add_argument("--limit", type=int, help="first N cases (quick runs)")
    parser.add_argument("--cache-dir", type=Path, help="reuse embeddings from this SQLite cache folder")
    parser.add_argument("--show", action="store_true", help="print every finding with its case")
    parser.add_argument("--out", type=Path, help="write per-case results as JSONL")
    args = parser.parse_args()
    path = args.eval_dir / args.file
    if not path.exists():
        print(f"{path}: no such file; pass --eval-dir or --file", file=sys.stderr)
        return 2
    cases = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if args.limit:
        cases = cases[: args.limit]
    embedder = SentenceTransformerEmbedder(cache_dir=args.cache_dir)
    out = args.out.open("w", encoding="utf-8") if args.out else None

    rows = []
    for case in cases:
        report = run_case(case, embedder)
        findings = [(s.index, c) for s in report.sentences for c in s.contradictions]
        supported = all(s.verdict is Verdict.SUPPORTED for s in report.sentences)
        row = {
            "id": case["id"],
            "label": case["label"],
            "edit_types": case.get("detail", {}).get("edit_types") or [],
            "predicted_supported": supported,
            "findings": [
                {
                    "sentence": i,
                    "type": c.type,
                    "severity": c.severity,
                    "outlet": c.outlet_text,
                    "source": c.source_text,
                    "detail": c.detail,
                }
                for i, c in findings
            ],
            "verdicts": [s.verdict.value for s in report.sentences],
        }
        rows.append(row)
        if out:
            out.write(json.dumps(row) + "\n")
        if args.show and findings:
            print(f"{case['id']} [{case['label']}; {', '.join(row['edit_types']) or 'no edit'}] {case['claim']}")
            for f in row["findings"]:
                print(f"    {f['severity']:<13} {f['type']:<9} {f['outlet']!r} vs {f['source']!r} {f['detail']}")
    if out:
        out.close()

    edit_types = sorted({t for r in rows for t in r["edit_types"]})
    print(f"\n{path.name}: {len(rows)} cases, {sum(r['label'] != 'supported' for r in rows)} unsupported\n")
    print(f"{'edit type':<30} {'cases':>5} {'caught':>7} {'by finding':>11}")
    for edit in edit_types + ["(unsupported, no edit type)"]:
        part = [
            r
            for r in rows
            if r["label"] != "supported"
            and (edit in r["edit_types"] if not edit.startswith("(") else not r["edit_types"])
        ]
        if not part:
            continue
        caught = sum(1 for r in part if r["findings"] or not r["predicted_supported"]) / len(part)
        typed = sum(1 for r in part if r["findings"]) / len(part)
        print(f"{edit:<30} {len(part):>5} {caught:>7.2f} {typed:>11.2f}")
    clean = [r for r in rows if r["label"] == "supported"]
    flagged = sum(1 for r in clean if r["findings"]) / max(len(clean), 1)
    hard = sum(1 for r in clean if any(f["severity"] == "contradiction" for f in r["findings"])) / max(len(clean), 1)
    print(f"\nfalse flags on supported summaries ({len(clean)}): any finding {flagged:.2f}, contradiction {hard:.2f}")
    labels = [r["label"] == "supported" for r in rows]
    predicted = [r["predicted_supported"] for r in rows]
    print(f"balanced accuracy, default verdicts: {balanced_accuracy(predicted, labels):.3f}")
    # What the findings alone separate: a case is "supported" when no sentence has a typed finding.
    # A diagnostic of the checks, not a verdict reconcile gives.
    print(
        f"balanced accuracy, 'no typed finding' alone (diagnostic): "
        f"{balanced_accuracy([not r['findings'] for r in rows], labels):.3f}"
    )
    # And with the alignment: supported when every sentence's core is backed (supported or partial)
    # and no sentence has a typed finding. Shows what the checks would give a verdict that trusts
    # a backed core; reconcile's default verdict calls a partial sentence not supported.
    core = [not r["findings"] and all(v in ("supported", "partial") for v in r["verdicts"]) for r in rows]
    print(f"balanced accuracy, 'backed core, no typed finding' (diagnostic): {balanced_accuracy(core, labels):.3f}")
    counts = Counter((f["type"], f["severity"], r["label"]) for r in rows for f in r["findings"])
    print("\nfindings by type, severity and label:")
    for (kind, severity, label), n in sorted(counts.items()):
        print(f"  {kind:<9} {severity:<13} {label:<12} {n:>4}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
