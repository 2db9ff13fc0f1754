"""Fit the score's logistic weights on SummEdits and the synthetic cases; qags-cnndm and WiCE stay held out.

    .venv/bin/python benchmarks/synthetic.py --out /tmp/syn/synthetic.jsonl
    .venv/bin/python benchmarks/accuracy.py --cache-dir /tmp/emb --features-out /tmp/eval.jsonl
    .venv/bin/python benchmarks/accuracy.py --eval-dir /tmp/syn --cache-dir /tmp/emb --features-out /tmp/syn.jsonl
    .venv/bin/python benchmarks/calibrate.py /tmp/eval.jsonl /tmp/syn.jsonl [--write]

Each feature has a known direction (more similarity or more backed words never means less support;
more unbacked names never means more), so the fit only chooses magnitudes: weights are bounded to
their sign. That keeps the score monotone and stops a small set's quirks from flipping a feature.
Balanced class weights make 0.5 the point where a supported and an unsupported case are equally
likely. WiCE (Wikipedia sentences vs the noisy web pages they cite) is left out of the fit: its
supported claims are looser paraphrases than news copy, and fitting on it moves the threshold to
where close-copy errors pass. --write stores the weights in reconcile/data/calibration.json.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from scipy.optimize import minimize
from sklearn.metrics import balanced_accuracy_score, roc_auc_score

FIT_ON = ("summedits-news-eval", "synthetic")
NEGATIVE = ("missing_names", "novelty")  # features that can only lower the score
L2 = 0.001
CALIBRATION = Path(__file__).resolve().parents[1] / "reconcile" / "data" / "calibration.json"


def fit_sign_constrained(x: np.ndarray, y: np.ndarray, names: list[str]) -> np.ndarray:
    """Class-balanced logistic regression whose weights keep each feature's known sign."""
    target = y.astype(float)
    sample_weight = np.where(y, len(y) / (2 * y.sum()), len(y) / (2 * (~y).sum()))

    def loss(p: np.ndarray) -> float:
        z = p[0] + x @ p[1:]
        nll = np.logaddexp(0, -z) * target + np.logaddexp(0, z) * (1 - target)
        return float((sample_weight * nll).mean() + L2 * np.sum(p[1:] ** 2))

    bounds = [(None, None)] + [((None, 0.0) if n in NEGATIVE else (0.0, None)) for n in names]
    weights: np.ndarray = minimize(loss, np.zeros(len(names) + 1), bounds=bounds, method="L-BFGS-B").x
    return weights


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("features", type=Path, nargs="+")
    parser.add_argument("--write", action="store_true", help="store the fitted weights")
    args = parser.parse_args()
    rows = [
        json.loads(line) for path in args.features for line in path.read_text(encoding="utf-8").splitlines() if line
    ]
    names = list(rows[0]["features"])
    by_file: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for stem in sorted({r["file"].removesuffix(".jsonl") for r in rows}):
        part = [r for r in rows if r["file"].removesuffix(".jsonl") == stem]
        by_file[stem] = (
            np.array([[r["features"][n] for n in names] for r in part]),
            np.array([r["label"] == "supported" for r in part]),
        )
    x = np.vstack([by_file[f][0] for f in FIT_ON if f in by_file])
    y = np.concatenate([by_file[f][1] for f in FIT_ON if f in by_file])
    params = fit_sign_constrained(x, y, names)
    weights = {"bias": float(params[0]), **{n: float(w) for n, w in zip(names, params[1:], strict=True)}}
    print(json.dumps({k: round(v, 3) for k, v in weights.items()}))
    for stem, (xf, yf) in by_file.items():
        p = 1.0 / (1.0 + np.exp(-(params[0] + xf @ params[1:])))
        role = "fitted" if stem in FIT_ON else "held out"
        print(
            f"{stem:<22} {role:<9} AUC {roc_auc_score(yf, p):.3f}  BA@0.5 {balanced_accuracy_score(yf, p >= 0.5):.3f}"
        )
    if args.write:
        CALIBRATION.write_text(
            json.dumps(
                {
                    "note": "fitted by benchmarks/calibrate.py on "
                    + " + ".join(FIT_ON)
                    + "; qags-cnndm and wice-dev held out",
                    "weights": {k: round(v, 4) for k, v in weights.items()},
                },
                indent=1,
            )
            + "\n",
            encoding="utf-8",
        )
        print(f"wrote {CALIBRATION}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
