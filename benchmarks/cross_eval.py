"""Measure the cross-encoder alone and stacked with today's judge, on the product's own evidence.

Inputs are dumps of benchmarks/accuracy.py (`--dump`): every case's sentences with today's score and
the evidence windows the product chose. The stack (a logistic regression over today's score and the
cross-encoder's probabilities, per case) is fitted on a dump of ../shared/train's dev split, and its
threshold is the one of balanced weights; ../shared/eval only measures.

    PYTHONPATH=. .venv/bin/python benchmarks/cross_eval.py --checkpoint ~/.cache/reconcile/cross-train/checkpoint-N \\
        --dev-dump dev-dump.jsonl --eval-dump eval-dump.jsonl [--vitaminc]

Prints per eval file: cases, AUC of today's score, of the cross-encoder alone, of the stack; balanced
accuracy of the stack's verdicts; the share of supported-labelled cases the cross-encoder would call
contradicted; and (--vitaminc) three-way accuracy on VitaminC's dev pairs.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from reconcile.embed import default_cache_dir


def load_model(checkpoint: Path | None, threads: int) -> Any:
    import torch

    from reconcile.cross_judge import CrossJudge

    torch.set_num_threads(threads)
    if checkpoint is None:
        return CrossJudge.load()
    from transformers import AutoTokenizer, BertForSequenceClassification

    model = BertForSequenceClassification.from_pretrained(str(checkpoint))
    model.eval()  # type: ignore[no-untyped-call]
    return CrossJudge("checkpoint", {}, model, AutoTokenizer.from_pretrained(str(checkpoint)))


def read_dump(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def case_features(model: Any, cases: list[dict[str, Any]]) -> np.ndarray:
    """Per case: logit of today's score, the CE's lowest P(supported) and highest P(contradicted) over sentences.

    Each sentence is judged as the product's `cross` judge kind judges it: its best windows, the most decisive kept.
    """
    from reconcile.judges.cross import CrossEncoderJudge
    from reconcile.judging import ClaimCase, JudgeContext

    sentences = [s for case in cases for s in case["sentences"]]
    claims = [ClaimCase(s["text"], tuple(e["text"] for e in s.get("evidence") or ()), None, None) for s in sentences]
    judged = iter(CrossEncoderJudge(model).judge(claims, JudgeContext((), None)))
    rows = []
    for case in cases:
        verdicts = [next(judged).claim for _ in case["sentences"]]
        today = min(float(s["score"]) for s in case["sentences"])
        low_s = min(v.supported for v in verdicts)
        high_c = max(v.contradicted for v in verdicts)
        rows.append([_logit(today), _logit(low_s), _logit(high_c)])
    return np.asarray(rows, dtype=np.float64)


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def auc(labels: np.ndarray, scores: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(labels, scores)) if 0 < labels.sum() < len(labels) else float("nan")


def balanced_accuracy(labels: np.ndarray, predicted: np.ndarray) -> float:
    pos, neg = labels == 1, labels == 0
    return float(((predicted[pos] == 1).mean() + (predicted[neg] == 0).mean()) / 2)


def vitaminc_accuracy(model: Any, cache: Path) -> dict[str, float]:
    result = {}
    for name in ("vitaminc-real", "vitaminc-synthetic"):
        with gzip.open(cache / f"{name}.jsonl.gz", "rt", encoding="utf-8") as f:
            rows = [json.loads(line) for line in f]
        dev = [r for r in rows if r.get("split") == "dev"]
        probs = model.probabilities([(r["claim"], r["evidence"][0]) for r in dev])
        result[name] = round(float((probs.argmax(1) == np.asarray([r["label"] for r in dev])).mean()), 4)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkpoint", type=Path, help="a training checkpoint (default: the shipped overlay)")
    parser.add_argument("--dev-dump", type=Path, required=True, help="accuracy.py --dump of ../shared/train dev")
    parser.add_argument("--eval-dump", type=Path, required=True, help="accuracy.py --dump of ../shared/eval")
    parser.add_argument("--vitaminc", action="store_true", help="also three-way accuracy on VitaminC's dev pairs")
    parser.add_argument("--cache-dir", type=Path, help="cross_data.py's pairs (for --vitaminc)")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    from sklearn.linear_model import LogisticRegression

    model = load_model(args.checkpoint, args.threads)
    dev = read_dump(args.dev_dump)
    x_dev = case_features(model, dev)
    y_dev = np.asarray([c["label"] == "supported" for c in dev], dtype=int)
    stack = LogisticRegression(class_weight="balanced").fit(x_dev, y_dev)
    weights = f"{np.round(stack.coef_[0], 3)} b={stack.intercept_[0]:.3f}"
    print(f"stack weights (today, CE supported, CE contradicted): {weights}")
    print(f"dev ({len(dev)} cases): AUC today {auc(y_dev, x_dev[:, 0]):.3f}, CE {auc(y_dev, x_dev[:, 1]):.3f}")
    cases = read_dump(args.eval_dump)
    x = case_features(model, cases)
    print(f"{'file':<28} {'cases':>5} {'AUC now':>8} {'AUC CE':>7} {'AUC stack':>9} {'BA stack':>8} {'contra|sup':>10}")
    for name in sorted({c["file"] for c in cases}):
        idx = [i for i, c in enumerate(cases) if c["file"] == name]
        y = np.asarray([cases[i]["label"] == "supported" for i in idx], dtype=int)
        xs = x[idx]
        stacked = stack.predict_proba(xs)[:, 1]
        contradicted_in_supported = float((xs[y == 1, 2] > 0).mean()) if y.sum() else float("nan")
        print(
            f"{name:<28} {len(idx):>5} {auc(y, xs[:, 0]):>8.3f} {auc(y, xs[:, 1]):>7.3f} {auc(y, stacked):>9.3f} "
            f"{balanced_accuracy(y, (stacked >= 0.5).astype(int)):>8.3f} {contradicted_in_supported:>10.3f}"
        )
    if args.vitaminc:
        print(
            "VitaminC dev three-way accuracy:",
            vitaminc_accuracy(model, args.cache_dir or default_cache_dir() / "cross"),
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
